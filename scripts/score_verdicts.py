#!/usr/bin/env python3
"""Verdicts by physician label: usage score_verdicts.py QRELS.tsv RANKED.tsv (patient, trial, score, verdict).

Prints, for eligible (2), excluded (1) and not relevant (0) pairs, how many Eligo calls eligible,
possible and ineligible. The two figures that matter most: eligible pairs called ineligible (a
trial hidden from a patient who could join) and excluded pairs called eligible or possible."""
import collections
import sys

qrels = {}
for n, line in enumerate(open(sys.argv[1])):
    fields = line.rstrip("\n").split("\t")
    if len(fields) >= 3 and fields[2].strip().isdigit():
        qrels[(fields[0], fields[1])] = int(fields[2])
counts = collections.Counter()
for line in open(sys.argv[2]):
    fields = line.rstrip("\n").split("\t")
    if len(fields) >= 4 and (fields[0], fields[1]) in qrels:
        counts[(qrels[(fields[0], fields[1])], fields[3])] += 1
parts = []
for label, name in ((2, "eligible"), (1, "excluded"), (0, "not relevant")):
    total = sum(v for (g, _), v in counts.items() if g == label)
    if total:
        shares = ", ".join(f"{v} {counts[(label, v)] / total:.0%}" for v in ("eligible", "possible", "ineligible"))
        parts.append(f"{name} pairs (n={total}): {shares}")
print("; ".join(parts))
