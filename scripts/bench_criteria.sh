#!/usr/bin/env bash
# The criteria engine's benchmarks: accuracy against the LCT expert annotations
# (811 documents; targets: overlap F1 >= 0.75 on condition+drug+procedure+
# measurement, >= 0.85 on comparison operator+value) and single-thread parse
# throughput over the 5,836-record criteria corpus (target >= 2,000 trials/s).
# Results go to bench-out/criteria.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data
OUT=bench-out
mkdir -p "$OUT"
if [ ! -d "$DATA/lct" ]; then
    echo "skipped: $DATA/lct absent (shared benchmark data not on this machine)" >&2
    exit 0
fi
cargo build --release -q -p eligo-criteria --example eval_brat --example segment_corpus
{
    echo "== LCT (brat), $(date -u +%F)"
    target/release/examples/eval_brat "$DATA/lct"
    echo
    echo "== criteria corpus, one thread"
    target/release/examples/segment_corpus "$DATA/criteria-corpus/trials.jsonl" | grep -E "^parse|^criteria by kind|records,"
} | tee "$OUT/criteria.txt"
