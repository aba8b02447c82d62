//! The check-my-eligibility form's fields, read as answers to the questions engine.
//!
//! The form offers the questions a trial raises for someone we know nothing about
//! ([`eligo_match::open_asks`] for an empty patient); each answer field is named after its
//! question's key, and [`eligo_match::apply_answers`] turns the submitted fields into patient
//! facts.

use chrono::NaiveDate;
use eligo_match::{answered_patient, open_asks, Ask, PreparedPatient, PreparedTrial};
use eligo_model::{Patient, Trial};

/// The answerable questions of a trial, each once, in criterion order.
pub fn questions_for(trial: &Trial, as_of: NaiveDate) -> Vec<Ask> {
    let nobody = Patient::default();
    open_asks(&PreparedTrial::new(trial), &PreparedPatient::new(&nobody), as_of)
}

/// Prefix of answer fields, which keeps them apart from any other form field.
const FIELD_PREFIX: &str = "a.";

/// Form field name of a question's answer.
pub fn field_name(key: &str) -> String {
    format!("{FIELD_PREFIX}{key}")
}

/// Builds the patient from submitted form fields for the questions `trials` raise; unanswered
/// questions stay unknown, and unreadable answers are reported back by question.
pub fn patient_from_answers(
    trials: &[PreparedTrial],
    fields: &[(String, String)],
    as_of: NaiveDate,
) -> (Patient, Vec<String>) {
    let answers: Vec<(String, String)> = fields
        .iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(FIELD_PREFIX)?.to_string(), value.clone())))
        .collect();
    let (patient, _, problems) = answered_patient(trials, &answers, as_of);
    (patient, problems.iter().map(ToString::to_string).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_match::Outcome;
    use eligo_model::{Computable, ConceptRef, Criterion, FactSource, Section};

    #[test]
    fn form_fields_become_answers_and_other_fields_are_ignored() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let lupus = vec![ConceptRef { id: "MESH:D008180".into(), name: "systemic lupus erythematosus".into() }];
        let criterion = Criterion {
            section: Section::Inclusion,
            start: 0,
            end: 10,
            text: "criterion".into(),
            computable: vec![Computable::Condition {
                concepts: lupus,
                status: None,
                window: None,
                scope: Default::default(),
            }],
            negated: false,
            entities: Vec::new(),
            applies_if: Default::default(),
        };
        let trial = Trial { id: "NCT1".into(), criteria: vec![criterion], ..Trial::default() };
        let asks = questions_for(&trial, as_of);
        assert_eq!(asks.len(), 1, "{asks:?}");
        let fields = vec![(field_name(&asks[0].question.key), "yes".to_string()), ("csrf".into(), "x".into())];
        let (patient, problems) = patient_from_answers(&[PreparedTrial::new(&trial)], &fields, as_of);
        assert!(problems.is_empty(), "{problems:?}");
        let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of);
        let result = screening.results.iter().find(|r| r.text == "criterion").unwrap();
        assert_eq!(result.finding.outcome, Outcome::Met);
        assert!(result.finding.evidence.iter().all(|e| e.source == FactSource::Answer));
    }
}
