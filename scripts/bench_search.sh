#!/usr/bin/env bash
# Search benchmark (issue: on 100,000 trials, index build >= 5,000 trials/s, query p50 < 5 ms,
# p99 < 30 ms on 2 cores; side by side with SQLite FTS5 bm25 on latency and on-topic@10).
#
# Fills a data directory with 94,164 generated trials (`eligo generate --seed 7`) plus the real
# criteria corpus (5,836 trials): 100,000 in all. Then, with the release example
# `bench_search` and /usr/bin/time for peak memory:
#   build    rebuilds the tantivy index from the store (trials/s, index size, peak RSS)
#   walk     reads every trial from the store without indexing (the store's share of build)
#   query    2,000 1-5 word queries with filters drawn from the corpus's condition and drug names
#   compare  builds an FTS5 table from the same store and runs the same real queries on both
# Results go to bench-out/search.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=../shared/data/criteria-corpus/trials.jsonl
GENERATED=${GENERATED:-94164}
OUT=bench-out
DATA=$OUT/data-search
mkdir -p "$OUT"
if [ ! -f "$CORPUS" ]; then
    echo "error: $CORPUS is absent; the query set comes from it" >&2
    exit 1
fi

cargo build --release -q --bin eligo
cargo build --release -q -p eligo-search --example bench_search
ELIGO=target/release/eligo
BENCH=target/release/examples/bench_search

if [ ! -f "$DATA/eligo.db" ]; then
    "$ELIGO" generate --count "$GENERATED" --seed 7 > "$OUT/generated-$GENERATED.jsonl"
    "$ELIGO" --quiet --data-dir "$DATA" ingest "$OUT/generated-$GENERATED.jsonl" "$CORPUS" > /dev/null
fi

peak() { # label command...
    local label=$1
    shift
    /usr/bin/time -f "%M" -o "$OUT/rss.txt" "$@"
    echo "  peak RSS ($label): $(( $(cat "$OUT/rss.txt") / 1024 )) MB"
}

{
    echo "# eligo search benchmark, $(date -u +%Y-%m-%d), $(nproc) cores"
    peak build "$BENCH" build "$DATA"
    "$BENCH" walk "$DATA"
    peak query "$BENCH" query "$DATA" "$CORPUS"
    peak compare "$BENCH" compare "$DATA" "$CORPUS"
} | tee "$OUT/search.txt"
