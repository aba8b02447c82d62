//! Ranking: topical relevance combined with the eligibility verdict.
//!
//! `score = relevance + ELIGIBILITY_WEIGHT × eligibility`, where relevance is BM25 normalised by
//! the best score in the pool (so 1.0 is the most on-topic trial) plus a bonus when one of the
//! patient's own conditions is a kind of one of the trial's conditions, and eligibility is 1 for
//! *eligible*, 0 for *ineligible* and, for *possible*, grows with the share of decided criteria
//! that count for the patient. Excluded trials are often the most on-topic ones (a trial for the
//! patient's disease that excludes their stage or treatment), which is why relevance alone ranks
//! them high; the verdict pulls them under the trials the patient can join, while relevance keeps
//! trials about something else at the bottom.

use chrono::NaiveDate;
use serde::Serialize;

use crate::prepared::PreparedPatient;
use crate::relevance::Bm25;
use crate::screen::{PreparedTrial, Screening, Verdict};

/// Weight of the concept match between the patient's conditions and the trial's conditions.
const TOPIC_BONUS: f64 = 0.3;
/// Weight of eligibility against relevance.
const ELIGIBILITY_WEIGHT: f64 = 0.8;

/// One trial's place for one patient.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub trial_id: String,
    pub score: f64,
    pub relevance: f64,
    pub verdict: Verdict,
    pub screening: Screening,
}

/// Eligibility in [0, 1]: the verdict, refined for *possible* trials by how the decided criteria fall.
pub fn eligibility(screening: &Screening) -> f64 {
    match screening.verdict {
        Verdict::Eligible => 1.0,
        Verdict::Ineligible => 0.0,
        Verdict::Possible => {
            let supported = screening.results.iter().filter(|r| r.supports()).count() as f64;
            let open = screening.results.iter().filter(|r| r.is_open()).count() as f64;
            0.4 + 0.4 * supported / (supported + open).max(1.0)
        }
    }
}

/// The share of the patient's own conditions that are (kinds of) conditions the trial is about.
pub fn topic_match(trial: &PreparedTrial, patient: &PreparedPatient) -> f64 {
    use eligo_model::FactKind;
    let own: Vec<usize> = (0..patient.patient.facts.len())
        .filter(|&i| {
            let fact = &patient.patient.facts[i];
            fact.kind == FactKind::Condition && fact.assertion.is_patients() && !fact.concepts.is_empty()
        })
        .collect();
    let matched = own.iter().filter(|&&i| trial.about_ids.iter().any(|id| patient.has_concept(i, id))).count();
    matched as f64 / own.len().max(1) as f64
}

/// Screens and scores every trial of a pool for one patient, best first. `bm25` indexes the pool's
/// trials in the same order as `trials`.
pub fn rank_pool(
    trials: &[&PreparedTrial],
    bm25: &Bm25,
    query: &[String],
    patient: &PreparedPatient,
    as_of: NaiveDate,
) -> Vec<Ranked> {
    let raw = bm25.scores(query);
    let best = raw.iter().copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let mut ranked: Vec<Ranked> = trials
        .iter()
        .zip(raw)
        .map(|(trial, bm)| {
            let screening = trial.screen(patient, as_of);
            let relevance = bm / best + TOPIC_BONUS * topic_match(trial, patient);
            let score = relevance + ELIGIBILITY_WEIGHT * eligibility(&screening);
            Ranked { trial_id: trial.trial.id.clone(), score, relevance, verdict: screening.verdict, screening }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.trial_id.cmp(&b.trial_id)));
    ranked
}
