//! Finding HPO term mentions in free text: every term name and synonym, matched on whole words,
//! case-folded, with a light plural strip on both sides ("swollen joints" meets "Swollen joint"),
//! and with negation cues ("no fever", "denies rash", "without discharge") respected.

use std::borrow::Cow;
use std::sync::OnceLock;

use fst::raw::{Fst, Node, Output};
use serde::Serialize;

use crate::ontology::{Ontology, TermId};
use crate::patterns::{normalize, slot_terms, Normalized, PatternTable};

/// Words that put what follows them in the same clause in negation ("no", "denies", "without").
const NEGATION_CUES: [&str; 9] = ["no", "not", "denies", "denied", "deny", "without", "negative", "absent", "never"];
/// Words that end a negation's scope inside a sentence ("no fever but a rash").
const SCOPE_ENDS: [&str; 10] =
    ["but", "however", "although", "though", "except", "yet", "which", "presents", "reports", "reveals"];
/// How many words after its cue a negation reaches, as in NegEx: enough for "denies fever, chills
/// or night sweats", short enough not to run into the next finding of a run-on sentence.
const NEGATION_REACH: usize = 6;
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

/// The term patterns of an ontology: normalised names and synonyms, each with the terms it names.
///
/// Patterns are looked up word by word from each word of a text, not run through an automaton
/// with failure links: every pattern is whole words, so walking the patterns' transducer from each
/// word start finds exactly what an overlapping automaton would. The embedded ontology's
/// transducer and slot table are built at compile time (`build.rs`, from the same names through
/// the same [`PatternTable::build`]), so no process pays for normalising ~38,000 names at start-up.
pub(crate) struct Finder {
    /// Normalised pattern ("swollen joint") → its slot. A walk from one word goes on to the next
    /// word only while what it has read so far can still grow into a pattern.
    patterns: Fst<Cow<'static, [u8]>>,
    /// The terms each slot names, as ontology indices (read in place, [`slot_terms`]).
    slots: Cow<'static, [u8]>,
}

/// The embedded ontology's pattern transducer and slot table, written by `build.rs`.
const PREBUILT_PATTERNS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/hpo_patterns.fst"));
const PREBUILT_SLOTS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/hpo_pattern_slots.bin"));

impl Finder {
    /// The finder over the embedded ontology: the compiled table, or (should it not read) one
    /// built from the ontology on first use.
    pub(crate) fn embedded() -> &'static Finder {
        static FINDER: OnceLock<Finder> = OnceLock::new();
        FINDER.get_or_init(|| Finder::prebuilt().unwrap_or_else(|| Finder::new(Ontology::embedded())))
    }

    fn prebuilt() -> Option<Finder> {
        let patterns = Fst::new(Cow::Borrowed(PREBUILT_PATTERNS)).ok()?;
        Some(Finder { patterns, slots: Cow::Borrowed(PREBUILT_SLOTS) })
    }

    pub(crate) fn new(ontology: &Ontology) -> Finder {
        let table = PatternTable::build(ontology.names());
        let slots = Cow::Owned(table.slots_to_bytes());
        let patterns = Fst::new(Cow::Owned(table.map)).expect("a transducer just built is valid");
        Finder { patterns, slots }
    }

    /// Every (first word, last word, pattern slot) of a normalised text, overlapping ones included.
    fn spans(&self, norm: &Normalized) -> Vec<(usize, usize, usize)> {
        let mut spans = Vec::new();
        for first in 0..norm.words.len() {
            let mut at = (self.patterns.root(), Output::zero());
            for (last, word) in norm.words.iter().enumerate().skip(first) {
                let separator: &[u8] = if last > first { b" " } else { b"" };
                if last > first && (word.after_break || word.after_comma) {
                    break;
                }
                let bytes = separator.iter().chain(norm.word(last).as_bytes());
                let Some((node, output)) = self.walk(at, bytes) else { break };
                if node.is_final() {
                    spans.push((first, last, output.cat(node.final_output()).value() as usize));
                }
                at = (node, output);
            }
        }
        spans
    }

    /// The transducer's state after reading `bytes` from `at`, or none when no pattern goes on so.
    fn walk<'f>(
        &'f self,
        (mut node, mut output): (Node<'f>, Output),
        bytes: impl Iterator<Item = &'f u8>,
    ) -> Option<(Node<'f>, Output)> {
        for &byte in bytes {
            let transition = node.transition(node.find_input(byte)?);
            output = output.cat(transition.out);
            node = self.patterns.node(transition.addr);
        }
        Some((node, output))
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
                Some(slot_terms(&self.slots, pattern).filter_map(move |index| {
                    let term = ontology.terms().get(index as usize)?;
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
    fn no_mention_spans_a_comma_between_list_items() {
        let o =
            Ontology::from_tsv("0000001\t0.00\tAll findings\t\t\n0000040\t3.00\tOral ulcer\tMouth sore\t0000001\n", "")
                .unwrap();
        let found = |text: &str| Finder::new(&o).find(&o, text).len();
        assert_eq!(found("a mouth sore"), 1);
        assert_eq!(found("dry mouth, sore joints"), 0);
    }

    #[test]
    fn a_body_parts_pain_is_found_in_lay_words() {
        let o =
            Ontology::from_tsv("0000001\t0.00\tAll findings\t\t\n0000050\t2.00\tBack pain\t\t0000001\n", "").unwrap();
        for text in ["a sore back", "her back is painful, aching back since May", "painful back"] {
            assert!(!Finder::new(&o).find(&o, text).is_empty(), "{text}");
        }
        assert!(Finder::new(&o).find(&o, "a sore throat").is_empty());
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
    fn the_compiled_table_is_the_one_the_embedded_ontology_gives() {
        let compiled = Finder::prebuilt().expect("build.rs wrote a readable table");
        let built = Finder::new(Ontology::embedded());
        assert!(compiled.patterns.as_bytes() == built.patterns.as_bytes(), "the pattern transducers differ");
        assert!(compiled.slots == built.slots, "the slot tables differ");
    }

    #[test]
    fn any_text_is_handled() {
        for text in ["", " ", "...", "no", "ß İ ﬁ", "a.b.c", "\u{0}"] {
            let _ = found(text);
        }
    }
}
