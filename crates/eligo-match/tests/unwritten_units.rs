//! A result a note gives without its unit ("eGFR 48", "BP 150/95", "creatinine 1.4") is compared
//! in the one unit its value can plausibly be in, and stays unknown where two units fit.

mod common;

use eligo_match::Outcome;

/// The outcome of the one criterion of `criteria` for the patient a note describes.
fn outcome(criteria: &str, note: &str) -> Outcome {
    common::screen_one(criteria, &["Type 2 diabetes"], note).outcome
}

#[test]
fn a_bare_value_is_compared_in_the_unit_it_fits() {
    let kidney = "Exclusion Criteria:\n- eGFR < 60 mL/min/1.73m2";
    assert_eq!(outcome(kidney, "A 60-year-old man with diabetes. eGFR 48."), Outcome::Met);
    assert_eq!(outcome(kidney, "A 60-year-old man with diabetes. eGFR 75."), Outcome::NotMet);
    let pressure = "Exclusion Criteria:\n- Systolic blood pressure > 160 mmHg";
    assert_eq!(outcome(pressure, "A 60-year-old man with diabetes. BP 172/95."), Outcome::Met);
    // Creatinine 1.4 can only be mg/dL, 124 only µmol/L (1.4 mg/dL).
    let creatinine = "Exclusion Criteria:\n- Serum creatinine > 1.5 mg/dL";
    assert_eq!(outcome(creatinine, "A 60-year-old man with diabetes. Creatinine 1.4."), Outcome::NotMet);
    assert_eq!(outcome(creatinine, "A 60-year-old man with diabetes. Creatinine 150."), Outcome::Met);
}

#[test]
fn a_bare_value_two_units_could_hold_is_not_guessed() {
    // Bilirubin 20 is normal in µmol/L and severe jaundice in mg/dL.
    let bilirubin = "Exclusion Criteria:\n- Total bilirubin > 3 mg/dL";
    assert_eq!(outcome(bilirubin, "A 60-year-old man with diabetes. Bilirubin 20."), Outcome::Unknown);
}
