//! Quantities: comparisons, ranges, units, multiples of the upper limit of normal, time windows.
//!
//! Criteria state thresholds in a few dozen ways: symbols (`<`, `≥`, `>/=`, `=<`), words ("less than",
//! "at least", "no more than", "up to"), post-fixes ("18 years or older", "18+"), ranges ("18-65",
//! "between 18 and 65", "from 5 to 18", "0~2"), multiples of normal ("> 2 x ULN", "1.5ULN", "2.5 times
//! the upper limit of normal"). [`find_quantities`] reads all of them from a criterion's tokens and
//! returns one [`Quantity`] per expression, with the token span of the operator, value(s) and unit.
//!
//! A quantity whose unit is a time unit is then read as a time window when the words around it say so
//! ("within 6 months", "in the 30 days before Day 0", "at least 4 weeks prior to screening", "for more
//! than 3 months"); see [`TimeRole`].

use rustc_hash::FxHashMap;
use std::sync::OnceLock;

use eligo_model::{Operator, TimeUnit};

pub(crate) use crate::text::starts_with;
use crate::text::{tokenize, PhraseIndex, Token, TokenKind};

/// A comparison read from text. Spans are token index ranges (`start..end`) into the criterion's
/// tokens.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Quantity {
    /// The whole expression.
    pub tokens: (usize, usize),
    pub operator: Operator,
    pub operator_tokens: Option<(usize, usize)>,
    pub value: f64,
    pub value_token: usize,
    pub value_high: Option<f64>,
    pub value_high_token: Option<usize>,
    /// Normalized unit (`eligo_vocab::normalize_unit`), `"uln"` for multiples of normal.
    pub unit: Option<String>,
    pub unit_tokens: Option<(usize, usize)>,
    pub time_unit: Option<TimeUnit>,
    pub uln_multiple: bool,
    /// For time quantities: how the surrounding words use it.
    pub time_role: Option<TimeRole>,
    /// For time windows: the reference point as written ("Day 0", "screening").
    pub anchor_tokens: Option<(usize, usize)>,
}

impl Quantity {
    /// A quantity from token `start` to its value; unit, range and time role are read after.
    fn new(
        start: usize,
        operator: Operator,
        operator_tokens: Option<(usize, usize)>,
        value: f64,
        value_token: usize,
    ) -> Quantity {
        Quantity {
            tokens: (start, value_token + 1),
            operator,
            operator_tokens,
            value,
            value_token,
            value_high: None,
            value_high_token: None,
            unit: None,
            unit_tokens: None,
            time_unit: None,
            uln_multiple: false,
            time_role: None,
            anchor_tokens: None,
        }
    }
}

/// How a time quantity is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimeRole {
    /// "within 6 months", "in the last 30 days", "in the 30 days before Day 0".
    Within,
    /// "at least 4 weeks prior to screening", "more than 6 months ago".
    AtLeastAgo,
    /// "for more than 3 months", "for at least 3 months".
    Duration,
    /// A time quantity compared as such ("life expectancy > 6 months", "age ≥ 18 years").
    Plain,
}

type Phrase = (&'static [&'static str], Operator);

/// Operators written before the value, longest first within each length group at lookup time.
const PREFIX_OPERATORS: &[Phrase] = &[
    // ">= to" and "more then": spellings registries use for the same operators. Comparatives
    // joined with "equal" ("greater than or equal to", "equal or over") are read by
    // [`inclusive_operator`], not listed here.
    (&["superior", "to"], Operator::Gt),
    (&["inferior", "to"], Operator::Lt),
    (&["more", "then"], Operator::Gt),
    (&["greater", "then"], Operator::Gt),
    (&["less", "then"], Operator::Lt),
    (&[">", "=", "to"], Operator::Ge),
    (&["<", "=", "to"], Operator::Le),
    (&["≥", "to"], Operator::Ge),
    (&["≤", "to"], Operator::Le),
    // "> than 5": the symbol with the word its spoken form ends in.
    (&[">", "than"], Operator::Gt),
    (&["<", "than"], Operator::Lt),
    (&["no", "more", "than"], Operator::Le),
    (&["not", "more", "than"], Operator::Le),
    (&["no", "greater", "than"], Operator::Le),
    (&["not", "greater", "than"], Operator::Le),
    (&["no", "higher", "than"], Operator::Le),
    (&["not", "higher", "than"], Operator::Le),
    (&["no", "less", "than"], Operator::Ge),
    (&["not", "less", "than"], Operator::Ge),
    (&["no", "fewer", "than"], Operator::Ge),
    (&["no", "shorter", "than"], Operator::Ge),
    (&["not", "shorter", "than"], Operator::Ge),
    (&["no", "longer", "than"], Operator::Le),
    (&["not", "longer", "than"], Operator::Le),
    (&["not", "to", "exceed"], Operator::Le),
    (&["in", "excess", "of"], Operator::Gt),
    (&["a", "minimum", "of"], Operator::Ge),
    (&["a", "maximum", "of"], Operator::Le),
    (&["minimum", "of"], Operator::Ge),
    (&["maximum", "of"], Operator::Le),
    (&["not", "exceeding"], Operator::Le),
    (&["at", "least"], Operator::Ge),
    (&["at", "most"], Operator::Le),
    (&["up", "to"], Operator::Le),
    (&["less", "than"], Operator::Lt),
    (&["lower", "than"], Operator::Lt),
    (&["fewer", "than"], Operator::Lt),
    (&["smaller", "than"], Operator::Lt),
    (&["shorter", "than"], Operator::Lt),
    (&["younger", "than"], Operator::Lt),
    (&["greater", "than"], Operator::Gt),
    (&["more", "than"], Operator::Gt),
    (&["higher", "than"], Operator::Gt),
    (&["larger", "than"], Operator::Gt),
    (&["longer", "than"], Operator::Gt),
    (&["older", "than"], Operator::Gt),
    (&["below"], Operator::Lt),
    (&["under"], Operator::Lt),
    (&["above"], Operator::Gt),
    (&["over"], Operator::Gt),
    (&["exceeding"], Operator::Gt),
    (&["exceeds"], Operator::Gt),
    (&["minimum"], Operator::Ge),
    (&["maximum"], Operator::Le),
    (&["within"], Operator::Le),
    (&[">", "/", "="], Operator::Ge),
    (&["<", "/", "="], Operator::Le),
    (&["≥", "/", "="], Operator::Ge),
    (&["≤", "/", "="], Operator::Le),
    (&["<", "="], Operator::Le),
    (&[">", "="], Operator::Ge),
    (&["=", "<"], Operator::Le),
    (&["=", ">"], Operator::Ge),
    (&["<"], Operator::Lt),
    (&[">"], Operator::Gt),
    (&["≤"], Operator::Le),
    (&["≥"], Operator::Ge),
    (&["⩽"], Operator::Le),
    (&["⩾"], Operator::Ge),
    (&["≦"], Operator::Le),
    (&["≧"], Operator::Ge),
    (&["="], Operator::Eq),
    // "equal 18 or more": a postfix operator after the value overrides it (see [`read_postfix`]).
    (&["equal", "to"], Operator::Eq),
    (&["equals", "to"], Operator::Eq),
    (&["equal"], Operator::Eq),
    (&["equals"], Operator::Eq),
    (&["≠"], Operator::Ne),
];

/// Comparative words and the strict operator each makes on its own ("greater" in "greater than").
const COMPARATIVES: &[Phrase] = &[
    (&["greater"], Operator::Gt),
    // "Great than or equal to 50 mL": a misspelling read only when "equal" follows.
    (&["great"], Operator::Gt),
    (&["more"], Operator::Gt),
    (&["higher"], Operator::Gt),
    (&["larger"], Operator::Gt),
    (&["bigger"], Operator::Gt),
    (&["older"], Operator::Gt),
    (&["longer"], Operator::Gt),
    (&["over"], Operator::Gt),
    (&["above"], Operator::Gt),
    (&["superior"], Operator::Gt),
    (&[">"], Operator::Gt),
    (&["less"], Operator::Lt),
    (&["lower"], Operator::Lt),
    (&["fewer"], Operator::Lt),
    (&["smaller"], Operator::Lt),
    (&["younger"], Operator::Lt),
    (&["shorter"], Operator::Lt),
    (&["under"], Operator::Lt),
    (&["below"], Operator::Lt),
    (&["inferior"], Operator::Lt),
    (&["up", "to"], Operator::Le),
    (&["<"], Operator::Lt),
];

/// Words that join a comparative and "equal" ("greater than *or* equal to", "greater *and* equal
/// to", "more than */* equal to").
const EQUAL_JOINERS: &[&str] = &["or", "and", "/"];

/// Operators written after the value and its unit ("18 years or older").
const POSTFIX_OPERATORS: &[Phrase] = &[
    (&["or", "more"], Operator::Ge),
    (&["or", "greater"], Operator::Ge),
    (&["or", "older"], Operator::Ge),
    (&["or", "above"], Operator::Ge),
    (&["or", "higher"], Operator::Ge),
    (&["or", "over"], Operator::Ge),
    (&["or", "longer"], Operator::Ge),
    (&["and", "older"], Operator::Ge),
    (&["and", "above"], Operator::Ge),
    (&["and", "over"], Operator::Ge),
    (&["and", "up"], Operator::Ge),
    (&["or", "less"], Operator::Le),
    (&["or", "lower"], Operator::Le),
    (&["or", "younger"], Operator::Le),
    (&["or", "below"], Operator::Le),
    (&["or", "fewer"], Operator::Le),
    (&["or", "under"], Operator::Le),
    (&["and", "younger"], Operator::Le),
    (&["and", "under"], Operator::Le),
    (&["and", "below"], Operator::Le),
    (&["+"], Operator::Ge),
];

/// Words between a value and a postfix operator that belong to an age ("18 years of age or older").
const AGE_FILLERS: &[&[&str]] = &[&["of", "age"], &["old"], &["of", "age", "and"]];

/// Range separators between two values.
const RANGE_SEPARATORS: &[&str] = &["-", "–", "—", "−", "‐", "to", "~", "through", "and"];

/// Spellings of multiples of the upper limit of normal, after the value (and an optional "x").
const ULN_PHRASES: &[&[&str]] = &[
    &["uln"],
    &["unl"],
    &["xuln"],
    // "2.5xUNL", "2 x IULN" (institutional), "3 x UNR" (upper normal range).
    &["xunl"],
    &["iuln"],
    &["xiuln"],
    &["unr"],
    &["xunr"],
    &["the", "uln"],
    &["upper", "limit", "of", "normal"],
    &["upper", "limits", "of", "normal"],
    &["the", "upper", "limit", "of", "normal"],
    &["the", "upper", "limits", "of", "normal"],
    &["institutional", "upper", "limit", "of", "normal"],
    &["the", "institutional", "upper", "limit", "of", "normal"],
    &["upper", "normal", "limit"],
    &["the", "upper", "normal", "limit"],
    &["upper", "limit", "of", "the", "normal", "range"],
    &["the", "upper", "limit", "of", "the", "normal", "range"],
    &["upper", "limit", "of", "normal", "range"],
    &["normal"],
];

const TIMES_WORDS: &[&str] = &["x", "×", "*", "times", "fold", "-"];

/// Unit spellings (one per line as written in criteria), their normalized form and time unit.
const UNIT_SPELLINGS: &[&str] = &[
    "%",
    "mg/dl",
    "mg/dL",
    "g/dl",
    "g/l",
    "g/L",
    "mg/l",
    "mmol/l",
    "umol/l",
    "µmol/l",
    "μmol/l",
    "micromol/l",
    "nmol/l",
    "pmol/l",
    "mmol/mol",
    "ng/ml",
    "ng/l",
    "pg/ml",
    "ug/l",
    "µg/l",
    "ug/ml",
    "µg/ml",
    "mcg/ml",
    "mcg/l",
    "iu/l",
    "iu/ml",
    "u/l",
    "u/ml",
    "miu/l",
    "miu/ml",
    "uiu/ml",
    "µiu/ml",
    "meq/l",
    "mosm/kg",
    "ml/min/1.73m2",
    "ml/min/1.73 m2",
    "ml/min/1.73m²",
    "ml/min/1.73 m²",
    "ml/min/1,73m2",
    "ml/min per 1.73 m2",
    "ml/min",
    "ml/minute",
    "ml/s",
    "mmhg",
    "mm hg",
    "cmh2o",
    "cm h2o",
    "kg/m2",
    "kg/m²",
    "kg/m^2",
    "kg",
    "g",
    "mg",
    "mcg",
    "µg",
    "ug",
    "ml",
    "l",
    "dl",
    "cm",
    "mm",
    "m",
    "lb",
    "lbs",
    "bpm",
    "beats/min",
    "beats per minute",
    "/mm3",
    "/mm³",
    "/ul",
    "/µl",
    "/μl",
    "per mm3",
    "per ul",
    "cells/mm3",
    "cells/mm³",
    "cells/ul",
    "cells/µl",
    "cells/μl",
    "x10^9/l",
    "x 10^9/l",
    "×10^9/l",
    "× 10^9/l",
    "10^9/l",
    "x109/l",
    "x 109/l",
    "×109/l",
    "× 109/l",
    "109/l",
    "x10⁹/l",
    "×10⁹/l",
    "× 10⁹/l",
    "10⁹/l",
    "g/l",
    "x10^3/ul",
    "x 10^3/ul",
    "×10^3/ul",
    "10^3/ul",
    "10^3/mm3",
    "x10^3/mm3",
    "x10^6/l",
    "×10^6/l",
    "10^6/l",
    "x10^12/l",
    "10^12/l",
    "mg/day",
    "mg/d",
    "mg daily",
    "mg per day",
    "mg a day",
    "mg/kg/day",
    "mg/kg/d",
    "mg/kg",
    "mg/m2",
    "mg/m²",
    "g/day",
    "g/24h",
    "g/24 h",
    "g/24 hours",
    "mg/24h",
    "mg/24 h",
    "mg/g",
    "mg/mmol",
    "mm/h",
    "mm/hr",
    "ms",
    "msec",
    "points",
    "point",
    "copies/ml",
    "pack-years",
    "pack years",
    "pack-year",
    "cigarettes per day",
    "cigarettes/day",
    "drinks per week",
    "units per week",
    "units/week",
    "years",
    "year",
    "yrs",
    "yr",
    "y",
    "months",
    "month",
    "mos",
    "mo",
    "weeks",
    "week",
    "wks",
    "wk",
    "days",
    "day",
    "d",
    "hours",
    "hour",
    "hrs",
    "hr",
    "h",
    "minutes",
    "min",
    "seconds",
    "sec",
    "half-lives",
    "half lives",
    "cm2",
    "cm²",
    "mm2",
    "mm²",
    "ratio",
    "units",
];

struct UnitEntry {
    tokens: Vec<String>,
    normalized: String,
    time_unit: Option<TimeUnit>,
}

fn unit_table() -> &'static [UnitEntry] {
    static TABLE: OnceLock<Vec<UnitEntry>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<UnitEntry> = UNIT_SPELLINGS
            .iter()
            .map(|spelling| {
                let chars: Vec<char> = spelling.chars().collect();
                let tokens = tokenize(&chars).into_iter().map(|t| t.lower.to_string()).collect();
                let time_unit = TimeUnit::parse(spelling).filter(|_| !matches!(*spelling, "m" | "min" | "ms"));
                let normalized = match *spelling {
                    "mg daily" | "mg per day" | "mg a day" | "mg/d" => "mg/day".to_string(),
                    _ => eligo_vocab::normalize_unit(spelling),
                };
                UnitEntry { tokens, normalized, time_unit }
            })
            .collect();
        // Longest spelling first, so "mg/dl" wins over "mg".
        table.sort_by_key(|e| std::cmp::Reverse(e.tokens.len()));
        table
    })
}

/// The unit table's entries by their first token, each list in the table's order (longest
/// spelling first): most tokens after a number are not units, and this rejects them with one
/// lookup, and a unit is then matched against the few spellings that begin with its token instead
/// of the whole table.
fn units_by_first_token() -> &'static FxHashMap<&'static str, Vec<&'static UnitEntry>> {
    static INDEX: OnceLock<FxHashMap<&'static str, Vec<&'static UnitEntry>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: FxHashMap<&'static str, Vec<&'static UnitEntry>> = FxHashMap::default();
        for entry in unit_table() {
            if let Some(first) = entry.tokens.first() {
                index.entry(first.as_str()).or_default().push(entry);
            }
        }
        index
    })
}

/// The value of a number word ("six"); a `match` compiles to a comparison by length first, which
/// matters because every word of every criterion is tried as a value.
fn number_word(word: &str) -> Option<f64> {
    Some(match word {
        "zero" => 0.0,
        "one" => 1.0,
        "two" => 2.0,
        "three" => 3.0,
        "four" => 4.0,
        "five" => 5.0,
        "six" => 6.0,
        "seven" => 7.0,
        "eight" => 8.0,
        "nine" => 9.0,
        "ten" => 10.0,
        "eleven" => 11.0,
        "twelve" => 12.0,
        "thirteen" => 13.0,
        "fourteen" => 14.0,
        "fifteen" => 15.0,
        "sixteen" => 16.0,
        "seventeen" => 17.0,
        "eighteen" => 18.0,
        "nineteen" => 19.0,
        "twenty" => 20.0,
        "thirty" => 30.0,
        "forty" => 40.0,
        "fifty" => 50.0,
        "sixty" => 60.0,
        "seventy" => 70.0,
        "eighty" => 80.0,
        "ninety" => 90.0,
        // The low end of an age range: "between birth and 65 years", "birth to 18 years".
        "birth" => 0.0,
        _ => return None,
    })
}

/// The value of a number token or a number word ("six").
fn value_of(token: &Token) -> Option<f64> {
    token.number().or_else(|| (token.kind == TokenKind::Word).then(|| number_word(token.lower.as_str())).flatten())
}

fn prefix_operators() -> &'static PhraseIndex<Operator> {
    static INDEX: OnceLock<PhraseIndex<Operator>> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new([PREFIX_OPERATORS]))
}

fn comparatives() -> &'static PhraseIndex<Operator> {
    static INDEX: OnceLock<PhraseIndex<Operator>> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new([COMPARATIVES]))
}

fn postfix_operators() -> &'static PhraseIndex<Operator> {
    static INDEX: OnceLock<PhraseIndex<Operator>> = OnceLock::new();
    INDEX.get_or_init(|| PhraseIndex::new([POSTFIX_OPERATORS]))
}

/// The operator phrase at `at`: the index after it and the operator.
fn match_phrase(tokens: &[Token], at: usize, index: &PhraseIndex<Operator>) -> Option<(usize, Operator)> {
    index.longest_at(tokens, at).map(|(len, op)| (at + len, op))
}

fn match_unit(tokens: &[Token], at: usize) -> Option<(usize, &'static UnitEntry)> {
    let first = tokens.get(at)?;
    // A unit follows its value closely: at most one space between.
    if at > 0 && first.start > tokens[at - 1].end + 1 {
        return None;
    }
    let entries = units_by_first_token().get(first.lower.as_str())?;
    entries.iter().copied().find_map(|entry| {
        let end = at + entry.tokens.len();
        let matches = end <= tokens.len() && entry.tokens.iter().zip(&tokens[at..end]).all(|(u, t)| *u == t.lower);
        // A one-letter unit must not be the start of a longer word run ("5 d" ok, "5 days" handled above).
        (matches && contiguous(tokens, at, end)).then_some((end, entry))
    })
}

/// Tokens `at..end` are separated by at most one space each.
fn contiguous(tokens: &[Token], at: usize, end: usize) -> bool {
    (at + 1..end).all(|k| tokens[k].start <= tokens[k - 1].end + 1)
}

fn match_uln(tokens: &[Token], at: usize) -> Option<usize> {
    let mut k = at;
    if tokens.get(k).is_some_and(|t| TIMES_WORDS.contains(&t.lower.as_str())) {
        k += 1;
        // "2 times the ULN", "2-fold the ULN"
        if tokens.get(k).is_some_and(|t| t.lower == "fold") {
            k += 1;
        }
    }
    let phrase = ULN_PHRASES.iter().filter(|p| starts_with(tokens, k, p)).max_by_key(|p| p.len())?;
    // "normal" alone only right after an explicit multiplier ("2 x normal").
    if *phrase == ["normal"] && k == at {
        return None;
    }
    Some(k + phrase.len())
}

/// Finds every quantity in a criterion's tokens, left to right, without overlaps.
pub(crate) fn find_quantities(tokens: &[Token]) -> Vec<Quantity> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match read_quantity(tokens, i) {
            Some(q) => {
                i = q.tokens.1.max(i + 1);
                out.push(q);
            }
            None => i += 1,
        }
    }
    for q in &mut out {
        classify_time(tokens, q);
    }
    out
}

/// A comparative joined with "equal", in either order and with the connectives registries write:
/// "greater than or equal to", "greater and equal to", "greater than equals to", "more than/equal
/// to", "> or =", "over or equal", "equal to or less than", "equal or over", "up to or equal". The
/// inclusive form of the comparative's operator, and the index after the phrase.
fn inclusive_operator(tokens: &[Token], at: usize) -> Option<(usize, Operator)> {
    let word_at = |k: usize| tokens.get(k).map(|t| t.lower.as_str());
    let is_equal = |k: usize| matches!(word_at(k), Some("equal" | "equals" | "="));
    let joined = |k: usize| if word_at(k).is_some_and(|w| EQUAL_JOINERS.contains(&w)) { k + 1 } else { k };
    let skip = |k: usize, words: &[&str]| if word_at(k).is_some_and(|w| words.contains(&w)) { k + 1 } else { k };
    let inclusive = |op: Operator| match op {
        Operator::Gt => Operator::Ge,
        Operator::Lt => Operator::Le,
        other => other,
    };
    if let Some((after, op)) = match_phrase(tokens, at, comparatives()) {
        let equal_at = joined(skip(after, &["than", "then"]));
        return is_equal(equal_at).then(|| (skip(equal_at + 1, &["to"]), inclusive(op)));
    }
    if !is_equal(at) {
        return None;
    }
    let joiner = skip(at + 1, &["to"]);
    let comparative_at = joined(joiner);
    if comparative_at == joiner {
        return None;
    }
    let (after, op) = match_phrase(tokens, comparative_at, comparatives())?;
    Some((skip(skip(after, &["than", "then"]), &["to"]), inclusive(op)))
}

/// The operator phrase at `at`, from the table or the inclusive grammar, whichever is longer.
fn prefix_operator(tokens: &[Token], at: usize) -> Option<(usize, Operator)> {
    let listed = match_phrase(tokens, at, prefix_operators());
    let inclusive = inclusive_operator(tokens, at);
    match (listed, inclusive) {
        (Some(l), Some(i)) => Some(if i.0 > l.0 { i } else { l }),
        (l, i) => l.or(i),
    }
}

/// Reads one quantity starting at token `i` (at its operator or its value).
fn read_quantity(tokens: &[Token], i: usize) -> Option<Quantity> {
    if starts_with(tokens, i, &["between"]) || starts_with(tokens, i, &["from"]) {
        return read_explicit_range(tokens, i);
    }
    let (value_at, operator) = match prefix_operator(tokens, i) {
        Some((end, op)) => {
            let end = skip_restated_operator(tokens, end);
            (skip_articles(tokens, end), Some((i, end, op)))
        }
        None => (i, None),
    };
    let value = value_of(tokens.get(value_at)?)?;
    let number_word = tokens[value_at].kind != TokenKind::Number;
    let mut q = Quantity::new(
        i,
        operator.map_or(Operator::Eq, |(_, _, op)| op),
        operator.map(|(s, e, _)| (s, e)),
        value,
        value_at,
    );
    let age_word_before = after_age_word(tokens, i);
    let mut k = skip_restated_number(tokens, value_at + 1, value);
    k = read_unit(tokens, k, &mut q);
    // "≥19 to 65 years": a lower bound followed by an upper one is the range they make.
    if matches!(operator, None | Some((_, _, Operator::Ge))) {
        k = read_range(tokens, skip_age_filler(tokens, k, &q), &mut q, age_word_before);
    }
    k = read_postfix(tokens, k, &mut q);
    // "18 or older years of age": the unit after the postfix operator.
    if q.unit.is_none() {
        k = read_unit(tokens, k, &mut q);
    }
    q.tokens.1 = k;
    // A number alone is not a comparison ("type 2 diabetes", "COVID-19"); it needs an operator, a
    // unit or a range, or an age word right before it ("Age: 18"). A number word without an
    // operator is prose ("one of the following") unless a unit or a range follows it ("Eighteen
    // years of age or older", "birth to 70 years").
    let bare = q.operator_tokens.is_none() && q.unit.is_none() && q.value_high.is_none() && !age_word_before;
    let prose = number_word && operator.is_none() && q.unit.is_none() && q.value_high.is_none();
    (!bare && !prose).then_some(q)
}

/// Words that say the number after them is an age ("Age: 18", "aged 18-75", "Ages 21 and 50").
const AGE_WORDS: &[&str] = &["age", "aged", "ages"];

/// Whether token `at` follows an age word, with at most a colon between.
fn after_age_word(tokens: &[Token], at: usize) -> bool {
    let word_before = |k: usize| k.checked_sub(1).and_then(|b| tokens.get(b)).map(|t| t.lower.as_str());
    match word_before(at) {
        Some(":") => word_before(at - 1).is_some_and(|w| AGE_WORDS.contains(&w)),
        Some(w) => AGE_WORDS.contains(&w),
        None => false,
    }
}

/// "two (2) years": a number restated in digits in parentheses after its word belongs to it.
/// Returns the token after the restatement, or `k` when there is none.
fn skip_restated_number(tokens: &[Token], k: usize, value: f64) -> usize {
    let restated = starts_with(tokens, k, &["("])
        && tokens.get(k + 1).and_then(Token::number) == Some(value)
        && starts_with(tokens, k + 2, &[")"]);
    if restated {
        k + 3
    } else {
        k
    }
}

/// "greater than or equal to (>=) 18": the operator restated in symbols, in parentheses, belongs to
/// the operator, and so does a "to" after the restatement ("greater than or equal (>=) to 27").
/// Returns the token after it, or `k` when there is none.
fn skip_restated_operator(tokens: &[Token], k: usize) -> usize {
    if !starts_with(tokens, k, &["("]) {
        return k;
    }
    match prefix_operator(tokens, k + 1) {
        Some((end, _)) if starts_with(tokens, end, &[")"]) => {
            if starts_with(tokens, end + 1, &["to"]) {
                end + 2
            } else {
                end + 1
            }
        }
        _ => k,
    }
}

/// Skips articles, and the word "age" an operator may stand before ("under age 18", "above the age
/// of 18", "≥ Age 12 years"): the value that follows is still the operator's.
fn skip_articles(tokens: &[Token], mut k: usize) -> usize {
    while tokens.get(k).is_some_and(|t| matches!(t.lower.as_str(), "a" | "an" | "the" | "of" | "age" | "ages" | ":")) {
        k += 1;
    }
    k
}

/// "between 18 and 65 years", "from 5 to 18 years".
fn read_explicit_range(tokens: &[Token], i: usize) -> Option<Quantity> {
    // "between the ages of 21 and 50 years"
    let mut low_at = i + 1;
    while low_at < i + 4
        && tokens.get(low_at).is_some_and(|t| matches!(t.lower.as_str(), "the" | "ages" | "age" | "of"))
    {
        low_at += 1;
    }
    let low = value_of(tokens.get(low_at)?)?;
    let mut q = Quantity::new(i, Operator::Range, Some((i, i + 1)), low, low_at);
    let k = read_unit(tokens, low_at + 1, &mut q);
    let k = read_range(tokens, skip_age_filler(tokens, k, &q), &mut q, true);
    q.value_high?;
    q.tokens.1 = k;
    Some(q)
}

/// "25 years old and 55 years old", "18 years of age to 65 years of age": an age's filler words
/// between its unit and the separator of a range belong to the low end, so that the range is
/// still read. Returns the token after them, or `k` when no range follows.
fn skip_age_filler(tokens: &[Token], k: usize, q: &Quantity) -> usize {
    if q.time_unit.is_none() {
        return k;
    }
    for filler in [&["old"][..], &["of", "age"]] {
        let after = k + filler.len();
        let range_follows = tokens.get(after).is_some_and(|t| RANGE_SEPARATORS.contains(&t.lower.as_str()))
            && tokens.get(after + 1).and_then(value_of).is_some();
        if starts_with(tokens, k, filler) && range_follows {
            return after;
        }
    }
    k
}

/// A unit or a multiple of normal after the value; returns the next token index.
fn read_unit(tokens: &[Token], k: usize, q: &mut Quantity) -> usize {
    if let Some(end) = match_uln(tokens, k) {
        q.unit = Some("uln".to_string());
        q.unit_tokens = Some((k, end));
        q.uln_multiple = true;
        return end;
    }
    if let Some(end) = read_hyphenated_age(tokens, k, q) {
        return end;
    }
    match match_unit(tokens, k) {
        Some((end, entry)) => {
            q.unit = Some(entry.normalized.clone());
            q.unit_tokens = Some((k, end));
            q.time_unit = entry.time_unit;
            end
        }
        None => k,
    }
}

/// "18-year-old", "6-month old": an age written as one hyphenated word. Only with "old" after it:
/// "2-hour glucose" and "5-day course" name a test or a course, not a quantity to compare.
fn read_hyphenated_age(tokens: &[Token], k: usize, q: &mut Quantity) -> Option<usize> {
    if !starts_with(tokens, k, &["-"]) {
        return None;
    }
    let (unit_end, entry) = match_unit(tokens, k + 1).filter(|(_, e)| e.time_unit.is_some())?;
    let end = if starts_with(tokens, unit_end, &["-", "old"]) {
        unit_end + 2
    } else if starts_with(tokens, unit_end, &["old"]) {
        unit_end + 1
    } else {
        return None;
    };
    q.unit = Some(entry.normalized.clone());
    q.unit_tokens = Some((k + 1, unit_end));
    q.time_unit = entry.time_unit;
    Some(end)
}

/// "18-65", "18 to 65 years", "0~2", "≥18-79", "5 and 18" (after "between", or after an age word:
/// "Age 21 and 50 years"), "19 to 70 (inclusive) years"; returns the next token index.
fn read_range(tokens: &[Token], k: usize, q: &mut Quantity, and_joins: bool) -> usize {
    let Some(sep) = tokens.get(k) else { return k };
    let separator_ok = RANGE_SEPARATORS.contains(&sep.lower.as_str())
        && (sep.lower != "and" || q.operator == Operator::Range || and_joins)
        // "to" after a stated equality is no range ("equal to 5 to ...").
        && (sep.lower != "to" || q.operator != Operator::Eq || q.operator_tokens.is_none());
    let Some(high) = tokens.get(k + 1).and_then(value_of) else { return k };
    if !separator_ok || high < q.value {
        return k;
    }
    q.value_high = Some(high);
    q.value_high_token = Some(k + 1);
    q.operator = Operator::Range;
    if q.operator_tokens.is_none() {
        q.operator_tokens = Some((k, k + 1));
    }
    let before = q.unit.clone();
    let end = read_unit(tokens, skip_inclusive(tokens, k + 2), q);
    if q.unit.is_none() {
        q.unit = before;
        return k + 2;
    }
    end
}

/// "(inclusive)" or "inclusive" after a range's upper bound, before its unit.
fn skip_inclusive(tokens: &[Token], k: usize) -> usize {
    if starts_with(tokens, k, &["(", "inclusive", ")"]) {
        k + 3
    } else if starts_with(tokens, k, &["inclusive"]) {
        k + 1
    } else {
        k
    }
}

/// "or older", "and above", "+", possibly after "of age"/"old"; returns the next token index.
fn read_postfix(tokens: &[Token], k: usize, q: &mut Quantity) -> usize {
    // A stated operator stands, except a plain "equal": "equal 18 or more".
    if q.operator_tokens.is_some() && q.operator != Operator::Eq {
        return k;
    }
    let fillers = AGE_FILLERS.iter().filter(|f| starts_with(tokens, k, f)).map(|f| f.len());
    for skip in std::iter::once(0).chain(fillers) {
        if let Some((end, op)) = match_phrase(tokens, k + skip, postfix_operators()) {
            q.operator = op;
            q.operator_tokens = Some((k + skip, end));
            return end;
        }
    }
    k
}

/// Words before a time quantity that make it a window back from now ("in the last 6 months").
const WITHIN_LEADS: &[&[&str]] = &[
    &["within"],
    &["in", "the", "last"],
    &["in", "the", "past"],
    &["in", "the", "previous"],
    &["in", "the", "preceding"],
    &["during", "the", "last"],
    &["during", "the", "past"],
    &["during", "the", "previous"],
    &["over", "the", "last"],
    &["over", "the", "past"],
    &["within", "the", "last"],
    &["within", "the", "past"],
    &["within", "the", "previous"],
    &["in", "the"],
    &["last"],
    &["past"],
    &["previous"],
    &["preceding"],
];

const ANCHOR_LEADS: &[&[&str]] = &[
    &["prior", "to"],
    &["before"],
    &["preceding"],
    &["of"],
    &["from"],
    &["since"],
    &["after"],
    &["following"],
    &["ago"],
];

/// Decides what a time quantity means from the words around it.
fn classify_time(tokens: &[Token], q: &mut Quantity) {
    if q.time_unit.is_none() {
        return;
    }
    let (start, end) = q.tokens;
    // "18 years of age", "65 years old", "18 years of age or older", "18 years and older of any race":
    // an age, however the words around it read.
    let says_age = tokens
        .get(start..end)
        .is_some_and(|ts| ts.iter().any(|t| matches!(t.lower.as_str(), "age" | "old" | "older" | "younger")));
    if says_age || AGE_FILLERS.iter().any(|f| starts_with(tokens, end, f)) {
        q.time_role = Some(TimeRole::Plain);
        return;
    }
    let op_words = q.operator_tokens.map(|(s, e)| tokens[s..e].iter().map(|t| t.lower.as_str()).collect::<Vec<_>>());
    let op_is_within = op_words.as_deref() == Some(&["within"][..]);
    let lead = WITHIN_LEADS
        .iter()
        .filter(|p| start >= p.len() && starts_with(tokens, start - p.len(), p))
        .max_by_key(|p| p.len())
        .map(|p| p.len());
    let anchored = ANCHOR_LEADS.iter().find(|p| starts_with(tokens, end, p));
    let for_lead = start >= 1 && matches!(tokens[start - 1].lower.as_str(), "for" | "lasting" | "duration");
    let lower_bound = matches!(q.operator, Operator::Gt | Operator::Ge);
    q.time_role = Some(if op_is_within || (lead.is_some() && !lower_bound) {
        TimeRole::Within
    } else if for_lead {
        TimeRole::Duration
    } else if anchored.is_some_and(|p| *p == ["of"]) && lower_bound {
        // "at least 8 weeks of metformin": how long, not how long ago.
        TimeRole::Duration
    } else if anchored.is_some() && lower_bound {
        TimeRole::AtLeastAgo
    } else if anchored.is_some_and(|p| *p != ["of"] && *p != ["after"] && *p != ["following"]) {
        TimeRole::Within
    } else {
        TimeRole::Plain
    });
    if let Some(p) = anchored {
        if let Some(lead) = lead {
            q.tokens.0 = start - lead;
        }
        let anchor_start = end + p.len();
        let anchor_end = anchor_extent(tokens, anchor_start);
        if p != &["ago"] && anchor_end > anchor_start {
            q.anchor_tokens = Some((anchor_start, anchor_end));
        }
    } else if let Some(lead) = lead {
        q.tokens.0 = start - lead;
    }
}

/// The reference point after "before"/"prior to": up to six words, stopping at punctuation and
/// conjunctions ("Day 0", "the first administration of Belimumab", "screening").
fn anchor_extent(tokens: &[Token], start: usize) -> usize {
    let mut k = start;
    while k < tokens.len() && k < start + 6 {
        let t = &tokens[k];
        let stop = (t.kind == TokenKind::Symbol && !matches!(t.lower.as_str(), "-" | "'"))
            || matches!(t.lower.as_str(), "or" | "and" | "if" | "unless" | "with" | "for" | "in" | "who" | "that");
        if stop || (k > start && t.start > tokens[k - 1].end + 1) {
            break;
        }
        k += 1;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quantities(s: &str) -> (Vec<Token>, Vec<Quantity>) {
        let chars: Vec<char> = s.chars().collect();
        let tokens = tokenize(&chars);
        let qs = find_quantities(&tokens);
        (tokens, qs)
    }

    fn one(s: &str) -> Quantity {
        let (_, qs) = quantities(s);
        assert_eq!(qs.len(), 1, "{s}: {qs:?}");
        qs.into_iter().next().unwrap()
    }

    #[test]
    fn every_unit_spelling_is_found_by_its_first_token_longest_first() {
        // A spelling without tokens would match anywhere; the index by first token must hold them all.
        assert!(unit_table().iter().all(|e| !e.tokens.is_empty()));
        let indexed: usize = units_by_first_token().values().map(Vec::len).sum();
        assert_eq!(indexed, unit_table().len());
        assert_eq!(one("ALT < 40 mg/dL daily").unit.as_deref(), one("ALT < 40 mg/dL").unit.as_deref());
        assert_eq!(one("creatinine 1.5 mg per day").unit.as_deref(), Some("mg/day"), "the longer spelling wins");
        assert_eq!(one("dose of 20 mg").unit.as_deref(), Some("mg"));
    }

    #[test]
    fn symbols_and_units() {
        let q = one("eGFR<30ml/min");
        assert_eq!((q.operator, q.value, q.unit.as_deref()), (Operator::Lt, 30.0, Some("ml/min")));
        let q = one("IgG<4g/L");
        assert_eq!((q.operator, q.value, q.unit.as_deref()), (Operator::Lt, 4.0, Some("g/l")));
        let q = one("WBC<1.5 × 109/L");
        assert_eq!((q.value, q.unit.as_deref()), (1.5, Some("10^9/l")));
        let q = one("prednisone >/= 10 mg daily");
        assert_eq!((q.operator, q.value, q.unit.as_deref()), (Operator::Ge, 10.0, Some("mg/day")));
    }

    #[test]
    fn word_operators_and_postfixes() {
        assert_eq!(one("less than or equal to 20 mg").operator, Operator::Le);
        assert_eq!(one("no more than 2 times").operator, Operator::Le);
        let q = one("greater than or equal to (>=) 18 years");
        assert_eq!((q.operator, q.value, q.time_role), (Operator::Ge, 18.0, Some(TimeRole::Plain)));
        let q = one("21 years of age or older of both sexes");
        assert_eq!((q.operator, q.time_role), (Operator::Ge, Some(TimeRole::Plain)));
        let q = one("18 years of age or older");
        assert_eq!((q.operator, q.value, q.time_unit), (Operator::Ge, 18.0, Some(TimeUnit::Years)));
        assert_eq!(one("aged 18+").operator, Operator::Ge);
        assert_eq!(one("greater than/equal to 90 %").operator, Operator::Ge);
        assert_eq!(one("equal or greater than 2").operator, Operator::Ge);
        assert_eq!(one("superior or equal to 50").operator, Operator::Ge);
        assert_eq!(one("score >= to 70").operator, Operator::Ge);
        assert_eq!(one("more then 3").operator, Operator::Gt);
        // Comparatives joined with "equal": either order, any joiner, with or without "than"/"to".
        for (text, op) in [
            ("greater than or equal to 5", Operator::Ge),
            ("greater and equal to 5", Operator::Ge),
            ("higher than equals to 5", Operator::Ge),
            ("more than / equal to 5", Operator::Ge),
            ("> or = 5", Operator::Ge),
            ("equal to or less than 5", Operator::Le),
            ("equal or over 5", Operator::Ge),
            ("lower or equal 5", Operator::Le),
            ("up to or equal 5", Operator::Le),
        ] {
            let q = one(text);
            assert_eq!((q.operator, q.value), (op, 5.0), "{text}");
        }
        // "equal" alone is equality, and a postfix after the value overrides it.
        assert_eq!(one("equal to 2 mg").operator, Operator::Eq);
        assert_eq!(one("equal 18 or more years").operator, Operator::Ge);
    }

    #[test]
    fn operators_restated_or_misspelled() {
        // The symbol restated before "to", the symbol with "than", and "great than or equal".
        let q = one("waist greater than or equal (>=) to 94 cm");
        assert_eq!((q.operator, q.value), (Operator::Ge, 94.0));
        let q = one("a Rockall score > than 3");
        assert_eq!((q.operator, q.value), (Operator::Gt, 3.0));
        assert_eq!(one("score < than 12").operator, Operator::Lt);
        let q = one("volume great than or equal to 40 mL");
        assert_eq!((q.operator, q.value), (Operator::Ge, 40.0));
        // "great" alone is no operator.
        assert!(quantities("a great 40 mL").1.iter().all(|q| q.operator != Operator::Gt));
    }

    #[test]
    fn ranges() {
        let q = one("Age 5-18 years old");
        assert_eq!(
            (q.operator, q.value, q.value_high, q.unit.as_deref()),
            (Operator::Range, 5.0, Some(18.0), Some("years"))
        );
        let q = one("between 18 and 65 years");
        assert_eq!((q.value, q.value_high), (18.0, Some(65.0)));
        let q = one("ECOG 0~2");
        assert_eq!((q.value, q.value_high), (0.0, Some(2.0)));
    }

    #[test]
    fn multiples_of_normal() {
        let (_, qs) = quantities("ALT or AST >2ULN,or ALP or TBil >1.5ULN");
        assert_eq!(qs.len(), 2);
        assert!(qs.iter().all(|q| q.uln_multiple));
        assert_eq!(qs[1].value, 1.5);
        let q = one("> 2.5 times the upper limit of normal");
        assert!(q.uln_multiple);
        assert_eq!(q.value, 2.5);
    }

    #[test]
    fn time_windows() {
        let q = one("rituximab within six months");
        assert_eq!((q.time_role, q.value), (Some(TimeRole::Within), 6.0));
        let (tokens, qs) = quantities("in the 30 days before Day 0");
        assert_eq!(qs[0].time_role, Some(TimeRole::Within));
        let (s, e) = qs[0].anchor_tokens.unwrap();
        assert_eq!(tokens[s..e].iter().map(|t| t.lower.as_str()).collect::<Vec<_>>(), ["day", "0"]);
        assert_eq!(one("at least 4 weeks prior to screening").time_role, Some(TimeRole::AtLeastAgo));
        assert_eq!(one("for more than 3 months").time_role, Some(TimeRole::Duration));
        assert_eq!(one("life expectancy > 6 months").time_role, Some(TimeRole::Plain));
    }

    #[test]
    fn plain_numbers_are_not_quantities() {
        assert!(quantities("type 2 diabetes mellitus or COVID-19").1.is_empty());
        assert!(quantities("one of the following").1.is_empty());
    }
}
