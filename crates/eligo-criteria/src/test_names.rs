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

/// Words that link a name to its threshold ("HbA1c level of ≤ 9 %", "score is ≥ 4", "ALT: ≤ 3 ULN").
static LINKERS: WordSet = WordSet::new("of is was : =");

/// Heads of a scale or count name ("Gleason score", "Charlson comorbidity index").
static SCALE_HEADS: WordSet = WordSet::new("score scores scale index count level levels");

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
            .or_else(|| counted_name(tokens, q, &covered));
        if let Some((s, e)) = found.filter(|r| !out.iter().any(|(_, o)| o.0 < r.1 && r.0 < o.1)) {
            let mention = Mention {
                kind: EntityType::Measurement,
                start: tokens[s].start,
                end: tokens[e - 1].end,
                concept: None,
                concept_ids: Vec::new(),
            };
            out.push((mention, (s, e)));
        }
    }
    out
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

/// A scale head before the threshold with the proper name before it: "Gleason score ≥ 6",
/// "CGI-S score of ≥ 4". The name words are written with a capital or are abbreviations.
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
    let start = proper_name_start(chars, tokens, head, covered);
    (start < head).then_some((start, end))
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

/// The first token of a run of proper-name tokens ending before `end`: words with a capital
/// anywhere ("Gleason", "mMRC", "CGI"), hyphens between them and brackets around abbreviations.
fn proper_name_start(chars: &[char], tokens: &[Token], end: usize, covered: &impl Fn(usize) -> bool) -> usize {
    let has_capital = |t: &Token| chars.get(t.start..t.end).is_some_and(|cs| cs.iter().any(|c| c.is_uppercase()));
    let mut start = end;
    while start > 0 && end - start < MAX_NAME_TOKENS {
        let t = &tokens[start - 1];
        let named = match t.kind {
            TokenKind::Word => has_capital(t),
            TokenKind::Symbol => matches!(t.lower.as_str(), "-" | "(" | ")"),
            TokenKind::Number => false,
        };
        if !named || !name_token(t) || covered(start - 1) {
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
}
