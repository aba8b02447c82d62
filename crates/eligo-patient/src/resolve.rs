//! From recorded words (and maybe a code) to vocabulary concepts.

use eligo_model::ConceptRef;
use eligo_vocab::{Category, Mention, Vocabulary};

use crate::markers::{read_markers, MarkerResult};

/// Concepts named by `text`, preferring an explicit `code` the vocabulary knows (`ICD10CM:M32.14`),
/// then an exact term lookup, then every mention inside the text of the wanted categories.
/// An empty result is not an error: the fact is still kept with its text.
pub fn resolve_concepts(text: &str, code: Option<&str>, categories: &[Category]) -> Vec<ConceptRef> {
    let vocab = Vocabulary::embedded();
    if let Some(concept) = code.and_then(|c| vocab.concept(c)) {
        return vec![ConceptRef { id: concept.id.clone(), name: concept.name.clone() }];
    }
    let exact: Vec<ConceptRef> = vocab
        .lookup(text)
        .into_iter()
        .filter(|c| categories.contains(&c.category))
        .map(|c| ConceptRef { id: c.id.clone(), name: c.name.clone() })
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let mut found: Vec<ConceptRef> = Vec::new();
    for mention in mentions_and_markers(text).0 {
        for id in &mention.concept_ids {
            let Some(concept) = vocab.concept(id) else { continue };
            if categories.contains(&concept.category) && !found.iter().any(|f| &f.id == id) {
                found.push(ConceptRef { id: concept.id.clone(), name: concept.name.clone() });
            }
        }
    }
    found
}

/// The vocabulary's mentions in `text` and the tumour-marker results it states. Words inside a
/// marker result are the marker's, not mentions of their own: "ER-" of "ER-positive" is not the
/// ICD-10 code for receptor-negative status, "estrogen" of "estrogen receptor positive" not the drug.
pub(crate) fn mentions_and_markers(text: &str) -> (Vec<Mention>, Vec<MarkerResult>) {
    let mentions = split_glued_signs(Vocabulary::embedded().find_mentions(text));
    let markers = read_markers(text, &mentions);
    let inside_a_marker = |m: &Mention| markers.iter().any(|r| r.start <= m.start && m.end <= r.end);
    let mentions = mentions.into_iter().filter(|m| !inside_a_marker(m)).collect();
    (mentions, markers)
}

/// A term that ends in a sign glued to the next word ("ER-" of "ER-positive") is a hyphenated
/// word's first part: it is read again without the sign, with the vocabulary's case rules.
fn split_glued_signs(mentions: Vec<Mention>) -> Vec<Mention> {
    mentions
        .into_iter()
        .map(|m| {
            let Some(bare) = m.matched_text.strip_suffix(['-', '+']) else { return m };
            let shorter = Vocabulary::embedded()
                .find_mentions(bare)
                .into_iter()
                .find(|s| s.start == 0 && s.end == bare.chars().count());
            match shorter {
                Some(s) => Mention { start: m.start, end: m.start + s.end, ..s },
                None => m,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_result_in_a_name_is_no_condition_of_its_own() {
        let concepts = resolve_concepts("ER-positive breast cancer", None, &[Category::Condition]);
        assert_eq!(concepts.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["ICD10CM:C50"]);
    }

    #[test]
    fn brand_names_resolve_to_the_drug() {
        let concepts = resolve_concepts("Rituxan", None, &[Category::Drug, Category::DrugClass]);
        assert!(concepts.iter().any(|c| c.id == "DRUG:rituximab"), "{concepts:?}");
    }

    #[test]
    fn a_known_code_wins_over_the_text() {
        let concepts = resolve_concepts("dry eyes and mouth", Some("ICD10CM:M35.0"), &[Category::Condition]);
        assert_eq!(concepts.len(), 1);
        assert_eq!(concepts[0].id, "ICD10CM:M35.0");
    }

    #[test]
    fn mentions_inside_longer_text_are_found() {
        let concepts = resolve_concepts("biopsy-proven lupus nephritis class IV", None, &[Category::Condition]);
        assert!(!concepts.is_empty());
    }
}
