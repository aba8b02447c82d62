#!/usr/bin/env python3
"""Build a held-out TREC 2021 set in the layout of ../shared/data/trec2022-subset.

The matcher was tuned on trec2022-subset; TREC 2021 (75 topics) is data of the same kind it never
saw. Its topics and judgments are public (NIST; as redistributed, public domain, by the TrialGPT
repository, ncbi-nlp/TrialGPT, `dataset/trec_2021/queries.jsonl` and `qrels/test.tsv`). The set is
restricted to the trials whose records are in criteria-corpus, as trec2022-subset is. Nothing is
written into the repository. Usage:

    git -C TRIALGPT show HEAD:dataset/trec_2021/queries.jsonl > queries.jsonl
    git -C TRIALGPT show HEAD:dataset/trec_2021/qrels/test.tsv > qrels.tsv
    scripts/build_trec2021.py queries.jsonl qrels.tsv ../shared/data/criteria-corpus/trials.jsonl OUT
    # then, as scripts/bench_match.sh scores trec2022-subset:
    eligo --data-dir OUT/store ingest --keep-going OUT/trials.jsonl
    eligo --data-dir OUT/store rank --as-of 2026-11-23 --patients OUT/patients.jsonl --pairs OUT/qrels.tsv > OUT/eligo.tsv
    scripts/score_ranking.py OUT/qrels.tsv OUT/eligo.tsv; scripts/score_verdicts.py OUT/qrels.tsv OUT/eligo.tsv
"""
import json
import os
import sys


def main() -> None:
    queries, qrels, corpus, out = sys.argv[1:5]
    records = {}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                study = json.loads(line)
                records[study["protocolSection"]["identificationModule"]["nctId"]] = line.rstrip("\n")
    with open(qrels, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f][1:]
    kept = [r for r in rows if len(r) >= 3 and r[1] in records]
    patients = {r[0] for r in kept}
    os.makedirs(out, exist_ok=True)
    with open(f"{out}/qrels.tsv", "w", encoding="utf-8") as f:
        f.write("patient\ttrial\tlabel\n")
        f.writelines("\t".join(r[:3]) + "\n" for r in kept)
    with open(f"{out}/trials.jsonl", "w", encoding="utf-8") as f:
        f.writelines(records[t] + "\n" for t in sorted({r[1] for r in kept}))
    with open(queries, encoding="utf-8") as src, open(f"{out}/patients.jsonl", "w", encoding="utf-8") as f:
        for line in src:
            q = json.loads(line)
            if q["_id"] in patients:
                f.write(json.dumps({"id": q["_id"], "note": q["text"]}) + "\n")
    print(f"{len(kept)} judgments, {len(patients)} patients, {len({r[1] for r in kept})} trials", file=sys.stderr)


if __name__ == "__main__":
    main()
