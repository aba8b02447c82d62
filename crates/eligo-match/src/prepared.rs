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

    /// Facts of the given kinds related to any of `concepts`, with their relation. The criterion
    /// side (names, ancestors) is looked up once here, not once per fact.
    pub fn related<'s>(
        &'s self,
        kinds: &'s [FactKind],
        concepts: &'s [ConceptRef],
    ) -> impl Iterator<Item = (&'a ClinicalFact, Relation)> + 's {
        let vocab = Vocabulary::embedded();
        let names: Vec<String> = concepts.iter().map(|c| c.name.to_lowercase()).collect();
        // Ancestors of the criterion's concepts: a fact that is one of them is broader than asked.
        let broader: HashSet<&str> =
            concepts.iter().flat_map(|c| vocab.ancestors(&c.id)).map(|a| a.id.as_str()).collect();
        self.patient.facts.iter().enumerate().filter(move |(_, f)| kinds.contains(&f.kind)).filter_map(
            move |(i, fact)| {
                let closure = &self.closures[i];
                let is = concepts.iter().any(|c| closure.contains(&c.id))
                    || names.iter().any(|n| closure.contains(n))
                    || (fact.concepts.is_empty() && names.contains(&fact.text.to_lowercase()));
                if is {
                    Some((fact, Relation::Is))
                } else if fact.concepts.iter().any(|f| broader.contains(f.id.as_str())) {
                    Some((fact, Relation::Broader))
                } else {
                    None
                }
            },
        )
    }
}
