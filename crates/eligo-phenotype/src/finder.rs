//! Finding HPO term mentions in free text: every term name and synonym, matched on whole words,
//! case-folded, with a light plural strip on both sides ("swollen joints" meets "Swollen joint"),
//! and with negation cues ("no fever", "denies rash", "without discharge") respected.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::ontology::{Ontology, TermId};

/// Words that put what follows them in the same clause in negation ("no", "denies", "without").
const NEGATION_CUES: [&str; 9] = ["no", "not", "denies", "denied", "deny", "without", "negative", "absent", "never"];
/// Words that end a negation's scope inside a sentence ("no fever but a rash").
const SCOPE_ENDS: [&str; 10] =
    ["but", "however", "although", "though", "except", "yet", "which", "presents", "reports", "reveals"];
/// How many words after its cue a negation reaches, as in NegEx: enough for "denies fever, chills
/// or night sweats", short enough not to run into the next finding of a run-on sentence.
const NEGATION_REACH: usize = 6;
/// Stands for a clause break in a normalised text; never part of a pattern.
const CLAUSE_BREAK: &str = "| ";
/// Patterns shorter than this (after normalisation) are not matched: a case-folded two-letter
/// synonym is an ordinary word more often than a finding.
const MIN_PATTERN_CHARS: usize = 4;

/// A term mentioned in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    pub term: TermId,
    /// The term's preferred name.
    pub name: String,
    /// Char offsets into the text, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Inside a negation's scope: the text says the patient does not have it.
    pub negated: bool,
}

/// One word of a normalised text: where it sits in the normalised string and in the original.
#[derive(Debug, Clone)]
struct Word {
    /// Lower-cased, before the plural strip (negation cues are read from it: "denies").
    lower: String,
    norm_start: usize,
    norm_end: usize,
    char_start: usize,
    char_end: usize,
    /// A sentence or clause break (. ; : ? !) lies between this word and the one before.
    after_break: bool,
}

/// A text as lower-cased, plural-stripped words joined by single spaces, with a space at both
/// ends so that every pattern (built the same way) matches on whole words only, and a `|` at
/// each clause break so that no pattern matches across one ("sore joints. Pain" is no "joint pain").
struct Normalized {
    text: String,
    words: Vec<Word>,
}

fn normalize(text: &str) -> Normalized {
    let mut out = Normalized { text: String::from(" "), words: Vec::new() };
    let mut word = String::new();
    let mut word_start = 0;
    let mut pending_break = false;
    let mut chars = text.chars().chain(std::iter::once(' ')).enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() {
            if word.is_empty() {
                word_start = i;
            }
            // Most text is ASCII, whose lower case needs no Unicode table.
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
            continue;
        }
        if !word.is_empty() {
            if pending_break {
                out.text.push_str(CLAUSE_BREAK);
            }
            let norm_start = out.text.len();
            out.text.push_str(strip_plural(&word));
            out.words.push(Word {
                lower: std::mem::take(&mut word),
                norm_start,
                norm_end: out.text.len(),
                char_start: word_start,
                char_end: i,
                after_break: pending_break,
            });
            out.text.push(' ');
            pending_break = false;
        }
        // A full stop inside a number or abbreviation ("1.5", "e.g") does not end a clause.
        let next_is_space = chars.peek().is_none_or(|(_, n)| n.is_whitespace());
        if matches!(c, ';' | ':' | '?' | '!') || (c == '.' && next_is_space) {
            pending_break = true;
        }
    }
    out
}

/// "joints" → "joint"; not "abscess", "ss", "lupus"-like stems of three letters or fewer.
fn strip_plural(word: &str) -> &str {
    match word.strip_suffix('s') {
        Some(stem) if stem.chars().count() > 3 && !stem.ends_with('s') && !stem.ends_with('u') => stem,
        _ => word,
    }
}

/// The term patterns of an ontology: normalised names and synonyms, each with the terms it names.
///
/// Patterns are looked up word by word from each word of a text, not run through an automaton:
/// every pattern is whole words, so a hash lookup per (start, length) finds exactly what an
/// overlapping automaton would, and building two hash tables takes a fraction of the time an
/// automaton's failure links over ~40,000 patterns do (the finder is built at the start of every
/// process that reads a note, so its build time is start-up time).
pub(crate) struct Finder {
    /// Normalised pattern ("swollen joint") → its index in `terms`.
    patterns: FxHashMap<String, usize>,
    /// Every proper word prefix of a pattern ("swollen"): a lookup from one word goes on to the
    /// next word only while what it has read so far can still grow into a pattern.
    prefixes: FxHashSet<String>,
    /// Per pattern, the terms it names, as indices into the ontology.
    terms: Vec<Vec<usize>>,
}

impl Finder {
    /// The finder over the embedded ontology, built on first use.
    pub(crate) fn embedded() -> &'static Finder {
        static FINDER: OnceLock<Finder> = OnceLock::new();
        FINDER.get_or_init(|| Finder::new(Ontology::embedded()))
    }

    pub(crate) fn new(ontology: &Ontology) -> Finder {
        let mut finder = Finder { patterns: FxHashMap::default(), prefixes: FxHashSet::default(), terms: Vec::new() };
        for (index, term) in ontology.terms().iter().enumerate() {
            for name in std::iter::once(&term.name).chain(&term.synonyms) {
                finder.add(name, index);
            }
        }
        finder
    }

    fn add(&mut self, name: &str, term: usize) {
        let norm = normalize(name);
        // A name with a clause break in it ("Abnormality of X: severe") could never be found
        // whole, since no pattern is looked up across a break.
        if norm.words.iter().skip(1).any(|w| w.after_break) {
            return;
        }
        let (Some(first), Some(last)) = (norm.words.first(), norm.words.last()) else { return };
        // With no break inside, the normalised text holds the words joined by single spaces: the
        // pattern and its prefixes are slices of it (this runs for ~38,000 names at start-up).
        let pattern = &norm.text[first.norm_start..last.norm_end];
        if pattern.chars().count() < MIN_PATTERN_CHARS {
            return;
        }
        for word in &norm.words[..norm.words.len() - 1] {
            let prefix = &norm.text[first.norm_start..word.norm_end];
            if !self.prefixes.contains(prefix) {
                self.prefixes.insert(prefix.to_string());
            }
        }
        let slot = match self.patterns.get(pattern) {
            Some(&slot) => slot,
            None => {
                self.patterns.insert(pattern.to_string(), self.terms.len());
                self.terms.push(Vec::new());
                self.terms.len() - 1
            }
        };
        if !self.terms[slot].contains(&term) {
            self.terms[slot].push(term);
        }
    }

    /// Every (first word, last word, pattern) of a normalised text, overlapping ones included.
    fn spans(&self, norm: &Normalized) -> Vec<(usize, usize, usize)> {
        let mut spans = Vec::new();
        let mut key = String::new();
        for first in 0..norm.words.len() {
            key.clear();
            for (last, word) in norm.words.iter().enumerate().skip(first) {
                if last > first {
                    if word.after_break {
                        break;
                    }
                    key.push(' ');
                }
                key.push_str(&norm.text[word.norm_start..word.norm_end]);
                if let Some(&pattern) = self.patterns.get(key.as_str()) {
                    spans.push((first, last, pattern));
                }
                if !self.prefixes.contains(key.as_str()) {
                    break;
                }
            }
        }
        spans
    }

    /// Every term mention in `text`: where matches overlap, the longest wins ("high fever" over
    /// "fever"); each is marked negated when it starts inside a negation's scope.
    pub(crate) fn find(&self, ontology: &Ontology, text: &str) -> Vec<Mention> {
        let norm = normalize(text);
        let negated = negation_scopes(&norm);
        let mut spans = self.spans(&norm);
        // Longest first, then leftmost; a match inside an already kept one is dropped.
        spans.sort_by_key(|&(first, last, pattern)| (std::cmp::Reverse(last - first), first, pattern));
        let mut kept: Vec<(usize, usize, usize)> = Vec::new();
        for span in spans {
            let inside = kept.iter().any(|k| k.0 <= span.0 && span.1 <= k.1 && (k.1 - k.0) > (span.1 - span.0));
            if !inside {
                kept.push(span);
            }
        }
        kept.sort();
        kept.into_iter()
            .filter_map(|(first, last, pattern)| {
                let (start, end) = (norm.words.get(first)?.char_start, norm.words.get(last)?.char_end);
                let negated = negated.get(first).copied().unwrap_or(false);
                Some(self.terms.get(pattern)?.iter().filter_map(move |&index| {
                    let term = ontology.terms().get(index)?;
                    Some(Mention { term: term.id, name: term.name.clone(), start, end, negated })
                }))
            })
            .flatten()
            .collect()
    }
}

/// Per word: whether it lies in the scope of a negation cue before it in the same clause.
fn negation_scopes(norm: &Normalized) -> Vec<bool> {
    let mut negated = vec![false; norm.words.len()];
    let mut reach: usize = 0;
    for (i, word) in norm.words.iter().enumerate() {
        let text = word.lower.as_str();
        if word.after_break || SCOPE_ENDS.contains(&text) {
            reach = 0;
        }
        if let Some(flag) = negated.get_mut(i) {
            *flag = reach > 0;
        }
        reach = reach.saturating_sub(1);
        if NEGATION_CUES.contains(&text) {
            reach = NEGATION_REACH;
        }
    }
    negated
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ontology() -> Ontology {
        let terms = "0000001\t0.00\tAll findings\t\t\n\
                     0000010\t2.00\tArthralgia\tJoint pain|Sore joints\t0000001\n\
                     0000020\t2.00\tDry mouth\tXerostomia\t0000001\n\
                     0000030\t1.00\tPain\t\t0000001\n";
        Ontology::from_tsv(terms, "").unwrap()
    }

    fn found(text: &str) -> Vec<(String, bool)> {
        let o = ontology();
        Finder::new(&o).find(&o, text).into_iter().map(|m| (m.name, m.negated)).collect()
    }

    #[test]
    fn mentions_match_whole_words_case_folded_with_plurals() {
        assert_eq!(found("Dry mouth and JOINT PAINS."), [("Dry mouth".into(), false), ("Arthralgia".into(), false)]);
        assert!(found("drymouth, painful").is_empty());
    }

    #[test]
    fn the_longest_overlapping_mention_wins() {
        assert_eq!(found("joint pain"), [("Arthralgia".to_string(), false)]);
    }

    #[test]
    fn negation_cues_reach_to_the_end_of_the_clause() {
        assert_eq!(
            found("She denies dry mouth or sore joints. Pain in the back."),
            [("Dry mouth".into(), true), ("Arthralgia".into(), true), ("Pain".into(), false)]
        );
        assert_eq!(found("no xerostomia but joint pain"), [("Dry mouth".into(), true), ("Arthralgia".into(), false)]);
        assert_eq!(found("Without xerostomia"), [("Dry mouth".into(), true)]);
    }

    #[test]
    fn spans_are_char_offsets_into_the_text() {
        let o = ontology();
        let text = "Müde; xerostomia";
        let m = &Finder::new(&o).find(&o, text)[0];
        assert_eq!(text.chars().skip(m.start).take(m.end - m.start).collect::<String>(), "xerostomia");
    }

    #[test]
    fn any_text_is_handled() {
        for text in ["", " ", "...", "no", "ß İ ﬁ", "a.b.c", "\u{0}"] {
            let _ = found(text);
        }
    }
}
