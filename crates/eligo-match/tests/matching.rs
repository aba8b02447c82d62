//! Criterion evaluation, verdicts and questions on hand-built criteria, so that the matcher's
//! logic is pinned down independently of what the criteria engine extracts today.

use eligo_match::{lay_questions, rank_questions, Basis, Outcome, PreparedPatient, PreparedTrial, Verdict};
use eligo_model::{
    Computable, ConditionStatus, Criterion, Duration, Operator, Patient, PregnancyState, Section, TimeUnit, TimeWindow,
    Trial,
};
mod common;

use common::{as_of, comparison, concept, criterion, profile};

fn within(value: f64, unit: TimeUnit) -> Option<TimeWindow> {
    Some(TimeWindow { within: Some(Duration::new(value, unit)), ..TimeWindow::default() })
}

fn trial_with(criteria: Vec<Criterion>) -> Trial {
    Trial { id: "NCT00000001".into(), criteria, ..Trial::default() }
}

fn outcome_of(patient: &Patient, c: Criterion) -> (Outcome, String) {
    let trial = trial_with(vec![c]);
    let prepared = PreparedTrial::new(&trial);
    let screening = prepared.screen(&PreparedPatient::new(patient), as_of());
    let result = &screening.results[0];
    (result.finding.outcome, result.finding.reason.clone())
}

#[test]
fn hierarchy_and_synonyms_match_conditions_and_drugs() {
    let patient = profile(
        r#"{"conditions":["lupus nephritis"],"medications":[{"name":"Rituxan","start":"2026-07-20","stop":"2026-07-27"}]}"#,
    );
    let sle = criterion(
        Section::Inclusion,
        "SLE",
        Computable::Condition {
            concepts: vec![concept("ICD10CM:M32", "Systemic lupus erythematosus")],
            status: None,
            window: None,
            scope: Default::default(),
        },
    );
    assert_eq!(outcome_of(&patient, sle).0, Outcome::Met);
    let b_cell = criterion(
        Section::Exclusion,
        "prior B cell-depleting therapy",
        Computable::PriorTherapy {
            drugs: vec![concept("ELIGO:class.b_cell_depleting", "B cell-depleting therapy")],
            window: None,
            dose: None,
            scope: Default::default(),
        },
    );
    assert_eq!(outcome_of(&patient, b_cell).0, Outcome::Met);
}

#[test]
fn a_more_specific_criterion_is_unknown_not_met() {
    let patient = profile(r#"{"conditions":["systemic lupus erythematosus"]}"#);
    let nephritis = criterion(
        Section::Inclusion,
        "lupus nephritis",
        Computable::Condition {
            concepts: vec![concept("MESH:D008181", "Lupus Nephritis")],
            status: None,
            window: None,
            scope: Default::default(),
        },
    );
    let (outcome, reason) = outcome_of(&patient, nephritis);
    assert_eq!(outcome, Outcome::Unknown, "{reason}");
}

#[test]
fn time_windows_use_the_evaluation_date() {
    let patient = profile(r#"{"medications":[{"name":"rituximab","start":"2026-07-20","stop":"2026-07-27"}]}"#);
    let recent = |months| {
        criterion(
            Section::Exclusion,
            "rituximab within N months",
            Computable::PriorTherapy {
                drugs: vec![concept("DRUG:rituximab", "rituximab")],
                window: within(months, TimeUnit::Months),
                dose: None,
                scope: Default::default(),
            },
        )
    };
    assert_eq!(outcome_of(&patient, recent(6.0)).0, Outcome::Met);
    assert_eq!(outcome_of(&patient, recent(3.0)).0, Outcome::NotMet);
    let undated = profile(r#"{"medications":[{"name":"rituximab","stop":"2020-01-01"}]}"#);
    assert_eq!(outcome_of(&undated, recent(6.0)).0, Outcome::NotMet);
}

#[test]
fn a_test_that_must_be_known_is_met_by_any_result_and_unknown_without_one() {
    let known_ldh = |operator| {
        criterion(
            Section::Inclusion,
            "LDH performed",
            Computable::Lab {
                test: concept("ELIGO:lab.ldh", "Lactate dehydrogenase"),
                comparison: comparison(operator, 1.0, Some(eligo_model::KNOWN_RESULT_UNIT)),
                uln_multiple: false,
                window: None,
            },
        )
    };
    let tested = profile(r#"{"labs":[{"name":"LDH","value":900,"unit":"U/L"}]}"#);
    let (outcome, reason) = outcome_of(&tested, known_ldh(Operator::Eq));
    assert_eq!(outcome, Outcome::Met, "{reason}");
    assert_eq!(outcome_of(&tested, known_ldh(Operator::Ne)).0, Outcome::NotMet);
    let untested = profile(r#"{"labs":[{"name":"eGFR","value":95,"unit":"mL/min/1.73m2"}]}"#);
    assert_eq!(outcome_of(&untested, known_ldh(Operator::Eq)).0, Outcome::Unknown);
}

#[test]
fn an_instrument_no_vocabulary_lists_is_met_by_a_result_recorded_under_its_name_and_asked_as_a_score() {
    let fatigue = || {
        criterion(
            Section::Inclusion,
            "A score of 15 or more on the Morning Fatigue Scale",
            Computable::Lab {
                test: concept("TEXT:morning fatigue scale", "Morning Fatigue Scale"),
                comparison: comparison(Operator::Ge, 15.0, None),
                uln_multiple: false,
                window: None,
            },
        )
    };
    // The record's name may add "score" and differ in case and spacing.
    let tired = profile(r#"{"labs":[{"name":"morning  fatigue scale score","value":17}]}"#);
    assert_eq!(outcome_of(&tired, fatigue()).0, Outcome::Met);
    let rested = profile(r#"{"labs":[{"name":"Morning Fatigue Scale","value":4}]}"#);
    assert_eq!(outcome_of(&rested, fatigue()).0, Outcome::NotMet);
    // Another instrument's result says nothing about this one.
    let other = profile(r#"{"labs":[{"name":"Evening Fatigue Scale","value":30}]}"#);
    let (outcome, _) = outcome_of(&other, fatigue());
    assert_eq!(outcome, Outcome::Unknown);
    let trial = trial_with(vec![fatigue()]);
    let prepared = PreparedTrial::new(&trial);
    let lay = lay_questions([&prepared], &other, as_of());
    let texts: Vec<String> = lay.values().filter_map(|q| q.as_ref().ok()).map(|q| q.text.clone()).collect();
    assert_eq!(texts, ["What was your latest Morning Fatigue Scale score?"]);
}

#[test]
fn a_life_expectancy_is_left_to_the_study_doctor_not_asked() {
    let life_expectancy = |test: &str, name: &str| {
        criterion(
            Section::Inclusion,
            "Life expectancy of at least 3 months",
            Computable::Lab {
                test: concept(test, name),
                comparison: comparison(Operator::Ge, 3.0, Some("months")),
                uln_multiple: false,
                window: None,
            },
        )
    };
    let patient = profile(r#"{"conditions":["asthma"]}"#);
    let questions = |c: Criterion| {
        let trial = trial_with(vec![c]);
        let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of());
        screening.results.iter().filter_map(|r| r.finding.question.clone()).count()
    };
    assert_eq!(questions(life_expectancy("ELIGO:vital.life_expectancy", "Life expectancy")), 0);
    // A test result is still asked for.
    assert_eq!(questions(life_expectancy("ELIGO:lab.ldh", "Lactate dehydrogenase")), 1);
}

#[test]
fn lab_thresholds_convert_units() {
    let patient = profile(r#"{"labs":[{"name":"IgG","value":350,"unit":"mg/dL","date":"2026-11-20"}]}"#);
    let igg = criterion(
        Section::Exclusion,
        "IgG<4g/L",
        Computable::Lab {
            test: concept("ELIGO:lab.igg", "IgG"),
            comparison: comparison(Operator::Lt, 4.0, Some("g/L")),
            uln_multiple: false,
            window: None,
        },
    );
    let (outcome, reason) = outcome_of(&patient, igg);
    assert_eq!(outcome, Outcome::Met, "{reason}");
    let egfr_low = criterion(
        Section::Exclusion,
        "eGFR<30",
        Computable::Lab {
            test: concept("ELIGO:lab.egfr", "eGFR"),
            comparison: comparison(Operator::Lt, 30.0, Some("mL/min/1.73m2")),
            uln_multiple: false,
            window: None,
        },
    );
    let healthy = profile(r#"{"labs":[{"name":"eGFR","value":95,"unit":"mL/min/1.73m2"}]}"#);
    assert_eq!(outcome_of(&healthy, egfr_low.clone()).0, Outcome::NotMet);
    assert_eq!(outcome_of(&Patient::default(), egfr_low).0, Outcome::Unknown);
}

#[test]
fn a_childs_weight_is_inferred_from_age_only_outside_the_growth_charts() {
    let weight = |section, text: &str, operator, value, unit| {
        criterion(
            section,
            text,
            Computable::Lab {
                test: concept("ELIGO:vital.weight", "Body weight"),
                comparison: comparison(operator, value, Some(unit)),
                uln_multiple: false,
                window: None,
            },
        )
    };
    let toddler = profile(r#"{"age":3,"sex":"female"}"#);
    let at_least_4kg = weight(Section::Inclusion, "Weight of 4 kg or more", Operator::Ge, 4.0, "kg");
    let (outcome, reason) = outcome_of(&toddler, at_least_4kg.clone());
    assert_eq!(outcome, Outcome::Met, "{reason}");
    assert!(reason.contains("growth charts"), "{reason}");
    let over_200_lb = weight(Section::Exclusion, "Weight over 200 lb", Operator::Gt, 200.0, "lb");
    assert_eq!(outcome_of(&toddler, over_200_lb).0, Outcome::NotMet);
    // A threshold a child of that age may or may not reach stays a question.
    let at_least_15kg = weight(Section::Inclusion, "Weight of 15 kg or more", Operator::Ge, 15.0, "kg");
    assert_eq!(outcome_of(&toddler, at_least_15kg).0, Outcome::Unknown);
    // Adults' weights are never inferred, and a recorded weight always wins.
    let adult = profile(r#"{"age":40}"#);
    assert_eq!(outcome_of(&adult, at_least_4kg.clone()).0, Outcome::Unknown);
    let weighed = profile(r#"{"age":3,"labs":[{"name":"body weight","value":3.5,"unit":"kg"}]}"#);
    assert_eq!(outcome_of(&weighed, at_least_4kg).0, Outcome::NotMet);
}

#[test]
fn uln_multiples_need_a_reference_range() {
    let alt = criterion(
        Section::Exclusion,
        "ALT > 2 ULN",
        Computable::Lab {
            test: concept("ELIGO:lab.alt", "ALT"),
            comparison: comparison(Operator::Gt, 2.0, Some("ULN")),
            uln_multiple: true,
            window: None,
        },
    );
    let high = profile(r#"{"labs":[{"name":"ALT","value":100,"unit":"U/L","reference_high":40}]}"#);
    assert_eq!(outcome_of(&high, alt.clone()).0, Outcome::Met);
    let no_range = profile(r#"{"labs":[{"name":"ALT","value":100,"unit":"U/L"}]}"#);
    assert_eq!(outcome_of(&no_range, alt).0, Outcome::Unknown);
}

#[test]
fn a_lower_normal_limit_is_the_results_own_reference_range() {
    let potassium = criterion(
        Section::Inclusion,
        "Potassium ≥ LLN",
        Computable::Lab {
            test: concept("ELIGO:lab.potassium", "Potassium"),
            comparison: comparison(Operator::Ge, 1.0, Some("lln")),
            uln_multiple: false,
            window: None,
        },
    );
    let lab = |value: f64, low: &str| {
        profile(&format!(r#"{{"labs":[{{"name":"potassium","value":{value},"unit":"mmol/L"{low}}}]}}"#))
    };
    assert_eq!(outcome_of(&lab(4.1, r#","reference_low":3.5"#), potassium.clone()).0, Outcome::Met);
    assert_eq!(outcome_of(&lab(3.1, r#","reference_low":3.5"#), potassium.clone()).0, Outcome::NotMet);
    assert_eq!(outcome_of(&lab(3.1, ""), potassium).0, Outcome::Unknown);
}

#[test]
fn three_valued_logic_alternatives_and_negation() {
    let patient =
        profile(r#"{"sex":"female","conditions":["asthma"],"absent":[{"kind":"condition","name":"hepatitis B"}]}"#);
    let hep_b = Computable::Condition {
        concepts: vec![concept("ICD10CM:B18.1", "Chronic viral hepatitis B")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let male = Computable::Sex { sex: eligo_model::Sex::Male };
    let copd = Computable::Condition {
        concepts: vec![concept("ICD10CM:J44", "COPD")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    // An explicit absence is knowledge; a condition the chart does not mention is not.
    assert_eq!(outcome_of(&patient, criterion(Section::Exclusion, "hep B", hep_b.clone())).0, Outcome::NotMet);
    assert_eq!(outcome_of(&patient, criterion(Section::Exclusion, "COPD", copd.clone())).0, Outcome::Unknown);
    // Alternatives: not met only when all are not met; unknown beats not met.
    let mut either = criterion(Section::Exclusion, "male or hep B", male.clone());
    either.computable.push(hep_b.clone());
    assert_eq!(outcome_of(&patient, either).0, Outcome::NotMet);
    let mut open = criterion(Section::Exclusion, "male or COPD", male);
    open.computable.push(copd);
    assert_eq!(outcome_of(&patient, open).0, Outcome::Unknown);
    // A negated criterion ("no hepatitis B") holds when its computable does not.
    let mut negated = criterion(Section::Inclusion, "no hepatitis B", hep_b);
    negated.negated = true;
    assert_eq!(outcome_of(&patient, negated).0, Outcome::Met);
}

#[test]
fn condition_status_is_respected() {
    let patient = profile(r#"{"conditions":[{"name":"SLE","status":"remission"}]}"#);
    let active = criterion(
        Section::Exclusion,
        "active SLE",
        Computable::Condition {
            concepts: vec![concept("ICD10CM:M32", "SLE")],
            status: Some(ConditionStatus::Active),
            window: None,
            scope: Default::default(),
        },
    );
    assert_eq!(outcome_of(&patient, active).0, Outcome::NotMet);
    let remission = criterion(
        Section::Inclusion,
        "SLE in remission",
        Computable::Condition {
            concepts: vec![concept("ICD10CM:M32", "SLE")],
            status: Some(ConditionStatus::Remission),
            window: None,
            scope: Default::default(),
        },
    );
    assert_eq!(outcome_of(&patient, remission).0, Outcome::Met);
}

#[test]
fn verdicts_name_the_excluding_criterion() {
    let patient = profile(r#"{"age":30,"sex":"male","conditions":["asthma"]}"#);
    let asthma = Computable::Condition {
        concepts: vec![concept("ICD10CM:J45", "Asthma")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let adults = Computable::Age { min: Some(Duration::years(18.0)), max: Some(Duration::years(65.0)) };
    let pregnant = Computable::Pregnancy { state: PregnancyState::Pregnant };
    let eligible = trial_with(vec![
        criterion(Section::Inclusion, "adults", adults.clone()),
        criterion(Section::Inclusion, "asthma", asthma.clone()),
        criterion(Section::Exclusion, "pregnant", pregnant),
    ]);
    let screening = PreparedTrial::new(&eligible).screen(&PreparedPatient::new(&patient), as_of());
    assert_eq!(screening.verdict, Verdict::Eligible, "{:#?}", screening.results);

    let women = Computable::Sex { sex: eligo_model::Sex::Female };
    let ineligible = trial_with(vec![
        criterion(Section::Inclusion, "women only", women),
        criterion(Section::Inclusion, "asthma", asthma.clone()),
    ]);
    let screening = PreparedTrial::new(&ineligible).screen(&PreparedPatient::new(&patient), as_of());
    assert_eq!(screening.verdict, Verdict::Ineligible);
    assert_eq!(screening.exclusions().map(|r| r.text.as_str()).collect::<Vec<_>>(), ["women only"]);

    let copd = Computable::Condition {
        concepts: vec![concept("ICD10CM:J44", "COPD")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let possible =
        trial_with(vec![criterion(Section::Inclusion, "asthma", asthma), criterion(Section::Exclusion, "COPD", copd)]);
    let screening = PreparedTrial::new(&possible).screen(&PreparedPatient::new(&patient), as_of());
    assert_eq!(screening.verdict, Verdict::Possible);
    assert_eq!(screening.questions()[0].text, "Have you been diagnosed with COPD?");
}

#[test]
fn registry_age_and_sex_limits_are_criteria() {
    let mut trial = trial_with(Vec::new());
    trial.eligibility.minimum_age = Some(Duration::years(18.0));
    trial.eligibility.sex = Some(eligo_model::Sex::Female);
    let child = profile(r#"{"age":12,"sex":"female"}"#);
    let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&child), as_of());
    assert_eq!(screening.verdict, Verdict::Ineligible);
    assert_eq!(screening.results[0].basis, Basis::Registry);
    assert_eq!(screening.results[0].finding.outcome, Outcome::NotMet);
}

#[test]
fn questions_rank_by_verdicts_they_settle() {
    let patient = profile(r#"{"age":40,"sex":"female","conditions":["SLE"]}"#);
    let sle = Computable::Condition {
        concepts: vec![concept("ICD10CM:M32", "SLE")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let ritux = Computable::PriorTherapy {
        drugs: vec![concept("DRUG:rituximab", "rituximab")],
        window: within(6.0, TimeUnit::Months),
        dose: None,
        scope: Default::default(),
    };
    let preg = Computable::Pregnancy { state: PregnancyState::Pregnant };
    let a = trial_with(vec![
        criterion(Section::Inclusion, "SLE", sle.clone()),
        criterion(Section::Exclusion, "rituximab", ritux.clone()),
    ]);
    let b = trial_with(vec![
        criterion(Section::Inclusion, "SLE", sle.clone()),
        criterion(Section::Exclusion, "rituximab", ritux),
        criterion(Section::Exclusion, "pregnant", preg.clone()),
    ]);
    let c =
        trial_with(vec![criterion(Section::Inclusion, "SLE", sle), criterion(Section::Exclusion, "pregnant", preg)]);
    let p = PreparedPatient::new(&patient);
    let prepared: Vec<PreparedTrial> = [&a, &b, &c].iter().map(|t| PreparedTrial::new(t)).collect();
    let screenings: Vec<_> = prepared.iter().map(|t| t.screen(&p, as_of())).collect();
    let lay = lay_questions(&prepared, &patient, as_of());
    let ids = ["A", "B", "C"];
    let questions = rank_questions(ids.iter().copied().zip(screenings.iter()), &lay);
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[0].question.text, "Have you taken rituximab (Rituxan, MabThera) in the last 6 months?");
    assert_eq!((questions[0].trials, questions[0].decides), (2, 1));
    assert_eq!(questions[1].question.text, "Are you pregnant?");
}

#[test]
fn pregnancy_read_as_a_condition_uses_the_pregnancy_flag() {
    let pregnancy = concept("ELIGO:cond.pregnancy", "Pregnancy");
    let as_condition = Computable::Condition {
        concepts: vec![pregnancy.clone(), pregnancy],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let not_pregnant = profile(r#"{"sex":"female","pregnant":false}"#);
    assert_eq!(
        outcome_of(&not_pregnant, criterion(Section::Exclusion, "pregnancy", as_condition.clone())).0,
        Outcome::NotMet
    );
    let trial = trial_with(vec![criterion(Section::Exclusion, "pregnancy", as_condition)]);
    let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&profile(r#"{"sex":"female"}"#)), as_of());
    assert_eq!(screening.questions()[0].text, "Are you pregnant?");
}

#[test]
fn a_finding_the_criterion_excepts_is_unknown_when_the_patient_has_the_exception() {
    let pain = Computable::Condition {
        concepts: vec![concept("TEXT:pain", "pain")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let text = "Significant pain associated with conditions other than rheumatoid arthritis";
    let with_exception = profile(r#"{"conditions":["pain","rheumatoid arthritis"]}"#);
    let (outcome, reason) = outcome_of(&with_exception, criterion(Section::Exclusion, text, pain.clone()));
    assert_eq!(outcome, Outcome::Unknown, "{reason}");
    assert!(reason.contains("excepts"), "{reason}");
    // Without the excepted condition, the pain must come from something else: met.
    let without = profile(r#"{"conditions":["pain"]}"#);
    assert_eq!(outcome_of(&without, criterion(Section::Exclusion, text, pain)).0, Outcome::Met);
}

#[test]
fn a_recorded_finding_outweighs_a_denial_of_it() {
    let note = "On Monday she denied headache. Today: headache since the morning.";
    let parsed = eligo_patient::note::read_note(note, as_of());
    let headache = Computable::Condition {
        concepts: vec![concept("TEXT:headache", "headache")],
        status: None,
        window: None,
        scope: Default::default(),
    };
    let (outcome, reason) = outcome_of(&parsed.patient, criterion(Section::Exclusion, "Chronic headache", headache));
    assert_eq!(outcome, Outcome::Met, "{reason}");
}

#[test]
fn at_least_ago_dates_a_condition_from_onset_and_a_drug_from_its_last_dose() {
    let ago = |value: f64, unit: TimeUnit| {
        Some(TimeWindow { at_least_ago: Some(Duration::new(value, unit)), ..TimeWindow::default() })
    };
    let diabetes = |window| {
        criterion(
            Section::Inclusion,
            "Diagnosed with type 2 diabetes at least 180 days before screening",
            Computable::Condition {
                concepts: vec![concept("ICD10CM:E11", "Type 2 diabetes mellitus")],
                status: None,
                window,
                scope: Default::default(),
            },
        )
    };
    let long_standing = profile(r#"{"conditions":[{"name":"type 2 diabetes mellitus","onset":"2019-03"}]}"#);
    assert_eq!(outcome_of(&long_standing, diabetes(ago(180.0, TimeUnit::Days))).0, Outcome::Met);
    let recent = profile(r#"{"conditions":[{"name":"type 2 diabetes mellitus","onset":"2026-10-01"}]}"#);
    assert_eq!(outcome_of(&recent, diabetes(ago(180.0, TimeUnit::Days))).0, Outcome::NotMet);
    let undated = profile(r#"{"conditions":["type 2 diabetes mellitus"]}"#);
    assert_eq!(outcome_of(&undated, diabetes(ago(180.0, TimeUnit::Days))).0, Outcome::Unknown, "onset unknown");

    let washout = criterion(
        Section::Inclusion,
        "Last rituximab dose at least 4 weeks before screening",
        Computable::PriorTherapy {
            drugs: vec![concept("RXNORM:121191", "rituximab")],
            window: ago(4.0, TimeUnit::Weeks),
            dose: None,
            scope: Default::default(),
        },
    );
    let ongoing = profile(r#"{"medications":[{"name":"rituximab","start":"2025-01-10"}]}"#);
    assert_eq!(outcome_of(&ongoing, washout.clone()).0, Outcome::NotMet, "still taking it: not more than 4 weeks ago");
    let stopped = profile(r#"{"medications":[{"name":"rituximab","start":"2025-01-10","stop":"2025-06-01"}]}"#);
    assert_eq!(outcome_of(&stopped, washout).0, Outcome::Met);
}

#[test]
fn an_agreement_to_use_contraception_is_settled_at_screening_and_keeps_no_trial_from_eligible() {
    let patient = profile(r#"{"age":30,"sex":"female"}"#);
    let adults = Computable::Age { min: Some(Duration::years(18.0)), max: None };
    let contraception = Computable::Pregnancy { state: PregnancyState::Contraception };
    let trial = trial_with(vec![
        criterion(Section::Inclusion, "Adults", adults),
        criterion(Section::Inclusion, "Women of childbearing potential must agree to use contraception", contraception),
    ]);
    let screening = PreparedTrial::new(&trial).screen(&PreparedPatient::new(&patient), as_of());
    assert_eq!(screening.verdict, Verdict::Eligible);
    assert_eq!(screening.results[1].basis, Basis::NotComputable);
}
