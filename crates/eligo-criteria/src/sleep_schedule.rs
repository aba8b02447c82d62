//! A person's sleep schedule: "Reports habitual bedtime between 21:00 and 01:00", "Regular time in bed
//! between 7 and 9 hours", "Regularly take naps during the day", "Patients who do not maintain regular
//! day/night, waking/sleeping cycles".
//!
//! Sleep and chronobiology studies choose people by when they sleep, as the person reports it or a
//! sleep diary kept during screening shows. No chart records it and no vocabulary names it, so it is
//! read as conduct settled by the person at screening
//! ([`eligo_model::NonComputableReason::Compliance`]), as a diet is ([`crate::diet`]). Only a line
//! with no vocabulary mention and no alcohol or medicine word ("alcohol before bedtime", "sleep aids
//! at bedtime") is read this way.

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Words that name when or how long someone sleeps.
static SCHEDULE_WORDS: WordSet = WordSet::new("bedtime bedtimes waketime waketimes nap naps napping");

/// Pairs that name a sleep schedule: "time in bed", "sleep pattern", "waking/sleeping cycles". Shift
/// work is a habit of its own ([`crate::habits`]), and a diary or a day-night rhythm alone ("Wake time
/// as recorded in the sleep diary", "Reversed day-night rhythm") is left to other readings.
const SCHEDULE_PAIRS: &[[&str; 2]] = &[["in", "bed"], ["sleep", "pattern"], ["sleeping", "cycles"]];

/// Words that make a line about a substance taken at bedtime, not the schedule.
static SUBSTANCES: WordSet = WordSet::new("alcohol alcoholic aids aid medication medications drug drugs hypnotics");

/// Whether an unread line states only a sleep schedule.
pub(crate) fn states_a_sleep_schedule(a: &Analysis) -> bool {
    let words: Vec<&str> = a.tokens.iter().filter(|t| t.kind == TokenKind::Word).map(|t| t.lower.as_str()).collect();
    let named = words.iter().any(|w| SCHEDULE_WORDS.contains(w))
        || words.windows(2).any(|p| SCHEDULE_PAIRS.iter().any(|q| p == q));
    a.mentions.is_empty() && named && !words.iter().any(|w| SUBSTANCES.contains(w))
}

#[cfg(test)]
mod tests {
    use eligo_model::{Computable, NonComputableReason};

    use crate::parse_criteria;

    fn compliance(text: &str) -> bool {
        let readings: Vec<Computable> = parse_criteria(text).into_iter().flat_map(|c| c.computable).collect();
        readings == vec![Computable::NotComputable { reason: NonComputableReason::Compliance }]
    }

    #[test]
    fn a_sleep_schedule_is_settled_by_the_person_at_screening() {
        for text in [
            "Inclusion Criteria:\n- Usual bedtime between 22:00 and 00:30",
            "Inclusion Criteria:\n- Between 6 and 8 hours in bed each night on the screening diary",
            "Exclusion Criteria:\n- Takes naps most afternoons",
            "Exclusion Criteria:\n- Does not keep regular waking/sleeping cycles",
        ] {
            assert!(compliance(text), "{text}");
        }
    }

    #[test]
    fn a_substance_at_bedtime_is_not_a_schedule() {
        assert!(!compliance("Exclusion Criteria:\n- Drinks alcohol at bedtime most nights"));
        assert!(!compliance("Exclusion Criteria:\n- Nightly sleep aids at bedtime"));
    }
}
