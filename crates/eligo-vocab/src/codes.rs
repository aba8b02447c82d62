//! Codes of the terminologies clinical records carry (SNOMED CT, LOINC, RxNorm, ICD-10), mapped to
//! this vocabulary's concepts.
//!
//! ICD-10-CM codes are concepts here already (`ICD10CM:E11.9`); a code deeper than the vocabulary
//! keeps (`E11.65`) maps to its nearest kept ancestor, and a WHO ICD-10 code to the ICD-10-CM code
//! it shares. SNOMED CT, LOINC and RxNorm codes go through `data/generated/codes.tsv`, built by
//! `scripts/build_code_map.py` from the codes real Synthea bundles carry: a row with a concept maps
//! the code; a row without one records that the code names something the vocabulary lacks, so
//! that a reader does not guess a concept from words its name shares with another ("Platelet mean
//! volume" is not the platelet count).

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use crate::{Concept, Vocabulary};

const CODES_TSV: &str = include_str!("../data/generated/codes.tsv");

/// The code systems a record's codings are mapped from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeSystem {
    Snomed,
    Loinc,
    RxNorm,
    /// ICD-10-CM (US clinical modification).
    Icd10Cm,
    /// WHO ICD-10.
    Icd10,
}

impl CodeSystem {
    /// The system named by a FHIR `Coding.system` URI (with or without a trailing slash).
    pub fn from_uri(uri: &str) -> Option<CodeSystem> {
        Some(match uri.trim_end_matches('/') {
            "http://snomed.info/sct" => CodeSystem::Snomed,
            "http://loinc.org" => CodeSystem::Loinc,
            "http://www.nlm.nih.gov/research/umls/rxnorm" => CodeSystem::RxNorm,
            "http://hl7.org/fhir/sid/icd-10-cm" => CodeSystem::Icd10Cm,
            "http://hl7.org/fhir/sid/icd-10" => CodeSystem::Icd10,
            _ => return None,
        })
    }

    /// The name in the first column of `codes.tsv`.
    fn table_name(self) -> Option<&'static str> {
        match self {
            CodeSystem::Snomed => Some("SNOMED"),
            CodeSystem::Loinc => Some("LOINC"),
            CodeSystem::RxNorm => Some("RXNORM"),
            CodeSystem::Icd10Cm | CodeSystem::Icd10 => None,
        }
    }
}

/// What the vocabulary knows of one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMapping<'a> {
    /// The concept the code means.
    Concept(&'a Concept),
    /// A known code whose meaning the vocabulary has no concept for.
    NoConcept,
    /// A code the mapping table has never seen.
    Unknown,
}

/// `(system, code)` → concept id, empty for a code known to have no concept.
fn table() -> &'static FxHashMap<(&'static str, &'static str), &'static str> {
    static TABLE: OnceLock<FxHashMap<(&'static str, &'static str), &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        CODES_TSV
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(((cols.next()?, cols.next()?), cols.next()?))
            })
            .collect()
    })
}

impl Vocabulary {
    /// The concept a coded value means, as far as this vocabulary knows.
    pub fn map_code(&self, system: CodeSystem, code: &str) -> CodeMapping<'_> {
        let code = code.trim();
        let Some(name) = system.table_name() else { return self.icd10_concept(code) };
        match table().get(&(name, code)) {
            None => CodeMapping::Unknown,
            Some(id) => self.concept(id).map_or(CodeMapping::NoConcept, CodeMapping::Concept),
        }
    }

    /// An ICD-10 code as the ICD-10-CM concept it is, or its nearest ancestor the vocabulary keeps
    /// (characters dropped from the end, never past the three-character category).
    fn icd10_concept(&self, code: &str) -> CodeMapping<'_> {
        let mut code = code.to_ascii_uppercase();
        while code.len() >= 3 {
            if let Some(concept) = self.concept(&format!("ICD10CM:{code}")) {
                return CodeMapping::Concept(concept);
            }
            code.pop();
            if code.ends_with('.') {
                code.pop();
            }
        }
        CodeMapping::Unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(mapping: CodeMapping<'_>) -> Option<&str> {
        match mapping {
            CodeMapping::Concept(c) => Some(c.id.as_str()),
            _ => None,
        }
    }

    #[test]
    fn every_row_names_a_concept_of_the_vocabulary_or_none() {
        let vocab = Vocabulary::embedded();
        for (line_no, line) in CODES_TSV.lines().enumerate() {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "codes.tsv:{}: {line}", line_no + 1);
            assert!(["SNOMED", "LOINC", "RXNORM"].contains(&cols[0]), "codes.tsv:{}", line_no + 1);
            assert!(cols[2].is_empty() || vocab.concept(cols[2]).is_some(), "codes.tsv:{}: {}", line_no + 1, cols[2]);
        }
    }

    #[test]
    fn synthea_codes_map_to_their_concepts() {
        let vocab = Vocabulary::embedded();
        assert_eq!(id(vocab.map_code(CodeSystem::Snomed, "195967001")), Some("ICD10CM:J45"), "asthma");
        assert_eq!(id(vocab.map_code(CodeSystem::Loinc, "4548-4")), Some("ELIGO:lab.hba1c"));
        assert_eq!(id(vocab.map_code(CodeSystem::RxNorm, "860975")), Some("DRUG:metformin"));
        assert_eq!(vocab.map_code(CodeSystem::Loinc, "32623-1"), CodeMapping::NoConcept, "platelet mean volume");
        assert_eq!(vocab.map_code(CodeSystem::Loinc, "0000-0"), CodeMapping::Unknown);
    }

    #[test]
    fn icd10_codes_map_to_the_nearest_kept_code() {
        let vocab = Vocabulary::embedded();
        let system = CodeSystem::from_uri("http://hl7.org/fhir/sid/icd-10-cm/").unwrap();
        assert_eq!(id(vocab.map_code(system, "M32.14")), Some("ICD10CM:M32.14"));
        assert_eq!(id(vocab.map_code(CodeSystem::Icd10, "J45.909")).map(|i| i.starts_with("ICD10CM:J45")), Some(true));
        assert_eq!(vocab.map_code(CodeSystem::Icd10, "ZZ"), CodeMapping::Unknown);
    }
}
