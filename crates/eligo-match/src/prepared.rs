//! A patient made ready for many evaluations: every fact's concepts closed under the vocabulary's
//! hierarchy once, so that "does the patient have something that is a B cell-depleting therapy?"
//! is a set lookup per fact instead of a graph walk per criterion.

use std::collections::HashSet;

use eligo_model::{ClinicalFact, ConceptRef, FactKind, Patient};
use eligo_vocab::Vocabulary;

/// How a patient's fact relates to a concept a criterion names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The fact is the concept or a kind of it (lupus nephritis → SLE; rituximab → anti-CD20).
    Is,
    /// The criterion is more specific than the fact (criterion: lupus nephritis; patient: SLE):
    /// the patient may or may not have it.
    Broader,
}

pub struct PreparedPatient<'a> {
    pub patient: &'a Patient,
    /// Per fact: its concept ids, their ancestors, and the lower-cased names of both (concepts from
    /// two sources with the same name are the same thing).
    closures: Vec<HashSet<String>>,
}

/// A concept's id, ancestors and names, as looked up in a closure.
pub fn closure_of(concepts: &[ConceptRef]) -> HashSet<String> {
    let vocab = Vocabulary::embedded();
    let mut closure = HashSet::new();
    for concept in concepts {
        closure.insert(concept.id.clone());
        closure.insert(concept.name.to_lowercase());
        for ancestor in vocab.ancestors(&concept.id) {
            closure.insert(ancestor.id.clone());
            closure.insert(ancestor.name.to_lowercase());
        }
    }
    closure
}

impl<'a> PreparedPatient<'a> {
    pub fn new(patient: &'a Patient) -> Self {
        let closures = patient.facts.iter().map(|f| closure_of(&f.concepts)).collect();
        PreparedPatient { patient, closures }
    }

    /// Whether fact `index` is the concept `id` or a kind of it.
    pub fn has_concept(&self, index: usize, id: &str) -> bool {
        self.closures[index].contains(id)
    }

    /// How fact `index` relates to any of `concepts`, if at all.
    pub fn relation(&self, index: usize, concepts: &[ConceptRef]) -> Option<Relation> {
        let closure = &self.closures[index];
        let fact = &self.patient.facts[index];
        if concepts.iter().any(|c| closure.contains(&c.id) || closure.contains(&c.name.to_lowercase())) {
            return Some(Relation::Is);
        }
        if fact.concepts.is_empty() {
            let text = fact.text.to_lowercase();
            return concepts.iter().any(|c| c.name.to_lowercase() == text).then_some(Relation::Is);
        }
        let vocab = Vocabulary::embedded();
        let broader = concepts.iter().any(|c| fact.concepts.iter().any(|f| f.id != c.id && vocab.is_a(&c.id, &f.id)));
        broader.then_some(Relation::Broader)
    }

    /// Facts of the given kinds related to any of `concepts`, with their relation.
    pub fn related<'s>(
        &'s self,
        kinds: &'s [FactKind],
        concepts: &'s [ConceptRef],
    ) -> impl Iterator<Item = (&'a ClinicalFact, Relation)> + 's {
        self.patient
            .facts
            .iter()
            .enumerate()
            .filter(move |(_, f)| kinds.contains(&f.kind))
            .filter_map(move |(i, f)| self.relation(i, concepts).map(|r| (f, r)))
    }
}
