//! Answers to pre-screening questions, merged back into the patient.
//!
//! A [`Question`] says what is unknown; to turn its answer into a patient fact we also need what
//! the question was computed from: the criterion's concepts and time window, or the lab test and
//! unit. An [`Ask`] pairs the two, so "yes" to "Have you received rituximab in the last 6
//! months?" becomes a present rituximab fact dated inside the window, "no" an explicitly absent
//! one, and a number a lab observation in the criterion's unit. Every fact made this way carries
//! [`FactSource::Answer`] evidence naming the question's key and, in the plain words the questions
//! use ([`AnswerKind::topic`]), what was answered, so a verdict shows which answer decided a
//! criterion. Questions whose answers could not be recorded faithfully (a score, a ULN multiple)
//! are not offered as asks.

use chrono::NaiveDate;
use eligo_model::{
    Assertion, ClinicalFact, Computable, ConceptRef, ConditionStatus, Evidence, FactKind, FactSource, Noted,
    Observation, Patient, PatientSex, PregnancyState, Qualifier, StatedAge, TimeWindow,
};
use serde::Serialize;

use crate::evaluate::{evaluate, Outcome, Question};
use crate::lay;
use crate::prepared::PreparedPatient;
use crate::screen::PreparedTrial;

/// What an answer records.
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
    /// Yes / no for a qualifier of a condition the patient has ("Is your multiple sclerosis
    /// progressive?"): the answer records the condition with the qualifier, or with its denial.
    Qualifier {
        concepts: Vec<ConceptRef>,
        qualifier: Qualifier,
    },
    Pregnancy(PregnancyState),
    /// A number for a lab test, in the unit the criterion uses.
    Lab {
        test: ConceptRef,
        unit: Option<String>,
    },
}

/// The shape of answer a question takes, for a form or an answers file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerFormat {
    /// `"yes"` or `"no"` (or JSON `true` / `false`).
    YesNo,
    /// `"female"` or `"male"`.
    Sex,
    /// A number, in `unit` when one is given.
    Number {
        #[serde(skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
    },
}

impl AnswerKind {
    fn of(computable: &Computable) -> Option<AnswerKind> {
        Some(match computable {
            Computable::Age { .. } => AnswerKind::Age,
            Computable::Sex { .. } => AnswerKind::Sex,
            // A relative's disease is no fact of the patient's to record (see `evaluate_in_relatives`).
            Computable::Condition { status: Some(ConditionStatus::Family), .. } => return None,
            Computable::Condition { concepts, window, .. } | Computable::Infection { concepts, window, .. } => {
                AnswerKind::Presence { kind: FactKind::Condition, concepts: concepts.clone(), window: window.clone() }
            }
            Computable::PriorTherapy { drugs, window, .. } => {
                AnswerKind::Presence { kind: FactKind::Medication, concepts: drugs.clone(), window: window.clone() }
            }
            Computable::Procedure { concepts, window, .. } => {
                AnswerKind::Presence { kind: FactKind::Procedure, concepts: concepts.clone(), window: window.clone() }
            }
            Computable::Allergy { substances } => {
                AnswerKind::Presence { kind: FactKind::Allergy, concepts: substances.clone(), window: None }
            }
            Computable::Pregnancy {
                state:
                    state @ (PregnancyState::Pregnant | PregnancyState::Lactating | PregnancyState::ChildbearingPotential),
            } => AnswerKind::Pregnancy(*state),
            // A limit relative to the lab's own reference range cannot be answered as a number.
            Computable::Lab { test, comparison, uln_multiple: false, .. }
                if comparison.unit.as_deref() != Some(eligo_model::LOWER_LIMIT_UNIT) =>
            {
                AnswerKind::Lab { test: test.clone(), unit: comparison.unit.clone() }
            }
            _ => return None,
        })
    }

    /// What an answer is about, in the plain words the questions use: "rituximab (Rituxan,
    /// MabThera) in the last 6 months", "kidney function (eGFR)".
    pub fn topic(&self) -> String {
        match self {
            AnswerKind::Age => "your age".into(),
            AnswerKind::Sex => "your sex".into(),
            AnswerKind::Pregnancy(PregnancyState::Lactating) => "breastfeeding".into(),
            AnswerKind::Pregnancy(PregnancyState::ChildbearingPotential) => "being able to become pregnant".into(),
            AnswerKind::Pregnancy(_) => "pregnancy".into(),
            AnswerKind::Presence { concepts, window, .. } => {
                format!("{}{}", lay::lay_list(concepts, "or"), lay::window_words(window.as_ref()))
            }
            AnswerKind::Qualifier { concepts, qualifier } => {
                format!("{} ({})", lay::lay_list(concepts, "or"), qualifier.value)
            }
            AnswerKind::Lab { test, .. } => lay::lay_name(test),
        }
    }

    /// The shape of answer this kind takes.
    pub fn format(&self) -> AnswerFormat {
        match self {
            AnswerKind::Age => AnswerFormat::Number { unit: Some("years".into()) },
            AnswerKind::Sex => AnswerFormat::Sex,
            AnswerKind::Presence { .. } | AnswerKind::Qualifier { .. } | AnswerKind::Pregnancy(_) => {
                AnswerFormat::YesNo
            }
            AnswerKind::Lab { unit, .. } => AnswerFormat::Number { unit: unit.clone() },
        }
    }
}

/// A question together with what its answer records.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub question: Question,
    pub kind: AnswerKind,
    /// The readings that raise the question (what a page checks to say whether it can be put to
    /// a person) and the texts of their criteria (why it is asked), each once.
    pub readings: Vec<Computable>,
    pub why: Vec<String>,
}

/// The answerable questions `trial` leaves open for `patient`, each once, in criterion order.
/// For someone we know nothing about (`Patient::default()`) these are all the trial's questions.
pub fn open_asks(trial: &PreparedTrial, patient: &PreparedPatient, as_of: NaiveDate) -> Vec<Ask> {
    let mut asks = Vec::new();
    add_open_asks(&mut asks, trial, patient, as_of);
    asks
}

/// The answerable questions open in any of `trials`, each once, in first-seen order.
pub fn pool_asks<'a, 't: 'a>(
    trials: impl IntoIterator<Item = &'a PreparedTrial<'t>>,
    patient: &PreparedPatient,
    as_of: NaiveDate,
) -> Vec<Ask> {
    let mut asks = Vec::new();
    for trial in trials {
        add_open_asks(&mut asks, trial, patient, as_of);
    }
    asks
}

/// The patient `answers` (question key, answer) describe, for the questions `trials` raise: those
/// put to anyone, and those an earlier answer raises (whether the multiple sclerosis someone said
/// they have is progressive). Returns the patient, every question that could be answered, and the
/// answers that could not be recorded.
pub fn answered_patient<'a, 't: 'a>(
    trials: &'a [PreparedTrial<'t>],
    answers: &[(String, String)],
    as_of: NaiveDate,
) -> (Patient, Vec<Ask>, Vec<AnswerProblem>) {
    let nobody = Patient::default();
    let mut asks = pool_asks(trials, &PreparedPatient::new(&nobody), as_of);
    let pairs = || answers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
    let mut first = Patient::default();
    apply_answers(&mut first, &asks, pairs(), as_of);
    let prepared = PreparedPatient::new(&first);
    for trial in trials {
        add_open_asks(&mut asks, trial, &prepared, as_of);
    }
    let mut patient = Patient::default();
    let problems = apply_answers(&mut patient, &asks, pairs(), as_of);
    (patient, asks, problems)
}

fn add_open_asks(asks: &mut Vec<Ask>, trial: &PreparedTrial, patient: &PreparedPatient, as_of: NaiveDate) {
    for criterion in &trial.criteria {
        for computable in &criterion.computable {
            let finding = evaluate(computable, patient, as_of);
            if finding.outcome != Outcome::Unknown {
                continue;
            }
            let Some(question) = finding.question else { continue };
            let Some(kind) = qualifier_asked(&question, computable).or_else(|| AnswerKind::of(computable)) else {
                continue;
            };
            let index = match asks.iter().position(|a| a.question.key == question.key) {
                Some(index) => index,
                None => {
                    asks.push(Ask { question, kind, readings: Vec::new(), why: Vec::new() });
                    asks.len() - 1
                }
            };
            let ask = &mut asks[index];
            if !ask.readings.contains(computable) {
                ask.readings.push(computable.clone());
            }
            if !ask.why.contains(&criterion.text) {
                ask.why.push(criterion.text.clone());
            }
        }
    }
}

/// The qualifier a question asks about (its key is `qualifier:<concept>:<value>`), with the
/// reading's concepts.
fn qualifier_asked(question: &Question, computable: &Computable) -> Option<AnswerKind> {
    let value = question.key.strip_prefix("qualifier:")?.rsplit_once(':')?.1;
    let (concepts, scope) = match computable {
        Computable::Condition { concepts, scope, .. } | Computable::Infection { concepts, scope, .. } => {
            (concepts, scope)
        }
        _ => return None,
    };
    let qualifier = scope.qualifiers.iter().find(|q| q.value == value)?;
    Some(AnswerKind::Qualifier { concepts: concepts.clone(), qualifier: qualifier.clone() })
}

/// An answer as JSON carries it: `"yes"`, `true`, `42`, `"female"`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
pub enum AnswerValue {
    Flag(bool),
    Number(f64),
    Text(String),
}

impl std::fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerValue::Flag(yes) => f.write_str(if *yes { "yes" } else { "no" }),
            AnswerValue::Number(number) => write!(f, "{number}"),
            AnswerValue::Text(text) => f.write_str(text),
        }
    }
}

/// Answers by question key, as an answers file or an API request holds them.
pub type Answers = std::collections::BTreeMap<String, AnswerValue>;

/// [`apply_answers`] for answers read from JSON.
pub fn apply_answer_map(
    patient: &mut Patient,
    asks: &[Ask],
    answers: &Answers,
    as_of: NaiveDate,
) -> Vec<AnswerProblem> {
    let texts: Vec<(&str, String)> = answers.iter().map(|(key, value)| (key.as_str(), value.to_string())).collect();
    apply_answers(patient, asks, texts.iter().map(|(key, text)| (*key, text.as_str())), as_of)
}

/// An answer that could not be recorded; the question stays open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{question}: {reason}")]
pub struct AnswerProblem {
    pub key: String,
    /// What the question is about in plain words ([`AnswerKind::topic`]), or the key when no open
    /// question has it.
    pub question: String,
    pub reason: String,
}

/// Records `answers` (question key, answer text) in `patient`. Blank answers are skipped (the
/// question stays open); answers that cannot be read, or whose key no ask has, are returned as
/// problems and change nothing.
pub fn apply_answers<'v>(
    patient: &mut Patient,
    asks: &[Ask],
    answers: impl IntoIterator<Item = (&'v str, &'v str)>,
    as_of: NaiveDate,
) -> Vec<AnswerProblem> {
    let mut problems = Vec::new();
    for (key, value) in answers {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let Some(ask) = asks.iter().find(|a| a.question.key == key) else {
            problems.push(AnswerProblem {
                key: key.to_string(),
                question: key.to_string(),
                reason: "no open question has this key".into(),
            });
            continue;
        };
        if let Err(reason) = record(patient, ask, value, as_of) {
            problems.push(AnswerProblem { key: key.to_string(), question: ask.kind.topic(), reason });
        }
    }
    problems
}

fn record(patient: &mut Patient, ask: &Ask, value: &str, as_of: NaiveDate) -> Result<(), String> {
    let evidence = Evidence {
        source: FactSource::Answer,
        path: Some(ask.question.key.clone()),
        span: None,
        text: format!("Your answer about {}: {value}", ask.kind.topic()),
    };
    let number = || value.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or("needs a number".to_string());
    let yes = || match value.to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
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
            let sex = match value.to_ascii_lowercase().as_str() {
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
                qualifiers: Vec::new(),
                start: present.then(|| start_inside(window.as_ref(), as_of)),
                end: None,
                dose: None,
                evidence,
            });
        }
        AnswerKind::Qualifier { concepts, qualifier } => {
            let carried = if yes()? {
                qualifier.clone()
            } else {
                Qualifier { value: format!("{}{}", crate::evaluate::DENIED, qualifier.value), ..qualifier.clone() }
            };
            patient.facts.push(ClinicalFact {
                kind: FactKind::Condition,
                text: concepts.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(" or "),
                concepts: concepts.clone(),
                assertion: Assertion::Present,
                status: None,
                qualifiers: vec![carried],
                start: None,
                end: None,
                dose: None,
                evidence,
            });
        }
        AnswerKind::Pregnancy(state) => {
            let noted = Some(Noted { value: yes()?, evidence });
            match state {
                PregnancyState::Lactating => patient.lactating = noted,
                PregnancyState::ChildbearingPotential => patient.childbearing_potential = noted,
                _ => patient.pregnant = noted,
            }
        }
        AnswerKind::Lab { test, unit } => {
            let (value, unit) = lab_answer(value, unit.as_deref())?;
            patient.observations.push(Observation {
                text: test.name.clone(),
                test: Some(test.clone()),
                value,
                unit,
                date: Some(as_of),
                reference_high: None,
                reference_low: None,
                evidence,
            });
        }
    }
    Ok(())
}

/// A lab answer: "positive" / "negative" for a test asked that way, else a number, optionally
/// followed by the unit the person chose ("75 ml/min"; the criterion's unit when none is given).
fn lab_answer(value: &str, asked_unit: Option<&str>) -> Result<(f64, Option<String>), String> {
    let lower = value.to_ascii_lowercase();
    if matches!(asked_unit, Some("positive" | "negative")) {
        return match lower.as_str() {
            "positive" => Ok((1.0, Some("positive".into()))),
            "negative" => Ok((1.0, Some("negative".into()))),
            _ => Err("needs positive or negative".into()),
        };
    }
    let (number, unit) = match value.split_once(char::is_whitespace) {
        Some((number, unit)) if !unit.trim().is_empty() => (number, Some(unit.trim().to_string())),
        _ => (value, asked_unit.map(str::to_string)),
    };
    let number = number.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or("needs a number".to_string())?;
    Ok((number, unit))
}

/// "Yes" to "... in the last 6 months" / "... more than 4 weeks ago" means a date inside that
/// window; we record the latest date that satisfies it.
fn start_inside(window: Option<&TimeWindow>, as_of: NaiveDate) -> NaiveDate {
    let ago = window.and_then(|w| w.at_least_ago).map_or(0.0, |d| d.as_days().ceil() + 1.0);
    crate::evaluate::days_before(as_of, ago)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{Comparison, Criterion, Duration, Operator, Section, TimeUnit, Trial};

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn trial_with(computable: Computable, section: Section) -> Trial {
        let criterion = Criterion {
            section,
            start: 0,
            end: 10,
            text: "criterion".into(),
            computable: vec![computable],
            negated: false,
            entities: Vec::new(),
            applies_if: Default::default(),
        };
        Trial { id: "NCT1".into(), criteria: vec![criterion], ..Trial::default() }
    }

    fn concept(id: &str, name: &str) -> Vec<ConceptRef> {
        vec![ConceptRef { id: id.into(), name: name.into() }]
    }

    fn outcome_after(trial: &Trial, answers: &[(&str, &str)]) -> (Outcome, Vec<AnswerProblem>) {
        let nobody = Patient::default();
        let prepared = PreparedTrial::new(trial);
        let asks = open_asks(&prepared, &PreparedPatient::new(&nobody), as_of());
        let mut patient = Patient::default();
        let problems = apply_answers(&mut patient, &asks, answers.iter().copied(), as_of());
        let screening = prepared.screen(&PreparedPatient::new(&patient), as_of());
        let result = screening.results.iter().find(|r| r.text == "criterion").expect("the criterion is screened");
        if result.finding.outcome != Outcome::Unknown {
            assert!(result.finding.evidence.iter().all(|e| e.source == FactSource::Answer));
        }
        (result.finding.outcome, problems)
    }

    fn only_key(trial: &Trial) -> String {
        let nobody = Patient::default();
        let asks = open_asks(&PreparedTrial::new(trial), &PreparedPatient::new(&nobody), as_of());
        assert_eq!(asks.len(), 1, "{asks:?}");
        asks[0].question.key.clone()
    }

    #[test]
    fn yes_meets_a_condition_inclusion_and_no_fails_it() {
        let lupus = concept("MESH:D008180", "systemic lupus erythematosus");
        let trial = trial_with(
            Computable::Condition { concepts: lupus, status: None, window: None, scope: Default::default() },
            Section::Inclusion,
        );
        let key = only_key(&trial);
        assert_eq!(outcome_after(&trial, &[(&key, "yes")]).0, Outcome::Met);
        assert_eq!(outcome_after(&trial, &[(&key, "no")]).0, Outcome::NotMet);
        assert_eq!(outcome_after(&trial, &[(&key, "")]).0, Outcome::Unknown, "a blank answer leaves it open");
    }

    #[test]
    fn yes_to_a_drug_within_a_window_dates_the_drug_inside_it() {
        let window = TimeWindow { within: Some(Duration::new(6.0, TimeUnit::Months)), ..TimeWindow::default() };
        let rituximab = concept("RXNORM:121191", "rituximab");
        let trial = trial_with(
            Computable::PriorTherapy { drugs: rituximab, window: Some(window), dose: None, scope: Default::default() },
            Section::Exclusion,
        );
        let key = only_key(&trial);
        assert_eq!(outcome_after(&trial, &[(&key, "yes")]).0, Outcome::Met);
        assert_eq!(outcome_after(&trial, &[(&key, "no")]).0, Outcome::NotMet);
    }

    #[test]
    fn a_lab_answer_is_compared_in_the_criterion_unit() {
        let comparison = Comparison {
            operator: Operator::Ge,
            value: 60.0,
            value_high: None,
            unit: Some("mL/min/1.73m2".into()),
            operator_span: None,
            value_span: None,
            value_high_span: None,
            unit_span: None,
        };
        let test = concept("LOINC:33914-3", "eGFR").remove(0);
        let trial =
            trial_with(Computable::Lab { test, comparison, uln_multiple: false, window: None }, Section::Inclusion);
        let key = only_key(&trial);
        assert_eq!(outcome_after(&trial, &[(&key, "75")]).0, Outcome::Met);
        assert_eq!(outcome_after(&trial, &[(&key, "45")]).0, Outcome::NotMet);
    }

    #[test]
    fn unreadable_and_unknown_answers_are_reported_and_change_nothing() {
        let trial = trial_with(Computable::Age { min: Some(Duration::years(18.0)), max: None }, Section::Inclusion);
        let key = only_key(&trial);
        let (outcome, problems) = outcome_after(&trial, &[(&key, "old"), ("no-such-question", "yes")]);
        assert_eq!(outcome, Outcome::Unknown);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].reason, "needs a number");
        assert_eq!(problems[1].reason, "no open question has this key");
        let (outcome, problems) = outcome_after(&trial, &[(&key, "200")]);
        assert_eq!((outcome, problems[0].reason.as_str()), (Outcome::Unknown, "is out of range"));
        assert_eq!(outcome_after(&trial, &[(&key, "44")]).0, Outcome::Met);
    }

    #[test]
    fn json_answers_read_as_text() {
        let answers: Answers =
            serde_json::from_str(r#"{"a": true, "b": false, "c": 104, "d": 7.5, "e": "female"}"#).unwrap();
        let texts: Vec<String> = answers.values().map(ToString::to_string).collect();
        assert_eq!(texts, ["yes", "no", "104", "7.5", "female"]);
        assert!(serde_json::from_str::<Answers>(r#"{"a": [1]}"#).is_err(), "a list is no answer");
    }

    #[test]
    fn the_format_tells_a_form_what_to_collect() {
        assert_eq!(AnswerKind::Age.format(), AnswerFormat::Number { unit: Some("years".into()) });
        assert_eq!(AnswerKind::Sex.format(), AnswerFormat::Sex);
        assert_eq!(AnswerKind::Pregnancy(PregnancyState::Pregnant).format(), AnswerFormat::YesNo);
        let json = serde_json::to_value(AnswerFormat::Number { unit: Some("mg/dL".into()) }).unwrap();
        assert_eq!(json, serde_json::json!({"type": "number", "unit": "mg/dL"}));
    }
}
