//! Diets and foods: "Self-reported vegetarian", "Special diets (e.g., vegetarian, low-carbohydrate)",
//! "Subjects who are vegans", and foods listed as items to avoid ("Seville oranges", "Star fruit
//! (carambola)", "Charbroiled meats").
//!
//! A study excludes a diet because it serves or forbids foods (standard meals, a food that changes
//! how a drug is metabolised), so a diet or a food is a question of conduct during the study,
//! settled by the person at screening ([`eligo_model::NonComputableReason::Compliance`]), never a
//! health question. Only a line with no vocabulary mention is read this way: a food the vocabulary
//! holds as a drug or an allergen ("grapefruit juice", "peanut allergy") keeps that reading.

use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Words of a diet a person keeps.
static DIET_WORDS: WordSet =
    WordSet::new("diet diets dietary vegetarian vegetarians vegan vegans pescatarian macrobiotic meals");

/// Foods that protocols list to avoid before or during dosing.
static FOODS: WordSet = WordSet::new(
    "fruit fruits juice juices orange oranges grapefruit grapefruits pomelo pomelos carambola marmalade meat \
     meats vegetables broccoli cabbage coffee tea cola beverages chocolate",
);

/// Words that make a diet a treatment or a symptom ("Diet and exercise alone", "diet-controlled",
/// "binge eating"), or a drink a health matter ("alcohol beverages"): such a line stays unread.
static NOT_A_HABIT: WordSet = WordSet::new("alone only controlled treated binge alcohol alcoholic");

/// Whether an unread line names only a diet or a food.
pub(crate) fn names_a_diet(a: &Analysis) -> bool {
    let word = |set: &WordSet| a.tokens.iter().any(|t| t.kind == TokenKind::Word && set.contains(&t.lower));
    a.mentions.is_empty() && (word(&DIET_WORDS) || word(&FOODS)) && !word(&NOT_A_HABIT)
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
    fn a_diet_or_a_food_to_avoid_is_conduct_during_the_study() {
        for text in [
            "Exclusion Criteria:\n- Strict vegan",
            "Exclusion Criteria:\n- On a raw food diet",
            "Exclusion Criteria:\n- Pomelo or pomelo juice",
            "Exclusion Criteria:\n- Grilled or barbecued meats",
        ] {
            assert!(compliance(text), "{text}");
        }
    }

    #[test]
    fn a_line_without_a_diet_or_a_food_is_not_a_diet() {
        assert!(!compliance("Exclusion Criteria:\n- Frequent frobnitis"));
        // A diet as a treatment and a drink of alcohol are not conduct.
        assert!(!compliance("Inclusion Criteria:\n- Managed with diet alone"));
        assert!(!compliance("Exclusion Criteria:\n- Drinks alcoholic beverages daily"));
    }
}
