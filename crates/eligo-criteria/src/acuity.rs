//! Visual acuity: "Best-corrected visual acuity of 20/100 or better", "BCVA worse than 55 ETDRS
//! letters", "visual acuity between 20/50 and 20/200", "BCVA (ETDRS) no worse than 20/400".
//!
//! Ophthalmology protocols state acuity as a Snellen fraction or an ETDRS letter score. Both are
//! read as one lab in letters, a Snellen fraction 20/x converted by the standard approximation
//! letters = 85 + 50 · log10(20/x) (20/20 is 85 letters, 20/200 35), which rises with acuity, so
//! "better" is more letters and the operators carry over. Only the first statement is read (the
//! study eye's; a second, "and ≥ 20/800 in the fellow eye", is another eye's), values in brackets
//! are the same limit restated, and a value with no comparison ("visual acuity of 20/40") is not
//! read: it is as often a floor as a ceiling.

use eligo_model::{Comparison, Computable, ConceptRef, Operator};
use eligo_vocab::Vocabulary;

use crate::parse::Analysis;
use crate::text::{Token, TokenKind, WordSet};

/// The acuity lab, whose unit is the ETDRS letter score.
pub(crate) const ACUITY: &str = "ELIGO:lab.bcva";
const LETTERS: &str = "letters";

/// Comparisons written before a value, longest first, with how many tokens they take.
const BEFORE: &[(&[&str], Operator)] = &[
    (&["no", "worse", "than"], Operator::Ge),
    (&["no", "better", "than"], Operator::Le),
    (&["better", "than"], Operator::Gt),
    (&["worse", "than"], Operator::Lt),
    (&["at", "least"], Operator::Ge),
    (&["at", "most"], Operator::Le),
    (&["≥"], Operator::Ge),
    (&[">"], Operator::Gt),
    (&["≤"], Operator::Le),
    (&["<"], Operator::Lt),
];

/// The acuity a criterion states, as a lab in letters.
pub(crate) fn acuity(a: &Analysis) -> Option<Computable> {
    let named = a.tokens.iter().any(|t| matches!(t.lower.as_str(), "acuity" | "bcva"));
    if !named || a.tokens.iter().any(|t| CHANGES.contains(&t.lower)) {
        return None;
    }
    let values = values(&a.tokens);
    let (first, rest) = values.split_first()?;
    let range = |low: f64, high: f64| Comparison::new(Operator::Range, low.min(high), Some(low.max(high)), None);
    let first_operator = operator(a, first);
    let comparison = match rest.first() {
        // "between 20/50 and 20/200", "20/40 to 20/320", "73 to 25 letters".
        Some(second) if joins_a_range(&a.tokens, first.end, second.start) => range(first.letters, second.letters),
        // "≥ 19 letters and ≤ 73 letters", in one eye.
        Some(second) if bounds_one_eye(a, first, first_operator, second) => range(first.letters, second.letters),
        _ => Comparison::new(first_operator?, first.letters, None, None),
    };
    let concept = Vocabulary::embedded().concept(ACUITY)?;
    let test = ConceptRef { id: concept.id.clone(), name: concept.name.clone() };
    let comparison = Comparison { unit: Some(LETTERS.to_string()), ..comparison };
    Some(Computable::Lab { test, comparison, uln_multiple: false, window: None })
}

/// Words that make the number a change or a difference of acuity, not acuity ("a loss of ≥ 2
/// lines", "deficit > 5 letters").
static CHANGES: WordSet = WordSet::new(
    "deficit loss losses difference change changes decrease increase improvement gain reduction lines line",
);

/// One acuity value: its tokens, its letter score, and whether its scale runs the other way
/// (logMAR: more is worse).
struct Value {
    start: usize,
    end: usize,
    letters: f64,
    reversed: bool,
}

/// Whether a second value bounds the first from the other side in the same eye's statement.
fn bounds_one_eye(a: &Analysis, first: &Value, first_operator: Option<Operator>, second: &Value) -> bool {
    let lower = |op: Option<Operator>| matches!(op, Some(Operator::Ge | Operator::Gt));
    let upper = |op: Option<Operator>| matches!(op, Some(Operator::Le | Operator::Lt));
    let second_operator = operator(a, second);
    let one_eye = !a.tokens[first.end..second.start].iter().any(|t| matches!(t.lower.as_str(), "eye" | "eyes"));
    one_eye && ((lower(first_operator) && upper(second_operator)) || (upper(first_operator) && lower(second_operator)))
}

/// The acuity values outside brackets, in order: Snellen fractions ("20/40", "6/12") and letter
/// scores ("55 letters", "55 ETDRS letters").
fn values(tokens: &[Token]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    for (at, t) in tokens.iter().enumerate() {
        match t.lower.as_str() {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > 0 || t.kind != TokenKind::Number {
            continue;
        }
        if let Some(value) = snellen(tokens, at).or_else(|| letter_score(tokens, at)).or_else(|| logmar(tokens, at)) {
            out.push(value);
        }
    }
    out
}

/// "20/40", the metric "6/12" or the decimal "1/10" at token `at`, in letters.
fn snellen(tokens: &[Token], at: usize) -> Option<Value> {
    let numerator: f64 = tokens.get(at)?.lower.parse().ok().filter(|n| [20.0, 6.0, 1.0].contains(n))?;
    (tokens.get(at + 1)?.lower == "/").then_some(())?;
    let denominator: f64 = tokens.get(at + 2)?.lower.parse().ok().filter(|d: &f64| *d >= numerator / 2.0)?;
    let letters = (85.0 + 50.0 * (numerator / denominator).log10()).round().max(0.0);
    Some(Value { start: at, end: at + 3, letters, reversed: false })
}

/// "0.7 logMAR": 85 letters less 50 per logMAR unit.
fn logmar(tokens: &[Token], at: usize) -> Option<Value> {
    let value: f64 = tokens.get(at)?.lower.parse().ok().filter(|v| (-0.3..=1.7).contains(v))?;
    (tokens.get(at + 1)?.lower == "logmar").then_some(())?;
    let letters = (85.0 - 50.0 * value).round().max(0.0);
    Some(Value { start: at, end: at + 2, letters, reversed: true })
}

/// "55 letters", "55 ETDRS letters", and the first number of "73 to 25 letters".
fn letter_score(tokens: &[Token], at: usize) -> Option<Value> {
    let letters: f64 = tokens.get(at)?.lower.parse().ok().filter(|n| (0.0..=100.0).contains(n))?;
    let ahead: Vec<&str> = tokens.iter().skip(at + 1).take(4).map(|t| t.lower.as_str()).collect();
    let is_letter = |w: &&str| matches!(*w, "letter" | "letters");
    let scored = match ahead.as_slice() {
        [w, ..] if is_letter(w) => true,
        ["etdrs", w, ..] if is_letter(w) => true,
        ["to" | "-" | "and", _, w, ..] if is_letter(w) => true,
        _ => false,
    };
    scored.then_some(Value { start: at, end: at + 1, letters, reversed: false })
}

/// Whether the tokens between two values join them as a range.
fn joins_a_range(tokens: &[Token], from: usize, to: usize) -> bool {
    let between: Vec<&str> = tokens[from..to].iter().map(|t| t.lower.as_str()).collect();
    matches!(between.as_slice(), ["to"] | ["and"] | ["-"] | ["through"] | ["letters", "to"] | ["letters", "and"])
}

/// The comparison of a single value, on the letter scale (a logMAR bound is turned round).
fn operator(a: &Analysis, value: &Value) -> Option<Operator> {
    let written = written_operator(a, value)?;
    Some(if value.reversed { reversed(written) } else { written })
}

fn reversed(op: Operator) -> Operator {
    match op {
        Operator::Ge => Operator::Le,
        Operator::Gt => Operator::Lt,
        Operator::Le => Operator::Ge,
        Operator::Lt => Operator::Gt,
        other => other,
    }
}

/// The comparison written for a value: the quantity reader's ("greater than or equal to 19"),
/// words before it ("worse than", "≥"), or "or better" / "or worse" after it.
fn written_operator(a: &Analysis, value: &Value) -> Option<Operator> {
    let quantity = a.quantities.iter().find(|q| q.value_token == value.start && q.operator_tokens.is_some());
    if let Some(q) =
        quantity.filter(|q| matches!(q.operator, Operator::Ge | Operator::Gt | Operator::Le | Operator::Lt))
    {
        return Some(q.operator);
    }
    let tokens = &a.tokens;
    let before: Vec<&str> =
        tokens[value.start.saturating_sub(3)..value.start].iter().map(|t| t.lower.as_str()).collect();
    if let Some((_, op)) = BEFORE.iter().find(|(words, _)| before.ends_with(words)) {
        return Some(*op);
    }
    let after: Vec<&str> = tokens.iter().skip(value.end).take(4).map(|t| t.lower.as_str()).collect();
    let after = match after.first() {
        Some(&"letters" | &"letter") => &after[1..],
        _ => &after[..],
    };
    match after {
        ["or", "better", ..] => Some(Operator::Ge),
        ["or", "worse", ..] => Some(Operator::Le),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Operator};

    fn acuity(text: &str) -> Vec<(Operator, f64, Option<f64>)> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. } if test.id == super::ACUITY => {
                    Some((comparison.operator, comparison.value, comparison.value_high))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn snellen_fractions_in_letters() {
        assert_eq!(acuity("Best corrected visual acuity of 20/50 or better"), vec![(Operator::Ge, 65.0, None)]);
        assert_eq!(acuity("BCVA no worse than 20/200 in the study eye"), vec![(Operator::Ge, 35.0, None)]);
        assert_eq!(acuity("Visual acuity from 20/32 to 20/400"), vec![(Operator::Range, 20.0, Some(75.0))]);
        assert_eq!(acuity("Snellen visual acuity worse than 6/60"), vec![(Operator::Lt, 35.0, None)]);
    }

    #[test]
    fn letter_scores_and_restatements_in_brackets() {
        assert_eq!(
            acuity("BCVA between 30 and 70 letters (Snellen 20/250 to 20/40) at screening"),
            vec![(Operator::Range, 30.0, Some(70.0))]
        );
        assert_eq!(acuity("Best-corrected acuity worse than 60 ETDRS letters"), vec![(Operator::Lt, 60.0, None)]);
    }

    #[test]
    fn logmar_and_decimal_acuity_and_bounds_on_both_sides() {
        assert_eq!(acuity("Corrected visual acuity ≤ 0.3 logMAR"), vec![(Operator::Ge, 70.0, None)]);
        assert_eq!(acuity("Visual acuity worse than 1/10"), vec![(Operator::Lt, 35.0, None)]);
        assert_eq!(
            acuity("Visual acuity score at least 30 letters and at most 70 letters"),
            vec![(Operator::Range, 30.0, Some(70.0))]
        );
    }

    #[test]
    fn a_value_without_a_comparison_or_a_change_of_acuity_is_not_read() {
        assert!(acuity("Visual acuity of 20/40 in the better eye").is_empty());
        assert!(acuity("Loss of visual acuity of more than 10 letters").is_empty());
    }
}
