//! TNM stages: "T3-4, N0 or NX, M0", "cT2-4NanyM0", "pN0 or pN1", "any T, N3, M0".
//!
//! A TNM expression is a stage of a cancer written by its three dimensions (tumour, nodes,
//! metastasis). It is read as one stage qualifier whose value is the expression as written, so that
//! a line that states only a TNM stage qualifies the trial's own disease (`own_disease`) and one
//! beside a named cancer qualifies it. Records do not carry TNM stages as qualifiers, so such a
//! reading is never met or contradicted by a record's stage number: the patient is asked ("Is your
//! prostate cancer T3-4, N0 or NX, M0?").
//!
//! The letters alone are ambiguous ("free T4" is thyroxine, "T2 sequences" an MRI weighting, "M1
//! marrow" a marrow grade), so an expression is read only when it names two dimensions ("T2 N0"),
//! lists or ranges one ("N0, N1 or N2", "T1-3"), carries a clinical or pathological prefix ("cN0",
//! "pT1"), or follows a staging word ("clinical stage < T3").

use eligo_model::QualifierKind;

use crate::scope::QualifierCue;
use crate::text::{Token, TokenKind, WordSet};

/// Words after which one T, N or M value is a stage ("clinical stage T3", "nodal status N1").
static STAGING_WORDS: WordSet = WordSet::new("stage staging tnm ajcc uicc nodal node nodes clinical pathological");

/// Words after an expression that make the letters an MRI weighting, not a stage ("T1 or T2
/// weighted images").
static IMAGING_WORDS: WordSet =
    WordSet::new("weighted weighting sequence sequences image images imaging hyperintense hyperintensity signal");

/// Tokens that join the parts of an expression ("T1, N1-3 or", "T1c/N0").
const JOINERS: &[&str] = &[",", "or", "and", "/", "-"];

/// Operators a stage may be compared with ("< T3").
const OPERATORS: &[&str] = &["<", ">", "≤", "≥"];

/// Every TNM expression in the tokens, as stage qualifiers carrying the expression as written.
pub(crate) fn tnm_stages(chars: &[char], tokens: &[Token]) -> Vec<QualifierCue> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        match expression_at(tokens, at) {
            Some(found) => {
                let end = found.end;
                if found.is_a_stage(tokens) {
                    out.push(cue(chars, tokens, &found));
                }
                at = end;
            }
            None => at += 1,
        }
    }
    out
}

/// One run of TNM parts.
struct Expression {
    start: usize,
    end: usize,
    /// Which of T, N and M it names (bits 1, 2, 4).
    dimensions: u8,
    /// How many parts it writes.
    parts: usize,
    prefixed: bool,
    ranged: bool,
}

impl Expression {
    fn is_a_stage(&self, tokens: &[Token]) -> bool {
        let imaging = tokens.get(self.end).is_some_and(|t| IMAGING_WORDS.contains(&t.lower));
        let named_as_stage =
            tokens[self.start.saturating_sub(3)..self.start].iter().any(|t| STAGING_WORDS.contains(&t.lower));
        let shaped = self.dimensions.count_ones() >= 2 || self.parts >= 2 || self.prefixed || self.ranged;
        !imaging && (shaped || named_as_stage)
    }
}

/// The expression that starts at token `at`, if one does.
fn expression_at(tokens: &[Token], at: usize) -> Option<Expression> {
    let (first_len, first) = part_at(tokens, at)?;
    let mut found = Expression {
        start: at,
        end: at + first_len,
        dimensions: first.dimensions,
        parts: 1,
        prefixed: first.prefixed,
        ranged: false,
    };
    let mut k = found.end;
    while let Some(t) = tokens.get(k) {
        if let Some((len, part)) = part_at(tokens, k) {
            found.dimensions |= part.dimensions;
            found.parts += 1;
            found.prefixed |= part.prefixed;
            k += len;
            found.end = k;
        } else if t.lower == "-" && range_tail(tokens, k + 1) {
            // "T1-3", "T4a-d", "N0-3M0": the tail may carry the next part glued to it.
            found.ranged = true;
            k += 2;
            found.end = k;
        } else if JOINERS.contains(&t.lower.as_str()) {
            k += 1;
        } else {
            break;
        }
    }
    // An operator before a single stage is part of it ("< T3").
    if at > 0 && tokens.get(at - 1).is_some_and(|t| OPERATORS.contains(&t.lower.as_str())) {
        found.start = at - 1;
    }
    Some(found)
}

/// Whether the token after a range's hyphen ends it: a small number ("3"), a letter ("d"), or
/// either glued to the next part ("4bn0" is read from "4b" and "N0" by the tokenizer as "4" and
/// "bn0").
fn range_tail(tokens: &[Token], at: usize) -> bool {
    let Some(t) = tokens.get(at) else { return false };
    match t.kind {
        TokenKind::Number => t.lower.parse::<u8>().is_ok_and(|n| n <= 4),
        TokenKind::Word => {
            let mut chars = t.lower.chars();
            matches!((chars.next(), chars.next()), (Some('a'..='d'), None)) || part_letters(&t.lower).is_some()
        }
        TokenKind::Symbol => false,
    }
}

/// What one part of an expression says.
#[derive(Clone, Copy)]
struct Part {
    dimensions: u8,
    prefixed: bool,
}

/// The part at token `at` and how many tokens it takes: a word of TNM parts ("t3", "cn0",
/// "t1n1m0", "nany"), "any" before a letter ("any N"), or a stage letter glued to a number
/// before it ("4" "bn0").
fn part_at(tokens: &[Token], at: usize) -> Option<(usize, Part)> {
    let t = tokens.get(at)?;
    if t.lower == "any" {
        let next = tokens.get(at + 1)?;
        let dimensions = dimension(next.lower.as_str())?;
        return Some((2, Part { dimensions, prefixed: false }));
    }
    if t.kind != TokenKind::Word {
        return None;
    }
    part_letters(&t.lower).or_else(|| part_letters(after_sub_letter(tokens, at)?)).map(|part| (1, part))
}

/// A word without the sub-letter of the range before it: "bn0" of "T2-4bN0", which the tokenizer
/// splits into "4" and "bn0".
fn after_sub_letter(tokens: &[Token], at: usize) -> Option<&str> {
    let (before, t) = (tokens.get(at.checked_sub(1)?)?, tokens.get(at)?);
    let glued = before.kind == TokenKind::Number && before.end == t.start;
    let rest = t.lower.strip_prefix(|c: char| ('a'..='d').contains(&c))?;
    glued.then_some(rest)
}

/// The dimension bit of a lone letter ("t", "n", "m").
fn dimension(letter: &str) -> Option<u8> {
    match letter {
        "t" => Some(1),
        "n" => Some(2),
        "m" => Some(4),
        _ => None,
    }
}

/// A word made only of TNM parts, each an optional prefix (c, p, y, r, yp …), a letter and its
/// value: T0–T4, Tis, N0–N3, M0–M1, X or "any", with a sub-letter ("t4a", "m1c") and "mi" for
/// nodal micrometastases.
fn part_letters(word: &str) -> Option<Part> {
    let bytes = word.as_bytes();
    let mut part = Part { dimensions: 0, prefixed: false };
    let mut i = 0;
    while i < bytes.len() {
        let prefix_start = i;
        while i < bytes.len() && i - prefix_start < 2 && matches!(bytes[i], b'c' | b'p' | b'y' | b'r') {
            i += 1;
        }
        part.prefixed |= i > prefix_start;
        let (bit, highest) = match bytes.get(i)? {
            b't' => (1, b'4'),
            b'n' => (2, b'3'),
            b'm' => (4, b'1'),
            _ => return None,
        };
        i = value_end(bytes, i + 1, bit, highest)?;
        part.dimensions |= bit;
    }
    (part.dimensions != 0).then_some(part)
}

/// Where the value of one part ends, from `i` just after its letter.
fn value_end(bytes: &[u8], i: usize, bit: u8, highest: u8) -> Option<usize> {
    let rest = bytes.get(i..)?;
    if rest.starts_with(b"any") {
        return Some(i + 3);
    }
    if rest.starts_with(b"x") {
        return Some(i + 1);
    }
    if bit == 1 && rest.starts_with(b"is") {
        return Some(i + 2);
    }
    let digit = *rest.first()?;
    if !(b'0'..=highest).contains(&digit) {
        return None;
    }
    let mut end = i + 1;
    if bit == 2 && bytes.get(end..).is_some_and(|r| r.starts_with(b"mi")) {
        return Some(end + 2);
    }
    if bytes.get(end).is_some_and(|b| (b'a'..=b'd').contains(b)) {
        end += 1;
    }
    Some(end)
}

fn cue(chars: &[char], tokens: &[Token], found: &Expression) -> QualifierCue {
    let start = tokens[found.start].start;
    let stop = tokens[found.end - 1].end;
    let written: String = chars[start..stop].iter().collect();
    QualifierCue { kind: QualifierKind::Stage, value: written, tokens: (found.start, found.end) }
}

#[cfg(test)]
mod tests {
    use super::tnm_stages;
    use crate::text::tokenize;

    fn stages(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        tnm_stages(&chars, &tokenize(&chars)).into_iter().map(|q| q.value).collect()
    }

    #[test]
    fn expressions_with_two_dimensions_lists_ranges_and_prefixes() {
        assert_eq!(stages("Tumour T2-3, N0 or NX, M0 at diagnosis"), vec!["T2-3, N0 or NX, M0"]);
        assert_eq!(stages("cT1-2NanyM0"), vec!["cT1-2NanyM0"]);
        assert_eq!(stages("any T, N2, M0"), vec!["any T, N2, M0"]);
        assert_eq!(stages("Nodes must be pN0 or pN1mi"), vec!["pN0 or pN1mi"]);
        assert_eq!(stages("N1, N2a or N3"), vec!["N1, N2a or N3"]);
        assert_eq!(stages("Tumour T3b-4N1"), vec!["T3b-4N1"]);
        assert_eq!(stages("clinical stage < T3"), vec!["< T3"]);
        assert_eq!(stages("Tumor stage (TNM):T2-4bN0-3M0"), vec!["T2-4bN0-3M0"]);
    }

    #[test]
    fn lone_letters_elsewhere_are_not_stages() {
        assert!(stages("Free T4 within normal limits").is_empty());
        assert!(stages("Lesions on T1 or T2 weighted images").is_empty());
        assert!(stages("M1 marrow with less than 5 % blasts").is_empty());
        assert!(stages("Tx with a statin for 3 months").is_empty());
        assert!(stages("Treatment with TNF inhibitors").is_empty());
    }
}
