#!/usr/bin/env bash
# Ingest throughput and peak memory (issue: >= 10,000 trials/s, < 300 MB).
#
# Builds the release binary, makes two 100,000-study JSON Lines files (the
# real criteria corpus replicated with rewritten NCT IDs, and the generator's
# output), ingests each into a fresh data directory and prints trials/s and
# peak resident memory. Then re-ingests the first file into the same store
# (the all-unchanged path). Results go to bench-out/ingest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
CORPUS=../shared/data/criteria-corpus/trials.jsonl
OUT=bench-out
mkdir -p "$OUT"

cargo build --release --bin eligo -q
ELIGO=target/release/eligo

if [ -f "$CORPUS" ]; then
    python3 scripts/replicate_corpus.py "$CORPUS" "$N" > "$OUT/corpus-$N.jsonl"
else
    echo "note: $CORPUS absent; benchmarking the generated corpus only" >&2
fi
"$ELIGO" generate --count "$N" --seed 7 > "$OUT/generated-$N.jsonl"

measure() { # label data-dir file
    local label=$1 dir=$2 file=$3
    local size
    size=$(du -m "$file" | cut -f1)
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$ELIGO" --quiet --data-dir "$dir" ingest --json "$file" > "$OUT/report.json"
    read -r seconds kb < "$OUT/time.txt"
    python3 - "$label" "$seconds" "$kb" "$size" "$OUT/report.json" <<'PY'
import json, sys
label, seconds, kb, size, report = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4], json.load(open(sys.argv[5]))
records = report["new"] + report["updated"] + report["unchanged"] + report["failed"]
print(f"{label:<34} {records:>7} records {size:>5} MB in {seconds:6.2f} s = {records / seconds:8.0f} trials/s, "
      f"peak RSS {kb / 1024:6.1f} MB (new {report['new']}, unchanged {report['unchanged']}, failed {report['failed']})")
PY
}

{
    echo "# eligo ingest, $(date -u +%Y-%m-%d), $(nproc) cores"
    if [ -f "$OUT/corpus-$N.jsonl" ]; then
        rm -rf "$OUT/data-corpus"
        measure "criteria corpus x$((N / 5836)) (fresh store)" "$OUT/data-corpus" "$OUT/corpus-$N.jsonl"
        measure "criteria corpus (re-ingest, unchanged)" "$OUT/data-corpus" "$OUT/corpus-$N.jsonl"
    fi
    rm -rf "$OUT/data-generated"
    measure "generated corpus (fresh store)" "$OUT/data-generated" "$OUT/generated-$N.jsonl"
} | tee "$OUT/ingest.txt"
