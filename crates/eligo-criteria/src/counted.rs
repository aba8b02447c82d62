//! Tests written as a count before what they count: "more than 3 alcoholic drinks per day",
//! "> 14 standard drinks a week", "smokes more than 10 cigarettes a day", "Less than 20% basophils".
//!
//! A known test otherwise takes its threshold from after its name, since a share before a test is
//! usually of something else ("> 20% weight loss"). The tests here are named by the thing counted,
//! so the count before them is their value, and is taken before any threshold after them. Drinks are counted over a period, and a count without
//! its period cannot be compared: the period is read from the words after the name and becomes the
//! unit ("drinks/day", "drinks/week", which the vocabulary converts), and UK alcohol units (8 g,
//! about half a standard drink) stay their own unit, never converted to drinks.

use eligo_model::Comparison;

use crate::parse::{Analysis, LocatedMention};
use crate::quantity::Quantity;

/// Tests named by what they count, with the unit their count takes: a rate for drinks and
/// cigarettes, the written unit (a share of white cells) for cell types.
const COUNTED_TESTS: &[(&str, Count)] = &[
    ("ELIGO:lab.alcohol_drinks", Count::PerPeriod("drinks")),
    ("ELIGO:lab.cigarettes", Count::PerPeriod("cigarettes")),
    ("ELIGO:lab.basophils", Count::AsWritten),
    ("ELIGO:lab.eosinophils", Count::AsWritten),
];

#[derive(Clone, Copy)]
enum Count {
    /// A number of things (the unit's noun: "drinks") over a day or a week.
    PerPeriod(&'static str),
    /// The quantity's own unit ("20%").
    AsWritten,
}

/// Whether a test is named by what it counts.
pub(crate) fn is_counted(id: &str) -> bool {
    COUNTED_TESTS.iter().any(|(test, _)| *test == id)
}

/// Whether the words in tokens `name` stand before the count of a counted test ("drinks" in
/// "drinks more than 4 alcoholic beverages"): they are the verb, not a test of their own.
pub(crate) fn before_a_count(name: (usize, usize), quantities: &[Quantity], mentions: &[LocatedMention]) -> bool {
    quantities.iter().filter(|q| q.tokens.0 == name.1).any(|q| {
        // The quantity may have taken the name's first word as its unit ("10 cigarettes").
        let name_at = q.unit_tokens.map_or(q.tokens.1, |u| u.0);
        mentions.iter().any(|(m, r)| {
            (r.0 == q.tokens.1 || r.0 == name_at) && m.concept.as_ref().is_some_and(|c| is_counted(&c.id))
        })
    })
}

/// The comparison a count before test `id` (whose name spans tokens `name`) states, with the unit
/// it is counted in; none when that unit is not written.
pub(crate) fn counted_comparison(
    a: &Analysis,
    id: &str,
    name: (usize, usize),
    mut c: Comparison,
) -> Option<Comparison> {
    let (_, count) = COUNTED_TESTS.iter().find(|(test, _)| *test == id)?;
    match count {
        Count::AsWritten => c.unit.is_some().then_some(c),
        Count::PerPeriod(noun) => {
            let period = period_after(a, name.1)?;
            let noun = if a.tokens[name.0..name.1].iter().any(|t| t.lower == "units") { "units" } else { noun };
            c.unit = Some(format!("{noun}/{period}"));
            Some(c)
        }
    }
}

/// The period written after a count's name: "per day", "a week", "/day", "daily", "weekly" (a
/// participle may stand between, "drinks consumed per day", and so may the equivalent the count
/// allows, "20 cigarettes or the equivalent in tobacco per day").
fn period_after(a: &Analysis, from: usize) -> Option<&'static str> {
    let words: Vec<&str> = a.tokens.iter().skip(from).take(8).map(|t| t.lower.as_str()).collect();
    let mut words = match words.first() {
        Some(w) if w.ends_with("ed") => &words[1..],
        _ => &words[..],
    };
    if words.first() == Some(&"or") {
        if let Some(k) = words.iter().take(3).position(|w| *w == "equivalent") {
            words = &words[k + 1..];
            let named = words.iter().take(2).take_while(|w| matches!(**w, "in" | "of" | "tobacco" | "alcohol")).count();
            words = &words[named..];
        }
    }
    match words {
        ["daily", ..] | ["per" | "a" | "/" | "each", "day", ..] => Some("day"),
        ["weekly", ..] | ["per" | "a" | "/" | "each", "week", ..] => Some("week"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, Operator};

    fn counts(text: &str) -> Vec<(String, Operator, f64, Option<String>)> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::Lab { test, comparison, .. } => {
                    Some((test.id.clone(), comparison.operator, comparison.value, comparison.unit.clone()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn drinks_counted_over_a_period() {
        let drinks = |op, v, unit: &str| vec![("ELIGO:lab.alcohol_drinks".to_string(), op, v, Some(unit.to_string()))];
        assert_eq!(counts("Drinks more than 4 alcoholic beverages per day"), drinks(Operator::Gt, 4.0, "drinks/day"));
        assert_eq!(counts("Over 10 standard drinks consumed a week"), drinks(Operator::Gt, 10.0, "drinks/week"));
        assert_eq!(counts("Drinks 5 or more alcoholic drinks a day"), drinks(Operator::Ge, 5.0, "drinks/day"));
        assert_eq!(counts("Fewer than 7 units of alcohol weekly"), drinks(Operator::Lt, 7.0, "units/week"));
    }

    #[test]
    fn a_count_without_its_period_is_not_read_as_a_rate() {
        assert!(counts("More than 3 alcoholic drinks at the party").is_empty());
        // The second count has no name of its own; the first keeps its period.
        assert_eq!(
            counts("Over 3 alcoholic drinks per day or over 20 in a week"),
            vec![("ELIGO:lab.alcohol_drinks".to_string(), Operator::Gt, 3.0, Some("drinks/day".to_string()))]
        );
    }

    #[test]
    fn a_share_of_cells_before_the_cell_type() {
        assert_eq!(
            counts("Under 15% eosinophils in blood"),
            vec![("ELIGO:lab.eosinophils".to_string(), Operator::Lt, 15.0, Some("%".to_string()))]
        );
    }

    /// The readings of a text other than labs: (negated, concept ids).
    fn conditions(text: &str) -> Vec<(bool, Vec<String>)> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter().map(move |r| (c.negated, r)))
            .filter_map(|(negated, r)| match r {
                Computable::Condition { concepts, .. } => {
                    Some((negated, concepts.iter().map(|c| c.id.clone()).collect()))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn cigarettes_counted_over_a_period_and_the_verb_is_no_mention() {
        let text = "Exclusion Criteria:\n- Smokes more than 15 cigarettes a day\n";
        assert_eq!(
            counts(text),
            vec![("ELIGO:lab.cigarettes".to_string(), Operator::Gt, 15.0, Some("cigarettes/day".to_string()))]
        );
        // A light smoker is not excluded by the habit alone: only the count is read.
        assert!(conditions(text).is_empty(), "{:?}", conditions(text));
        assert_eq!(
            counts("Smoking 20 or more cigarettes or the equivalent in tobacco per week"),
            vec![("ELIGO:lab.cigarettes".to_string(), Operator::Ge, 20.0, Some("cigarettes/week".to_string()))]
        );
    }

    #[test]
    fn smoking_habits_in_their_common_words() {
        let tobacco = vec!["ICD10CM:Z72.0".to_string()];
        assert_eq!(conditions("Has been a nonsmoker for at least two years"), vec![(true, tobacco.clone())]);
        assert_eq!(conditions("Current use of tobacco in any form"), vec![(false, tobacco.clone())]);
        assert_eq!(conditions("Tobacco users"), vec![(false, tobacco)]);
    }
}
