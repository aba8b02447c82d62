//! Tumour-marker results in text: "ER+/PR+/HER2-", "HER2 3+", "EGFR exon 19 deletion",
//! "ALK-rearranged", "KRAS G12C", "PD-L1 TPS 60%", "MSI-high", "BRCA1 carrier", "triple-negative",
//! "positive for ER and PR".
//!
//! Marker names come from the vocabulary (`ELIGO:marker.*`, found by its mention finder with its case
//! rules); the result is read from the words right after the name, or before a list of names
//! ("positive for ER and PR"), or from the name itself when it states one ("MSI-H", "dMMR"). A
//! result is qualitative, as the project's marker convention has it: *positive* for present,
//! overexpressed, amplified, mutated, rearranged, fused or high; *negative* for absent, not
//! amplified, wild-type or low. An equivocal result ("HER2 2+", "pending") is no result.

use std::sync::OnceLock;

use eligo_model::{ConceptRef, Polarity, Qualifier, QualifierKind};
use eligo_vocab::{Mention, Vocabulary};
use regex::Regex;

const MARKER_PREFIX: &str = "ELIGO:marker.";
/// How far after a marker name its result may be, in bytes.
const RESULT_WINDOW: usize = 48;
/// How far before a marker name "positive for" may be, in bytes.
const PREFIX_WINDOW: usize = 24;

/// Result words and their polarity; `None` is an explicit non-result (equivocal, pending).
const RESULT_WORDS: [(&str, Option<Polarity>); 44] = [
    ("positive", Some(Polarity::Positive)),
    ("pos", Some(Polarity::Positive)),
    ("+", Some(Polarity::Positive)),
    ("3+", Some(Polarity::Positive)),
    ("amplified", Some(Polarity::Positive)),
    ("amplification", Some(Polarity::Positive)),
    ("overexpressed", Some(Polarity::Positive)),
    ("overexpressing", Some(Polarity::Positive)),
    ("overexpression", Some(Polarity::Positive)),
    ("mutant", Some(Polarity::Positive)),
    ("mutated", Some(Polarity::Positive)),
    ("mutation", Some(Polarity::Positive)),
    ("mutations", Some(Polarity::Positive)),
    ("rearranged", Some(Polarity::Positive)),
    ("rearrangement", Some(Polarity::Positive)),
    ("fusion", Some(Polarity::Positive)),
    ("translocation", Some(Polarity::Positive)),
    ("high", Some(Polarity::Positive)),
    ("h", Some(Polarity::Positive)),
    ("deficient", Some(Polarity::Positive)),
    ("deficiency", Some(Polarity::Positive)),
    ("carrier", Some(Polarity::Positive)),
    ("deletion", Some(Polarity::Positive)),
    ("insertion", Some(Polarity::Positive)),
    ("skipping", Some(Polarity::Positive)),
    ("negative", Some(Polarity::Negative)),
    ("neg", Some(Polarity::Negative)),
    ("-", Some(Polarity::Negative)),
    ("0", Some(Polarity::Negative)),
    ("1+", Some(Polarity::Negative)),
    ("not amplified", Some(Polarity::Negative)),
    ("non-amplified", Some(Polarity::Negative)),
    ("unamplified", Some(Polarity::Negative)),
    ("wild-type", Some(Polarity::Negative)),
    ("wild type", Some(Polarity::Negative)),
    ("wt", Some(Polarity::Negative)),
    ("low", Some(Polarity::Negative)),
    ("proficient", Some(Polarity::Negative)),
    ("intact", Some(Polarity::Negative)),
    ("detected", Some(Polarity::Positive)),
    ("present", Some(Polarity::Positive)),
    ("not detected", Some(Polarity::Negative)),
    ("absent", Some(Polarity::Negative)),
    ("2+", None),
];
/// Names that state a positive result by themselves when no result follows ("MSI-H", "dMMR",
/// "CD20+", "RET fusion"): their last word, as in [`RESULT_WORDS`], or these whole names.
const NAMES_STATING_A_RESULT: [&str; 2] = ["dmmr", "hrd"];
/// Words before a marker (list) that give its result or deny it.
const RESULT_BEFORE: [(&str, Polarity); 8] = [
    ("positive for", Polarity::Positive),
    ("pos for", Polarity::Positive),
    ("negative for", Polarity::Negative),
    ("neg for", Polarity::Negative),
    ("no", Polarity::Negative),
    ("not", Polarity::Negative),
    ("without", Polarity::Negative),
    ("absence of", Polarity::Negative),
];
/// Phrases naming results of several markers at once.
const PANEL_PHRASES: [(&str, Polarity, [&str; 3]); 2] = [
    ("triple negative", Polarity::Negative, ["er", "pr", "her2"]),
    ("triple positive", Polarity::Positive, ["er", "pr", "her2"]),
];
/// Markers whose result is reported as a percentage of stained cells (or a score), positive from
/// 1 % (ASCO/CAP for ER and PR; PD-L1 TPS and CPS).
const PERCENT_MARKERS: [&str; 4] = ["er", "pr", "hr", "pdl1"];

/// A marker result read from text. Offsets are chars of the text, `end` exclusive.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkerResult {
    pub marker: ConceptRef,
    pub polarity: Polarity,
    pub start: usize,
    pub end: usize,
}

/// The unit of a qualitative marker observation (`positive` / `negative`), also the word of its
/// biomarker qualifier.
pub fn result_unit(polarity: Polarity) -> &'static str {
    match polarity {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    }
}

impl MarkerResult {
    /// The biomarker qualifier of the condition the marker describes ("her2 negative").
    pub fn qualifier(&self) -> Qualifier {
        let name = self.marker.id.strip_prefix(MARKER_PREFIX).unwrap_or(&self.marker.id);
        Qualifier {
            kind: QualifierKind::Biomarker,
            value: format!("{name} {}", result_unit(self.polarity)),
            concept: Some(self.marker.clone()),
            polarity: Some(self.polarity),
        }
    }
}

/// Whether a concept id is a tumour marker's.
pub fn is_marker(id: &str) -> bool {
    id.starts_with(MARKER_PREFIX)
}

/// The marker a mention names, if any.
fn marker_of(mention: &Mention) -> Option<ConceptRef> {
    let id = mention.concept_ids.iter().find(|id| is_marker(id))?;
    let concept = Vocabulary::embedded().concept(id)?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

/// The first marker a text names ("HER2 [Presence] in Tissue by Immune stain" → HER2).
pub fn marker_named_in(text: &str) -> Option<ConceptRef> {
    Vocabulary::embedded().find_mentions(text).iter().find_map(marker_of)
}

fn marker_named(short: &str) -> Option<ConceptRef> {
    let concept = Vocabulary::embedded().concept(&format!("{MARKER_PREFIX}{short}"))?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

/// A text with its char offsets, lower-cased for reading (ASCII lower-casing keeps byte offsets).
struct Text {
    lower: String,
    char_bytes: Vec<usize>,
}

impl Text {
    fn new(text: &str) -> Self {
        let char_bytes = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
        Text { lower: text.to_ascii_lowercase(), char_bytes }
    }

    fn byte(&self, char_pos: usize) -> usize {
        self.char_bytes.get(char_pos).copied().unwrap_or(self.lower.len())
    }

    fn char_at(&self, byte: usize) -> usize {
        self.char_bytes.partition_point(|&b| b < byte)
    }

    /// Up to `limit` bytes after char `pos`, on a char boundary.
    fn after(&self, pos: usize, limit: usize) -> &str {
        let start = self.byte(pos);
        let mut end = (start + limit).min(self.lower.len());
        while !self.lower.is_char_boundary(end) {
            end -= 1;
        }
        self.lower.get(start..end).unwrap_or_default()
    }

    /// Up to `limit` bytes before char `pos`, on a char boundary.
    fn before(&self, pos: usize, limit: usize) -> &str {
        let end = self.byte(pos);
        let mut start = end.saturating_sub(limit);
        while !self.lower.is_char_boundary(start) {
            start += 1;
        }
        self.lower.get(start..end).unwrap_or_default()
    }
}

/// One marker name found in the text, with what it says on its own.
struct Named {
    marker: ConceptRef,
    start: usize,
    end: usize,
    /// Its own result and the char where that result ends.
    result: Option<(Option<Polarity>, usize)>,
}

/// Every marker result in `text`, whose vocabulary mentions are `mentions`.
pub fn read_markers(text: &str, mentions: &[Mention]) -> Vec<MarkerResult> {
    let doc = Text::new(text);
    let mut mentions: Vec<Mention> = mentions.iter().filter(|m| marker_of(m).is_some()).cloned().collect();
    mentions.extend(genes_before_protein_changes(text, &mentions));
    mentions.sort_by_key(|m| m.start);
    let named: Vec<Named> = mentions
        .iter()
        .filter_map(|m| {
            let marker = marker_of(m)?;
            let result = result_after(&doc, m.end, &marker).or_else(|| stated_by_name(&m.matched_text, m.end));
            Some(Named { marker, start: m.start, end: m.end, result })
        })
        .collect();
    let mut results = panel_results(&doc);
    for group in groups(&doc, &named) {
        results.extend(group_results(&doc, group));
    }
    results.sort_by_key(|r| r.start);
    results
}

/// Gene names right before a protein change ("BRAF V600E"): the mention finder reads the longest
/// term at a place, so a vocabulary term "BRAF V600" that the change runs past hides "BRAF" there.
fn genes_before_protein_changes(text: &str, found: &[Mention]) -> Vec<Mention> {
    static CHANGE: OnceLock<Regex> = OnceLock::new();
    // A literal of this module, covered by its tests.
    let pattern = CHANGE.get_or_init(|| {
        Regex::new(r"\b([A-Za-z][A-Za-z0-9-]{1,10})\s+[A-Z]\d{2,4}[A-Z]\b").expect("valid regex literal")
    });
    let doc = Text::new(text);
    pattern
        .captures_iter(text)
        .filter_map(|caps| {
            let gene = caps.get(1)?;
            let start = doc.char_at(gene.start());
            let mention = Vocabulary::embedded().find_mentions(gene.as_str()).into_iter().find(|m| m.start == 0)?;
            let shifted = Mention { start: start + mention.start, end: start + mention.end, ..mention };
            let known = found.iter().any(|f| f.start < shifted.end && shifted.start < f.end);
            (!known && marker_of(&shifted).is_some()).then_some(shifted)
        })
        .collect()
}

/// The result written right after a marker name: "+", "-positive", " 3+", " is amplified",
/// " exon 19 deletion", " V600E", " TPS 60%".
fn result_after(doc: &Text, end: usize, marker: &ConceptRef) -> Option<(Option<Polarity>, usize)> {
    static RESULT: OnceLock<Regex> = OnceLock::new();
    let pattern = RESULT.get_or_init(|| {
        // A literal of this module, covered by its tests.
        Regex::new(
            r"^[\s:(]*-?\s*(?:(?:is|was|were|status|expression|testing|tested|test|results?|gene|by|ihc|fish|ngs|tps|cps|tumou?r proportion score|combined positive score|score|of)\b[\s:(]*)*(?P<result>[0-3]\+|\+|-|\d{1,3}(?:\.\d+)?\s*%|(?:tps|cps)\s*\d{1,3}|not amplified|not detected|non-amplified|wild[- ]type|exon\s*\d{1,2}\s*(?:deletion|insertion|skipping|mutation)|[a-z]\d{2,4}(?:[a-z]|del|ins|fs)\b|[a-z]+(?:-[a-z]+)?)",
        )
        .expect("valid regex literal")
    });
    let after = doc.after(end, RESULT_WINDOW);
    let caps = pattern.captures(after)?;
    let found = caps.name("result")?;
    let word = found.as_str();
    let polarity = if word == "-" || word == "+" {
        // A sign glued to a following word is a hyphen ("ER-positive"), read by the next loop.
        let next = after.get(found.end()..).and_then(|rest| rest.chars().next());
        if next.is_some_and(char::is_alphanumeric) {
            return None;
        }
        RESULT_WORDS.iter().find(|(w, _)| *w == word)?.1
    } else {
        polarity_of(word, marker)?
    };
    Some((polarity, doc.char_at(doc.byte(end) + found.end())))
}

/// The polarity a result word gives: `Some(None)` is an explicit non-result, `None` no result word.
fn polarity_of(word: &str, marker: &ConceptRef) -> Option<Option<Polarity>> {
    let short = marker.id.strip_prefix(MARKER_PREFIX).unwrap_or_default();
    let word = word.trim();
    if let Some(number) = percent_or_score(word) {
        return PERCENT_MARKERS.contains(&short).then_some(Some(if number >= 1.0 {
            Polarity::Positive
        } else {
            Polarity::Negative
        }));
    }
    if word.starts_with("exon") || is_protein_change(word) {
        return Some(Some(Polarity::Positive));
    }
    let word = word.strip_suffix("-positive").map_or(word, |_| "positive");
    RESULT_WORDS.iter().find(|(w, _)| *w == word).map(|(_, p)| *p)
}

/// The result a whole value states ("Positive", "Not amplified", "Detected"), as a structured
/// record writes a marker's value.
pub fn result_of_value(value: &str) -> Option<Polarity> {
    let value = value.trim().to_ascii_lowercase();
    RESULT_WORDS.iter().find(|(w, _)| *w == value).and_then(|(_, p)| *p)
}

/// "60%", "60 %", "tps 60", "cps 10".
fn percent_or_score(word: &str) -> Option<f64> {
    let digits = word.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c.is_whitespace());
    let number = digits.trim_end_matches(|c: char| c == '%' || c.is_whitespace());
    let scored = word.starts_with("tps") || word.starts_with("cps") || word.ends_with('%');
    if scored {
        number.parse().ok()
    } else {
        None
    }
}

/// "v600e", "g12c", "l858r", "e746del": a protein change names a mutation.
fn is_protein_change(word: &str) -> bool {
    let mut chars = word.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let digits = word.chars().skip(1).take_while(char::is_ascii_digit).count();
    first_is_letter && (2..=4).contains(&digits)
}

/// A name that states its result ("MSI-H", "CD20+", "RET fusion", "dMMR"), read as positive.
fn stated_by_name(name: &str, end: usize) -> Option<(Option<Polarity>, usize)> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with('+') || NAMES_STATING_A_RESULT.contains(&lower.as_str()) {
        return Some((Some(Polarity::Positive), end));
    }
    let last = lower.rsplit(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty())?;
    // A name that ends in a protein change names the mutation found ("BRAF V600E").
    if last != lower && is_protein_change(last) {
        return Some((Some(Polarity::Positive), end));
    }
    let polarity = RESULT_WORDS.iter().find(|(w, _)| *w == last)?.1?;
    (polarity == Polarity::Positive && last != lower).then_some((Some(polarity), end))
}

/// Names written as one list ("ER/PR", "ER and PR", "ER, PR and HER2"): only separators between them.
fn groups<'a>(doc: &Text, named: &'a [Named]) -> Vec<&'a [Named]> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=named.len() {
        let joined = match (named.get(i - 1), named.get(i)) {
            (Some(a), Some(b)) if a.result.is_none() && b.start >= a.end => {
                let between = doc.lower.get(doc.byte(a.end)..doc.byte(b.start)).unwrap_or("x");
                between
                    .split(|c: char| c.is_whitespace() || matches!(c, '/' | ',' | '&'))
                    .all(|w| matches!(w, "" | "and" | "or"))
            }
            _ => false,
        };
        if !joined {
            if let Some(group) = named.get(start..i) {
                out.push(group);
            }
            start = i;
        }
    }
    out
}

/// Results for one list of names: each name's own, else the list's (the last name's, or the words
/// before the first), negated by "no"/"without" right before the list.
fn group_results(doc: &Text, group: &[Named]) -> Vec<MarkerResult> {
    let (Some(first), Some(last)) = (group.first(), group.last()) else { return Vec::new() };
    let raw_before = doc.before(first.start, PREFIX_WINDOW);
    let before = raw_before.trim_end_matches(|c: char| c.is_whitespace() || c == '(');
    let prefix = RESULT_BEFORE.iter().find(|(cue, _)| ends_with_word(before, cue));
    // The list's span starts at its cue ("positive for ER and PR").
    let prefix_start = prefix.map(|(cue, _)| {
        let cue_offset = raw_before.len() - before.len() + cue.len();
        doc.char_at(doc.byte(first.start).saturating_sub(cue_offset))
    });
    let shared = last.result.and_then(|(p, end)| p.map(|p| (p, end)));
    group
        .iter()
        .filter_map(|name| {
            let (polarity, end) = match (name.result, shared, prefix) {
                (Some((None, _)), ..) => return None,
                (Some((Some(p), end)), ..) => (p, end),
                (None, Some(shared), _) => shared,
                (None, None, Some(&(_, p))) => (p, name.end),
                (None, None, None) => return None,
            };
            let denied = matches!(prefix, Some((_, Polarity::Negative)));
            let polarity = if denied { Polarity::Negative } else { polarity };
            Some(MarkerResult {
                marker: name.marker.clone(),
                polarity,
                start: prefix_start.unwrap_or(name.start).min(name.start),
                end: end.max(name.end),
            })
        })
        .collect()
}

fn ends_with_word(text: &str, cue: &str) -> bool {
    text.strip_suffix(cue).is_some_and(|rest| rest.chars().next_back().is_none_or(|c| !c.is_alphanumeric()))
}

/// "triple-negative": the panel's markers, each with the phrase's result.
fn panel_results(doc: &Text) -> Vec<MarkerResult> {
    let mut out = Vec::new();
    for (phrase, polarity, markers) in PANEL_PHRASES {
        let hyphenated = phrase.replace(' ', "-");
        for spelling in [phrase, hyphenated.as_str()] {
            for (byte, _) in doc.lower.match_indices(spelling) {
                let (start, end) = (doc.char_at(byte), doc.char_at(byte + spelling.len()));
                out.extend(markers.iter().filter_map(|m| marker_named(m)).map(|marker| MarkerResult {
                    marker,
                    polarity,
                    start,
                    end,
                }));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<(String, Polarity)> {
        let mentions = Vocabulary::embedded().find_mentions(text);
        read_markers(text, &mentions)
            .into_iter()
            .map(|r| (r.marker.id.trim_start_matches(MARKER_PREFIX).to_string(), r.polarity))
            .collect()
    }

    fn pos(name: &str) -> (String, Polarity) {
        (name.to_string(), Polarity::Positive)
    }

    fn neg(name: &str) -> (String, Polarity) {
        (name.to_string(), Polarity::Negative)
    }

    #[test]
    fn signs_and_words_after_the_name() {
        assert_eq!(read("Tumour was ER+/PR-/HER2 3+."), [pos("er"), neg("pr"), pos("her2")]);
        assert_eq!(read("an estrogen receptor positive, HER2-negative tumour"), [pos("er"), neg("her2")]);
        assert_eq!(read("HER2 amplified by FISH"), [pos("her2")]);
        assert_eq!(read("HER2 2+ on IHC"), []);
    }

    #[test]
    fn alterations_are_positive_and_wild_type_negative() {
        assert_eq!(read("EGFR exon 19 deletion"), [pos("egfr")]);
        assert_eq!(read("ALK-rearranged, KRAS G12C, BRAF V600E"), [pos("alk"), pos("kras"), pos("braf")]);
        assert_eq!(read("KRAS wild-type"), [neg("kras")]);
        assert_eq!(read("no EGFR mutation"), [neg("egfr")]);
        assert_eq!(read("BRCA2 carrier"), [pos("brca2")]);
    }

    #[test]
    fn scores_and_names_that_state_a_result() {
        assert_eq!(read("PD-L1 TPS 45%"), [pos("pdl1")]);
        assert_eq!(read("PD-L1 TPS 0%"), [neg("pdl1")]);
        assert_eq!(read("MSI-H colon cancer"), [pos("msi")]);
        assert_eq!(read("TMB high"), [pos("tmb")]);
    }

    #[test]
    fn lists_share_a_result() {
        assert_eq!(read("ER/PR positive"), [pos("er"), pos("pr")]);
        assert_eq!(read("strongly positive for ER and PR"), [pos("er"), pos("pr")]);
        assert_eq!(read("triple-negative disease"), [neg("er"), neg("pr"), neg("her2")]);
        assert_eq!(read("hormone receptor-positive"), [pos("hr")]);
    }

    #[test]
    fn a_list_result_spans_from_its_cue() {
        let text = "Tumour positive for ER and PR.";
        let results = read_markers(text, &Vocabulary::embedded().find_mentions(text));
        assert_eq!(results.first().map(|r| (r.start, r.end)), Some((7, 22)));
    }

    proptest::proptest! {
        #[test]
        fn any_text_reads_without_panicking(text in "\\PC{0,120}") {
            let chars = text.chars().count();
            for result in read_markers(&text, &Vocabulary::embedded().find_mentions(&text)) {
                proptest::prop_assert!(result.start <= result.end && result.end <= chars);
            }
        }
    }

    #[test]
    fn a_name_without_a_result_is_no_result() {
        assert_eq!(read("HR 88, seen in the ER"), []);
        assert_eq!(read("EGFR testing was sent"), []);
    }
}
