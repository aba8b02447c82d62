//! Pre-screening answers turned into patient facts.
//!
//! The questions engine keys each question by the fact it asks about. To
//! turn an answer back into a fact we need what the question was computed
//! from, so the questions offered here are those of the trial's computable
//! criteria (plus age, sex, pregnancy), each paired with its computable:
//! "yes" becomes a present fact with the criterion's concepts, "no" an
//! explicitly absent one, a number a lab observation. Facts carry
//! `FactSource::Answer` evidence naming the question, so the verdict shows
//! which answer decided a criterion. Questions whose answers we could not
//! record faithfully are not asked.

use chrono::{Duration as Days, NaiveDate};
use eligo_match::{evaluate, PreparedPatient, PreparedTrial, Question};
use eligo_model::{
    Assertion, ClinicalFact, Computable, ConceptRef, Evidence, FactKind, FactSource, Noted, Observation, Patient,
    PatientSex, PregnancyState, StatedAge, TimeWindow, Trial,
};

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerKind {
    Age,
    Sex,
    /// Yes / no for a condition, drug or procedure (the computable's concepts).
    Presence {
        kind: FactKind,
        concepts: Vec<ConceptRef>,
        window: Option<TimeWindow>,
    },
    Pregnancy(PregnancyState),
    /// A number for a lab test, in the unit the criterion uses.
    Lab {
        test: ConceptRef,
        unit: Option<String>,
    },
}

/// A question this trial's criteria raise for someone we know nothing about.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub question: Question,
    pub kind: AnswerKind,
}

/// The answerable questions of a trial, each once, in criterion order.
pub fn questions_for(trial: &Trial, as_of: NaiveDate) -> Vec<Ask> {
    let nobody = Patient::default();
    let prepared_patient = PreparedPatient::new(&nobody);
    let prepared = PreparedTrial::new(trial);
    let mut asks: Vec<Ask> = Vec::new();
    for computable in prepared.criteria.iter().flat_map(|c| &c.computable) {
        let Some(question) = evaluate(computable, &prepared_patient, as_of).question else { continue };
        let Some(kind) = answer_kind(computable) else { continue };
        if !asks.iter().any(|a| a.question.key == question.key) {
            asks.push(Ask { question, kind });
        }
    }
    asks
}

fn answer_kind(computable: &Computable) -> Option<AnswerKind> {
    Some(match computable {
        Computable::Age { .. } => AnswerKind::Age,
        Computable::Sex { .. } => AnswerKind::Sex,
        Computable::Condition { concepts, window, .. } | Computable::Infection { concepts, window, .. } => {
            AnswerKind::Presence { kind: FactKind::Condition, concepts: concepts.clone(), window: window.clone() }
        }
        Computable::PriorTherapy { drugs, window, .. } => {
            AnswerKind::Presence { kind: FactKind::Medication, concepts: drugs.clone(), window: window.clone() }
        }
        Computable::Procedure { concepts, window } => {
            AnswerKind::Presence { kind: FactKind::Procedure, concepts: concepts.clone(), window: window.clone() }
        }
        Computable::Pregnancy { state: state @ (PregnancyState::Pregnant | PregnancyState::Lactating) } => {
            AnswerKind::Pregnancy(*state)
        }
        Computable::Lab { test, comparison, uln_multiple: false, .. } => {
            AnswerKind::Lab { test: test.clone(), unit: comparison.unit.clone() }
        }
        _ => return None,
    })
}

/// Form field name of a question's answer.
pub fn field_name(key: &str) -> String {
    format!("a.{key}")
}

/// Builds the patient from submitted form fields; unanswered questions stay
/// unknown, and unreadable numbers are reported back by question.
pub fn patient_from_answers(asks: &[Ask], fields: &[(String, String)], as_of: NaiveDate) -> (Patient, Vec<String>) {
    let mut patient = Patient::default();
    let mut problems = Vec::new();
    for ask in asks {
        let name = field_name(&ask.question.key);
        let Some(value) = fields.iter().find(|(k, _)| *k == name).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
        else {
            continue;
        };
        if let Err(problem) = record(&mut patient, ask, value, as_of) {
            problems.push(format!("{} {problem}", ask.question.text));
        }
    }
    (patient, problems)
}

fn record(patient: &mut Patient, ask: &Ask, value: &str, as_of: NaiveDate) -> Result<(), String> {
    let evidence = Evidence {
        source: FactSource::Answer,
        path: Some(field_name(&ask.question.key)),
        span: None,
        text: format!("{} — {value}", ask.question.text),
    };
    let number = || value.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or("needs a number".to_string());
    let yes = || match value {
        "yes" => Ok(true),
        "no" => Ok(false),
        _ => Err("needs yes or no".to_string()),
    };
    match &ask.kind {
        AnswerKind::Age => {
            let years =
                number()
                    .and_then(|n| if (0.0..=130.0).contains(&n) { Ok(n) } else { Err("is out of range".into()) })?;
            patient.age = Some(StatedAge { years, as_of: Some(as_of), evidence });
        }
        AnswerKind::Sex => {
            let sex = match value {
                "female" => PatientSex::Female,
                "male" => PatientSex::Male,
                _ => return Err("needs female or male".into()),
            };
            patient.sex = Some(Noted { value: sex, evidence });
        }
        AnswerKind::Presence { kind, concepts, window } => {
            let present = yes()?;
            patient.facts.push(ClinicalFact {
                kind: *kind,
                text: concepts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" or "),
                concepts: concepts.clone(),
                assertion: if present { Assertion::Present } else { Assertion::Absent },
                status: None,
                start: present.then(|| start_inside(window.as_ref(), as_of)),
                end: None,
                dose: None,
                evidence,
            });
        }
        AnswerKind::Pregnancy(state) => {
            let noted = Some(Noted { value: yes()?, evidence });
            match state {
                PregnancyState::Lactating => patient.lactating = noted,
                _ => patient.pregnant = noted,
            }
        }
        AnswerKind::Lab { test, unit } => {
            patient.observations.push(Observation {
                text: test.name.clone(),
                test: Some(test.clone()),
                value: number()?,
                unit: unit.clone(),
                date: Some(as_of),
                reference_high: None,
                evidence,
            });
        }
    }
    Ok(())
}

/// "Yes" to "... in the last 6 months" / "... more than 4 weeks ago" means
/// a date inside that window; we record the latest date that satisfies it.
fn start_inside(window: Option<&TimeWindow>, as_of: NaiveDate) -> NaiveDate {
    let ago = window.and_then(|w| w.at_least_ago).map_or(0.0, |d| d.as_days().ceil() + 1.0);
    as_of - Days::days(ago as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_match::Outcome;
    use eligo_model::{Criterion, Section};

    fn trial_with(computable: Computable, section: Section) -> Trial {
        let criterion = Criterion {
            section,
            start: 0,
            end: 10,
            text: "criterion".into(),
            computable: vec![computable],
            negated: false,
            entities: Vec::new(),
        };
        Trial { id: "NCT1".into(), criteria: vec![criterion], ..Trial::default() }
    }

    fn lupus() -> Vec<ConceptRef> {
        vec![ConceptRef { id: "MESH:D008180".into(), name: "systemic lupus erythematosus".into() }]
    }

    #[test]
    fn a_yes_answer_meets_a_condition_criterion_and_a_no_does_not() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let trial =
            trial_with(Computable::Condition { concepts: lupus(), status: None, window: None }, Section::Inclusion);
        let asks = questions_for(&trial, as_of);
        assert_eq!(asks.len(), 1, "{asks:?}");
        let field = field_name(&asks[0].question.key);
        for (answer, expected) in [("yes", Outcome::Met), ("no", Outcome::NotMet)] {
            let (patient, problems) = patient_from_answers(&asks, &[(field.clone(), answer.into())], as_of);
            assert!(problems.is_empty());
            let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of);
            let result = screening.results.iter().find(|r| r.text == "criterion").unwrap();
            assert_eq!(result.finding.outcome, expected, "{answer}: {}", result.finding.reason);
            assert!(result.finding.evidence.iter().all(|e| e.source == FactSource::Answer));
        }
    }

    #[test]
    fn unreadable_answers_are_reported_and_left_unknown() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let asks = vec![Ask {
            question: Question { key: "age".into(), text: "How old are you?".into() },
            kind: AnswerKind::Age,
        }];
        let (patient, problems) = patient_from_answers(&asks, &[("a.age".into(), "old".into())], as_of);
        assert_eq!(problems, ["How old are you? needs a number"]);
        assert!(patient.age.is_none());
        let (patient, _) = patient_from_answers(&asks, &[("a.age".into(), "44".into())], as_of);
        assert_eq!(patient.age.map(|a| a.years), Some(44.0));
    }
}
