//! Terms with their abbreviation written inside them: "Bruton's tyrosine kinase (BTK) inhibitor",
//! "epidermal growth factor receptor (EGFR) tyrosine kinase inhibitors", "luteinizing
//! hormone-releasing hormone (LHRH) agonist". Protocols define an abbreviation where its long form
//! first appears, which is often in the middle of a longer name; read word by word, the name breaks
//! at the bracket and only its first half is found (the amino acid "tyrosine" for a BTK inhibitor).
//! Each such bracket is blanked and the text around it scanned again; a term that now spans the
//! blank replaces the mentions inside it.

use crate::{Mention, Vocabulary};

/// How far around a bracket the text is scanned again, in chars: longer than any term.
const WINDOW: usize = 120;

/// Adds to `out` (sorted by start, as `scan` returns it) every term that spans a bracketed
/// abbreviation of `text`, dropping the mentions it covers.
pub(crate) fn add_terms_around_abbreviations(vocab: &Vocabulary, text: &str, out: &mut Vec<Mention>) {
    if !text.contains('(') {
        return;
    }
    let chars: Vec<char> = text.chars().collect();
    for (open, close) in abbreviation_brackets(&chars) {
        let from = window_start(&chars, open);
        let to = window_end(&chars, close);
        let blanked: String = (from..to).map(|k| if (open..=close).contains(&k) { ' ' } else { chars[k] }).collect();
        let spanning: Vec<Mention> = vocab
            .scan(&blanked)
            .into_iter()
            .map(|m| Mention { start: m.start + from, end: m.end + from, ..m })
            .filter(|m| m.start < open && m.end > close + 1)
            .map(|m| Mention { matched_text: chars[m.start..m.end].iter().collect(), ..m })
            .collect();
        for m in spanning {
            out.retain(|o| o.end <= m.start || o.start >= m.end);
            let at = out.partition_point(|o| o.start < m.start);
            out.insert(at, m);
        }
    }
}

/// `(ABBR)` groups with a word right before and right after them: two to ten letters, digits,
/// hyphens or slashes, at least two of them capitals ("(BTK)", "(PD-1)", "(CYP3A4)"). Returns the
/// char offsets of the brackets.
fn abbreviation_brackets(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (open, _) in chars.iter().enumerate().filter(|(_, c)| **c == '(') {
        let Some(len) = chars[open + 1..].iter().take(12).position(|c| *c == ')') else { continue };
        let close = open + 1 + len;
        let inner = &chars[open + 1..close];
        let shaped = (2..=10).contains(&inner.len())
            && inner.iter().all(|c| c.is_alphanumeric() || matches!(c, '-' | '/'))
            && inner.iter().filter(|c| c.is_uppercase()).count() >= 2;
        let word_before = open >= 2 && chars[open - 1] == ' ' && chars[open - 2].is_alphanumeric();
        let word_after =
            chars.get(close + 1) == Some(&' ') && chars.get(close + 2).is_some_and(|c| c.is_alphanumeric());
        if shaped && word_before && word_after {
            out.push((open, close));
        }
    }
    out
}

/// The start of the word at or after `open - WINDOW`, so that no scan starts inside a word.
fn window_start(chars: &[char], open: usize) -> usize {
    let mut k = open.saturating_sub(WINDOW);
    while k > 0 && k < open && !chars[k - 1].is_whitespace() {
        k += 1;
    }
    k
}

/// The end of the word at or before `close + WINDOW`.
fn window_end(chars: &[char], close: usize) -> usize {
    let mut k = (close + 1 + WINDOW).min(chars.len());
    while k < chars.len() && k > close + 1 && !chars[k].is_whitespace() {
        k -= 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use crate::Vocabulary;

    fn names(text: &str) -> Vec<String> {
        let vocab = Vocabulary::embedded();
        vocab
            .find_mentions(text)
            .iter()
            .map(|m| vocab.concept(&m.concept_ids[0]).map(|c| c.name.clone()).unwrap_or_default())
            .collect()
    }

    #[test]
    fn a_term_is_found_across_the_abbreviation_written_inside_it() {
        assert_eq!(names("No prior Bruton's tyrosine kinase (BTK) inhibitor therapy"), ["BTK inhibitor"]);
        assert_eq!(
            names("treated with a Janus kinase (JAK) inhibitor for RA"),
            ["JAK inhibitor", "Rheumatoid arthritis"]
        );
    }

    #[test]
    fn a_bracket_that_ends_a_term_or_spells_no_abbreviation_changes_nothing() {
        // The long form before its abbreviation, and the abbreviation, are found as before; the words
        // after the bracket stay their own mention when no term spans both.
        assert_eq!(names("heart failure (HF) and diabetes"), ["Heart failure", "Heart failure", "Diabetes mellitus"]);
        // A lower-case remark in brackets is no abbreviation: the name stays broken there.
        assert_eq!(names("Janus kinase (any) inhibitor"), names("Janus kinase"));
    }
}
