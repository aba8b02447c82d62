//! A toxicity grade written as a bound of the condition it grades: "No peripheral neurotoxicity
//! greater than grade 2", "Grade 2 or greater neuropathy", "CNS toxicity no greater than grade 2".
//!
//! `scope` reads "grade 2" as a qualifier of the condition, which alone would ask for grade 2 exactly.
//! Here the bound decides the qualifier: a lower bound is the grades from it up, "grade 3 or
//! higher"; an upper bound allows the grades up to it, so the reading becomes the absence of the
//! grades above, "not grade 3 or higher" (a patient without the condition meets it). Records carry
//! no CTCAE grade, so the patient is asked: "Is your neuropathy grade 3 or higher?".

use eligo_model::{
    Comparison, Computable, EntityType, NonComputableReason, Operator, Qualifier, QualifierKind, Section,
};

use crate::parse::Analysis;
use crate::scope::QualifierCue;
use crate::text::Token;

/// Which side of the grade the text bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    AtLeast,
    Above,
    AtMost,
    Below,
}

/// Operators written before the grade, as lower-case tokens joined by spaces, longest first.
/// The flag says whether the operator holds its own "no"/"not" ("no greater than").
const BEFORE: &[(&str, Bound, bool)] = &[
    ("greater than or equal to", Bound::AtLeast, false),
    ("more than or equal to", Bound::AtLeast, false),
    ("higher than or equal to", Bound::AtLeast, false),
    ("less than or equal to", Bound::AtMost, false),
    ("no greater than", Bound::AtMost, true),
    ("not greater than", Bound::AtMost, true),
    ("no more than", Bound::AtMost, true),
    ("not more than", Bound::AtMost, true),
    ("no higher than", Bound::AtMost, true),
    ("not higher than", Bound::AtMost, true),
    ("no worse than", Bound::AtMost, true),
    ("greater than", Bound::Above, false),
    ("more than", Bound::Above, false),
    ("higher than", Bound::Above, false),
    ("worse than", Bound::Above, false),
    ("less than", Bound::Below, false),
    ("lower than", Bound::Below, false),
    ("at least", Bound::AtLeast, false),
    ("at most", Bound::AtMost, false),
    ("> =", Bound::AtLeast, false),
    ("= >", Bound::AtLeast, false),
    (">=", Bound::AtLeast, false),
    ("≥", Bound::AtLeast, false),
    ("< =", Bound::AtMost, false),
    ("= <", Bound::AtMost, false),
    ("<=", Bound::AtMost, false),
    ("=<", Bound::AtMost, false),
    ("≤", Bound::AtMost, false),
    (">", Bound::Above, false),
    ("<", Bound::Below, false),
];

/// Words between the operator and "grade" that name the grading system ("≤ CTCAE v4 grade 1").
const SYSTEM_WORDS: &[&str] = &["ctc", "ctcae", "nci", "who", "common", "terminology", "criteria"];

/// Words after "grade N or" that make it a lower or an upper bound.
const AFTER_UP: &[&str] = &["greater", "higher", "worse", "more", "above", "over"];
const AFTER_DOWN: &[&str] = &["less", "lower", "below", "fewer", "better"];

/// Narrows the one condition reading of a criterion by the grade bound written in it; `negated`
/// turns when the bound is an upper one. Nothing changes unless the criterion's only reading is a
/// single group of conditions and it names one grade. An upper bound is read in an inclusion only:
/// in an exclusion it is the tail of an exception ("... with no more than grade 1 GVHD"), and turning
/// the line's negation there would exclude everyone without the condition.
pub(crate) fn apply(a: &Analysis, section: Section, groups: &mut [Vec<Computable>], negated: &mut bool) {
    let [group] = groups else { return };
    if is_unread(group) || grade_read_as_a_value(a, group) {
        if let Some((labs, own_no)) = graded_labs(a, section) {
            *group = labs;
            // The "no" of "no greater than grade 1" is the bound's, which the comparison now holds.
            *negated &= !own_no;
        }
        return;
    }
    if group.is_empty() || !group.iter().all(|c| matches!(c, Computable::Condition { .. })) {
        return;
    }
    let Some(cue) = one_grade(a) else { return };
    let Some((from, upper, own_no)) = grades_from(a, cue, cue.tokens.1) else { return };
    if upper && section == Section::Exclusion {
        return;
    }
    for reading in group.iter_mut() {
        if let Computable::Condition { scope, .. } = reading {
            scope.qualifiers.retain(|q| !q.value.starts_with("grade "));
            scope.qualifiers.push(Qualifier {
                kind: QualifierKind::Stage,
                value: format!("grade {from} or higher"),
                concept: None,
                polarity: None,
            });
        }
    }
    if upper {
        // The "no" of "no greater than" was read as the line's negation; the bound is what negates.
        *negated = own_no || !*negated;
    }
}

/// Whether a criterion's only reading is "unstructured".
fn is_unread(group: &[Computable]) -> bool {
    matches!(group, [Computable::NotComputable { reason: NonComputableReason::Unstructured }])
}

/// Whether the criterion's lab readings took the number of its grade as their value: "Neutrophil
/// count grade 1 or less" is no neutrophil count of at most 1.
fn grade_read_as_a_value(a: &Analysis, group: &[Computable]) -> bool {
    let Some(cue) = one_grade(a) else { return false };
    let grade_value = a.quantities.iter().any(|q| (cue.tokens.0..cue.tokens.1).contains(&q.value_token));
    grade_value && !group.is_empty() && group.iter().all(|c| matches!(c, Computable::Lab { .. }))
}

/// The criterion's one grade qualifier, when it names exactly one.
fn one_grade(a: &Analysis) -> Option<&QualifierCue> {
    let mut grades = a.qualifiers.iter().filter(|q| q.value.starts_with("grade "));
    match (grades.next(), grades.next()) {
        (Some(cue), None) => Some(cue),
        _ => None,
    }
}

/// The grades a bound on `cue` means: the first grade it concerns, whether it is an upper bound
/// (the grades from that one up are not allowed), and whether the operator holds its own "no".
/// The bound is written before the grade or after `after` ("grade 2 or greater", "Grade 1 lipase
/// or higher"). `None` without a bound, or for "≤ grade 4", which allows every grade short of death.
fn grades_from(a: &Analysis, cue: &QualifierCue, after: usize) -> Option<(u32, bool, bool)> {
    let number = cue.value.chars().find_map(|c| c.to_digit(10))?;
    let (bound, own_no) = bound_before(&a.tokens, cue.tokens.0)
        .or_else(|| bound_after(&a.tokens, cue.tokens.1))
        .or_else(|| bound_after(&a.tokens, after))?;
    let (from, upper) = match bound {
        Bound::AtLeast => (number, false),
        Bound::Above => (number + 1, false),
        Bound::AtMost => (number + 1, true),
        Bound::Below => (number, true),
    };
    (1..=4).contains(&from).then_some((from, upper, own_no))
}

/// A laboratory test bounded by its CTCAE grade ("Serum creatinine ≤ CTC grade 2", "Platelet count
/// greater than or equal to Grade 3", "Grade 1 lipase or higher"), read as the value where that grade
/// begins (`eligo_vocab::lab_grades`): "creatinine ≤ grade 2" is a creatinine of at most 3 × ULN.
/// Several tests are alternatives, so they are read in an exclusion only ("ALT or AST ≥ grade 2"),
/// where any of them excludes. Also returns whether the bound's operator holds its own "no".
fn graded_labs(a: &Analysis, section: Section) -> Option<(Vec<Computable>, bool)> {
    let cue = one_grade(a)?;
    let tests: Vec<_> = a
        .mentions
        .iter()
        .filter(|(m, _)| m.kind == EntityType::Measurement)
        .filter_map(|(m, r)| m.concept.as_ref().map(|c| (c, r)))
        .filter(|(c, _)| eligo_vocab::lab_grades(&c.id).is_some())
        .collect();
    if tests.is_empty() || (tests.len() > 1 && section != Section::Exclusion) {
        return None;
    }
    // "Grade 1 lipase or higher": the bound may follow the test written right after the grade.
    let after = tests.iter().map(|(_, r)| r.1).find(|&end| end > cue.tokens.1).unwrap_or(cue.tokens.1);
    let (from, upper, own_no) = grades_from(a, cue, after)?;
    let labs = tests
        .iter()
        .map(|(test, _)| {
            let grades = eligo_vocab::lab_grades(&test.id)?;
            let start = grades.start(from)?;
            // A higher grade is a higher value for an increase, a lower one for a decrease.
            let operator = match (grades.increasing, upper) {
                (true, false) => Operator::Gt,
                (true, true) => Operator::Le,
                (false, false) => Operator::Lt,
                (false, true) => Operator::Ge,
            };
            Some(Computable::Lab {
                test: (*test).clone(),
                comparison: Comparison::new(operator, start.value, None, Some(&start.unit)),
                uln_multiple: start.unit == "uln",
                window: None,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((labs, own_no))
}

/// The bound written before the grade at token `at`, past the grading system's name.
fn bound_before(tokens: &[Token], at: usize) -> Option<(Bound, bool)> {
    let mut end = at;
    while end > 0 && is_system_word(&tokens[end - 1]) {
        end -= 1;
    }
    let words: Vec<&str> = tokens[end.saturating_sub(6)..end].iter().map(|t| t.lower.as_str()).collect();
    let before = words.join(" ");
    BEFORE.iter().find_map(|&(op, bound, own_no)| {
        let rest = before.strip_suffix(op)?;
        (rest.is_empty() || rest.ends_with(' ')).then_some((bound, own_no))
    })
}

/// A grading system's word or version between operator and grade: "CTCAE", "v4.03", "4.0".
fn is_system_word(t: &Token) -> bool {
    let version = t.lower.strip_prefix('v').unwrap_or(&t.lower);
    SYSTEM_WORDS.contains(&t.lower.as_str())
        || (!version.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// "grade 2 or greater", "grade 1 or less": the bound written after the grade ending at `end`.
fn bound_after(tokens: &[Token], end: usize) -> Option<(Bound, bool)> {
    let (link, word) = (tokens.get(end)?, tokens.get(end + 1)?);
    if !matches!(link.lower.as_str(), "or" | "and") {
        return None;
    }
    if AFTER_UP.contains(&word.lower.as_str()) {
        Some((Bound::AtLeast, false))
    } else if AFTER_DOWN.contains(&word.lower.as_str()) {
        Some((Bound::AtMost, false))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    /// The grade qualifiers and the negation of the first criterion.
    fn read(text: &str) -> Option<(Vec<String>, bool)> {
        let c = parse_criteria(text).into_iter().next()?;
        match c.computable.first()? {
            Computable::Condition { scope, .. } => {
                let grades = scope.qualifiers.iter().filter(|q| q.value.starts_with("grade ")).map(|q| q.value.clone());
                Some((grades.collect(), c.negated))
            }
            _ => None,
        }
    }

    fn grade(value: &str, negated: bool) -> Option<(Vec<String>, bool)> {
        Some((vec![value.to_string()], negated))
    }

    #[test]
    fn a_lower_bound_is_the_grades_from_it_up() {
        assert_eq!(read("Exclusion Criteria:\n- Hearing loss of grade 3 or higher"), grade("grade 3 or higher", false));
        assert_eq!(
            read("Exclusion Criteria:\n- Peripheral neuropathy greater than grade 1"),
            grade("grade 2 or higher", false)
        );
        assert_eq!(read("Inclusion Criteria:\n- No sensory neurotoxicity > grade 2"), grade("grade 3 or higher", true));
    }

    #[test]
    fn an_upper_bound_excludes_the_grades_above_it() {
        assert_eq!(
            read("Inclusion Criteria:\n- Peripheral neuropathy ≤ CTCAE v5 grade 1"),
            grade("grade 2 or higher", true)
        );
        assert_eq!(
            read("Inclusion Criteria:\n- Neurotoxicity no greater than grade 1"),
            grade("grade 2 or higher", true)
        );
        assert_eq!(
            read("Inclusion Criteria:\n- Peripheral neuropathy grade 2 or less"),
            grade("grade 3 or higher", true)
        );
    }

    /// (test id, operator, value, unit) of every lab reading of the first criterion, and its negation.
    fn labs(text: &str) -> (Vec<(String, eligo_model::Operator, f64, String)>, bool) {
        let Some(c) = parse_criteria(text).into_iter().next() else { return (Vec::new(), false) };
        let labs = c.computable.iter().filter_map(|r| match r {
            Computable::Lab { test, comparison, .. } => Some((
                test.id.clone(),
                comparison.operator,
                comparison.value,
                comparison.unit.clone().unwrap_or_default(),
            )),
            _ => None,
        });
        (labs.collect(), c.negated)
    }

    #[test]
    fn a_lab_bounded_by_its_grade_is_the_value_where_the_grade_begins() {
        use eligo_model::Operator::{Ge, Gt, Le, Lt};
        let lab = |id: &str, op, value, unit: &str| (id.to_string(), op, value, unit.to_string());
        // An upper bound on an increase: at most where the next grade begins.
        assert_eq!(
            labs("Inclusion Criteria:\n- Serum bilirubin ≤ NCI CTCAE grade 1"),
            (vec![lab("ELIGO:lab.bilirubin", Le, 1.5, "uln")], false)
        );
        assert_eq!(
            labs("Inclusion Criteria:\n- Urine protein no greater than grade 1"),
            (vec![lab("ELIGO:lab.proteinuria", Le, 1.0, "g/24h")], false)
        );
        // A lower bound on a decrease: below where the grade begins.
        assert_eq!(
            labs("Exclusion Criteria:\n- Platelets greater than or equal to grade 3"),
            (vec![lab("ELIGO:lab.platelets", Lt, 50.0, "10^9/l")], false)
        );
        assert_eq!(
            labs("Inclusion Criteria:\n- Neutrophil count grade 1 or less"),
            (vec![lab("ELIGO:lab.anc", Ge, 1.5, "10^9/l")], false)
        );
        // Grade 1 begins at the limit of normal; the bound may follow the test.
        assert_eq!(
            labs("Exclusion Criteria:\n- Grade 1 amylase or higher at screening"),
            (vec![lab("ELIGO:lab.amylase", Gt, 1.0, "uln")], false)
        );
        // Tests joined are alternatives: read in an exclusion, never in an inclusion.
        let (either, _) = labs("Exclusion Criteria:\n- ALT or AST > grade 1");
        assert_eq!(either, vec![lab("ELIGO:lab.alt", Gt, 3.0, "uln"), lab("ELIGO:lab.ast", Gt, 3.0, "uln")]);
        assert!(labs("Inclusion Criteria:\n- ALT and AST ≤ grade 1").0.is_empty());
        // A test CTCAE does not grade by value, or a grade no value defines, stays unread.
        assert!(labs("Inclusion Criteria:\n- TSH ≤ grade 1").0.is_empty());
        assert!(labs("Inclusion Criteria:\n- Hemoglobin ≤ grade 3").0.is_empty());
    }

    #[test]
    fn a_grade_without_a_bound_or_with_two_grades_stays_as_written() {
        assert_eq!(read("Exclusion Criteria:\n- Peripheral neuropathy grade 2"), grade("grade 2", false));
        let (grades, _) = read("Exclusion Criteria:\n- Grade 2 or 3 peripheral neuropathy").unwrap_or_default();
        assert!(!grades.iter().any(|g| g.contains("higher")));
    }
}
