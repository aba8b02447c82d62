//! An allergy to named substances: "Known hypersensitivity to etoposide", "allergic to latex",
//! "penicillin allergy", "hypersensitivity or intolerance to any component of the study drug".
//!
//! Read as a disease, such a line is met by any allergy ("hypersensitivity" alone); read as a
//! therapy, it excludes everyone who *took* the drug, the opposite of what it means. So an
//! allergy word with the substances it is to becomes one [`Computable::Allergy`] of those
//! substances, and the readings the same words gave otherwise (the generic allergy condition, the
//! drug as a prior therapy) are dropped. The trial's own drug ("study drug", "its excipients",
//! a code name) is `ELIGO:trial.intervention`, which the matcher resolves against the trial's
//! interventions. A line with an allergy word and no substance ("history of severe allergic
//! reactions") keeps its condition reading.

use eligo_model::{Computable, ConceptRef, EntityType, TRIAL_INTERVENTION};

use crate::computable::concept_or_text;
use crate::intervention::{code_name, generic_reference};
use crate::parse::Analysis;
use crate::text::{TokenKind, WordSet};

/// Words that name an allergy; "sensitivity" only with "to" after it ("insulin sensitivity" is no
/// allergy).
static ALLERGY_WORDS: WordSet = WordSet::new(
    "allergy allergies allergic hypersensitivity hypersensitivities hypersensitive intolerance intolerances adverse \
     intolerant anaphylaxis anaphylactic idiosyncrasy idiosyncratic sensitivity",
);

/// Words that may stand between an allergy word and "to": "allergic reaction to", "hypersensitivity
/// or contraindication to", "allergy and/or intolerance to".
static BRIDGE: WordSet = WordSet::new(
    "reaction reactions or and / - known severe serious documented history contraindication contraindications \
     response responses type",
);

/// Words after which the substances end: a new clause, a time, a reason.
static STOPS: WordSet = WordSet::new(
    "that which who requiring required within during since because due unless except if when while as in \
     at for prior before after was were is are has have had",
);

/// The vocabulary's class of investigational drugs.
const INVESTIGATIONAL_CLASS: &str = "ELIGO:class.investigational";

/// Words that, after "to", name the trial's own product rather than a substance of their own:
/// "any component of", "its excipients", "the ingredients".
static OWN_PRODUCT_WORDS: WordSet = WordSet::new(
    "component components excipient excipients ingredient ingredients constituent constituents formulation \
     investigational",
);

/// Words a written substance never starts or ends with (articles, quantifiers).
static FILLER: WordSet = WordSet::new("the a an any all one of its their his her other similar such");

/// Heads too general to be a substance ("allergy to drugs", "hypersensitivity to medications").
static GENERIC_SUBSTANCES: WordSet = WordSet::new(
    "drug drugs medication medications medicine medicines agent agents substance substances product products \
     compound compounds treatment treatments therapy therapies regimen regimens class classes options",
);

/// Words that make a criterion about having taken a drug as well ("prior treatment with or
/// hypersensitivity to docetaxel"): then the therapy reading stays beside the allergy.
static EXPOSURE: WordSet =
    WordSet::new("received receiving receive treated treatment exposure exposed taking taken took use used therapy");

/// The allergy a criterion states, if it names what the allergy is to.
pub(crate) fn allergy(a: &Analysis) -> Option<Computable> {
    let t = &a.tokens;
    let mut substances: Vec<ConceptRef> = Vec::new();
    for at in (0..t.len()).filter(|&k| ALLERGY_WORDS.contains(&t[k].lower)) {
        for concept in before_word(a, at).into_iter().chain(after_word(a, at)) {
            if !substances.iter().any(|s| s.id == concept.id) {
                substances.push(concept);
            }
        }
    }
    (!substances.is_empty()).then_some(Computable::Allergy { substances })
}

/// A drug named right before the allergy word: "penicillin allergy", "sulfa hypersensitivity".
fn before_word(a: &Analysis, at: usize) -> Option<ConceptRef> {
    if a.tokens[at].lower == "sensitivity" {
        return None;
    }
    a.mentions.iter().find(|(m, r)| m.kind == EntityType::Drug && r.1 == at).map(|(m, _)| concept_or_text(m, a))
}

/// The substances after "to" following the allergy word, up to the end of the clause.
fn after_word(a: &Analysis, at: usize) -> Vec<ConceptRef> {
    let t = &a.tokens;
    let Some(to) = (at + 1..t.len().min(at + 6))
        .take_while(|&k| {
            t[k].lower == "to"
                || t[k].lower == "against"
                || BRIDGE.contains(&t[k].lower)
                || ALLERGY_WORDS.contains(&t[k].lower)
        })
        .find(|&k| t[k].lower == "to" || t[k].lower == "against")
    else {
        return Vec::new();
    };
    let end = (to + 1..t.len()).find(|&k| ends_substances(a, k)).unwrap_or(t.len());
    let named: Vec<ConceptRef> = a
        .mentions
        .iter()
        .filter(|(m, r)| m.kind == EntityType::Drug && r.0 > to && r.1 <= end)
        .map(|(m, _)| concept_or_text(m, a))
        .filter(|c| !GENERIC_SUBSTANCES.contains(&c.name.to_lowercase()))
        .collect();
    // "investigational product" is the vocabulary's class of unapproved drugs; after an allergy
    // word it is this trial's product.
    let (investigational, mut out): (Vec<ConceptRef>, Vec<ConceptRef>) =
        named.into_iter().partition(|c| c.id == INVESTIGATIONAL_CLASS);
    let own_product = !investigational.is_empty()
        || (to + 1..end).any(|k| {
            OWN_PRODUCT_WORDS.contains(&t[k].lower)
                || generic_reference(a, k).is_some()
                || code_name(a, k).is_some_and(|(_, c)| out.iter().all(|o| o.id != c.id))
        });
    if own_product {
        out.push(ConceptRef { id: TRIAL_INTERVENTION.into(), name: "study drug".into() });
    }
    if out.is_empty() {
        out.extend(written_substance(a, to + 1, end));
    }
    out
}

/// Whether token `k` ends the substances of an allergy: a clause break or a stop word.
fn ends_substances(a: &Analysis, k: usize) -> bool {
    let token = &a.tokens[k];
    matches!(token.lower.as_str(), ";" | "." | ":" | "(") || STOPS.contains(&token.lower)
}

/// A substance no vocabulary lists, by its words: "allergic to latex", "allergy to shellfish".
/// Only a short name of plain words counts; generic heads ("drugs") name no substance.
fn written_substance(a: &Analysis, from: usize, end: usize) -> Option<ConceptRef> {
    let t = &a.tokens;
    let words: Vec<&str> = t[from..end]
        .iter()
        .take_while(|tok| tok.kind == TokenKind::Word && !matches!(tok.lower.as_str(), "or" | "and" | ","))
        .map(|tok| tok.lower.as_str())
        .skip_while(|w| FILLER.contains(w))
        .collect();
    let named = !words.is_empty() && words.len() <= 3 && words.iter().all(|w| !GENERIC_SUBSTANCES.contains(w));
    named.then(|| {
        let name = words.join(" ");
        ConceptRef { id: format!("TEXT:{name}"), name }
    })
}

/// A reading without what only restates the allergy in another form: the allergy as a disease
/// ("Hypersensitivity", "allergic reaction") leaves a condition reading, which keeps the diseases
/// named beside it ("hypersensitivity to iodine or asthma": asthma); the substances as a therapy,
/// when the criterion says nothing of having taken them, drop the therapy reading. `None` when
/// nothing is left.
pub(crate) fn without_the_allergy(a: &Analysis, reading: Computable, allergy: &Computable) -> Option<Computable> {
    match reading {
        Computable::Condition { concepts, status, window, scope } => {
            let concepts: Vec<ConceptRef> = concepts.into_iter().filter(|c| !names_an_allergy(c)).collect();
            (!concepts.is_empty()).then_some(Computable::Condition { concepts, status, window, scope })
        }
        reading => (!restates_allergy(a, &reading, allergy)).then_some(reading),
    }
}

/// Whether a therapy reading only restates the allergy: its drugs are the allergy's substances
/// and the criterion says nothing of having taken them.
fn restates_allergy(a: &Analysis, reading: &Computable, allergy: &Computable) -> bool {
    let Computable::Allergy { substances } = allergy else { return false };
    match reading {
        Computable::PriorTherapy { drugs, .. } => {
            // "... to corticosteroid therapy": a therapy word right after the drug is part of its
            // name, not a statement of having taken it.
            let names_the_drug = |k: usize| a.mentions.iter().any(|(m, r)| r.1 == k && m.kind == EntityType::Drug);
            let exposure = a
                .tokens
                .iter()
                .enumerate()
                .any(|(k, t)| EXPOSURE.contains(&t.lower) && !names_the_drug(k) && !describes_the_study_drug(a, k));
            let covered = |d: &ConceptRef| {
                d.id == TRIAL_INTERVENTION
                    || GENERIC_SUBSTANCES.contains(&d.name.to_lowercase())
                    || substances.iter().any(|s| s.id == d.id)
                    || named_after_an_allergy_word(a, d)
            };
            !exposure && drugs.iter().all(covered)
        }
        _ => false,
    }
}

/// Whether the exposure word at token `k` describes the study's own products, not the patient's
/// use of a drug: "the inhalers used in the study", "drugs administered in this trial".
fn describes_the_study_drug(a: &Analysis, k: usize) -> bool {
    let word = |j: usize| a.tokens.get(j).map(|t| t.lower.as_str());
    matches!(word(k + 1), Some("in" | "during" | "for"))
        && matches!(word(k + 2), Some("the" | "this"))
        && matches!(word(k + 3), Some("study" | "trial" | "protocol"))
}

/// Whether drug `d` is named after an allergy word in the same sentence ("sensitivity to the
/// constituents of the inhalers (i.e., lactose)"): a substance of the allergy, however far from "to".
fn named_after_an_allergy_word(a: &Analysis, d: &ConceptRef) -> bool {
    let t = &a.tokens;
    a.mentions.iter().filter(|(m, _)| m.concept.as_ref().is_some_and(|c| c.id == d.id)).any(|(_, r)| {
        (0..r.0.min(t.len()))
            .rev()
            // The full stops of "i.e." and "e.g." end no sentence.
            .take_while(|&k| t[k].lower != "." || k.checked_sub(1).is_some_and(|j| t[j].lower.chars().count() == 1))
            .any(|k| ALLERGY_WORDS.contains(&t[k].lower))
    })
}

/// Whether a concept is an allergy itself, by its name's words ("Drug Hypersensitivity",
/// "Hypersensitivity, Immediate", "allergic reaction"), not a disease of allergic cause ("allergic
/// rhinitis").
fn names_an_allergy(concept: &ConceptRef) -> bool {
    let name = concept.name.to_lowercase();
    let mut words = name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).peekable();
    words.peek().is_some()
        && words.all(|w| {
            ALLERGY_WORDS.contains(w) || matches!(w, "drug" | "reaction" | "reactions" | "immediate" | "severe")
        })
}

#[cfg(test)]
mod tests {
    use crate::parse_criteria;
    use eligo_model::Computable;

    /// The substance ids of every allergy reading, and whether any other reading is left.
    fn read(text: &str) -> (Vec<String>, Vec<String>) {
        let criteria = parse_criteria(text);
        let mut allergies = Vec::new();
        let mut others = Vec::new();
        for computable in criteria.iter().flat_map(|c| c.computable.iter()) {
            match computable {
                Computable::Allergy { substances } => allergies.extend(substances.iter().map(|s| s.id.clone())),
                other => others.push(other.to_string()),
            }
        }
        (allergies, others)
    }

    #[test]
    fn an_allergy_to_named_drugs_is_one_allergy_reading() {
        let (allergies, others) = read("Exclusion Criteria:\n- Known hypersensitivity to cisplatin or gemcitabine");
        assert_eq!(allergies.len(), 2, "{allergies:?}");
        assert!(others.is_empty(), "the generic hypersensitivity condition is dropped: {others:?}");
        let (allergies, others) = read("Exclusion Criteria:\n- Documented amoxicillin allergy");
        assert_eq!(allergies.len(), 1, "{allergies:?} {others:?}");
        assert!(others.is_empty(), "{others:?}");
    }

    #[test]
    fn an_allergy_is_never_a_prior_therapy_of_its_drug() {
        let (allergies, others) =
            read("Inclusion Criteria:\n- Participants must not have a hypersensitivity reaction to carboplatin");
        assert_eq!(allergies.len(), 1, "{allergies:?}");
        assert!(!others.iter().any(|o| o.starts_with("prior therapy")), "{others:?}");
        // Having taken it is a second requirement, and stays one.
        let (allergies, others) = read("Exclusion Criteria:\n- Prior treatment with or allergy to oxaliplatin");
        assert_eq!(allergies.len(), 1, "{allergies:?}");
        assert!(others.iter().any(|o| o.starts_with("prior therapy")), "{others:?}");
        // An adverse reaction to a therapy named with its therapy word is still only the reaction.
        let (allergies, others) = read(
            "Exclusion Criteria:\n- History of any adverse reaction to inhaled or systemic corticosteroid therapy",
        );
        assert_eq!(allergies.len(), 1, "{allergies:?}");
        assert!(!others.iter().any(|o| o.starts_with("prior therapy")), "{others:?}");
        // A second sentence about the study's own devices "used in the study" is no exposure either.
        let (_, others) = read(
            "Exclusion Criteria:\n- Adverse reaction to any corticosteroid. Known sensitivity to the \
             constituents of the inhalers used in the study (i.e., lactose).",
        );
        assert!(!others.iter().any(|o| o.starts_with("prior therapy")), "{others:?}");
    }

    #[test]
    fn the_trials_own_product_and_written_substances() {
        let (allergies, _) = read("Exclusion Criteria:\n- Allergic to any component of the investigational product");
        assert_eq!(allergies, vec!["ELIGO:trial.intervention"]);
        let (allergies, _) = read("Exclusion Criteria:\n- Hypersensitivity to XQ-4821 or its excipients");
        assert!(allergies.contains(&"ELIGO:trial.intervention".to_string()), "{allergies:?}");
        let (allergies, _) = read("Exclusion Criteria:\n- Allergic to latex.");
        assert_eq!(allergies, vec!["TEXT:latex"]);
    }

    #[test]
    fn an_allergy_word_without_a_substance_keeps_its_old_reading() {
        let (allergies, others) = read("Exclusion Criteria:\n- History of severe allergic reactions");
        assert!(allergies.is_empty(), "{allergies:?}");
        assert!(!others.is_empty());
        let (allergies, _) = read("Exclusion Criteria:\n- Allergy to medications");
        assert!(allergies.is_empty(), "a generic head names no substance: {allergies:?}");
        let (allergies, _) = read("Inclusion Criteria:\n- Normal insulin sensitivity");
        assert!(allergies.is_empty());
        let (allergies, others) = read("Exclusion Criteria:\n- Allergic rhinitis requiring treatment");
        assert!(allergies.is_empty(), "{allergies:?}");
        assert!(others.iter().any(|o| o.contains("Rhinitis")), "{others:?}");
    }

    #[test]
    fn a_disease_named_beside_an_allergy_keeps_its_reading_and_the_allergy_word_leaves_it() {
        let (allergies, others) =
            read("Exclusion Criteria:\n- Known hypersensitivity to cisplatin, or chronic urticaria");
        assert_eq!(allergies.len(), 1, "{allergies:?}");
        assert!(others.iter().any(|o| o.to_lowercase().contains("urticaria")), "{others:?}");
        assert!(!others.iter().any(|o| o.contains("Hypersensitivity")), "{others:?}");
    }
}
