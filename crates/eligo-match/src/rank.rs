//! Ranking: topical relevance combined with the eligibility verdict.
//!
//! `score = relevance + ELIGIBILITY_WEIGHT × eligibility × on_topic` (see [`combine`]), where
//! relevance is BM25 normalised by the best score in the pool (so 1.0 is the most on-topic trial) plus a bonus when one of the
//! patient's own conditions is a kind of one of the trial's conditions (or, for a note that
//! describes a presentation, when the trial is about a diagnosis the findings suggest, in
//! proportion to how much of the note the suggestion explains), and eligibility is the
//! chance that the patient passes every criterion: 1 for *eligible*, 0 for *ineligible*, and for
//! *possible* the product over the open criteria of how often such a criterion turns out to hold
//! (see [`eligibility`]). Unknown is not failure, but it is not success either: a trial with two
//! open inclusions is a surer match than one with ten. Excluded trials are often the most on-topic
//! ones (a trial for the patient's disease that excludes their stage or treatment), which is why
//! relevance alone ranks them high; eligibility pulls them under the trials the patient can join,
//! while the on-topic gate keeps trials about something else at the bottom however few of their
//! criteria the patient could fail.

use chrono::NaiveDate;
use serde::Serialize;

use crate::prepared::ancestor_ids;
use crate::prepared::PreparedPatient;
use crate::relevance::{Bm25, SuggestedTopic};
use crate::screen::{Basis, PreparedTrial, Screening, Verdict};

/// Weight of the concept match between the patient's conditions and the trial's conditions.
const TOPIC_BONUS: f64 = 0.3;
/// Weight of eligibility against relevance: a trial the patient surely passes outranks a more
/// on-topic one they probably fail.
const ELIGIBILITY_WEIGHT: f64 = 2.0;
/// The relevance from which a trial counts as about the patient's problems, as a share of the best
/// BM25 score in the pool: a trial that names one of the patient's conditions (the topic bonus)
/// always reaches it; one that shares a few common words with the note does not.
const ON_TOPIC_RELEVANCE: f64 = 0.2;
/// The highest score a trial can get: the most on-topic trial of its pool, with the topic bonus,
/// surely eligible. Dividing by it puts scores on 0–1 (the FHIR `search.score` scale).
pub const MAX_SCORE: f64 = 1.0 + TOPIC_BONUS + ELIGIBILITY_WEIGHT;
/// How often an open inclusion criterion turns out to be met: a trial's inclusions describe the
/// patients it is about, so most of the on-topic patients who reach screening meet most of them.
const OPEN_INCLUSION_HOLDS: f64 = 0.7;
/// How often an open exclusion turns out not to apply: most exclusions name conditions or
/// treatments few patients have, and a chart that says nothing of them usually means they are not
/// there.
const OPEN_EXCLUSION_CLEAR: f64 = 0.95;

/// One trial's place for one patient.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    pub trial_id: String,
    pub score: f64,
    pub relevance: f64,
    pub verdict: Verdict,
    pub screening: Screening,
}

/// Eligibility in [0, 1]: the chance that the patient passes every criterion, taking criteria as
/// independent — 1 when all are decided in the patient's favour, 0 when one excludes them. A trial
/// with nothing a chart can decide (no criteria recorded, or only consent and judgement) is
/// *eligible* by the verdict's rule, but nothing is known for it: it counts as one open inclusion,
/// not as a sure match.
pub fn eligibility(screening: &Screening) -> f64 {
    match screening.verdict {
        Verdict::Eligible if !screening.results.iter().any(|r| r.basis != Basis::NotComputable) => OPEN_INCLUSION_HOLDS,
        Verdict::Eligible => 1.0,
        Verdict::Ineligible => 0.0,
        Verdict::Possible => {
            // Counted, then raised: a product taken in result order would differ in its last bit
            // between two orders of the same open criteria.
            let open = screening.results.iter().filter(|r| r.is_open());
            // A negated inclusion left open is as likely to hold as an open exclusion is to be
            // clear: both ask for the absence of something.
            let exclusions = open.clone().filter(|r| r.asks_absence).count();
            let inclusions = open.count() - exclusions;
            OPEN_EXCLUSION_CLEAR.powi(exclusions as i32) * OPEN_INCLUSION_HOLDS.powi(inclusions as i32)
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

/// How surely the trial is about a diagnosis the note's findings suggest: the largest weight of a
/// suggestion one of the trial's conditions names, as itself, a kind of it ("primary Sjögren
/// syndrome" for Sjögren syndrome) or the broader disease it is a kind of (a trial for Sjögren
/// syndrome is for a patient with its primary form); 0 without suggestions.
pub fn suggestion_match(trial: &PreparedTrial, suggested: &[SuggestedTopic]) -> f64 {
    let about = |concept: &str| {
        let broader = ancestor_ids(concept);
        trial
            .about_ids
            .iter()
            .any(|id| id == concept || broader.contains(id.as_str()) || ancestor_ids(id).contains(concept))
    };
    suggested.iter().filter(|s| about(&s.concept_id)).map(|s| s.weight).fold(0.0, f64::max)
}

/// The score of a trial from its relevance and the patient's eligibility for it. Eligibility
/// counts in full only for trials about the patient's problems: it is scaled by how on-topic the
/// trial is, up to [`ON_TOPIC_RELEVANCE`]. Without that gate, a trial about something else with
/// few criteria (so little to fail) outranks the on-topic trial with many open ones, and end to end,
/// over a whole registry, the first page fills with trials that are eligible but irrelevant.
pub fn combine(relevance: f64, eligibility: f64) -> f64 {
    let on_topic = (relevance / ON_TOPIC_RELEVANCE).min(1.0);
    relevance + ELIGIBILITY_WEIGHT * eligibility * on_topic
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
    rank_pool_suggesting(trials, bm25, query, patient, &[], as_of)
}

/// [`rank_pool`] for a note whose findings suggest diagnoses it does not name: a trial about one
/// gets the topic bonus a named condition earns, scaled by the suggestion's weight (the larger of
/// the two when both apply, so a score never passes [`MAX_SCORE`]). Without suggestions, the same
/// ranking as [`rank_pool`].
pub fn rank_pool_suggesting(
    trials: &[&PreparedTrial],
    bm25: &Bm25,
    query: &[String],
    patient: &PreparedPatient,
    suggested: &[SuggestedTopic],
    as_of: NaiveDate,
) -> Vec<Ranked> {
    let raw = bm25.scores(query);
    let best = raw.iter().copied().fold(0.0_f64, f64::max).max(f64::MIN_POSITIVE);
    let mut ranked: Vec<Ranked> = trials
        .iter()
        .zip(raw)
        .map(|(trial, bm)| {
            let screening = trial.screen(patient, as_of);
            let topic = topic_match(trial, patient).max(suggestion_match(trial, suggested));
            let relevance = bm / best + TOPIC_BONUS * topic;
            let score = combine(relevance, eligibility(&screening));
            Ranked { trial_id: trial.trial.id.clone(), score, relevance, verdict: screening.verdict, screening }
        })
        .collect();
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.trial_id.cmp(&b.trial_id)));
    ranked
}

/// [`rank_pool_suggesting`] for a pool larger than what is shown: every trial is screened for its verdict
/// only (same outcomes, no prose), then the best `explained` are screened again in full so they
/// carry reasons, evidence and questions. The order is that of `rank_pool`; trials past
/// `explained` keep their verdict and score but no explanation.
pub fn rank_explained(
    trials: &[&PreparedTrial],
    bm25: &Bm25,
    query: &[String],
    patient: &eligo_model::Patient,
    suggested: &[SuggestedTopic],
    as_of: NaiveDate,
    explained: usize,
) -> Vec<Ranked> {
    let verdicts_only = PreparedPatient::verdicts_only(patient);
    let mut ranked = rank_pool_suggesting(trials, bm25, query, &verdicts_only, suggested, as_of);
    let full = PreparedPatient::new(patient);
    let by_id: std::collections::HashMap<&str, &PreparedTrial> =
        trials.iter().map(|t| (t.trial.id.as_str(), *t)).collect();
    for entry in ranked.iter_mut().take(explained) {
        if let Some(trial) = by_id.get(entry.trial_id.as_str()) {
            entry.screening = trial.screen(&full, as_of);
        }
    }
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relevance::{tokenize, trial_text};
    use eligo_model::Trial;

    fn trial(id: &str, title: &str, condition: &str) -> Trial {
        Trial { id: id.into(), brief_title: Some(title.into()), conditions: vec![condition.into()], ..Trial::default() }
    }

    #[test]
    fn a_strong_suggestion_lifts_the_trials_about_it_and_no_suggestion_changes_nothing() {
        // A note that describes sicca in its own words: the dry-eye trial shares them all.
        let trials = [
            trial("NCT00000011", "Eye drops for dry eyes with a gritty feeling", "Dry eye"),
            trial(
                "NCT00000012",
                "Saliva substitute for dry mouth and dry eyes in Sjogren's syndrome",
                "Sjogren's syndrome",
            ),
        ];
        let prepared: Vec<PreparedTrial> = trials.iter().map(PreparedTrial::new).collect();
        let refs: Vec<&PreparedTrial> = prepared.iter().collect();
        let bm25 = Bm25::new(trials.iter().map(trial_text));
        let query = tokenize("dry gritty eyes, dry mouth, aching joints");
        let patient = eligo_model::Patient::default();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let rank = |suggested: &[SuggestedTopic]| {
            let ranked = rank_pool_suggesting(&refs, &bm25, &query, &PreparedPatient::new(&patient), suggested, as_of);
            ranked.into_iter().map(|r| (r.trial_id, r.score)).collect::<Vec<_>>()
        };
        let plain = rank_pool(&refs, &bm25, &query, &PreparedPatient::new(&patient), as_of);
        let plain: Vec<(String, f64)> = plain.into_iter().map(|r| (r.trial_id, r.score)).collect();
        assert_eq!(plain, rank(&[]));
        assert_eq!(plain[0].0, "NCT00000011", "{plain:?}");
        // Primary Sjögren syndrome, a kind of the trial's Sjögren syndrome, explaining the findings.
        let suggested = [SuggestedTopic { concept_id: "ELIGO:cond.pss".into(), weight: 1.0 }];
        let lifted = rank(&suggested);
        assert_eq!(lifted[0].0, "NCT00000012", "{lifted:?}");
        assert!(lifted.iter().all(|(_, score)| *score <= MAX_SCORE), "{lifted:?}");
        let score = |ranked: &[(String, f64)], id: &str| ranked.iter().find(|(t, _)| t == id).map_or(0.0, |(_, s)| *s);
        assert_eq!(score(&lifted, "NCT00000011"), score(&plain, "NCT00000011"), "the dry-eye trial keeps its score");
        // A weak one lifts it less.
        let weak = rank(&[SuggestedTopic { weight: 0.2, ..suggested[0].clone() }]);
        assert!(score(&weak, "NCT00000012") < score(&lifted, "NCT00000012"), "{weak:?}");
        assert!(score(&weak, "NCT00000012") > score(&plain, "NCT00000012"), "{weak:?}");
    }

    #[test]
    fn an_eligible_trial_about_something_else_ranks_under_an_on_topic_open_one() {
        // A gout patient: a trial about gout with many open criteria (eligibility 0.06) against a
        // trial about asthma whose few criteria all pass, sharing only common words with the note.
        let on_topic_open = combine(1.0, 0.06);
        let off_topic_eligible = combine(0.05, 1.0);
        assert!(on_topic_open > off_topic_eligible, "{on_topic_open} vs {off_topic_eligible}");
    }

    #[test]
    fn among_on_topic_trials_eligibility_still_decides() {
        // Both about the patient's disease: the one they surely pass beats the slightly more
        // on-topic one that excludes them.
        assert!(combine(0.6, 1.0) > combine(1.0, 0.0));
        assert!(combine(0.5, 0.5) > combine(0.9, 0.1));
    }
}
