//! An age that says *for whom* or *when*, not who may enter: the age band of a threshold
//! ("Creatinine ≤ 0.8 mg/dL (for patients 1 to 5 years old)", "2 to < 6 years: 0.8 mg/dL"), the
//! age a rule holds from ("Smoking if ≥ 35 years old", "Subject (≥ 6 y) has an active suicidal
//! plan"), and the age at an event ("febrile seizures prior to age 5", "wheezing when aged 6 months
//! or over"). Read as an age requirement it would exclude (or require) everyone of that age; a band
//! or a condition goes to `applies_if` instead, as a sex does in `crate::sex_thresholds`, and the
//! age at an event is no requirement at all.

use eligo_model::{Computable, NonComputableReason, Section, TimeUnit};

use crate::parse::Analysis;
use crate::quantity::{Quantity, TimeRole};
use crate::text::{TokenKind, WordSet};

/// Words that make the age after them the condition of the rule ("if ≥ 35 years", "for > 16 years
/// of age").
static CONDITION_WORDS: WordSet = WordSet::new("if for whilst while");

/// Words that make the age after them the time of an event ("prior to age 5", "when aged 6
/// months", "at age 2", "before 40 years of age").
static EVENT_WORDS: WordSet = WordSet::new("prior before after at since when until");

/// Words of an age itself, allowed between a marker word and the number ("if aged", "at the age of").
static AGE_WORDS: WordSet = WordSet::new("age aged ages the of");

/// Most tokens between a marker word and the age it governs.
const REACH: usize = 4;

/// How a written age is used.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// The people the rule holds for: a band or a condition.
    Band,
    /// The age at which something happened.
    Event,
    /// An age requirement of its own.
    Requirement,
}

/// Takes a context age out of the requirements: returns the band the rule applies to (for
/// `applies_if`), if one. Lines with any plain age requirement, or with nothing but the age to
/// qualify, are left as they are.
pub(crate) fn apply(
    a: &Analysis,
    section: Section,
    parent: Option<&[char]>,
    groups: &mut Vec<Vec<Computable>>,
) -> Option<Computable> {
    if !groups.iter().flatten().any(|c| matches!(c, Computable::Age { .. })) {
        return None;
    }
    let ages: Vec<&Quantity> = a.quantities.iter().filter(|q| is_age_quantity(a, q)).collect();
    let roles: Vec<Role> = ages.iter().map(|q| role(a, q, section)).collect();
    if roles.is_empty() || roles.contains(&Role::Requirement) || !qualifies_something(a, &ages, groups) {
        return None;
    }
    let band = groups.iter().flatten().find(|c| matches!(c, Computable::Age { .. })).cloned();
    for group in groups.iter_mut() {
        group.retain(|c| !matches!(c, Computable::Age { .. }));
    }
    groups.retain(|g| !g.is_empty());
    if groups.is_empty() {
        // A row of a table of thresholds by age ("Creatinine by age:" then "≤ 0.8 mg/dL (1 to 5
        // years)"): the test named by the line above, else unread, never an age.
        let reading = parent.and_then(|p| row_threshold(a, &ages, p));
        *groups =
            vec![vec![reading.unwrap_or(Computable::NotComputable { reason: NonComputableReason::Unstructured })]];
    }
    // Two bands on one line are alternatives ("KPS for > 16 years or LPS for ≤ 16 years"): neither
    // holds for the whole line.
    (roles.iter().all(|r| *r == Role::Band) && bands(&ages) == 1).then_some(band).flatten()
}

/// The threshold of a row whose test the parent line names: the row's one compared value outside
/// its age ("≤ 0.8 mg/dL"), a value without an operator left unread (its direction is the table's).
fn row_threshold(a: &Analysis, ages: &[&Quantity], parent: &[char]) -> Option<Computable> {
    let inside_an_age = |k: usize| ages.iter().any(|g| g.tokens.0 <= k && k < g.tokens.1);
    let mut values = a.quantities.iter().filter(|q| q.time_unit.is_none() && !inside_an_age(q.value_token));
    let q = values.next().filter(|q| q.operator_tokens.is_some() && q.unit.is_some())?;
    if values.next().is_some() {
        return None;
    }
    let parent = Analysis::new(parent);
    let test = crate::sex_thresholds::one_test(&parent)?.clone();
    Some(Computable::Lab {
        test,
        comparison: eligo_model::Comparison::new(q.operator, q.value, q.value_high, q.unit.as_deref()),
        uln_multiple: q.uln_multiple,
        window: None,
    })
}

/// The quantities an age reading is made of: a number in years or months compared as such, or a
/// bare number right after an age word ("prior to age 5").
fn is_age_quantity(a: &Analysis, q: &Quantity) -> bool {
    let in_years =
        matches!(q.time_unit, Some(TimeUnit::Years | TimeUnit::Months)) && q.time_role == Some(TimeRole::Plain);
    let after_age_word = q.unit.is_none()
        && q.time_unit.is_none()
        && q.tokens
            .0
            .checked_sub(1)
            .and_then(|k| a.tokens.get(k))
            .is_some_and(|t| matches!(t.lower.as_str(), "age" | "aged" | "of"))
        && a.tokens
            .get(..q.tokens.0)
            .is_some_and(|ts| ts.iter().rev().take(3).any(|t| matches!(t.lower.as_str(), "age" | "aged")));
    in_years || after_age_word
}

/// Ages written next to each other ("13 to < 16 years") are one band.
fn bands(ages: &[&Quantity]) -> usize {
    1 + ages.windows(2).filter(|w| w[1].tokens.0 > w[0].tokens.1 + 2).count()
}

/// What the age qualifies: another reading, a threshold of its own ("≤ 0.8 mg/dL (for patients 1
/// to 5 years old)"), or words of a rule the engine did not read ("Daily alcohol use if ≥ 40
/// years", "Subject (≥ 6 y) has an active suicidal plan"), never only the people and their age.
fn qualifies_something(a: &Analysis, ages: &[&Quantity], groups: &[Vec<Computable>]) -> bool {
    let other_reading = groups
        .iter()
        .flatten()
        .any(|c| !matches!(c, Computable::Age { .. } | Computable::Sex { .. } | Computable::NotComputable { .. }));
    let inside_an_age = |k: usize| ages.iter().any(|g| g.tokens.0 <= k && k < g.tokens.1);
    let threshold = a.quantities.iter().any(|q| q.time_unit.is_none() && !inside_an_age(q.value_token));
    let rule_words = a
        .tokens
        .iter()
        .enumerate()
        .filter(|(k, t)| {
            t.kind == TokenKind::Word
                && !inside_an_age(*k)
                && !AGE_WORDS.contains(&t.lower)
                && !CONDITION_WORDS.contains(&t.lower)
                && !EVENT_WORDS.contains(&t.lower)
                && !crate::demographics::PERSON_WORDS.contains(&t.lower.as_str())
                && !matches!(
                    t.lower.as_str(),
                    "y" | "years" | "year" | "old" | "months" | "or" | "and" | "over" | "older"
                )
        })
        .count();
    other_reading || threshold || rule_words >= 2
}

/// The role of one written age.
fn role(a: &Analysis, q: &Quantity, section: Section) -> Role {
    let start = q.operator_tokens.map_or(q.value_token, |(s, _)| s).min(q.tokens.0);
    let before = &a.tokens[start.saturating_sub(REACH)..start];
    // The marker word and only age words between it and the number.
    let marked_by = |words: &WordSet| {
        before.iter().rposition(|t| words.contains(&t.lower)).is_some_and(|k| {
            before[k + 1..].iter().all(|t| AGE_WORDS.contains(&t.lower) || t.kind != TokenKind::Word || t.lower == "to")
        })
    };
    // "Age: adult at the age of 18-80", "Age allowing legal consent (18-21 years)": a line about
    // the age itself states the requirement.
    if a.tokens.first().is_some_and(|t| matches!(t.lower.as_str(), "age" | "aged" | "ages")) {
        return Role::Requirement;
    }
    if marked_by(&EVENT_WORDS) {
        return Role::Event;
    }
    // "are eligible if aged 18 to 65": the condition of eligibility is the requirement.
    let eligible_if = a.tokens[..start].iter().any(|t| matches!(t.lower.as_str(), "eligible" | "included"));
    let condition = marked_by(&CONDITION_WORDS) && !eligible_if;
    if condition || opens_a_band(a, q) || excluded_people(a, q, section) {
        return Role::Band;
    }
    match bracket_before(a, start) {
        // "Adults (≥ 18 years) with ...": in an inclusion, the people's own age is required.
        Some(open) if section == Section::Exclusion || !after_people(a, open) => Role::Band,
        _ => Role::Requirement,
    }
}

/// In an exclusion, the age of the people the rule is about, written as its subject ("Patients
/// aged ≥ 20 years with a known allergy to X", "Subjects ≥ 3 years of age who have received Y"):
/// it excludes those of that age with X, not everyone of that age.
fn excluded_people(a: &Analysis, q: &Quantity, section: Section) -> bool {
    let words =
        |range: std::ops::Range<usize>| a.tokens.get(range.start..range.end.min(a.tokens.len())).unwrap_or_default();
    let person_before = words(q.tokens.0.saturating_sub(2)..q.tokens.0)
        .iter()
        .any(|t| crate::demographics::PERSON_WORDS.contains(&t.lower.as_str()));
    // In the same item: "children < 1 year old; people with eczema" lists two exclusions.
    let rule_after = words(q.tokens.1..q.tokens.1 + 4)
        .iter()
        .take_while(|t| !matches!(t.lower.as_str(), ";" | "." | ","))
        .any(|t| matches!(t.lower.as_str(), "with" | "who" | "that" | "having"));
    section == Section::Exclusion && person_before && rule_after
}

/// "2 to < 6 years: 0.8 mg/dL": an age that opens the line (only numbers before it) and is
/// followed by a colon.
fn opens_a_band(a: &Analysis, q: &Quantity) -> bool {
    let opens =
        a.tokens.get(..q.tokens.0).is_some_and(|ts| ts.iter().all(|t| t.kind != TokenKind::Word || t.lower == "to"));
    let colon = a.tokens.iter().skip(q.tokens.1).take(4).any(|t| t.lower == ":");
    opens && colon
}

/// The open bracket the age stands in ("(13-15 years of age)", "(for patients 1 to 5 years
/// old)"), within a few tokens before it; never a bracket at the start of the line.
fn bracket_before(a: &Analysis, start: usize) -> Option<usize> {
    let from = start.saturating_sub(REACH);
    let k = (from..start).rev().find(|&k| matches!(a.tokens[k].lower.as_str(), "(" | "[" | ")" | "]"))?;
    (matches!(a.tokens[k].lower.as_str(), "(" | "[") && k > 0).then_some(k)
}

/// Whether the word before an open bracket names the people ("Adults (≥ 18 years)", "Adult and
/// adolescent (12 years of age or older) participants").
fn after_people(a: &Analysis, open: usize) -> bool {
    open.checked_sub(1).and_then(|k| a.tokens.get(k)).is_some_and(|t| {
        crate::demographics::PERSON_WORDS.contains(&t.lower.as_str()) || LIFE_STAGES.contains(&t.lower)
    })
}

/// Age groups in the singular, as they stand before a bracketed age ("adolescent (12 years or
/// older)").
static LIFE_STAGES: WordSet = WordSet::new("adolescent adult child infant man woman elderly pediatric paediatric");

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Criterion, Duration, NonComputableReason, TimeUnit};

    fn criteria(text: &str) -> Vec<Criterion> {
        parse_criteria(text)
    }

    fn ages_required(found: &[Criterion]) -> usize {
        found.iter().flat_map(|c| &c.computable).filter(|c| matches!(c, Computable::Age { .. })).count()
    }

    fn years(v: f64) -> Option<Duration> {
        Some(Duration::new(v, TimeUnit::Years))
    }

    #[test]
    fn the_age_band_of_a_threshold_is_whom_it_applies_to() {
        let found = criteria("Inclusion Criteria:\n- Bilirubin ≤ 1.1 mg/dL (for children 2 to 9 years old)");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        let lab = found.iter().find(|c| matches!(c.computable.first(), Some(Computable::Lab { .. })));
        let lab = lab.expect("the threshold is still read");
        assert_eq!(lab.applies_if, vec![Computable::Age { min: years(2.0), max: years(9.0) }]);
        // A band whose test is named on the line before is no age requirement either.
        let found = criteria("Inclusion Criteria:\n- Bilirubin by age:\n  - 10 to 14 years: 1.3 mg/dL");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        let unread = Computable::NotComputable { reason: NonComputableReason::Unstructured };
        assert!(found.iter().any(|c| c.computable == vec![unread.clone()]), "{found:?}");
        // A row with an operator is the threshold of the test the line above names, for its band.
        let found =
            criteria("Inclusion Criteria:\n- Bilirubin by age:\n  - ≤ 1.4 mg/dL (for patients 3 to 7 years old)");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        let row = found.iter().find(|c| c.text.starts_with('≤')).expect("the row");
        assert!(
            matches!(&row.computable[..], [Computable::Lab { test, .. }] if test.id == "ELIGO:lab.bilirubin"),
            "{row:?}"
        );
        assert_eq!(row.applies_if, vec![Computable::Age { min: years(3.0), max: years(7.0) }]);
    }

    #[test]
    fn an_age_a_rule_holds_from_is_its_condition() {
        let found = criteria("Exclusion Criteria:\n- Daily alcohol use if ≥ 40 years old");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        assert!(found.iter().any(|c| c.applies_if == vec![Computable::Age { min: years(40.0), max: None }]));
        let found =
            criteria("Exclusion Criteria:\n- Participant (≥ 8 y) reports a plan to harm others in the past month");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        // The age of the people an exclusion is about.
        let found = criteria("Exclusion Criteria:\n- Patients aged ≥ 30 years with a known allergy to penicillin");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        assert!(found.iter().all(|c| c.applies_if == vec![Computable::Age { min: years(30.0), max: None }]));
    }

    #[test]
    fn the_age_at_an_event_is_no_requirement() {
        let found = criteria("Exclusion Criteria:\n- History of asthma (except childhood asthma before age 7)");
        assert_eq!(ages_required(&found), 0, "{found:?}");
        assert!(found.iter().all(|c| c.applies_if.is_empty()), "{found:?}");
        let found = criteria("Inclusion Criteria:\n- At least one episode of croup when aged 3 months or over");
        assert_eq!(ages_required(&found), 0, "{found:?}");
    }

    #[test]
    fn a_plain_age_stays_a_requirement() {
        for text in [
            "Inclusion Criteria:\n- Age ≥ 21 years, weight ≥ 45 kg",
            "Inclusion Criteria:\n- Adults (≥ 21 years) with platelets ≥ 90 × 10^9/L",
            "Inclusion Criteria:\n- Age 21 to 70 years (inclusive)",
            "Exclusion Criteria:\n- Age < 21 years",
            "Inclusion Criteria:\n- Men and women are eligible if aged between 21 and 70 years",
            "Inclusion Criteria:\n- Adult and adolescent (13 years of age or older) participants with eczema",
            "Exclusion Criteria:\n- infants < 1 year old; people with a history of eczema",
        ] {
            let found = criteria(text);
            assert_eq!(ages_required(&found), 1, "{text}: {found:?}");
        }
    }
}
