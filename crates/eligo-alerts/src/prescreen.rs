//! Pre-screen alerts: the answers a person chose to keep after a check or from a profile (age,
//! sex, conditions, place), and how a changed trial is screened against them.
//!
//! The answers are health data: they are sealed in the store ([`crate::sealed`]), opened only to
//! evaluate, and never serialised with what a subscription follows (its `spec`, the manage API,
//! `eligo alerts list`). A subscription is filed in the percolator under its condition concepts
//! (a trial about one of them or anything narrower) and their ancestors (a trial about exactly a
//! broader concept), the candidates are confirmed with the search filters the answers imply
//! (open trials, condition concepts, age, sex, place), and only then screened by the one matcher,
//! [`eligo_match::Matcher::screen`]; `eligible` and `possible` verdicts notify, with the questions
//! still open in the words the check pages ask them.

use std::sync::Arc;

use chrono::NaiveDate;
use eligo_match::{lay_questions, CachedTrial, MatchSettings, Matcher, PatientCase, TrialCache, Verdict};
use eligo_model::{
    Assertion, ClinicalFact, ConceptRef, Evidence, FactKind, FactSource, GeoPoint, Noted, Patient, PatientSex,
    StatedAge,
};
use eligo_search::{SearchRequest, SexFilter};
use eligo_store::TrialStore;
use eligo_vocab::{Category, Vocabulary};
use serde::{Deserialize, Serialize};

use crate::{AlertsError, Result};

/// Most conditions one pre-screen keeps.
pub const MAX_CONDITIONS: usize = 20;
/// Oldest age accepted, in years.
const MAX_AGE: f64 = 130.0;
/// Half the Earth's circumference: no radius is wider.
const MAX_RADIUS_KM: f64 = 20_038.0;

/// What a person kept of their answers. Every part is optional but the conditions: without one,
/// every new trial would have to be screened against the alert.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Answers {
    /// Age in years on `age_on` (it grows with the alert).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<PatientSex>,
    /// Condition concepts of the vocabulary the person has.
    pub conditions: Vec<ConceptRef>,
    /// Where the person is; trials need an open site within `radius_km` of it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
}

impl Answers {
    /// The answers a patient record gives (a profile): age, sex, the conditions they have (with a
    /// vocabulary concept), location.
    pub fn from_patient(patient: &Patient, today: NaiveDate) -> Answers {
        let mut conditions: Vec<ConceptRef> = Vec::new();
        let present =
            patient.facts.iter().filter(|f| f.kind == FactKind::Condition && f.assertion == Assertion::Present);
        for concept in present.flat_map(|f| &f.concepts) {
            if !conditions.iter().any(|c| c.id == concept.id) {
                conditions.push(concept.clone());
            }
        }
        let age = patient.age_years(today);
        Answers {
            age,
            age_on: age.map(|_| today),
            sex: patient.sex.as_ref().map(|s| s.value),
            conditions,
            location: patient.location.as_ref().map(|l| l.value),
            radius_km: None,
        }
    }

    /// A condition by its vocabulary id (`MESH:D001943`) or any of its names, as a concept.
    pub fn condition(text: &str) -> Result<ConceptRef> {
        let vocab = Vocabulary::embedded();
        let text = text.trim();
        let by_id = vocab.concept(text).into_iter();
        let concept = by_id
            .chain(vocab.lookup(text))
            .find(|c| c.category == Category::Condition)
            .ok_or_else(|| AlertsError::UnknownCategory(text.chars().take(200).collect()))?;
        Ok(ConceptRef { id: concept.id.clone(), name: concept.name.clone() })
    }

    /// Refuses answers no alert can be made of, naming the answer and why.
    pub fn check(&self) -> Result<()> {
        let invalid = |why: String| Err(AlertsError::Invalid(format!("pre-screen answers: {why}")));
        if self.conditions.is_empty() {
            return invalid("keep at least one condition the vocabulary knows".into());
        }
        if self.conditions.len() > MAX_CONDITIONS {
            return invalid(format!("{} conditions (at most {MAX_CONDITIONS})", self.conditions.len()));
        }
        if let Some(age) = self.age.filter(|a| !(0.0..=MAX_AGE).contains(a)) {
            return invalid(format!("age {age} is not between 0 and {MAX_AGE}"));
        }
        if self.location.is_some_and(|p| !p.is_valid()) {
            return invalid("the place is not a latitude and longitude".into());
        }
        if let Some(km) = self.radius_km.filter(|km| !(*km > 0.0 && *km <= MAX_RADIUS_KM)) {
            return invalid(format!("radius {km} km is not between 0 and {MAX_RADIUS_KM}"));
        }
        Ok(())
    }

    /// Which kinds of answer were kept, in words, without their values (what a forwarded manage
    /// link may show).
    pub fn kinds(&self) -> Vec<String> {
        let mut kinds = Vec::new();
        kinds.extend(self.age.map(|_| "age".to_string()));
        kinds.extend(self.sex.map(|_| "sex".to_string()));
        kinds.push(match self.conditions.len() {
            1 => "1 condition".to_string(),
            n => format!("{n} conditions"),
        });
        kinds.extend(self.location.map(|_| "place".to_string()));
        kinds
    }

    /// Age in years on `today`.
    fn age_on(&self, today: NaiveDate) -> Option<f64> {
        let elapsed = self.age_on.map_or(0.0, |on| (today - on).num_days() as f64 / 365.25);
        self.age.map(|age| age + elapsed.max(0.0))
    }

    /// The search a fitting trial must match: open to recruitment, about one of the conditions (or
    /// narrower, or broader), for this age and sex, with a site in the radius.
    pub fn filters(&self, today: NaiveDate) -> SearchRequest {
        SearchRequest {
            statuses: vec!["open".into()],
            concepts: self.conditions.iter().map(|c| c.id.clone()).collect(),
            age: self.age_on(today),
            sex: self.sex.and_then(|sex| match sex {
                PatientSex::Female => Some(SexFilter::Female),
                PatientSex::Male => Some(SexFilter::Male),
                PatientSex::Other => None,
            }),
            near: self.location,
            radius_km: self.location.and(self.radius_km),
            skip_facets: true,
            ..SearchRequest::default()
        }
    }

    /// The percolator keys: each condition concept (a trial about it or anything under it carries
    /// it) and, for trials about exactly a broader concept, each ancestor's own key.
    pub fn percolator_keys(&self) -> Vec<String> {
        let vocab = Vocabulary::embedded();
        let mut keys = Vec::new();
        for condition in &self.conditions {
            keys.push(format!("c:{}", condition.id));
            keys.extend(vocab.ancestors(&condition.id).into_iter().map(|a| format!("e:{}", a.id)));
        }
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// The answers as the patient the matcher screens.
    pub fn patient(&self, today: NaiveDate) -> Patient {
        let evidence = |text: &str| Evidence { source: FactSource::Answer, path: None, span: None, text: text.into() };
        Patient {
            age: self.age.map(|years| StatedAge {
                years,
                as_of: self.age_on.or(Some(today)),
                evidence: evidence("age"),
            }),
            sex: self.sex.map(|value| Noted { value, evidence: evidence("sex") }),
            facts: self
                .conditions
                .iter()
                .map(|c| ClinicalFact {
                    kind: FactKind::Condition,
                    text: c.name.clone(),
                    concepts: vec![c.clone()],
                    assertion: Assertion::Present,
                    status: None,
                    qualifiers: Vec::new(),
                    start: None,
                    end: None,
                    dose: None,
                    evidence: evidence(&c.name),
                })
                .collect(),
            location: self.location.map(|value| Noted { value, evidence: evidence("place") }),
            ..Patient::default()
        }
    }
}

/// A trial the matcher found fitting: its verdict and what is still open, as a person is asked it.
#[derive(Debug, Clone, PartialEq)]
pub struct Screened {
    pub trial_id: String,
    pub verdict: Verdict,
    pub open_questions: Vec<String>,
}

/// Screens `pool` for the person these answers describe, through the matcher every surface uses,
/// and keeps the trials they are `eligible` or `possible` for.
pub fn screen(
    store: &dyn TrialStore,
    answers: &Answers,
    pool: Vec<Arc<CachedTrial>>,
    today: NaiveDate,
) -> Vec<Screened> {
    // The pool is prepared by the caller, once per batch: the cache is not consulted.
    let cache = TrialCache::new(1);
    let settings = MatchSettings { limit: usize::MAX, explain: true, threads: 1, ..MatchSettings::new(today) };
    let case = PatientCase { patient: answers.patient(today), ..PatientCase::default() };
    let outcome = Matcher::new(store, &cache).screen(pool, &case, &settings);
    // Questions are worded for the trials that will be sent only: wording every open criterion of
    // the whole pool for every subscription cost more than screening it.
    let kept: std::collections::HashSet<&str> =
        outcome.ranked.iter().filter(|r| r.verdict != Verdict::Ineligible).map(|r| r.trial_id.as_str()).collect();
    let fitting = outcome.pool.iter().filter(|t| kept.contains(t.prepared.trial.id.as_str()));
    let lay = lay_questions(fitting.map(|t| &t.prepared), &case.patient, today);
    outcome
        .ranked
        .iter()
        .filter(|r| r.verdict != Verdict::Ineligible)
        .map(|r| Screened {
            trial_id: r.trial_id.clone(),
            verdict: r.verdict,
            open_questions: r
                .screening
                .questions()
                .into_iter()
                .filter_map(|q| lay.get(&q.key)?.as_ref().ok().map(|l| l.text.clone()))
                .collect(),
        })
        .collect()
}
