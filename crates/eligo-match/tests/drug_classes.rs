//! A criterion that names a drug class ("antipsychotics", "opioids", "statins") is met by a
//! patient's drug of that class; a long-acting formulation it asks for ("depot antipsychotic")
//! stays open unless the record names one.

mod common;

use eligo_match::Outcome;

/// The outcome of the one criterion of `criteria` for a patient given as a note or a profile (JSON).
fn outcome(criteria: &str, record: &str) -> Outcome {
    common::screen_one(criteria, &["Schizophrenia"], record).outcome
}

#[test]
fn a_drug_of_the_named_class_meets_the_criterion() {
    let note = "A 34-year-old woman with schizophrenia, on olanzapine 10 mg daily, sertraline and atorvastatin.";
    for (criterion, wanted) in [
        ("Exclusion Criteria:\n- Current use of antipsychotics", Outcome::Met),
        ("Exclusion Criteria:\n- Current use of antidepressants", Outcome::Met),
        ("Exclusion Criteria:\n- Treatment with statins", Outcome::Met),
        ("Exclusion Criteria:\n- Current use of opioids", Outcome::Unknown),
    ] {
        assert_eq!(outcome(criterion, note), wanted, "{criterion}");
    }
}

#[test]
fn a_depot_formulation_is_met_only_by_a_depot_drug() {
    let depot = "Exclusion Criteria:\n- Depot antipsychotic within 4 weeks";
    let oral = "A 34-year-old woman with schizophrenia, on olanzapine 10 mg daily.";
    assert_eq!(outcome(depot, oral), Outcome::Unknown);
    let injected =
        r#"{"age": 34, "conditions": ["schizophrenia"], "medications": [{"name": "haloperidol decanoate"}]}"#;
    assert_eq!(outcome(depot, injected), Outcome::Met);
}
