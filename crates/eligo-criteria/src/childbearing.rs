//! Criteria about childbearing potential itself: "Female subjects must be of non-childbearing
//! potential", "Women not of childbearing potential due to sterilisation or menopause", "Patients
//! of child bearing potential" (an exclusion).
//!
//! Most criteria that name childbearing potential use it to say whom a pregnancy or contraception
//! rule concerns ("Women of childbearing potential must use contraception"); those are read as
//! that rule, and this module leaves them alone. What is left is a criterion whose only requirement
//! is the potential, with or without "non-" / "not": a [`PregnancyState::ChildbearingPotential`]
//! reading, negated by that word. A sentence that defines the term ("Non-childbearing potential is
//! defined as ...", "Women are considered not of childbearing potential if ...") selects nobody: it
//! is structure, read by the criterion that uses the term.

use eligo_model::{Computable, NonComputableReason, PregnancyState};

use crate::cues::CueKind;
use crate::parse::Analysis;
use crate::text::WordSet;

/// Words that, right before the term, deny it: "non-childbearing", "not a woman of childbearing
/// potential".
static DENYING: WordSet = WordSet::new("non not no without");

/// Words that make the sentence a definition of the term rather than a requirement.
static DEFINING: WordSet = WordSet::new("defined definition means meaning considered deemed those");

/// Words after the term that open a rule about the group the term names ("Women of childbearing
/// potential who ...", "... must agree to ..."): that rule, not the potential, is the requirement,
/// and it is not this module's to read.
static RULE_FOLLOWS: WordSet =
    WordSet::new("who whom that which must should will shall unless agree agrees willing unwilling :");

/// Words anywhere that make the potential someone else's, a plan, or a scope note rather than the
/// requirement: "men with partners of childbearing potential", "applies only to women of
/// childbearing potential", "may be enrolled".
static NOT_THE_REQUIREMENT: WordSet =
    WordSet::new("partner partners desire desires wish plan planning apply applies may");

/// Words right before the term that make it name a group: "For women of childbearing potential",
/// "if of childbearing potential," (the rule for them is elsewhere).
static NAMES_A_GROUP: WordSet = WordSet::new("for if");

/// How many words before the term a denying or group word may stand ("not a woman of").
const BEFORE: usize = 4;

/// What a criterion about childbearing potential requires, and whether it denies the potential.
pub(crate) enum Childbearing {
    /// The potential (`negated`: its absence) is the requirement.
    Requirement { reading: Computable, negated: bool },
    /// The sentence defines the term.
    Definition(Computable),
}

/// Reads a criterion whose requirement is childbearing potential, if it is one.
pub(crate) fn childbearing_potential(a: &Analysis) -> Option<Childbearing> {
    if a.cues.iter().any(|c| matches!(c.kind, CueKind::Pregnancy(_))) {
        return None;
    }
    let (start, end) = term_at(a)?;
    if a.tokens.iter().any(|t| DEFINING.contains(&t.lower)) {
        return Some(Childbearing::Definition(Computable::NotComputable { reason: NonComputableReason::Structure }));
    }
    let before = &a.tokens[start.saturating_sub(BEFORE)..start];
    let negated = before.iter().any(|t| DENYING.contains(&t.lower)) || a.tokens[start].lower == "nonchildbearing";
    // "Of non-childbearing potential, or": one alternative of several, which alone says nothing.
    let one_alternative =
        a.tokens.iter().rev().find(|t| t.lower.chars().any(char::is_alphanumeric)).is_some_and(|t| t.lower == "or");
    let not_the_requirement = one_alternative
        || a.tokens[end..].iter().any(|t| RULE_FOLLOWS.contains(&t.lower))
        || a.tokens.iter().any(|t| NOT_THE_REQUIREMENT.contains(&t.lower))
        || (!negated && before.iter().any(|t| NAMES_A_GROUP.contains(&t.lower)));
    if not_the_requirement {
        return None;
    }
    let reading = Computable::Pregnancy { state: PregnancyState::ChildbearingPotential };
    Some(Childbearing::Requirement { reading, negated })
}

/// The token range of "childbearing potential" (also "child bearing", "child-bearing", "of
/// childbearing age", "reproductive potential", "non-childbearing status").
fn term_at(a: &Analysis) -> Option<(usize, usize)> {
    let words: Vec<&str> = a.tokens.iter().map(|t| t.lower.as_str()).collect();
    (0..words.len()).find_map(|k| {
        let after_child = match words[k..] {
            ["childbearing" | "child-bearing" | "nonchildbearing", ..] => k + 1,
            ["child", "bearing", ..] => k + 2,
            ["child", "-", "bearing", ..] => k + 3,
            ["reproductive", "potential", ..] => return Some((k, k + 2)),
            _ => return None,
        };
        matches!(words.get(after_child), Some(&("potential" | "age" | "status"))).then_some((k, after_child + 1))
    })
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, NonComputableReason, PregnancyState};

    use crate::parse_criteria;

    fn read(section: &str, text: &str) -> (bool, Vec<Computable>) {
        let c = parse_criteria(&format!("{section} Criteria:\n\n* {text}")).into_iter().next().expect("a criterion");
        (c.negated, c.computable)
    }

    fn is_potential(readings: &[Computable]) -> bool {
        readings == [Computable::Pregnancy { state: PregnancyState::ChildbearingPotential }]
    }

    #[test]
    fn a_requirement_of_no_childbearing_potential_is_a_negated_reading() {
        for text in [
            "Female participants must be of non-childbearing potential.",
            "Women not of child-bearing potential owing to sterilisation or menopause",
            "Of non child bearing potential",
            "Be of nonchildbearing potential",
            "Not a woman of childbearing potential",
            "A female is eligible if she is of non-childbearing potential",
        ] {
            let (negated, readings) = read("Inclusion", text);
            assert!(negated && is_potential(&readings), "{text}: {readings:?}");
        }
        let (negated, readings) = read("Exclusion", "Participants of childbearing potential.");
        assert!(!negated && is_potential(&readings), "{readings:?}");
    }

    #[test]
    fn the_term_beside_another_rule_or_in_a_definition_is_no_requirement_of_its_own() {
        let (_, readings) = read("Inclusion", "Women of childbearing potential must use two methods of contraception");
        assert!(readings.iter().all(|c| matches!(c, Computable::Pregnancy { state: PregnancyState::Contraception })));
        let (_, readings) = read("Exclusion", "Women of childbearing potential who are breastfeeding");
        assert!(!is_potential(&readings), "{readings:?}");
        for text in [
            "Women of childbearing potential must:",
            "For women of reproductive potential: sexual abstinence",
            "Or, if of child-bearing potential,",
            "Of non-childbearing potential, or",
            "Men whose partners are of childbearing potential",
            "This rule applies only to women of childbearing potential",
            "Females of non-childbearing potential may be enrolled",
        ] {
            let (_, readings) = read("Inclusion", text);
            assert!(!is_potential(&readings), "{text}: {readings:?}");
        }
        let (_, readings) = read(
            "Inclusion",
            "Non-childbearing potential is defined as at least 50 years old with no menses for a year",
        );
        assert_eq!(readings, [Computable::NotComputable { reason: NonComputableReason::Structure }]);
    }
}
