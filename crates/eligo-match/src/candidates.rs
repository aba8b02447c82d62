//! Candidate retrieval: which of the registry's trials are worth screening for a patient.
//!
//! Screening every stored trial would cost ~0.1 ms × 100,000 per patient; the search index cuts
//! that to the trials about the patient's problems that their age and sex allow. Those are
//! screened and ranked again by [`crate::rank`], so retrieval asks the index for ids only
//! ([`SearchIndex::candidate_ids`]: no facets, snippets or stored documents), then reads the
//! prepared trials through the [`TrialCache`].
//!
//! What is searched with, in order of trust: the patient's own conditions (their words and
//! their concepts' preferred names, as phrases) and their condition concepts (trials indexed
//! under the same concept, a more specific one or a broader one: see `eligo_search`); for a note,
//! also the note's own salient words, since a case note names its problems in words a vocabulary
//! does not always know. A patient with no condition at all is searched by their medications,
//! procedures and words instead, and the outcome says so: nobody gets an empty answer without a
//! reason.

use std::sync::Arc;

use chrono::NaiveDate;
use eligo_model::{FactKind, Patient, PatientSex};
use eligo_phenotype::{Hypothesis, VocabularyConcept};
use eligo_search::query::{MAX_QUERY_CHARS, MAX_QUERY_TERMS};
use eligo_search::{SearchError, SearchIndex, SearchRequest, SexFilter};
use eligo_store::{StoreError, TrialStore};

use crate::cache::{CachedTrial, TrialCache};
use crate::matcher::MatchSettings;
use crate::relevance::{patient_query, query_hypotheses};

/// Why candidates could not be retrieved.
#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    #[error("searching for candidate trials")]
    Search(#[from] SearchError),
    #[error("reading candidate trials")]
    Store(#[from] StoreError),
}

/// The search for a patient's candidates and what it was made from (for the message).
#[derive(Debug, Clone)]
pub struct CandidateSearch {
    pub request: SearchRequest,
    /// The patient's own condition names searched.
    pub conditions: Vec<String>,
    /// Medication and procedure names searched (only when there is no condition).
    pub others: Vec<String>,
    /// The names of the diagnoses a note's findings suggest ([`query_hypotheses`]), searched by
    /// name and concept: hypotheses that find the trials about a presentation the note does not
    /// name.
    pub suggested: Vec<String>,
    /// Those diagnoses as proposed, for the screening that follows (proposed once per match).
    pub hypotheses: Vec<Hypothesis>,
    /// The note's (or record's) own words searched.
    pub words: Vec<String>,
}

impl CandidateSearch {
    /// Nothing to search with: no condition, concept, medication, procedure or word.
    pub fn is_empty(&self) -> bool {
        self.request.query.trim().is_empty() && self.request.concepts.is_empty()
    }

    /// What the candidates were found from, for the user.
    pub fn found_from(&self) -> String {
        let list = |names: &[String]| {
            let shown: Vec<&str> = names.iter().take(6).map(String::as_str).collect();
            let more = names.len().saturating_sub(shown.len());
            match more {
                0 => shown.join(", "),
                _ => format!("{} and {more} more", shown.join(", ")),
            }
        };
        let mut parts = Vec::new();
        if !self.conditions.is_empty() {
            parts.push(format!("the patient's conditions ({})", list(&self.conditions)));
        }
        if !self.suggested.is_empty() {
            parts.push(format!("the diagnoses the findings suggest ({})", list(&self.suggested)));
        }
        if !self.others.is_empty() {
            parts.push(format!("their medications and procedures ({})", list(&self.others)));
        }
        if !self.words.is_empty() {
            parts.push(format!("the record's own words ({})", list(&self.words)));
        }
        let prefix = match self.conditions.is_empty() {
            true => "No condition was recognised in the record; candidates were found from ",
            false => "Candidates were found from ",
        };
        format!("{prefix}{}.", parts.join(" and "))
    }

    /// Why no trial was found.
    pub fn none_found(&self, settings: &MatchSettings) -> String {
        if self.is_empty() {
            return "No trials: the record names no condition, medication, procedure or other word to look for \
                    trials with."
                .to_string();
        }
        let mut filters = vec!["the patient's age and sex"];
        if settings.recruiting {
            filters.push("recruiting only");
        }
        if settings.within_km.is_some() {
            filters.push("the distance limit");
        }
        format!("No trials: {} No stored trial matched with {}.", self.found_from(), filters.join(", "))
    }
}

/// The search for a patient's candidates: their conditions, condition concepts and (for a note)
/// salient words, or without conditions their medications, procedures and words; only trials that
/// accept their age and sex; the best `limit`. Recruiting status and distance are the caller's to
/// add.
pub fn candidate_search(patient: &Patient, note: Option<&str>, as_of: NaiveDate, limit: usize) -> CandidateSearch {
    let conditions = fact_names(patient, &[FactKind::Condition]);
    let others = match conditions.is_empty() {
        true => fact_names(patient, &[FactKind::Medication, FactKind::Procedure]),
        false => Vec::new(),
    };
    let mut query = Query::default();
    let conditions: Vec<String> = conditions.into_iter().filter(|n| query.push(&format!("\"{n}\""))).collect();
    let hypotheses = note.map(query_hypotheses).unwrap_or_default();
    let suggested_concepts: Vec<&VocabularyConcept> = hypotheses.iter().filter_map(|h| h.concept.as_ref()).collect();
    let suggested: Vec<String> = suggested_concepts
        .iter()
        .map(|c| c.name.clone())
        .filter(|n| !conditions.contains(n) && query.push(&format!("\"{n}\"")))
        .collect();
    let others: Vec<String> = others.into_iter().filter(|n| query.push(&format!("\"{n}\""))).collect();
    // A profile's conditions are what it is about; a note says more than its recognised mentions.
    let words: Vec<String> = match note.is_some() || conditions.is_empty() {
        true => salient_words(patient, note).into_iter().filter(|w| query.push(w)).collect(),
        false => Vec::new(),
    };
    let request = SearchRequest {
        limit: Some(limit),
        // An impossible age (a profile with the birth date after the evaluation date) filters
        // nothing rather than everything.
        age: patient.age_years(as_of).filter(|age| (0.0..=130.0).contains(age)),
        sex: patient.sex.as_ref().and_then(|s| match s.value {
            PatientSex::Female => Some(SexFilter::Female),
            PatientSex::Male => Some(SexFilter::Male),
            PatientSex::Other => None,
        }),
        skip_facets: true,
        concepts: condition_concepts(patient, suggested_concepts.iter().map(|c| c.id.as_str())),
        ..SearchRequest::text(query.text)
    };
    CandidateSearch { request, conditions, others, suggested, hypotheses, words }
}

/// Concept ids searched at most (the index takes [`eligo_search::MAX_CONCEPTS`]).
const MAX_CONCEPT_IDS: usize = 32;

/// The patient's own condition concepts, each once, the main problem first, then the diagnoses
/// the findings suggest.
fn condition_concepts<'a>(patient: &'a Patient, suggested: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let own = patient.patients_facts(FactKind::Condition).flat_map(|f| &f.concepts).map(|c| c.id.as_str());
    for id in own.chain(suggested) {
        if ids.len() < MAX_CONCEPT_IDS && !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

/// A query of alternatives (`a OR "b c" OR d`) kept inside the query language's limits.
#[derive(Default)]
struct Query {
    text: String,
    terms: usize,
}

impl Query {
    /// Adds one alternative when it still fits (a long one left out does not stop shorter ones
    /// after it); whether it was added.
    fn push(&mut self, unit: &str) -> bool {
        let units = unit.split_whitespace().count().max(1);
        let chars = unit.chars().count() + if self.text.is_empty() { 0 } else { 4 };
        if self.terms + units > MAX_QUERY_TERMS || self.text.chars().count() + chars > MAX_QUERY_CHARS {
            return false;
        }
        if !self.text.is_empty() {
            self.text.push_str(" OR ");
        }
        self.text.push_str(unit);
        self.terms += units;
        true
    }
}

/// Condition names searched at most: a chart listing more is searched by its first ones (notes
/// and profiles list the main problem first), leaving room for the note's words.
const MAX_NAMES: usize = 24;

/// The names of the patient's own facts of these kinds: each fact's text and its concepts'
/// preferred names, as plain words, each once.
fn fact_names(patient: &Patient, kinds: &[FactKind]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let facts = patient.facts.iter().filter(|f| kinds.contains(&f.kind) && f.assertion.is_patients());
    for fact in facts {
        let texts = fact.concepts.iter().map(|c| c.name.as_str()).chain(std::iter::once(fact.text.as_str()));
        for text in texts {
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let name = words.join(" ").to_lowercase();
            if !words.is_empty() && !names.contains(&name) && names.len() < MAX_NAMES {
                names.push(name);
            }
        }
    }
    names
}

/// Words of a case note that say nothing about which trials fit.
const CASE_WORDS: [&str; 40] = [
    "year",
    "old",
    "woman",
    "female",
    "male",
    "girl",
    "boy",
    "child",
    "presents",
    "present",
    "presented",
    "history",
    "report",
    "reports",
    "reported",
    "complain",
    "complaint",
    "day",
    "week",
    "month",
    "ago",
    "since",
    "today",
    "past",
    "last",
    "denie",
    "denies",
    "state",
    "states",
    "noted",
    "normal",
    "show",
    "shows",
    "revealed",
    "examination",
    "exam",
    "physical",
    "admitted",
    "hospital",
    "department",
];

/// Searched words at most: enough for a case note's problems, findings and drugs.
const MAX_WORDS: usize = 40;

/// The note's salient words (the relevance query: denied mentions left out, plus the recognised
/// concepts' names), or a record's fact names: letters only, four or more, no case-note filler,
/// each once, in the order the note says them.
fn salient_words(patient: &Patient, note: Option<&str>) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in patient_query(patient, note) {
        let plain = word.len() >= 4 && word.chars().all(char::is_alphabetic);
        if plain && !CASE_WORDS.contains(&word.as_str()) && !words.contains(&word) && words.len() < MAX_WORDS {
            words.push(word);
        }
    }
    words
}

/// The prepared candidates of `request`, in the index's order: ids from the index, content
/// hashes from the store, then each trial from the cache when its hash matches, else read and
/// prepared on up to `threads` threads. A trial the index has but the store no longer has is
/// left out.
pub fn retrieve(
    index: &SearchIndex,
    store: &dyn TrialStore,
    cache: &TrialCache,
    request: &SearchRequest,
    threads: usize,
) -> Result<Vec<Arc<CachedTrial>>, CandidateError> {
    let ids = index.candidate_ids(request)?;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let hashes = store.content_hashes(&refs)?;
    Ok(cache.fetch(&ids, &hashes, |id| store.get_trial(id), threads)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn profile(json: &str) -> Patient {
        eligo_patient::profile::read_profile(json).unwrap().patient
    }

    #[test]
    fn the_query_names_the_patients_own_conditions_and_the_filters_their_age_and_sex() {
        let note = "A 40-year-old woman with lupus nephritis. Her mother had breast cancer. No history of diabetes.";
        let patient = eligo_patient::note::read_note(note, as_of()).patient;
        let search = candidate_search(&patient, Some(note), as_of(), 50);
        let request = &search.request;
        assert!(request.query.contains("\"lupus nephritis\""), "{}", request.query);
        assert!(!request.query.contains("diabetes"), "a denied condition is not searched: {}", request.query);
        assert!(!search.conditions.iter().any(|c| c.contains("breast")), "{:?}", search.conditions);
        assert!(!request.concepts.is_empty(), "the condition's concepts are searched too");
        assert_eq!(request.sex, Some(SexFilter::Female));
        assert_eq!(request.age, Some(40.0));
        assert_eq!(request.limit, Some(50));
        assert!(request.skip_facets);
        let found_from = search.found_from();
        assert!(
            found_from.starts_with("Candidates were found from the patient's conditions (lupus nephritis"),
            "{found_from}"
        );
    }

    #[test]
    fn a_presentation_the_note_does_not_name_is_searched_as_the_diagnosis_it_suggests() {
        // Our own wording of a sicca presentation: no disease is named.
        let note = "A 47-year-old woman with dry eyes and a dry mouth for two years, and sore joints.";
        let patient = eligo_patient::note::read_note(note, as_of()).patient;
        let search = candidate_search(&patient, Some(note), as_of(), 50);
        assert!(search.conditions.is_empty(), "{:?}", search.conditions);
        assert!(search.suggested.iter().any(|name| name.contains("Sjögren")), "{:?}", search.suggested);
        let suggested = query_hypotheses(note);
        let sjogren = suggested.iter().find(|h| h.name.contains("Sjögren")).and_then(|h| h.concept.as_ref()).unwrap();
        assert!(search.request.concepts.contains(&sjogren.id), "{:?}", search.request.concepts);
        let found_from = search.found_from();
        let suggested_part = found_from.split("the diagnoses the findings suggest (").nth(1).unwrap_or_default();
        assert!(
            suggested_part.split(')').next().is_some_and(|s| s.contains("Primary Sjögren syndrome")),
            "{found_from}"
        );
        // A named condition is searched as itself; one symptom suggests nothing.
        let named = "A 47-year-old woman with asthma and a cough.";
        let search =
            candidate_search(&eligo_patient::note::read_note(named, as_of()).patient, Some(named), as_of(), 50);
        assert!(search.suggested.is_empty(), "{:?}", search.suggested);
    }

    #[test]
    fn a_chart_with_many_conditions_still_makes_a_query_the_index_takes() {
        let conditions: Vec<String> = (0..60).map(|i| format!("\"rare disorder number {i} of the chart\"")).collect();
        let patient = profile(&format!(r#"{{"age":50,"conditions":[{}]}}"#, conditions.join(",")));
        let request = candidate_search(&patient, None, as_of(), 10).request;
        eligo_search::query::parse(&request.query).unwrap_or_else(|e| panic!("{e}: {}", request.query));
        assert!(request.query.contains("rare disorder number 0 of the chart"), "the first conditions are kept");

        // One name longer than the query limit is left out; the names after it still count.
        let long = "x".repeat(MAX_QUERY_CHARS);
        let patient = profile(&format!(r#"{{"age":50,"conditions":["{long}","lupus nephritis"]}}"#));
        let request = candidate_search(&patient, None, as_of(), 10).request;
        assert!(request.query.contains("lupus nephritis") && !request.query.contains(&long), "{}", request.query);
    }

    #[test]
    fn a_patient_without_conditions_is_searched_by_drugs_procedures_and_words_and_told_so() {
        let note = "Seen for a persistent frobnication rash after starting hydroxychloroquine; had a colonoscopy.";
        let patient = eligo_patient::note::read_note(note, as_of()).patient;
        let search = candidate_search(&patient, Some(note), as_of(), 10);
        assert!(search.conditions.is_empty() || search.request.query.contains("frobnication"));
        assert!(search.request.query.contains("frobnication"), "the note's own words: {}", search.request.query);
        eligo_search::query::parse(&search.request.query).unwrap();
        assert!(!search.is_empty());

        let patient = profile(r#"{"age":50,"medications":["metformin"]}"#);
        let search = candidate_search(&patient, None, as_of(), 10);
        assert!(search.request.query.contains("\"metformin\""), "{}", search.request.query);
        assert!(search.found_from().starts_with("No condition was recognised"), "{}", search.found_from());
        assert!(search.found_from().contains("metformin"));
    }

    #[test]
    fn a_patient_with_nothing_to_search_with_gets_a_reason() {
        let search = candidate_search(&Patient::default(), None, as_of(), 10);
        assert!(search.is_empty());
        assert!(search.none_found(&MatchSettings::new(as_of())).starts_with("No trials: the record names no"));
    }
}
