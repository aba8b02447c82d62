//! Whose condition a criterion and a note speak of: a family history is a relative's disease, not
//! the patient's, and what a spouse or a friend has is neither.

mod common;

use eligo_match::Outcome;

fn screened(criteria: &str, note: &str) -> (Outcome, String) {
    common::outcome_of(criteria, &["Depression"], note)
}

#[test]
fn a_family_history_is_met_by_a_relatives_disease_and_not_the_patients_own() {
    let exclusion = "Exclusion Criteria:\n- Family history of ulcerative colitis or colon cancer";
    let (outcome, reason) = screened(exclusion, "A 52-year-old woman with depression. Her mother had colon cancer.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(exclusion, "A 52-year-old woman with depression and colon cancer.");
    assert_ne!(outcome, Outcome::Met, "the patient's own cancer is no family history: {reason}");
    let exclusion = "Exclusion Criteria:\n- First-degree relative with type 1 diabetes";
    let (outcome, reason) = screened(exclusion, "A 30-year-old man. His brother has type 1 diabetes.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_spouses_or_friends_disease_is_neither_the_patients_nor_family_history() {
    let note = "A 46-year-old woman with depression. Her husband was diagnosed with colon cancer a year ago.";
    let (outcome, reason) = screened("Exclusion Criteria:\n- Cancer of any type", note);
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened("Exclusion Criteria:\n- Family history of colon cancer", note);
    assert_ne!(outcome, Outcome::Met, "{reason}");
    // Living with someone says nothing of whose the next disease is.
    let note = "A 70-year-old man who lives with his wife and has COPD.";
    let (outcome, reason) = screened("Exclusion Criteria:\n- COPD", note);
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_relative_who_tells_the_story_is_no_family_history() {
    let note = "A 15-year-old boy with asthma. According to his mother, he takes salmeterol every day.";
    let (outcome, reason) = screened("Exclusion Criteria:\n- Use of salmeterol", note);
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_rule_for_a_marker_group_does_not_apply_outside_it() {
    let inclusion =
        "Inclusion Criteria:\n- Patients with estrogen receptor (ER)+ breast cancer must have received prior tamoxifen";
    let note = "A 45-year-old woman with breast cancer. The tumor is HER2-positive and ER/PR negative.";
    let (outcome, reason) = screened(inclusion, note);
    assert_ne!(outcome, Outcome::NotMet, "an ER-negative patient is outside the group: {reason}");
    let note = "A 45-year-old woman with ER-positive breast cancer, never treated with tamoxifen.";
    let (outcome, reason) = screened(inclusion, note);
    assert_eq!(outcome, Outcome::NotMet, "{reason}");
}
