#!/usr/bin/env bash
# HTTP server benchmarks (issue: GET /api/v1/search on 100,000 trials at 200
# connections >= 2,000 req/s with p99 < 50 ms and no errors; POST
# /api/v1/match with a note p99 < 300 ms at 20 connections (notes rotate over
# distinct patients; each note's first request is timed cold); trial page
# < 100 KB).
#
# Builds the release binary, fills a data directory with N generated trials
# (default 100,000), starts `eligo serve` under /usr/bin/time (peak memory),
# waits until the search index is caught up, then loads it with wrk on
# loopback (one wrk thread: the machine has two cores and the server needs
# the other). Results go to bench-out/server.txt.
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

/usr/bin/time -v -o "$OUT/serve-time.txt" "$ELIGO" --data-dir "$DATA" serve --addr "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
SERVER=$!
trap 'pkill -P "$SERVER" 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/api/v1/healthz" > /dev/null; do sleep 1; done

{
    echo "== $(date -u +%FT%TZ), $N trials, $(nproc) cores"
    echo "-- GET /api/v1/search, 200 connections, $DURATION"
    wrk -t1 -c200 -d"$DURATION" --latency -s scripts/bench/search.lua "http://127.0.0.1:$PORT"
    echo "-- GET /api/v1/search, 1 connection (latency without queueing), $DURATION"
    wrk -t1 -c1 -d"$DURATION" --latency -s scripts/bench/search.lua "http://127.0.0.1:$PORT"
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
    ID=$(curl -s "http://127.0.0.1:$PORT/api/v1/search?q=diabetes&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
    echo "-- trial page /trials/$ID: $(curl -s "http://127.0.0.1:$PORT/trials/$ID" | wc -c) bytes (HTML, no scripts: $(curl -s "http://127.0.0.1:$PORT/trials/$ID" | grep -c '<script' || true) script tags)"
    echo "-- largest trial page of the first 100 search hits:"
    curl -s "http://127.0.0.1:$PORT/api/v1/search?limit=100" | python3 -c 'import json,sys; print("\n".join(h["id"] for h in json.load(sys.stdin)["hits"]))' \
        | while read -r id; do curl -s "http://127.0.0.1:$PORT/trials/$id" | wc -c; done | sort -n | tail -1
} | tee "$OUT/server.txt"

# /usr/bin/time does not pass signals on: stop its child, the server.
pkill -INT -P "$SERVER"
wait "$SERVER" || true
grep -E "Maximum resident set size" "$OUT/serve-time.txt" | tee -a "$OUT/server.txt"
