#!/usr/bin/env python3
"""Replicate a ClinicalTrials.gov JSON Lines corpus to N studies for benchmarks.

Copy 0 keeps the real NCT IDs; copy k > 0 of study i gets `NCT8` + k (2
digits) + i (5 digits), an ID range the registry has not reached, so every
copy is a distinct trial to the store (a real insert, not an 'unchanged'
skip). Usage:

    scripts/replicate_corpus.py ../shared/data/criteria-corpus/trials.jsonl 100000 > bench-out/corpus-100k.jsonl
"""
import json
import sys


def main() -> None:
    source, target = sys.argv[1], int(sys.argv[2])
    with open(source, encoding="utf-8") as f:
        studies = [json.loads(line) for line in f if line.strip()]
    out = sys.stdout
    for n in range(target):
        copy, index = divmod(n, len(studies))
        study = studies[index]
        ident = study["protocolSection"]["identificationModule"]
        original = ident["nctId"]
        ident["nctId"] = f"NCT8{copy:02d}{index:05d}" if copy else original
        out.write(json.dumps(study, ensure_ascii=False))
        out.write("\n")
        ident["nctId"] = original


if __name__ == "__main__":
    main()
