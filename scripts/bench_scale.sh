#!/usr/bin/env bash
# The whole-registry benchmark (issue 16): N studies (default 500,000; `N=100000` to shrink), half
# the real criteria corpus replicated with rewritten NCT IDs (`scripts/replicate_corpus.py`, real
# eligibility text) and half generated (`eligo generate --seed 7`), ingested fresh into one store.
#
# Reports, for each store: ingest time, trials/s and peak RSS (`/usr/bin/time -v`); store and index
# size; search p50/p99 over the existing query mix (`eligo-search/examples/bench_search.rs query`);
# and one patient's `eligo match` p50/p99 against the whole store (the first TREC 2022 patient note,
# `match --repeat`, which times matches in one process with an empty and a warm trial cache).
# Run it at two N to see that memory stays flat in input size. Results go to
# bench-out/scale-N/report.txt; the input and the data directories stay there for a re-run
# (`KEEP=0` deletes them at the end).
#
# The stores, in one run: the embedded SQLite one, then PostgreSQL on a temporary server of the
# script's own (`initdb` into a new directory, `pg_ctl start` on a free loopback port, as `nobody`
# when run as root; binaries from /usr/lib/postgresql/*/bin or PATH), stopped and deleted at the
# end. `PG=0` skips the PostgreSQL rows (they take about as long again); without PostgreSQL
# binaries they are skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${N:-500000}
PG=${PG:-1}
KEEP=${KEEP:-1}
# The shared data beside the project; `SHARED=/path/to/shared/data` for a git worktree elsewhere.
SHARED=${SHARED:-../shared/data}
CORPUS=$SHARED/criteria-corpus/trials.jsonl
PATIENTS=$SHARED/trec2022-subset/patients.jsonl
OUT=bench-out/scale-$N
TARGET=${CARGO_TARGET_DIR:-target}
for file in "$CORPUS" "$PATIENTS"; do
    if [ ! -f "$file" ]; then
        echo "skipped: $file absent (shared benchmark data not on this machine)" >&2
        exit 0
    fi
done

cargo build --release -q --bin eligo
cargo build --release -q -p eligo-search --example bench_search
ELIGO=$TARGET/release/eligo
mkdir -p "$OUT"

INPUT=$OUT/studies.jsonl
if [ ! -f "$INPUT" ]; then
    python3 scripts/replicate_corpus.py "$CORPUS" $((N / 2)) > "$INPUT"
    "$ELIGO" generate --count $((N - N / 2)) --seed 7 >> "$INPUT"
fi
head -1 "$PATIENTS" | python3 -c 'import json, sys; print(json.load(sys.stdin)["note"])' > "$OUT/patient-note.txt"

# The temporary PostgreSQL server (started by `pg_start`, stopped on exit).
PG_BIN=
PG_DIR=
PG_PORT=
PG_USER=
pg_run() { # program args...: runs a server program, as `nobody` when this script runs as root
    local program=$PG_BIN/$1
    shift
    if [ -n "$PG_USER" ]; then
        runuser -u "$PG_USER" -- "$program" "$@"
    else
        "$program" "$@"
    fi
}
pg_start() { # starts the server, or says why not and returns 1
    PG_BIN=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)")
    if [ ! -x "$PG_BIN/pg_ctl" ]; then
        PG_BIN=$(dirname "$(command -v pg_ctl || echo /nonexistent/pg_ctl)")
    fi
    if [ ! -x "$PG_BIN/pg_ctl" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "PostgreSQL: skipped (no initdb/pg_ctl in /usr/lib/postgresql/*/bin or on PATH)"
        return 1
    fi
    [ "$(id -u)" = 0 ] && PG_USER=nobody
    PG_DIR=$(mktemp -d /tmp/eligo-bench-pg.XXXXXX)
    [ -n "$PG_USER" ] && chown "$PG_USER" "$PG_DIR"
    PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    pg_run initdb -D "$PG_DIR/data" -U eligo --auth=trust --encoding=UTF8 --locale=C -N > "$PG_DIR/initdb.log"
    pg_run pg_ctl -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR" start > /dev/null
}
pg_stop() {
    if [ -n "$PG_DIR" ]; then
        pg_run pg_ctl -D "$PG_DIR/data" -m immediate -w stop > /dev/null 2>&1 || true
        rm -rf "$PG_DIR"
        PG_DIR=
    fi
}

sqlite_size() { # MB of the store (SQLite: the database file and its write-ahead log)
    du -cm "$DATA"/eligo.db* | tail -1 | cut -f1
}
postgres_size() { # MB of the database (pg_database_size)
    local bytes
    bytes=$("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U eligo -d postgres -Atc "SELECT pg_database_size('postgres')")
    echo $((bytes / 1024 / 1024))
}

rows() { # label size-function store-args...: ingest, sizes, search, one patient's match, check
    local label=$1 size=$2
    shift 2
    local store_args=("$@")
    echo "## $label"
    /usr/bin/time -v -o "$OUT/time.txt" "$ELIGO" --quiet "${store_args[@]}" ingest --json "$INPUT" > "$OUT/ingest.json"
    python3 - "$OUT/ingest.json" "$OUT/time.txt" <<'PY'
import json, re, sys
report, timing = json.load(open(sys.argv[1])), open(sys.argv[2]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", timing).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", timing).group(1)
user = float(re.search(r"User time \(seconds\): (\S+)", timing).group(1))
seconds = sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":"))))
records = report["new"] + report["updated"] + report["unchanged"] + report["failed"]
print(f"ingest: {records} records (new {report['new']}, failed {report['failed']}) in {seconds:.1f} s "
      f"(process, index commit included; {user:.0f} s user CPU) = {records / seconds:.0f} trials/s; "
      f"report {report['trials_per_second']:.0f} trials/s over {report['seconds']:.1f} s; peak RSS {rss / 1024:.0f} MB")
PY
    echo "store: $($size) MB, search index: $(du -sm "$DATA/search-index" | cut -f1) MB"
    "$TARGET/release/examples/bench_search" query "$DATA" "$CORPUS" | sed 's/^/search: /'
    "$ELIGO" --quiet "${store_args[@]}" match --note "$OUT/patient-note.txt" --as-of 2022-06-01 --repeat 20 --json \
        2>&1 >/dev/null | grep '^match' | sed 's/^/one patient: /'
    "$ELIGO" --quiet "${store_args[@]}" check > /dev/null && echo "eligo check: ok"
}

{
    # The block runs in a subshell (the pipe to tee): the server is stopped when it ends, however.
    trap pg_stop EXIT
    echo "# bench_scale N=$N, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
    echo "input: $(du -m "$INPUT" | cut -f1) MB, $(wc -l < "$INPUT") studies"
    DATA=$OUT/data
    rm -rf "$DATA"
    rows "SQLite (--data-dir)" sqlite_size --data-dir "$DATA"
    if [ "$PG" != 0 ] && pg_start; then
        # The search index still lives in the data directory; the store is the server's.
        DATA=$OUT/data-pg
        rm -rf "$DATA"
        echo "load before PostgreSQL: $(uptime | sed 's/.*load average: //')"
        rows "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $NF}') (--store postgres://…)" postgres_size \
            --data-dir "$DATA" --store "postgres://eligo@127.0.0.1:$PG_PORT/postgres"
        pg_stop
    fi
} | tee "$OUT/report.txt"

if [ "$KEEP" = 0 ]; then
    rm -rf "$OUT/data" "$OUT/data-pg" "$INPUT"
fi
