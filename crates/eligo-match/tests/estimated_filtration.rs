//! A note that gives serum creatinine, age and sex but no eGFR settles a filtration-rate criterion
//! ("eGFR ≥ 60", "creatinine clearance < 30 mL/min") by the CKD-EPI 2021 estimate, unless the
//! threshold lies within the spread of the equations laboratories use; then it stays open.

mod common;

use eligo_match::Outcome;

/// The outcome and reason of the one criterion of `criteria` for the patient a note describes.
fn screened(criteria: &str, note: &str) -> (Outcome, String) {
    common::outcome_of(criteria, &["Type 2 diabetes"], note)
}

// Creatinine 1.1 mg/dL at 58: a man's estimate is about 78, a woman's about 58.
const MAN: &str = "A 58-year-old man with type 2 diabetes. Creatinine 1.1 mg/dL.";
const WOMAN: &str = "A 58-year-old woman with type 2 diabetes. Creatinine 1.1 mg/dL.";

#[test]
fn creatinine_settles_a_filtration_threshold_far_from_the_estimate() {
    let (outcome, reason) = screened("Inclusion Criteria:\n- eGFR ≥ 45 mL/min/1.73m2", MAN);
    assert_eq!(outcome, Outcome::Met, "{reason}");
    assert!(reason.contains("CKD-EPI 2021"), "the reason says how the rate was estimated: {reason}");
    let clearance = "Exclusion Criteria:\n- Creatinine clearance < 30 mL/min";
    assert_eq!(screened(clearance, WOMAN).0, Outcome::NotMet);
    // The same creatinine is a lower rate in a woman: 58 is under 70.
    assert_eq!(screened("Exclusion Criteria:\n- eGFR < 70 mL/min/1.73m2", WOMAN).0, Outcome::Met);
}

#[test]
fn a_threshold_near_the_estimate_or_a_record_without_sex_stays_open() {
    // 78 against "≥ 75": the equations labs use could put him either side.
    assert_eq!(screened("Inclusion Criteria:\n- eGFR ≥ 75 mL/min/1.73m2", MAN).0, Outcome::Unknown);
    let unsexed = "Type 2 diabetes, age 58. Creatinine 1.1 mg/dL.";
    assert_eq!(screened("Inclusion Criteria:\n- eGFR ≥ 45 mL/min/1.73m2", unsexed).0, Outcome::Unknown);
}
