//! What each criterion is about: qualifiers, exceptions, "another" disease, the target of a therapy,
//! the group a rule applies to, and roles (permissions, misfiled inclusions, washouts). Examples are
//! written for these tests.

use eligo_criteria::parse_criteria;
use eligo_model::{
    Computable, Criterion, EntityType, NonComputableReason, QualifierKind, Scope, Section, Sex, TimeUnit,
};

/// The criteria of one exclusion (or inclusion) item.
fn parse_item(section: &str, item: &str) -> Vec<Criterion> {
    parse_criteria(&format!("{section} Criteria:\n- {item}\n"))
}

fn readings(section: &str, item: &str) -> Vec<Computable> {
    parse_item(section, item).into_iter().flat_map(|c| c.computable).collect()
}

fn scope_of(c: &Computable) -> Option<&Scope> {
    match c {
        Computable::Condition { scope, .. }
        | Computable::Infection { scope, .. }
        | Computable::PriorTherapy { scope, .. }
        | Computable::Procedure { scope, .. } => Some(scope),
        _ => None,
    }
}

fn qualifier_values(c: &Computable) -> Vec<String> {
    scope_of(c).map(|s| s.qualifiers.iter().map(|q| q.value.clone()).collect()).unwrap_or_default()
}

fn names(concepts: &[eligo_model::ConceptRef]) -> Vec<String> {
    concepts.iter().map(|c| c.name.to_lowercase()).collect()
}

#[test]
fn qualifiers_narrow_the_reading_and_are_entities() {
    let r = readings("Inclusion", "Severe chronic plaque psoriasis for at least 6 months");
    let values = qualifier_values(&r[0]);
    for v in ["severe", "chronic"] {
        assert!(values.contains(&v.to_string()), "{v} in {values:?}");
    }
    let criteria = parse_item("Inclusion", "Stage IIIB or IV non-small cell lung cancer, progressive after one line");
    let values = qualifier_values(&criteria[0].computable[0]);
    assert!(values.contains(&"stage iiib".to_string()) && values.contains(&"stage iv".to_string()), "{values:?}");
    assert!(values.contains(&"progressive".to_string()), "{values:?}");
    let kinds: Vec<Option<QualifierKind>> =
        criteria[0].entities.iter().filter(|e| e.kind == EntityType::Qualifier).map(|e| e.qualifier).collect();
    assert!(kinds.contains(&Some(QualifierKind::Stage)) && kinds.contains(&Some(QualifierKind::Course)), "{kinds:?}");
    // An existing status stays, and the qualifier is added.
    // A qualifier the concept names is not repeated ("acute" of acute myocardial infarction).
    let r = readings("Exclusion", "Acute myocardial infarction within 6 months");
    assert!(!qualifier_values(&r[0]).contains(&"acute".to_string()), "{r:?}");
    let r = readings("Exclusion", "Uncontrolled arterial hypertension");
    assert!(matches!(&r[0], Computable::Condition { status: Some(_), .. }), "{r:?}");
    assert_eq!(qualifier_values(&r[0]), vec!["uncontrolled"]);
}

#[test]
fn events_of_a_disease_are_qualifiers_not_procedures() {
    let r = readings("Exclusion", "Hospitalized for an exacerbation of asthma within the last 12 months");
    assert_eq!(r.len(), 1, "{r:?}");
    let Computable::Condition { concepts, .. } = &r[0] else { panic!("{r:?}") };
    assert!(names(concepts).iter().any(|n| n.contains("asthma")), "{concepts:?}");
    let values = qualifier_values(&r[0]);
    assert!(values.contains(&"hospitalization".to_string()) && values.contains(&"exacerbation".to_string()));
    // A hospital stay that is no disease's event is the requirement itself, with its window.
    let stay = readings("Exclusion", "Any hospitalisation in the past 8 weeks");
    assert!(matches!(&stay[..], [Computable::Procedure { window: Some(_), .. }]), "{stay:?}");
}

#[test]
fn exceptions_are_scope_never_readings() {
    let criteria =
        parse_item("Exclusion", "Any cancer except squamous cell carcinoma of the skin, or ductal carcinoma in situ");
    let r: Vec<&Computable> = criteria.iter().flat_map(|c| &c.computable).collect();
    assert_eq!(r.len(), 1, "{r:?}");
    let scope = scope_of(r[0]).expect("a condition");
    assert_eq!(scope.exceptions.len(), 2, "{scope:?}");
    assert!(criteria[0].entities.iter().any(|e| e.kind == EntityType::Exception && e.text == "except"));
    // "excluded" states an exclusion, it opens no exception.
    let criteria = parse_item("Exclusion", "Smokers are excluded");
    assert!(criteria[0].entities.iter().all(|e| e.kind != EntityType::Exception), "{criteria:?}");
    // An exception on its own line excludes nobody.
    for line in
        ["Exceptions include adequately treated melanoma in situ", "except for treated squamous cell skin cancer"]
    {
        let r = readings("Exclusion", line);
        assert_eq!(r, vec![Computable::NotComputable { reason: NonComputableReason::Permission }], "{line}");
    }
    // A bracket closes the exception: "asthma" is excepted, the kidney disease is not.
    let r = readings("Exclusion", "Severe lung disease (other than asthma), or chronic kidney disease");
    assert!(
        r.iter().any(|c| matches!(c, Computable::Condition { concepts, .. }
        if names(concepts).iter().any(|n| n.contains("kidney")))),
        "{r:?}"
    );
}

#[test]
fn what_a_bracket_allows_is_an_exception_not_one_more_exclusion() {
    for (item, excepted) in [
        ("Significant heart disease (atrial fibrillation is allowed)", "atrial fibrillation"),
        ("Chronic liver disease (Gilbert syndrome is not exclusionary)", "gilbert"),
        ("Active infection (note: urinary tract infection is not an exclusion)", "urinary tract infection"),
        ("Autoimmune disease (patients with vitiligo are eligible)", "vitiligo"),
    ] {
        let r = readings("Exclusion", item);
        let conditions: Vec<&Computable> =
            r.iter().filter(|c| matches!(c, Computable::Condition { .. } | Computable::Infection { .. })).collect();
        assert!(!conditions.is_empty(), "{item}: {r:?}");
        for c in conditions {
            let (Computable::Condition { concepts, scope, .. } | Computable::Infection { concepts, scope, .. }) = c
            else {
                unreachable!()
            };
            assert!(!names(concepts).iter().any(|n| n.contains(excepted)), "{item}: {concepts:?}");
            assert!(names(&scope.exceptions).iter().any(|n| n.contains(excepted)), "{item}: {scope:?}");
        }
    }
    // A bracket that forbids still excludes.
    let r = readings("Exclusion", "Significant heart disease (atrial fibrillation is not allowed)");
    assert!(
        r.iter().any(|c| matches!(c, Computable::Condition { concepts, .. }
        if names(concepts).iter().any(|n| n.contains("atrial fibrillation")))),
        "{r:?}"
    );
}

#[test]
fn another_disease_is_besides_the_target() {
    for item in [
        "Another malignancy diagnosed within 3 years",
        "Prior malignancy within the last 5 years",
        "Any other autoimmune disease in addition to lupus",
    ] {
        let r = readings("Exclusion", item);
        assert!(r.iter().any(|c| scope_of(c).is_some_and(|s| s.besides_target)), "{item}: {r:?}");
    }
    let r = readings("Exclusion", "Any other autoimmune disease in addition to lupus");
    assert!(r.iter().all(|c| scope_of(c).is_none_or(|s| s.exceptions.len() == 1)), "{r:?}");
}

#[test]
fn the_target_of_a_therapy_is_not_a_condition_reading() {
    let r = readings("Exclusion", "Prior radiotherapy for prostate cancer");
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(matches!(&r[0], Computable::Procedure { .. }), "{r:?}");
    assert_eq!(scope_of(&r[0]).map(|s| s.target.len()), Some(1));
    let r = readings("Exclusion", "Currently receiving peginterferon for chronic hepatitis B");
    assert!(r.iter().all(|c| !matches!(c, Computable::Condition { .. } | Computable::Infection { .. })), "{r:?}");
    assert!(r.iter().any(|c| scope_of(c).is_some_and(|s| !s.target.is_empty())), "{r:?}");
}

#[test]
fn a_rule_for_a_group_applies_only_to_it() {
    let c = &parse_item("Inclusion", "If female, must agree to use two forms of birth control")[0];
    assert_eq!(c.applies_if, vec![Computable::Sex { sex: Sex::Female }]);
    assert!(c.computable.iter().all(|r| !matches!(r, Computable::Sex { .. })), "{c:?}");
    let c = &parse_item("Inclusion", "Men must agree not to father a child during the study")[0];
    assert_eq!(c.applies_if, vec![Computable::Sex { sex: Sex::Male }]);
    let c = &parse_item("Inclusion", "Women of childbearing potential: a negative urine pregnancy test")[0];
    assert_eq!(c.applies_if, vec![Computable::Sex { sex: Sex::Female }]);
    let c = &parse_item("Inclusion", "For participants who had a kidney transplant: stable graft function")[0];
    assert!(matches!(c.applies_if.as_slice(), [Computable::Procedure { .. }]), "{c:?}");
    let c = &parse_item("Inclusion", "In patients with diabetes, HbA1c below 9%")[0];
    assert!(matches!(c.applies_if.as_slice(), [Computable::Condition { .. }]), "{c:?}");
    let c = &parse_item("Inclusion", "In the choice of a biopsy site, the least invasive approach is preferred")[0];
    assert!(c.applies_if.is_empty(), "{c:?}");
    let c = &parse_item("Inclusion", "For the melanoma cohort: measurable disease")[0];
    assert!(matches!(c.applies_if.as_slice(), [Computable::Condition { .. }]), "{c:?}");
    assert!(
        c.computable.iter().all(|r| !matches!(r, Computable::Condition { concepts, .. }
        if names(concepts).iter().any(|n| n.contains("melanoma")))),
        "{c:?}"
    );
}

#[test]
fn permissions_exclude_nobody() {
    for item in [
        "Patients with treated brain metastases are allowed",
        "Prior hormonal therapy is permitted",
        "Subjects were eligible for the study regardless of their previous lines of endocrine therapy.",
    ] {
        let r = readings("Exclusion", item);
        assert_eq!(r, vec![Computable::NotComputable { reason: NonComputableReason::Permission }], "{item}");
    }
    // A permission in brackets qualifies the requirement before it.
    let r = readings("Exclusion", "Heart failure (patients with controlled atrial fibrillation are eligible)");
    assert!(r.iter().any(|c| matches!(c, Computable::Condition { .. })), "{r:?}");
    // "must be eligible" is a requirement.
    let r = readings("Inclusion", "Must be eligible for surgical resection");
    assert!(!r.contains(&Computable::NotComputable { reason: NonComputableReason::Permission }), "{r:?}");
}

#[test]
fn inclusions_written_among_exclusions_keep_their_meaning() {
    let criteria = parse_item("Exclusion", "Men or non-pregnant women aged 20 to 70 years");
    assert!(criteria.iter().all(|c| c.section == Section::Inclusion), "{criteria:?}");
    let criteria = parse_item("Exclusion", "Able to give written informed consent");
    assert!(criteria.iter().all(|c| c.section == Section::Inclusion), "{criteria:?}");
    // Both sexes first, however many words their pregnancy states take, then a minimum age.
    let criteria = parse_item(
        "Exclusion",
        "Man or non-pregnant and non-breastfeeding woman participant, 21 years of age or older",
    );
    assert!(criteria.iter().all(|c| c.section == Section::Inclusion), "{criteria:?}");
    // A real exclusion by age stays one.
    let criteria = parse_item("Exclusion", "Age over 80 years");
    assert!(criteria.iter().all(|c| c.section == Section::Exclusion), "{criteria:?}");
    // A double negative in an exclusion asks for the therapy.
    let c = &parse_item("Exclusion", "Patients who have not received azathioprine")[0];
    assert!(c.negated && matches!(c.computable.as_slice(), [Computable::PriorTherapy { .. }]), "{c:?}");
}

#[test]
fn conditional_age_alternatives_take_the_most_permissive_bound() {
    let r = readings("Inclusion", "Aged 16 years or older; 18 years or older in countries that admit only adults");
    let min = r.iter().find_map(|c| match c {
        Computable::Age { min, .. } => *min,
        _ => None,
    });
    assert_eq!(min.map(|d| d.value), Some(16.0), "{r:?}");
}

#[test]
fn legacy_washouts_exclude_only_recent_therapy() {
    let c = &parse_item("Inclusion", "At least 4 weeks since prior radiotherapy")[0];
    assert!(c.negated, "{c:?}");
    let window = match &c.computable[0] {
        Computable::PriorTherapy { window, .. } | Computable::Procedure { window, .. } => window.clone(),
        other => panic!("{other:?}"),
    };
    let within = window.and_then(|w| w.within).expect("a within window");
    assert_eq!((within.value, within.unit), (4.0, TimeUnit::Weeks));
}

#[test]
fn a_condition_after_without_is_not_required() {
    let r = readings("Inclusion", "Bladder cancer stage II without hydronephrosis");
    assert!(
        r.iter().all(|c| !matches!(c, Computable::Condition { concepts, .. }
        if names(concepts).iter().any(|n| n.contains("hydronephrosis")))),
        "{r:?}"
    );
}

#[test]
fn a_subject_without_a_rule_is_no_group() {
    let c = &parse_item("Exclusion", "Patients with known brain metastases should be excluded")[0];
    assert!(c.applies_if.is_empty(), "{c:?}");
    assert!(c.computable.iter().any(|r| matches!(r, Computable::Condition { .. })), "{c:?}");
}

#[test]
fn classes_procedures_and_interference_are_qualifiers() {
    let r = readings("Exclusion", "Congestive heart failure NYHA class III or IV");
    let values: Vec<String> = r.iter().flat_map(qualifier_values).collect();
    assert!(values.contains(&"class iii".to_string()) && values.contains(&"class iv".to_string()), "{r:?}");
    let r = readings("Exclusion", "Elective surgery planned during the study");
    assert!(r.iter().flat_map(qualifier_values).any(|v| v == "elective"), "{r:?}");
    let r = readings("Exclusion", "Any medical condition that could interfere with the study assessments");
    assert!(r.iter().flat_map(qualifier_values).any(|v| v == "interfering"), "{r:?}");
}

#[test]
fn real_exclusions_stay_exclusions() {
    for item in ["Age < 16 years or > 70 years", "Not able to swallow tablets", "Pregnant or able to become pregnant"] {
        let criteria = parse_item("Exclusion", item);
        assert!(criteria.iter().all(|c| c.section == Section::Exclusion), "{item}: {criteria:?}");
    }
    // A group by what its members lack is no condition group.
    let c = &parse_item("Inclusion", "Patients with no archival tumour tissue must undergo a fresh biopsy")[0];
    assert!(c.applies_if.iter().all(|r| !matches!(r, Computable::Condition { .. })), "{c:?}");
    // "treated for X": any treatment for X.
    let r = readings("Exclusion", "Previously treated for prostate cancer");
    assert!(matches!(r.as_slice(), [Computable::PriorTherapy { drugs, .. }] if drugs[0].name == "treatment"), "{r:?}");
}

#[test]
fn sites_and_routes_narrow_conditions_and_therapies() {
    let r = readings("Exclusion", "Open lesions of the hands");
    assert!(r.iter().flat_map(qualifier_values).any(|v| v == "hand"), "{r:?}");
    let r = readings("Exclusion", "Use of topical corticosteroids within 2 weeks");
    assert!(r.iter().flat_map(qualifier_values).any(|v| v == "topical"), "{r:?}");
    // A site the concept names is not repeated ("renal" of renal failure).
    let r = readings("Exclusion", "Chronic kidney disease");
    assert!(!r.iter().flat_map(qualifier_values).any(|v| v == "kidney"), "{r:?}");
}

#[test]
fn a_non_prefix_negates_its_word_not_the_ages_and_sexes_beside_it() {
    for item in ["Men and women non-drinkers aged 21 to 50 years", "Non-vegetarian female volunteers, 30-60 years old"]
    {
        let criteria = parse_item("Inclusion", item);
        assert!(criteria.iter().all(|c| !c.negated), "{item}: {criteria:?}");
        let r: Vec<Computable> = criteria.into_iter().flat_map(|c| c.computable).collect();
        assert!(r.iter().any(|c| matches!(c, Computable::Age { .. })), "{item}: {r:?}");
    }
    // "non-pregnant" beside ages and sexes never becomes a requirement to be pregnant.
    let r = readings("Inclusion", "Men and non-pregnant women aged 20 to 60 years");
    assert!(!r.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{r:?}");
    assert!(r.iter().any(|c| matches!(c, Computable::Age { .. })), "{r:?}");
    // Without ages or sexes beside it, the negated word is the criterion.
    assert!(parse_item("Inclusion", "Non-smokers").iter().any(|c| c.negated));
}

#[test]
fn a_non_prefix_on_a_modifier_narrows_the_condition_and_does_not_negate_it() {
    for item in ["Non-bloody diarrhoea in the last 24 hours", "Acute non-bloody diarrhea for at least 3 days"] {
        let criteria = parse_item("Inclusion", item);
        assert!(criteria.iter().all(|c| !c.negated), "{item}: {criteria:?}");
        let r: Vec<Computable> = criteria.into_iter().flat_map(|c| c.computable).collect();
        assert!(r.iter().any(|c| matches!(c, Computable::Condition { .. })), "{item}: {r:?}");
    }
    // What "non-" is joined to narrows the condition: a patient must be known to have that form.
    let r = readings("Exclusion", "Mixed genotype or non-typable HCV genotype infection");
    assert!(r.iter().flat_map(qualifier_values).any(|v| v == "non-typable"), "{r:?}");
    // Joined to the condition itself, "non-" still negates it.
    assert!(parse_item("Inclusion", "Non-smokers").iter().any(|c| c.negated));
    // A "non-" inside a later name is part of it, never a "without" that sets the name aside.
    let r = readings("Inclusion", "Hypertension and non-insulin dependent diabetes");
    assert!(
        r.iter().any(|c| matches!(c, Computable::Condition { concepts, .. }
        if names(concepts).iter().any(|n| n.contains("diabetes")))),
        "{r:?}"
    );
}

#[test]
fn a_range_of_time_asks_a_duration_for_its_near_end_and_a_window_for_its_far_end() {
    let window = |item: &str| {
        readings("Inclusion", item)
            .into_iter()
            .find_map(|c| match c {
                Computable::Condition { window, .. } | Computable::PriorTherapy { window, .. } => window,
                _ => None,
            })
            .unwrap_or_else(|| panic!("{item}: no window"))
    };
    let lasting = window("Type 1 diabetes for 3-15 years").for_at_least.expect("a duration");
    assert_eq!((lasting.value, lasting.unit), (3.0, TimeUnit::Years));
    let within = window("Treated with methotrexate within 4-6 weeks before screening").within.expect("a window");
    assert_eq!((within.value, within.unit), (6.0, TimeUnit::Weeks));
}

#[test]
fn ages_that_define_a_reproductive_group_do_not_limit_who_may_join() {
    let ages = |item: &str| -> Vec<Computable> {
        readings("Inclusion", item).into_iter().filter(|c| matches!(c, Computable::Age { .. })).collect()
    };
    for item in [
        "Women must be postmenopausal, defined as no menses for 12 months and older than 50 years",
        "Female subjects of childbearing potential (younger than 55 years) must use two methods of contraception",
        // A definition keeps its age even where an age word stands right before the number.
        "Women post-menopausal for more than 12 months. Menopause is defined as over age of 60 years or no menses for 2 years",
    ] {
        assert!(ages(item).is_empty(), "{item}: {:?}", ages(item));
    }
    // An age stated before the group, or right after an age word, is still the criterion's own.
    assert_eq!(ages("Adults aged 30 to 70 years; women must be post-menopausal").len(), 1);
    assert_eq!(ages("Men or women (of non-childbearing potential), aged 21-55 years").len(), 1);
}

#[test]
fn imaging_procedures_joined_by_or_are_alternatives() {
    let r = readings("Inclusion", "Receiving either a CT scan or an ultrasound of the chest");
    let ids: Vec<String> = r
        .iter()
        .filter_map(|c| match c {
            Computable::Procedure { concepts, .. } => Some(concepts.iter().map(|c| c.id.clone()).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(ids.contains(&"ELIGO:proc.ct".to_string()) && ids.contains(&"ELIGO:proc.ultrasound".to_string()), "{r:?}");
}

#[test]
fn a_modifier_narrows_only_when_other_words_share_its_head() {
    let qualifiers = |item: &str| -> Vec<String> {
        parse_item("Exclusion", item)
            .iter()
            .flat_map(|c| &c.entities)
            .filter(|e| e.kind == EntityType::Qualifier)
            .map(|e| e.text.to_lowercase())
            .collect()
    };
    // One modifier with a generic head is the phrase's name.
    assert!(qualifiers("Gastric illness").is_empty(), "{:?}", qualifiers("Gastric illness"));
    // Modifiers sharing a head each narrow it, a named disease's site included.
    let shared = qualifiers("Pulmonary or hepatic disease");
    assert!(shared.contains(&"pulmonary".to_string()) && shared.contains(&"hepatic".to_string()), "{shared:?}");
}

#[test]
fn a_word_of_a_mentions_own_name_is_no_qualifier_of_it() {
    let qualifiers = |item: &str| -> Vec<String> {
        parse_item("Exclusion", item)
            .iter()
            .flat_map(|c| &c.entities)
            .filter(|e| e.kind == EntityType::Qualifier)
            .map(|e| e.text.to_lowercase())
            .collect()
    };
    // The head of "brain metastases" is the condition, not its stage; the severity before it narrows.
    assert_eq!(qualifiers("Severe brain metastases"), vec!["severe"]);
    // A site inside a named defect is part of the name; the form at its start qualifies it.
    assert_eq!(qualifiers("Congenital heart defect"), vec!["congenital"]);
    // A site after the head still narrows it.
    assert!(qualifiers("Infection of the knee joint").contains(&"knee".to_string()));
}

#[test]
fn a_table_qualifier_coordinated_with_a_phrase_shows_its_first_words_modify_the_head() {
    let qualifiers = |item: &str| -> Vec<String> {
        parse_item("Exclusion", item)
            .iter()
            .flat_map(|c| &c.entities)
            .filter(|e| e.kind == EntityType::Qualifier)
            .map(|e| e.text.to_lowercase())
            .collect()
    };
    // "minor or laparoscopic surgery": both words say which surgery.
    assert_eq!(qualifiers("Minor or laparoscopic surgery"), vec!["minor", "laparoscopic"]);
    // A severity between the coordinated sites does not hide the coordination.
    assert_eq!(qualifiers("Intestinal or severe metabolic disease"), vec!["intestinal", "severe", "metabolic"]);
    // Alone, the site is the disease's name.
    assert!(qualifiers("Metabolic disease").is_empty());
}

#[test]
fn a_site_inside_a_pregnancy_or_lactation_word_is_no_qualifier() {
    let criteria = parse_item("Exclusion", "Pregnant or breast-feeding women");
    let qualifiers: Vec<&str> = criteria
        .iter()
        .flat_map(|c| &c.entities)
        .filter(|e| e.kind == EntityType::Qualifier)
        .map(|e| e.text.as_str())
        .collect();
    assert!(qualifiers.is_empty(), "{qualifiers:?}");
}

#[test]
fn a_coordinated_prefix_keeps_its_hyphen_and_a_bare_hyphen_is_no_qualifier() {
    let criteria = parse_item("Exclusion", "Severe intra- or postoperative bleeding");
    let qualifiers: Vec<&str> = criteria
        .iter()
        .flat_map(|c| &c.entities)
        .filter(|e| e.kind == EntityType::Qualifier)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(qualifiers, vec!["Severe", "intra-"]);
}

#[test]
fn a_range_of_grades_is_one_qualifier_of_the_reading_and_two_marks() {
    let criteria = parse_item("Inclusion", "Moderate to severe asthma");
    let marks: Vec<&str> = criteria
        .iter()
        .flat_map(|c| &c.entities)
        .filter(|e| e.kind == EntityType::Qualifier)
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(marks, vec!["Moderate", "severe"]);
    let values: Vec<String> = criteria.iter().flat_map(|c| &c.computable).flat_map(qualifier_values).collect();
    assert_eq!(values, vec!["moderate to severe"]);
}

#[test]
fn a_change_of_therapy_is_marked_as_course_but_narrows_no_reading() {
    let criteria = parse_item("Exclusion", "Changes in antihypertensive medication within 4 weeks");
    let marks: Vec<(String, Option<QualifierKind>)> = criteria
        .iter()
        .flat_map(|c| &c.entities)
        .filter(|e| e.kind == EntityType::Qualifier)
        .map(|e| (e.text.to_lowercase(), e.qualifier))
        .collect();
    assert_eq!(marks, vec![("changes".to_string(), Some(QualifierKind::Course))]);
    let values: Vec<String> = criteria.iter().flat_map(|c| &c.computable).flat_map(qualifier_values).collect();
    assert!(values.is_empty(), "{values:?}");
}

#[test]
fn the_site_of_a_lesion_or_symptom_is_marked_and_an_organs_disorder_is_one_name() {
    let qualifiers = |item: &str| -> Vec<String> {
        parse_item("Exclusion", item)
            .iter()
            .flat_map(|c| &c.entities)
            .filter(|e| e.kind == EntityType::Qualifier)
            .map(|e| e.text.to_lowercase())
            .collect()
    };
    // Cancer, pain, injury occur at many sites: the site says where.
    assert_eq!(qualifiers("Ovarian cancer"), vec!["ovarian"]);
    assert_eq!(qualifiers("Chronic neck pain"), vec!["chronic", "neck"]);
    // The site may follow the histology: "carcinoma of the breast" is read as one mention.
    assert!(qualifiers("Adenocarcinoma of the pancreas").contains(&"pancreas".to_string()));
    // A prefix is not a site ("anti-cancer therapy" is against cancer).
    assert!(qualifiers("Anti-cancer therapy").is_empty(), "{:?}", qualifiers("Anti-cancer therapy"));
    // A disorder named after its organ stays one name.
    assert!(qualifiers("Heart failure").is_empty(), "{:?}", qualifiers("Heart failure"));
}

#[test]
fn a_site_word_alone_excepts_the_sites_kind_of_the_thing_before_it() {
    let r = readings("Exclusion", "Has received a solid organ transplant other than a kidney");
    let scope = r.first().and_then(scope_of).expect("a procedure");
    assert!(scope.exceptions.iter().any(|c| c.id == "ELIGO:proc.kidney_transplant"), "{scope:?}");
    // A one-word cue is followed by the site just the same.
    let r = readings("Exclusion", "Prior organ transplant, except kidney");
    let scope = r.first().and_then(scope_of).expect("a procedure");
    assert!(scope.exceptions.iter().any(|c| c.id == "ELIGO:proc.kidney_transplant"), "{scope:?}");
    // A word that makes no known name with the head excepts nothing.
    let r = readings("Exclusion", "Any organ transplant other than the planned one");
    assert!(r.first().and_then(scope_of).is_some_and(|s| s.exceptions.is_empty()), "{r:?}");
}

/// The concepts of every condition reading of one item.
fn condition_names(section: &str, item: &str) -> Vec<String> {
    readings(section, item)
        .iter()
        .flat_map(|c| match c {
            Computable::Condition { concepts, .. } => names(concepts),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn the_causes_of_a_condition_are_not_alternatives_to_it() {
    let r = condition_names(
        "Inclusion",
        "Symptomatic orthostatic hypotension due to Parkinson's disease or multiple system atrophy",
    );
    assert!(r.iter().any(|n| n.contains("orthostatic hypotension")), "{r:?}");
    assert!(!r.iter().any(|n| n.contains("parkinson") || n.contains("atrophy")), "causes are not alternatives: {r:?}");
    let r =
        condition_names("Exclusion", "Peripheral neuropathy secondary to diabetes mellitus or alcohol use disorder");
    // MeSH lists "peripheral neuropathy" as an entry term of Peripheral Nervous System Diseases.
    let neuropathy = |n: &String| n.contains("neuropathy") || n.contains("peripheral nervous system");
    assert!(r.iter().any(neuropathy) && !r.iter().any(|n| n.contains("diabetes")), "{r:?}");
    // Without a condition before the cue, the causes are what the clause names.
    let r = condition_names("Exclusion", "Hospitalisation due to heart failure within 6 months");
    assert!(r.iter().any(|n| n.contains("heart failure")), "{r:?}");
    // A cue inside a name is no cue.
    let r =
        condition_names("Exclusion", "Psychosis not due to a substance or known physiological condition, or epilepsy");
    assert!(r.iter().any(|n| n.contains("epilep")), "{r:?}");
}

#[test]
fn what_a_criterion_says_does_not_matter_is_no_alternative() {
    let r = condition_names("Inclusion", "Adults with asthma, irrespective of smoking history");
    assert!(r.iter().any(|n| n.contains("asthma")), "{r:?}");
    assert!(!r.iter().any(|n| n.contains("tobacco") || n.contains("smok")), "smoking does not matter: {r:?}");
    let r = condition_names("Inclusion", "Type 2 diabetes regardless of hypertension");
    assert!(!r.iter().any(|n| n.contains("hypertension")), "{r:?}");
}

#[test]
fn allergic_to_a_substance_and_primary_of_a_role_are_not_qualifiers() {
    let qualifier_texts = |item: &str| -> Vec<String> {
        parse_item("Exclusion", item)
            .iter()
            .flat_map(|c| c.entities.iter())
            .filter(|e| e.kind == EntityType::Qualifier)
            .map(|e| e.text.to_lowercase())
            .collect()
    };
    assert!(!qualifier_texts("Patients allergic to granisetron").contains(&"allergic".to_string()));
    assert!(!qualifier_texts("History of allergic reactions to contrast media").contains(&"allergic".to_string()));
    assert!(!qualifier_texts("English is not the primary language").contains(&"primary".to_string()));
    assert!(!qualifier_texts("Not the primary caregiver of the child").contains(&"primary".to_string()));
    // Before a disease, both still say which form it is.
    assert!(qualifier_texts("Primary refractory multiple myeloma").contains(&"primary".to_string()));
}

#[test]
fn a_site_the_group_term_spells_is_not_a_further_qualifier() {
    for item in ["History of psychiatric disorders", "Significant renal disease", "Known cardiac disease"] {
        let r = readings("Exclusion", item);
        let values = qualifier_values(&r[0]);
        assert!(!values.iter().any(|v| ["mind", "kidney", "heart"].contains(&v.as_str())), "{item}: {values:?}");
    }
}

#[test]
fn a_site_or_route_of_a_test_does_not_narrow_the_condition_it_shows() {
    // Where or how a test is done is no place of the disease it shows.
    for item in [
        "Diagnosis of acromegaly confirmed by an oral glucose tolerance test",
        "Liver biopsy showing chronic hepatitis C infection",
        "Bone marrow biopsy showing multiple myeloma",
    ] {
        let r = readings("Inclusion", item);
        let sites: Vec<String> =
            r.iter().flat_map(qualifier_values).filter(|v| ["oral", "liver", "bone"].contains(&v.as_str())).collect();
        assert!(sites.is_empty(), "{item}: {r:?}");
    }
    // A site of the disease itself still narrows it; the site or route of a therapy narrows the therapy.
    assert!(qualifier_values(&readings("Exclusion", "Active infection of the foot")[0]).contains(&"foot".to_string()));
    assert!(qualifier_values(&readings("Exclusion", "Prior brain surgery")[0]).contains(&"brain".to_string()));
    let r = readings("Exclusion", "Intravenous antibiotics within 2 weeks");
    assert!(
        matches!(&r[0], Computable::PriorTherapy { .. })
            && qualifier_values(&r[0]).contains(&"intravenous".to_string()),
        "{r:?}"
    );
}

#[test]
fn a_disease_named_right_before_its_therapy_is_the_therapys_target() {
    for (item, target) in [
        ("No prior cancer chemotherapy", "malignancy"),
        ("Previous glaucoma surgery", "glaucoma"),
        ("Yellow fever vaccination within 30 days", "yellow fever"),
        ("Prior incisional biopsy for this cancer", "malignancy"),
        ("Antibiotics aiming at pneumonia treatment within 2 weeks", "pneumonia"),
    ] {
        let r = readings("Exclusion", item);
        assert!(
            !r.iter().any(|c| matches!(c, Computable::Condition { .. } | Computable::Infection { .. })),
            "{item}: {r:?}"
        );
        let targets: Vec<String> = r.iter().filter_map(scope_of).flat_map(|s| names(&s.target)).collect();
        assert!(targets.iter().any(|t| t.contains(target)), "{item}: {r:?}");
    }
    // A test is no therapy: a positive test still asks for the infection (or the test's result).
    for item in ["Positive HIV test", "Positive hepatitis C virus antibody"] {
        let r = readings("Exclusion", item);
        assert!(r.iter().any(|c| matches!(c, Computable::Infection { .. } | Computable::Lab { .. })), "{item}: {r:?}");
        assert!(
            !r.iter().any(|c| matches!(c, Computable::PriorTherapy { .. } | Computable::Procedure { .. })),
            "{item}: {r:?}"
        );
    }
}

#[test]
fn words_of_a_bodys_or_a_rule_sets_name_are_no_disease() {
    let r = readings("Exclusion", "Peripheral neuropathy of grade 3 or more per National Cancer Institute criteria");
    let concepts: Vec<String> = r
        .iter()
        .flat_map(|c| match c {
            Computable::Condition { concepts, .. } => names(concepts),
            _ => Vec::new(),
        })
        .collect();
    assert!(
        concepts.iter().any(|n| n.contains("nervous")) && !concepts.iter().any(|n| n.contains("malignan")),
        "{r:?}"
    );
    let r = readings("Inclusion", "Evaluation at the Memorial Sloan Kettering Cancer Center");
    assert!(!r.iter().any(|c| matches!(c, Computable::Condition { .. })), "{r:?}");
    // Diagnostic criteria *for* a disease are the disease, which the patient must have.
    let r = readings("Inclusion", "Meets the ACR Revised Criteria for Rheumatoid Arthritis");
    assert!(r.iter().any(|c| matches!(c, Computable::Condition { concepts, .. } if names(concepts).iter().any(|n| n.contains("rheumatoid")))), "{r:?}");
}

#[test]
fn non_joined_to_a_site_or_form_denies_that_one_and_keeps_the_disease() {
    // "non-breast malignancies": malignancies of any site but the breast, not "no malignancy".
    let criteria = parse_item("Exclusion", "History of non-breast malignancies");
    assert!(criteria.iter().all(|c| !c.negated), "{criteria:?}");
    let r: Vec<Computable> = criteria.into_iter().flat_map(|c| c.computable).collect();
    assert_eq!(qualifier_values(&r[0]), vec!["non-breast"], "{r:?}");
    // "non-metastatic" and "non-squamous" before the disease never ask for the form they deny.
    // ("Non-malignant disease" is a negated criterion: there the word names the disease.)
    for (item, denied) in [
        ("Non-metastatic, locally advanced rectal adenocarcinoma", "metastatic"),
        ("Non-squamous non-small cell lung cancer", "squamous"),
    ] {
        let values = qualifier_values(&readings("Inclusion", item)[0]);
        assert!(
            values.contains(&format!("non-{denied}")) && !values.contains(&denied.to_string()),
            "{item}: {values:?}"
        );
    }
}
