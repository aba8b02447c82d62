#!/usr/bin/env python3
"""How often the criteria name each lab test, medicine and condition, and whether the curated
lay-name table (crates/eligo-match/data/lay_names.tsv) says it in plain words.

The curated table is hand-written; this script only tells its editor which concepts matter most.
Input: an Eligo JSON Lines export (`eligo export --output trials.jsonl` after ingesting the
criteria corpus), whose trials carry the criteria engine's structured criteria.

    eligo --data-dir /tmp/corpus ingest ../shared/data/criteria-corpus/trials.jsonl
    eligo --data-dir /tmp/corpus export --output /tmp/corpus.jsonl
    scripts/lay_name_frequencies.py /tmp/corpus.jsonl [--top 40] [--missing]

Counts are trials that name the concept (a concept named twice in one trial counts once), by the
kind of reading: lab (a test with a threshold), drug (a prior or current medicine), condition
(a condition or an infection), procedure.
"""
import argparse
import collections
import json
import pathlib
import sys

TABLE = pathlib.Path(__file__).resolve().parent.parent / "crates/eligo-match/data/lay_names.tsv"


def curated_keys():
    keys = set()
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or "\t" not in line:
            continue
        keys.add(line.split("\t", 1)[0].strip().lower())
    return keys


def concepts_of(computable):
    kind = computable.get("kind")
    if kind == "lab":
        return "lab", [computable.get("test", {})]
    if kind == "prior_therapy":
        return "drug", computable.get("drugs", [])
    if kind in ("condition", "infection"):
        return "condition", computable.get("concepts", [])
    if kind == "procedure":
        return "procedure", computable.get("concepts", [])
    return None, []


def count(path):
    counts = {kind: collections.Counter() for kind in ("lab", "drug", "condition", "procedure")}
    names = {}
    trials = 0
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                print(f"{path}:{number}: not JSON ({error}); skipped", file=sys.stderr)
                continue
            trial = record.get("trial", record)
            seen = set()
            for criterion in trial.get("criteria") or []:
                for computable in criterion.get("computable") or []:
                    kind, concepts = concepts_of(computable)
                    for concept in concepts:
                        concept_id = concept.get("id")
                        if kind and concept_id and (kind, concept_id) not in seen:
                            seen.add((kind, concept_id))
                            counts[kind][concept_id] += 1
                            names.setdefault(concept_id, concept.get("name", ""))
            trials += 1
    return trials, counts, names


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("export", help="Eligo JSON Lines export")
    parser.add_argument("--top", type=int, default=40, help="concepts listed per kind")
    parser.add_argument("--missing", action="store_true", help="list only concepts the table lacks")
    args = parser.parse_args()
    keys = curated_keys()
    trials, counts, names = count(args.export)
    print(f"{trials} trials")
    for kind, counter in counts.items():
        covered = sum(n for c, n in counter.items() if c.lower() in keys or names[c].lower() in keys)
        total = sum(counter.values())
        share = 100.0 * covered / total if total else 0.0
        print(f"\n## {kind}: {len(counter)} concepts, {total} mentions, {share:.1f} % of mentions have a lay name")
        listed = 0
        for concept_id, n in counter.most_common():
            curated = concept_id.lower() in keys or names[concept_id].lower() in keys
            if args.missing and curated:
                continue
            print(f"{n:6d}  {'✓' if curated else ' '}  {concept_id}\t{names[concept_id]}")
            listed += 1
            if listed >= args.top:
                break


if __name__ == "__main__":
    main()
