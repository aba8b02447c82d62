#!/usr/bin/env bash
# Soak test (issue 19): drives `eligo serve` on loopback for DURATION seconds (default 300) with a
# hostile mix beside valid traffic, and reports what a user and an operator would see:
#
#   valid    searches and matches with short notes (their 5xx count must be 0)
#   healthz  probed every 100 ms (its p99 must stay under 100 ms)
#   hostile  2 MB notes (413), notes just under the limit (CPU work), slow-header connections
#            that send a byte a second, one client flooding matches, made-up methods
#
# The flood comes from its own loopback address (127.0.0.9) and the valid matches from another
# (127.0.0.2), so the per-client rate limit (429) holds the flood back and not the valid traffic.
#
# Report: p99 of healthz and of valid searches, 5xx on valid requests, 413/429/503 counts, the
# server's peak RSS sampled each second (first and last minute, to see it flat). Written to
# bench-out/soak.txt. Needs curl and python3. Exits non-zero if the server dies or answers a
# valid request with a server error other than load shedding (503).
#
#   DURATION=30 scripts/soak.sh           # the short version scripts/test.sh runs
#   ELIGO=path/to/eligo scripts/soak.sh   # skip the build
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-300}
TRIALS=${TRIALS:-2000}
OUT=bench-out/soak
rm -rf "$OUT" && mkdir -p "$OUT"
if [[ -z "${ELIGO:-}" ]]; then
  cargo build --release --quiet -p eligo-cli
  ELIGO="${CARGO_TARGET_DIR:-target}/release/eligo"
fi
DATA="$OUT/data"
"$ELIGO" generate --count "$TRIALS" --seed 7 >"$OUT/trials.jsonl"
"$ELIGO" --quiet --data-dir "$DATA" ingest "$OUT/trials.jsonl" >/dev/null

"$ELIGO" --quiet --data-dir "$DATA" serve --addr 127.0.0.1:0 >"$OUT/serve.out" 2>"$OUT/serve.log" &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; kill $(jobs -p) 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q "http://" "$OUT/serve.out" 2>/dev/null && break
  sleep 0.2
done
BASE=$(grep -o 'http://[^/]*' "$OUT/serve.out" | head -1)
[[ -n "$BASE" ]] || { echo "the server did not start" >&2; cat "$OUT/serve.log" >&2; exit 1; }
HOSTPORT=${BASE#http://}
END=$(( $(date +%s) + DURATION ))

# Each driver appends "status seconds" lines to its own file.
probe() { # name, then curl arguments
  local name=$1; shift
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' --max-time 30 "$@" >>"$OUT/$name.txt" || echo "000 30" >>"$OUT/$name.txt"
}
SEARCHES=("q=diabetes" "q=breast+cancer&phase=phase3" "q=asthma" "q=heart+failure&status=recruiting" "q=melanoma")
valid_searches() {
  local i=0
  while (( $(date +%s) < END )); do
    probe search "$BASE/api/v1/search?${SEARCHES[i % ${#SEARCHES[@]}]}"
    i=$((i + 1))
  done
}
valid_matches() {
  while (( $(date +%s) < END )); do
    probe match --interface 127.0.0.2 -X POST -H 'Content-Type: application/json' \
      --data '{"note":"62-year-old woman with type 2 diabetes mellitus and hypertension, on metformin. eGFR 55."}' \
      "$BASE/api/v1/match"
  done
}
healthz() {
  while (( $(date +%s) < END )); do
    probe healthz "$BASE/api/v1/healthz"
    sleep 0.1
  done
}
python3 -c 'import sys; print("{\"note\": \"" + "no fever, type 2 diabetes mellitus, " * (2 * 1024 * 1024 // 36) + "\"}")' >"$OUT/huge.json"
python3 -c 'import sys; print("{\"note\": \"" + "no fever, type 2 diabetes mellitus, " * (250 * 1024 // 36) + "\"}")' >"$OUT/long.json"
hostile_notes() {
  while (( $(date +%s) < END )); do
    probe hostile --interface 127.0.0.3 -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/huge.json" "$BASE/api/v1/match"
    probe hostile --interface 127.0.0.3 -X POST -H 'Content-Type: application/json' --data-binary @"$OUT/long.json" "$BASE/api/v1/match"
  done
}
flood() {
  while (( $(date +%s) < END )); do
    for _ in $(seq 8); do
      probe flood --interface 127.0.0.9 -X POST -H 'Content-Type: application/json' --data '{"note":"asthma"}' "$BASE/api/v1/match" &
    done
    wait
  done
}
made_up_methods() {
  local i=0
  while (( $(date +%s) < END )); do
    probe methods -X "BREW$((i % 1000))" "$BASE/api/v1/healthz"
    i=$((i + 1))
  done
}
slow_headers() {
  while (( $(date +%s) < END )); do
    python3 - "$HOSTPORT" <<'EOF' || true
import socket, sys, time
host, port = sys.argv[1].rsplit(":", 1)
s = socket.create_connection((host, int(port)))
try:
    for ch in b"GET /api/v1/healthz HTTP/1.1\r\nX-Slow: " + b"a" * 20:
        s.send(bytes([ch]))
        time.sleep(1)
except OSError:
    pass
EOF
  done
}
rss() {
  while (( $(date +%s) < END )) && kill -0 "$SERVER" 2>/dev/null; do
    awk '/VmRSS/ {print $2}' "/proc/$SERVER/status" >>"$OUT/rss.txt" 2>/dev/null || true
    sleep 1
  done
}

valid_searches & valid_searches & valid_matches & healthz &
hostile_notes & flood & made_up_methods & slow_headers & slow_headers & rss &
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
kill -0 "$SERVER" 2>/dev/null || { echo "the server died" >&2; exit 1; }

python3 - "$OUT" "$DURATION" <<'EOF' | tee bench-out/soak.txt
import pathlib, sys
out, duration = pathlib.Path(sys.argv[1]), sys.argv[2]
def rows(name):
    path = out / f"{name}.txt"
    return [(l.split()[0], float(l.split()[1])) for l in path.read_text().splitlines() if l.strip()] if path.exists() else []
def p99(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * 0.99))] * 1000 if values else float("nan")
def count(rs, pred):
    return sum(1 for code, _ in rs if pred(code))
print(f"soak: {duration} s")
for name in ["healthz", "search", "match"]:
    rs = rows(name)
    ok = [t for code, t in rs if code == "200"]
    print(f"{name:8} requests {len(rs):6}  p99 {p99([t for _, t in rs]):7.1f} ms  5xx {count(rs, lambda c: c.startswith('5'))}"
          f"  503 {count(rs, lambda c: c == '503')}  429 {count(rs, lambda c: c == '429')}"
          f"  failed {count(rs, lambda c: c == '000')}  200 {len(ok)}")
for name in ["hostile", "flood", "methods"]:
    rs = rows(name)
    codes = {}
    for code, _ in rs:
        codes[code] = codes.get(code, 0) + 1
    print(f"{name:8} requests {len(rs):6}  by status {dict(sorted(codes.items()))}")
rss = [int(l) for l in (out / "rss.txt").read_text().split()] if (out / "rss.txt").exists() else []
if rss:
    minute = min(60, len(rss))
    print(f"peak RSS {max(rss) / 1024:.0f} MB; first minute {max(rss[:minute]) / 1024:.0f} MB, last minute {max(rss[-minute:]) / 1024:.0f} MB")
valid_5xx = sum(count(rows(n), lambda c: c.startswith("5") and c != "503") for n in ["healthz", "search", "match"])
health_p99 = p99([t for _, t in rows("healthz")])
every = [code for n in ["healthz", "search", "match", "hostile", "flood", "methods"] for code, _ in rows(n)]
print(f"all drivers: 429 {every.count('429')}, 503 {every.count('503')}")
print(f"verdict: valid 5xx (not load shedding) {valid_5xx}; healthz p99 {health_p99:.1f} ms (want < 100)")
sys.exit(1 if valid_5xx else 0)
EOF
