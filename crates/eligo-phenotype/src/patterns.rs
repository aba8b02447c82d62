//! The finder's patterns: how a term name or a text is normalised, and the table of patterns built
//! from the names. `build.rs` includes this file to build the embedded table at compile time; the
//! finder builds the same table at run time for any other ontology.

use std::collections::BTreeMap;

/// Stands for a clause break in a normalised text; never part of a pattern.
const CLAUSE_BREAK: &str = "| ";
/// Patterns shorter than this (after normalisation) are not matched: a case-folded two-letter
/// synonym is an ordinary word more often than a finding.
const MIN_PATTERN_CHARS: usize = 4;

/// One word of a normalised text: where it sits in the normalised string and in the original.
#[derive(Debug, Clone)]
pub(crate) struct Word {
    /// Lower-cased, before the plural strip (negation cues are read from it: "denies").
    pub lower: String,
    pub norm_start: usize,
    pub norm_end: usize,
    pub char_start: usize,
    pub char_end: usize,
    /// A sentence or clause break (. ; : ? !) lies between this word and the one before.
    pub after_break: bool,
    /// A comma lies between this word and the one before: list items ("dry mouth, sore joints"),
    /// which no pattern spans ("mouth, sore" is no "mouth sore"), though a negation reaches over it.
    pub after_comma: bool,
}

/// A text as lower-cased, plural-stripped words joined by single spaces, with a space at both
/// ends so that every pattern (built the same way) matches on whole words only, and a `|` at
/// each clause break so that no pattern matches across one ("sore joints. Pain" is no "joint pain").
pub(crate) struct Normalized {
    pub text: String,
    pub words: Vec<Word>,
}

impl Normalized {
    /// The normalised form of word `index`, as patterns spell it.
    pub fn word(&self, index: usize) -> &str {
        self.words.get(index).and_then(|w| self.text.get(w.norm_start..w.norm_end)).unwrap_or_default()
    }
}

pub(crate) fn normalize(text: &str) -> Normalized {
    let mut out = Normalized { text: String::from(" "), words: Vec::new() };
    let mut word = String::new();
    let mut word_start = 0;
    let mut pending_break = false;
    let mut pending_comma = false;
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
                after_comma: pending_comma,
            });
            out.text.push(' ');
            pending_break = false;
            pending_comma = false;
        }
        pending_comma |= c == ',';
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

/// The pattern a term name stands for ("Swollen joints" → "swollen joint"), or none when it could
/// never be found: too short, or with a clause break inside ("Abnormality of X: severe"), since no
/// pattern is looked up across a break.
fn pattern_of(name: &str) -> Option<String> {
    let norm = normalize(name);
    if norm.words.iter().skip(1).any(|w| w.after_break) {
        return None;
    }
    let (first, last) = (norm.words.first()?, norm.words.last()?);
    // With no break inside, the normalised text holds the words joined by single spaces.
    let pattern = norm.text.get(first.norm_start..last.norm_end)?;
    (pattern.chars().count() >= MIN_PATTERN_CHARS).then(|| pattern.to_string())
}

/// How people say "<part> pain" of one body part: "sore joints", "painful knees", "aching back".
/// HPO's names and synonyms are clinical ("Joint pain", "Back pain"), its lay synonyms seldom
/// these adjectives.
fn lay_pain_variants(pattern: &str) -> Vec<String> {
    match pattern.strip_suffix(" pain") {
        Some(part) if !part.contains(' ') => {
            ["sore", "painful", "aching"].iter().map(|a| format!("{a} {part}")).collect()
        }
        _ => Vec::new(),
    }
}

/// Every pattern of a set of term names, as a transducer mapping the pattern to its slot, and per
/// slot the terms it names (indices into the ontology's terms, in the order the names came).
pub(crate) struct PatternTable {
    /// `fst::Map` bytes: pattern → slot (slots number the patterns in byte order).
    pub map: Vec<u8>,
    /// `terms[starts[slot]..starts[slot + 1]]` are the terms of `slot`.
    pub starts: Vec<u32>,
    pub terms: Vec<u32>,
}

impl PatternTable {
    /// The table of `names`: (term index, one of its names or synonyms), in ontology order.
    pub fn build<'a>(names: impl IntoIterator<Item = (u32, &'a str)>) -> PatternTable {
        let mut by_pattern: BTreeMap<String, Vec<u32>> = BTreeMap::new();
        for (term, name) in names {
            let Some(pattern) = pattern_of(name) else { continue };
            for pattern in lay_pain_variants(&pattern).into_iter().chain(std::iter::once(pattern)) {
                let terms = by_pattern.entry(pattern).or_default();
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        let mut table = PatternTable { map: Vec::new(), starts: vec![0], terms: Vec::new() };
        let mut builder = fst::MapBuilder::memory();
        for (slot, (pattern, terms)) in by_pattern.into_iter().enumerate() {
            builder.insert(pattern.as_bytes(), slot as u64).expect("a BTreeMap's keys are sorted and unique");
            table.terms.extend(terms);
            table.starts.push(table.terms.len() as u32);
        }
        table.map = builder.into_inner().expect("a transducer in memory is written without I/O");
        table
    }

    /// The slot table as little-endian bytes: the number of slots, `starts`, then `terms`.
    pub fn slots_to_bytes(&self) -> Vec<u8> {
        let slots = (self.starts.len() - 1) as u32;
        std::iter::once(slots)
            .chain(self.starts.iter().copied())
            .chain(self.terms.iter().copied())
            .flat_map(u32::to_le_bytes)
            .collect()
    }
}

/// The terms (ontology indices) of `slot` in a slot table written by
/// [`PatternTable::slots_to_bytes`], read from the bytes as they are; none for a slot it lacks.
pub(crate) fn slot_terms(slots: &[u8], slot: usize) -> impl Iterator<Item = u32> + '_ {
    let word = |i: usize| {
        let bytes = slots.get(4 * i..4 * i + 4)?;
        bytes.try_into().ok().map(u32::from_le_bytes)
    };
    let count = word(0).unwrap_or(0) as usize;
    let range = match (word(1 + slot), word(2 + slot)) {
        (Some(start), Some(end)) if slot < count => start as usize..end as usize,
        _ => 0..0,
    };
    range.filter_map(move |i| word(2 + count + i))
}
