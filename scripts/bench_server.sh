#!/usr/bin/env bash
# HTTP server benchmarks (issue: GET /api/v1/search on 100,000 trials at 200
# connections >= 2,000 req/s with p99 < 50 ms and no errors; POST
# /api/v1/match with a note p99 < 300 ms at 20 connections; trial page
# < 100 KB).
#
# Builds the release binary, fills a data directory with N generated trials
# (default 100,000), starts `eligo serve`, waits until the search index is
# caught up, then loads it with wrk on loopback (one wrk thread: the machine
# has two cores and the server needs the other). Results go to
# bench-out/server.txt.
#
# Search replays a query log (scripts/bench/search_log.py: 5,000 distinct
# searches built from the served trials' condition and drug names with form
# filters, drawn with Zipf popularity), first against a server with the
# search cache off (ELIGO_SEARCH_CACHE_MB=0: every request runs the engine),
# then against one with the default cache, starting cold and then warm (the
# log replayed from its start); the cache hit rate comes from /api/v1/metrics. The second server runs under /usr/bin/time
# (peak memory) and also takes the match and page measurements.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-100000}
DURATION=${DURATION:-30s}
PORT=${PORT:-18080}
OUT=bench-out
DATA="$OUT/server-data-$N"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }

# ELIGO=path/to/eligo skips the build (e.g. a binary copied aside while others edit the tree).
if [ -z "${ELIGO:-}" ]; then
    cargo build --release --bin eligo -q
    ELIGO=target/release/eligo
fi

if [ ! -f "$DATA/eligo.db" ]; then
    "$ELIGO" generate --count "$N" --seed 7 > "$OUT/generated-$N.jsonl"
    "$ELIGO" --quiet --data-dir "$DATA" ingest "$OUT/generated-$N.jsonl" > /dev/null
fi

LOG="$OUT/search-log.txt"
if [ ! -f "$LOG" ]; then
    [ -f "$OUT/generated-$N.jsonl" ] || "$ELIGO" generate --count "$N" --seed 7 > "$OUT/generated-$N.jsonl"
    python3 scripts/bench/search_log.py "$OUT/generated-$N.jsonl" "$LOG"
fi

URL="http://127.0.0.1:$PORT"
# start_server CACHE_MB [wrapper...]: serves the data directory in the background. wrk sends
# every request from one address, which the per-client rate limit (120 a minute by default) would
# answer with 429 after its burst: the documented flag turns it off here, as for a server behind a
# proxy that limits per client (docs/security.md), so the match rows measure matching.
start_server() {
    local cache_mb=$1
    shift
    ELIGO_SEARCH_CACHE_MB=$cache_mb "$@" "$ELIGO" --data-dir "$DATA" serve --addr "127.0.0.1:$PORT" \
        --client-rate-per-minute 0 >> "$OUT/serve.log" 2>&1 &
    SERVER=$!
    until curl -sf "$URL/api/v1/healthz" > /dev/null; do sleep 1; done
}
# /usr/bin/time does not pass signals on: stop its child (the server) too.
stop_server() {
    pkill -INT -P "$SERVER" 2>/dev/null || true
    kill -INT "$SERVER" 2>/dev/null || true
    wait "$SERVER" || true
}
cache_count() { # hit|miss
    curl -s "$URL/api/v1/metrics" | awk -v r="$1" '$1 == "eligo_search_cache_requests_total{result=\""r"\"}" {print $2}'
}
search_run() { # connections label: one wrk pass over the query log (from its start)
    local hits misses
    hits=$(cache_count hit) misses=$(cache_count miss)
    echo "-- GET /api/v1/search, $2, $1 connection(s), $DURATION (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
    wrk -t1 -c"$1" -d"$DURATION" --latency -s scripts/bench/search.lua "$URL"
    echo "   cache: $(( $(cache_count hit) - hits )) hits, $(( $(cache_count miss) - misses )) misses"
}

: > "$OUT/serve.log"
{
    trap 'stop_server' EXIT
    echo "== $(date -u +%FT%TZ), $N trials, $(nproc) cores, query log $LOG ($(wc -l < "$LOG") requests, $(sort -u "$LOG" | wc -l) distinct)"
    start_server 0
    search_run 200 "search cache off"
    search_run 1 "search cache off (latency without queueing)"
    stop_server
    start_server "${ELIGO_SEARCH_CACHE_MB:-64}" /usr/bin/time -v -o "$OUT/serve-time.txt"
    search_run 200 "search cache on, starting cold"
    search_run 200 "search cache on, warm (the log again from its start)"
    search_run 1 "search cache on (latency without queueing)"
    echo "-- POST /api/v1/match (note), cold: each note of scripts/bench/match.lua once, one connection, empty trial cache"
    python3 - "http://127.0.0.1:$PORT/api/v1/match" <<'PY'
import json, re, sys, time, urllib.request
notes = re.findall(r'^  "(.*)",$', open("scripts/bench/match.lua").read(), re.M)
times = []
for note in notes:
    body = json.dumps({"note": note, "limit": 10}).encode()
    request = urllib.request.Request(sys.argv[1], body, {"Content-Type": "application/json"})
    start = time.perf_counter()
    urllib.request.urlopen(request).read()
    times.append((time.perf_counter() - start) * 1000)
times.sort()
print(f"cold match: {len(times)} distinct notes, p50 {times[len(times) // 2]:.0f} ms, max {times[-1]:.0f} ms")
PY
    echo "-- POST /api/v1/match (note), 20 connections, $DURATION"
    wrk -t1 -c20 -d"$DURATION" --latency --timeout 30s -s scripts/bench/match.lua "http://127.0.0.1:$PORT/api/v1/match"
    echo "-- POST /api/v1/match (note), 1 connection, $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency --timeout 30s -s scripts/bench/match.lua "http://127.0.0.1:$PORT/api/v1/match"
    ID=$(curl -s "$URL/api/v1/search?q=diabetes&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
    echo "-- trial page /trials/$ID: $(curl -s "http://127.0.0.1:$PORT/trials/$ID" | wc -c) bytes (HTML, no scripts: $(curl -s "http://127.0.0.1:$PORT/trials/$ID" | grep -c '<script' || true) script tags)"
    echo "-- largest trial page of the first 100 search hits:"
    curl -s "http://127.0.0.1:$PORT/api/v1/search?limit=100" | python3 -c 'import json,sys; print("\n".join(h["id"] for h in json.load(sys.stdin)["hits"]))' \
        | while read -r id; do curl -s "http://127.0.0.1:$PORT/trials/$id" | wc -c; done | sort -n | tail -1
    stop_server
} | tee "$OUT/server.txt"

grep -E "Maximum resident set size" "$OUT/serve-time.txt" | tee -a "$OUT/server.txt"
