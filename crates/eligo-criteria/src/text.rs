//! Text preparation for extraction: glued words are split, and the text is cut into tokens.
//!
//! Scraped criteria glue words together ("hepatitis Bsurface antigen", "treated withother biologics",
//! "eGFR<30ml/min", "Day 0.-- Use"). The recognisers downstream work on words, so extraction runs on
//! a *prepared* copy of the criterion in which a space is inserted wherever two known words were glued.
//! Every char of the prepared copy remembers the char of the original it came from, so offsets handed
//! back always point into the original text (brat counts chars the same way).

use compact_str::CompactString;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::sync::OnceLock;
use std::thread::LocalKey;

use eligo_vocab::Vocabulary;

/// A criterion's text with glued words split, and a map back to the original.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub chars: Vec<char>,
    /// `origin[i]` is the index in the original char slice of prepared char `i`; an inserted space
    /// maps to the char after it.
    pub origin: Vec<usize>,
}

impl Prepared {
    /// The prepared text as a `String`.
    pub fn text(&self) -> String {
        self.chars.iter().collect()
    }

    /// Maps a prepared span back to the original char span.
    pub fn original_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.origin.get(start).copied().unwrap_or(0);
        let e = if end == 0 { s } else { self.origin.get(end - 1).map_or(s, |&o| o + 1) };
        (s, e.max(s))
    }
}

/// Function words that scraping glues onto the next word ("withother", "orneutrophils").
/// Short words that begin many English words ("in", "a", "an", "on", "to") are left out on purpose:
/// "inactive" and "another" must not be split.
const GLUE_PREFIXES: &[&str] = &[
    "with", "without", "within", "or", "and", "of", "for", "the", "than", "from", "more", "other", "prior", "after",
    "before", "such",
];

/// Habits "non" is glued to when it says the person lacks them ("nonsmoker", "Nonsmokers"): split,
/// so that the negation and the habit are both read. Other words keep "non" ("nonsteroidal",
/// "nonmalignant" name a kind of thing, not the absence of one).
const NON_HABITS: &[&str] = &["smoker", "smokers", "smoking", "drinker", "drinkers"];

/// Words every criterion uses that a disease/drug vocabulary lacks.
const COMMON_WORDS: &[&str] = &[
    "with",
    "without",
    "within",
    "or",
    "and",
    "of",
    "for",
    "in",
    "the",
    "to",
    "at",
    "on",
    "by",
    "from",
    "more",
    "less",
    "than",
    "any",
    "other",
    "others",
    "prior",
    "after",
    "before",
    "such",
    "as",
    "all",
    "not",
    "no",
    "a",
    "an",
    "day",
    "days",
    "week",
    "weeks",
    "month",
    "months",
    "year",
    "years",
    "time",
    "times",
    "use",
    "used",
    "treated",
    "treatment",
    "therapy",
    "history",
    "patients",
    "patient",
    "subjects",
    "participants",
    "defined",
    "test",
    "positive",
    "negative",
    "antigen",
    "antibody",
    "surface",
    "core",
    "screening",
    "study",
    "trial",
    "including",
    "include",
    "limited",
    "current",
    "currently",
    "past",
    "previous",
    "previously",
    "receipt",
    "suppressive",
    "chronic",
    "acute",
    "severe",
    "active",
    "infection",
    "infections",
    "disease",
    "diseases",
    "first",
    "last",
    "dose",
    "doses",
    "administration",
    "level",
    "levels",
    "count",
    "value",
    "values",
    "high",
    "low",
    "elevated",
    "decrease",
    "increased",
    "inflammatory",
    "markers",
    "risk",
    "opinion",
    "investigator",
    "involvement",
    "lung",
    "kidney",
    "liver",
    "nerve",
    "skin",
    "heart",
    "brain",
    "blood",
    "serum",
    "plasma",
    "immunosuppressants",
    "immunosuppressant",
    "immunosuppressive",
    "biologics",
    "biologic",
    "antibiotics",
    "neutrophils",
    "lymphocytes",
    "platelets",
    "catheter",
    "aspiration",
    "pneumonia",
    "ulcer",
    "recurrent",
    "urinary",
    "tract",
    "related",
    "requiring",
    "systemic",
    "malignant",
    "neoplasm",
    "cancer",
    "participate",
    "clinical",
    "trials",
    "received",
    "receiving",
    "receive",
    "zoster",
    "herpes",
    "simplex",
    "virus",
    "hepatitis",
    "tuberculosis",
    "vaccine",
    "vaccines",
    "live",
    "attenuated",
    "hospitalisation",
    "hospitalization",
    "intravenous",
    "intramuscular",
    "parenteral",
    "dysphagia",
    "gastrointestinal",
    "pulmonary",
    "cardiac",
    "renal",
    "hepatic",
    "neurological",
    "haematological",
    "hematological",
    "abnormal",
    "laboratory",
    "significant",
    "concomitant",
    "medical",
    "condition",
    "conditions",
    "exception",
    "corticosteroid",
    "corticosteroids",
    "comorbidities",
    "progressive",
    "uncontrolled",
    "chain",
    "light",
    "polyarthritis",
    "vasculitis",
    "cytopenia",
    "autoimmune",
    "cryoglobulinemia",
    "monoclonal",
    "sustained",
    "activation",
    "mg",
    "ml",
    "kg",
    "dl",
    "min",
    "units",
    "normal",
    "upper",
    "limit",
    "lower",
    "women",
    "men",
    "female",
    "male",
    "pregnant",
    "pregnancy",
    "breastfeeding",
    "lactating",
    "contraception",
    "effective",
    "consent",
    "informed",
];

/// Every single word of the vocabulary plus [`COMMON_WORDS`], lower-cased: what counts as "a word"
/// when deciding whether a token is two words glued together.
fn known_words() -> &'static FxHashSet<String> {
    static WORDS: OnceLock<FxHashSet<String>> = OnceLock::new();
    WORDS.get_or_init(|| {
        let mut words: FxHashSet<String> = COMMON_WORDS.iter().map(|w| w.to_string()).collect();
        for term in Vocabulary::embedded().terms() {
            for word in term.split(|c: char| !c.is_alphanumeric()) {
                if word.chars().count() >= 2 && word.chars().all(char::is_alphabetic) {
                    words.insert(word.to_string());
                }
            }
        }
        words
    })
}

fn is_known(word: &str) -> bool {
    if word.chars().any(char::is_uppercase) {
        known_words().contains(&word.to_lowercase())
    } else {
        known_words().contains(word)
    }
}

/// Whether a lower-case word occurs in the vocabulary or is an everyday criteria word.
pub(crate) fn is_known_word(lower: &str) -> bool {
    known_words().contains(lower)
}

/// Splits glued words and returns the prepared text. Only alphabetic runs are considered; a run is
/// split when it is not a word itself and both halves are (the first half a function word, or a
/// lower→upper case change such as "ofDay" / "Bsurface").
pub(crate) fn prepare(original: &[char]) -> Prepared {
    let mut chars = Vec::with_capacity(original.len() + 8);
    let mut origin = Vec::with_capacity(original.len() + 8);
    let mut i = 0;
    while i < original.len() {
        if !original[i].is_alphabetic() {
            chars.push(original[i]);
            origin.push(i);
            i += 1;
            continue;
        }
        let start = i;
        while i < original.len() && original[i].is_alphabetic() {
            i += 1;
        }
        // The run is copied whole, with a space inserted where it splits (mapped to the char after it).
        let split = glue_split(&original[start..i]).map_or(i, |k| start + k);
        chars.extend_from_slice(&original[start..split]);
        origin.extend(start..split);
        if split < i {
            chars.push(' ');
            origin.push(split);
            chars.extend_from_slice(&original[split..i]);
            origin.extend(split..i);
        }
        if glued_to_a_number(&original[start..i], original.get(i)) {
            chars.push(' ');
            origin.push(i);
        }
    }
    Prepared { chars, origin }
}

/// Words that introduce a number and that scraping glues onto it ("greater than18", "Age
/// between18-70"). A run of other letters before digits stays one token ("CD19", "IL6").
const NUMBER_GLUE_WORDS: &[&str] =
    &["than", "between", "to", "and", "equal", "over", "under", "above", "below", "aged"];

/// Whether the alphabetic run is one of [`NUMBER_GLUE_WORDS`] written right against a digit.
fn glued_to_a_number(run: &[char], next: Option<&char>) -> bool {
    next.is_some_and(char::is_ascii_digit)
        && run.len() <= 7
        && NUMBER_GLUE_WORDS
            .iter()
            .any(|w| w.len() == run.len() && w.chars().zip(run).all(|(a, b)| a == b.to_ascii_lowercase()))
}

/// Where to split an alphabetic run, if it is two words glued together.
fn glue_split(run: &[char]) -> Option<usize> {
    // Glued pairs are long ("withother", "orneutrophils") or change case inside ("ofDay"); checking
    // only those keeps the dictionary lookups off most words.
    let case_change = || {
        run.windows(2).any(|w| w[0].is_lowercase() && w[1].is_uppercase())
            || (run.len() > 1 && run[0].is_uppercase() && run[1].is_lowercase() && run.len() >= 7)
    };
    if run.len() < 5 || (run.len() < 8 && !case_change()) {
        return None;
    }
    // Inline up to 24 bytes: no allocation for the memo lookup of a word.
    let word: CompactString = run.iter().collect();
    thread_local!(static SPLITS: RefCell<WordMemo<Option<usize>>> = RefCell::default());
    memoized(&SPLITS, &word, || split_point(run, &word))
}

/// [`glue_split`] for a run long enough or with a case change: the dictionary checks.
fn split_point(run: &[char], word: &str) -> Option<usize> {
    if is_known(word) {
        return None;
    }
    let lower = word.to_lowercase();
    if lower.strip_prefix("non").is_some_and(|habit| NON_HABITS.contains(&habit)) {
        return Some(3);
    }
    // A case change inside the run: "ofDay", "Bsurface" (one capital, then a known lower-case word).
    for k in 1..run.len() {
        let case_change = run[k - 1].is_lowercase() && run[k].is_uppercase()
            || (k == 1 && run[0].is_uppercase() && run[1].is_lowercase());
        if case_change {
            let (head, tail): (String, String) = (run[..k].iter().collect(), run[k..].iter().collect());
            // A single capital is a real token only before a long word ("Bsurface"; not "Spain"),
            // and never in a word that is a known word inflected ("Blocked" is not "B locked").
            let head_ok =
                if k == 1 { tail.chars().count() >= 6 && !inflects_a_known_word(&lower) } else { is_known(&head) };
            if head_ok && tail.chars().count() >= 3 && is_known(&tail) && !run[k..].iter().all(|c| c.is_uppercase()) {
                return Some(k);
            }
        }
    }
    if !run.iter().all(|c| c.is_lowercase()) {
        return None;
    }
    // All lower case: a function word glued to a known word ("withother", "orneutrophils"), or two
    // known words of four or more letters ("infectionwithin", "herpeszoster").
    let mut best: Option<usize> = None;
    for k in 2..run.len().saturating_sub(2) {
        let (head, tail) = lower.split_at(lower.char_indices().nth(k).map_or(lower.len(), |(b, _)| b));
        // Two content words both need five letters: "lowering" is not "lowe|ring".
        let head_fits = GLUE_PREFIXES.contains(&head) || (head.len() >= 5 && is_known(head));
        let tail_fits = if GLUE_PREFIXES.contains(&head) { tail.len() >= 3 } else { tail.len() >= 5 };
        if head_fits && tail_fits && is_known(tail) {
            // Prefer the longest known tail: "withother" → "with|other", not "without|her".
            best = Some(best.map_or(k, |b: usize| b.min(k)));
        }
    }
    best
}

/// Whether a lower-case word is a known word with a regular ending: "blocked", "swelling",
/// "lowers".
fn inflects_a_known_word(lower: &str) -> bool {
    const ENDINGS: &[&str] = &["ed", "d", "ing", "s", "es", "er", "ers", "ly"];
    ENDINGS.iter().any(|e| lower.strip_suffix(e).is_some_and(|stem| stem.len() >= 3 && is_known(stem)))
}

/// A per-thread memo of a pure function of one word.
pub(crate) type WordMemo<V> = FxHashMap<Box<str>, V>;

/// Words a memo holds before it starts afresh: enough for the distinct words of a large corpus,
/// bounded for a process that parses for ever.
const MEMO_LIMIT: usize = 200_000;

/// `compute()` for `word`, remembered per thread: criteria repeat the same words across a corpus,
/// and the dictionary checks behind word-shape readings cost several hash lookups per word.
pub(crate) fn memoized<V: Copy + 'static>(
    memo: &'static LocalKey<RefCell<WordMemo<V>>>,
    word: &str,
    compute: impl FnOnce() -> V,
) -> V {
    if let Some(v) = memo.with_borrow(|m| m.get(word).copied()) {
        return v;
    }
    let v = compute();
    memo.with_borrow_mut(|m| {
        if m.len() >= MEMO_LIMIT {
            m.clear();
        }
        m.insert(word.into(), v);
    });
    v
}

/// A fixed set of lower-case words, written as one space-separated string (easy to read and review as
/// a table) and turned into a hash set on first use.
pub(crate) struct WordSet {
    words: &'static str,
    set: OnceLock<BuiltWordSet>,
}

struct BuiltWordSet {
    set: FxHashSet<&'static str>,
    /// The distinct byte lengths of the words, for [`WordSet::ends`].
    lengths: Vec<usize>,
    /// The words' byte lengths and first bytes as bit sets: most words of a text are in no set,
    /// and these two tests turn most of them away before hashing them.
    filter: ShapeFilter,
}

/// Bit sets of the byte lengths (63 stands for 63 and over) and the first bytes of a set's words.
#[derive(Default)]
struct ShapeFilter {
    lengths: u64,
    first_bytes: [u64; 4],
}

impl ShapeFilter {
    fn new<'w>(words: impl IntoIterator<Item = &'w str>) -> ShapeFilter {
        let mut filter = ShapeFilter::default();
        for word in words {
            if let Some(&first) = word.as_bytes().first() {
                filter.lengths |= 1 << word.len().min(63);
                filter.first_bytes[usize::from(first >> 6)] |= 1 << (first & 63);
            }
        }
        filter
    }

    /// False when no word of the set has `word`'s length and first byte; true when one might.
    fn may_hold(&self, word: &str) -> bool {
        word.as_bytes().first().is_some_and(|&first| {
            self.lengths & (1 << word.len().min(63)) != 0
                && self.first_bytes[usize::from(first >> 6)] & (1 << (first & 63)) != 0
        })
    }
}

impl WordSet {
    pub const fn new(words: &'static str) -> WordSet {
        WordSet { words, set: OnceLock::new() }
    }

    fn built(&self) -> &BuiltWordSet {
        self.set.get_or_init(|| {
            let mut lengths: Vec<usize> = self.words.split_whitespace().map(str::len).collect();
            lengths.sort_unstable();
            lengths.dedup();
            let filter = ShapeFilter::new(self.words.split_whitespace());
            BuiltWordSet { set: self.words.split_whitespace().collect(), lengths, filter }
        })
    }

    pub fn contains(&self, word: &str) -> bool {
        let built = self.built();
        built.filter.may_hold(word) && built.set.contains(word)
    }

    /// Whether `word` ends with one of the words (suffix tables): one hash lookup per distinct
    /// length instead of a comparison per entry, since every word of a text is checked.
    pub fn ends(&self, word: &str) -> bool {
        let built = self.built();
        built.lengths.iter().take_while(|&&n| n <= word.len()).any(|&n| {
            let start = word.len() - n;
            word.is_char_boundary(start) && built.filter.may_hold(&word[start..]) && built.set.contains(&word[start..])
        })
    }
}

/// Phrases (sequences of lower-case tokens) indexed by their first token, so that finding the longest
/// phrase starting at a token costs one hash lookup instead of a scan of the whole table.
pub(crate) struct PhraseIndex<T: 'static> {
    by_first: FxHashMap<&'static str, Vec<(&'static [&'static str], T)>>,
    /// The first tokens' shapes: every token of a text is looked up, and few begin a phrase.
    filter: ShapeFilter,
}

impl<T: Copy> PhraseIndex<T> {
    pub fn new<'a>(tables: impl IntoIterator<Item = &'a [(&'static [&'static str], T)]>) -> PhraseIndex<T> {
        let mut by_first: FxHashMap<&'static str, Vec<(&'static [&'static str], T)>> = FxHashMap::default();
        for table in tables {
            for &(phrase, value) in table {
                if let Some(first) = phrase.first() {
                    by_first.entry(first).or_default().push((phrase, value));
                }
            }
        }
        for entries in by_first.values_mut() {
            entries.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        }
        let filter = ShapeFilter::new(by_first.keys().copied());
        PhraseIndex { by_first, filter }
    }

    /// The longest phrase starting at token `at`: its length in tokens and its value.
    pub fn longest_at(&self, tokens: &[Token], at: usize) -> Option<(usize, T)> {
        let first = tokens.get(at)?.lower.as_str();
        if !self.filter.may_hold(first) {
            return None;
        }
        let entries = self.by_first.get(first)?;
        entries.iter().find(|(p, _)| starts_with(tokens, at, p)).map(|(p, v)| (p.len(), *v))
    }
}

/// Whether `tokens[at..]` starts with `phrase`.
pub(crate) fn starts_with(tokens: &[Token], at: usize, phrase: &[&str]) -> bool {
    at + phrase.len() <= tokens.len() && phrase.iter().zip(&tokens[at..]).all(|(p, t)| t.lower == *p)
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Letters (possibly with digits inside: "IgG4", "CD19", "HbA1c").
    Word,
    /// A number: digits with an optional decimal part ("1.5", "0,5") or thousands groups ("1,500").
    Number,
    /// Any other single non-space char.
    Symbol,
}

/// A token of the prepared text, with char offsets into it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Lower-cased text (for words) or the text as written.
    pub lower: CompactString,
}

impl Token {
    /// The numeric value of a number token.
    pub fn number(&self) -> Option<f64> {
        if self.kind != TokenKind::Number {
            return None;
        }
        parse_number(&self.lower)
    }
}

fn parse_number(s: &str) -> Option<f64> {
    // "1,500" is a thousands group; "0,5" a decimal comma.
    let cleaned = match s.split_once(',') {
        Some((_, frac)) if frac.len() == 3 && !s.contains('.') => s.replace(',', ""),
        Some(_) => s.replacen(',', ".", 1),
        None => s.to_string(),
    };
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Cuts prepared text into tokens. Letters and digits stay together when a word starts with a letter
/// ("CD19"), but a number followed by letters is two tokens ("30ml" → "30", "ml").
pub(crate) fn tokenize(chars: &[char]) -> Vec<Token> {
    // About one token per five chars in criteria text: sized once instead of grown from empty.
    let mut tokens = Vec::with_capacity(chars.len() / 5 + 1);
    // Each token's text is written here first, then copied once into its `CompactString`: a
    // `String` grows in place, where a push onto a `CompactString` checks its layout every char.
    let mut text = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let kind = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c.is_ascii_digit() {
            i = scan_number(chars, i);
            TokenKind::Number
        } else if c.is_alphabetic() {
            while i < chars.len() && (chars[i].is_alphanumeric() || is_inner_apostrophe(chars, i)) {
                i += 1;
            }
            TokenKind::Word
        } else {
            i += 1;
            TokenKind::Symbol
        };
        text.clear();
        for &c in &chars[start..i] {
            match kind {
                TokenKind::Word if c.is_ascii() => text.push(c.to_ascii_lowercase()),
                TokenKind::Word => text.extend(c.to_lowercase()),
                _ => text.push(c),
            }
        }
        // Tokens are short: a CompactString keeps them inline, with no allocation per token.
        tokens.push(Token { start, end: i, kind, lower: CompactString::new(&text) });
    }
    tokens
}

fn is_inner_apostrophe(chars: &[char], i: usize) -> bool {
    matches!(chars[i], '\'' | '’')
        && i + 1 < chars.len()
        && chars[i + 1].is_alphabetic()
        && i > 0
        && chars[i - 1].is_alphabetic()
}

fn scan_number(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    // One decimal point or comma followed by digits.
    if i + 1 < chars.len() && matches!(chars[i], '.' | ',') && chars[i + 1].is_ascii_digit() {
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(s: &str) -> String {
        prepare(&s.chars().collect::<Vec<_>>()).text()
    }

    #[test]
    fn a_word_set_finds_its_words_at_the_end_of_a_word() {
        static SUFFIXES: WordSet = WordSet::new("itis osis ectomy é");
        assert!(SUFFIXES.ends("arthritis") && SUFFIXES.ends("nephrectomy") && SUFFIXES.ends("café"));
        assert!(!SUFFIXES.ends("itis ") && !SUFFIXES.ends("os") && !SUFFIXES.ends(""));
        assert!(SUFFIXES.ends("itis"), "a word is its own suffix");
    }

    #[test]
    fn a_word_set_turns_away_only_words_it_lacks() {
        static SET: WordSet =
            WordSet::new("severe é mild x abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm");
        for word in ["severe", "é", "mild", "x", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm"] {
            assert!(SET.contains(word), "{word}");
        }
        // Same length, other first byte; same first byte, other length; a longer word sharing the
        // "63 and over" length bit; the empty word.
        for word in
            ["levere", "sever", "e", "y", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmn", ""]
        {
            assert!(!SET.contains(word), "{word}");
        }
    }

    #[test]
    fn splits_words_glued_by_scraping() {
        assert_eq!(prepared("treated withother biologics"), "treated with other biologics");
        assert_eq!(prepared("Hepatitis Bsurface antigen"), "Hepatitis B surface antigen");
        // A capitalised word that is a known word inflected is never a letter glued to a word.
        assert_eq!(prepared("Blocked bile duct"), "Blocked bile duct");
        assert_eq!(prepared("within 3 months ofDay 0"), "within 3 months of Day 0");
        assert_eq!(prepared("Belimumab orneutrophils<1"), "Belimumab or neutrophils<1");
    }

    #[test]
    fn non_is_split_from_the_habit_it_negates_only() {
        assert_eq!(prepared("Nonsmokers and nonsmoking adults"), "Non smokers and non smoking adults");
        assert_eq!(prepared("nonsteroidal drugs, nonmalignant disease"), "nonsteroidal drugs, nonmalignant disease");
    }

    #[test]
    fn leaves_real_words_and_abbreviations_alone() {
        for s in ["eGFR<30ml/min", "IgG<4g/L", "HbA1c", "mRSS", "rituximab", "Sjogren", "without", "Telitacicept"] {
            assert_eq!(prepared(s), s);
        }
    }

    #[test]
    fn offsets_map_back_to_the_original() {
        let original: Vec<char> = "x withother y".chars().collect();
        let p = prepare(&original);
        let text = p.text();
        let at = text.find("other").unwrap();
        assert_eq!(p.original_span(at, at + 5), (6, 11));
    }

    #[test]
    fn numbers_and_units_are_separate_tokens() {
        let chars: Vec<char> = "eGFR<30ml/min 1.5 ULN 1,500/mm3".chars().collect();
        let toks: Vec<String> = tokenize(&chars).into_iter().map(|t| t.lower.to_string()).collect();
        assert_eq!(toks, ["egfr", "<", "30", "ml", "/", "min", "1.5", "uln", "1,500", "/", "mm3"]);
        assert_eq!(parse_number("1,500"), Some(1500.0));
        assert_eq!(parse_number("0,5"), Some(0.5));
    }
}
