#!/usr/bin/env bash
# How much of the criteria corpus the engine leaves unread (`not_computable: unstructured`), the
# computable kinds, and a seeded sample of 40 unread criteria. Results go to bench-out/unread.txt.
# Usage: scripts/bench_unread.sh [--sample N] [--seed S]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data/criteria-corpus/trials.jsonl
OUT=bench-out
mkdir -p "$OUT"
if [ ! -f "$DATA" ]; then
    echo "skipped: $DATA absent (shared benchmark data not on this machine)" >&2
    exit 0
fi
cargo build --release -q -p eligo-criteria --example unread
target/release/examples/unread "$DATA" "$@" | tee "$OUT/unread.txt"
