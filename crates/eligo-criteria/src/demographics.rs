//! Age and sex where the criterion states them beside other requirements or leaves the subject to
//! its heading: "Male or female subjects aged ≥ 18 years" (age, and sex all), "Women aged 18-45"
//! (age, and sex female), "Both genders are eligible" (sex all), "18 and over" under an "Age"
//! heading, "Male and female patients of any race 18 years or older" (an age written right after the
//! people it is about), and an age group named instead of an age ("Neonates", "Adults with asthma",
//! "Elderly patients"), read with the conventional bounds of [`life_stage_bounds`].

use eligo_model::{Computable, Duration, Section, Sex, TimeUnit};

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::quantity::Quantity;
use crate::text::{TokenKind, WordSet};

/// Nouns for the people a criterion is about: an age written after them is theirs ("patients 18
/// years or older").
pub(crate) const PERSON_WORDS: &[&str] = &[
    "patient",
    "patients",
    "subject",
    "subjects",
    "participant",
    "participants",
    "volunteer",
    "volunteers",
    "individual",
    "individuals",
    "people",
    "persons",
    "person",
    "adults",
    "adult",
    "men",
    "women",
    "males",
    "females",
    "boys",
    "girls",
    "children",
    "adolescents",
    "race",
    "ethnicity",
];

/// Whether a heading topic is about age ("Age", "Age range").
pub(crate) fn is_age_topic(topic: Option<&str>) -> bool {
    topic.is_some_and(|t| t.trim().to_lowercase().starts_with("age"))
}

/// Whether the people an age belongs to are named before token `at` ("Male and female patients of
/// any race 18 years or older"; not "Post-menopausal (≥ 1 year) women").
pub(crate) fn people_before(a: &Analysis, at: usize) -> bool {
    a.tokens.get(..at).is_some_and(|ts| ts.iter().any(|t| PERSON_WORDS.contains(&t.lower.as_str())))
}

/// A bound with no unit and no age word that can only be an age: "Under 18.", "18 and over",
/// "Patient is between 18 and 60, inclusive", "People older than 50". It is a comparison (an
/// operator, not a lone number) of whole plausible years, and the clause says nothing but it: only
/// the people and their verb before it, nothing after it that it could count or measure ("Has 2 to
/// 10 attacks", "IQ greater than 85", "1+ or 2+ swelling") — unless its comparative is an age word
/// itself ("older than 50 and a positive stool test").
pub(crate) fn bare_age(a: &Analysis, q: &Quantity) -> bool {
    let Some((op_start, _)) = q.operator_tokens else { return false };
    let whole = q.value.fract() == 0.0 && q.value_high.is_none_or(|v| v.fract() == 0.0);
    let said_of_the_person = a.tokens.get(..op_start.min(q.value_token)).is_some_and(|ts| {
        ts.iter().all(|t| {
            t.kind != TokenKind::Word
                || PERSON_WORDS.contains(&t.lower.as_str())
                || SUBJECT_FRAME.contains(&t.lower.as_str())
        })
    });
    let age_comparative = a.tokens.get(op_start).is_some_and(|t| matches!(t.lower.as_str(), "older" | "younger"));
    let nothing_after = a
        .tokens
        .get(q.tokens.1..)
        .is_some_and(|ts| ts.iter().all(|t| (t.kind != TokenKind::Word && t.lower != "+") || t.lower == "inclusive"));
    whole && q.value >= 1.0 && said_of_the_person && (nothing_after || age_comparative)
}

/// Words of a subject and its verb before an age ("Patients must be", "Are", "adults who are").
const SUBJECT_FRAME: &[&str] = &["is", "are", "be", "must", "should", "who", "all", "aged", "being"];

/// The conventional ages of an age group, as (minimum, maximum), both inclusive. The paediatric
/// groups follow ICH E11 (term newborns 0–27 days; infants up to 23 months, newborns included, as
/// "infants" is used in registries; adolescents 12 to under 18), a child is anyone under the age of
/// majority (18), and "elderly" / "older adults" start at 65 (the geriatric age of ICH E7 and WHO).
/// Where conventions differ the wider reading is taken, so that a group never excludes or narrows
/// more than its writer meant.
fn life_stage_bounds(id: &str) -> Option<(Option<Duration>, Option<Duration>)> {
    let years = |v: f64| Some(Duration::new(v, TimeUnit::Years));
    Some(match id {
        "ELIGO:lifestage.neonate" => (None, Some(Duration::new(27.0, TimeUnit::Days))),
        "ELIGO:lifestage.infant" => (None, Some(Duration::new(23.0, TimeUnit::Months))),
        "ELIGO:lifestage.child" => (None, years(17.0)),
        "ELIGO:lifestage.adolescent" => (years(12.0), years(17.0)),
        "ELIGO:lifestage.adult" => (years(18.0), None),
        "ELIGO:lifestage.older_adult" => (years(65.0), None),
        _ => return None,
    })
}

/// The other words a list of age groups is written with ("Preterm and neonates", "Healthy adult
/// volunteers", "Frail elderly people"). A group named among other words is mostly the people another
/// requirement is about ("Infants who are already receiving anticonvulsants", "Adolescents who are
/// wards of the state", "latent autoimmune diabetes in adults"), which the age alone does not say.
static GROUP_LIST_WORDS: WordSet = WordSet::new(
    "and or , / ; . : preterm premature term healthy frail very older young people patients persons \
     subjects participants volunteers babies adult newborn infant child elderly",
);

/// The age an age group named as the whole criterion stands for ("Preterm and neonates", "Children",
/// "Frail elderly people"): the union of the groups named, so "children and adolescents" is under
/// 18. None when the word belongs to another term or person, or the criterion says anything else
/// than groups, sexes and pregnancy words.
pub(crate) fn life_stage_age(a: &Analysis) -> Option<Vec<Computable>> {
    let in_cue = |k: usize| a.cues.iter().any(|c| c.tokens.0 <= k && k < c.tokens.1);
    if !a.tokens.iter().enumerate().all(|(k, t)| in_cue(k) || GROUP_LIST_WORDS.contains(&t.lower)) {
        return None;
    }
    let bounds: Vec<(Option<Duration>, Option<Duration>)> = a
        .cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Sex(id) => life_stage_bounds(id),
            _ => None,
        })
        .collect();
    let (first, rest) = bounds.split_first()?;
    // The union: the lowest minimum (none if any group has none), the highest maximum.
    let (mut min, mut max) = *first;
    for (low, high) in rest {
        min = match (min, low) {
            (Some(m), Some(l)) => Some(if l.as_days() < m.as_days() { *l } else { m }),
            _ => None,
        };
        max = match (max, high) {
            (Some(m), Some(h)) => Some(if h.as_days() > m.as_days() { *h } else { m }),
            _ => None,
        };
    }
    (min.is_some() || max.is_some()).then(|| vec![Computable::Age { min, max }])
}

/// The sex the cues restrict to: one sex, or all when both are named or "both genders" is written.
pub(crate) fn sex_of_cues(a: &Analysis) -> Option<Sex> {
    let mut sexes = a.cues.iter().filter_map(|c| match c.kind {
        // The sex of the group a rule applies to ("Men must ...") is no requirement.
        CueKind::Sex(id) if id.starts_with("ELIGO:sex") && c.tokens.0 >= a.group_end => Some(id),
        _ => None,
    });
    let first = sexes.next()?;
    Some(if first == "ELIGO:sex.all" || sexes.any(|s| s != first) {
        Sex::All
    } else if first == "ELIGO:sex.female" {
        Sex::Female
    } else {
        Sex::Male
    })
}

/// The sex an inclusion states beside an age or as the subject of its other requirements ("Women
/// aged 18-45", "Male or female subjects aged ≥ 18", "Female patients with endometriosis"): its own
/// requirement. Not in exclusions, where "men over 50" is one requirement of two parts (see
/// [`sex_group_of_exclusion`]), nor beside pregnancy words ("women of childbearing potential aged
/// ...": the pregnancy reading says whom it concerns).
pub(crate) fn sex_beside_age(a: &Analysis, section: Section, groups: &[Vec<Computable>]) -> Option<Vec<Computable>> {
    let has_age = groups.iter().flatten().any(|c| matches!(c, Computable::Age { .. }));
    let pregnancy = groups.iter().flatten().any(|c| matches!(c, Computable::Pregnancy { .. }));
    if section != Section::Inclusion || !(has_age || sex_is_subject(a).is_some()) || pregnancy {
        return None;
    }
    Some(vec![Computable::Sex { sex: sex_of_cues(a)? }])
}

/// The one sex a criterion opens with as the people it is about ("Female subjects diagnosed with
/// ...", "Men with ..."): a sex word first, or second after a word like "adult".
fn sex_is_subject(a: &Analysis) -> Option<Sex> {
    let opening = a
        .cues
        .iter()
        .find(|c| c.tokens.0 <= 1 && matches!(c.kind, CueKind::Sex(id) if id.starts_with("ELIGO:sex.")))?;
    match sex_of_cues(a)? {
        Sex::All => None,
        sex => (opening.tokens.0 >= a.group_end).then_some(sex),
    }
}

/// In an exclusion, the sex that opens it beside other requirements is the group the rule is about
/// ("Female subjects diagnosed with KD 12 years of age and older" excludes girls of 12 and over with
/// KD, not every girl): it goes to `applies_if`, so that the rule does not apply to the other sex.
pub(crate) fn sex_group_of_exclusion(a: &Analysis, section: Section, groups: &[Vec<Computable>]) -> Option<Computable> {
    let other_requirements = groups.iter().flatten().any(|c| {
        !matches!(c, Computable::Sex { .. } | Computable::Pregnancy { .. } | Computable::NotComputable { .. })
    });
    if section != Section::Exclusion || !other_requirements {
        return None;
    }
    Some(Computable::Sex { sex: sex_is_subject(a)? })
}

/// Whether the criterion's negation reaches a reading that is only an age or a sex. A negation
/// elsewhere in the line ("Healthy men or women 18 years or older ... free from clinically
/// significant illness", "Age 19-65 ... negative pregnancy test") is about its own words: "not
/// aged 18 or older" is written with the negation right before the age ("not older than 70", "no
/// patients under 18"), or right before the sex ("not male").
pub(crate) fn negation_reaches(a: &Analysis, group: &[Computable]) -> bool {
    let demographic = |c: &Computable| matches!(c, Computable::Age { .. } | Computable::Sex { .. });
    if group.is_empty() || !group.iter().all(demographic) {
        return true;
    }
    let ages = a.quantities.iter().filter(|q| q.time_unit.is_some() || q.unit.is_none()).map(|q| q.tokens.0);
    let sexes = a.cues.iter().filter(|c| matches!(c.kind, CueKind::Sex(_))).map(|c| c.tokens.0);
    let starts: Vec<usize> = ages.chain(sexes).collect();
    // "non-" negates the one word it is joined to ("non-pregnant female").
    let whole_word = |n: &&crate::cues::Cue| a.tokens.get(n.tokens.0).is_some_and(|t| t.lower != "non");
    a.cues
        .iter()
        .filter(|c| c.kind == (CueKind::Negation { exception: false }))
        .filter(whole_word)
        .any(|n| starts.iter().any(|&s| n.tokens.1 <= s && s <= n.tokens.1 + 2))
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Duration, Sex, TimeUnit};

    fn readings(text: &str) -> Vec<Computable> {
        parse_criteria(&format!("Inclusion Criteria:\n\n* {text}")).into_iter().flat_map(|c| c.computable).collect()
    }

    fn adult_from(years: f64) -> Computable {
        Computable::Age { min: Some(Duration::new(years, TimeUnit::Years)), max: None }
    }

    #[test]
    fn age_and_sex_in_one_sentence() {
        let found = readings("Men and women aged greater than or equal to (>=) 21 years");
        assert!(found.contains(&adult_from(21.0)), "{found:?}");
        assert!(found.contains(&Computable::Sex { sex: Sex::All }), "{found:?}");
        let found = readings("Female volunteers aged 20 to 40 years, in good health");
        assert!(found.contains(&Computable::Sex { sex: Sex::Female }), "{found:?}");
    }

    #[test]
    fn an_age_group_named_instead_of_an_age() {
        let exclusion = |text: &str| -> Vec<Computable> {
            parse_criteria(&format!("Exclusion Criteria:\n\n* {text}")).into_iter().flat_map(|c| c.computable).collect()
        };
        let found = exclusion("Premature babies and newborns, pregnancy");
        assert!(
            found.contains(&Computable::Age { min: None, max: Some(Duration::new(27.0, TimeUnit::Days)) }),
            "{found:?}"
        );
        assert!(found.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{found:?}");
        assert_eq!(readings("Healthy adults"), vec![adult_from(18.0)]);
        assert!(exclusion("Frail elderly people").contains(&adult_from(65.0)));
        // "children and adolescents": the union of the groups, under 18.
        let young = Computable::Age { min: None, max: Some(Duration::new(17.0, TimeUnit::Years)) };
        assert_eq!(exclusion("Children and adolescents"), vec![young]);
        // An age group's range in the exclusion list is who is excluded, not a misfiled inclusion.
        let criteria = parse_criteria("Exclusion Criteria:\n\n* Pregnant or nursing adolescent girls");
        assert!(criteria.iter().all(|c| c.section == eligo_model::Section::Exclusion), "{criteria:?}");
    }

    #[test]
    fn an_age_group_beside_another_requirement_is_not_an_age_limit() {
        // The infants are who the rule is about; it excludes those receiving the drug, not infants.
        let found = parse_criteria("Exclusion Criteria:\n\n* Infants already treated with phenobarbital");
        assert!(!found.iter().flat_map(|c| &c.computable).any(|c| matches!(c, Computable::Age { .. })), "{found:?}");
        assert!(!readings("Latent autoimmune diabetes in adults").iter().any(|c| matches!(c, Computable::Age { .. })));
        let found = parse_criteria("Exclusion Criteria:\n\n* Adolescents in foster care");
        assert!(!found.iter().flat_map(|c| &c.computable).any(|c| matches!(c, Computable::Age { .. })), "{found:?}");
    }

    #[test]
    fn an_age_group_word_in_another_term_or_person_is_no_age() {
        let ages = |text: &str| readings(text).into_iter().filter(|c| matches!(c, Computable::Age { .. })).count();
        assert_eq!(ages("Women of child-bearing potential using contraception"), 0);
        assert_eq!(ages("Liver cirrhosis Child-Pugh class B"), 0);
        assert_eq!(ages("Adult-onset Still's disease"), 0);
        assert_eq!(ages("Mothers of infants treated in the unit"), 0);
        // An age written out wins over the group's conventional bounds.
        assert_eq!(
            readings("Adults aged 30 to 50 years").first(),
            Some(&Computable::Age {
                min: Some(Duration::new(30.0, TimeUnit::Years)),
                max: Some(Duration::new(50.0, TimeUnit::Years)),
            })
        );
    }

    #[test]
    fn a_sex_subject_beside_a_condition_and_an_age() {
        let found = readings("Female subjects diagnosed with endometriosis 21 years of age and older.");
        assert!(found.contains(&adult_from(21.0)), "{found:?}");
        assert!(found.contains(&Computable::Sex { sex: Sex::Female }), "{found:?}");
        assert!(found.iter().any(|c| matches!(c, Computable::Condition { .. })), "{found:?}");
        // In an exclusion the sex is the group the rule concerns.
        let text = "Exclusion Criteria:\n\n* Male patients with gout aged 30 years or more";
        let criteria = parse_criteria(text);
        assert!(criteria.iter().all(|c| c.applies_if == vec![Computable::Sex { sex: Sex::Male }]), "{criteria:?}");
        let found: Vec<Computable> = criteria.into_iter().flat_map(|c| c.computable).collect();
        assert!(found.contains(&adult_from(30.0)) && found.iter().any(|c| matches!(c, Computable::Condition { .. })));
        assert!(!found.iter().any(|c| matches!(c, Computable::Sex { .. })), "{found:?}");
    }

    #[test]
    fn a_negation_elsewhere_does_not_deny_the_age_or_sex() {
        let text = "Inclusion Criteria:\n\n* Healthy men or women aged 20 years or over, free from any chronic illness";
        let criteria = parse_criteria(text);
        let demographic = |c: &eligo_model::Criterion| {
            c.computable.iter().all(|r| matches!(r, Computable::Age { .. } | Computable::Sex { .. }))
        };
        assert!(criteria.iter().filter(|c| demographic(c)).all(|c| !c.negated), "{criteria:?}");
        assert!(criteria.iter().any(|c| c.computable.contains(&adult_from(20.0))), "{criteria:?}");
        let text = "Inclusion Criteria:\n\n* Age 20 to 60 years. Negative urine pregnancy test at screening";
        let criteria = parse_criteria(text);
        assert!(criteria.iter().filter(|c| demographic(c)).all(|c| !c.negated), "{criteria:?}");
        // "non-" is the word it is joined to, not the sex after it.
        let text = "Inclusion Criteria:\n\n* Man or non-pregnant woman aged 20 to 60, free from chronic illness";
        let found = parse_criteria(text);
        assert!(found.iter().filter(|c| demographic(c)).all(|c| !c.negated), "{found:?}");
        // The negation still holds for the words it stands before.
        assert!(criteria
            .iter()
            .any(|c| c.negated && c.computable.iter().any(|r| matches!(r, Computable::Pregnancy { .. }))));
    }

    #[test]
    fn a_newborn_age_in_days() {
        let days = Computable::Age { min: Some(Duration::new(2.0, TimeUnit::Days)), max: None };
        assert_eq!(readings("Age > 2 days"), vec![days]);
    }

    #[test]
    fn either_gender_is_every_sex() {
        assert_eq!(readings("Either gender may take part"), vec![Computable::Sex { sex: Sex::All }]);
        let found = readings("Grown-ups, 21 years of age or older of both sexes and of any ethnicity");
        assert!(found.contains(&adult_from(21.0)) && found.contains(&Computable::Sex { sex: Sex::All }), "{found:?}");
    }

    #[test]
    fn an_age_after_the_people_or_under_an_age_heading() {
        assert!(readings("Male and female outpatients of any race 21 years or older").contains(&adult_from(21.0)));
        for text in [
            "PATIENT CHARACTERISTICS:\n\nAge:\n\n* 21 and over\n\nSex:\n\n* Not specified",
            "PATIENT CHARACTERISTICS:\n\n    Age\n      - 21 and over\n    Sex\n      - Not specified",
        ] {
            let found: Vec<Computable> = parse_criteria(text).into_iter().flat_map(|c| c.computable).collect();
            assert!(found.contains(&adult_from(21.0)), "{found:?}");
        }
    }
}
