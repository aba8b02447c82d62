//! Performance status: ECOG (also written Zubrod or WHO), Karnofsky and Lansky scores as values,
//! ranges, bounds and lists: "ECOG performance status of 0 or 1", "Karnofsky ≥ 70%", "ECOG 0-2",
//! "Zubrod PS ≤ 1", and bare values under a "Performance status" heading ("0-2"); and the NYHA
//! functional class, whose grades are written in Roman numerals ("NYHA class III or IV", "≥ II").
//!
//! Each score becomes a [`Computable::Lab`] of the scale's concept with the comparison; a list of
//! grades ("0, 1 or 2") is the range from its lowest to its highest. Scores carry no unit: "70%"
//! on the Karnofsky scale is the score 70.

use eligo_model::{Comparison, Computable, ConceptRef, Operator};
use eligo_vocab::Vocabulary;

use crate::parse::Analysis;
use crate::quantity::Quantity;
use crate::text::TokenKind;

/// The performance scales, by concept id.
const SCALES: &[&str] = &["ELIGO:score.ecog", "ELIGO:score.karnofsky", "ELIGO:score.lansky", NYHA];
const ECOG: &str = "ELIGO:score.ecog";
const NYHA: &str = "ELIGO:score.nyha";
const KARNOFSKY: &str = "ELIGO:score.karnofsky";

/// Words that may stand between a scale's name and its value ("ECOG performance status of ≤ 1",
/// "KPS score must be at least 70").
const FILLERS: &[&str] = &[
    "performance",
    "status",
    "ps",
    "score",
    "scale",
    "grade",
    "of",
    "is",
    "must",
    "be",
    "should",
    "a",
    "an",
    "the",
    "(",
    ")",
    ":",
    "=",
    "with",
    "level",
    "pfs",
    "ecog",
    "who",
    "zubrod",
    "kps",
    "play",
    "index",
    "value",
    "class",
    "classification",
    "functional",
    "nyha",
];

/// Operator symbols written before a Roman grade, which the quantity reader does not read ("≥ III").
const GRADE_OPERATORS: &[(&str, Operator)] =
    &[("≥", Operator::Ge), (">", Operator::Gt), ("≤", Operator::Le), ("<", Operator::Lt)];

/// Words after a grade that make it a bound ("III or higher", "class II or worse").
const HIGHER_WORDS: &[&str] = &["higher", "greater", "above", "more", "worse"];

/// Words that join the grades of a list ("0, 1 or 2", "0 to 2", "0/1").
const LIST_JOINERS: &[&str] = &[",", "or", "and", "to", "-", "/", "through"];

/// How far after a scale's name its value may be, in tokens.
const MAX_GAP: usize = 8;

/// Whether a concept is a performance scale (read here, not as an ordinary lab).
pub(crate) fn is_performance_scale(id: &str) -> bool {
    SCALES.contains(&id)
}

/// The performance scores a criterion states. `topic` is the heading it stands under, so that a bare
/// "0-2" under "Performance status" reads as ECOG 0–2.
pub(crate) fn performance(a: &Analysis, topic: Option<&str>) -> Option<Vec<Computable>> {
    let mut out: Vec<Computable> = Vec::new();
    for (m, range) in &a.mentions {
        let Some(scale) = m.concept.as_ref().filter(|c| is_performance_scale(&c.id)) else { continue };
        // The value may follow the words "status"/"score" written before the scale's name ("a
        // performance status of 0 or 1 on the ECOG scale").
        let Some(comparison) = score_after(a, range.1).or_else(|| score_after_status_word(a)) else { continue };
        let lab = lab(scale.clone(), comparison, a);
        if !out.contains(&lab) {
            out.push(lab);
        }
    }
    let about_performance = topic.is_some_and(|t| t.to_lowercase().contains("performance status"));
    if out.is_empty() && (about_performance || says_performance_status(a)) {
        let comparison = score_after(a, 0).or_else(|| score_after_status_word(a))?;
        // Karnofsky and Lansky run 0–100, ECOG 0–5.
        let id = if comparison.value_high.unwrap_or(comparison.value) > 5.0 { KARNOFSKY } else { ECOG };
        out.push(lab(scale_ref(id)?, comparison, a));
    }
    (!out.is_empty()).then_some(out)
}

/// "performance status" written without a scale's name.
fn says_performance_status(a: &Analysis) -> bool {
    a.tokens
        .windows(2)
        .any(|w| w.first().is_some_and(|t| t.lower == "performance") && w.get(1).is_some_and(|t| t.lower == "status"))
}

/// The score after the first "status", "score" or "ps" word that is followed by one.
fn score_after_status_word(a: &Analysis) -> Option<Comparison> {
    a.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.lower.as_str(), "status" | "score" | "ps"))
        .find_map(|(at, _)| score_after(a, at + 1))
}

/// The lab for a scale's score. "1 or better" bounds the score: better is lower on ECOG, higher on
/// Karnofsky and Lansky.
fn lab(test: ConceptRef, mut comparison: Comparison, a: &Analysis) -> Computable {
    if comparison.operator == Operator::Eq && a.tokens.iter().any(|t| t.lower == "better") {
        comparison.operator = if test.id == ECOG || test.id == NYHA { Operator::Le } else { Operator::Ge };
    }
    Computable::Lab { test, comparison, uln_multiple: false, window: None }
}

fn scale_ref(id: &str) -> Option<ConceptRef> {
    let concept = Vocabulary::embedded().concept(id)?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

/// The score written after token `from`: a bound or range the quantity reader found ("≤ 1",
/// "≥ 70%", "0-2"), else a list or a single grade ("of 0 or 1", "2").
fn score_after(a: &Analysis, from: usize) -> Option<Comparison> {
    let start = first_value_token(a, from)?;
    if let Some(q) = a.quantities.iter().find(|q| q.tokens.0 == start || q.value_token == start) {
        return Some(from_quantity(q));
    }
    grade_list(a, start)
}

/// The first token after `from`, over filler words, that opens a value (a number or an operator).
fn first_value_token(a: &Analysis, from: usize) -> Option<usize> {
    let tokens = a.tokens.get(from..)?;
    for (offset, t) in tokens.iter().enumerate().take(MAX_GAP) {
        let at = from + offset;
        let grade_operator = GRADE_OPERATORS.iter().any(|(s, _)| t.lower == *s);
        if t.kind == TokenKind::Number
            || a.quantities.iter().any(|q| q.tokens.0 == at)
            || roman(&t.lower).is_some()
            || grade_operator
        {
            return Some(at);
        }
        if !FILLERS.contains(&t.lower.as_str()) {
            return None;
        }
    }
    None
}

fn from_quantity(q: &Quantity) -> Comparison {
    comparison(q.operator, q.value, q.value_high)
}

/// "0 or 1", "0, 1, or 2", "0/1", "1": the grades listed from `start`, as a range (or one value).
fn grade_list(a: &Analysis, start: usize) -> Option<Comparison> {
    let tokens = a.tokens.get(start..)?;
    // "≥ III": an operator symbol before a Roman grade.
    let operator = tokens.first().and_then(|t| GRADE_OPERATORS.iter().find(|(s, _)| t.lower == *s)).map(|(_, o)| *o);
    let mut grades: Vec<f64> = Vec::new();
    let mut end = start;
    for (k, t) in tokens.iter().enumerate().skip(usize::from(operator.is_some())) {
        match t.number().or_else(|| roman(&t.lower)) {
            Some(n) => grades.push(n),
            None if LIST_JOINERS.contains(&t.lower.as_str()) => {}
            None => break,
        }
        end = start + k + 1;
    }
    let low = grades.iter().copied().reduce(f64::min)?;
    let high = grades.iter().copied().reduce(f64::max)?;
    if let Some(operator) = operator.filter(|_| grades.len() == 1) {
        return Some(comparison(operator, low, None));
    }
    // "III or higher": the list ended on "or" and a word for higher.
    let higher = a.tokens.get(end).is_some_and(|t| HIGHER_WORDS.contains(&t.lower.as_str()))
        && a.tokens.get(end.wrapping_sub(1)).is_some_and(|t| t.lower == "or");
    Some(if higher {
        comparison(Operator::Ge, high, None)
    } else if high > low {
        comparison(Operator::Range, low, Some(high))
    } else {
        comparison(Operator::Eq, low, None)
    })
}

/// The value of a Roman grade ("i" to "iv", as the NYHA classes are written).
fn roman(word: &str) -> Option<f64> {
    match word {
        "i" => Some(1.0),
        "ii" => Some(2.0),
        "iii" => Some(3.0),
        "iv" => Some(4.0),
        _ => None,
    }
}

fn comparison(operator: Operator, value: f64, value_high: Option<f64>) -> Comparison {
    Comparison {
        operator,
        value,
        value_high,
        unit: None,
        operator_span: None,
        value_span: None,
        value_high_span: None,
        unit_span: None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Operator};

    /// (scale id, operator, value, high) of every performance reading of a text.
    fn scores(text: &str) -> Vec<(String, Operator, f64, Option<f64>)> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. } if test.id.starts_with("ELIGO:score.") => {
                    Some((test.id.clone(), comparison.operator, comparison.value, comparison.value_high))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn lists_ranges_and_bounds() {
        let ecog = "ELIGO:score.ecog".to_string();
        assert_eq!(scores("WHO performance status of 0 or 1"), vec![(ecog.clone(), Operator::Range, 0.0, Some(1.0))]);
        assert_eq!(scores("ECOG PS 0, 1, or 2 at enrolment"), vec![(ecog.clone(), Operator::Range, 0.0, Some(2.0))]);
        assert_eq!(scores("Zubrod score ≤ 1"), vec![(ecog.clone(), Operator::Le, 1.0, None)]);
        assert_eq!(scores("ECOG performance status 2"), vec![(ecog.clone(), Operator::Eq, 2.0, None)]);
        assert_eq!(
            scores("A performance status of 0 to 2 on the Zubrod scale"),
            vec![(ecog.clone(), Operator::Range, 0.0, Some(2.0))]
        );
        assert_eq!(scores("Performance status 1 or better"), vec![(ecog, Operator::Le, 1.0, None)]);
        assert_eq!(
            scores("Karnofsky performance status at least 60%"),
            vec![("ELIGO:score.karnofsky".to_string(), Operator::Ge, 60.0, None)]
        );
        assert_eq!(
            scores("Lansky play-performance scale ≥ 50 for children"),
            vec![("ELIGO:score.lansky".to_string(), Operator::Ge, 50.0, None)]
        );
    }

    #[test]
    fn nyha_classes_in_roman_numerals() {
        let nyha = |op, v, high| vec![("ELIGO:score.nyha".to_string(), op, v, high)];
        assert_eq!(scores("NYHA functional class II or III"), nyha(Operator::Range, 2.0, Some(3.0)));
        assert_eq!(scores("New York Heart Association class ≥ III"), nyha(Operator::Ge, 3.0, None));
        assert_eq!(scores("NYHA class II or higher"), nyha(Operator::Ge, 2.0, None));
    }

    #[test]
    fn a_bare_value_under_a_performance_heading() {
        let text = "PATIENT CHARACTERISTICS:\n\nPerformance status:\n\n* 0-1\n\nLife expectancy:\n\n* 3 months";
        assert_eq!(scores(text), vec![("ELIGO:score.ecog".to_string(), Operator::Range, 0.0, Some(1.0))]);
    }
}
