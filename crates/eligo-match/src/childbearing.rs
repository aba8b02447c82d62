//! Whether a patient could become pregnant ("of childbearing potential"), for the criteria that are
//! about it: "Female subjects must be of non-childbearing potential", "Patients of childbearing
//! potential" (an exclusion).
//!
//! Protocols define a woman of childbearing potential as one past menarche who is neither
//! postmenopausal nor surgically sterile. A record rarely says so in those words, so the answer is,
//! in order: what the record or an answer states; a man (never); a pregnancy (always); a recorded
//! menopause or sterilisation (never); an age before menarche or past menopause (never); otherwise
//! unknown, with the question a person can answer.

use eligo_model::{Assertion, Evidence, PatientSex};

use crate::evaluate::{question, Finding, Outcome};
use crate::prepared::PreparedPatient;

/// States in which a woman cannot become pregnant (menopause, surgical sterilisation).
pub(crate) const CANNOT_CONCEIVE: &[&str] = &["ICD10CM:Z78.0", "ELIGO:repro.surgically_sterile"];

/// Below this age a girl is taken to be before menarche (it comes at 12–13 on average and before
/// 10 only when precocious).
const BEFORE_MENARCHE_YEARS: f64 = 10.0;
/// From this age a woman is taken to be past menopause (it comes at 51 on average; by 60 almost
/// every woman has had twelve months without menses, the protocols' own definition).
const PAST_MENOPAUSE_YEARS: f64 = 60.0;

/// Evaluates "the patient is of childbearing potential" on `as_of`.
pub(crate) fn evaluate_childbearing_potential(patient: &PreparedPatient, as_of: chrono::NaiveDate) -> Finding {
    let p = patient.patient;
    let known = |can: bool, reason: &str, evidence: Option<&Evidence>| {
        let outcome = if can { Outcome::Met } else { Outcome::NotMet };
        Finding::known(outcome, patient.explain(|| reason.to_string()), evidence.into_iter().cloned().collect())
    };
    if let Some(stated) = &p.childbearing_potential {
        let reason = if stated.value { "of childbearing potential" } else { "not of childbearing potential" };
        return known(stated.value, reason, Some(&stated.evidence));
    }
    if let Some(sex) = p.sex.as_ref().filter(|s| s.value == PatientSex::Male) {
        return known(false, "male patient", Some(&sex.evidence));
    }
    if let Some(pregnant) = p.pregnant.as_ref().filter(|n| n.value) {
        return known(true, "recorded as pregnant", Some(&pregnant.evidence));
    }
    let cannot = p.facts.iter().find(|f| {
        f.assertion == Assertion::Present && f.concepts.iter().any(|c| CANNOT_CONCEIVE.contains(&c.id.as_str()))
    });
    if let Some(fact) = cannot {
        return known(false, &format!("recorded as {}", fact.text), Some(&fact.evidence));
    }
    if let Some(age) = p.age_years(as_of) {
        let evidence = p.birth_date.as_ref().map(|b| &b.evidence).or(p.age.as_ref().map(|a| &a.evidence));
        if age < BEFORE_MENARCHE_YEARS {
            return known(false, &format!("age {age:.0} years: before the age of menarche"), evidence);
        }
        if age >= PAST_MENOPAUSE_YEARS {
            return known(false, &format!("age {age:.0} years: past the age of menopause"), evidence);
        }
    }
    let ask = question("childbearing_potential", crate::questions::CAN_CONCEIVE_QUESTION);
    Finding::unknown("not recorded whether the patient could become pregnant".into(), Some(ask))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use eligo_model::Patient;

    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date")
    }

    fn profile(json: &str) -> Patient {
        eligo_patient::profile::read_profile(json).expect("a profile").patient
    }

    fn outcome(json: &str) -> Outcome {
        evaluate_childbearing_potential(&PreparedPatient::new(&profile(json)), as_of()).outcome
    }

    #[test]
    fn a_woman_of_an_age_to_conceive_is_asked_and_others_are_answered_from_the_record() {
        let young = profile(r#"{"sex": "female", "age": 34}"#);
        let finding = evaluate_childbearing_potential(&PreparedPatient::new(&young), as_of());
        assert_eq!(finding.outcome, Outcome::Unknown);
        assert!(finding.question.is_some_and(|q| q.text.contains("become pregnant")));
        assert_eq!(outcome(r#"{"sex": "female", "age": 67}"#), Outcome::NotMet);
        assert_eq!(outcome(r#"{"sex": "female", "age": 7}"#), Outcome::NotMet);
        assert_eq!(outcome(r#"{"sex": "male", "age": 34}"#), Outcome::NotMet);
        assert_eq!(outcome(r#"{"sex": "female", "age": 34, "pregnant": true}"#), Outcome::Met);
        assert_eq!(outcome(r#"{"sex": "female", "age": 52, "conditions": ["postmenopausal"]}"#), Outcome::NotMet);
        assert_eq!(outcome(r#"{"sex": "female", "age": 67, "childbearing_potential": true}"#), Outcome::Met);
        assert_eq!(outcome(r#"{"sex": "female", "age": 30, "childbearing_potential": false}"#), Outcome::NotMet);
    }
}
