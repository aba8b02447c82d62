//! The trial's own intervention named as an exposure: "Previous exposure to the study drug",
//! "Has received MK-3475 before", "Prior treatment with ASP2215". The reading is a
//! [`Computable::PriorTherapy`] of `ELIGO:trial.intervention` (named by the words) for a generic
//! reference, or `TEXT:<code>` for a code name; the matcher resolves both against the trial's own
//! interventions.
//!
//! Only an exposure counts: "within 28 days of the first dose of study drug" uses the intervention
//! as a time anchor, and "comply with study procedures" is the trial's activity, not a therapy.

use eligo_model::{Computable, ConceptRef, Scope, TRIAL_INTERVENTION};

use crate::parse::Analysis;
use crate::text::TokenKind;

/// Words that, after "study" or "trial", name its intervention ("study drug", "trial medication").
const INTERVENTION_NOUNS: &[&str] = &[
    "drug",
    "drugs",
    "medication",
    "medications",
    "medicine",
    "treatment",
    "treatments",
    "product",
    "products",
    "agent",
    "agents",
    "intervention",
    "interventions",
    "vaccine",
    "vaccines",
    "compound",
    "therapy",
];

/// Words that make a following intervention a time anchor ("first dose of study drug", "prior to
/// study treatment").
const ANCHOR_WORDS: &[&str] = &[
    "before",
    "after",
    "until",
    "since",
    "following",
    "prior",
    "dose",
    "doses",
    "administration",
    "start",
    "initiation",
    "completion",
    "end",
    "discontinuation",
    "during",
    "throughout",
    "receiving",
    "on",
];

/// Words that make the criterion about having been exposed ("received", "prior treatment with").
const EXPOSURE_WORDS: &[&str] = &[
    "received",
    "receive",
    "exposure",
    "exposed",
    "treated",
    "treatment",
    "previously",
    "prior",
    "previous",
    "used",
    "use",
    "taken",
    "took",
    "administered",
    "dosed",
];

/// The exposure to the trial's own intervention a criterion states, if any.
pub(crate) fn trial_intervention(a: &Analysis) -> Option<Vec<Computable>> {
    let t = &a.tokens;
    let drugs: Vec<ConceptRef> = (0..t.len())
        .filter_map(|at| generic_reference(a, at).or_else(|| code_name(a, at)))
        .filter(|(at, _)| !is_anchor(a, *at))
        .map(|(_, concept)| concept)
        .collect();
    let exposure = t.iter().any(|tok| EXPOSURE_WORDS.contains(&tok.lower.as_str()));
    if drugs.is_empty() || !exposure {
        return None;
    }
    Some(vec![Computable::PriorTherapy { drugs, window: None, dose: None, scope: Scope::default() }])
}

/// "study drug", "trial medication" starting at token `at`: the reference, named by its words.
pub(crate) fn generic_reference(a: &Analysis, at: usize) -> Option<(usize, ConceptRef)> {
    let first = a.tokens.get(at)?;
    let noun = a.tokens.get(at + 1)?;
    let names = matches!(first.lower.as_str(), "study" | "trial") && INTERVENTION_NOUNS.contains(&noun.lower.as_str());
    names.then(|| {
        let name = format!("{} {}", first.lower, noun.lower);
        (at, ConceptRef { id: TRIAL_INTERVENTION.to_string(), name })
    })
}

/// A code name at token `at`: capitals then at least three digits, glued ("ASP2215") or hyphenated
/// ("MK-3475"). A registry number ("NCT02897778", "EudraCT") names a study, not a treatment.
pub(crate) fn code_name(a: &Analysis, at: usize) -> Option<(usize, ConceptRef)> {
    let token = a.tokens.get(at)?;
    if token.kind != TokenKind::Word {
        return None;
    }
    let written: String = a.prepared.chars.get(token.start..token.end)?.iter().collect();
    let letters: String = written.chars().take_while(char::is_ascii_uppercase).collect();
    let rest = written.get(letters.len()..)?;
    if letters == "NCT" && rest.len() == 8 {
        return None;
    }
    let code = if (2..=5).contains(&letters.len()) && rest.len() >= 3 && rest.chars().all(|c| c.is_ascii_digit()) {
        written
    } else if written.len() == letters.len() && (2..=5).contains(&letters.len()) {
        let dash = a.tokens.get(at + 1).filter(|d| d.lower == "-" && d.start == token.end)?;
        let number = a.tokens.get(at + 2).filter(|n| n.kind == TokenKind::Number && n.start == dash.end)?;
        (number.lower.len() >= 3 && number.lower.chars().all(|c| c.is_ascii_digit()))
            .then(|| format!("{written}-{}", number.lower))?
    } else {
        return None;
    };
    Some((at, ConceptRef { id: format!("TEXT:{}", code.to_lowercase()), name: code }))
}

/// Whether the words right before token `at` make it a time anchor or an ongoing state.
fn is_anchor(a: &Analysis, at: usize) -> bool {
    let before = a.tokens.get(at.saturating_sub(3)..at).unwrap_or_default();
    before.iter().any(|t| ANCHOR_WORDS.contains(&t.lower.as_str()))
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    fn therapy_ids(text: &str) -> Vec<String> {
        parse_criteria(text)
            .iter()
            .flat_map(|c| c.computable.iter())
            .filter_map(|c| match c {
                Computable::PriorTherapy { drugs, .. } => Some(drugs.iter().map(|d| d.id.clone()).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn exposure_to_the_trials_own_intervention() {
        assert_eq!(therapy_ids("Previous exposure to the study medication"), vec!["ELIGO:trial.intervention"]);
        assert_eq!(therapy_ids("Has already received XYZ-1234"), vec!["TEXT:xyz-1234"]);
        assert_eq!(therapy_ids("Treated with ABC12345 in an earlier study"), vec!["TEXT:abc12345"]);
        // A registry number is the earlier study, not its treatment.
        assert!(!therapy_ids("Previously enrolled in NCT01234567").iter().any(|id| id.contains("nct")));
    }

    #[test]
    fn the_intervention_as_a_time_anchor_is_not_an_exposure() {
        assert!(therapy_ids("Hemoglobin measured within 7 days prior to the first dose of study drug").is_empty());
        assert!(therapy_ids("Able to comply with study procedures").is_empty());
    }
}
