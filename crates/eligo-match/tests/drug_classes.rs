//! A criterion that names a drug class ("antipsychotics", "opioids", "statins") is met by a
//! patient's drug of that class; a long-acting formulation it asks for ("depot antipsychotic")
//! stays open unless the record names one. An oncology note names agents and regimens, not the word
//! "chemotherapy": those are chemotherapy, and a regimen is each of its drugs.

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

#[test]
fn named_cytotoxic_agents_and_regimens_are_chemotherapy() {
    let oncology = |criteria: &str, record: &str| common::screen_one(criteria, &["Lymphoma"], record).outcome;
    let prior = "Exclusion Criteria:\n- Prior chemotherapy";
    for note in [
        "A 45-year-old man with an astrocytoma treated with radiation and 11 cycles of temozolomide.",
        "A 57-year-old man with CLL who completed four cycles of FCR.",
        "A 62-year-old woman with lymphoma after six cycles of R-CHOP.",
    ] {
        assert_eq!(oncology(prior, note), Outcome::Met, "{note}");
    }
    // A regimen is each of its drugs.
    let rituximab = "Exclusion Criteria:\n- Prior rituximab";
    assert_eq!(oncology(rituximab, "A 57-year-old man with CLL who completed four cycles of FCR."), Outcome::Met);
    // Low-dose methotrexate for arthritis, or a targeted drug, is not what "chemotherapy" means.
    for note in [
        "A 50-year-old woman with lymphoma and rheumatoid arthritis on methotrexate 15 mg weekly.",
        "A 60-year-old man with lymphoma, on ibrutinib.",
    ] {
        assert_ne!(oncology(prior, note), Outcome::Met, "{note}");
    }
}

#[test]
fn a_therapy_a_condition_requires_is_met_only_with_that_condition() {
    let oncology = |criteria: &str, record: &str| common::outcome_of(criteria, &["Lymphoma"], record);
    let exclusion = "Exclusion Criteria:\n- Autoimmune hemolytic anemia requiring immunosuppressive therapy";
    // Cyclophosphamide for the lymphoma is an immunosuppressant, but not one the anemia required.
    let (outcome, reason) = oncology(exclusion, "A 60-year-old man with lymphoma, on cyclophosphamide.");
    assert_eq!(outcome, Outcome::Unknown, "{reason}");
    let (outcome, reason) =
        oncology(exclusion, "A 60-year-old man with lymphoma and autoimmune hemolytic anemia, on azathioprine.");
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn named_anti_infectives_are_antibiotics_antivirals_and_antifungals() {
    let note = |drug: &str| format!("A 40-year-old woman with schizophrenia, currently on {drug}.");
    for (criterion, drug) in [
        ("Exclusion Criteria:\n- Current use of antibiotics", "vancomycin"),
        ("Exclusion Criteria:\n- Current use of antibiotics", "ceftriaxone"),
        ("Exclusion Criteria:\n- Current use of antibiotics", "doxycycline"),
        ("Exclusion Criteria:\n- Current antiviral therapy", "tenofovir"),
        ("Exclusion Criteria:\n- Current antifungal therapy", "fluconazole"),
    ] {
        assert_eq!(outcome(criterion, &note(drug)), Outcome::Met, "{criterion} / {drug}");
    }
    // A macrolide by chemistry is no antibiotic by use.
    assert_ne!(outcome("Exclusion Criteria:\n- Current use of antibiotics", &note("tacrolimus")), Outcome::Met);
}

/// Oncology criteria name the therapy by its class or target ("prior endocrine therapy", "anti-HER2
/// therapy", "a CDK4/6 inhibitor", "TKI"); a chart names the drug. The drug meets its classes and
/// no other: a proton pump inhibitor is no CDK4/6 inhibitor, tamoxifen no HER2-directed therapy.
#[test]
fn a_targeted_or_endocrine_drug_meets_the_classes_it_belongs_to() {
    let breast = |criteria: &str, record: &str| common::screen_one(criteria, &["Breast Cancer"], record).outcome;
    let on_palbociclib =
        "A 58-year-old woman with metastatic breast cancer on palbociclib and letrozole, and omeprazole.";
    let on_trastuzumab =
        "A 45-year-old woman with HER2-positive breast cancer treated with trastuzumab and pertuzumab.";
    let on_tamoxifen = "A 50-year-old woman with breast cancer on tamoxifen for 2 years.";
    for (criterion, record, wanted) in [
        ("Exclusion Criteria:\n- Prior treatment with a CDK4/6 inhibitor", on_palbociclib, Outcome::Met),
        ("Exclusion Criteria:\n- Prior aromatase inhibitor", on_palbociclib, Outcome::Met),
        ("Exclusion Criteria:\n- Prior endocrine therapy", on_palbociclib, Outcome::Met),
        ("Exclusion Criteria:\n- Prior treatment with a CDK4/6 inhibitor", on_tamoxifen, Outcome::Unknown),
        ("Exclusion Criteria:\n- Prior anti-HER2 therapy", on_trastuzumab, Outcome::Met),
        ("Exclusion Criteria:\n- Prior anti-HER2 therapy", on_tamoxifen, Outcome::Unknown),
        ("Exclusion Criteria:\n- Prior anti-estrogen therapy", on_tamoxifen, Outcome::Met),
        ("Exclusion Criteria:\n- Prior anti-estrogen therapy", on_trastuzumab, Outcome::Unknown),
    ] {
        assert_eq!(breast(criterion, record), wanted, "{criterion} / {record}");
    }
    // A checkpoint inhibitor is immunotherapy.
    let immunotherapy = "Exclusion Criteria:\n- Prior immunotherapy";
    let lung = |record: &str| common::screen_one(immunotherapy, &["Lung Cancer"], record).outcome;
    assert_eq!(lung("A 70-year-old man with lung cancer after 6 cycles of pembrolizumab."), Outcome::Met);
    // A name broken by its abbreviation in brackets is still the class.
    let btk = "Exclusion Criteria:\n- Prior Bruton's tyrosine kinase (BTK) inhibitor therapy";
    let cll = |record: &str| common::screen_one(btk, &["CLL"], record).outcome;
    assert_eq!(cll("A 66-year-old man with CLL on ibrutinib since 2021."), Outcome::Met);
    assert_eq!(cll("A 66-year-old man with CLL, on levothyroxine (tyrosine-derived hormone)."), Outcome::Unknown);
}
