#!/usr/bin/env python3
"""Build crates/eligo-vocab/data/generated/codes.tsv: SNOMED CT, LOINC and RxNorm codes as Synthea
and common EHR exports write them, mapped to Eligo vocabulary concepts.

Usage (from the workspace root; no packages needed):

    scripts/fetch_synthea.sh /tmp/synthea                      # the benchmark bundles
    git clone --depth 1 https://github.com/smart-on-fhir/generated-sample-data /tmp/gsd   # more codes
    python3 scripts/build_code_map.py /tmp/synthea /tmp/gsd/R4/SYNTHEA

Every (system, code, display) of the FHIR bundles given (files or directories of *.json) is
collected; the display is matched through the vocabulary's own terms (data/generated and
data/curated), exactly, after the normalisation the crate applies:

* SNOMED CT (conditions, procedures, findings): the display without its semantic tag
  ("Acute viral pharyngitis (disorder)" -> "acute viral pharyngitis"), then without a trailing
  "disorder"/"disease" word. Condition and Procedure concepts only.
* LOINC (tests): the display, then, for a quantitative test on blood, serum or plasma, its
  component (the text before " [", " in ", " by " or " --"): "Hemoglobin A1c/Hemoglobin.total in
  Blood" -> "hemoglobin a1c/hemoglobin.total" (a curated term of HbA1c; a ratio such as "FEV1/FVC"
  is not its numerator). "Hemoglobin [Presence] in
  Urine" and "BMI [Percentile]" keep only their full display. Measurement and Score concepts only.
* RxNorm (clinical drugs): the longest run of words naming one Drug concept
  ("24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet" -> metformin). A product
  naming two or more ingredients is left unmapped: the reader's text fallback finds each.

A code whose display matches nothing is written with an empty concept: the crate then knows the
code names something the vocabulary lacks (a LOINC test such as "Platelet mean volume" is not
"platelet count", whatever words it shares). Codes not shaped like their system (module-local
placeholders) are skipped. Output is sorted and deterministic.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "crates" / "eligo-vocab" / "data"
OUT = DATA / "generated" / "codes.tsv"

SYSTEMS = {
    "http://snomed.info/sct": "SNOMED",
    "http://loinc.org": "LOINC",
    "http://www.nlm.nih.gov/research/umls/rxnorm": "RXNORM",
}
CODE_SHAPE = {"SNOMED": re.compile(r"^\d{6,18}$"), "LOINC": re.compile(r"^\d{1,7}-\d$"), "RXNORM": re.compile(r"^\d{1,9}$")}
CATEGORIES = {"SNOMED": {"Condition", "Procedure"}, "LOINC": {"Measurement", "Score"}, "RXNORM": {"Drug"}}
SEMANTIC_TAG = re.compile(r"\s*\((?:[a-z]+(?:[ /][a-z]+)*)\)\s*$")
LOINC_CUTS = (" [", " in ", " by ", " --")
# A LOINC name is "component [property] in specimen by method". Its component names an Eligo
# measurement only when the test is quantitative on blood: "Hemoglobin [Presence] in Urine" and
# "Body mass index (BMI) [Percentile]" are other tests than haemoglobin and BMI.
LOINC_OTHER_PROPERTY = re.compile(r"\[(?:Presence|Percentile|Interpretation|Identifier)\]", re.I)
LOINC_SPECIMENS = re.compile(r" in (?:Blood|Serum|Plasma|Serum or Plasma|Arterial blood|Venous blood)\b", re.I)


def fold(s: str) -> str:
    """The crate's `normalize_term`: diacritics stripped, dashes and quotes unified, lower case."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(s.lower().split())


def load_terms() -> tuple[dict[str, list[str]], dict[str, str]]:
    """Normalised term -> concept ids (curated first), and concept id -> category."""
    category: dict[str, str] = {}
    terms: dict[str, list[str]] = defaultdict(list)

    def add(term: str, cid: str) -> None:
        key = fold(term)
        if key and cid not in terms[key]:
            terms[key].append(cid)

    for line in (DATA / "curated" / "concepts.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        cid, cat, name = cols[0], cols[1], cols[2]
        category.setdefault(cid, cat)
        add(name, cid)
        for term in (cols[4].split("|") if len(cols) > 4 and cols[4] else []):
            add(term, cid)
    for line in (DATA / "generated" / "concepts.tsv").read_text(encoding="utf-8").splitlines():
        cid, cat, name = line.split("\t")[:3]
        category.setdefault(cid, cat)
        add(name, cid)
    for line in (DATA / "generated" / "terms.tsv").read_text(encoding="utf-8").splitlines():
        cid, term = line.split("\t", 1)
        add(term, cid)
    return terms, category


def collect(paths: list[Path]) -> dict[tuple[str, str], str]:
    """(system, code) -> the first display seen, from every coding of every bundle."""
    found: dict[tuple[str, str], str] = {}

    def walk(node: object) -> None:
        if isinstance(node, dict):
            system = SYSTEMS.get(str(node.get("system", "")))
            code, display = node.get("code"), node.get("display")
            if system and isinstance(code, str) and isinstance(display, str) and CODE_SHAPE[system].match(code):
                found.setdefault((system, code), display)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.rglob("*.json")))
    for file in files:
        try:
            walk(json.loads(file.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            print(f"skipped {file}: {e}", file=sys.stderr)
    print(f"{len(files)} files, {len(found)} codes", file=sys.stderr)
    return found


def candidates(system: str, display: str) -> list[str]:
    text = SEMANTIC_TAG.sub("", display).strip()
    out = [text]
    if system == "SNOMED":
        out += [re.sub(r"\s+(disorder|disease)$", "", text, flags=re.I)]
    elif system == "LOINC":
        if LOINC_OTHER_PROPERTY.search(text) or (" in " in text and not LOINC_SPECIMENS.search(text)):
            return out
        component = text
        for cut in LOINC_CUTS:
            component = component.split(cut)[0]
            out.append(component)
    return [c for c in dict.fromkeys(out) if c]


def drug_of(display: str, terms: dict[str, list[str]], category: dict[str, str]) -> str:
    """The one Drug concept a clinical-drug name names, or '' for none or several."""
    words = fold(display).replace("/", " / ").split()
    drugs: list[str] = []
    i = 0
    while i < len(words):
        for j in range(len(words), i, -1):
            hits = [c for c in terms.get(" ".join(words[i:j]), []) if category.get(c) == "Drug"]
            if hits:
                if hits[0] not in drugs:
                    drugs.append(hits[0])
                i = j
                break
        else:
            i += 1
    return drugs[0] if len(drugs) == 1 else ""


def concept_for(system: str, display: str, terms, category) -> str:
    if system == "RXNORM":
        return drug_of(display, terms, category)
    for candidate in candidates(system, display):
        hits = [c for c in terms.get(fold(candidate), []) if category.get(c) in CATEGORIES[system]]
        if hits:
            return hits[0]
    return ""


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    terms, category = load_terms()
    codes = collect([Path(p) for p in sys.argv[1:]])
    rows = []
    for (system, code), display in sorted(codes.items()):
        rows.append(f"{system}\t{code}\t{concept_for(system, display, terms, category)}\t{display}")
    mapped = sum(1 for r in rows if r.split("\t")[2])
    OUT.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} codes, {mapped} mapped to a concept", file=sys.stderr)


if __name__ == "__main__":
    main()
