//! Candidate retrieval: which of the registry's trials are worth screening for a patient.
//!
//! Screening every stored trial would cost ~0.1 ms × 100,000 per patient; the search index cuts
//! that to the trials about the patient's conditions that their age and sex allow. Those are
//! screened and ranked again by [`crate::rank`], so retrieval asks the index for ids only
//! ([`SearchIndex::candidate_ids`]: no facets, snippets or stored documents), then reads the
//! prepared trials through the [`TrialCache`].

use std::sync::Arc;

use chrono::NaiveDate;
use eligo_model::{FactKind, Patient, PatientSex};
use eligo_search::{SearchError, SearchIndex, SearchRequest, SexFilter};
use eligo_store::{StoreError, TrialStore};

use crate::cache::{CachedTrial, TrialCache};

/// Why candidates could not be retrieved.
#[derive(Debug, thiserror::Error)]
pub enum CandidateError {
    #[error("the patient has no condition to look for trials with")]
    NoConditions,
    #[error("searching for candidate trials")]
    Search(#[from] SearchError),
    #[error("reading candidate trials")]
    Store(#[from] StoreError),
}

/// The search for a patient's candidates: any of their own conditions (each condition's text
/// and its concepts' preferred names, as phrases), only trials that accept their age and sex, the
/// best `limit`. Filters such as recruiting status or distance are the caller's to add.
pub fn candidate_request(patient: &Patient, as_of: NaiveDate, limit: usize) -> Result<SearchRequest, CandidateError> {
    let query = conditions_query(patient);
    if query.is_empty() {
        return Err(CandidateError::NoConditions);
    }
    Ok(SearchRequest {
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
        ..SearchRequest::text(query)
    })
}

/// Condition names searched at most: the query language takes at most 64 terms and 1,000
/// characters. A chart listing more conditions than this is searched by its first ones (notes and
/// profiles list the main problem first).
const MAX_CONDITION_NAMES: usize = 32;

/// The query text: the patient's conditions as quoted phrases joined by `OR`.
fn conditions_query(patient: &Patient) -> String {
    let mut names: Vec<String> = Vec::new();
    for fact in patient.patients_facts(FactKind::Condition) {
        let texts = fact.concepts.iter().map(|c| c.name.as_str()).chain(std::iter::once(fact.text.as_str()));
        for text in texts {
            let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            let name = words.join(" ");
            if !words.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    let mut query = String::new();
    for name in names.iter().take(MAX_CONDITION_NAMES) {
        let phrase = format!("\"{name}\"");
        // A name that no longer fits is left out; a shorter one after it may still fit.
        if query.chars().count() + phrase.chars().count() + 4 > eligo_search::query::MAX_QUERY_CHARS {
            continue;
        }
        if !query.is_empty() {
            query.push_str(" OR ");
        }
        query.push_str(&phrase);
    }
    query
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

    #[test]
    fn the_query_names_the_patients_own_conditions_and_the_filters_their_age_and_sex() {
        let note = "A 40-year-old woman with lupus nephritis. Her mother had breast cancer. No history of diabetes.";
        let patient = eligo_patient::note::read_note(note, as_of()).patient;
        let request = candidate_request(&patient, as_of(), 50).unwrap();
        assert!(request.query.contains("\"lupus nephritis\""), "{}", request.query);
        for other in ["breast", "diabetes"] {
            assert!(!request.query.contains(other), "{other} is not the patient's: {}", request.query);
        }
        assert_eq!(request.sex, Some(SexFilter::Female));
        assert_eq!(request.age, Some(40.0));
        assert_eq!(request.limit, Some(50));
        assert!(request.skip_facets);
    }

    #[test]
    fn a_chart_with_many_conditions_still_makes_a_query_the_index_takes() {
        let conditions: Vec<String> = (0..60).map(|i| format!("\"rare disorder number {i} of the chart\"")).collect();
        let profile = format!(r#"{{"age":50,"conditions":[{}]}}"#, conditions.join(","));
        let patient = eligo_patient::profile::read_profile(&profile).unwrap().patient;
        let request = candidate_request(&patient, as_of(), 10).unwrap();
        eligo_search::query::parse(&request.query).unwrap_or_else(|e| panic!("{e}: {}", request.query));
        assert!(request.query.contains("rare disorder number 0 of the chart"), "the first conditions are kept");

        // One name longer than the query limit is left out; the names after it still count.
        let long = "x".repeat(eligo_search::query::MAX_QUERY_CHARS);
        let profile = format!(r#"{{"age":50,"conditions":["{long}","lupus nephritis"]}}"#);
        let patient = eligo_patient::profile::read_profile(&profile).unwrap().patient;
        let request = candidate_request(&patient, as_of(), 10).unwrap();
        assert!(request.query.contains("lupus nephritis") && !request.query.contains(&long), "{}", request.query);
    }

    #[test]
    fn a_patient_without_conditions_has_no_candidates_to_look_for() {
        assert!(matches!(candidate_request(&Patient::default(), as_of(), 10), Err(CandidateError::NoConditions)));
    }
}
