//! Names of tests and scales no vocabulary lists, read from where they stand: right before a
//! threshold.
//!
//! Laboratory lists name each test once and give its limit ("Amylase ≤ 1.5 × ULN", "TSAT ≥ 15 %",
//! "Granulocytes ≥ 1,500/µl"), and clinical scales are written "<name> score ≥ N" ("Gleason score
//! of 6 or more", "MIDAS score ≥ 11"). The words in that position name what the threshold is about
//! even when the vocabulary does not know them, so they become a measurement mention without a
//! concept (the matcher compares it by name, `TEXT:<words>`). Counts and shares are also written the
//! other way round, the threshold first: "≥ 6 swollen joints", "Greater than 5% blasts in the bone
//! marrow", "At least one bowel movement per day". Every position read is anchored on an explicit
//! comparison operator, so ordinary sentences ("Patients > 18 years") are not mistaken for tests.

use crate::quantity::Quantity;
use crate::recognize::Mention;
use crate::text::{Token, TokenKind, WordSet};
use eligo_model::EntityType;

/// Words that cannot open or stand inside a test name: people, function words, verbs and
/// quantity words ("Patients > 18 years", "Must have ≥ 2 lesions", "At least 3 ...").
static NOT_NAME_WORDS: WordSet = WordSet::new(
    "patient patients subject subjects participant participants people person persons individuals men \
     women male males female females children child adults adult infants aged age ages years year old \
     at least most no not any all the a an and or with without who which that must should shall will \
     may can have has had be is are was were been being having more less greater fewer than equal \
     above below over under up to from between within for of in on by if each every one two three \
     total number minimum maximum measured documented known confirmed diagnosed expected weighing \
     weighed weigh weighs receiving received taking using use previous prior current recent \
     duration time period interval history size diameter longest dimension lesion lesions tumor \
     tumour tumors tumours node nodes mass masses",
);

/// Words that link a name to its threshold ("HbA1c level of ≤ 9 %", "score is ≥ 4", "ALT: ≤ 3 ULN",
/// "score that is ≥ 19").
static LINKERS: WordSet = WordSet::new("of is was that : =");

/// Heads of a scale or count name ("Gleason score", "Charlson comorbidity index", "NPI agitation
/// subscale").
static SCALE_HEADS: WordSet = WordSet::new("score scores scale subscale subscore index count level levels");

/// Most tokens a test name spans.
const MAX_NAME_TOKENS: usize = 6;

/// Measurement mentions (token ranges) for unknown test names before a threshold; `covered` says
/// whether a token already belongs to a mention or cue.
pub(crate) fn unnamed_tests(
    chars: &[char],
    tokens: &[Token],
    quantities: &[Quantity],
    covered: impl Fn(usize) -> bool,
) -> Vec<(Mention, (usize, usize))> {
    let mut out: Vec<(Mention, (usize, usize))> = Vec::new();
    for q in quantities.iter().filter(|q| q.operator_tokens.is_some() && q.time_unit.is_none()) {
        let end = name_end(tokens, q.tokens.0);
        let symbol_operator = q.operator_tokens.is_some_and(|(s, _)| tokens[s].kind == TokenKind::Symbol);
        let found = line_opening_name(tokens, end, &covered)
            .or_else(|| scale_name(chars, tokens, end, &covered))
            .or_else(|| symbol_operator.then(|| abbreviation_name(chars, tokens, end, &covered)).flatten())
            .or_else(|| bracketed_abbreviation(chars, tokens, end, &covered))
            .or_else(|| scored_on(tokens, q).and_then(|at| instrument_title(chars, tokens, at, &covered)))
            .or_else(|| counted_name(tokens, q, &covered));
        let found = found.filter(|&(s, e)| !is_bare_rank(&tokens[s..e]));
        if let Some(range) = found.filter(|r| !out.iter().any(|(_, o)| o.0 < r.1 && r.0 < o.1)) {
            out.push(unnamed_measurement(tokens, range));
        }
    }
    if out.is_empty() {
        out.extend(limit_named_test(tokens, &covered).map(|range| unnamed_measurement(tokens, range)));
    }
    out
}

/// A measurement mention without a concept over the tokens `s..e`.
fn unnamed_measurement(tokens: &[Token], (s, e): (usize, usize)) -> (Mention, (usize, usize)) {
    let mention = Mention {
        kind: EntityType::Measurement,
        start: tokens[s].start,
        end: tokens[e - 1].end,
        concept: None,
        concept_ids: Vec::new(),
        elliptical: false,
    };
    (mention, (s, e))
}

/// Words between a name and a limit named in words: operators, "than", "the", "within",
/// "institutional" ("Lactic dehydrogenase greater than the upper limit of normal", "Serum Ca ≤
/// ULN", "Total protein within normal institutional limits").
static LIMIT_LEADS: WordSet = WordSet::new(
    "greater more higher above over exceeding exceeds elevated less lower below under than or equal to the \
     within institutional institution's at is are must be remain < > ≤ ≥ =",
);

/// Words after "normal" that make it a limit, or none at all ("Serum total protein normal").
static AFTER_NORMAL: WordSet = WordSet::new("limits limit range ranges values value levels level ; . , (");

/// A name that opens the criterion and stands right before a limit named in words, with no number:
/// "Lactic dehydrogenase greater than upper limit of normal", "Serum total protein normal". The
/// limit is read by `computable::normal_limit`; here it only anchors the name, as an operator does
/// for a threshold.
fn limit_named_test(tokens: &[Token], covered: &impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let limit_at = (0..tokens.len()).find(|&k| is_limit_word(tokens, k))?;
    let mut end = limit_at;
    while end > 0 && LIMIT_LEADS.contains(&tokens[end - 1].lower) {
        end -= 1;
    }
    line_opening_name(tokens, end, covered)
        .filter(|&(s, e)| !tokens[s..e].iter().any(|t| JUDGED_WHOLES.contains(&t.lower)))
}

/// Words that make a name an organ's function, an examination or a panel rather than one test:
/// "Hepatic function normal" and "Physical examination within normal limits" are judged as a
/// whole by the protocol's terms (`crate::screening`), not compared with one limit.
static JUDGED_WHOLES: WordSet = WordSet::new(
    "function functions functioning reserve values parameters tests results labs laboratory organ organs exam \
     examination examinations findings profile panel status signs assessment assessments studies",
);

/// Whether token `k` names a limit of normal: "ULN", "LLN", "WNL", "upper/lower limit", "normal
/// limits", or "normal" ending the phrase.
fn is_limit_word(tokens: &[Token], k: usize) -> bool {
    let next = tokens.get(k + 1).map(|n| n.lower.as_str());
    match tokens[k].lower.as_str() {
        "uln" | "lln" | "wnl" | "unl" => true,
        "upper" | "lower" => matches!(next, Some("limit" | "limits" | "normal")),
        "normal" => next.is_none_or(|n| AFTER_NORMAL.contains(n)),
        _ => false,
    }
}

/// Words that rank a disease rather than name a test: "Grade 2 or greater neuropathy" bounds the
/// grade of the neuropathy after it, "Stage ≥ II" the stage of the trial's disease.
static RANK_WORDS: WordSet = WordSet::new("grade grades stage stages class");

/// Whether a would-be name is a rank word alone.
fn is_bare_rank(name: &[Token]) -> bool {
    matches!(name, [t] if RANK_WORDS.contains(&t.lower))
}

/// Where a name before the threshold starting at token `at` ends: linking words skipped.
fn name_end(tokens: &[Token], at: usize) -> usize {
    let mut end = at;
    while end > 0 && LINKERS.contains(&tokens[end - 1].lower) {
        end -= 1;
    }
    end
}

/// Whether a token may stand in a test name: a word that is not a function word, a hyphen or slash
/// inside a name ("CGI-S", "AST/ALT"), or a bracket around an abbreviation.
fn name_token(t: &Token) -> bool {
    match t.kind {
        TokenKind::Word => !NOT_NAME_WORDS.contains(&t.lower) && !is_tnm(&t.lower),
        TokenKind::Symbol => matches!(t.lower.as_str(), "-" | "/" | "(" | ")" | "[" | "]"),
        TokenKind::Number => false,
    }
}

/// A TNM stage word ("T1", "pN0", "cT2", "M1a", "Nx", "Tis"): a stage before a size, not a test.
fn is_tnm(word: &str) -> bool {
    let word = word.strip_prefix(['c', 'p', 'y', 'r']).filter(|w| w.len() >= 2).unwrap_or(word);
    let mut chars = word.chars();
    matches!(chars.next(), Some('t' | 'n' | 'm'))
        && (chars.as_str().starts_with(|c: char| c.is_ascii_digit() || c == 'x') || chars.as_str() == "is")
        && chars.as_str().len() <= 3
}

/// A name that opens the criterion and runs up to the threshold: "Amylase ≤ 1.5 × ULN".
fn line_opening_name(tokens: &[Token], end: usize, covered: &impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let start = tokens.iter().position(|t| t.kind != TokenKind::Symbol)?;
    let fits = end > start
        && end - start <= MAX_NAME_TOKENS
        && tokens[start].kind == TokenKind::Word
        && tokens[end - 1].lower != "("
        && balanced(&tokens[start..end])
        && (start..end).all(|i| name_token(&tokens[i]) && !covered(i));
    fits.then_some((start, end))
}

/// Words after a number that are no counted thing: units the quantity reader does not know
/// ("2200 grams"), lines and courses of therapy (read as prior therapy), and pointers back ("1 of
/// these regimens").
static NOT_COUNTED: WordSet = WordSet::new(
    "gram grams g kg mg ml cc cm mm degree degrees line lines dose doses cycle cycles course courses regimen \
     regimens these those this that them",
);

/// Most words a counted name spans ("swollen joints", "leukemic blasts").
const MAX_COUNTED_WORDS: usize = 3;

/// The name after a threshold that opens the criterion, as a count or share is written: "≥ 6
/// swollen joints", "Greater than 5% blasts in the bone marrow", "More than 200 mg of monoclonal
/// protein". Only a count, a percentage or an amount with "of" is followed by what it counts.
fn counted_name(tokens: &[Token], q: &Quantity, covered: &impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let opens_line = tokens[..q.tokens.0].iter().all(|t| t.kind == TokenKind::Symbol);
    let mut start = q.tokens.1;
    let unit_of = tokens.get(start).is_some_and(|t| t.lower == "of");
    let counts = match q.unit.as_deref() {
        None | Some("%") => true,
        Some(_) => unit_of,
    };
    if !opens_line || !counts {
        return None;
    }
    start += usize::from(unit_of);
    if tokens.get(start).is_none_or(|t| NOT_COUNTED.contains(&t.lower)) {
        return None;
    }
    let mut end = start;
    while end < tokens.len()
        && end - start < MAX_COUNTED_WORDS
        && tokens[end].kind == TokenKind::Word
        && name_token(&tokens[end])
        && !covered(end)
    {
        end += 1;
    }
    let followed_by_name = tokens.get(end).is_none_or(|t| t.kind != TokenKind::Word || !name_token(t));
    (end > start && followed_by_name).then_some((start, end))
}

/// Most lower-case words between a scale's proper name and its head ("PANSS positive subscale
/// score").
const MAX_SUBSCALE_WORDS: usize = 2;

/// A scale head before the threshold with the proper name before it: "Gleason score ≥ 6",
/// "CGI-S score of ≥ 4", "ACQ-7 score ≥ 1.5". The name words are written with a capital or are
/// abbreviations; a subscale's own words may stand between the name and the head, lower-case
/// ("PANSS negative subscale score > 20"), when a proper name comes before them.
fn scale_name(
    chars: &[char],
    tokens: &[Token],
    end: usize,
    covered: &impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let head = end.checked_sub(1)?;
    if !SCALE_HEADS.contains(&tokens[head].lower) || covered(head) {
        return None;
    }
    let subscale_word = |i: usize| tokens[i].kind == TokenKind::Word && name_token(&tokens[i]) && !covered(i);
    let mut inner = head;
    loop {
        let start = proper_name_start(chars, tokens, inner, covered);
        if start < inner {
            return (!names_an_item(tokens, (start, head))).then_some((start, end));
        }
        if head - inner == MAX_SUBSCALE_WORDS || inner == 0 || !subscale_word(inner - 1) {
            return None;
        }
        inner -= 1;
    }
}

/// Words before a value that make it a score ("a score of ≥ 12", "patients scoring > 4").
static SCORE_WORDS: WordSet = WordSet::new("score scores scoring scored");

/// Whether `q` is a score on the instrument named at `name` (a token range), written after the
/// value: "a score of ≥ 12 on the Epworth Sleepiness Scale", "scoring > 4 on PANSS". A single item
/// of the instrument ("on the HAM-D item 3") is not its score.
pub(crate) fn is_score_on(tokens: &[Token], q: &Quantity, name: (usize, usize)) -> bool {
    scored_on(tokens, q) == Some(name.0) && !names_an_item(tokens, name)
}

/// Whether a name, or the word right after it, is an instrument's item ("PANSS item G8", "Item 12
/// of the QIDS", "Thought Content item scores"): an item's score is not the instrument's.
fn names_an_item(tokens: &[Token], (start, end): (usize, usize)) -> bool {
    tokens
        .get(start..=end.min(tokens.len().saturating_sub(1)))
        .is_some_and(|name| name.iter().any(|t| t.lower == "item" || t.lower == "items"))
}

/// Where the instrument a score is on is named, after the value: "a score of ≥ 12 on the Epworth
/// Sleepiness Scale", "scoring > 4 on PANSS", "a score ≥ 18 on the 17-item HAM-D" (the count of
/// items is the instrument's version, not its name). `None` when the value is not a score written
/// that way.
fn scored_on(tokens: &[Token], q: &Quantity) -> Option<usize> {
    let scored = tokens[q.tokens.0.saturating_sub(3)..q.tokens.0].iter().any(|t| SCORE_WORDS.contains(&t.lower));
    let word_at = |at: usize, words: &[&str]| tokens.get(at).is_some_and(|t| words.contains(&t.lower.as_str()));
    if !scored || !word_at(q.tokens.1, &["on", "in"]) {
        return None;
    }
    let mut at = q.tokens.1 + 1;
    if word_at(at, &["the", "a", "an"]) {
        at += 1;
    }
    if tokens.get(at).is_some_and(|t| t.kind == TokenKind::Number)
        && word_at(at + 1, &["-"])
        && word_at(at + 2, &["item"])
    {
        at += 3;
    }
    Some(at)
}

/// Words that join the capitalised words of an instrument's title ("Clinical Institute Withdrawal
/// Assessment for Alcohol", "Clinical Global Impression of Severity").
static TITLE_LINKS: WordSet = WordSet::new("of for and");

/// Most tokens an instrument's title spans, its abbreviation in brackets included.
const MAX_TITLE_TOKENS: usize = 12;

/// The instrument's title starting at token `at`: capitalised words and abbreviations, joined by
/// hyphens, "of", "for", "and", with a version number ("ACQ-7") and an abbreviation in brackets
/// ("Brief Fatigue Inventory (BFI)"). A single item of an instrument ("PANSS item G8", "Item 12 of
/// the QIDS") is not the instrument's score, so a title next to "item" is not read.
fn instrument_title(
    chars: &[char],
    tokens: &[Token],
    at: usize,
    covered: &impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let capital = |i: usize| {
        tokens.get(i).is_some_and(|t| {
            t.kind == TokenKind::Word && chars.get(t.start).is_some_and(|c| c.is_uppercase()) && name_token(t)
        })
    };
    let mut end = at;
    while end < tokens.len() && end - at < MAX_TITLE_TOKENS && !covered(end) {
        let t = &tokens[end];
        let fits = match t.kind {
            TokenKind::Word if TITLE_LINKS.contains(&t.lower) => capital(end + 1),
            TokenKind::Word => capital(end),
            TokenKind::Symbol => matches!(t.lower.as_str(), "-" | "(" | ")" | "/"),
            TokenKind::Number => version_number(tokens, end),
        };
        if !fits {
            break;
        }
        end += 1;
    }
    while end > at && (tokens[end - 1].kind == TokenKind::Symbol && tokens[end - 1].lower != ")") {
        end -= 1;
    }
    if end > at && !balanced(&tokens[at..end]) && tokens[end - 1].lower == ")" {
        end -= 1;
    }
    let fits = end > at && capital(at) && balanced(&tokens[at..end]) && !names_an_item(tokens, (at, end));
    fits.then_some((at, end))
}

/// Whether the number at `at` is part of a name, right after a hyphen glued to a word: "ACQ-7",
/// "PHQ-9", "BIS-11".
fn version_number(tokens: &[Token], at: usize) -> bool {
    at >= 2
        && tokens[at - 1].lower == "-"
        && tokens[at - 1].end == tokens[at].start
        && tokens[at - 2].kind == TokenKind::Word
        && tokens[at - 2].end == tokens[at - 1].start
}

/// An abbreviation or proper name right before a symbol operator: "BASDAI ≥ 4", "assessed by
/// PPBC ≥ 3", "Patients with IOP > 30 mmHg". Only names written with a capital count, so common
/// words before a number ("tumours > 2 cm") are not tests.
fn abbreviation_name(
    chars: &[char],
    tokens: &[Token],
    end: usize,
    covered: &impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let start = proper_name_start(chars, tokens, end, covered);
    (start < end && tokens[start].kind == TokenKind::Word).then_some((start, end))
}

/// An abbreviation in brackets right before the threshold, or before its scale head, after a name
/// written in lower case: "intelligence quotient (IQ) > 79", "clinical global impression-severity
/// (CGI-S) score ≥ 3". The abbreviation names the test.
fn bracketed_abbreviation(
    chars: &[char],
    tokens: &[Token],
    end: usize,
    covered: &impl Fn(usize) -> bool,
) -> Option<(usize, usize)> {
    let mut close = end.checked_sub(1)?;
    if SCALE_HEADS.contains(&tokens[close].lower) {
        close = close.checked_sub(1)?;
    }
    if tokens[close].lower != ")" || covered(close) {
        return None;
    }
    let start = proper_name_start(chars, tokens, close, covered);
    // After words: "Visit 1 (V1)" names a visit, not a test.
    let opens = start.checked_sub(1).is_some_and(|open| {
        tokens[open].lower == "(" && open.checked_sub(1).is_some_and(|w| tokens[w].kind == TokenKind::Word)
    });
    (start < close && opens).then_some((start, close))
}

/// The first token of a run of proper-name tokens ending before `end`: words with a capital
/// anywhere ("Gleason", "mMRC", "CGI"), hyphens between them, version numbers ("ACQ-7") and
/// brackets around abbreviations.
fn proper_name_start(chars: &[char], tokens: &[Token], end: usize, covered: &impl Fn(usize) -> bool) -> usize {
    let has_capital = |t: &Token| chars.get(t.start..t.end).is_some_and(|cs| cs.iter().any(|c| c.is_uppercase()));
    let mut start = end;
    while start > 0 && end - start < MAX_NAME_TOKENS {
        let t = &tokens[start - 1];
        let named = match t.kind {
            TokenKind::Word => has_capital(t) && name_token(t),
            TokenKind::Symbol => matches!(t.lower.as_str(), "-" | "(" | ")"),
            TokenKind::Number => version_number(tokens, start - 1),
        };
        if !named || covered(start - 1) {
            break;
        }
        start -= 1;
    }
    // Never start on a symbol ("-S score", "(mMRC) score"), and keep brackets balanced.
    while start < end && (tokens[start].kind == TokenKind::Symbol || !balanced(&tokens[start..end])) {
        start += 1;
    }
    start
}

/// Whether brackets in a name are balanced ("Pulse oximetry (SpO2)"), so a name never takes half
/// of a bracket.
fn balanced(tokens: &[Token]) -> bool {
    let opens = tokens.iter().filter(|t| t.lower == "(" || t.lower == "[").count();
    let closes = tokens.iter().filter(|t| t.lower == ")" || t.lower == "]").count();
    opens == closes
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Operator};

    fn lab_test(text: &str) -> Option<(String, Operator, f64)> {
        parse_criteria(text).into_iter().flat_map(|c| c.computable).find_map(|c| match c {
            Computable::Lab { test, comparison, .. } => Some((test.id, comparison.operator, comparison.value)),
            _ => None,
        })
    }

    #[test]
    fn a_lab_line_names_its_test_before_the_threshold() {
        assert_eq!(
            lab_test("Serum osmolality ≥ 280 mOsm/kg"),
            Some(("TEXT:serum osmolality".into(), Operator::Ge, 280.0))
        );
        let found = lab_test("Tiffeneau index (TI) < 0.7");
        assert_eq!(found, Some(("TEXT:tiffeneau index (ti)".into(), Operator::Lt, 0.7)));
    }

    #[test]
    fn a_named_scale_before_a_threshold_is_a_test() {
        let found = lab_test("Subjects with a Hamilton score of ≥ 18 at baseline");
        assert_eq!(found, Some(("TEXT:hamilton score".into(), Operator::Ge, 18.0)));
    }

    #[test]
    fn an_abbreviation_before_a_symbol_operator_is_a_test() {
        let found = lab_test("Active disease assessed by QXRS ≥ 4 at baseline");
        assert_eq!(found, Some(("TEXT:qxrs".into(), Operator::Ge, 4.0)));
        let found = lab_test("Medical Research Council (mMRC) score ≥ 1");
        assert_eq!(found, Some(("TEXT:medical research council (mmrc) score".into(), Operator::Ge, 1.0)));
        // After a name in lower case, the abbreviation in brackets names the test.
        let found = lab_test("Subjects with a sleep efficiency quotient (SEQ) score of at least 60");
        assert_eq!(found, Some(("TEXT:seq".into(), Operator::Ge, 60.0)));
        assert_eq!(lab_test("Reaction time (RT) < 300"), Some(("TEXT:rt".into(), Operator::Lt, 300.0)));
        assert_eq!(lab_test("A nasal polyp grade at Day 3 (D3) of at least 5"), None);
    }

    #[test]
    fn an_instrument_is_named_with_its_version_and_subscale_words() {
        let found = lab_test("Patients with QRT-9 score ≥ 2.5 at the first visit");
        assert_eq!(found, Some(("TEXT:qrt-9 score".into(), Operator::Ge, 2.5)));
        let found = lab_test("Has an overall ZDRS cluster subscale score > 12");
        assert_eq!(found, Some(("TEXT:zdrs cluster subscale score".into(), Operator::Gt, 12.0)));
        let found = lab_test("Wakefulness Rating Scale (WRS) score that is at least 7");
        assert_eq!(found, Some(("TEXT:wakefulness rating scale (wrs) score".into(), Operator::Ge, 7.0)));
        // Lower-case words alone before a head are no proper name.
        assert_eq!(lab_test("A positive gene signature score ≥ 3"), None);
    }

    #[test]
    fn an_instrument_named_after_the_score_on_it_is_the_test() {
        let found = lab_test("A score of 15 or more on the Morning Fatigue Scale (MFS) at screening");
        assert_eq!(found, Some(("TEXT:morning fatigue scale (mfs)".into(), Operator::Ge, 15.0)));
        let found = lab_test("Patients scoring < 8 on the Clinical Inventory of Mood and Energy");
        assert_eq!(found, Some(("TEXT:clinical inventory of mood and energy".into(), Operator::Lt, 8.0)));
        // The name is kept as written, for the question that asks for it.
        let name = parse_criteria("A score > 4 on the Morning Fatigue Scale")
            .into_iter()
            .flat_map(|c| c.computable)
            .find_map(|c| match c {
                Computable::Lab { test, .. } => Some(test.name),
                _ => None,
            });
        assert_eq!(name.as_deref(), Some("Morning Fatigue Scale"));
        // One item of an instrument is not its score.
        assert_eq!(lab_test("A score ≥ 3 on the ZDRS item G8"), None);
        assert_eq!(lab_test("A score of 3 or more on the HAM-D item 2"), None);
        assert_eq!(lab_test("A score ≥ 3 on Item 12 of the Morning Fatigue Scale"), None);
    }

    #[test]
    fn a_count_or_share_names_what_it_counts_after_the_threshold() {
        assert_eq!(
            lab_test("≥ 4 tender knuckles at baseline"),
            Some(("TEXT:tender knuckles".into(), Operator::Ge, 4.0))
        );
        let found = lab_test("Greater than 10% promyelocytes in the marrow");
        assert_eq!(found, Some(("TEXT:promyelocytes".into(), Operator::Gt, 10.0)));
        assert_eq!(lab_test("At least 12 weeks"), None);
        assert_eq!(lab_test("More than 2 lines of prior therapy"), None);
        assert_eq!(lab_test("At least 1 of these regimens contained a taxane"), None);
        assert_eq!(lab_test("18 or older."), None);
    }

    #[test]
    fn people_and_sizes_before_a_number_are_not_tests() {
        assert_eq!(lab_test("Patients > 18 years"), None);
        assert_eq!(lab_test("Tumor > 2 cm in diameter"), None);
        assert_eq!(lab_test("At least 3 prior regimens"), None);
        assert_eq!(lab_test("cT2 N1 > 3 cm"), None);
    }

    /// Every lab reading of a text: (test id, operator, value, unit).
    fn labs(text: &str) -> Vec<(String, Operator, f64, Option<String>)> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. } => {
                    Some((test.id, comparison.operator, comparison.value, comparison.unit))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_name_before_a_limit_in_words_is_a_test() {
        let uln = Some("uln".to_string());
        assert_eq!(
            labs("Serum osmolality greater than the upper limit of normal"),
            vec![("TEXT:serum osmolality".into(), Operator::Gt, 1.0, uln.clone())]
        );
        assert_eq!(
            labs("Plasma renin activity normal"),
            vec![("TEXT:plasma renin activity".into(), Operator::Le, 1.0, uln)]
        );
        // An organ's function or an examination is judged as a whole, and a line that opens on
        // "normal" names no test.
        assert!(labs("Hepatic function within normal limits").is_empty());
        assert!(labs("Physical examination normal").is_empty());
        assert!(labs("Normal heart function").is_empty());
        assert!(labs("Normal sinus rhythm").is_empty());
    }

    #[test]
    fn tests_named_in_other_spellings_are_the_vocabulary_s() {
        let id = |text: &str| labs(text).first().map(|(id, ..)| id.clone());
        assert_eq!(id("Lactic dehydrogenase above 2 x ULN").as_deref(), Some("ELIGO:lab.ldh"));
        assert_eq!(id("CA 19-9 ≤ 3 times the upper limit of normal").as_deref(), Some("ELIGO:lab.ca19_9"));
        assert_eq!(id("Six-minute walk distance (6MWD) ≥ 200 m").as_deref(), Some("ELIGO:vital.six_mwd"));
        assert_eq!(id("Neutrophil to lymphocyte ratio < 4").as_deref(), Some("ELIGO:lab.nlr"));
        assert_eq!(id("Serum Cr within normal limits").as_deref(), Some("ELIGO:lab.creatinine"));
        assert_eq!(id("Serum M-protein ≥ 1 g/dL").as_deref(), Some("ELIGO:lab.m_protein"));
    }

    #[test]
    fn a_value_outside_the_normal_range_is_on_either_side_of_it() {
        let read = labs("Serum magnesium outside the normal reference range");
        let sides: Vec<(Operator, Option<String>)> = read.into_iter().map(|(_, op, _, unit)| (op, unit)).collect();
        assert_eq!(
            sides,
            vec![(Operator::Gt, Some("uln".into())), (Operator::Lt, Some(eligo_model::LOWER_LIMIT_UNIT.into()))]
        );
        assert_eq!(labs("Platelet (PLT) count outside the normal laboratory range").len(), 2);
        assert!(labs("Serum magnesium outside 2 x the upper normal range").is_empty());
        // A limit in words after "≥" is a lower bound, never "≤ ULN".
        let above = labs("Calcitonin is ≥ ULN unless explained");
        assert_eq!(above.first().map(|(_, op, v, _)| (*op, *v)), Some((Operator::Ge, 1.0)));
        // A vital sign has no limits of normal: nothing is read rather than "≤ ULN".
        assert!(labs("Heart rate outside the normal range").is_empty());
    }

    #[test]
    fn a_grade_or_stage_alone_is_no_test() {
        assert_eq!(lab_test("Grade 3 or higher hearing loss"), None);
        assert_eq!(lab_test("Stage >= 2 at diagnosis"), None);
        assert!(lab_test("Gleason grade group >= 2").is_some());
    }
}
