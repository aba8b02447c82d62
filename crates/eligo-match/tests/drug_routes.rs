//! How and when a drug is taken: a criterion about systemic (oral or injected) therapy is not met by an
//! inhaler or a cream, one about concurrent therapy not by a course that is over; a record that does
//! not say leaves the criterion as the drug's name reads.

mod common;

use eligo_match::Outcome;

fn screened(criteria: &str, note: &str) -> (Outcome, String) {
    common::outcome_of(criteria, &["Asthma"], note)
}

#[test]
fn an_inhaled_drug_is_no_systemic_therapy() {
    let exclusion = "Exclusion Criteria:\n- Systemic corticosteroid use within the last 3 months";
    for note in [
        "A 15-year-old boy with asthma, treated with inhaled corticosteroids and zafirlukast.",
        "A 30-year-old woman with asthma who uses a fluticasone inhaler every day.",
    ] {
        let (outcome, reason) = screened(exclusion, note);
        assert_ne!(outcome, Outcome::Met, "{note}: {reason}");
    }
    let (outcome, reason) = screened(exclusion, "A 39-year-old man with asthma who takes oral prednisone.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(
        "Exclusion Criteria:\n- Use of inhaled corticosteroids",
        "A 39-year-old man with asthma who takes oral prednisone.",
    );
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(
        "Exclusion Criteria:\n- Use of inhaled corticosteroids",
        "A 20-year-old man with asthma on a budesonide inhaler.",
    );
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_course_that_is_over_is_no_concurrent_therapy() {
    let exclusion = "Exclusion Criteria:\n- Concurrent thalidomide";
    let past = "A 64-year-old woman with asthma. She was initially treated with thalidomide, followed by a transplant.";
    let (outcome, reason) = screened(exclusion, past);
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(exclusion, "A 64-year-old woman with asthma, currently on thalidomide.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    // Without "concurrent", any course counts.
    let (outcome, reason) = screened("Exclusion Criteria:\n- Prior thalidomide", past);
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn an_anticipated_need_is_met_only_by_a_plan() {
    let exclusion = "Exclusion Criteria:\n- Anticipated need for systemic antibiotics during the study";
    let (outcome, reason) = screened(exclusion, "A 50-year-old man with asthma, on amoxicillin for sinusitis.");
    assert_eq!(outcome, Outcome::Unknown, "{reason}");
    let (outcome, reason) =
        screened(exclusion, "A 50-year-old man with asthma. Plan: start amoxicillin for sinusitis.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let surgery = "Exclusion Criteria:\n- Expected to require surgery during the study";
    let (outcome, reason) = screened(surgery, "A 50-year-old man with asthma who had surgery last year.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
}
