//! Fragments scoped by their heading: a line that is only a value or a comparison means what its
//! heading names ("Life expectancy:" over "At least 12 weeks", "Creatinine clearance:" over
//! "50 mL/min"). Such a fragment is read as the heading and the fragment written as one sentence,
//! so "Life expectancy: / At least 12 weeks" becomes the same computable as "Life expectancy of at
//! least 12 weeks". Only the reading is borrowed: the criterion's span and entities stay on the
//! fragment as registered.

use eligo_model::{Computable, Section};

use crate::computable::requirements;
use crate::parse::Analysis;
use crate::text::TokenKind;

/// Headings longer than this are sentences, not the name of a topic; a fragment under them is left
/// as it is.
const MAX_HEADING_WORDS: usize = 5;

/// The fragment's reading in its heading's context, when the fragment starts with a value or a
/// comparison and names nothing itself, and the joined text gives a reading a chart can answer.
/// Returns the requirements and whether they are negated, as [`requirements`] does.
pub(crate) fn read_under_heading(
    section: Section,
    heading: Option<&str>,
    fragment: &Analysis,
) -> Option<(Vec<Vec<Computable>>, bool)> {
    let heading = heading?.trim().trim_end_matches(':').trim();
    let words = heading.split_whitespace().count();
    if words == 0 || words > MAX_HEADING_WORDS || !is_bare_value(fragment) {
        return None;
    }
    let mut joined: Vec<char> = heading.chars().collect();
    joined.push(' ');
    joined.extend_from_slice(&fragment.prepared.chars);
    let (groups, negated) = requirements(section, None, &Analysis::new(&joined));
    let decisive = groups.iter().flatten().any(|c| !matches!(c, Computable::NotComputable { .. }));
    decisive.then_some((groups, negated))
}

/// A fragment that opens with a quantity ("At least 12 weeks", "50 mL/min (uncorrected value)")
/// and names no finding, test or treatment of its own, nor the event a time is counted from
/// ("At least 1 week since prior cytokines" is a dated exposure, not a fragment).
fn is_bare_value(a: &Analysis) -> bool {
    let opens_with_quantity = a
        .quantities
        .first()
        .is_some_and(|q| q.tokens.0 == 0 || a.tokens[..q.tokens.0].iter().all(|t| t.kind != TokenKind::Word));
    opens_with_quantity && a.mentions.is_empty() && a.quantities.iter().all(|q| q.anchor_tokens.is_none())
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, NonComputableReason};

    fn readings(text: &str) -> Vec<Vec<Computable>> {
        parse_criteria(text).into_iter().map(|c| c.computable).collect()
    }

    #[test]
    fn a_value_under_its_heading_reads_as_the_heading_with_the_value() {
        let text = "PATIENT CHARACTERISTICS:\n\nLife expectancy:\n\n  - More than 16 weeks\n\n\
                    Renal:\n\n  - Creatinine clearance:\n      - 60 mL/min or more (measured)";
        let stated = "Inclusion Criteria:\n\n- Life expectancy of more than 16 weeks";
        let criteria = parse_criteria(text);
        let fragment = criteria.iter().find(|c| c.text == "More than 16 weeks").expect("fragment kept");
        assert_eq!(fragment.computable, readings(stated)[0]);
        // The span stays on the fragment as registered.
        let start = text.find("More than 16 weeks").expect("in text");
        assert_eq!((fragment.start, fragment.end), (start, start + "More than 16 weeks".len()));
    }

    #[test]
    fn a_fragment_that_names_its_own_subject_or_stands_alone_is_not_joined() {
        // Under no heading, a bare value stays unread.
        let alone = readings("Inclusion Criteria:\n\n- More than 16 weeks");
        assert_eq!(alone, vec![vec![Computable::NotComputable { reason: NonComputableReason::Unstructured }]]);
        // A long heading is a sentence, not a topic.
        let long = readings(
            "Inclusion Criteria:\n\nThe patient has a life expectancy that is judged as follows:\n\n  - More than 16 weeks",
        );
        assert!(long.iter().all(|g| g.iter().all(|c| matches!(c, Computable::NotComputable { .. }))), "{long:?}");
    }
}
