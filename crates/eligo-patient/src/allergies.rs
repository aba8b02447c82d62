//! Allergies in a note: "allergic to penicillin", "Allergies: codeine, sulfa", "a latex allergy",
//! and the statement that there are none ("NKDA", "no known drug allergies").
//!
//! A drug named as an allergen is no medication the patient takes: read as one, "allergic to
//! penicillin" met "prior penicillin therapy" and hid that the patient must not get it. The note
//! reader asks [`names_allergen`] for every drug mention and records an allergy instead; a denial
//! becomes one absent allergy naming nothing, which tells the matcher the allergy list is complete.

use std::sync::OnceLock;

use regex::Regex;

/// Words before a drug, in its sentence, that make it an allergen.
const ALLERGY_CUES: &[&str] = &[
    "allergic to",
    "allergy to",
    "allergies to",
    "allergies:",
    "allergies include",
    "allergies are",
    "allergic reaction to",
    "allergic reactions to",
    "anaphylaxis to",
    "anaphylactic reaction to",
    "hypersensitivity to",
    "hypersensitive to",
    "intolerant of",
    "intolerant to",
    "intolerance to",
    "allergy list:",
    "allergic:",
];

/// Words before a drug, in its sentence, that make it a medication again after an allergy cue
/// ("allergic to penicillin; she takes metformin").
const MEDICATION_CUES: &[&str] = &[
    "medication",
    "takes",
    "taking",
    "treated with",
    "receiving",
    "received",
    "prescribed",
    "started on",
    "is on",
    "was on",
    "therapy with",
    "; ",
];

/// Words right after a drug that make it an allergen ("penicillin allergy", "sulfa-allergic").
const ALLERGY_AFTER: &[&str] = &["allergy", "allergies", "allergic", "hypersensitivity", "intolerance", "anaphylaxis"];

/// Whether a drug is named as an allergen: `before` is its sentence's text before it and `after`
/// the text right after it, both lower case.
pub(crate) fn names_allergen(before: &str, after: &str) -> bool {
    let last = |cues: &[&str]| cues.iter().filter_map(|c| before.rfind(c).map(|at| at + c.len())).max();
    let allergy_before = match (last(ALLERGY_CUES), last(MEDICATION_CUES)) {
        (Some(allergy), Some(medication)) => allergy > medication,
        (allergy, _) => allergy.is_some(),
    };
    let rest = after.trim_start_matches([' ', '-']);
    allergy_before || ALLERGY_AFTER.iter().any(|w| rest.starts_with(w))
}

/// Where a note says the patient has no allergies ("NKDA", "no known drug allergies", "denies
/// allergies"), as byte ranges of its lower-case text.
pub(crate) fn allergy_denials(lower: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    static DENIAL: OnceLock<Regex> = OnceLock::new();
    let denial = DENIAL.get_or_init(|| {
        Regex::new(
            r"\b(?:nkda|nka|no\s+known\s+(?:drug\s+|medication\s+)?allergies|no\s+(?:drug\s+|medication\s+)?allergies|denies\s+(?:any\s+)?(?:drug\s+)?allergies)\b",
        )
        .expect("the allergy-denial pattern is valid")
    });
    denial.find_iter(lower).map(|m| (m.start(), m.end()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drug_after_an_allergy_cue_is_an_allergen() {
        assert!(names_allergen("she is allergic to ", " and takes metformin"));
        assert!(names_allergen("allergies: codeine, ", ""));
        assert!(names_allergen("he reports a ", " allergy (hives)"));
        assert!(names_allergen("", "-allergic since childhood"));
    }

    #[test]
    fn a_drug_taken_after_an_allergy_in_the_same_sentence_is_a_medication() {
        assert!(!names_allergen("allergic to penicillin; she takes ", ""));
        assert!(!names_allergen("allergic to sulfa and is on ", " 10 mg daily"));
        assert!(!names_allergen("she was treated with ", " for two years"));
    }

    #[test]
    fn denials_of_any_allergy() {
        let found: Vec<(usize, usize)> = allergy_denials("pmh: asthma. nkda. meds: none").collect();
        assert_eq!(found, vec![(13, 17)]);
        assert_eq!(allergy_denials("no known drug allergies.").count(), 1);
        assert_eq!(allergy_denials("she denies allergies").count(), 1);
        assert_eq!(allergy_denials("no allergy to latex was found").count(), 0);
    }
}
