//! Repairs for the artefacts that scraping leaves in page text.
//!
//! Browsers and scrapers flatten markup into text and, on the way, glue
//! things together that were apart on the page: footnote markers run into
//! the next sentence ("23567Research shows"), a heading runs into the end of
//! the paragraph before it ("contraception.Inclusion Criteria"), and words
//! lose the space between them ("Hepatitis Bsurface", "withhepatitis").
//!
//! Glued words are split only when *both* halves are words the same page
//! uses on their own (or very common function words), so the repair never
//! invents vocabulary and leaves drug names and acronyms alone.

use std::collections::HashMap;

/// Bullet characters that start list items in scraped text.
const BULLETS: [char; 6] = ['•', '◦', '▪', '●', '–', '·'];

/// Short words that glue onto the next word in scraped criteria text.
/// (Not "a", "an", "in", "on": too many real words start with them.)
const FUNCTION_WORDS: [&str; 9] = ["and", "or", "of", "the", "with", "for", "more", "other", "than"];

/// Trims a line and removes a leading bullet ("  • Ages 5-18" → "Ages 5-18").
pub fn strip_bullet(line: &str) -> &str {
    let line = line.trim();
    let without = line.trim_start_matches(BULLETS).trim_start();
    let without = without.strip_prefix("- ").or_else(|| without.strip_prefix("* ")).unwrap_or(without);
    without.trim()
}

/// Removes a footnote-marker digit run glued to the start of a sentence
/// ("23567Research shows" → "Research shows"). A run of three or more digits
/// directly followed by a capitalised word is never a number a reader sees.
pub fn strip_citation_runs(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '.';
        if at_word_start && chars[i].is_ascii_digit() {
            let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            let next = chars.get(i + run);
            let after = chars.get(i + run + 1);
            if run >= 3 && next.is_some_and(|c| c.is_uppercase()) && after.is_some_and(|c| c.is_lowercase()) {
                i += run;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Splits a heading glued to the end of a sentence: `sentence.Heading` →
/// `sentence.` and `Heading`, when `is_heading` accepts the tail.
pub fn split_glued_heading(line: &str, is_heading: impl Fn(&str) -> bool) -> Vec<String> {
    for (index, _) in line.match_indices('.') {
        let tail = &line[index + 1..];
        let glued = tail.starts_with(|c: char| c.is_uppercase());
        if glued && index > 0 && is_heading(tail) {
            return vec![line[..=index].to_string(), tail.to_string()];
        }
    }
    vec![line.to_string()]
}

/// Word counts of a document, for deciding whether a glued word splits.
#[derive(Debug, Default)]
pub struct Vocabulary {
    counts: HashMap<String, usize>,
}

impl Vocabulary {
    pub fn of(text: &str) -> Self {
        let mut counts = HashMap::new();
        for word in words(text) {
            *counts.entry(word.to_lowercase()).or_insert(0) += 1;
        }
        Vocabulary { counts }
    }

    /// Occurrences of a word already in lower case.
    fn count(&self, lower: &str) -> usize {
        self.counts.get(lower).copied().unwrap_or(0)
    }

    fn is_word(&self, lower: &str) -> bool {
        FUNCTION_WORDS.contains(&lower) || self.count(lower) > 0
    }

    /// The two words a glued token is made of, if there is exactly one
    /// reading in which both are words of this document. Only ASCII tokens
    /// are tried, so that offsets in the lower-case copy match the token.
    fn split(&self, token: &str) -> Option<(String, String)> {
        if token.len() < 6 || !token.chars().all(|c| c.is_ascii_alphabetic()) {
            return None;
        }
        let lower = token.to_ascii_lowercase();
        if self.count(&lower) > 1 {
            return None;
        }
        if let Some(split) = camel_case_split(token) {
            return Some(split);
        }
        let mut readings = (1..token.len()).filter_map(|at| {
            let (left, right) = token.split_at(at);
            let (left_lower, right_lower) = lower.split_at(at);
            let single_capital = at == 1 && left.chars().all(|c| c.is_ascii_uppercase());
            let left_ok = (single_capital && self.count(left_lower) > 0) || (at >= 2 && self.is_word(left_lower));
            let right_ok =
                right.len() >= 4 && right.chars().all(|c| c.is_ascii_lowercase()) && self.count(right_lower) > 0;
            (left_ok && right_ok).then(|| (left.to_string(), right.to_string()))
        });
        let first = readings.next()?;
        readings.next().is_none().then_some(first)
    }
}

/// "trialsTrials" → ("trials", "Trials"): a lower-case run followed by a
/// capitalised word, both at least three letters (so "IgG" or "eGFR" stay).
fn camel_case_split(token: &str) -> Option<(String, String)> {
    let chars: Vec<char> = token.chars().collect();
    let at = chars.windows(2).position(|w| w[0].is_lowercase() && w[1].is_uppercase())? + 1;
    let (left, right) = chars.split_at(at);
    let proper = left.len() >= 3
        && left.iter().all(|c| c.is_lowercase())
        && right.len() >= 3
        && right[1..].iter().all(|c| c.is_lowercase());
    proper.then(|| (left.iter().collect(), right.iter().collect()))
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty())
}

/// Rewrites `line`, putting the lost space back into glued words.
pub fn unglue_words(line: &str, vocabulary: &Vocabulary) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut token = String::new();
    let flush = |token: &mut String, out: &mut String| {
        match vocabulary.split(token) {
            Some((left, right)) => {
                out.push_str(&left);
                out.push(' ');
                out.push_str(&right);
            }
            None => out.push_str(token),
        }
        token.clear();
    };
    for c in line.chars() {
        if c.is_alphabetic() {
            token.push(c);
        } else {
            flush(&mut token, &mut out);
            out.push(c);
        }
    }
    flush(&mut token, &mut out);
    out
}

/// Drops items that repeat an earlier item (scrapers often emit a list
/// once per responsive layout), keeping the first occurrence.
pub fn dedupe(items: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    items.into_iter().filter(|item| seen.insert(item.to_lowercase())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citation_runs_glued_to_sentences_are_removed() {
        assert_eq!(strip_citation_runs("23567Research shows that"), "Research shows that");
        assert_eq!(strip_citation_runs("14678Eligibility Criteria"), "Eligibility Criteria");
        assert_eq!(strip_citation_runs("Beijing, Beijing 100730"), "Beijing, Beijing 100730");
        assert_eq!(strip_citation_runs("2019 ACR/EULAR criteria"), "2019 ACR/EULAR criteria");
    }

    #[test]
    fn glued_words_split_only_into_words_of_the_page() {
        let text = "Hepatitis B surface antigen positive. Hepatitis Bsurface antibody positive and hepatitis B core \
                    antibody, hepatitis B or C. Hepatitis Cantibody positive. Current infection withhepatitis.";
        let vocabulary = Vocabulary::of(text);
        assert_eq!(unglue_words("Hepatitis Bsurface antibody", &vocabulary), "Hepatitis B surface antibody");
        assert_eq!(unglue_words("Hepatitis Cantibody", &vocabulary), "Hepatitis C antibody");
        assert_eq!(unglue_words("infection withhepatitis", &vocabulary), "infection with hepatitis");
        assert_eq!(unglue_words("Belimumab and eGFR", &vocabulary), "Belimumab and eGFR");
        assert_eq!(unglue_words("Find clinical trialsTrials", &vocabulary), "Find clinical trials Trials");
    }

    #[test]
    fn headings_glued_to_sentences_split_off() {
        let is_heading = |s: &str| s == "Inclusion Criteria";
        assert_eq!(
            split_glued_heading("use effective contraception.Inclusion Criteria", is_heading),
            ["use effective contraception.", "Inclusion Criteria"]
        );
        assert_eq!(split_glued_heading("e.g. Something", is_heading), ["e.g. Something"]);
    }

    #[test]
    fn repeated_items_are_dropped() {
        let items = vec!["SLE".to_string(), "SLE".to_string(), "Lupus".to_string(), "sle".to_string()];
        assert_eq!(dedupe(items), ["SLE", "Lupus"]);
    }

    #[test]
    fn bullets_are_stripped() {
        assert_eq!(strip_bullet("  • Ages 5-18"), "Ages 5-18");
        assert_eq!(strip_bullet("- Systemic lupus"), "Systemic lupus");
        assert_eq!(strip_bullet("1. Age"), "1. Age");
    }
}
