//! From recorded words (and maybe a code) to vocabulary concepts.

use std::sync::OnceLock;

use eligo_model::ConceptRef;
use eligo_vocab::{Category, Mention, Vocabulary};
use regex::Regex;

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
    let flows = oxygen_flows(text);
    let inside_a_marker = |m: &Mention| markers.iter().any(|r| r.start <= m.start && m.end <= r.end);
    let inside_a_flow = |m: &Mention| flows.iter().any(|f| f.start <= m.start && m.end <= f.end);
    let mut mentions: Vec<Mention> =
        mentions.into_iter().filter(|m| !inside_a_marker(m) && !inside_a_flow(m)).collect();
    if !flows.is_empty() {
        mentions.extend(flows);
        mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    }
    (mentions, markers)
}

/// Oxygen therapy written as its flow or its being on it: "on 2.5-3.5L O2 at baseline", "5L NC",
/// "3 liters of oxygen", "on home O2". The vocabulary cannot hold these: the flow is a number glued
/// to its unit, and "O2" alone is as often the gas of "O2 sat 90%" as the therapy. Each becomes a
/// mention of oxygen therapy, so the note reader gives it the assertion and timing of any procedure.
fn oxygen_flows(text: &str) -> Vec<Mention> {
    const OXYGEN_THERAPY: &str = "MESH:D010102";
    static FLOW: OnceLock<Regex> = OnceLock::new();
    let flow = FLOW.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:\d+(?:\.\d+)?(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?\s*(?:l|lpm|liters?|litres?)(?:\s*/\s*min(?:ute)?)?\s+(?:of\s+)?|on\s+)(?:supplemental\s+|home\s+)?(?:o2|oxygen|nc|nasal\s+cannula)\b(?:\s+(?:sat|saturation)\b)?",
        )
        .expect("valid regex literal")
    });
    let Some(concept) = Vocabulary::embedded().concept(OXYGEN_THERAPY) else { return Vec::new() };
    let chars = |byte: usize| text[..byte].chars().count();
    flow.find_iter(text)
        // "on O2 sat 92%": the gas's saturation, not the therapy.
        .filter(|m| {
            let lower = m.as_str().to_ascii_lowercase();
            !lower.ends_with("sat") && !lower.ends_with("saturation")
        })
        .map(|m| Mention {
            start: chars(m.start()),
            end: chars(m.end()),
            concept_ids: vec![concept.id.clone()],
            category: Category::Procedure,
            matched_text: m.as_str().to_string(),
            elliptical: false,
        })
        .collect()
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
    fn oxygen_flows_and_being_on_oxygen_are_oxygen_therapy() {
        let therapy = |text: &str| {
            mentions_and_markers(text).0.iter().filter(|m| m.concept_ids.iter().any(|id| id == "MESH:D010102")).count()
        };
        assert_eq!(therapy("COPD on 2.5-3.5L O2 at baseline"), 1);
        assert_eq!(therapy("saturating 94% on 5L NC"), 1);
        assert_eq!(therapy("needs 3 liters of oxygen at night"), 1);
        assert_eq!(therapy("She is on home O2."), 1);
        assert_eq!(therapy("on O2 sat 92% and a 2 L bag of saline"), 0);
        assert_eq!(therapy("O2 saturation 90% on room air"), 0);
    }

    #[test]
    fn mentions_inside_longer_text_are_found() {
        let concepts = resolve_concepts("biopsy-proven lupus nephritis class IV", None, &[Category::Condition]);
        assert!(!concepts.is_empty());
    }
}
