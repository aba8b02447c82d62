//! Builders shared by the matcher's tests: hand-built criteria and profiles.

#![allow(dead_code)] // each test file uses a different part of this module

use chrono::NaiveDate;
use eligo_model::{Comparison, Computable, ConceptRef, Criterion, Operator, Patient, Section};
use eligo_patient::profile::read_profile;

pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

pub fn concept(id: &str, name: &str) -> ConceptRef {
    ConceptRef { id: id.into(), name: name.into() }
}

pub fn criterion(section: Section, text: &str, computable: Computable) -> Criterion {
    Criterion {
        section,
        start: 0,
        end: text.chars().count(),
        text: text.into(),
        computable: vec![computable],
        negated: false,
        entities: Vec::new(),
        applies_if: Default::default(),
    }
}

pub fn comparison(operator: Operator, value: f64, unit: Option<&str>) -> Comparison {
    Comparison::new(operator, value, None, unit)
}

pub fn profile(json: &str) -> Patient {
    let parsed = read_profile(json).unwrap();
    assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
    parsed.patient
}

/// The finding of the one criterion `criteria_text` (free text, parsed by the criteria engine) of
/// a trial for `conditions`, for the patient `record` describes (a note, a profile or a FHIR
/// Bundle, as `eligo match` reads it).
pub fn screen_one(criteria_text: &str, conditions: &[&str], record: &str) -> eligo_match::Finding {
    let trial = eligo_model::Trial {
        id: "NCT00000009".into(),
        conditions: conditions.iter().map(|c| c.to_string()).collect(),
        criteria: eligo_criteria::parse_criteria(criteria_text),
        ..eligo_model::Trial::default()
    };
    let patient = eligo_patient::read_any(record, as_of()).unwrap().patient;
    let prepared = eligo_match::PreparedPatient::new(&patient);
    let screening = eligo_match::PreparedTrial::new(&trial).screen(&prepared, as_of());
    assert_eq!(screening.results.len(), 1, "{:?}", screening.results);
    screening.results[0].finding.clone()
}

/// [`screen_one`]'s outcome and reason, what most end-to-end tests assert on.
pub fn outcome_of(criteria_text: &str, conditions: &[&str], record: &str) -> (eligo_match::Outcome, String) {
    let finding = screen_one(criteria_text, conditions, record);
    (finding.outcome, finding.reason)
}
