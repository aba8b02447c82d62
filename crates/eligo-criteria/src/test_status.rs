//! A test that must have been done, whatever its result: "Known hormone receptor status", "ER, PR
//! and HER2 status determined locally", "Serum LDH performed within 14 days prior to registration",
//! and its opposite, "HER2 status unknown", "PD-L1 status cannot be determined".
//!
//! Oncology protocols select patients by whether a marker *has been tested* as often as by its
//! result (a trial stratifies by hormone receptor status, or needs a baseline LDH on file). Such a
//! criterion is a [`Computable::Lab`] of the test compared `= 1` (or `≠ 1`) in the unit
//! [`KNOWN_RESULT_UNIT`]: any recorded result of the test meets "known", whatever its value. It is read
//! only when the criterion states nothing else the engine reads: a result word ("HER2-positive",
//! "creatinine ≤ 1.5 × ULN") is the stronger reading, and conditional sentences ("If ER status is
//! not reported, ...") are instructions to the site, not requirements.

use eligo_model::{Comparison, Computable, EntityType, Operator, KNOWN_RESULT_UNIT};

use crate::parse::Analysis;
use crate::performance::is_performance_scale;
use crate::text::WordSet;

/// Words that say a test was done or its result is on file.
static DONE_WORDS: WordSet = WordSet::new(
    "known determined documented performed assessed tested obtained reported measured evaluated done available",
);

/// Done-words that say so only of a status ("known hormone receptor status"): "known risk" or a
/// "known mutation" is a finding, not a test on file.
static STATUS_ONLY_WORDS: WordSet = WordSet::new("known available reported");

/// Words that say it was not ("unknown", "cannot be determined", "pending").
static NOT_DONE_WORDS: WordSet = WordSet::new("unknown undetermined unavailable missing pending indeterminate");

/// Words that turn a following done-word around ("not known", "cannot be determined").
static NEGATORS: WordSet = WordSet::new("not no cannot never unable");

/// Words that state a requirement ("must be documented", "required", "should have ... obtained").
static REQUIREMENT_WORDS: WordSet = WordSet::new("must required requires should need needs have has having");

/// Words that make a sentence something else: a conditional, future or permissive instruction to the
/// site ("If ER status is not reported, ...", "HER2 will be determined centrally", "samples may be
/// tested"), a result ("abnormal
/// TP53 on testing", "a known mutation"), a grade or a risk.
static OTHER_READING_WORDS: WordSet = WordSet::new(
    "if when whenever unless will may positive negative abnormal normal elevated mutation mutations mutated \
     mutant grade risk",
);

/// The tests a criterion requires to have a result (or to lack one), each its own requirement ("ER,
/// PR and HER2 status known" needs all three); none when it is not such a criterion.
pub(crate) fn test_status(a: &Analysis) -> Vec<Vec<Computable>> {
    let not_required = a.tokens.windows(2).any(|w| w[0].lower == "not" && REQUIREMENT_WORDS.contains(&w[1].lower));
    if not_required || a.tokens.iter().any(|t| OTHER_READING_WORDS.contains(&t.lower)) {
        return Vec::new();
    }
    let Some(known) = stated_status(a) else { return Vec::new() };
    let tests: Vec<_> = a
        .mentions
        .iter()
        .filter(|(m, _)| m.kind == EntityType::Measurement)
        .filter_map(|(m, _)| m.concept.clone())
        .filter(|c| !is_performance_scale(&c.id))
        .collect();
    let window = a.quantities.iter().find_map(|q| crate::parse::window(a, q));
    let mut out: Vec<Vec<Computable>> = Vec::new();
    for test in tests {
        let reading =
            Computable::Lab { test, comparison: known_comparison(known), uln_multiple: false, window: window.clone() };
        if !out.iter().flatten().any(|r| *r == reading) {
            out.push(vec![reading]);
        }
    }
    out
}

/// Whether the criterion says the result is known (`true`) or not known (`false`); `None` when it
/// says neither. A "status" word is needed for the words that also describe findings ("known",
/// "available"), and a requirement word for the others ("LDH *must* be *performed*").
fn stated_status(a: &Analysis) -> Option<bool> {
    let has = |words: &WordSet| a.tokens.iter().any(|t| words.contains(&t.lower));
    let status = a.tokens.iter().any(|t| t.lower == "status");
    let required = has(&REQUIREMENT_WORDS);
    let mut stated = None;
    for (k, t) in a.tokens.iter().enumerate() {
        if NOT_DONE_WORDS.contains(&t.lower) && status {
            return Some(false);
        }
        if !DONE_WORDS.contains(&t.lower) || !(status || (required && !STATUS_ONLY_WORDS.contains(&t.lower))) {
            continue;
        }
        let negated = (k.saturating_sub(2)..k).any(|j| a.tokens.get(j).is_some_and(|p| NEGATORS.contains(&p.lower)));
        if negated {
            return Some(false);
        }
        stated = Some(true);
    }
    stated
}

/// `= 1 known` or `≠ 1 known`.
pub(crate) fn known_comparison(known: bool) -> Comparison {
    Comparison::new(if known { Operator::Eq } else { Operator::Ne }, 1.0, None, Some(KNOWN_RESULT_UNIT))
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, Operator};

    use crate::parse_criteria;

    /// (test concept id, operator) of every "known" reading.
    fn known(text: &str) -> Vec<(String, Operator)> {
        parse_criteria(text)
            .into_iter()
            .flat_map(|c| c.computable)
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. }
                    if comparison.unit.as_deref() == Some(eligo_model::KNOWN_RESULT_UNIT) =>
                {
                    Some((test.id, comparison.operator))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_marker_whose_status_must_be_known_is_read_as_a_test_with_a_result() {
        assert_eq!(known("Known hormone receptor status"), vec![("ELIGO:marker.hr".to_string(), Operator::Eq)]);
        let read = known("ER, PR and HER2 status determined by the local laboratory");
        assert_eq!(read.len(), 3, "{read:?}");
        assert!(read.iter().all(|(_, op)| *op == Operator::Eq));
    }

    #[test]
    fn a_status_not_known_is_the_opposite_requirement() {
        assert_eq!(known("HER2 status unknown"), vec![("ELIGO:marker.her2".to_string(), Operator::Ne)]);
        assert_eq!(known("PD-L1 status cannot be determined"), vec![("ELIGO:marker.pdl1".to_string(), Operator::Ne)]);
    }

    #[test]
    fn a_lab_that_must_be_on_file_keeps_its_window() {
        let read = parse_criteria("Patients must have a serum LDH performed within 14 days prior to registration");
        let window = read.iter().flat_map(|c| &c.computable).find_map(|c| match c {
            Computable::Lab { window, comparison, .. }
                if comparison.unit.as_deref() == Some(eligo_model::KNOWN_RESULT_UNIT) =>
            {
                window.clone()
            }
            _ => None,
        });
        assert_eq!(window.and_then(|w| w.within).map(|d| d.value), Some(14.0));
    }

    #[test]
    fn a_result_or_a_site_instruction_is_not_a_status_requirement() {
        assert!(known("HER2-positive status confirmed by central testing").is_empty());
        assert!(known("If ER status is not reported, the results must be requested").is_empty());
        assert!(known("HER2 status will be determined centrally").is_empty());
        assert!(known("Known risk to prolong the QTc interval").is_empty());
        assert!(known("Patients must have abnormal TP53 on genomic testing").is_empty());
        assert!(known("They are monitored with weekly INR testing").is_empty());
        assert!(known("Known PD-L1 status is not required prior to enrolment").is_empty());
    }
}
