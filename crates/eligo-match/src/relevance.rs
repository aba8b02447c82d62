//! Topical relevance: is the trial about this patient's problems?
//!
//! Okapi BM25 (k1 = 1.2, b = 0.75) over the trial's text (titles, conditions, keywords, summary,
//! description, eligibility text), with the patient's words as the query: the note itself, or the
//! names of a profile's facts. Document frequencies come from the pool being ranked (a
//! coordinator's shortlist, or the candidates retrieved from the store), so scores compare within
//! one pool. The same scorer, alone, is the BM25 baseline of the benchmarks.

use eligo_model::{Assertion, Patient, Trial};
use eligo_phenotype::Hypothesis;
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::sync::OnceLock;

const K1: f64 = 1.2;
const B: f64 = 0.75;

const STOPWORDS: [&str; 48] = [
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "he", "her", "his", "in", "is",
    "it", "its", "of", "on", "or", "she", "that", "the", "their", "there", "this", "to", "was", "were", "which", "who",
    "with", "will", "not", "no", "patient", "patients", "study", "after", "but", "had", "been", "also", "any", "all",
    "may",
];

/// Whether `token` is one of [`STOPWORDS`]: one hash lookup per token of every trial's text (a
/// scan of the list took about a fifth of counting a trial's terms).
fn is_stopword(token: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.into_iter().collect()).contains(token)
}

/// Lower-cased alphanumeric words, without stopwords and one-letter tokens, with a light plural strip.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_token(text, |token| tokens.push(token.to_string()));
    tokens
}

/// Calls `visit` with each token of [`tokenize`], lower-cased into one reused buffer: counting a
/// trial's terms then allocates once per distinct term, not once per word.
fn for_each_token(text: &str, mut visit: impl FnMut(&str)) {
    let mut lower = String::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 1) {
        lower.clear();
        if word.is_ascii() {
            lower.push_str(word);
            lower.make_ascii_lowercase();
        } else {
            lower.push_str(&word.to_lowercase());
        }
        let token = match lower.strip_suffix('s') {
            Some(stem) if stem.len() > 3 && !stem.ends_with('s') => stem,
            _ => lower.as_str(),
        };
        if !is_stopword(token) {
            visit(token);
        }
    }
}

/// The text of a trial that relevance reads.
pub fn trial_text(trial: &Trial) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(trial.brief_title.as_deref());
    parts.extend(trial.official_title.as_deref());
    parts.extend(trial.conditions.iter().map(String::as_str));
    parts.extend(trial.keywords.iter().map(String::as_str));
    parts.extend(trial.brief_summary.as_deref());
    parts.extend(trial.detailed_description.as_deref());
    parts.extend(trial.eligibility.criteria_text.as_deref());
    parts.join("\n")
}

/// The query words of a patient: what the case is about. For a note, the note itself with the
/// words of denied mentions left out ("denies chest pain" is no reason to show chest-pain trials);
/// suspected diagnoses and family history stay, since a differential diagnosis says what the case
/// is about even before it is confirmed (eligibility, not relevance, decides whether it counts).
/// For a profile, the names of the patient's facts and observations. Then the words of the
/// mentioned concepts' preferred names that the query does not have yet, once each, so that a
/// note's wording meets a trial's ("vesicular mole" meets "hydatidiform mole") without counting
/// twice the words the note already weighs. Last, for a note, the names of the candidate
/// diagnoses its findings support strongly ([`query_hypotheses`]), on the same terms: a note that
/// describes a presentation without naming it ("fever, raspberry tongue, peeling fingertips")
/// then meets the trials about the disease it describes. Each such word counts once, never more
/// than the note's own words, which count once per mention.
pub fn patient_query(patient: &Patient, note: Option<&str>) -> Vec<String> {
    let hypotheses = note.map(query_hypotheses).unwrap_or_default();
    patient_query_with(patient, note, &hypotheses)
}

/// [`patient_query`] with the note's candidate diagnoses already proposed: screening proposes
/// them once for both the query and the suspicions ([`crate::suspicion`]).
pub fn patient_query_with(patient: &Patient, note: Option<&str>, hypotheses: &[Hypothesis]) -> Vec<String> {
    let mut words: Vec<String> = match note {
        Some(note) => tokenize(&without_denied_mentions(patient, note)),
        None => patient
            .facts
            .iter()
            .filter(|f| f.assertion.is_patients())
            .map(|f| f.text.as_str())
            .chain(patient.observations.iter().map(|o| o.text.as_str()))
            .flat_map(tokenize)
            .collect(),
    };
    let mut seen: std::collections::HashSet<String> = words.iter().cloned().collect();
    let named = patient.facts.iter().filter(|f| match note {
        Some(_) => f.assertion != Assertion::Absent,
        None => f.assertion.is_patients(),
    });
    let concept_names = named.flat_map(|f| &f.concepts).map(|c| c.name.clone());
    // The disease's name, without a subtype's designator ("Parkinson disease 22, autosomal
    // dominant" searches as Parkinson disease): the words trials use, which a vocabulary's
    // preferred name does not always ("Mucocutaneous lymph node syndrome [Kawasaki]").
    let hypothesis_names =
        hypotheses.iter().map(|h| eligo_phenotype::general_form(&h.name).unwrap_or(&h.name).to_string());
    for name in concept_names.chain(hypothesis_names) {
        for word in tokenize(&name) {
            if seen.insert(word.clone()) {
                words.push(word);
            }
        }
    }
    words
}

/// How many candidate diagnoses at most join a note's query.
const QUERY_HYPOTHESES: usize = 3;
/// How many of the note's findings must support a candidate diagnosis before it joins the query:
/// a pattern of findings, not one symptom that many diseases share.
const MIN_SUPPORTING_FINDINGS: usize = 3;

/// The candidate diagnoses whose names join a note's query: the best [`QUERY_HYPOTHESES`] of
/// those that at least [`MIN_SUPPORTING_FINDINGS`] of the note's findings support and that name a
/// disease of the vocabulary, if they fit nearly as well as the best ([`QUERY_NEAR_BEST`]). Trials are registered for the diseases the vocabulary knows; a rare
/// syndrome it lacks brings only the words of its name, which find no trial about it and crowd
/// out the disease that would. Hypotheses, never facts of the patient.
pub fn query_hypotheses(note: &str) -> Vec<Hypothesis> {
    let supported: Vec<Hypothesis> = note_hypotheses(note)
        .into_iter()
        .filter(|h| h.support.len() >= MIN_SUPPORTING_FINDINGS && h.concept.is_some())
        .take(QUERY_HYPOTHESES)
        .collect();
    let best = supported.first().map_or(0.0, |h| h.score);
    supported.into_iter().filter(|h| h.score >= best * QUERY_NEAR_BEST).collect()
}

/// A candidate diagnosis is searched only when it fits at least this share as well as the best:
/// a distant third shares a few common findings (fever, conjunctivitis), not the presentation.
const QUERY_NEAR_BEST: f64 = 0.8;

/// A diagnosis a note's findings suggest, as a topic of the case: ranking treats the trials about
/// it as on the patient's topic ([`crate::rank`]) in proportion to `weight`.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestedTopic {
    /// The vocabulary concept the suggestion resolved to.
    pub concept_id: String,
    /// In (0, 1]: the share of the note's findings the suggestion explains, times how well it fits
    /// against the best suggestion. A suggestion that explains every finding the note reports is
    /// what the case is about as surely as a condition the note names; one that explains three of
    /// ten findings is a third of that.
    pub weight: f64,
}

/// The topics the note's candidate diagnoses (as [`query_hypotheses`] gives them, best first) add
/// to the case: those with a vocabulary concept that is not already one of the patient's own
/// conditions (a note that names its disease is ranked by that name alone). The note's words
/// describe the findings several times over ("dry eyes", "gritty", "needs water to swallow"),
/// where the suggestion's name counts once in BM25; the weight lets the disease the findings
/// point to count as a topic beside the words.
pub fn suggested_topics(patient: &Patient, note: &str, hypotheses: &[Hypothesis]) -> Vec<SuggestedTopic> {
    let Some(best) = hypotheses.first().map(|h| h.score).filter(|&s| s > 0.0) else { return Vec::new() };
    let findings = stated_findings(note).max(1) as f64;
    hypotheses
        .iter()
        .filter_map(|h| {
            let concept = h.concept.as_ref()?;
            if names_condition(patient, &concept.id) {
                return None;
            }
            let explained = (h.support.len() as f64 / findings).min(1.0);
            Some(SuggestedTopic { concept_id: concept.id.clone(), weight: explained * (h.score / best).min(1.0) })
        })
        .collect()
}

/// How many distinct findings (HPO terms) the note states, denied ones left out.
fn stated_findings(note: &str) -> usize {
    let mut terms: Vec<_> =
        eligo_phenotype::find_mentions(note).into_iter().filter(|m| !m.negated).map(|m| m.term).collect();
    terms.sort_unstable();
    terms.dedup();
    terms.len()
}

/// Whether one of the patient's own conditions names `concept_id`: as itself, a kind of it, or a
/// broader disease it is a kind of (a note naming Sjögren syndrome names the suggested primary
/// Sjögren syndrome).
fn names_condition(patient: &Patient, concept_id: &str) -> bool {
    use crate::prepared::ancestor_ids;
    let broader = ancestor_ids(concept_id);
    patient
        .patients_facts(eligo_model::FactKind::Condition)
        .flat_map(|f| &f.concepts)
        .any(|c| c.id == concept_id || broader.contains(c.id.as_str()) || ancestor_ids(&c.id).contains(concept_id))
}

/// The candidate diagnoses a note's findings suggest, best first, each with the findings that
/// support it (for display: `eligo_phenotype::ATTRIBUTION` goes with them). Computed, never stored.
pub fn note_hypotheses(note: &str) -> Vec<Hypothesis> {
    eligo_phenotype::hypotheses_for_text(note)
}

/// The note with the spans of denied mentions blanked out.
fn without_denied_mentions(patient: &Patient, note: &str) -> String {
    let mut chars: Vec<char> = note.chars().collect();
    for fact in patient.facts.iter().filter(|f| f.assertion == Assertion::Absent) {
        if let Some(span) = fact.evidence.span {
            for c in chars.iter_mut().take(span.end).skip(span.start) {
                *c = ' ';
            }
        }
    }
    chars.into_iter().collect()
}

/// One document's term frequencies and length, computed once and shared by every pool it is in.
#[derive(Debug, Clone, Default)]
pub struct DocTerms {
    tf: FxHashMap<String, u32>,
    len: usize,
}

impl DocTerms {
    pub fn new(text: &str) -> Self {
        let mut tf: FxHashMap<String, u32> = FxHashMap::default();
        let mut len = 0;
        for_each_token(text, |token| {
            len += 1;
            match tf.get_mut(token) {
                Some(count) => *count += 1,
                None => {
                    tf.insert(token.to_string(), 1);
                }
            }
        });
        DocTerms { tf, len }
    }
}

/// A BM25 index over a pool of documents. Document frequencies are counted for the query's terms
/// only, when a query is scored, so building a pool from counted documents costs nothing.
pub struct Bm25<'d> {
    docs: Vec<Cow<'d, DocTerms>>,
    avg_len: f64,
}

impl Bm25<'static> {
    /// An index over texts (tokenized here).
    pub fn new<I: IntoIterator<Item = String>>(texts: I) -> Self {
        Bm25::with_docs(texts.into_iter().map(|t| Cow::Owned(DocTerms::new(&t))).collect())
    }
}

impl<'d> Bm25<'d> {
    /// An index over documents whose terms were counted beforehand (a trial in many pools).
    pub fn from_docs<I: IntoIterator<Item = &'d DocTerms>>(docs: I) -> Self {
        Bm25::with_docs(docs.into_iter().map(Cow::Borrowed).collect())
    }

    fn with_docs(docs: Vec<Cow<'d, DocTerms>>) -> Self {
        let total: usize = docs.iter().map(|d| d.len).sum();
        let avg_len = if docs.is_empty() { 1.0 } else { (total as f64 / docs.len() as f64).max(1.0) };
        Bm25 { docs, avg_len }
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// BM25 of every document for the query words (a word repeated in the query counts each time).
    pub fn scores(&self, query: &[String]) -> Vec<f64> {
        // Summed in one order whatever order the query was assembled in, so that the same words
        // give the same score to the last bit by every door (a note, a profile, answers merged).
        let mut query: Vec<&String> = query.iter().collect();
        query.sort_unstable();
        let n = self.docs.len() as f64;
        let mut idf: FxHashMap<&str, f64> = FxHashMap::default();
        for &term in &query {
            idf.entry(term.as_str()).or_insert_with(|| {
                let df = self.docs.iter().filter(|d| d.tf.contains_key(term.as_str())).count() as f64;
                ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
            });
        }
        self.docs
            .iter()
            .map(|doc| {
                let norm = K1 * (1.0 - B + B * doc.len as f64 / self.avg_len);
                query
                    .iter()
                    .filter_map(|term| {
                        let freq = f64::from(*doc.tf.get(term.as_str())?);
                        Some(idf[term.as_str()] * freq * (K1 + 1.0) / (freq + norm))
                    })
                    .sum()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_on_topic_document_scores_higher() {
        let index = Bm25::new([
            "Belimumab after rituximab in primary Sjogren syndrome".to_string(),
            "Exercise training for heart failure with preserved ejection fraction".to_string(),
            "Rituximab maintenance in systemic lupus erythematosus".to_string(),
        ]);
        let query = tokenize("12-year-old girl with primary Sjögren syndrome, rituximab 4 months ago");
        let scores = index.scores(&query);
        assert!(scores[0] > scores[2] && scores[2] > scores[1], "{scores:?}");
        assert_eq!(scores[1], 0.0);
    }

    #[test]
    fn a_note_query_drops_denied_mentions_keeps_suspected_ones_and_adds_new_concept_words_once() {
        let note = "She denies chest pain. Differential includes appendicitis. Known hypertension; hypertension is controlled.";
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let patient = eligo_patient::note::read_note(note, as_of).patient;
        let query = patient_query(&patient, Some(note));
        let count = |w: &str| query.iter().filter(|q| q.as_str() == w).count();
        assert_eq!(count("chest"), 0, "{query:?}");
        assert_eq!(count(&tokenize("appendicitis")[0]), 1, "{query:?}");
        // The note's own words keep their weight; a concept name adds only words it lacks.
        assert_eq!(count("hypertension"), 2, "{query:?}");
        let named = patient.facts.iter().filter(|f| f.assertion != Assertion::Absent);
        let names: Vec<String> = named.flat_map(|f| &f.concepts).flat_map(|c| tokenize(&c.name)).collect();
        assert!(names.iter().all(|w| count(w) >= 1), "{names:?} not all in {query:?}");
    }

    #[test]
    fn a_described_presentation_adds_its_candidate_diagnosis_to_the_query_and_one_symptom_does_not() {
        // Our own wording of a classic presentation that never names the disease.
        let note = "Toddler with fever for six days, a strawberry tongue, cracked red lips, bilateral \
                    conjunctival injection and peeling skin of the fingertips.";
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let query = patient_query(&eligo_patient::note::read_note(note, as_of).patient, Some(note));
        assert_eq!(query.iter().filter(|w| w.as_str() == "kawasaki").count(), 1, "{query:?}");
        let hypotheses = query_hypotheses(note);
        assert!(hypotheses.iter().all(|h| h.support.len() >= MIN_SUPPORTING_FINDINGS), "{hypotheses:?}");

        assert!(query_hypotheses("Headache since Monday.").is_empty());
    }

    #[test]
    fn a_suggestion_the_note_explains_is_a_topic_and_one_the_note_names_is_not() {
        // Our own wording of a sicca presentation that names no disease.
        let note = "A 47-year-old woman with dry eyes and a dry mouth for two years, and sore joints.";
        let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let hypotheses = query_hypotheses(note);
        let patient = eligo_patient::note::read_note(note, as_of).patient;
        let topics = suggested_topics(&patient, note, &hypotheses);
        let sjogren = topics.iter().find(|t| t.concept_id == "ELIGO:cond.pss").expect("primary Sjögren suggested");
        assert!(sjogren.weight > 0.5 && sjogren.weight <= 1.0, "{topics:?}");

        // The same findings in a note that names the broader disease: no extra topic for it.
        let named =
            "A 47-year-old woman with Sjögren syndrome, dry eyes and a dry mouth for two years, and sore joints.";
        let patient = eligo_patient::note::read_note(named, as_of).patient;
        let topics = suggested_topics(&patient, named, &query_hypotheses(named));
        assert!(topics.iter().all(|t| t.concept_id != "ELIGO:cond.pss"), "{topics:?}");
    }

    #[test]
    fn tokens_drop_stopwords_and_plurals() {
        assert_eq!(tokenize("The patients with Infections"), vec!["infection"]);
    }
}
