//! Parses the embedded phenotype tables and builds the finder's pattern table at compile time.
//!
//! Every process that reads a note finds HPO terms in it and proposes diagnoses, which needs the
//! parsed ontology (~0.31 G instructions to parse from TSV) and the finder's transducer of the
//! normalised term names and synonyms (~0.25 G to build). Both are made here, with the crate's own
//! code (`Ontology::from_tsv`, `PatternTable::build`), and embedded as bytes that a process reads
//! without parsing text. Unit tests check that the embedded bytes equal what the crate builds
//! from the same files at run time.

#[path = "src/ontology.rs"]
#[allow(dead_code)]
mod ontology;
#[path = "src/patterns.rs"]
#[allow(dead_code)]
mod patterns;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let read = |name: &str| {
        let path = Path::new("data").join(name);
        println!("cargo:rerun-if-changed={}", path.display());
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    println!("cargo:rerun-if-changed=src/ontology.rs");
    println!("cargo:rerun-if-changed=src/patterns.rs");
    let ontology = ontology::Ontology::from_tsv(&read("hpo_terms.tsv"), &read("disease_phenotypes.tsv"))
        .unwrap_or_else(|e| panic!("the phenotype tables are malformed: {e}"));
    let patterns = patterns::PatternTable::build(ontology.names());
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for (file, bytes) in [
        ("ontology.bin", ontology.to_bytes()),
        ("hpo_patterns.fst", patterns.map.clone()),
        ("hpo_pattern_slots.bin", patterns.slots_to_bytes()),
    ] {
        let path = out.join(file);
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
