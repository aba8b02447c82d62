//! A patient made ready for many evaluations: every fact's concepts closed under the vocabulary's
//! hierarchy once, so that "does the patient have something that is a B cell-depleting therapy?"
//! is a set lookup per fact instead of a graph walk per criterion.
//!
//! The criterion side is memoised too: a concept's ancestors are walked once per process (see
//! [`ancestor_ids`]), not once per criterion and patient, since the same few hundred concepts recur
//! across thousands of trials.
//!
//! A patient prepared with [`PreparedPatient::verdicts_only`] gets the same outcomes, evidence-free:
//! the one-line reasons, evidence and questions are left empty. Ranking a large pool needs only
//! verdicts, and formatting a reason for every criterion of every pair was most of the cost.

use std::cell::OnceCell;
use std::sync::{OnceLock, RwLock};

use eligo_model::{Assertion, ClinicalFact, ConceptRef, FactKind, Patient};
use eligo_vocab::Vocabulary;
use rustc_hash::{FxHashMap, FxHashSet};

/// How a patient's fact relates to a concept a criterion names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// The fact is the concept or a kind of it (lupus nephritis → SLE; rituximab → anti-CD20).
    Is,
    /// The criterion is more specific than the fact (criterion: lupus nephritis; patient: SLE):
    /// the patient may or may not have it.
    Broader,
}

/// A concept closure: ids and lower-cased names of concepts and their ancestors.
pub type Closure = FxHashSet<String>;

pub struct PreparedPatient<'a> {
    pub patient: &'a Patient,
    /// Per fact: its concept ids, their ancestors, and the lower-cased names of both (concepts from
    /// two sources with the same name are the same thing).
    closures: Vec<Closure>,
    /// Whether findings carry their reason, evidence and question (see the module docs).
    explain: bool,
    /// Whether the patient came as a chart (note, FHIR, profile) rather than as answers alone.
    chart: bool,
}

/// The concept every solid cancer is a kind of, primary or secondary.
const SOLID_CANCER: &str = "ELIGO:cond.solid_tumor";

/// The concepts a secondary malignancy is recorded under: ICD-10-CM's secondary neoplasms of the
/// lymph nodes, of the respiratory and digestive organs and of other sites (the block C76–C80 also
/// holds the unspecified-site cancers, which are no metastases), and MeSH's Neoplasm Metastasis.
const SECONDARY_CANCER: &[&str] = &["ICD10CM:C77", "ICD10CM:C78", "ICD10CM:C79", "MESH:D009362"];

/// The ids of a concept's ancestors in the embedded vocabulary, walked once per process and
/// shared afterwards. The memo holds at most one entry per vocabulary concept (unknown ids get an
/// empty set without being stored), so it is bounded by the vocabulary's size.
pub fn ancestor_ids(id: &str) -> &'static FxHashSet<&'static str> {
    static EMPTY: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    static MEMO: OnceLock<RwLock<FxHashMap<&'static str, &'static FxHashSet<&'static str>>>> = OnceLock::new();
    let memo = MEMO.get_or_init(Default::default);
    // A poisoned lock only means another thread panicked between two map operations; the map
    // itself is always a valid memo.
    if let Some(found) = memo.read().unwrap_or_else(|p| p.into_inner()).get(id) {
        return found;
    }
    let vocab = Vocabulary::embedded();
    let Some(concept) = vocab.concept(id) else { return EMPTY.get_or_init(FxHashSet::default) };
    let ancestors: FxHashSet<&'static str> = vocab.ancestors(id).into_iter().map(|a| a.id.as_str()).collect();
    let mut writer = memo.write().unwrap_or_else(|p| p.into_inner());
    // Leaked once per vocabulary concept at most: the entry lives as long as the vocabulary.
    writer.entry(concept.id.as_str()).or_insert_with(|| Box::leak(Box::new(ancestors)))
}

/// A chart holds something recorded other than answers to pre-screening questions.
fn is_chart(patient: &Patient) -> bool {
    let recorded = |e: &eligo_model::Evidence| e.source != eligo_model::FactSource::Answer;
    patient.facts.iter().any(|f| recorded(&f.evidence))
        || patient.observations.iter().any(|o| recorded(&o.evidence))
        || patient.age.as_ref().is_some_and(|a| recorded(&a.evidence))
        || patient.birth_date.as_ref().is_some_and(|b| recorded(&b.evidence))
        || patient.sex.as_ref().is_some_and(|s| recorded(&s.evidence))
}

/// A concept's id, ancestors and names, as looked up in a closure.
pub fn closure_of(concepts: &[ConceptRef]) -> Closure {
    let vocab = Vocabulary::embedded();
    let mut closure = Closure::default();
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

/// What a trial is for: the concepts its conditions name, and the same closed under the hierarchy.
/// A patient's fact is *the index disease* when it is one of those concepts, a kind of one, or a
/// more general name for one ("breast cancer" for a trial about triple-negative breast cancer).
#[derive(Debug, Clone, Default)]
pub struct Topic {
    ids: FxHashSet<String>,
    closure: Closure,
}

impl Topic {
    pub fn new(concepts: &[ConceptRef]) -> Self {
        Topic { ids: concepts.iter().map(|c| c.id.clone()).collect(), closure: closure_of(concepts) }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The trial's condition concepts closed under the hierarchy (ids and lower-cased names).
    pub fn closure(&self) -> &Closure {
        &self.closure
    }

    /// Whether a concept id is one of the trial's conditions or one of their ancestors.
    pub fn contains(&self, id: &str) -> bool {
        self.closure.contains(id)
    }

    /// Whether `id` is a strict kind of one of the trial's conditions: pancreatic cancer in a trial
    /// for solid tumours, IgM myeloma in a myeloma trial. A criterion naming one is about part of
    /// the trial's population, not about its disease as a whole.
    pub fn has_kind(&self, id: &str) -> bool {
        !self.closure.contains(id) && ancestor_ids(id).iter().any(|a| self.ids.contains(*a))
    }
}

impl<'a> PreparedPatient<'a> {
    /// A patient whose findings explain themselves (reason, evidence, question).
    pub fn new(patient: &'a Patient) -> Self {
        let closures = patient.facts.iter().map(|f| closure_of(&f.concepts)).collect();
        PreparedPatient { patient, closures, explain: true, chart: is_chart(patient) }
    }

    /// A patient for verdicts only: the same outcomes, without reasons, evidence or questions.
    pub fn verdicts_only(patient: &'a Patient) -> Self {
        PreparedPatient { explain: false, ..PreparedPatient::new(patient) }
    }

    /// Whether the patient is a chart (a clinician's record) rather than an answer sheet; see
    /// [`crate::label`] for what that changes.
    pub fn is_chart(&self) -> bool {
        self.chart
    }

    /// Whether findings for this patient carry their reason, evidence and question.
    pub fn explains(&self) -> bool {
        self.explain
    }

    /// `text()` when findings are explained, else the empty value: wraps the formatting of a
    /// reason or question so verdict-only screening does not pay for it.
    pub fn explain<T: Default>(&self, text: impl FnOnce() -> T) -> T {
        if self.explain {
            text()
        } else {
            T::default()
        }
    }

    /// Whether fact `index` is the concept `id` or a kind of it.
    pub fn has_concept(&self, index: usize, id: &str) -> bool {
        self.closures[index].contains(id)
    }

    /// Whether `fact` (one of this patient's) is the disease the trial is for, or a kind of it, or
    /// a more general name of it.
    pub fn is_index_disease(&self, fact: &ClinicalFact, topic: &Topic) -> bool {
        if fact.kind != FactKind::Condition || topic.is_empty() {
            return false;
        }
        let Some(index) = self.index_of(fact) else { return false };
        topic.ids.iter().any(|id| self.closures[index].contains(id))
            || fact.concepts.iter().any(|c| topic.closure.contains(&c.id))
    }

    /// Whether fact `index` is a present condition.
    fn is_present_condition(&self, index: usize) -> bool {
        let fact = &self.patient.facts[index];
        fact.kind == FactKind::Condition && fact.assertion == Assertion::Present
    }

    /// Whether fact `index` is a secondary malignancy (a metastasis).
    fn is_metastasis(&self, index: usize) -> bool {
        SECONDARY_CANCER.iter().any(|id| self.closures[index].contains(*id))
    }

    /// The present primary solid cancers of the record (fact indices).
    pub fn primary_cancers(&self) -> Vec<usize> {
        (0..self.patient.facts.len())
            .filter(|&i| {
                self.is_present_condition(i) && self.closures[i].contains(SOLID_CANCER) && !self.is_metastasis(i)
            })
            .collect()
    }

    /// The present metastases the record names.
    pub fn metastases(&self) -> impl Iterator<Item = &'a ClinicalFact> + '_ {
        let facts: &'a [ClinicalFact] = &self.patient.facts;
        (0..facts.len()).filter(|&i| self.is_present_condition(i) && self.is_metastasis(i)).map(move |i| &facts[i])
    }

    /// Whether `fact` is a metastasis of the one primary cancer the record names, and that cancer
    /// is the trial's disease.
    pub fn is_spread_of_index_disease(&self, fact: &ClinicalFact, topic: &Topic) -> bool {
        let Some(index) = self.index_of(fact) else { return false };
        let primaries = self.primary_cancers();
        self.is_metastasis(index)
            && primaries.len() == 1
            && self.is_index_disease(&self.patient.facts[primaries[0]], topic)
    }

    fn index_of(&self, fact: &ClinicalFact) -> Option<usize> {
        self.patient.facts.iter().position(|f| std::ptr::eq(f, fact))
    }

    /// Facts of the given kinds related to any of `concepts`, with their relation. The criterion
    /// side is looked up once per call, on the first fact that needs it (names, and the ancestor
    /// sets memoised per concept), not once per fact: most criteria meet no fact of their kind.
    pub fn related<'s>(
        &'s self,
        kinds: &'s [FactKind],
        concepts: &'s [ConceptRef],
    ) -> impl Iterator<Item = (&'a ClinicalFact, Relation)> + 's {
        let names: OnceCell<Vec<String>> = OnceCell::new();
        let ancestors: OnceCell<Vec<&FxHashSet<&str>>> = OnceCell::new();
        self.patient.facts.iter().enumerate().filter(move |(_, f)| kinds.contains(&f.kind)).filter_map(
            move |(i, fact)| {
                let closure = &self.closures[i];
                let names = || names.get_or_init(|| concepts.iter().map(|c| c.name.to_lowercase()).collect());
                let is = concepts.iter().any(|c| closure.contains(&c.id))
                    || names().iter().any(|n| closure.contains(n))
                    || (fact.concepts.is_empty() && names().contains(&fact.text.to_lowercase()));
                // A fact that is an ancestor of one of the criterion's concepts is broader than asked.
                let broader = || {
                    let ancestors = ancestors.get_or_init(|| concepts.iter().map(|c| ancestor_ids(&c.id)).collect());
                    fact.concepts.iter().any(|f| ancestors.iter().any(|a| a.contains(f.id.as_str())))
                };
                if is {
                    Some((fact, Relation::Is))
                } else if broader() {
                    Some((fact, Relation::Broader))
                } else {
                    None
                }
            },
        )
    }
}
