//! Builds the term transducer of the embedded vocabulary at compile time.
//!
//! Every process that reads text (a note, a criterion) walks the vocabulary's terms as a
//! finite-state transducer. Building it from ~70,000 terms took ~0.15 s of each process's start-up,
//! more than `eligo rank` spends screening a thousand pairs; built here, it is embedded as bytes and
//! walked at run time. The set written here may hold more texts than the vocabulary keeps (terms
//! of concepts it filters out): a text the walk accepts is looked up among the vocabulary's own
//! patterns, and a unit test checks that every one of those is here.

#[path = "src/normalize.rs"]
#[allow(dead_code)]
mod normalize;

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::Path;

fn main() {
    let data = Path::new("data");
    let read = |name: &str| {
        let path = data.join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    println!("cargo:rerun-if-changed=src/normalize.rs");
    let curated = read("curated/concepts.tsv") + "\n" + &read("curated/findings.tsv");
    let concepts = read("generated/concepts.tsv");
    let terms = read("generated/terms.tsv");

    let mut texts = BTreeSet::new();
    for line in curated.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
        if let Some(list) = line.split('\t').nth(4) {
            texts.extend(list.split('|').map(str::trim).filter(|t| !t.is_empty()).map(normalize::normalize_term));
        }
    }
    for line in concepts.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        if let [_, category, name, ..] = cols.as_slice() {
            let names = normalize::eponym_names(name)
                .into_iter()
                .chain(normalize::enzyme_class_names(*category == "DrugClass", name));
            texts.extend(names.map(|t| normalize::normalize_term(&t)));
        }
    }
    for line in terms.lines() {
        if let Some((id, term)) = line.split_once('\t') {
            texts.insert(normalize::normalize_term(term));
            texts.insert(term.to_string());
            if id.starts_with("MESH:") {
                let written = if term.contains('-') { normalize::normalize_term(term) } else { term.to_string() };
                texts.extend(normalize::singular_term(&written));
            }
        }
    }
    texts.remove("");
    let set = fst::Set::from_iter(texts.iter()).expect("a BTreeSet is sorted and unique");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("terms.fst");
    fs::write(&out, set.as_fst().as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
}
