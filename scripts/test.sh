#!/usr/bin/env bash
# The whole test suite: formatting and lints, then every Rust unit and
# integration test. Tests that read ../shared/data skip with a message when
# it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo test --workspace

# Browser tests: the real `eligo` binary serving a fresh demo data directory,
# clicked through in Debian's chromium; screenshots land in tests/browser/screenshots.
cargo build -p eligo-cli --quiet
(cd tests/browser && node --test --test-concurrency=1)

# The HTTP contract: schemathesis against the OpenAPI document, FHIR answers against R4 models.
scripts/api_contract.sh

# The short soak (issue 19): 30 s of valid traffic beside the hostile mix against the same
# binary; fails if the server dies or answers a valid request with a server error.
DURATION=30 TRIALS=300 ELIGO="${CARGO_TARGET_DIR:-target}/debug/eligo" scripts/soak.sh
