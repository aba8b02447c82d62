#!/usr/bin/env bash
# Patient–trial matching: ranking quality on the qrels sets, next to BM25 on the same pools, and
# speed (`eligo rank` evaluations/s on one core; `eligo match` latency for one patient against a
# 100,000-trial generated store). Results go to bench-out/match.txt.
#
# Quality follows ../shared/data/README.md exactly (scripts/score_ranking.py): each patient's
# judged trials are its pool; NDCG@10 (linear gain), P@10 of label 2, AUC of label 2 over label 1;
# beside it the share of eligible (label-2) pairs called ineligible and of excluded (label-1)
# pairs called eligible or possible. Then the minimal-patient probe over the whole criteria corpus
# (profile and note forms; the share of trials that call the patient they are for ineligible,
# with the decisive criteria of a sample), agreement with physicians criterion by criterion on
# trialgpt-criteria-dev (scripts/bench_agreement.py, through `rank --explain`), and end to end
# over the whole corpus (scripts/bench_e2e.sh). SKIP_SPEED=1 skips the speed part.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data
OUT=bench-out/match
AS_OF=${AS_OF:-2026-11-23}
N=${N:-100000}
mkdir -p "$OUT"
if [ ! -d "$DATA" ]; then
    echo "note: $DATA absent; nothing to benchmark" >&2
    exit 0
fi
cargo build --release --bin eligo -q
ELIGO=target/release/eligo

for set in trec2022-subset birco-dev; do
    dir="$OUT/$set"
    rm -rf "$dir"
    "$ELIGO" --quiet --data-dir "$dir" ingest --keep-going "$DATA/$set/trials.jsonl" > /dev/null || true
    for scorer in bm25 eligo; do
        "$ELIGO" --quiet --data-dir "$dir" rank --scorer "$scorer" --as-of "$AS_OF" \
            --patients "$DATA/$set/patients.jsonl" --pairs "$DATA/$set/qrels.tsv" > "$OUT/$set.$scorer.tsv" 2> "$OUT/$set.$scorer.err"
        echo "$set $scorer: $(python3 scripts/score_ranking.py "$DATA/$set/qrels.tsv" "$OUT/$set.$scorer.tsv")"
    done
    python3 scripts/score_verdicts.py "$DATA/$set/qrels.tsv" "$OUT/$set.eligo.tsv" | sed "s/^/$set verdicts: /"
done

# The minimal-patient probe: every trial of the corpus against the patient it is for.
cargo build --release -q -p eligo-match --example minimal_probe
for form in profile note; do
    target/release/examples/minimal_probe "$DATA/criteria-corpus/trials.jsonl" --form "$form" --sample 30 \
        > "$OUT/probe-$form.txt"
    head -2 "$OUT/probe-$form.txt"
done

# Criterion by criterion against physicians (and GPT-4 beside them).
rm -rf "$OUT/agreement"
python3 scripts/bench_agreement.py "$ELIGO" "$OUT/agreement/store" \
    "$DATA/trialgpt-criteria-dev/annotations.jsonl" "$OUT/agreement"

# End to end over the whole corpus.
ELIGO="$ELIGO" scripts/bench_e2e.sh | sed 's/^/e2e: /'

if [ -n "${SKIP_SPEED:-}" ]; then
    exit 0
fi

# Throughput of `eligo rank`: every TREC patient against every TREC trial (50 × 322 pairs), one
# process, one thread. Timed with /usr/bin/time; the first run warms the page cache.
python3 - "$DATA/trec2022-subset" > "$OUT/all-pairs.tsv" <<'PY'
import json, sys
base = sys.argv[1]
patients = [json.loads(l)["id"] for l in open(f"{base}/patients.jsonl")]
trials = [json.loads(l)["protocolSection"]["identificationModule"]["nctId"] for l in open(f"{base}/trials.jsonl")]
print("patient\ttrial")
for p in patients:
    for t in trials:
        print(f"{p}\t{t}")
PY
pairs=$(($(wc -l < "$OUT/all-pairs.tsv") - 1))
for run in warm timed; do
    /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$ELIGO" --quiet --data-dir "$OUT/trec2022-subset" rank --as-of "$AS_OF" \
        --patients "$DATA/trec2022-subset/patients.jsonl" --pairs "$OUT/all-pairs.tsv" > "$OUT/all-pairs.out"
done
read -r seconds kb < "$OUT/time.txt"
python3 -c "print(f'rank: $pairs pairs in $seconds s = {$pairs / $seconds:,.0f} evaluations/s (one core), peak RSS {$kb / 1024:.0f} MB')"

# One patient against N generated trials: ingest, index, then `eligo match` (retrieve up to 1,000
# candidates from the search index, screen them all for their verdicts, rank, explain the 10
# shown). Median and p99 over 20 runs as whole processes, then in one process (--repeat).
gen="$OUT/generated"
if [ ! -f "$gen/eligo.db" ]; then
    "$ELIGO" generate --count "$N" --seed 7 > "$OUT/generated.jsonl"
    "$ELIGO" --quiet --data-dir "$gen" ingest "$OUT/generated.jsonl" > /dev/null
    "$ELIGO" --quiet --data-dir "$gen" index rebuild > /dev/null
fi
cat > "$OUT/patient.json" <<'JSON'
{"id":"bench","birth_date":"1986-03-02","sex":"female",
 "conditions":[{"name":"systemic lupus erythematosus","status":"remission"},"rheumatoid arthritis"],
 "medications":[{"name":"prednisone","start":"2024-01","dose":{"value":10,"unit":"mg/day"}}]}
JSON
python3 - "$ELIGO" "$gen" "$OUT/patient.json" "$AS_OF" <<'PY'
import json, subprocess, sys, time
eligo, data, patient, as_of = sys.argv[1:]
cmd = [eligo, "--quiet", "--data-dir", data, "match", "--patient", patient, "--as-of", as_of, "--json", "--limit", "10"]
subprocess.run(cmd, check=True, capture_output=True)  # warm caches
times, candidates = [], 0
for _ in range(20):
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True).stdout
    times.append((time.perf_counter() - start) * 1000)
    candidates = json.loads(out)["candidates"]
times.sort()
print(f"match: one patient vs the store, {candidates} candidates screened: p50 {times[len(times) // 2]:.0f} ms, "
      f"p99 {times[-1]:.0f} ms (whole process, 20 runs)")
PY
# The same match in a long-running process (store, index and vocabulary loaded once): 20 runs with
# an empty trial cache (every candidate read and prepared) and 20 with a warm one.
"$ELIGO" --quiet --data-dir "$gen" match --patient "$OUT/patient.json" --as-of "$AS_OF" --limit 10 --repeat 20 \
    2>&1 > /dev/null | sed 's/^/in one process: /'
