//! A patient as the matcher sees one: facts with their evidence.
//!
//! Three readers (a structured JSON profile, a FHIR R4 bundle, a free-text note) produce the same
//! [`Patient`], so that the evaluator has one input shape. Every fact keeps where it came from
//! ([`Evidence`]: the source, a JSON path or a char span in the note) because a verdict is only as
//! useful as the chart lines it points at. Facts also keep their *assertion*: a note that says
//! "no history of diabetes" or "mother had breast cancer" yields facts too, but not facts about the
//! patient having those conditions; the evaluator uses explicit absences to answer `not_met`
//! instead of `unknown`.
//!
//! Dates are calendar dates ([`chrono::NaiveDate`]); ages and time windows are computed against an
//! evaluation date chosen by the caller, never against the wall clock here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::criteria::{ConceptRef, ConditionStatus, Qualifier, Span};
use crate::trial::GeoPoint;

/// The patient's sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PatientSex {
    Female,
    Male,
    Other,
}

/// Which reader produced a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactSource {
    Profile,
    Fhir,
    Note,
    /// An answer to a pre-screening question, merged back into the profile.
    Answer,
}

/// Where a fact was read: a JSON path (`conditions[2]`, `entry[4].resource`) or a char span of a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub source: FactSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The text the fact was read from (the note words, or the item's display text).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
}

/// Whether a mention is about the patient, now or in the past, or about something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Assertion {
    /// The patient has or had it.
    #[default]
    Present,
    /// The patient had it in the past and no longer has it ("history of", resolved, stopped).
    Historical,
    /// Explicitly absent ("denies smoking", "no history of diabetes").
    Absent,
    /// About a relative ("mother had breast cancer"): not the patient's.
    Family,
    /// About another person who is no blood relative ("her husband was diagnosed with colon
    /// cancer", "a coworker has tuberculosis"): neither the patient's nor family history.
    Other,
    /// Conditional or suspected ("rule out", "if symptoms recur"): not established.
    Hypothetical,
    /// Planned, recommended or offered, not yet given ("scheduled to start chemotherapy", "will be
    /// referred for surgery"): not the patient's history.
    Planned,
}

impl Assertion {
    /// Whether the fact says the patient has or had the thing.
    pub fn is_patients(self) -> bool {
        matches!(self, Assertion::Present | Assertion::Historical)
    }
}

/// What a clinical fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Condition,
    Medication,
    Procedure,
    Allergy,
    Vaccination,
}

/// An amount with its unit ("10 mg/day", "25 mL/min/1.73m2").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// A condition, medication, procedure, allergy or vaccination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClinicalFact {
    pub kind: FactKind,
    /// The words as recorded ("Rituxan", "lupus nephritis").
    pub text: String,
    /// Vocabulary concepts the text names; empty when the vocabulary does not know it (the fact is
    /// kept, and can still be matched by text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<ConceptRef>,
    #[serde(default)]
    pub assertion: Assertion,
    /// Disease status for conditions (active, remission, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConditionStatus>,
    /// What narrows the condition: stage, severity, course, subtype, markers ("stage II",
    /// "relapsing-remitting", "HER2-positive").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
    /// Onset, start of a medication, date of a procedure or vaccination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Resolution or stop date; `None` with a start means ongoing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
    /// Dose of a medication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dose: Option<Quantity>,
    pub evidence: Evidence,
}

/// A lab value, vital sign or score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The test as recorded ("eGFR", "Hemoglobin").
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<ConceptRef>,
    pub value: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Upper limit of normal, when the source gives a reference range (for "≤ 2 × ULN" thresholds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_high: Option<f64>,
    /// Lower limit of normal, when the source gives a reference range (for "≥ LLN" thresholds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_low: Option<f64>,
    pub evidence: Evidence,
}

/// A stated age, for sources without a birth date ("a 58-year-old woman").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatedAge {
    pub years: f64,
    /// The date the age was true on; `None` means "at the evaluation date".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    pub evidence: Evidence,
}

/// A value with the evidence it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Noted<T> {
    pub value: T,
    pub evidence: Evidence,
}

/// Everything known about one patient.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Patient {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<Noted<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<StatedAge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Noted<PatientSex>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<ClinicalFact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Observation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pregnant: Option<Noted<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lactating: Option<Noted<bool>>,
    /// Whether the patient could become pregnant, when the record or an answer says so; else the
    /// matcher infers it from sex, age and recorded menopause or sterilisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub childbearing_potential: Option<Noted<bool>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Noted<GeoPoint>>,
    /// What the record says about taking part: `true` for "will provide informed consent and
    /// comply with the protocol", `false` for "declined to take part"; `None` when it is silent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Noted<bool>>,
}

impl Patient {
    /// Age in years on `on`: from the birth date when known, else from a stated age (shifted by the
    /// time between the date it was stated and `on`).
    pub fn age_years(&self, on: NaiveDate) -> Option<f64> {
        if let Some(birth) = &self.birth_date {
            let days = (on - birth.value).num_days() as f64;
            return Some(days / 365.25);
        }
        let stated = self.age.as_ref()?;
        let elapsed = stated.as_of.map_or(0.0, |d| (on - d).num_days() as f64 / 365.25);
        Some(stated.years + elapsed)
    }

    /// Facts of one kind that are about the patient (present or historical).
    pub fn patients_facts(&self, kind: FactKind) -> impl Iterator<Item = &ClinicalFact> {
        self.facts.iter().filter(move |f| f.kind == kind && f.assertion.is_patients())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence() -> Evidence {
        Evidence { source: FactSource::Profile, path: None, span: None, text: String::new() }
    }

    #[test]
    fn age_comes_from_birth_date_first() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let mut patient = Patient {
            birth_date: Some(Noted { value: NaiveDate::from_ymd_opt(2014, 5, 1).unwrap(), evidence: evidence() }),
            age: Some(StatedAge { years: 40.0, as_of: None, evidence: evidence() }),
            ..Patient::default()
        };
        let age = patient.age_years(on).unwrap();
        assert!((12.0..13.0).contains(&age), "{age}");
        patient.birth_date = None;
        assert_eq!(patient.age_years(on), Some(40.0));
    }

    #[test]
    fn stated_age_moves_with_the_evaluation_date() {
        let stated_on = NaiveDate::from_ymd_opt(2024, 11, 23).unwrap();
        let patient = Patient {
            age: Some(StatedAge { years: 58.0, as_of: Some(stated_on), evidence: evidence() }),
            ..Patient::default()
        };
        let age = patient.age_years(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).unwrap();
        assert!((age - 60.0).abs() < 0.01, "{age}");
    }

    #[test]
    fn family_and_negated_facts_are_not_the_patients() {
        assert!(Assertion::Present.is_patients());
        assert!(Assertion::Historical.is_patients());
        assert!(!Assertion::Family.is_patients());
        assert!(!Assertion::Other.is_patients());
        assert!(!Assertion::Absent.is_patients());
        assert!(!Assertion::Hypothetical.is_patients());
    }
}
