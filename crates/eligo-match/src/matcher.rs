//! One matcher for every surface.
//!
//! `eligo match`, `eligo rank`, `eligo questions`, the HTTP API and the pages all go through
//! [`Matcher`], so that the same patient with the same settings gets the same trials, scores and
//! explanations whichever door they came in by. A surface reads its input into a [`PatientCase`]
//! and [`MatchSettings`], calls one of:
//!
//! * [`Matcher::match_patient`]: candidates from the search index (see [`crate::candidates`]),
//!   then [`Matcher::screen`];
//! * [`Matcher::screen_trials`]: the trials the caller chose, by any of their ids, no retrieval;
//! * [`Matcher::rank_pairs`]: a shortlist of (patient, trial) pairs, each patient's trials its pool;
//!
//! and writes out the [`MatchOutcome`] (or [`PairResult`]s). Screening itself is one function,
//! [`Matcher::screen`]: answers merged into the patient, BM25 over the pool, every trial screened
//! for its verdict, the shown ones explained criterion by criterion.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use eligo_model::Patient;
use eligo_phenotype::Hypothesis;
use eligo_search::SearchIndex;
use eligo_store::{StoreError, TrialStore};
use serde::Serialize;

use crate::answers::{apply_answer_map, pool_asks, AnswerProblem, Answers};
use crate::cache::{CachedTrial, TrialCache};
use crate::candidates::{candidate_search, retrieve, CandidateError};
use crate::prepared::PreparedPatient;
use crate::rank::{rank_explained, Ranked};
use crate::relevance::{patient_query_with, query_hypotheses, suggested_topics, Bm25};
use crate::screen::{CriterionResult, PreparedTrial, Verdict};
use crate::suspicion::add_suspected_conditions;

/// Candidates retrieved and screened per patient by default: enough that the trials a patient is
/// eligible for are rarely beyond it, few enough to screen in tens of milliseconds.
pub const DEFAULT_CANDIDATES: usize = 1_000;

/// How one match runs. Every surface fills the same struct, so a difference between two surfaces
/// is a difference of settings, visible here, never of code.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchSettings {
    /// Trials retrieved from the index and screened for their verdicts.
    pub candidates: usize,
    /// Evaluation date for ages and time windows.
    pub as_of: NaiveDate,
    /// Only trials open to recruitment (retrieval only; chosen trials are screened whatever
    /// their status).
    pub recruiting: bool,
    /// Only trials with a site within this many km of the patient's location (retrieval only).
    pub within_km: Option<f64>,
    /// How many ranked trials the outcome keeps.
    pub limit: usize,
    /// Whether the kept trials carry their criterion-by-criterion explanation (reasons, evidence,
    /// questions); without it they carry verdicts and scores only, which is much faster.
    pub explain: bool,
    /// Threads for preparing trials that are not cached yet.
    pub threads: usize,
    /// When the answer is no longer wanted (a server request's deadline): a match still running
    /// then stops between its steps with [`MatchError::DeadlinePassed`] and frees its worker.
    pub deadline: Option<std::time::Instant>,
}

impl MatchSettings {
    /// The defaults: [`DEFAULT_CANDIDATES`], no filters, 10 trials shown and explained, every core.
    pub fn new(as_of: NaiveDate) -> Self {
        MatchSettings {
            candidates: DEFAULT_CANDIDATES,
            as_of,
            recruiting: false,
            within_km: None,
            limit: 10,
            explain: true,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            deadline: None,
        }
    }

    /// Whether the deadline has passed (never without one).
    fn check_deadline(&self) -> Result<(), MatchError> {
        match self.deadline {
            Some(deadline) if std::time::Instant::now() >= deadline => Err(MatchError::DeadlinePassed),
            _ => Ok(()),
        }
    }
}

/// A patient as a surface read them: the facts, the note text when they came as one (it feeds
/// relevance and retrieval), and answers to earlier questions.
#[derive(Debug, Clone, Default)]
pub struct PatientCase {
    pub patient: Patient,
    pub note: Option<String>,
    pub answers: Answers,
}

/// Why a match could not run. A patient without anything to search with is not an error: the
/// outcome is empty and its message says why.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("a distance filter needs the patient's location")]
    NoLocation,
    #[error("matching needs the search index")]
    NoIndex,
    #[error(transparent)]
    Candidates(#[from] CandidateError),
    #[error("reading trials")]
    Store(#[from] StoreError),
    #[error("the match ran past its deadline and was stopped")]
    DeadlinePassed,
}

/// One matched trial as every surface shows it. `criteria` are the screening's results as they
/// are (every field [`CriterionResult`] has, serialised by its own `Serialize`); they are empty for
/// a trial that was not explained.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchedTrial {
    pub trial_id: String,
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub verdict: Verdict,
    pub score: f64,
    pub relevance: f64,
    /// Criteria the patient fails (inclusion not met, exclusion met).
    pub exclusions: Vec<String>,
    /// Questions that would settle the open criteria.
    pub open_questions: Vec<String>,
    /// Per criterion: section, span (chars into the eligibility text as registered), text,
    /// outcome, basis, reason, evidence, question.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub criteria: Vec<CriterionResult>,
}

/// What a match found.
pub struct MatchOutcome {
    pub as_of: NaiveDate,
    /// The screened pool, in retrieval (or request) order.
    pub pool: Vec<Arc<CachedTrial>>,
    /// Best first, at most `limit`.
    pub ranked: Vec<Ranked>,
    /// How the candidates were found, or why there are none: always something to tell the user.
    pub message: String,
    /// Answers that could not be recorded (the question stays open).
    pub answer_problems: Vec<AnswerProblem>,
    /// Chosen trial ids the store does not have (screening chosen trials only).
    pub unknown_trials: Vec<String>,
    /// The diagnoses a note's findings suggest, with the findings behind each, that took part in
    /// the search and the screening: hypotheses to show as such, never facts of the patient.
    pub suggested_diagnoses: Vec<SuggestedDiagnosis>,
}

/// A candidate diagnosis as surfaces show it: the disease, the vocabulary concept it was searched
/// and screened as, and the note's findings that suggest it.
#[derive(Debug, Clone, Serialize)]
pub struct SuggestedDiagnosis {
    /// The ontology's disease (`OMIM:…`, `ORPHA:…`) and its name.
    pub disease_id: String,
    pub disease: String,
    /// The vocabulary concept searched and screened (`ICD10CM:M35.0`, Sjögren syndrome).
    pub concept_id: String,
    pub concept: String,
    /// The findings of the note that the disease's annotated features cover.
    pub findings: Vec<String>,
    /// How well they fit, in [0, 1].
    pub score: f64,
}

impl SuggestedDiagnosis {
    /// The disease's name, and the concept it was searched as when that reads otherwise
    /// ("Blau syndrome (searched as Other autoinflammatory syndromes)").
    pub fn label(&self) -> String {
        let letters =
            |name: &str| name.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
        match letters(&self.disease) == letters(&self.concept) {
            true => self.disease.clone(),
            false => format!("{} (searched as {})", self.disease, self.concept),
        }
    }

    fn from_hypothesis(hypothesis: &Hypothesis) -> Option<SuggestedDiagnosis> {
        let concept = hypothesis.concept.as_ref()?;
        Some(SuggestedDiagnosis {
            disease_id: hypothesis.disease_id.clone(),
            disease: hypothesis.name.clone(),
            concept_id: concept.id.clone(),
            concept: concept.name.clone(),
            findings: hypothesis.support.iter().map(|s| s.finding_name.clone()).collect(),
            score: hypothesis.score,
        })
    }
}

impl MatchOutcome {
    /// The kept trials as surfaces show them, best first.
    pub fn matched(&self) -> Vec<MatchedTrial> {
        let titles: HashMap<&str, &str> =
            self.pool.iter().map(|t| (t.prepared.trial.id.as_str(), t.prepared.trial.title())).collect();
        self.ranked
            .iter()
            .map(|r| MatchedTrial {
                trial_id: r.trial_id.clone(),
                title: titles.get(r.trial_id.as_str()).copied().unwrap_or_default().to_string(),
                verdict: r.verdict,
                score: r.score,
                relevance: r.relevance,
                exclusions: r.screening.exclusions().map(|c| c.text.clone()).collect(),
                open_questions: r.screening.questions().into_iter().map(|q| q.text.clone()).collect(),
                criteria: r.screening.results.clone(),
            })
            .collect()
    }
}

/// One pair of [`Matcher::rank_pairs`], in input order.
#[derive(Debug)]
pub enum PairResult {
    /// Shared by the pairs that repeat the same patient and trial.
    Ranked(Arc<Ranked>),
    /// The pair names a patient the caller does not have.
    UnknownPatient,
    /// The pair names a trial the store does not have.
    UnknownTrial,
}

/// The matcher over one store, its trial cache and (for retrieval) the search index.
pub struct Matcher<'a> {
    store: &'a dyn TrialStore,
    cache: &'a TrialCache,
    index: Option<&'a SearchIndex>,
}

impl<'a> Matcher<'a> {
    /// A matcher that screens chosen trials (no retrieval until [`Matcher::with_index`]).
    pub fn new(store: &'a dyn TrialStore, cache: &'a TrialCache) -> Self {
        Matcher { store, cache, index: None }
    }

    /// The same matcher, retrieving candidates from `index`.
    pub fn with_index(self, index: &'a SearchIndex) -> Self {
        Matcher { index: Some(index), ..self }
    }

    /// The patient's candidates from the index, screened and ranked.
    pub fn match_patient(&self, case: &PatientCase, settings: &MatchSettings) -> Result<MatchOutcome, MatchError> {
        let index = self.index.ok_or(MatchError::NoIndex)?;
        let mut search =
            candidate_search(&case.patient, case.note.as_deref(), settings.as_of, settings.candidates.max(1));
        if settings.recruiting {
            search.request.statuses = vec!["recruiting".into()];
        }
        if let Some(km) = settings.within_km {
            let location = case.patient.location.as_ref().ok_or(MatchError::NoLocation)?;
            search.request.near = Some(location.value);
            search.request.radius_km = Some(km);
        }
        let pool = match search.is_empty() {
            true => Vec::new(),
            false => retrieve(index, self.store, self.cache, &search.request, settings.threads)?,
        };
        settings.check_deadline()?;
        let mut outcome = self.screen_with(pool, case, settings, std::mem::take(&mut search.hypotheses));
        outcome.message = match outcome.pool.is_empty() {
            true => search.none_found(settings),
            false => search.found_from(),
        };
        Ok(outcome)
    }

    /// The chosen trials (any of their ids, each once), screened and ranked without retrieval.
    /// Ids the store does not have are listed in `unknown_trials`; the others still go.
    pub fn screen_trials(
        &self,
        ids: &[String],
        case: &PatientCase,
        settings: &MatchSettings,
    ) -> Result<MatchOutcome, MatchError> {
        let (pool, unknown) = self.trials(ids, settings.threads)?;
        settings.check_deadline()?;
        let mut outcome = self.screen(pool, case, settings);
        outcome.message = match (outcome.pool.len(), unknown.len()) {
            (0, _) => "None of the chosen trials is in the registry.".to_string(),
            (n, 0) => format!("{n} chosen trials screened."),
            (n, u) => format!("{n} chosen trials screened; {u} not in the registry: {}.", unknown.join(", ")),
        };
        outcome.unknown_trials = unknown;
        Ok(outcome)
    }

    /// Each pair's score and verdict, in input order. Each patient's trials form its pool (BM25
    /// statistics come from the pool), every trial is read and prepared once however many
    /// patients it is paired with, and with `settings.explain` each pair carries its criteria.
    pub fn rank_pairs(
        &self,
        pairs: &[(String, String)],
        patients: &HashMap<String, PatientCase>,
        settings: &MatchSettings,
    ) -> Result<Vec<PairResult>, MatchError> {
        let ids: Vec<String> = pairs.iter().map(|(_, trial)| trial.clone()).collect();
        let (trials, _) = self.trials(&ids, settings.threads)?;
        let canonical = self.canonical_ids(&ids)?;
        let by_id: HashMap<&str, &Arc<CachedTrial>> =
            trials.iter().map(|t| (t.prepared.trial.id.as_str(), t)).collect();
        let mut by_patient: HashMap<&str, Vec<usize>> = HashMap::new();
        for (row, (patient, _)) in pairs.iter().enumerate() {
            by_patient.entry(patient.as_str()).or_default().push(row);
        }
        let settings = MatchSettings { limit: usize::MAX, ..settings.clone() };
        let mut results: Vec<PairResult> = (0..pairs.len()).map(|_| PairResult::UnknownTrial).collect();
        for (patient_id, rows) in by_patient {
            let Some(case) = patients.get(patient_id) else {
                rows.iter().for_each(|&row| results[row] = PairResult::UnknownPatient);
                continue;
            };
            let mut seen = HashSet::new();
            let pool: Vec<Arc<CachedTrial>> = rows
                .iter()
                .filter_map(|&row| canonical.get(&pairs[row].1).and_then(|id| by_id.get(id.as_str())))
                .filter(|t| seen.insert(t.prepared.trial.id.clone()))
                .map(|t| Arc::clone(t))
                .collect();
            let outcome = self.screen(pool, case, &settings);
            let ranked: HashMap<String, Arc<Ranked>> =
                outcome.ranked.into_iter().map(|r| (r.trial_id.clone(), Arc::new(r))).collect();
            for &row in &rows {
                if let Some(r) = canonical.get(&pairs[row].1).and_then(|id| ranked.get(id)) {
                    results[row] = PairResult::Ranked(Arc::clone(r));
                }
            }
        }
        Ok(results)
    }

    /// Screens `pool` for the patient: answers merged (each must answer a question the pool
    /// leaves open), relevance over the pool, every trial's verdict, the best `limit` kept and,
    /// with `explain`, explained.
    pub fn screen(&self, pool: Vec<Arc<CachedTrial>>, case: &PatientCase, settings: &MatchSettings) -> MatchOutcome {
        let hypotheses = case.note.as_deref().map(query_hypotheses).unwrap_or_default();
        self.screen_with(pool, case, settings, hypotheses)
    }

    /// [`Self::screen`] with the note's candidate diagnoses already proposed (by the search).
    fn screen_with(
        &self,
        mut pool: Vec<Arc<CachedTrial>>,
        case: &PatientCase,
        settings: &MatchSettings,
        hypotheses: Vec<Hypothesis>,
    ) -> MatchOutcome {
        // One order whatever the door: retrieval on several threads returns the pool in any
        // order, and BM25's sums over it (the mean length) must not move a score by a bit.
        pool.sort_unstable_by(|a, b| a.prepared.trial.id.cmp(&b.prepared.trial.id));
        let mut patient = case.patient.clone();
        let answer_problems = merge_answers(&mut patient, &case.answers, &pool, settings.as_of);
        let bm25 = Bm25::from_docs(pool.iter().map(|t| &t.terms));
        let query = patient_query_with(&patient, case.note.as_deref(), &hypotheses);
        // Before the suspicions join the patient: a suggestion the note names is no extra topic.
        let suggested =
            case.note.as_deref().map(|note| suggested_topics(&patient, note, &hypotheses)).unwrap_or_default();
        // After the query (a suspicion's name is already in it as a hypothesis) and the answers
        // (questions are asked of the patient's own facts): suspicions only meet criteria.
        add_suspected_conditions(&mut patient, &hypotheses);
        let prepared: Vec<&PreparedTrial> = pool.iter().map(|t| &t.prepared).collect();
        let explained = if settings.explain { settings.limit } else { 0 };
        let mut ranked = rank_explained(&prepared, &bm25, &query, &patient, &suggested, settings.as_of, explained);
        ranked.truncate(settings.limit);
        MatchOutcome {
            as_of: settings.as_of,
            message: format!("{} trials screened.", pool.len()),
            pool,
            ranked,
            answer_problems,
            unknown_trials: Vec::new(),
            suggested_diagnoses: hypotheses.iter().filter_map(SuggestedDiagnosis::from_hypothesis).collect(),
        }
    }

    /// The prepared trials named by `ids` (any of their identifiers; each trial once, in first
    /// mention order), and the ids the store does not have.
    pub fn trials(&self, ids: &[String], threads: usize) -> Result<(Vec<Arc<CachedTrial>>, Vec<String>), MatchError> {
        let canonical = self.canonical_ids(ids)?;
        let mut unknown = Vec::new();
        let mut wanted: Vec<String> = Vec::new();
        for id in ids {
            match canonical.get(id) {
                Some(found) if !wanted.contains(found) => wanted.push(found.clone()),
                Some(_) => {}
                None if !unknown.contains(id) => unknown.push(id.clone()),
                None => {}
            }
        }
        let refs: Vec<&str> = wanted.iter().map(String::as_str).collect();
        let hashes = self.store.content_hashes(&refs)?;
        let trials = self.cache.fetch(&wanted, &hashes, |id| self.store.get_trial(id), threads)?;
        Ok((trials, unknown))
    }

    /// Each distinct id of `ids` that names a stored trial → that trial's own id.
    fn canonical_ids(&self, ids: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let mut canonical = HashMap::new();
        for id in ids {
            if !canonical.contains_key(id) {
                if let Some(found) = self.store.resolve_id(id.trim())? {
                    canonical.insert(id.clone(), found);
                }
            }
        }
        Ok(canonical)
    }
}

/// Records `answers` as patient facts; each must answer a question some trial of `pool` leaves
/// open. Returns the answers that could not be recorded.
fn merge_answers(
    patient: &mut Patient,
    answers: &Answers,
    pool: &[Arc<CachedTrial>],
    as_of: NaiveDate,
) -> Vec<AnswerProblem> {
    if answers.is_empty() {
        return Vec::new();
    }
    let asks = pool_asks(pool.iter().map(|t| &t.prepared), &PreparedPatient::new(patient), as_of);
    apply_answer_map(patient, &asks, answers, as_of)
}
