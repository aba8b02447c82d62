//! Patient readers: three ways into one [`Patient`].
//!
//! * [`profile`] — Eligo's structured JSON profile (schema in `docs/patient-profile.md`);
//! * [`fhir`] — a FHIR R4 `Bundle` (Patient, Condition, MedicationStatement, MedicationRequest,
//!   Observation, Procedure, AllergyIntolerance, Immunization);
//! * [`note`] — a free-text clinical note, read with the vocabulary's mention finder plus assertion
//!   handling (negated, historical, family history, hypothetical), ages, sexes and lab values.
//!
//! Every reader is *total*: bad items never stop good ones. A reader returns a [`ParsedPatient`], the
//! patient built from every valid item plus one [`Rejected`] per item it dropped, naming where (a
//! JSON path or a char span) and why. Nothing here panics on input, and nothing logs patient data.
//!
//! Concepts are resolved with [`eligo_vocab::Vocabulary::embedded`]: an explicit code the vocabulary
//! knows wins, then an exact term lookup, then the mentions found inside the text, so that "Rituxan"
//! becomes `DRUG:rituximab` and "lupus nephritis" keeps its place under SLE in the hierarchy.

pub mod fhir;
pub mod note;
pub mod profile;

mod allergies;
mod build;
mod markers;
mod qualifiers;
mod resolve;
mod timing;

use eligo_model::Patient;
use serde::Serialize;

pub use resolve::resolve_concepts;

/// A patient and the items that could not be used.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct ParsedPatient {
    pub patient: Patient,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejected>,
}

/// One input item that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Where: a JSON path (`labs[1]`, `entry[3].resource`) or `note[12..20]`.
    #[serde(rename = "where")]
    pub location: String,
    pub reason: String,
}

impl Rejected {
    pub fn new(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Rejected { location: location.into(), reason: reason.into() }
    }
}

/// Errors that stop a whole document from being read (every per-item problem is a [`Rejected`]).
#[derive(Debug, thiserror::Error)]
pub enum PatientError {
    #[error("not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("{0}")]
    Shape(String),
}

/// What a patient document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Profile,
    Fhir,
    Note,
}

/// Tells a FHIR bundle from a profile from a note by the first non-blank character and, for JSON,
/// the `resourceType`.
pub fn detect_kind(text: &str) -> InputKind {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        return InputKind::Note;
    }
    match serde_json::from_str::<serde_json::Value>(trimmed) {
        Ok(value) if value.get("resourceType").is_some() => InputKind::Fhir,
        Ok(_) => InputKind::Profile,
        Err(_) => InputKind::Note,
    }
}

/// Reads any of the three forms, detected with [`detect_kind`]. `today` anchors relative times in
/// notes ("4 months ago").
pub fn read_any(text: &str, today: chrono::NaiveDate) -> Result<ParsedPatient, PatientError> {
    match detect_kind(text) {
        InputKind::Profile => profile::read_profile(text),
        InputKind::Fhir => fhir::read_bundle(text),
        InputKind::Note => Ok(note::read_note(text, today)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_told_apart() {
        assert_eq!(detect_kind(r#"{"resourceType":"Bundle","entry":[]}"#), InputKind::Fhir);
        assert_eq!(detect_kind(r#" {"sex":"female"}"#), InputKind::Profile);
        assert_eq!(detect_kind("A 58-year-old woman"), InputKind::Note);
        assert_eq!(detect_kind("{not json at all"), InputKind::Note);
    }
}
