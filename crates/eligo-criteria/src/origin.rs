//! Who a person is, rather than what they have: ancestry, ethnicity, nationality and military
//! service ("Japanese passport holder", "Ethnicity: Chinese", "Hispanic ethnicity", "Subject is
//! Korean (both parents are Korean)", "Must be U.S. Veteran").
//!
//! A person can say these about themselves, but a chart seldom records them and no vocabulary
//! concept or model field holds them, so they are read as circumstances confirmed at the screening
//! visit, the class where where someone lives is read too ([`crate::process`]): never a health
//! question, never unread.
//!
//! Only a line with nothing else in it is read this way: no vocabulary mention, and no word with a
//! digit (an HLA allele, "HLA-B5801", says more than the ancestry beside it).

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Peoples and groups of origin that criteria name.
static PEOPLES: WordSet = WordSet::new(
    "chinese japanese korean koreans taiwanese thai vietnamese filipino malaysian indonesian singaporean \
     caucasian caucasians hispanic hispanics latino latina latinx latinos asian asians african africans black \
     white indian indians alaskan aboriginal maori european europeans arab arabic han",
);

/// Words that make a people word a person's origin ("Hispanic ethnicity", "Japanese passport
/// holder", "of Chinese descent", "self-identifies as black").
static ORIGIN_WORDS: WordSet = WordSet::new(
    "ethnicity ethnicities ethnic ethnically race racial ancestry descent descendant descendants descendent \
     origin passport citizen citizens citizenship nationality national nationals naturalized naturalised \
     grandparents parents born native natives identifies identify identification identified",
);

/// Words a line may hold besides people words and still name only them: "African American",
/// "Participant is Japanese", "American Indians and Alaskan natives".
static BESIDE_PEOPLES: WordSet =
    WordSet::new("american americans and or is are subject subjects participant participants patient patients");

/// Words of military service ("U.S. Veteran", "Active Duty", "in military service").
static SERVICE_WORDS: WordSet = WordSet::new("veteran veterans military servicemember servicemembers reservist");

/// Whether an unread line states only who the person is: an origin or military service.
pub(crate) fn states_origin(a: &Analysis) -> bool {
    let digit_word = a.tokens.iter().any(|t| t.kind == TokenKind::Word && t.lower.chars().any(|c| c.is_ascii_digit()));
    if !a.mentions.is_empty() || digit_word {
        return false;
    }
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let people = words.iter().any(|w| PEOPLES.contains(w));
    let origin = words.iter().any(|w| ORIGIN_WORDS.contains(w));
    let service = words.iter().any(|w| SERVICE_WORDS.contains(w));
    let only_peoples =
        words.iter().all(|w| PEOPLES.contains(w) || BESIDE_PEOPLES.contains(w) || ORIGIN_WORDS.contains(w));
    (people && (origin || only_peoples)) || service
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, NonComputableReason};

    use crate::parse_criteria;

    fn reading(text: &str) -> Vec<Computable> {
        parse_criteria(text).into_iter().flat_map(|c| c.computable).collect()
    }

    fn confirmed_at_screening(text: &str) -> bool {
        reading(text) == vec![Computable::NotComputable { reason: NonComputableReason::Ability }]
    }

    #[test]
    fn ancestry_nationality_and_service_are_confirmed_at_screening() {
        for text in [
            "Inclusion Criteria:\n- Korean",
            "Inclusion Criteria:\n- Ethnic group: Taiwanese;",
            "Inclusion Criteria:\n- Holds a Thai passport",
            "Inclusion Criteria:\n- Self-identifies as Hispanic or Latino",
            "Inclusion Criteria:\n- All four grandparents of Japanese descent",
            "Inclusion Criteria:\n- Former member of the military",
            "Exclusion Criteria:\n- Veterans of the armed forces",
        ] {
            assert!(confirmed_at_screening(text), "{text}: {:?}", reading(text));
        }
    }

    #[test]
    fn colours_alleles_and_long_lines_without_an_origin_word_are_not_origins() {
        for text in [
            "Exclusion Criteria:\n- Grey or white patches on the oral mucosa seen at the first visit",
            "Inclusion Criteria:\n- Han Chinese carrying HLA-B5801",
            "Inclusion Criteria:\n- Asian ginseng taken daily",
        ] {
            assert!(!confirmed_at_screening(text), "{text}: {:?}", reading(text));
        }
    }
}
