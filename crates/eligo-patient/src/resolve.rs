//! From recorded words (and maybe a code) to vocabulary concepts.

use eligo_model::ConceptRef;
use eligo_vocab::{Category, Vocabulary};

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
    for mention in vocab.find_mentions(text) {
        for id in &mention.concept_ids {
            let Some(concept) = vocab.concept(id) else { continue };
            if categories.contains(&concept.category) && !found.iter().any(|f| &f.id == id) {
                found.push(ConceptRef { id: concept.id.clone(), name: concept.name.clone() });
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

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
