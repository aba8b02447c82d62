//! Ranking: how relevance and eligibility combine for one patient's pool.

use eligo_match::{patient_query, rank_pool, trial_text, Bm25, PreparedPatient, PreparedTrial, Verdict};
use eligo_model::{Computable, Criterion, Duration, Section, Trial};
mod common;

use common::{as_of, concept, criterion, profile};

fn trial(id: &str, title: &str, criteria: Vec<Criterion>) -> Trial {
    Trial { id: id.into(), brief_title: Some(title.into()), criteria, ..Trial::default() }
}

fn condition(id: &str, name: &str) -> Computable {
    Computable::Condition { concepts: vec![concept(id, name)], status: None, window: None, scope: Default::default() }
}

/// The trial ids of a pool, best first.
fn order(trials: &[Trial], patient: &eligo_model::Patient) -> Vec<(String, Verdict)> {
    let prepared: Vec<PreparedTrial> = trials.iter().map(PreparedTrial::new).collect();
    let refs: Vec<&PreparedTrial> = prepared.iter().collect();
    let bm25 = Bm25::new(trials.iter().map(trial_text));
    let query = patient_query(patient, None);
    let ranked = rank_pool(&refs, &bm25, &query, &PreparedPatient::new(patient), as_of());
    ranked.into_iter().map(|r| (r.trial_id, r.verdict)).collect()
}

#[test]
fn an_on_topic_trial_that_excludes_the_patient_ranks_below_one_they_may_join() {
    let patient = profile(r#"{"age":45,"conditions":["asthma","type 2 diabetes mellitus"]}"#);
    let excludes = trial(
        "NCT00000001",
        "Asthma in adults with asthma exacerbations",
        vec![criterion(Section::Exclusion, "Diabetes mellitus", condition("ICD10CM:E11", "Type 2 diabetes mellitus"))],
    );
    let open = trial(
        "NCT00000002",
        "Inhaled therapy in asthma",
        vec![criterion(Section::Exclusion, "Active tuberculosis", condition("ICD10CM:A15", "Tuberculosis"))],
    );
    let ranked = order(&[excludes, open], &patient);
    assert_eq!(ranked[0], ("NCT00000002".to_string(), Verdict::Possible), "{ranked:?}");
    assert_eq!(ranked[1].1, Verdict::Ineligible);
}

#[test]
fn fewer_open_criteria_make_a_surer_match_at_equal_relevance() {
    let patient = profile(r#"{"age":45,"conditions":["asthma"]}"#);
    let adults =
        || criterion(Section::Inclusion, "Adults", Computable::Age { min: Some(Duration::years(18.0)), max: None });
    let open = |(id, name): (&str, &str)| criterion(Section::Inclusion, name, condition(id, name));
    let unknowns = [
        ("ICD10CM:E11", "Type 2 diabetes mellitus"),
        ("ICD10CM:I10", "Essential hypertension"),
        ("ICD10CM:J44", "Chronic obstructive pulmonary disease"),
    ];
    // The same share of decided criteria (one half), but three open questions against one.
    let mut less_sure_criteria = vec![adults(), adults(), adults()];
    less_sure_criteria.extend(unknowns.into_iter().map(open));
    let less_sure = trial("NCT00000003", "Asthma study", less_sure_criteria);
    let surer = trial("NCT00000004", "Asthma study", vec![adults(), open(unknowns[0])]);
    let ranked = order(&[less_sure, surer], &patient);
    assert_eq!(ranked[0], ("NCT00000004".to_string(), Verdict::Possible), "{ranked:?}");
    assert_eq!(ranked[1], ("NCT00000003".to_string(), Verdict::Possible));
}

#[test]
fn a_trial_with_no_criteria_is_no_surer_than_one_whose_criteria_the_patient_meets() {
    let patient = profile(r#"{"age":45,"conditions":["asthma"]}"#);
    let adults = Computable::Age { min: Some(Duration::years(18.0)), max: None };
    let unknown_criteria = trial("NCT00000005", "Asthma study", Vec::new());
    let all_met = trial("NCT00000006", "Asthma study", vec![criterion(Section::Inclusion, "Adults", adults)]);
    let ranked = order(&[unknown_criteria, all_met], &patient);
    assert_eq!(ranked[0], ("NCT00000006".to_string(), Verdict::Eligible), "{ranked:?}");
    // Still eligible by the verdict's rule: nothing excludes the patient and nothing is open.
    assert_eq!(ranked[1], ("NCT00000005".to_string(), Verdict::Eligible));
}

#[test]
fn a_negated_inclusion_left_open_weighs_like_an_open_exclusion() {
    // "No other neurological disease" asks for an absence, as the exclusion "Neurological
    // disease" does: a chart silent about it leaves both equally likely to be clear.
    let patient = profile(r#"{"age":60,"sex":"male","conditions":["essential tremor"]}"#);
    let mut negated_inclusion =
        criterion(Section::Inclusion, "No other neurological disease", condition("ICD10CM:G35", "Multiple sclerosis"));
    negated_inclusion.negated = true;
    let exclusion = criterion(Section::Exclusion, "Multiple sclerosis", condition("ICD10CM:G35", "Multiple sclerosis"));
    let score = |c: Criterion| {
        let t = trial("NCT00000009", "Essential tremor", vec![c]);
        let prepared = [PreparedTrial::new(&t)];
        let refs: Vec<&PreparedTrial> = prepared.iter().collect();
        let bm25 = Bm25::new(std::iter::once(trial_text(&t)));
        let query = patient_query(&patient, None);
        rank_pool(&refs, &bm25, &query, &PreparedPatient::new(&patient), as_of()).remove(0).score
    };
    assert_eq!(score(negated_inclusion), score(exclusion));
}
