//! Extraction on real criteria excerpts (ClinicalTrials.gov records): what each one asks.

use eligo_criteria::parse_criteria;
use eligo_model::{Computable, Operator, PregnancyState, Section, TimeUnit};

/// The computables of the only criterion group a one-criterion text gives, flattened.
fn computables(text: &str) -> Vec<Computable> {
    parse_criteria(text).into_iter().flat_map(|c| c.computable).collect()
}

fn age_bounds(text: &str) -> (Option<f64>, Option<f64>) {
    computables(text)
        .into_iter()
        .find_map(|c| match c {
            Computable::Age { min, max } => Some((min.map(|d| d.value), max.map(|d| d.value))),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no age in {text:?}"))
}

#[test]
fn ages_in_every_spelling() {
    assert_eq!(age_bounds("Age at signing the ICF≥18 years and ≤78 years"), (Some(18.0), Some(78.0)));
    assert_eq!(
        age_bounds("Males and females between the ages of 21 and 50 years of age (inclusive)."),
        (Some(21.0), Some(50.0))
    );
    assert_eq!(
        age_bounds("adults aged 18-80 with early diffuse cutaneous systemic sclerosis"),
        (Some(18.0), Some(80.0))
    );
    assert_eq!(age_bounds("18 years of age or older"), (Some(18.0), None));
    assert_eq!(age_bounds("Patients younger than 12 years"), (None, Some(12.0)));
}

#[test]
fn headings_with_a_remark_switch_the_section() {
    let text = "Inclusion criteria\n- Type 2 diabetes mellitus\nExclusion criteria (subject to be excluded if meeting any of the followings)\n- History of drug abuse or alcohol abuse\n";
    let criteria = parse_criteria(text);
    assert_eq!(criteria.len(), 2, "{criteria:?}");
    assert_eq!(criteria[1].section, Section::Exclusion);
}

#[test]
fn durations_windows_and_anchors() {
    let found = computables("At least 8 weeks of metformin monotherapy received prior to screening");
    assert!(
        found.iter().any(|c| matches!(c, Computable::PriorTherapy { drugs, window: Some(w), .. }
            if drugs.iter().any(|d| d.id == "DRUG:metformin") && w.for_at_least.map(|d| (d.value, d.unit)) == Some((8.0, TimeUnit::Weeks)))),
        "{found:?}"
    );
    let found = computables("Growth hormone therapy within the 6 months prior to screening");
    assert!(
        found.iter().any(|c| matches!(c, Computable::PriorTherapy { window: Some(w), .. }
            if w.within.map(|d| d.value) == Some(6.0) && w.anchor.as_deref() == Some("screening"))),
        "{found:?}"
    );
}

#[test]
fn thresholds_with_uln_spellings_and_two_names_of_one_test() {
    let found = computables("Serum creatinine>1.5×UNL");
    assert!(
        found
            .iter()
            .any(|c| matches!(c, Computable::Lab { uln_multiple: true, comparison, .. } if comparison.value == 1.5)),
        "{found:?}"
    );
    let found = computables("Body mass index (BMI) 20-40 Kg/m2");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(matches!(&found[0], Computable::Lab { test, comparison, .. }
        if test.id == "ELIGO:vital.bmi" && comparison.operator == Operator::Range && comparison.value_high == Some(40.0)));
}

#[test]
fn pregnancy_lactation_and_contraception_in_an_exclusion() {
    let text = "Exclusion Criteria:\n- Pregnant or lactating women, or men or women of child-bearing potential not willing to take contraceptive measures during the study";
    let found = computables(text);
    for state in [PregnancyState::Pregnant, PregnancyState::Lactating, PregnancyState::Contraception] {
        assert!(found.contains(&Computable::Pregnancy { state }), "{state:?}: {found:?}");
    }
    // The pregnancy words are not also read as a condition.
    assert!(!found.iter().any(|c| matches!(c, Computable::Condition { .. })), "{found:?}");
}

#[test]
fn hyphenated_words_are_not_split_as_glued() {
    let found = computables(
        "No glucose-lowering medications other than metformin received within the 8 weeks prior to screening",
    );
    let text = format!("{found:?}");
    assert!(!text.contains("lowe ring"), "{text}");
}

#[test]
fn other_peoples_ages_places_and_drug_purposes_are_not_misread() {
    // Not the patient's age.
    for text in ["Post-menopausal (≥ 1 year) women", "First-degree relative with colon cancer diagnosed < 45 years"] {
        let found = computables(text);
        assert!(!found.iter().any(|c| matches!(c, Computable::Age { .. })), "{text}: {found:?}");
    }
    // A place, not lactation.
    let found = computables("Nursing home resident");
    assert!(!found.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{found:?}");
    // A drug for a disease is a drug.
    let found = computables("Current osteoporosis medication");
    assert!(!found.iter().any(|c| matches!(c, Computable::Condition { .. })), "{found:?}");
    // A condition, not a sex restriction.
    let found = computables("Women with a history of PCOS");
    assert!(
        found.iter().any(
            |c| matches!(c, Computable::Condition { concepts, .. } if concepts.iter().any(|k| k.id == "ICD10CM:E28.2"))
        ),
        "{found:?}"
    );
}

#[test]
fn the_therapy_of_a_condition_is_a_prior_therapy_not_the_condition() {
    for text in ["Prior psoriasis treatment within 6 months", "Received other asthma therapy"] {
        let found = computables(text);
        assert!(!found.iter().any(|c| matches!(c, Computable::Condition { .. })), "{text}: {found:?}");
        assert!(
            found.iter().any(|c| matches!(c, Computable::PriorTherapy { drugs, .. }
                if drugs.iter().any(|d| d.name.ends_with("treatment") || d.name.ends_with("therapy")))),
            "{text}: {found:?}"
        );
    }
    // The condition itself is still read where no therapy word follows it.
    let found = computables("History of psoriasis requiring hospitalisation");
    assert!(found.iter().any(|c| matches!(c, Computable::Condition { .. })), "{found:?}");
}

#[test]
fn sub_items_of_an_inclusion_announcing_alternatives_are_one_criterion() {
    let text = "Inclusion Criteria:\n\n  - Age 18 years or older\n  - At least one of the following:\n      - asthma\n      - chronic obstructive pulmonary disease\n\nExclusion Criteria:\n\n  - Any of the following:\n      - pregnancy\n      - tuberculosis\n";
    let criteria = parse_criteria(text);
    let conditions = |c: &eligo_model::Criterion| {
        c.computable.iter().filter(|k| matches!(k, Computable::Condition { .. } | Computable::Infection { .. })).count()
    };
    let inclusions: Vec<_> = criteria.iter().filter(|c| c.section == Section::Inclusion).collect();
    let list: Vec<_> = inclusions.iter().filter(|c| conditions(c) > 0).collect();
    assert_eq!(list.len(), 1, "{inclusions:#?}");
    assert_eq!(conditions(list[0]), 2, "{:#?}", list[0]);
    assert!(list[0].text.contains("asthma") && list[0].text.contains("chronic obstructive"), "{}", list[0].text);
    // Exclusions stay one per item: any of them excludes.
    let exclusions: Vec<_> =
        criteria.iter().filter(|c| c.section == Section::Exclusion && !c.computable.is_empty()).collect();
    assert!(exclusions.iter().any(|c| c.text.trim() == "tuberculosis"), "{exclusions:#?}");
}

#[test]
fn the_trials_own_procedures_and_drugs_are_not_clinical_mentions() {
    for text in [
        "Inability to attend study visits or comply with study procedures",
        "Hypersensitivity to the study drug",
        "Unable to tolerate protocol therapy",
    ] {
        let read = computables(text);
        assert!(
            read.iter().all(|c| !matches!(c, Computable::Procedure { .. } | Computable::PriorTherapy { .. })),
            "{text:?} read as {read:?}"
        );
    }
    // The same words after anything else still name what the patient had.
    let surgery = computables("Any surgical procedures within 4 weeks");
    assert!(surgery.iter().any(|c| matches!(c, Computable::Procedure { .. })), "{surgery:?}");
}

#[test]
fn a_lab_against_the_normal_range_without_a_number() {
    let uln = |text: &str| -> Vec<(Operator, f64, Option<String>, bool)> {
        computables(text)
            .into_iter()
            .filter_map(|c| match c {
                Computable::Lab { comparison, uln_multiple, .. } => {
                    Some((comparison.operator, comparison.value, comparison.unit, uln_multiple))
                }
                _ => None,
            })
            .collect()
    };
    let within = (Operator::Le, 1.0, Some("uln".to_string()), true);
    assert_eq!(uln("Serum bilirubin within the normal limits of the site"), vec![within.clone()]);
    assert_eq!(uln("ALT or AST ≤ ULN"), vec![within.clone(), within]);
    assert_eq!(
        uln("Creatinine above the upper limit of normal"),
        vec![(Operator::Gt, 1.0, Some("uln".to_string()), true)]
    );
    // Against the lower limit: at or above it unless a word says below.
    let lower = |op| vec![(op, 1.0, Some("lln".to_string()), false)];
    assert_eq!(uln("Serum sodium ≥ LLN"), lower(Operator::Ge));
    assert_eq!(uln("Serum albumin below the lower limit of normal"), lower(Operator::Lt));
    assert_eq!(uln("LVEF at or above the institutional lower limit of normal"), lower(Operator::Ge));
    assert_eq!(uln("Serum potassium < LLN"), lower(Operator::Lt));
}

#[test]
fn plural_terms_and_dated_procedures() {
    let found = computables(
        "Exclusion Criteria:\n\n* Cardiac arrhythmias needing DC cardioversion within 3 months before baseline",
    );
    let text = format!("{found:?}");
    // The plural is read as the arrhythmia concept (MeSH's plural name sits under ICD-10-CM's).
    let vocab = eligo_vocab::Vocabulary::embedded();
    assert!(
        found.iter().any(|c| matches!(c, Computable::Condition { concepts, .. }
            if concepts.iter().any(|k| vocab.is_a(&k.id, "ICD10CM:I49.9")))),
        "{text}"
    );
    assert!(
        found.iter().any(|c| matches!(c, Computable::Procedure { concepts, window: Some(w), .. }
            if concepts.iter().any(|k| k.id == "ELIGO:proc.cardioversion") && w.within.is_some()))
            || found.iter().any(|c| matches!(c, Computable::Condition { window: Some(_), .. })),
        "{text}"
    );
}

#[test]
fn adherence_and_legal_capacity_are_not_chart_questions() {
    use eligo_model::NonComputableReason;
    let reason = |text: &str| match computables(text).as_slice() {
        [Computable::NotComputable { reason }] => Some(*reason),
        _ => None,
    };
    assert_eq!(reason("Able to adhere to the visit schedule of the trial"), Some(NonComputableReason::Compliance));
    assert_eq!(reason("Persons who are incarcerated"), Some(NonComputableReason::Consent));
}

#[test]
fn a_qualitative_result_before_the_test() {
    for text in ["Detectable HCV RNA at the screening visit", "A positive pre-study serum HIV test"] {
        let found = computables(text);
        assert!(
            found.iter().any(
                |c| matches!(c, Computable::Lab { comparison, .. } if comparison.unit.as_deref() == Some("positive"))
            ),
            "{text}: {found:?}"
        );
    }
}

/// The concept ids of the prior-therapy readings of a text.
fn prior_therapy_ids(text: &str) -> Vec<String> {
    computables(text)
        .into_iter()
        .flat_map(|c| match c {
            Computable::PriorTherapy { drugs, .. } => drugs.into_iter().map(|d| d.id).collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn a_drug_class_named_in_any_of_its_names_is_a_prior_therapy() {
    for (text, class) in [
        ("Use of proton pump inhibitors within 14 days before randomisation", "MESH:D054328"),
        ("Current treatment with a PPI", "MESH:D054328"),
        ("Patients taking antihistamines", "MESH:D006633"),
        ("Treatment with a sulphonylurea in the past 3 months", "MESH:D013453"),
        ("Exposure to fibrates within 6 weeks of the first dose", "MESH:D058607"),
        ("Receiving intravenous inotropes", "MESH:D002316"),
        ("On blood thinners", "ELIGO:class.anticoagulant"),
    ] {
        assert!(prior_therapy_ids(text).iter().any(|id| id == class), "{text}: {:?}", computables(text));
    }
    let found = computables("Use of proton pump inhibitors within 14 days before randomisation");
    assert!(
        found.iter().any(|c| matches!(c, Computable::PriorTherapy { window: Some(_), .. })),
        "the window belongs to the class: {found:?}"
    );
}

#[test]
fn an_organism_a_patient_has_is_an_infection() {
    for (text, organism) in [
        ("History of C. difficile within the past 6 months", "MESH:D016360"),
        ("Active cytomegalovirus disease requiring treatment", "MESH:D003586"),
        ("Chronic airway colonisation with Pseudomonas", "MESH:D011552"),
        ("Gram-negative bacteria isolated from the blood culture", "MESH:D006090"),
    ] {
        let found = computables(text);
        assert!(
            found.iter().any(|c| matches!(c, Computable::Infection { concepts, .. }
                if concepts.iter().any(|k| k.id == organism))),
            "{text}: {found:?}"
        );
    }
}
