//! Abbreviations a trial defines for itself: "cystic fibrosis (CF)" in one criterion makes a later
//! bare "CF" a mention of cystic fibrosis. Only a definition written earlier in the same text counts,
//! and only the exact capitalised spelling, so "CF" in another trial, or "cf." in prose, is untouched.

use crate::parse::{Analysis, LocatedMention};
use crate::recognize::Mention;
use crate::text::TokenKind;

/// Abbreviations defined so far in one criteria text: the spelling and the mention it stands for.
#[derive(Default)]
pub(crate) struct Abbreviations {
    defined: Vec<(String, Mention)>,
}

impl Abbreviations {
    /// Records every "long form (ABBR)" whose long form is a vocabulary mention and whose
    /// abbreviation starts with the long form's first letter.
    pub fn collect(&mut self, a: &Analysis) {
        for (m, (_, end)) in &a.mentions {
            if m.concept.is_none() {
                continue;
            }
            let Some(abbreviation) = bracketed_abbreviation(a, *end) else { continue };
            let long_first = a.prepared.chars.get(m.start).map(char::to_ascii_lowercase);
            let short_first = abbreviation.chars().next().map(|c| c.to_ascii_lowercase());
            if long_first == short_first && !self.defined.iter().any(|(s, _)| *s == abbreviation) {
                self.defined.push((abbreviation, m.clone()));
            }
        }
    }

    /// Adds a mention for every bare use of a defined abbreviation no mention covers yet.
    pub fn apply(&self, a: &mut Analysis) {
        if self.defined.is_empty() {
            return;
        }
        let mut added: Vec<LocatedMention> = Vec::new();
        for (at, t) in a.tokens.iter().enumerate() {
            if t.kind != TokenKind::Word || a.mentions.iter().any(|(_, r)| r.0 <= at && at < r.1) {
                continue;
            }
            let written: String = a.prepared.chars.get(t.start..t.end).unwrap_or_default().iter().collect();
            if let Some((_, long)) = self.defined.iter().find(|(s, _)| *s == written) {
                let mention = Mention { start: t.start, end: t.end, ..long.clone() };
                added.push((mention, (at, at + 1)));
            }
        }
        if !added.is_empty() {
            a.mentions.extend(added);
            a.mentions.sort_by_key(|(m, _)| m.start);
        }
    }
}

/// "( ABBR )" starting at token `at`: two to eight letters or digits with at least two capitals.
fn bracketed_abbreviation(a: &Analysis, at: usize) -> Option<String> {
    let open = a.tokens.get(at)?;
    let word = a.tokens.get(at + 1)?;
    let close = a.tokens.get(at + 2)?;
    if open.lower != "(" || close.lower != ")" || word.kind != TokenKind::Word {
        return None;
    }
    let written: String = a.prepared.chars.get(word.start..word.end)?.iter().collect();
    let capitals = written.chars().filter(char::is_ascii_uppercase).count();
    ((2..=8).contains(&written.chars().count()) && capitals >= 2).then_some(written)
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    #[test]
    fn a_defined_abbreviation_is_read_later_in_the_same_text() {
        let text = "Inclusion Criteria:\n\n* Diagnosis of idiopathic pulmonary fibrosis (IPF)\n\nExclusion Criteria:\n\n* IPF exacerbation in the past month";
        let criteria = parse_criteria(text);
        let last = criteria.last().map(|c| c.computable.clone()).unwrap_or_default();
        let first_concept = criteria.first().and_then(|c| match c.computable.first() {
            Some(Computable::Condition { concepts, .. }) => concepts.first().map(|k| k.id.clone()),
            _ => None,
        });
        assert!(first_concept.is_some(), "{criteria:?}");
        assert!(
            last.iter().any(|c| matches!(c, Computable::Condition { concepts, .. } if concepts.first().map(|k| k.id.clone()) == first_concept)),
            "{last:?}"
        );
    }

    #[test]
    fn an_undefined_abbreviation_stays_unknown() {
        let criteria = parse_criteria("Exclusion Criteria:\n\n* KQF exacerbation in the past month");
        let read = format!("{criteria:?}");
        assert!(!read.contains("ICD10CM") && !read.contains("MESH"), "{criteria:?}");
    }
}
