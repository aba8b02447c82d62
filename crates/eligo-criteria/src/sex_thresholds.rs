//! A threshold per sex: "Waist circumference: Men > 40 inches; Women > 35 inches", "more than 470
//! msec for females and more than 450 msec for males of mean QTc", "Hemoglobin ≥ 12 g/dL for women
//! and ≥ 13 g/dL for men". Each sex's threshold is a rule of its own that applies to that sex only
//! (`Criterion::applies_if`): one reading for everyone would hold women to the men's limit, or let
//! either limit pass for both.

use eligo_model::{Comparison, Computable, ConceptRef, EntityType, NonComputableReason, Sex};

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::quantity::Quantity;

/// Most tokens between a threshold and the sex it is written for ("> 21 units for males").
const MAX_GAP: usize = 3;

/// The readings of a line that states one test's threshold for each sex, each with the sex it
/// applies to; `None` unless the line names one test (read as that test's labs or not at all), both
/// sexes, and a threshold beside each.
pub(crate) fn per_sex(a: &Analysis, groups: &[Vec<Computable>]) -> Option<Vec<(Vec<Computable>, Sex)>> {
    let test = one_test(a)?;
    let only_this_test = groups.iter().flatten().all(|c| match c {
        Computable::Lab { test: t, .. } => t.id == test.id,
        Computable::NotComputable { reason } => *reason == NonComputableReason::Unstructured,
        _ => false,
    });
    if !only_this_test {
        return None;
    }
    let sexes: Vec<(Sex, (usize, usize))> = a
        .cues
        .iter()
        .filter_map(|c| match c.kind {
            CueKind::Sex("ELIGO:sex.male") => Some((Sex::Male, c.tokens)),
            CueKind::Sex("ELIGO:sex.female") => Some((Sex::Female, c.tokens)),
            _ => None,
        })
        .collect();
    let [(first_sex, first_at), (second_sex, second_at)] = sexes.as_slice() else { return None };
    if first_sex == second_sex {
        return None;
    }
    let thresholds = thresholds(a, &[*first_at, *second_at]);
    let [one, other] = thresholds.as_slice() else { return None };
    let nearest = |cue: (usize, usize)| if gap(one, cue) <= gap(other, cue) { (one, other) } else { (other, one) };
    let (first, second) = (nearest(*first_at), nearest(*second_at));
    if std::ptr::eq(first.0, second.0) || gap(first.0, *first_at) > MAX_GAP || gap(second.0, *second_at) > MAX_GAP {
        return None;
    }
    let rule = |(q, other): (&Threshold, &Threshold)| lab(test, (q.quantity, other.quantity));
    Some(vec![(vec![rule(first)?], first_sex.clone()), (vec![rule(second)?], second_sex.clone())])
}

/// A threshold and the tokens it spans with its restatement in brackets.
struct Threshold<'a> {
    quantity: &'a Quantity,
    tokens: (usize, usize),
}

/// The line's thresholds (no time), a value restated in other units in brackets taken as part of
/// the one before ("< 9 g/dL (5.6 mmol/L) for males", "> 65 kg (143 lb) for men"); a bracket after a
/// sex cue opens the other sex's threshold ("< 500 msec for men (470 msec for women)").
fn thresholds<'a>(a: &'a Analysis, sexes: &[(usize, usize)]) -> Vec<Threshold<'a>> {
    let mut out: Vec<Threshold> = Vec::new();
    for q in a.quantities.iter().filter(|q| q.time_unit.is_none()) {
        let bracketed = q.tokens.0 > 0 && matches!(a.tokens[q.tokens.0 - 1].lower.as_str(), "(" | "[");
        match out.last_mut() {
            Some(p) if bracketed && !sexes.iter().any(|s| s.0 >= p.tokens.1 && s.1 <= q.tokens.0) => {
                let closed = a.tokens.get(q.tokens.1).is_some_and(|t| matches!(t.lower.as_str(), ")" | "]"));
                p.tokens.1 = q.tokens.1 + usize::from(closed);
            }
            _ => out.push(Threshold { quantity: q, tokens: q.tokens }),
        }
    }
    out
}

/// Tokens between a threshold and a sex cue, on either side.
fn gap(t: &Threshold, cue: (usize, usize)) -> usize {
    if t.tokens.1 <= cue.0 {
        cue.0 - t.tokens.1
    } else {
        t.tokens.0.saturating_sub(cue.1)
    }
}

/// The line's one measurement with a concept; a test named by what it counts is read with its
/// period by `crate::counted`, not here.
pub(crate) fn one_test(a: &Analysis) -> Option<&ConceptRef> {
    let mut tests = a
        .mentions
        .iter()
        .filter(|(m, _)| m.kind == EntityType::Measurement)
        .filter_map(|(m, _)| m.concept.as_ref())
        .filter(|c| !crate::counted::is_counted(&c.id));
    let test = tests.next()?;
    tests.all(|t| t.id == test.id).then_some(test)
}

/// The test compared with threshold `q`; "< 500 msec for men (470 msec for women)": a value written
/// without an operator or unit takes those of the `other` threshold. `None` when neither has an
/// operator (a range or a value alone).
fn lab(test: &ConceptRef, (q, other): (&Quantity, &Quantity)) -> Option<Computable> {
    let operator = [q, other].into_iter().find(|t| t.operator_tokens.is_some() || t.value_high.is_some())?.operator;
    let unit = q.unit.as_deref().or(other.unit.as_deref());
    Some(Computable::Lab {
        test: test.clone(),
        comparison: Comparison::new(operator, q.value, q.value_high, unit),
        uln_multiple: q.uln_multiple,
        window: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Operator, Sex};

    /// (sex the rule applies to, test id, operator, value) of every lab criterion of a text.
    fn rules(text: &str) -> Vec<(Option<Sex>, String, Operator, f64)> {
        parse_criteria(text)
            .into_iter()
            .filter_map(|c| {
                let sex = c.applies_if.iter().find_map(|r| match r {
                    Computable::Sex { sex } => Some(sex.clone()),
                    _ => None,
                });
                match c.computable.first()? {
                    Computable::Lab { test, comparison, .. } => {
                        Some((sex, test.id.clone(), comparison.operator, comparison.value))
                    }
                    _ => None,
                }
            })
            .collect()
    }

    #[test]
    fn each_sex_has_its_own_threshold() {
        let hb = "ELIGO:lab.hemoglobin".to_string();
        assert_eq!(
            rules("Inclusion Criteria:\n- Hemoglobin ≥ 11.5 g/dL for women and ≥ 12.5 g/dL for men"),
            vec![(Some(Sex::Female), hb.clone(), Operator::Ge, 11.5), (Some(Sex::Male), hb, Operator::Ge, 12.5)]
        );
        let qtc = "ELIGO:lab.qtc".to_string();
        assert_eq!(
            rules("Exclusion Criteria:\n- More than 460 msec in females or more than 440 msec in males of QTc"),
            vec![(Some(Sex::Female), qtc.clone(), Operator::Gt, 460.0), (Some(Sex::Male), qtc, Operator::Gt, 440.0)]
        );
    }

    #[test]
    fn values_restated_in_brackets_are_not_thresholds_of_their_own() {
        let hb = "ELIGO:lab.hemoglobin".to_string();
        assert_eq!(
            rules("Exclusion Criteria:\n- Hb < 8 g/dl (5.0 mmol/l) for males and 7.5 g/dl (4.7 mmol/l) for females"),
            vec![(Some(Sex::Male), hb.clone(), Operator::Lt, 8.0), (Some(Sex::Female), hb, Operator::Lt, 7.5)]
        );
        let qtc = "ELIGO:lab.qtc".to_string();
        assert_eq!(
            rules("Inclusion Criteria:\n- QTc < 480 msec for men (490 msec for women)"),
            vec![(Some(Sex::Male), qtc.clone(), Operator::Lt, 480.0), (Some(Sex::Female), qtc, Operator::Lt, 490.0)]
        );
        // Two thresholds for one sex: no split.
        let read = rules("Inclusion Criteria:\n- Hb < 9 g/dL or > 17 g/dL (males) or < 9 g/dL or > 16 g/dL (females)");
        assert!(read.iter().all(|(sex, ..)| sex.is_none()), "{read:?}");
    }

    #[test]
    fn one_sex_or_a_sex_far_from_the_value_is_no_split() {
        let read = rules("Inclusion Criteria:\n- Men and women with a hemoglobin of at least 10 g/dL at screening");
        assert!(read.iter().all(|(sex, ..)| sex.is_none()), "{read:?}");
        let read = rules("Inclusion Criteria:\n- Women: hemoglobin ≥ 10 g/dL");
        assert!(read.iter().all(|(sex, ..)| sex != &Some(Sex::Male)), "{read:?}");
    }
}
