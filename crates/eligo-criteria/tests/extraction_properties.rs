//! Property tests for extraction: `parse_criteria` never panics, every entity and every sub-span
//! lies inside its criterion (so inside the text), an entity's text is the text at its offsets, and
//! every criterion has at least one computable reading (what cannot be computed is marked, never
//! dropped).

mod common;

use eligo_criteria::{extract_entities, parse_criteria, parse_requirements};
use eligo_model::{Criterion, Entity};
use proptest::prelude::*;

/// Pieces extraction reacts to: operators, numbers, units, multiples of normal, time words, cue
/// words, vocabulary terms, glued words and odd characters.
const PIECES: &[&str] = &[
    "Inclusion Criteria:",
    "Exclusion Criteria:",
    "\n- ",
    "\n1. ",
    " ",
    ", or ",
    "; ",
    ". ",
    "Age",
    "aged",
    "18",
    "1.5",
    "0,5",
    "-",
    "–",
    "~",
    "to",
    "between",
    "and",
    "years",
    "years of age or older",
    "months",
    "<",
    ">",
    "≥",
    "<=",
    ">/=",
    "at least",
    "less than or equal to",
    "x ULN",
    "ULN",
    "×109/L",
    "x10^9/L",
    "g/L",
    "mg/dL",
    "ml/min",
    "%",
    "within",
    "prior to screening",
    "in the last",
    "for more than",
    "eGFR",
    "IgG",
    "ALT or AST",
    "rituximab",
    "Benlysta",
    "hepatitis B",
    "HBsAg positive",
    "pregnant",
    "breastfeeding",
    "contraception",
    "no",
    "not",
    "other than",
    "history of",
    "women",
    "informed consent",
    "investigator's opinion",
    "withother",
    "Bsurface",
    "disease",
    "surgery",
    "anti-TNF",
    "é",
    "🙂",
    "\u{2028}",
    // Performance status, markers, demographics, the trial's intervention, structure.
    "ECOG",
    "Zubrod PS",
    "Karnofsky",
    "Lansky",
    "performance status of",
    "0 or 1",
    "3+",
    "1+",
    "(-)",
    "+/",
    "HER2",
    "ER",
    "PR",
    "EGFR",
    "HR",
    "BRCA1/2",
    "V600E",
    "wild-type",
    "mutation in",
    "positive",
    "negative",
    "breast cancer",
    "both genders",
    "Male or female",
    "patients",
    "(>=)",
    "study drug",
    "MK-3475",
    "ABC1234",
    "received",
    "first dose of",
    "OR",
    "Not specified",
    "may apply",
    "Performance status",
    "normal",
    "above the upper limit of normal",
    "arrhythmias",
    "(",
    ")",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..60).prop_map(|v| v.concat())
}

fn check_entity(chars: &[char], e: &Entity, within: (usize, usize)) -> Result<(), String> {
    let inside = |s: usize, t: usize| within.0 <= s && s <= t && t <= within.1;
    if !inside(e.start, e.end) || e.start == e.end {
        return Err(format!("entity {:?} {}..{} outside {}..{}", e.kind, e.start, e.end, within.0, within.1));
    }
    let text: String = chars[e.start..e.end].iter().collect();
    if text != e.text {
        return Err(format!("entity text {:?} != text at its offsets {text:?}", e.text));
    }
    if let Some(c) = &e.comparison {
        for span in [c.operator_span, c.value_span, c.value_high_span, c.unit_span].into_iter().flatten() {
            if !inside(span.start, span.end) {
                return Err(format!("sub-span {}..{} outside the criterion", span.start, span.end));
            }
        }
    }
    Ok(())
}

fn check(text: &str, criteria: &[Criterion]) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    for c in criteria {
        if c.end > chars.len() || c.start >= c.end {
            return Err(format!("criterion {}..{} outside the text ({} chars)", c.start, c.end, chars.len()));
        }
        if c.computable.is_empty() {
            return Err(format!("criterion {:?} has no computable reading", c.text));
        }
        for e in &c.entities {
            check_entity(&chars, e, (c.start, c.end))?;
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        prop_assert_eq!(check(&text, &parse_criteria(&text)), Ok(()));
    }

    #[test]
    fn strings_of_criteria_pieces(text in pieces()) {
        prop_assert_eq!(check(&text, &parse_criteria(&text)), Ok(()));
    }

    #[test]
    fn entities_of_any_text_stay_inside_it(text in pieces()) {
        let chars: Vec<char> = text.chars().collect();
        for e in extract_entities(&text) {
            prop_assert_eq!(check_entity(&chars, &e, (0, chars.len())), Ok(()));
        }
    }

    #[test]
    fn deterministic(text in pieces()) {
        prop_assert_eq!(parse_criteria(&text), parse_criteria(&text));
    }

    #[test]
    fn requirements_are_the_criteria_without_their_markup(text in pieces()) {
        prop_assert_eq!(parse_requirements(&text), without_markup(parse_criteria(&text)));
    }
}

fn without_markup(mut criteria: Vec<Criterion>) -> Vec<Criterion> {
    for c in &mut criteria {
        c.entities.clear();
    }
    criteria
}

/// A list of alternatives (one criterion gathering its items' mark-up) and a line read as two rules
/// keep everything but the mark-up when parsed for their requirements.
#[test]
fn requirements_of_a_list_and_a_split_line_keep_all_but_the_markup() {
    let text = "Inclusion Criteria:\n- At least one of the following:\n  - HbA1c above 7 %\n  - fasting \
                glucose over 126 mg/dL\n- Haemoglobin of 12 g/dL or more for women and 13 g/dL or more for men";
    let full = parse_criteria(text);
    assert!(full.iter().any(|c| !c.entities.is_empty()), "the full parse has mark-up");
    let lean = parse_requirements(text);
    assert!(lean.iter().all(|c| c.entities.is_empty()));
    assert_eq!(lean, without_markup(full));
}

/// Every real record of the shared corpus parses with the invariants intact.
#[test]
fn whole_corpus_keeps_the_invariants() {
    let Some(records) = common::corpus() else { return };
    for (id, text) in records.iter().step_by(3) {
        if let Err(e) = check(text, &parse_criteria(text)) {
            panic!("{id}: {e}");
        }
    }
}
