//! What a criterion is about, whom it applies to, and how a physician would label it: the trial's
//! own disease never excludes on its own, qualifiers must be carried by the patient's fact, an
//! undated condition leaves a time window open, rules about a group the patient is not in are
//! not applicable, and a chart's silence about a disease is "not excluded" where an answer
//! sheet's is "not enough information". Hand-built criteria, so the matcher's logic is pinned
//! down independently of what the criteria engine extracts.

use eligo_match::{Basis, Label, Outcome, PreparedPatient, PreparedTrial, Verdict};
use eligo_model::{
    Computable, ConceptRef, ConditionStatus, Criterion, Duration, NonComputableReason, Patient, Polarity,
    PregnancyState, Qualifier, QualifierKind, Scope, Section, Sex, TimeUnit, TimeWindow, Trial,
};
use eligo_vocab::Vocabulary;

mod common;

use common::{as_of, concept, criterion, profile};

/// The vocabulary's concepts for a disease name, as the criteria engine would find them.
fn concepts_of(name: &str) -> Vec<ConceptRef> {
    let vocab = Vocabulary::embedded();
    let mention = vocab.find_mentions(name).into_iter().next().unwrap_or_else(|| panic!("{name} not in vocabulary"));
    mention
        .concept_ids
        .iter()
        .filter_map(|id| vocab.concept(id))
        .map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() })
        .collect()
}

fn condition(name: &str, window: Option<TimeWindow>, scope: Scope) -> Computable {
    Computable::Condition { concepts: concepts_of(name), status: None, window, scope }
}

fn trial_about(condition: &str, criteria: Vec<Criterion>) -> Trial {
    Trial { id: "NCT00000002".into(), conditions: vec![condition.into()], criteria, ..Trial::default() }
}

fn screen(trial: &Trial, patient: &Patient) -> eligo_match::Screening {
    PreparedTrial::new(trial).screen(&PreparedPatient::new(patient), as_of())
}

fn within_weeks(weeks: f64) -> Option<TimeWindow> {
    Some(TimeWindow { within: Some(Duration::new(weeks, TimeUnit::Weeks)), ..TimeWindow::default() })
}

#[test]
fn the_trials_own_disease_never_excludes_alone_but_confirms_an_inclusion() {
    let include =
        criterion(Section::Inclusion, "Diagnosis of psoriasis", condition("psoriasis", None, Scope::default()));
    let exclude = criterion(
        Section::Exclusion,
        "Psoriasis that is not plaque psoriasis",
        condition("psoriasis", None, Scope::default()),
    );
    let trial = trial_about("Psoriasis", vec![include, exclude]);
    let screening = screen(&trial, &profile(r#"{"age":40,"sex":"male","conditions":["psoriasis"]}"#));
    assert_eq!(screening.results[0].finding.outcome, Outcome::Met);
    assert_eq!(screening.results[1].finding.outcome, Outcome::Unknown, "{:?}", screening.results[1]);
    assert_ne!(screening.verdict, Verdict::Ineligible);
    // The same exclusion in a trial about another disease does exclude.
    let other = trial_about("Hypertension", trial.criteria.clone());
    let screening = screen(&other, &profile(r#"{"age":40,"sex":"male","conditions":["psoriasis"]}"#));
    assert_eq!(screening.verdict, Verdict::Ineligible);
}

#[test]
fn another_disease_is_one_besides_the_trials_own() {
    let besides = Scope { besides_target: true, ..Scope::default() };
    let other_cancer = criterion(
        Section::Exclusion,
        "Other malignancy within 5 years",
        Computable::Condition { concepts: concepts_of("malignancy"), status: None, window: None, scope: besides },
    );
    let trial = trial_about("Breast cancer", vec![other_cancer]);
    let only_index = screen(&trial, &profile(r#"{"age":50,"sex":"female","conditions":["breast cancer"]}"#));
    assert_ne!(only_index.verdict, Verdict::Ineligible, "{:?}", only_index.results);
    let second = screen(&trial, &profile(r#"{"age":50,"sex":"female","conditions":["breast cancer","lung cancer"]}"#));
    assert_eq!(second.verdict, Verdict::Ineligible, "{:?}", second.results);
}

/// "Progressive multiple sclerosis" as an exclusion: a condition with a course qualifier.
fn progressive_ms_exclusion() -> Criterion {
    let progressive =
        Qualifier { kind: QualifierKind::Course, value: "progressive".into(), concept: None, polarity: None };
    let scope = Scope { qualifiers: vec![progressive], ..Scope::default() };
    criterion(Section::Exclusion, "Progressive multiple sclerosis", condition("multiple sclerosis", None, scope))
}

#[test]
fn a_qualifier_must_be_carried_by_the_patients_fact() {
    let trial = trial_about("Hypertension", vec![progressive_ms_exclusion()]);
    let relapsing = |qualifiers: &str| {
        profile(&format!(
            r#"{{"age":35,"sex":"female","conditions":[{{"name":"multiple sclerosis","qualifiers":[{qualifiers}]}}]}}"#
        ))
    };
    // Unsaid: unknown, with a question about the qualifier.
    let plain = screen(&trial, &profile(r#"{"age":35,"sex":"female","conditions":["multiple sclerosis"]}"#));
    assert_eq!(plain.results[0].finding.outcome, Outcome::Unknown, "{:?}", plain.results[0]);
    let question = plain.results[0].finding.question.as_ref().expect("a question about the qualifier");
    assert!(question.text.contains("progressive"), "{}", question.text);
    // Contradicted: not met. Carried: met.
    let contradicted = screen(&trial, &relapsing(r#"{"kind":"course","value":"relapsing-remitting"}"#));
    assert_eq!(contradicted.results[0].finding.outcome, Outcome::NotMet, "{:?}", contradicted.results[0]);
    let carried = screen(&trial, &relapsing(r#"{"kind":"course","value":"progressive"}"#));
    assert_eq!(carried.results[0].finding.outcome, Outcome::Met, "{:?}", carried.results[0]);
}

#[test]
fn a_qualifier_the_patients_concept_is_named_by_is_carried() {
    // "ESRD" is End stage renal disease: no question whether it is end stage.
    let stage = Qualifier { kind: QualifierKind::Stage, value: "end stage".into(), concept: None, polarity: None };
    let scope = Scope { qualifiers: vec![stage], ..Scope::default() };
    let rule = criterion(Section::Exclusion, "End stage kidney failure", condition("kidney failure", None, scope));
    let trial = trial_about("Hypertension", vec![rule]);
    let esrd = screen(&trial, &profile(r#"{"age":60,"sex":"male","conditions":["ESRD"]}"#));
    assert_eq!(esrd.results[0].finding.outcome, Outcome::Met, "{:?}", esrd.results[0]);
    // A name that negates the word does not carry it: non-small cell is no small cell.
    let small = Qualifier { kind: QualifierKind::Subtype, value: "small cell".into(), concept: None, polarity: None };
    let scope = Scope { qualifiers: vec![small], ..Scope::default() };
    let rule = criterion(Section::Exclusion, "Small cell lung cancer", condition("lung cancer", None, scope));
    let trial = trial_about("Hypertension", vec![rule]);
    let nsclc = screen(&trial, &profile(r#"{"age":60,"sex":"male","conditions":["non-small cell lung cancer"]}"#));
    assert_ne!(nsclc.results[0].finding.outcome, Outcome::Met, "{:?}", nsclc.results[0]);
}

#[test]
fn a_form_named_by_the_concept_is_ruled_out_by_the_form_the_patients_record_names() {
    let rule = |name: &str| criterion(Section::Exclusion, name, condition(name, None, Scope::default()));
    let trial = trial_about("Hypertension", vec![rule("primary progressive multiple sclerosis")]);
    let patient = |condition: &str| profile(&format!(r#"{{"age":35,"sex":"female","conditions":["{condition}"]}}"#));
    let relapsing = screen(&trial, &patient("relapsing-remitting multiple sclerosis"));
    assert_eq!(relapsing.results[0].finding.outcome, Outcome::NotMet, "{:?}", relapsing.results[0]);
    // A record that names no form leaves the question open; the form itself meets it.
    let plain = screen(&trial, &patient("multiple sclerosis"));
    assert_eq!(plain.results[0].finding.outcome, Outcome::Unknown, "{:?}", plain.results[0]);
    let same = screen(&trial, &patient("primary progressive multiple sclerosis"));
    assert_eq!(same.results[0].finding.outcome, Outcome::Met, "{:?}", same.results[0]);
}

#[test]
fn a_qualifier_is_asked_about_the_disease_it_stands_before() {
    let chronic = Qualifier { kind: QualifierKind::Acuteness, value: "chronic".into(), concept: None, polarity: None };
    let scope = Scope { qualifiers: vec![chronic], ..Scope::default() };
    let mut concepts = concepts_of("atrial fibrillation");
    concepts.extend(concepts_of("hypertension"));
    let rule = criterion(
        Section::Inclusion,
        "Chronic atrial fibrillation with a risk factor such as hypertension",
        Computable::Condition { concepts, status: None, window: None, scope },
    );
    let trial = trial_about("Stroke", vec![rule]);
    let patient = profile(r#"{"age":70,"sex":"male","conditions":["hypertension","atrial fibrillation"]}"#);
    let screening = screen(&trial, &patient);
    let question = screening.results[0].finding.question.as_ref().expect("a question about the qualifier");
    assert!(question.text.to_lowercase().contains("atrial fibrillation"), "{}", question.text);
}

#[test]
fn a_marker_qualifier_reads_the_patients_marker_results() {
    let her2 = concept("ELIGO:marker.her2", "HER2");
    let negative = Qualifier {
        kind: QualifierKind::Biomarker,
        value: "her2 negative".into(),
        concept: Some(her2),
        polarity: Some(Polarity::Negative),
    };
    let scope = Scope { qualifiers: vec![negative], ..Scope::default() };
    let rule = criterion(Section::Inclusion, "HER2-negative breast cancer", condition("breast cancer", None, scope));
    let trial = trial_about("Breast cancer", vec![rule]);
    let with_result = |result: &str| {
        profile(&format!(
            r#"{{"age":50,"sex":"female","conditions":["breast cancer"],
                "labs":[{{"code":"ELIGO:marker.her2","name":"HER2","value":1,"unit":"{result}"}}]}}"#
        ))
    };
    let positive = with_result("positive");
    if positive.observations.iter().all(|o| o.test.is_none()) {
        eprintln!("skipped: the vocabulary has no HER2 marker concept yet");
        return;
    }
    assert_eq!(screen(&trial, &positive).results[0].finding.outcome, Outcome::NotMet);
    assert_eq!(screen(&trial, &with_result("negative")).results[0].finding.outcome, Outcome::Met);
}

#[test]
fn an_undated_condition_leaves_a_time_window_open() {
    let recent = criterion(
        Section::Exclusion,
        "Asthma exacerbation within 6 weeks",
        condition("asthma", within_weeks(6.0), Scope::default()),
    );
    let trial = trial_about("Hypertension", vec![recent]);
    let undated = screen(&trial, &profile(r#"{"age":30,"sex":"male","conditions":["asthma"]}"#));
    assert_eq!(undated.results[0].finding.outcome, Outcome::Unknown, "{:?}", undated.results[0]);
    let dated =
        screen(&trial, &profile(r#"{"age":30,"sex":"male","conditions":[{"name":"asthma","onset":"2026-11-01"}]}"#));
    assert_eq!(dated.results[0].finding.outcome, Outcome::Met);
}

#[test]
fn rules_about_a_group_the_patient_is_not_in_are_not_applicable() {
    let pregnancy_test = criterion(
        Section::Inclusion,
        "Women of childbearing potential must have a negative pregnancy test",
        Computable::Pregnancy { state: PregnancyState::Pregnant },
    );
    let mut negated = pregnancy_test.clone();
    negated.negated = true;
    let females_who = criterion(
        Section::Inclusion,
        "Female participants who are of childbearing potential must:",
        Computable::Sex { sex: Sex::Female },
    );
    let mut donate = criterion(
        Section::Exclusion,
        "If male, unwilling to refrain from donating sperm",
        Computable::NotComputable { reason: NonComputableReason::Compliance },
    );
    donate.applies_if = vec![Computable::Sex { sex: Sex::Male }];
    let trial = trial_about("Hypertension", vec![negated, females_who, donate]);
    let man = screen(&trial, &profile(r#"{"age":50,"sex":"male","conditions":["hypertension"]}"#));
    assert_eq!(man.results[0].basis, Basis::NotApplicable, "{:?}", man.results[0]);
    assert_eq!(man.results[0].label, Label::NotApplicable);
    assert_eq!(man.results[1].label, Label::NotApplicable, "{:?}", man.results[1]);
    assert_ne!(man.verdict, Verdict::Ineligible);
    let woman = screen(&trial, &profile(r#"{"age":50,"sex":"female","conditions":["hypertension"]}"#));
    assert_eq!(woman.results[2].label, Label::NotApplicable, "{:?}", woman.results[2]);
    assert_ne!(woman.results[0].label, Label::NotApplicable);
}

#[test]
fn pregnancy_rules_do_not_apply_to_a_woman_who_cannot_conceive_nor_contraception_to_the_abstinent() {
    let mut contraception = criterion(
        Section::Inclusion,
        "If female, must use an effective method of birth control",
        Computable::Pregnancy { state: PregnancyState::Contraception },
    );
    contraception.applies_if = vec![Computable::Sex { sex: Sex::Female }];
    let mut pregnant =
        criterion(Section::Exclusion, "Pregnancy", Computable::Pregnancy { state: PregnancyState::Pregnant });
    pregnant.negated = false;
    let trial = trial_about("Migraine", vec![contraception, pregnant]);
    let abstinent = eligo_patient::note::read_note(
        "A 17-year-old girl with migraine. She has never had a sexual partner. Menses are regular.",
        as_of(),
    )
    .patient;
    let screening = screen(&trial, &abstinent);
    assert_eq!(screening.results[0].label, Label::NotApplicable, "{:?}", screening.results[0]);
    // Not being sexually active says nothing about being pregnant.
    assert_ne!(screening.results[1].label, Label::NotApplicable, "{:?}", screening.results[1]);
    let postmenopausal = profile(r#"{"age":61,"sex":"female","conditions":["migraine","postmenopausal"]}"#);
    let screening = screen(&trial, &postmenopausal);
    assert_eq!(screening.results[0].label, Label::NotApplicable, "{:?}", screening.results[0]);
    assert_eq!(screening.results[1].label, Label::NotApplicable, "{:?}", screening.results[1]);
    // A woman the record says nothing about is asked, as before.
    let silent = profile(r#"{"age":30,"sex":"female","conditions":["migraine"]}"#);
    assert_ne!(screen(&trial, &silent).results[0].label, Label::NotApplicable);
}

#[test]
fn childbearing_potential_is_not_applicable_to_a_man_nor_to_a_woman_who_cannot_conceive() {
    let mut no_potential = criterion(
        Section::Inclusion,
        "Female subjects must be of non-childbearing potential",
        Computable::Pregnancy { state: PregnancyState::ChildbearingPotential },
    );
    no_potential.negated = true;
    let trial = trial_about("Migraine", vec![no_potential]);
    for who in [
        r#"{"age":40,"sex":"male","conditions":["migraine"]}"#,
        r#"{"age":52,"sex":"female","conditions":["migraine","postmenopausal"]}"#,
    ] {
        let screening = screen(&trial, &profile(who));
        assert_eq!(screening.results[0].label, Label::NotApplicable, "{who}: {:?}", screening.results[0]);
        assert_ne!(screening.verdict, Verdict::Ineligible);
    }
    // A woman of an age to conceive is asked; one past it meets the rule.
    let young = screen(&trial, &profile(r#"{"age":30,"sex":"female","conditions":["migraine"]}"#));
    assert_eq!(young.results[0].finding.outcome, Outcome::Unknown);
    assert!(young.results[0].finding.question.as_ref().is_some_and(|q| q.text.contains("become pregnant")));
    let older = screen(&trial, &profile(r#"{"age":66,"sex":"female","conditions":["migraine"]}"#));
    assert_eq!(older.results[0].finding.outcome, Outcome::Met);
}

#[test]
fn a_charts_silence_is_not_excluded_an_answer_sheets_is_not_enough_information() {
    let hepatitis = criterion(Section::Exclusion, "Hepatitis B", condition("hepatitis B", None, Scope::default()));
    let trial = trial_about("Hypertension", vec![hepatitis]);
    let chart = screen(&trial, &profile(r#"{"age":50,"sex":"male","conditions":["hypertension"]}"#));
    assert_eq!(chart.results[0].finding.outcome, Outcome::Unknown, "silence is never a negative outcome");
    assert_eq!(chart.results[0].label, Label::NotExcluded);
    assert_eq!(chart.results[0].basis, Basis::NotDocumented);
    // A patient made only of answers to pre-screening questions has not been asked yet.
    let mut answers = profile(r#"{"age":50,"sex":"male"}"#);
    for evidence in
        answers.age.iter_mut().map(|a| &mut a.evidence).chain(answers.sex.iter_mut().map(|s| &mut s.evidence))
    {
        evidence.source = eligo_model::FactSource::Answer;
    }
    let sheet = screen(&trial, &answers);
    assert_eq!(sheet.results[0].label, Label::NotEnoughInformation);
    assert!(sheet.results[0].finding.question.is_some());
}

fn low_hb_comparison() -> eligo_model::Comparison {
    eligo_model::Comparison {
        operator: eligo_model::Operator::Lt,
        value: 9.0,
        value_high: None,
        unit: Some("g/dL".into()),
        operator_span: None,
        value_span: None,
        value_high_span: None,
        unit_span: None,
    }
}

#[test]
fn a_charts_silence_about_an_abnormal_result_is_not_excluded_and_still_asks() {
    let test = concept("ELIGO:lab.hemoglobin", "Hemoglobin");
    let low_hb = Computable::Lab { test, comparison: low_hb_comparison(), uln_multiple: false, window: None };
    let trial = trial_about("Hypertension", vec![criterion(Section::Exclusion, "Hemoglobin < 9 g/dL", low_hb)]);
    let chart = screen(&trial, &profile(r#"{"age":50,"sex":"male","conditions":["hypertension"]}"#));
    assert_eq!(chart.results[0].finding.outcome, Outcome::Unknown);
    assert_eq!(chart.results[0].label, Label::NotExcluded, "a chart that reports no low result reports none");
    assert_eq!(chart.results[0].basis, Basis::NotDocumented);
    assert!(chart.results[0].finding.question.is_some(), "the value is still asked for at screening");
    // The same rule as an inclusion is never assumed.
    let comparison = eligo_model::Comparison { operator: eligo_model::Operator::Ge, ..low_hb_comparison() };
    let test = concept("ELIGO:lab.hemoglobin", "Hemoglobin");
    let hb = Computable::Lab { test, comparison, uln_multiple: false, window: None };
    let trial = trial_about("Hypertension", vec![criterion(Section::Inclusion, "Hemoglobin >= 9 g/dL", hb)]);
    let chart = screen(&trial, &profile(r#"{"age":50,"sex":"male","conditions":["hypertension"]}"#));
    assert_eq!(chart.results[0].label, Label::NotEnoughInformation);
}

#[test]
fn consent_stated_in_the_record_settles_consent_criteria() {
    let consent = criterion(
        Section::Inclusion,
        "Able and willing to provide written informed consent",
        Computable::NotComputable { reason: NonComputableReason::Consent },
    );
    let trial = trial_about("Hypertension", vec![consent]);
    let note = eligo_patient::note::read_note(
        "A 50-year-old man with hypertension. The patient will provide informed consent.",
        as_of(),
    )
    .patient;
    let screening = screen(&trial, &note);
    assert!(note.consent.is_some(), "the note states consent");
    assert_eq!(screening.results[0].label, Label::Included, "{:?}", screening.results[0]);
    let silent = screen(&trial, &profile(r#"{"age":50,"sex":"male"}"#));
    assert_eq!(silent.results[0].label, Label::NotEnoughInformation);
    // An exclusion about taking part is about not taking part, with or without a negation cue.
    let inability = criterion(
        Section::Exclusion,
        "Inability to comply with study procedures",
        Computable::NotComputable { reason: NonComputableReason::Compliance },
    );
    let screening = screen(&trial_about("Hypertension", vec![inability]), &note);
    assert_eq!(screening.results[0].label, Label::NotExcluded, "{:?}", screening.results[0]);
    assert_ne!(screening.verdict, Verdict::Ineligible);
}

#[test]
fn the_study_drug_is_the_trials_own_intervention_by_any_of_its_names() {
    let prior = criterion(
        Section::Exclusion,
        "Prior treatment with the study drug",
        Computable::PriorTherapy {
            drugs: vec![concept("ELIGO:trial.intervention", "the study drug")],
            window: None,
            dose: None,
            scope: Scope::default(),
        },
    );
    let mut trial = trial_about("Hypertension", vec![prior]);
    trial.interventions = vec![eligo_model::Intervention {
        name: "XZ-4021".into(),
        other_names: vec!["rituximab".into()],
        ..Default::default()
    }];
    let took_it = screen(&trial, &profile(r#"{"age":50,"sex":"male","medications":["Rituxan"]}"#));
    assert_eq!(took_it.results[0].finding.outcome, Outcome::Met, "{:?}", took_it.results[0]);
    let by_code = screen(&trial, &profile(r#"{"age":50,"sex":"male","medications":["XZ-4021"]}"#));
    assert_eq!(by_code.results[0].finding.outcome, Outcome::Met, "{:?}", by_code.results[0]);
    let other = screen(&trial, &profile(r#"{"age":50,"sex":"male","medications":["metformin"]}"#));
    assert_ne!(other.results[0].finding.outcome, Outcome::Met);
}

#[test]
fn an_answer_about_a_qualifier_settles_it() {
    let trial = trial_about("Hypertension", vec![progressive_ms_exclusion()]);
    let prepared = PreparedTrial::new(&trial);
    let after = |answer: &str| {
        let mut patient = profile(r#"{"age":35,"sex":"female","conditions":["multiple sclerosis"]}"#);
        let asks = eligo_match::open_asks(&prepared, &PreparedPatient::new(&patient), as_of());
        let ask = asks.iter().find(|a| a.question.key.starts_with("qualifier:")).expect("a qualifier question");
        assert!(
            eligo_match::apply_answers(&mut patient, &asks, [(ask.question.key.as_str(), answer)], as_of()).is_empty()
        );
        prepared.screen(&PreparedPatient::new(&patient), as_of()).results[0].finding.outcome
    };
    assert_eq!(after("yes"), Outcome::Met);
    assert_eq!(after("no"), Outcome::NotMet);
}

#[test]
fn a_suspected_diagnosis_meets_suspected_or_confirmed_and_nothing_else() {
    let note = "A 14-year-old boy referred from the emergency department for suspected appendicitis.";
    let patient = eligo_patient::note::read_note(note, as_of()).patient;
    let reading = |status| Computable::Condition {
        concepts: concepts_of("appendicitis"),
        status,
        window: None,
        scope: Scope::default(),
    };
    let suspected = criterion(Section::Inclusion, "Suspected appendicitis", reading(Some(ConditionStatus::Suspected)));
    let confirmed = criterion(Section::Inclusion, "Appendicitis", reading(None));
    let trial = trial_about("Appendicitis", vec![suspected, confirmed]);
    let screening = screen(&trial, &patient);
    assert_eq!(screening.results[0].finding.outcome, Outcome::Met, "{:?}", screening.results[0]);
    assert_eq!(screening.results[1].finding.outcome, Outcome::Unknown, "a suspicion is no diagnosis");
}

#[test]
fn a_described_presentation_meets_a_suspected_disease_and_nothing_more() {
    let note = "A 3-year-old girl with fever for six days, a strawberry tongue, cracked red lips, \
                bilateral conjunctival injection and peeling skin of the fingertips.";
    let mut patient = eligo_patient::note::read_note(note, as_of()).patient;
    eligo_match::suspicion::add_suspected_conditions(&mut patient, &eligo_match::relevance::query_hypotheses(note));
    let kawasaki = concepts_of("Kawasaki disease");
    let reading =
        |status| Computable::Condition { concepts: kawasaki.clone(), status, window: None, scope: Scope::default() };
    let suspected =
        criterion(Section::Inclusion, "Kawasaki disease presentation", reading(Some(ConditionStatus::Suspected)));
    let confirmed = criterion(Section::Inclusion, "Confirmed Kawasaki disease", reading(None));
    let excluded = criterion(Section::Exclusion, "History of Kawasaki disease", reading(None));
    let screening = screen(&trial_about("Fever", vec![suspected, confirmed, excluded]), &patient);
    assert_eq!(screening.results[0].finding.outcome, Outcome::Met, "{:?}", screening.results[0]);
    assert_ne!(screening.results[1].finding.outcome, Outcome::Met, "{:?}", screening.results[1]);
    assert_ne!(screening.verdict, Verdict::Ineligible, "{:?}", screening.results[2]);
}

#[test]
fn a_stage_alone_qualifies_the_trials_own_disease() {
    let mut trial = trial_about("Breast cancer", Vec::new());
    trial.eligibility.criteria_text = Some("Inclusion Criteria:\n- Clinical stage III or IV.".into());
    let staged = |stage: &str| {
        profile(&format!(
            r#"{{"age":50,"sex":"female","conditions":[{{"name":"breast cancer","qualifiers":[{{"kind":"stage","value":"{stage}"}}]}}]}}"#
        ))
    };
    assert_eq!(screen(&trial, &staged("stage iv")).results[0].finding.outcome, Outcome::Met);
    let early = screen(&trial, &staged("stage i"));
    assert_eq!(early.results[0].finding.outcome, Outcome::NotMet, "{:?}", early.results[0]);
    // Unsaid: the question is about the stage of the patient's own disease.
    let plain = screen(&trial, &profile(r#"{"age":50,"sex":"female","conditions":["breast cancer"]}"#));
    assert_eq!(plain.results[0].finding.outcome, Outcome::Unknown, "{:?}", plain.results[0]);
    let question = plain.results[0].finding.question.as_ref().expect("a question about the stage");
    assert!(question.text.contains("breast cancer") && question.text.contains("stage"), "{}", question.text);
}

#[test]
fn a_trial_is_about_the_conditions_of_its_titles_keywords_and_list_and_its_topic_is_the_list() {
    let vocab = Vocabulary::embedded();
    let ids =
        |text: &str| -> Vec<String> { vocab.find_mentions(text).into_iter().flat_map(|m| m.concept_ids).collect() };
    let mut trial = trial_about("Rheumatoid Arthritis", Vec::new());
    trial.brief_title = Some("Tofacitinib in adults with psoriasis".into());
    trial.keywords = vec!["gout".into()];
    let prepared = PreparedTrial::new(&trial);
    for id in ids("rheumatoid arthritis").iter().chain(&ids("psoriasis")).chain(&ids("gout")) {
        assert!(prepared.about_ids.contains(id), "{id} missing from {:?}", prepared.about_ids);
    }
    // The topic is the listed condition only: the patient's RA is the index disease, which never
    // excludes alone, while psoriasis named in the title is not.
    let exclusion = |name: &str| criterion(Section::Exclusion, name, condition(name, None, Scope::default()));
    let trial = Trial { criteria: vec![exclusion("rheumatoid arthritis"), exclusion("psoriasis")], ..trial };
    let patient = profile(r#"{"age":50,"sex":"female","conditions":["rheumatoid arthritis","psoriasis"]}"#);
    let screening = screen(&trial, &patient);
    assert!(!screening.results[0].excludes(), "{:?}", screening.results[0]);
    assert!(screening.results[1].excludes(), "{:?}", screening.results[1]);
}

/// An allergy to a named drug is met by the record's allergy to it, never by having taken it; a
/// chart that lists other allergies (or none, "NKDA") settles it as not excluded, and a chart
/// silent about allergies is not excluded by silence, with the question ready for an answer sheet.
#[test]
fn an_allergy_is_met_by_an_allergy_and_settled_by_a_charts_allergy_list() {
    let carboplatin = concepts_of("carboplatin");
    let allergy = Computable::Allergy { substances: carboplatin.clone() };
    let exclude = criterion(Section::Exclusion, "Known hypersensitivity to carboplatin", allergy);
    let trial = trial_about("Ovarian cancer", vec![exclude]);
    let outcome_for = |note: &str| {
        let patient = eligo_patient::note::read_note(note, as_of()).patient;
        let screening = screen(&trial, &patient);
        (screening.results[0].finding.outcome, screening.results[0].label)
    };
    let allergic = outcome_for("A 61-year-old woman with ovarian cancer. She is allergic to carboplatin (hives).");
    assert_eq!(allergic.0, Outcome::Met);
    let treated = outcome_for("A 61-year-old woman with ovarian cancer, treated with carboplatin in 2024. NKDA.");
    assert_eq!(treated, (Outcome::NotMet, Label::NotExcluded), "having taken the drug is no allergy to it");
    let other = outcome_for("A 61-year-old woman with ovarian cancer. Allergies: penicillin.");
    assert_eq!(other.0, Outcome::NotMet);
    // A profile that lists allergies is a chart's list; one that lists none is silent about them.
    let listed = profile(r#"{"age":61,"sex":"female","conditions":["ovarian cancer"],"allergies":["penicillin"]}"#);
    assert_eq!(screen(&trial, &listed).results[0].finding.outcome, Outcome::NotMet);
    let silent = screen(&trial, &profile(r#"{"age":61,"sex":"female","conditions":["ovarian cancer"]}"#));
    let result = &silent.results[0];
    assert_eq!((result.finding.outcome, result.label), (Outcome::Unknown, Label::NotExcluded), "{result:?}");
    let question = result.finding.question.as_ref().map(|q| q.text.as_str());
    assert!(question.is_some_and(|q| q.starts_with("Are you allergic to")), "{question:?}");
}

/// A patient with one primary cancer and metastases recorded as findings of their own.
fn with_liver_metastases(conditions: &str) -> Patient {
    profile(&format!(r#"{{"age":60,"sex":"female","conditions":[{conditions}]}}"#))
}

fn staged(name: &str, stage: &str) -> Computable {
    let scope = Scope {
        qualifiers: vec![Qualifier { kind: QualifierKind::Stage, value: stage.into(), concept: None, polarity: None }],
        ..Scope::default()
    };
    condition(name, None, scope)
}

#[test]
fn metastases_recorded_apart_make_the_one_primary_cancer_metastatic() {
    let trial = trial_about(
        "Breast cancer",
        vec![
            criterion(Section::Inclusion, "Metastatic breast cancer", staged("breast cancer", "metastatic")),
            criterion(Section::Exclusion, "Early stage breast cancer", staged("breast cancer", "early stage")),
            criterion(
                Section::Exclusion,
                "Other malignancy",
                Computable::Condition {
                    concepts: concepts_of("malignancy"),
                    status: None,
                    window: None,
                    scope: Scope { besides_target: true, ..Scope::default() },
                },
            ),
        ],
    );
    let spread = screen(&trial, &with_liver_metastases(r#""breast cancer","liver metastases""#));
    let outcomes: Vec<Outcome> = spread.results.iter().map(|r| r.finding.outcome).collect();
    assert_eq!(outcomes[..2], [Outcome::Met, Outcome::NotMet], "{:?}", spread.results);
    // The metastases are the trial's cancer spread, never another malignancy.
    assert_ne!(outcomes[2], Outcome::Met, "{:?}", spread.results[2]);
    assert_ne!(spread.verdict, Verdict::Ineligible);
    // Without metastases the stage is asked; with two primaries, which one spread is open.
    let local = screen(&trial, &with_liver_metastases(r#""breast cancer""#));
    assert_eq!(local.results[0].finding.outcome, Outcome::Unknown);
    let two = screen(&trial, &with_liver_metastases(r#""breast cancer","colon cancer","liver metastases""#));
    assert_eq!(two.results[0].finding.outcome, Outcome::Unknown, "{:?}", two.results[0]);
}

#[test]
fn a_form_the_diseases_own_name_states_rules_out_another_form() {
    let course = |value: &str| Scope {
        qualifiers: vec![Qualifier { kind: QualifierKind::Course, value: value.into(), concept: None, polarity: None }],
        ..Scope::default()
    };
    let trial = trial_about(
        "Multiple sclerosis",
        vec![criterion(
            Section::Exclusion,
            "Primary progressive MS",
            condition("multiple sclerosis", None, course("primary progressive")),
        )],
    );
    let relapsing = profile(r#"{"age":30,"sex":"female","conditions":["relapsing remitting multiple sclerosis"]}"#);
    assert_eq!(screen(&trial, &relapsing).results[0].finding.outcome, Outcome::NotMet);
    let unsaid = profile(r#"{"age":30,"sex":"female","conditions":["multiple sclerosis"]}"#);
    assert_eq!(screen(&trial, &unsaid).results[0].finding.outcome, Outcome::Unknown);
}

#[test]
fn a_denied_site_is_not_met_by_a_fact_of_that_site() {
    let non = |value: &str| Scope {
        qualifiers: vec![Qualifier { kind: QualifierKind::Other, value: value.into(), concept: None, polarity: None }],
        ..Scope::default()
    };
    let trial = trial_about(
        "Asthma",
        vec![criterion(
            Section::Exclusion,
            "History of non-breast malignancy",
            Computable::Condition {
                concepts: concepts_of("malignancy"),
                status: None,
                window: None,
                scope: non("non-breast"),
            },
        )],
    );
    let outcome = |conditions: &str| {
        let patient = profile(&format!(r#"{{"age":50,"sex":"female","conditions":[{conditions}]}}"#));
        screen(&trial, &patient).results[0].finding.outcome
    };
    assert_eq!(outcome(r#""breast cancer""#), Outcome::NotMet);
    assert_eq!(outcome(r#""lung cancer""#), Outcome::Met);
}
