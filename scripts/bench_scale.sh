#!/usr/bin/env bash
# The whole-registry benchmark (issue 16): N studies (default 500,000; `N=100000` to shrink), half
# the real criteria corpus replicated with rewritten NCT IDs (`scripts/replicate_corpus.py`, real
# eligibility text) and half generated (`eligo generate --seed 7`), ingested fresh into one store.
#
# Reports: ingest time, trials/s and peak RSS (`/usr/bin/time -v`); store and index size; search
# p50/p99 over the existing query mix (`eligo-search/examples/bench_search.rs query`); and one
# patient's `eligo match` p50/p99 against the whole store (the first TREC 2022 patient note,
# `match --repeat`, which times matches in one process with an empty and a warm trial cache).
# Run it at two N to see that memory stays flat in input size. Results go to
# bench-out/scale-N/report.txt; the inputs and the data directory stay there for a re-run
# (`KEEP=0` deletes them at the end).
#
# The store is the embedded SQLite one. `STORE=postgres://...` is the place for the PostgreSQL
# run: `store_args` passes it to every command and `store_size` is the one function to teach it
# (pg_database_size); until `eligo` takes `--store`, the script refuses it.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-500000}
STORE=${STORE:-}
KEEP=${KEEP:-1}
# The shared data beside the project; `SHARED=/path/to/shared/data` for a git worktree elsewhere.
SHARED=${SHARED:-../shared/data}
CORPUS=$SHARED/criteria-corpus/trials.jsonl
PATIENTS=$SHARED/trec2022-subset/patients.jsonl
OUT=bench-out/scale-$N
DATA=$OUT/data
TARGET=${CARGO_TARGET_DIR:-target}
for file in "$CORPUS" "$PATIENTS"; do
    if [ ! -f "$file" ]; then
        echo "skipped: $file absent (shared benchmark data not on this machine)" >&2
        exit 0
    fi
done
if [ -n "$STORE" ]; then
    echo "error: STORE=$STORE: eligo has no --store option yet (SQLite only)" >&2
    exit 2
fi
store_args=(--data-dir "$DATA")

store_size() { # MB of the store (SQLite: the database file and its write-ahead log)
    du -cm "$DATA"/eligo.db* | tail -1 | cut -f1
}

cargo build --release -q --bin eligo
cargo build --release -q -p eligo-search --example bench_search
ELIGO=$TARGET/release/eligo
mkdir -p "$OUT"

INPUT=$OUT/studies.jsonl
if [ ! -f "$INPUT" ]; then
    python3 scripts/replicate_corpus.py "$CORPUS" $((N / 2)) > "$INPUT"
    "$ELIGO" generate --count $((N - N / 2)) --seed 7 >> "$INPUT"
fi
rm -rf "$DATA"
head -1 "$PATIENTS" | python3 -c 'import json, sys; print(json.load(sys.stdin)["note"])' > "$OUT/patient-note.txt"

{
    echo "# bench_scale N=$N, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
    echo "input: $(du -m "$INPUT" | cut -f1) MB, $(wc -l < "$INPUT") studies"
    /usr/bin/time -v -o "$OUT/time.txt" "$ELIGO" --quiet "${store_args[@]}" ingest --json "$INPUT" > "$OUT/ingest.json"
    python3 - "$OUT/ingest.json" "$OUT/time.txt" <<'PY'
import json, re, sys
report, timing = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
records = report["new"] + report["updated"] + report["unchanged"] + report["failed"]
print(f"ingest: {records} records (new {report['new']}, failed {report['failed']}) in {seconds:.1f} s "
      f"(process, index commit included) = {records / seconds:.0f} trials/s; "
      f"report {report['trials_per_second']:.0f} trials/s over {report['seconds']:.1f} s; peak RSS {rss / 1024:.0f} MB")
PY
    echo "store: $(store_size) MB, search index: $(du -sm "$DATA/search-index" | cut -f1) MB"
    "$TARGET/release/examples/bench_search" query "$DATA" "$CORPUS" | sed 's/^/search: /'
    "$ELIGO" --quiet "${store_args[@]}" match --note "$OUT/patient-note.txt" --as-of 2022-06-01 --repeat 20 --json \
        2>&1 >/dev/null | grep '^match' | sed 's/^/one patient: /'
    "$ELIGO" --quiet "${store_args[@]}" check > /dev/null && echo "eligo check: ok"
} | tee "$OUT/report.txt"

if [ "$KEEP" = 0 ]; then
    rm -rf "$DATA" "$INPUT"
fi
