//! Blood donation written apart from its object: "Donation or loss of 400 mL or more of blood",
//! "has donated more than 300 ml of blood", "donated any blood or plasma".
//!
//! The vocabulary knows "blood donation" and "donated blood" as phrases; protocols put the volume,
//! or "or loss", between the act and what is given. A donation word followed, within the clause,
//! by "blood" or "plasma" that nothing else names is read as the procedure "blood donation", so
//! the time window after it is the donation's. The volume is not a threshold of anything a record
//! holds, and stays unread: any donation in the window is asked about.

use eligo_model::{ConceptRef, EntityType};
use eligo_vocab::Vocabulary;

use crate::parse::LocatedMention;
use crate::recognize::Mention;
use crate::text::{Token, WordSet};

const BLOOD_DONATION: &str = "ELIGO:proc.blood_donation";

static DONATION_WORDS: WordSet = WordSet::new("donation donations donate donated donates donating");

static DONATED: WordSet = WordSet::new("blood plasma");

/// Tokens that end the clause a donation word governs.
static CLAUSE_ENDS: WordSet = WordSet::new("; . within during in since prior before");

/// How far after the donation word its object may be, in tokens.
const MAX_GAP: usize = 12;

/// The blood donations written apart from their object, as mentions from the donation word to
/// "blood" or "plasma"; `covered` says whether a token is part of another mention.
pub(crate) fn donations(tokens: &[Token], covered: impl Fn(usize) -> bool) -> Vec<LocatedMention> {
    let mut out = Vec::new();
    for (at, t) in tokens.iter().enumerate() {
        if !DONATION_WORDS.contains(&t.lower) || covered(at) {
            continue;
        }
        let object = tokens
            .iter()
            .enumerate()
            .skip(at + 1)
            .take(MAX_GAP)
            .take_while(|(_, t)| !CLAUSE_ENDS.contains(&t.lower))
            .find(|(_, t)| DONATED.contains(&t.lower))
            .map(|(k, _)| k);
        let Some(end) = object.filter(|&end| !(at..=end).any(&covered)) else { continue };
        if let Some(m) = mention(tokens, at, end + 1) {
            out.push((m, (at, end + 1)));
        }
    }
    out
}

fn mention(tokens: &[Token], start: usize, end: usize) -> Option<Mention> {
    let concept = Vocabulary::embedded().concept(BLOOD_DONATION)?;
    Some(Mention {
        kind: EntityType::Procedure,
        start: tokens.get(start)?.start,
        end: tokens.get(end - 1)?.end,
        concept: Some(ConceptRef { id: concept.id.clone(), name: concept.name.clone() }),
        concept_ids: vec![concept.id.clone()],
        elliptical: false,
    })
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::{Computable, TimeUnit};

    /// The blood donation readings of a text, with their "within" window.
    fn donations(text: &str) -> Vec<Option<(f64, TimeUnit)>> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::Procedure { concepts, window, .. }
                    if concepts.iter().any(|c| c.id == "ELIGO:proc.blood_donation") =>
                {
                    Some(window.as_ref().and_then(|w| w.within.as_ref()).map(|d| (d.value, d.unit)))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_donation_with_its_volume_between_act_and_blood() {
        assert_eq!(
            donations("Donation or loss of more than 500 mL of blood within 12 weeks before dosing"),
            vec![Some((12.0, TimeUnit::Weeks))]
        );
        assert_eq!(donations("Has donated 250 ml of plasma within 30 days"), vec![Some((30.0, TimeUnit::Days))]);
    }

    #[test]
    fn a_donation_of_something_else_is_not_blood() {
        assert!(donations("Egg donation within 6 months, or blood transfusion").is_empty());
        assert!(donations("Organ donation planned in the next year; blood tests normal").is_empty());
    }
}
