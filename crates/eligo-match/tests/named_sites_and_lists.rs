//! Cancers named by their site and names coordinated over one head, end to end from free-text
//! criteria and notes: an exclusion of ovarian cancer is not an exclusion of every cancer, and
//! "breast or ovarian cancer" excludes a patient with either.

mod common;

use eligo_match::Outcome;

fn screened(criteria: &str, note: &str) -> (Outcome, String) {
    common::outcome_of(criteria, &["Solid tumours"], note)
}

#[test]
fn a_cancer_named_by_its_site_is_that_cancer_and_no_other() {
    let exclusion = "Exclusion Criteria:\n- Pancreatic cancer";
    let (outcome, reason) = screened(exclusion, "A 61-year-old woman with breast cancer.");
    assert_ne!(outcome, Outcome::Met, "breast cancer is not pancreatic cancer: {reason}");
    let (outcome, reason) = screened(exclusion, "A 61-year-old man with pancreatic adenocarcinoma.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    // The same site in the patient's words: "cancer of the cervix" is cervical cancer.
    let (outcome, reason) =
        screened("Inclusion Criteria:\n- Cervical cancer", "A 44-year-old woman with cancer of the cervix.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn each_name_of_a_coordinated_list_is_read() {
    let exclusion = "Exclusion Criteria:\n- History of breast or ovarian cancer";
    for note in ["A 50-year-old woman with ovarian cancer.", "A 50-year-old woman with breast cancer."] {
        let (outcome, reason) = screened(exclusion, note);
        assert_eq!(outcome, Outcome::Met, "{note}: {reason}");
    }
    let (outcome, reason) = screened(exclusion, "A 50-year-old woman with lung cancer.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let inclusion = "Inclusion Criteria:\n- Type 1 or type 2 diabetes";
    let (outcome, reason) = screened(inclusion, "A 40-year-old man with type 2 diabetes.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) =
        screened("Exclusion Criteria:\n- Renal or liver failure", "A 70-year-old man on dialysis for kidney failure.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_transplant_of_one_organ_is_a_transplant_but_not_a_multiple_organ_one() {
    let note = "A 52-year-old man, kidney transplant recipient since 2019.";
    let (outcome, reason) = screened("Exclusion Criteria:\n- Multi-organ transplant recipient", note);
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened("Exclusion Criteria:\n- Prior solid organ transplant", note);
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened("Exclusion Criteria:\n- Heart or liver transplant", note);
    assert_ne!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_drug_use_disorder_is_drug_abuse_and_alcohol_is_not() {
    let exclusion = "Exclusion Criteria:\n- History of drug abuse";
    let (outcome, reason) = screened(exclusion, "A 40-year-old man with cocaine abuse.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(exclusion, "A 40-year-old man with alcohol use disorder.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_decompensated_disease_needs_the_record_to_say_so() {
    let exclusion = "Exclusion Criteria:\n- Clinical history of decompensated liver disease";
    let (outcome, reason) = screened(exclusion, "A 53-year-old man with chronic hepatitis C and liver disease.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
    let (outcome, reason) = screened(exclusion, "A 60-year-old man with compensated liver disease.");
    assert_eq!(outcome, Outcome::NotMet, "{reason}");
    let (outcome, reason) = screened(exclusion, "A 60-year-old man with decompensated liver disease and ascites.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn drugs_to_control_a_symptom_are_a_therapy_not_the_symptom() {
    let exclusion = "Exclusion Criteria:\n- Subjects who require other drugs to control diarrhea";
    let (outcome, reason) = screened(exclusion, "A 60-year-old woman with diarrhea since yesterday.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_change_of_weight_is_no_body_weight() {
    let exclusion = "Exclusion Criteria:\n- Weight gain or loss of greater than 5 kg within the past 3 months";
    let (outcome, reason) = screened(exclusion, "A 34-year-old woman with solid tumours, weight 113 kg.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn a_solid_tumour_is_any_cancer_outside_the_blood_and_lymph() {
    let inclusion = "Inclusion Criteria:\n- Histologically confirmed solid tumor";
    let basket = |note: &str| common::outcome_of(inclusion, &["Advanced Cancer"], note);
    for note in ["A 61-year-old woman with breast cancer.", "A 58-year-old man with metastatic colon cancer."] {
        let (outcome, reason) = basket(note);
        assert_eq!(outcome, Outcome::Met, "{note}: {reason}");
    }
    let (outcome, reason) = basket("A 61-year-old man with diffuse large B-cell lymphoma.");
    assert_ne!(outcome, Outcome::Met, "{reason}");
}
