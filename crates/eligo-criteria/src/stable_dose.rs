//! A therapy held at a steady dose for a time: "If taking riluzole, is on a stable dose for 4 weeks
//! before screening", "Patients receiving bisphosphonates must have been on a stable dose for at
//! least 4 weeks", "For patients on corticosteroids, the dose must be stable for at least one week".
//!
//! The rule is about people who take the therapy (the group "If taking X" is read as the rule's
//! `applies_if`), and what a record can settle is that they have taken it for at least that long: a
//! [`Computable::PriorTherapy`] of the named drugs with a `for_at_least` window. Whether the dose
//! itself stayed the same is for the screening visit; the reading's question asks how long the
//! therapy has been taken.

use eligo_model::{Computable, EntityType, TimeWindow};

use crate::computable::concept_or_text;
use crate::parse::{window, Analysis};
use crate::text::WordSet;

/// Words for the dose of a therapy.
static DOSE_WORDS: WordSet = WordSet::new("dose doses dosage dosing regimen");

/// Words that say it has not changed.
static STEADY_WORDS: WordSet = WordSet::new("stable same unchanged constant steady");

/// How near (in tokens) a steady word stands to its dose word: "stable dose", "dose must be
/// stable", "the dose must have been stable".
const NEAR: usize = 4;

/// The reading of a steady-dose rule, when the criterion names the therapy and how long.
pub(crate) fn stable_dose(a: &Analysis) -> Option<Computable> {
    let steady = a.tokens.iter().enumerate().any(|(k, t)| {
        DOSE_WORDS.contains(&t.lower)
            && a.tokens[k.saturating_sub(NEAR)..(k + NEAR + 1).min(a.tokens.len())]
                .iter()
                .any(|n| STEADY_WORDS.contains(&n.lower))
    });
    if !steady {
        return None;
    }
    let drugs: Vec<_> =
        a.mentions.iter().filter(|(m, _)| m.kind == EntityType::Drug).map(|(m, _)| concept_or_text(m, a)).collect();
    let lasting = a
        .quantities
        .iter()
        .filter_map(|q| window(a, q))
        .find_map(|w| w.for_at_least.or(w.within).or(w.at_least_ago))?;
    if drugs.is_empty() {
        return None;
    }
    let window = TimeWindow { for_at_least: Some(lasting), ..TimeWindow::default() };
    Some(Computable::PriorTherapy { drugs, window: Some(window), dose: None, scope: Default::default() })
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, TimeUnit};

    use crate::parse_criteria;

    /// (drug names, weeks) of the steady-dose reading, and whether the rule names its group.
    fn steady(text: &str) -> Option<(Vec<String>, f64, bool)> {
        parse_criteria(text).into_iter().find_map(|c| match &c.computable[..] {
            [Computable::PriorTherapy { drugs, window: Some(w), .. }] => {
                let lasting = w.for_at_least?;
                let weeks = match lasting.unit {
                    TimeUnit::Weeks => lasting.value,
                    TimeUnit::Days => lasting.value / 7.0,
                    TimeUnit::Months => lasting.value * 4.0,
                    _ => lasting.value,
                };
                let names = drugs.iter().map(|d| d.name.to_lowercase()).collect();
                Some((names, weeks, !c.applies_if.is_empty()))
            }
            _ => None,
        })
    }

    #[test]
    fn a_steady_dose_is_the_therapy_taken_for_that_long_by_those_who_take_it() {
        let (drugs, weeks, grouped) = steady("If taking metformin, the dose must be stable for 6 weeks").unwrap();
        assert!(drugs.iter().any(|d| d.contains("metformin")), "{drugs:?}");
        assert_eq!((weeks, grouped), (6.0, true));
        let (drugs, weeks, _) =
            steady("Patients on levothyroxine must have been on the same dose for at least 8 weeks").unwrap();
        assert!(drugs.iter().any(|d| d.contains("levothyroxine")), "{drugs:?}");
        assert_eq!(weeks, 8.0);
    }

    #[test]
    fn a_steady_state_without_a_therapy_or_a_time_is_not_this_rule() {
        assert_eq!(steady("Must be on a stable dose for at least 4 weeks"), None);
        assert_eq!(steady("Patients must be neurologically stable for 2 weeks"), None);
        assert_eq!(steady("If taking metformin, the dose must be stable"), None);
    }
}
