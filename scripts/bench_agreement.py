#!/usr/bin/env python3
"""Criterion-level agreement with physicians on trialgpt-criteria-dev, through `eligo rank --explain`.

As ../shared/data/README.md defines it: for each annotated patient–trial pair, the trial's
criteria are the annotated texts (inclusion and exclusion lists, in order); the patient's note is
screened against it, and each criterion's Eligo label is compared with the physicians' label.
Prints accuracy over all criteria, the confusion by label, GPT-4's accuracy on the same items,
and how many pairs were screened; every disagreement goes to WORK_DIR/disagreements.tsv (every criterion to all.tsv) with
Eligo's reasons, to be read in bulk.

usage: bench_agreement.py ELIGO DATA_DIR ANNOTATIONS.jsonl WORK_DIR
"""
import collections
import json
import os
import re
import subprocess
import sys

LABELS = ["included", "not included", "excluded", "not excluded", "not enough information", "not applicable"]
# When a criterion text became several criteria, the most consequential label speaks for it.
PRIORITY = {"excluded": 0, "not included": 0, "not enough information": 1, "included": 2, "not excluded": 2,
            "not applicable": 3}


def pairs_of(rows):
    pairs = collections.OrderedDict()
    for row in rows:
        pairs.setdefault((row["patient_id"], row["trial_id"]), []).append(row)
    return pairs


def criteria_text(rows):
    """The trial's criteria as registered text, and each annotated row's char span in it."""
    text, spans = "", {}
    for section, heading in (("inclusion", "Inclusion Criteria:"), ("exclusion", "Exclusion Criteria:")):
        items = [r for r in rows if r["criterion_type"] == section]
        if not items:
            continue
        text += ("\n\n" if text else "") + heading + "\n"
        for row in items:
            line = "- " + " ".join(row["criterion_text"].split())
            start = len(text) + 2
            text += line + "\n"
            spans[row["annotation_id"]] = (start, len(text) - 1)
    return text, spans


def study(trial_id, title, text):
    return {"protocolSection": {
        "identificationModule": {"nctId": trial_id, "briefTitle": title},
        "eligibilityModule": {"eligibilityCriteria": text},
    }}


def note_text(numbered):
    """The note as the annotators saw it, without the sentence numbers."""
    return "\n".join(re.sub(r"^\d+\.\s*", "", line) for line in numbered.splitlines())


def label_of(results, span, section):
    overlapping = [r for r in results
                   if r.get("span") and r["span"][0] < span[1] and span[0] < r["span"][1]]
    if not overlapping:
        return "not enough information"
    labels = [r["label"].replace("_", " ") for r in overlapping]
    return min(labels, key=lambda l: PRIORITY.get(l, 1))


def main():
    eligo, data_dir, annotations, work = sys.argv[1:5]
    rows = [json.loads(line) for line in open(annotations) if line.strip()]
    pairs = pairs_of(rows)
    os.makedirs(work, exist_ok=True)
    spans, patients = {}, {}
    with open(f"{work}/trials.jsonl", "w") as trials, open(f"{work}/pairs.tsv", "w") as pair_file:
        for (patient_id, trial_id), items in pairs.items():
            text, item_spans = criteria_text(items)
            spans.update(item_spans)
            trials.write(json.dumps(study(trial_id, items[0]["trial_title"], text)) + "\n")
            pair_file.write(f"{patient_id}\t{trial_id}\n")
            patients[patient_id] = note_text(items[0]["note"])
    with open(f"{work}/patients.jsonl", "w") as out:
        for patient_id, note in patients.items():
            out.write(json.dumps({"id": patient_id, "note": note}) + "\n")
    subprocess.run([eligo, "--quiet", "--data-dir", data_dir, "ingest", f"{work}/trials.jsonl"],
                   check=True, capture_output=True)
    run = subprocess.run([eligo, "--quiet", "--data-dir", data_dir, "rank", "--explain", "--as-of", "2026-11-23",
                          "--patients", f"{work}/patients.jsonl", "--pairs", f"{work}/pairs.tsv"],
                         capture_output=True, text=True)
    screened = {}
    for line in run.stdout.splitlines():
        obj = json.loads(line)
        screened[(obj["patient"], obj["trial"])] = obj["criteria"]
    confusion = collections.Counter()
    agree = gpt4 = 0
    disagreements = open(f"{work}/disagreements.tsv", "w")
    disagreements.write("physician\teligo\tsection\tcriterion\teligo's reasons\n")
    every = open(f"{work}/all.tsv", "w")
    every.write("physician\teligo\tsection\tcriterion\teligo's reasons\n")
    for row in rows:
        results = screened.get((row["patient_id"], row["trial_id"]), [])
        span = spans[row["annotation_id"]]
        ours = label_of(results, span, row["criterion_type"])
        confusion[(row["expert_eligibility"], ours)] += 1
        reasons = " | ".join(f"{r['label']}: {r.get('reason', '')}" for r in results
                             if r.get("span") and r["span"][0] < span[1] and span[0] < r["span"][1])
        text = " ".join(row["criterion_text"].split())
        line = f"{row['expert_eligibility']}\t{ours}\t{row['criterion_type']}\t{text}\t{reasons}\n"
        every.write(line)
        if ours != row["expert_eligibility"]:
            disagreements.write(line)
        agree += ours == row["expert_eligibility"]
        gpt4 += row["gpt4_eligibility"] == row["expert_eligibility"]
    n = len(rows)
    print(f"agreement with physicians: {agree / n:.3f} ({agree} of {n} criteria); GPT-4 {gpt4 / n:.3f}; "
          f"pairs screened {len(screened)} of {len(pairs)}")
    print("confusion (physician -> eligo):")
    for expert in LABELS:
        row = {ours: confusion[(expert, ours)] for ours in LABELS if confusion[(expert, ours)]}
        if row:
            print(f"  {expert:24} {row}")
    if run.returncode != 0:
        print(f"note: rank exited {run.returncode}: {run.stderr.strip()[:500]}")


if __name__ == "__main__":
    main()
