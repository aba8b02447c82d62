//! Performance status and the other ordinal clinical scales protocols select by: ECOG (also
//! written Zubrod or WHO), Karnofsky and Lansky scores as values, ranges, bounds and lists: "ECOG
//! performance status of 0 or 1", "Karnofsky ≥ 70%", "ECOG 0-2", "Zubrod PS ≤ 1", "a Zubrod
//! performance status of two or less", and bare values under a "Performance status" heading
//! ("0-2"); the NYHA functional class and the ASA physical status, whose grades are written in
//! Roman numerals or digits ("NYHA class III or IV", "≥ II", "ASA class I-III"); and the
//! Child-Pugh class, written as letters ("Child-Pugh A", "class B or C").
//!
//! Each score becomes a [`Computable::Lab`] of the scale's concept with the comparison; a list of
//! grades ("0, 1 or 2") is the range from its lowest to its highest. Scores carry no unit: "70%"
//! on the Karnofsky scale is the score 70. A Child-Pugh class is the range of points it stands
//! for (A 5–6, B 7–9, C 10–15), so that a class and a score compare on one scale.

use eligo_model::{Comparison, Computable, ConceptRef, Operator};
use eligo_vocab::Vocabulary;

use crate::parse::Analysis;
use crate::quantity::Quantity;
use crate::text::{Token, TokenKind};

/// The ordinal scales read here, by concept id.
const SCALES: &[&str] = &["ELIGO:score.ecog", "ELIGO:score.karnofsky", "ELIGO:score.lansky", NYHA, ASA, CHILD_PUGH];
const ECOG: &str = "ELIGO:score.ecog";
const NYHA: &str = "ELIGO:score.nyha";
const KARNOFSKY: &str = "ELIGO:score.karnofsky";
const ASA: &str = "ELIGO:score.asa";
const CHILD_PUGH: &str = "ELIGO:score.child_pugh";

/// The Child-Pugh classes and the points each stands for.
const CHILD_PUGH_CLASSES: &[(&str, f64, f64)] = &[("a", 5.0, 6.0), ("b", 7.0, 9.0), ("c", 10.0, 15.0)];

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
    "was",
    "at",
    "[",
    "rating",
    "physical",
    "equals",
    "equal",
    "to",
    "asa",
    "child",
    "pugh",
    "-",
    "]",
    ",",
    "scoring",
    "scores",
    "either",
];

/// Operator symbols written before a Roman grade, which the quantity reader does not read ("≥ III").
const GRADE_OPERATORS: &[(&str, Operator)] =
    &[("≥", Operator::Ge), (">", Operator::Gt), ("≤", Operator::Le), ("<", Operator::Lt)];

/// Words after a grade that make it a bound ("III or higher", "class II or worse").
const HIGHER_WORDS: &[&str] = &["higher", "greater", "above", "more", "worse"];

/// Words after a grade that make it an upper bound ("two or less", "1 or lower").
const LOWER_WORDS: &[&str] = &["less", "lower", "below", "fewer"];

/// Grades written as words ("a performance status of two or less").
const NUMBER_WORDS: &[(&str, f64)] =
    &[("zero", 0.0), ("one", 1.0), ("two", 2.0), ("three", 3.0), ("four", 4.0), ("five", 5.0)];

/// Words that join the grades of a list ("0, 1 or 2", "0 to 2", "0/1").
const LIST_JOINERS: &[&str] = &[",", "or", "and", "to", "-", "/", "through"];

/// How far after a scale's name its value may be, in tokens (a parenthesis counts as one).
const MAX_GAP: usize = 8;

/// How many tokens a parenthesis between a scale's name and its value may hold ("ECOG (Eastern
/// Cooperative Oncology Group) ≤ 1").
const MAX_PARENTHESIS: usize = 12;

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
        let Some(comparison) = score_after(a, range.1, &scale.id).or_else(|| score_after_status_word(a, &scale.id))
        else {
            continue;
        };
        let lab = lab(scale.clone(), comparison, a);
        if !out.contains(&lab) {
            out.push(lab);
        }
    }
    let about_performance = topic.is_some_and(|t| t.to_lowercase().contains("performance status"));
    if out.is_empty() && (about_performance || says_performance_status(a)) {
        let comparison = score_after(a, 0, ECOG).or_else(|| score_after_status_word(a, ECOG))?;
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
fn score_after_status_word(a: &Analysis, scale: &str) -> Option<Comparison> {
    a.tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.lower.as_str(), "status" | "score" | "ps"))
        .find_map(|(at, _)| score_after(a, at + 1, scale))
}

/// The lab for a scale's score. "1 or better" bounds the score: better is lower on ECOG, NYHA, ASA
/// and Child-Pugh, higher on Karnofsky and Lansky.
fn lab(test: ConceptRef, mut comparison: Comparison, a: &Analysis) -> Computable {
    if comparison.operator == Operator::Eq && a.tokens.iter().any(|t| t.lower == "better") {
        let lower_is_better = [ECOG, NYHA, ASA, CHILD_PUGH].contains(&test.id.as_str());
        comparison.operator = if lower_is_better { Operator::Le } else { Operator::Ge };
    }
    Computable::Lab { test, comparison, uln_multiple: false, window: None }
}

fn scale_ref(id: &str) -> Option<ConceptRef> {
    let concept = Vocabulary::embedded().concept(id)?;
    Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
}

/// The score written after token `from`: a bound or range the quantity reader found ("≤ 1",
/// "≥ 70%", "0-2"), else a list or a single grade ("of 0 or 1", "2", "B or C").
fn score_after(a: &Analysis, from: usize, scale: &str) -> Option<Comparison> {
    let start = first_value_token(a, from, scale)?;
    // "0,1,or 2": grades glued by a comma are one number token, never a decimal on these scales.
    if a.tokens.get(start).is_some_and(|t| t.lower.contains(',')) {
        return grade_list(a, start, scale);
    }
    match a.quantities.iter().find(|q| q.tokens.0 == start || q.value_token == start) {
        // "equals to 0 or 1": an equality opens a list of grades, which the list reader reads whole.
        Some(q) if q.operator == Operator::Eq && q.value_high.is_none() => {
            grade_list(a, q.value_token, scale).or_else(|| Some(from_quantity(q)))
        }
        Some(q) => Some(from_quantity(q)),
        None => grade_list(a, start, scale),
    }
}

/// The first token after `from`, over filler words, that opens a value (a number or an operator).
fn first_value_token(a: &Analysis, from: usize, scale: &str) -> Option<usize> {
    let mut at = from;
    for _ in 0..MAX_GAP {
        let t = a.tokens.get(at)?;
        // A parenthesis spells the scale out or abbreviates it, and the value comes after it,
        // unless the value is what it holds ("Karnofsky (≥ 70)").
        if matches!(t.lower.as_str(), "(" | "[") && !opens_value(a, at + 1, scale) {
            at = parenthesis_end(a, at)?;
            continue;
        }
        if opens_value(a, at, scale) {
            return Some(at);
        }
        if !FILLERS.contains(&t.lower.as_str()) {
            return None;
        }
        at += 1;
    }
    None
}

/// Whether token `at` opens a value: a number, a quantity, a grade or an operator before one.
fn opens_value(a: &Analysis, at: usize, scale: &str) -> bool {
    let Some(t) = a.tokens.get(at) else { return false };
    t.kind == TokenKind::Number
        || a.quantities.iter().any(|q| q.tokens.0 == at)
        || grade(&t.lower, scale).is_some()
        || GRADE_OPERATORS.iter().any(|(s, _)| t.lower == *s)
}

/// The token after the bracket that closes the one opening at `open`, when it closes soon.
fn parenthesis_end(a: &Analysis, open: usize) -> Option<usize> {
    let tokens = a.tokens.get(open + 1..)?;
    let close = tokens.iter().take(MAX_PARENTHESIS).position(|t| matches!(t.lower.as_str(), ")" | "]"))?;
    Some(open + close + 2)
}

fn from_quantity(q: &Quantity) -> Comparison {
    comparison(q.operator, q.value, q.value_high)
}

/// "0 or 1", "0, 1, or 2", "0/1", "1", "A or B": the grades listed from `start`, as a range (or
/// one value).
fn grade_list(a: &Analysis, start: usize, scale: &str) -> Option<Comparison> {
    let tokens = a.tokens.get(start..)?;
    // "≥ III", "< or equal to 2": an operator symbol before a grade.
    let (operator, skip) = grade_operator(tokens);
    let mut grades: Vec<f64> = Vec::new();
    let mut end = start;
    for (k, t) in tokens.iter().enumerate().skip(skip) {
        match glued_grades(&t.lower, scale) {
            Some(found) => grades.extend(found),
            None if LIST_JOINERS.contains(&t.lower.as_str()) => {}
            None => break,
        }
        end = start + k + 1;
    }
    let low = grades.iter().copied().reduce(f64::min)?;
    let high = grades.iter().copied().reduce(f64::max)?;
    if let Some(operator) = operator.filter(|_| grades.len() == 2) {
        let bound = if matches!(operator, Operator::Ge | Operator::Gt) { low } else { high };
        return Some(comparison(operator, bound, None));
    }
    // "III or higher", "two or less": the list ended on "or" and a word for higher or lower.
    let bound_word = |words: &[&str]| {
        a.tokens.get(end).is_some_and(|t| words.contains(&t.lower.as_str()))
            && a.tokens.get(end.wrapping_sub(1)).is_some_and(|t| t.lower == "or")
    };
    Some(if bound_word(HIGHER_WORDS) {
        comparison(Operator::Ge, low, None)
    } else if bound_word(LOWER_WORDS) {
        comparison(Operator::Le, high, None)
    } else if high > low {
        comparison(Operator::Range, low, Some(high))
    } else {
        comparison(Operator::Eq, low, None)
    })
}

/// The grades of one token: a grade, or grades glued by commas ("0,1").
fn glued_grades(word: &str, scale: &str) -> Option<Vec<f64>> {
    word.split(',')
        .map(|part| grade(part, scale).map(|(low, high)| [low, high]))
        .collect::<Option<Vec<_>>>()
        .map(|pairs| pairs.concat())
}

/// An operator symbol opening a grade, with "or equal to" after it ("< or equal to 2" is ≤ 2), and
/// how many tokens it takes.
fn grade_operator(tokens: &[Token]) -> (Option<Operator>, usize) {
    let Some(operator) = tokens.first().and_then(|t| GRADE_OPERATORS.iter().find(|(s, _)| t.lower == *s)) else {
        return (None, 0);
    };
    let words: Vec<&str> = tokens.iter().skip(1).take(3).map(|t| t.lower.as_str()).collect();
    if words.starts_with(&["or", "equal", "to"]) || words.starts_with(&["or", "equals", "to"]) {
        let inclusive = match operator.1 {
            Operator::Lt => Operator::Le,
            Operator::Gt => Operator::Ge,
            other => other,
        };
        return (Some(inclusive), 4);
    }
    (Some(operator.1), 1)
}

/// The value of one grade of `scale`, as the range of points it stands for: a digit, a Roman
/// numeral ("i" to "vi", as NYHA and ASA classes are written), a number word, or a Child-Pugh
/// letter.
fn grade(word: &str, scale: &str) -> Option<(f64, f64)> {
    if scale == CHILD_PUGH {
        return CHILD_PUGH_CLASSES.iter().find(|(w, _, _)| *w == word).map(|(_, low, high)| (*low, *high));
    }
    let value = word
        .parse::<f64>()
        .ok()
        .or_else(|| roman(word))
        .or_else(|| NUMBER_WORDS.iter().find(|(w, _)| *w == word).map(|(_, v)| *v))?;
    Some((value, value))
}

/// The value of a Roman grade ("i" to "vi").
fn roman(word: &str) -> Option<f64> {
    match word {
        "i" => Some(1.0),
        "ii" => Some(2.0),
        "iii" => Some(3.0),
        "iv" => Some(4.0),
        "v" => Some(5.0),
        "vi" => Some(6.0),
        _ => None,
    }
}

fn comparison(operator: Operator, value: f64, value_high: Option<f64>) -> Comparison {
    Comparison::new(operator, value, value_high, None)
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
    fn grades_in_words_and_operators_in_words() {
        let ecog = |op, v, high| vec![("ELIGO:score.ecog".to_string(), op, v, high)];
        assert_eq!(scores("A Zubrod performance status of two or less"), ecog(Operator::Le, 2.0, None));
        assert_eq!(scores("ECOG performance status < or equal to 2"), ecog(Operator::Le, 2.0, None));
        assert_eq!(scores("Participants must have an ECOG PS equals to 0 or 1"), ecog(Operator::Range, 0.0, Some(1.0)));
    }

    #[test]
    fn asa_classes_and_child_pugh_letters() {
        let asa = |op, v, high| vec![("ELIGO:score.asa".to_string(), op, v, high)];
        assert_eq!(scores("ASA class I-III"), asa(Operator::Range, 1.0, Some(3.0)));
        assert_eq!(scores("ASA physical status classification of 1 or 2"), asa(Operator::Range, 1.0, Some(2.0)));
        let child_pugh = |op, v, high| vec![("ELIGO:score.child_pugh".to_string(), op, v, high)];
        assert_eq!(scores("Child-Pugh class A"), child_pugh(Operator::Range, 5.0, Some(6.0)));
        assert_eq!(scores("Patient with a Child-Pugh score B or C"), child_pugh(Operator::Range, 7.0, Some(15.0)));
        assert_eq!(scores("Child-Pugh score ≤ 7"), child_pugh(Operator::Le, 7.0, None));
    }

    #[test]
    fn grades_glued_by_commas_and_names_spelled_out_in_brackets() {
        let ecog = |op, v, high| vec![("ELIGO:score.ecog".to_string(), op, v, high)];
        assert_eq!(scores("Zubrod performance status of 0,1,or 2"), ecog(Operator::Range, 0.0, Some(2.0)));
        assert_eq!(scores("WHO PS 0,1"), ecog(Operator::Range, 0.0, Some(1.0)));
        assert_eq!(scores("ECOG (Eastern Cooperative Oncology Group) scoring ≤ 1"), ecog(Operator::Le, 1.0, None));
        assert_eq!(
            scores("Performance status (Eastern Cooperative Oncology Group [ECOG]) of 1 or 2"),
            ecog(Operator::Range, 1.0, Some(2.0))
        );
        assert_eq!(scores("ECOG score [0-1] points"), ecog(Operator::Range, 0.0, Some(1.0)));
    }

    #[test]
    fn a_bare_value_under_a_performance_heading() {
        let text = "PATIENT CHARACTERISTICS:\n\nPerformance status:\n\n* 0-1\n\nLife expectancy:\n\n* 3 months";
        assert_eq!(scores(text), vec![("ELIGO:score.ecog".to_string(), Operator::Range, 0.0, Some(1.0))]);
    }
}
