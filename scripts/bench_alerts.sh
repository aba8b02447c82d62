#!/usr/bin/env bash
# Alerts: evaluation of SUBSCRIPTIONS (default 100,000) subscriptions against a batch of TRIALS
# (default 1,000) new generated trials (percolator + confirmation with the real query), then
# delivery of MESSAGES (default 2,000) e-mails to an SMTP server on loopback. Generated data only.
# PROFILE=dev builds faster (our crates at -O1); the default is release.
set -euo pipefail
cd "$(dirname "$0")/.."
PROFILE=${PROFILE:-release}
cargo run -q --profile "$PROFILE" -p eligo-alerts --example alerts_bench
