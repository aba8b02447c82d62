//! Criteria read in their context.
//!
//! Fragments scoped by their heading: a line that is only a value or a comparison means what its
//! heading names ("Life expectancy:" over "At least 12 weeks", "Creatinine clearance:" over
//! "50 mL/min"). Such a fragment is read as the heading and the fragment written as one sentence,
//! so "Life expectancy: / At least 12 weeks" becomes the same computable as "Life expectancy of at
//! least 12 weeks". Only the reading is borrowed: the criterion's span and entities stay on the
//! fragment as registered.
//!
//! Group conditionals ("If female, non-pregnant and not lactating"): the rule after the group is
//! read on its own, and the group stays the criterion's applicability, so a patient outside the
//! group finds the rule not applicable.

use eligo_model::{Computable, PregnancyState, Section};

use crate::computable::requirements;
use crate::parse::Analysis;
use crate::text::TokenKind;

/// Headings longer than this are sentences, not the name of a topic; a fragment under them is left
/// as it is.
const MAX_HEADING_WORDS: usize = 5;

/// An unread criterion's reading from its context: the heading a bare value stands under
/// ([`read_under_heading`]), or the rule after the group it applies to ([`read_consequent`]).
pub(crate) fn read_in_context(
    section: Section,
    heading: Option<&str>,
    a: &Analysis,
) -> Option<(Vec<Vec<Computable>>, bool)> {
    read_under_heading(section, heading, a).or_else(|| read_consequent(section, a))
}

/// The pregnancy rule of a group of women read on its own ("If female, non-pregnant and not
/// lactating": "non-pregnant and not lactating"; "Women must be non-pregnant and using
/// contraception"). The group ("female") is the criterion's applicability
/// ([`crate::roles::applies_if`]), so its words must not count as requirements beside the rule: a
/// sex beside a pregnancy word reads as a demographic requirement and hides the pregnancy rule.
/// Only pregnancy, lactation and contraception are taken: the rules written after other groups
/// ("For patients who had surgery, the margins must be free of tumour", "For cohort B, there is no
/// limit on prior lines") say more than their words read alone.
fn read_consequent(section: Section, a: &Analysis) -> Option<(Vec<Vec<Computable>>, bool)> {
    let from = a.tokens.get(a.group_end).filter(|_| a.group_end > 0)?.start;
    if !crate::roles::applies_if(a).iter().any(|c| matches!(c, Computable::Sex { .. })) {
        return None;
    }
    let (groups, negated) = requirements(section, None, &Analysis::new(&a.prepared.chars[from..]));
    let pregnancy_only = groups.iter().flatten().all(|c| matches!(c, Computable::Pregnancy { .. }));
    // One negation over "non-pregnant and using contraception" would forbid the contraception.
    let mixed = negated
        && groups.iter().flatten().any(|c| c == &Computable::Pregnancy { state: PregnancyState::Contraception });
    (pregnancy_only && !mixed && decisive(&groups)).then_some((groups, negated))
}

/// Whether any reading is one a chart can answer.
fn decisive(groups: &[Vec<Computable>]) -> bool {
    groups.iter().flatten().any(|c| !matches!(c, Computable::NotComputable { .. }))
}

/// The fragment's reading in its heading's context, when the fragment starts with a value or a
/// comparison and names nothing itself, and the joined text gives a reading a chart can answer.
/// Returns the requirements and whether they are negated, as [`requirements`] does.
fn read_under_heading(
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
    decisive(&groups).then_some((groups, negated))
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
    use eligo_model::{Computable, NonComputableReason, Sex};

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
    fn the_rule_of_a_group_conditional_is_read_for_that_group() {
        let criteria = parse_criteria("Inclusion Criteria:\n\n- If female, non-pregnant and not breastfeeding.");
        let rule = criteria.first().expect("one criterion");
        assert_eq!(rule.applies_if, vec![Computable::Sex { sex: Sex::Female }]);
        assert!(rule.computable.iter().any(|c| matches!(c, Computable::Pregnancy { .. })), "{criteria:?}");
        // Another rule after a group of women, or a condition that is no group, is left as it is.
        let mixed =
            readings("Inclusion Criteria:\n\n- Women must be non-pregnant and using an effective contraceptive method");
        assert!(mixed.iter().flatten().all(|c| matches!(c, Computable::NotComputable { .. })), "{mixed:?}");
        let partner = readings(
            "Inclusion Criteria:\n\n- For female participants, the vasectomised partner must be the sole partner.",
        );
        assert!(!partner.iter().flatten().any(|c| matches!(c, Computable::Sex { .. })), "{partner:?}");
        let plain = readings("Inclusion Criteria:\n\n- If the clinic is closed, visits move by one week.");
        assert!(plain.iter().flatten().all(|c| matches!(c, Computable::NotComputable { .. })), "{plain:?}");
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
