//! Age and sex where the criterion states them beside other requirements or leaves the subject to
//! its heading: "Male or female subjects aged ≥ 18 years" (age, and sex all), "Women aged 18-45"
//! (age, and sex female), "Both genders are eligible" (sex all), "18 and over" under an "Age"
//! heading, "Male and female patients of any race 18 years or older" (an age written right after the
//! people it is about).

use eligo_model::{Computable, Section, Sex};

use crate::cues::CueKind;
use crate::parse::Analysis;

/// Nouns for the people a criterion is about: an age written after them is theirs ("patients 18
/// years or older").
const PERSON_WORDS: &[&str] = &[
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

/// The sex an inclusion states beside an age ("Women aged 18-45", "Male or female subjects aged
/// ≥ 18"): its own requirement. Not in exclusions, where "men over 50" is one requirement of two
/// parts, nor beside pregnancy words ("women of childbearing potential aged ...": the pregnancy
/// reading says whom it concerns).
pub(crate) fn sex_beside_age(a: &Analysis, section: Section, groups: &[Vec<Computable>]) -> Option<Vec<Computable>> {
    let has_age = groups.iter().flatten().any(|c| matches!(c, Computable::Age { .. }));
    let pregnancy = groups.iter().flatten().any(|c| matches!(c, Computable::Pregnancy { .. }));
    if section != Section::Inclusion || !has_age || pregnancy {
        return None;
    }
    Some(vec![Computable::Sex { sex: sex_of_cues(a)? }])
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
