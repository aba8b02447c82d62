//! Diagnoses a note's findings suggest, as suspicions for screening.
//!
//! A note that describes a presentation without naming it ("five days of fever, a strawberry
//! tongue, peeling fingertips") answers the criteria that ask for a *suspected* disease or its
//! *presentation* the way a physician reading it would: yes. The phenotype finder proposes the
//! candidate diagnoses ([`crate::relevance::query_hypotheses`]); those scoring close to the best
//! join the patient being screened as hypothetical conditions. A hypothetical fact meets only a
//! reading that asks for a suspected disease (`evaluate::evaluate_presence`), so a suggestion
//! never confirms a diagnosis, never excludes as one, and is never stored: it lives in the copy of
//! the patient that one screening uses, and its evidence names the findings behind it.

use eligo_model::{Assertion, ClinicalFact, ConceptRef, ConditionStatus, Evidence, FactKind, FactSource, Patient};
use eligo_phenotype::Hypothesis;

#[cfg(doc)]
use crate::relevance::query_hypotheses;

/// A suggestion counts as a suspicion when it scores at least this share of the best one: two
/// diseases the findings fit almost equally (dengue and another tropical fever) are both
/// suspected, a distant third is not.
const NEAR_BEST: f64 = 0.9;

/// The suspected diagnoses among a note's candidate diagnoses (best first, as
/// [`query_hypotheses`] gives them), as hypothetical condition facts: those whose disease the
/// vocabulary knows, so that a criterion can name it.
pub fn suspected_conditions(hypotheses: &[Hypothesis]) -> Vec<ClinicalFact> {
    let Some(best) = hypotheses.first().map(|h| h.score) else { return Vec::new() };
    hypotheses.iter().filter(|h| h.score >= best * NEAR_BEST).filter_map(as_fact).collect()
}

/// Adds the suspected diagnoses among `hypotheses` to `patient` (a screening's own copy).
pub fn add_suspected_conditions(patient: &mut Patient, hypotheses: &[Hypothesis]) {
    for fact in suspected_conditions(hypotheses) {
        let known = patient.facts.iter().any(|f| f.kind == FactKind::Condition && f.concepts == fact.concepts);
        if !known {
            patient.facts.push(fact);
        }
    }
}

fn as_fact(hypothesis: &Hypothesis) -> Option<ClinicalFact> {
    let concept = hypothesis.concept.as_ref()?;
    let findings: Vec<&str> = hypothesis.support.iter().map(|s| s.finding_name.as_str()).collect();
    Some(ClinicalFact {
        kind: FactKind::Condition,
        text: concept.name.clone(),
        concepts: vec![ConceptRef { id: concept.id.clone(), name: concept.name.clone() }],
        assertion: Assertion::Hypothetical,
        status: Some(ConditionStatus::Suspected),
        qualifiers: Vec::new(),
        start: None,
        end: None,
        dose: None,
        evidence: Evidence {
            source: FactSource::Note,
            path: None,
            span: None,
            text: format!("suggested by the findings ({}): {}", hypothesis.name, findings.join(", ")),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relevance::query_hypotheses;

    #[test]
    fn a_described_presentation_is_suspected_not_diagnosed() {
        // Our own wording of a classic presentation.
        let note = "Toddler with fever for six days, a strawberry tongue, cracked red lips, \
                    bilateral conjunctival injection and peeling skin of the fingertips.";
        let facts = suspected_conditions(&query_hypotheses(note));
        let kawasaki = facts.iter().find(|f| f.text.contains("Kawasaki")).expect("Kawasaki suspected");
        assert_eq!(kawasaki.assertion, Assertion::Hypothetical);
        assert_eq!(kawasaki.status, Some(ConditionStatus::Suspected));
        assert!(kawasaki.evidence.text.contains("Fever"), "{:?}", kawasaki.evidence);
    }

    #[test]
    fn one_symptom_suggests_nothing() {
        assert!(suspected_conditions(&query_hypotheses("Headache since Monday.")).is_empty());
    }
}
