//! Property tests: `segment` never panics and keeps its invariants, on arbitrary strings, on
//! strings built from the pieces criteria are made of, and on mutated real records.

mod common;

use eligo_criteria::segment;
use proptest::prelude::*;

const PIECES: &[&str] = &[
    "Inclusion Criteria:",
    "EXCLUSION CRITERIA",
    "Key exclusion criteria:",
    "PATIENT CHARACTERISTICS:",
    "Hepatic:",
    "Age: 18 and over",
    "\n",
    "\n\n",
    "\r\n",
    "        ",
    "   ",
    "\t",
    "-",
    "--",
    " -- ",
    "*",
    "•",
    "·",
    "o ",
    "1.",
    "2)",
    "(3)",
    "a)",
    "b)",
    "i.",
    "ii.",
    "1) x 2) y",
    "e.g.",
    "i.e.",
    "vs.",
    "Dr.",
    "1.5",
    ". ",
    ": ",
    ":",
    "(",
    ")",
    "é",
    "≥",
    "🙂",
    "\u{2028}",
    "Prior chemotherapy",
    "Patients must have:",
    "No HIV. Pregnant",
    "will be excluded:",
];

fn pieces() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        let segments = segment(&text);
        prop_assert_eq!(common::check_invariants(&text, &segments), Ok(()));
    }

    #[test]
    fn strings_of_criteria_pieces(text in pieces()) {
        let segments = segment(&text);
        prop_assert_eq!(common::check_invariants(&text, &segments), Ok(()));
    }

    #[test]
    fn deterministic(text in pieces()) {
        prop_assert_eq!(segment(&text), segment(&text));
    }
}

/// Real records, cut, spliced and with pieces inserted at random places.
#[test]
fn mutated_real_records() {
    let Some(records) = common::corpus() else { return };
    let texts: Vec<Vec<char>> = records.iter().step_by(7).map(|(_, t)| t.chars().collect()).collect();
    let strategy = (
        0..texts.len(),
        0..texts.len(),
        prop::collection::vec((any::<prop::sample::Index>(), 0..4u8, prop::sample::select(PIECES)), 1..8),
    );
    let mut runner =
        proptest::test_runner::TestRunner::new(ProptestConfig { cases: 1500, ..ProptestConfig::default() });
    runner
        .run(&strategy, |(a, b, edits)| {
            let mut chars = texts[a].clone();
            for (at, op, piece) in edits {
                let i = if chars.is_empty() { 0 } else { at.index(chars.len() + 1) };
                match op {
                    0 => chars.splice(i..i, piece.chars()).for_each(drop),
                    1 => chars.truncate(i),
                    2 => {
                        let other = &texts[b];
                        let j = if other.is_empty() { 0 } else { at.index(other.len()) };
                        chars.splice(i..i, other[j..].iter().copied().take(400)).for_each(drop)
                    }
                    _ => {
                        let end = (i + 30).min(chars.len());
                        chars.drain(i..end).for_each(drop)
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            let segments = segment(&text);
            prop_assert_eq!(common::check_invariants(&text, &segments), Ok(()));
            Ok(())
        })
        .unwrap();
}
