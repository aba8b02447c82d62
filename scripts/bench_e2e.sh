#!/usr/bin/env bash
# End to end: one store with the whole criteria corpus (5,836 real trials), then for every
# trec2022-subset patient `eligo match --note - --limit 100 --json`, exactly as a user runs it
# (retrieval from the index, screening, ranking). Reports, mean over patients, recall@100 of the
# patient's label-2 (eligible) trials and of its label >= 1 trials (qrels.tsv; a patient whose
# match fails counts 0), and how many patients got an error or no candidates at all.
# Results go to bench-out/e2e.txt. `ELIGO=path` measures another binary (e.g. main's); `SET=dir`
# another set in the same layout (patients.jsonl, qrels.tsv), such as a held-out one.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=../shared/data
AS_OF=${AS_OF:-2026-11-23}
OUT=bench-out/e2e
SET=${SET:-$DATA/trec2022-subset}
mkdir -p "$OUT"
if [ ! -d "$DATA" ]; then
    echo "note: $DATA absent; nothing to benchmark" >&2
    exit 0
fi
if [ -z "${ELIGO:-}" ]; then
    cargo build --release --bin eligo -q
    ELIGO=target/release/eligo
fi
# `STORE=dir` reuses an ingested store (the index is caught up or rebuilt by `match` itself).
store=${STORE:-$OUT/store}
if [ -z "${STORE:-}" ]; then
    rm -rf "$store"
    "$ELIGO" --quiet --data-dir "$store" ingest --keep-going "$DATA/criteria-corpus/trials.jsonl" > /dev/null || true
    "$ELIGO" --quiet --data-dir "$store" index rebuild > /dev/null
fi

python3 - "$ELIGO" "$store" "$SET" "$AS_OF" "$OUT" <<'PY' | tee bench-out/e2e.txt
import collections, json, subprocess, sys
eligo, store, base, as_of, out = sys.argv[1:]
qrels = collections.defaultdict(dict)
for n, line in enumerate(open(f"{base}/qrels.tsv")):
    patient, trial, label = line.rstrip("\n").split("\t")[:3]
    if n > 0:
        qrels[patient][trial] = int(label)
patients = [json.loads(l) for l in open(f"{base}/patients.jsonl")]
recall = {2: [], 1: []}
errors, empty = [], []
for p in patients:
    run = subprocess.run([eligo, "--quiet", "--data-dir", store, "match", "--note", "-", "--limit", "100",
                          "--json", "--as-of", as_of], input=p["note"], capture_output=True, text=True)
    shown = set()
    if run.returncode != 0:
        errors.append(p["id"])
    else:
        answer = json.loads(run.stdout)
        shown = {r["trial_id"] for r in answer["results"]}
        if not shown:
            empty.append(p["id"])
    with open(f"{out}/{p['id']}.err", "w") as err:
        err.write(run.stderr)
    for least in recall:
        wanted = {t for t, label in qrels[p["id"]].items() if label >= least}
        if wanted:
            recall[least].append(len(wanted & shown) / len(wanted))
mean = lambda xs: sum(xs) / len(xs) if xs else 0.0
print(f"e2e: {len(patients)} {base.rstrip('/').rsplit('/', 1)[-1]} patients vs {store} (criteria-corpus), match --note - --limit 100")
print(f"recall@100 of label-2 trials: {mean(recall[2]):.3f} over {len(recall[2])} patients with any")
print(f"recall@100 of label>=1 trials: {mean(recall[1]):.3f} over {len(recall[1])} patients with any")
print(f"patients with an error: {len(errors)} {' '.join(errors)}")
print(f"patients with no candidates: {len(empty)} {' '.join(empty)}")
PY
