//! Patients in, verdicts out: reading a patient from a request, finding
//! candidate trials with the search index, screening and ranking them with
//! `eligo-match`, and listing the questions that would settle open criteria.
//!
//! Patient data stays in this request: it is never logged, never stored,
//! and never put into a URL (the pages post it).

use std::sync::Arc;

use chrono::NaiveDate;
use eligo_match::{
    apply_answer_map, candidate_request, patient_query, pool_asks, rank_explained, rank_questions, retrieve,
    AnswerFormat, Answers, Bm25, CachedTrial, CandidateError, CriterionResult, PreparedPatient, PreparedTrial, Ranked,
    Verdict,
};
use eligo_model::{Patient, Trial};
use eligo_patient::{ParsedPatient, Rejected};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// Trials retrieved by search and then screened. Each is screened for its
/// verdict; only the ones returned are explained criterion by criterion.
/// 100 keeps a burst of requests with new candidates (each to be read from
/// the store and prepared) well inside the latency target, while the
/// best-ranked 20 shown are rarely beyond it.
const CANDIDATES: usize = 100;

/// A patient as a request carries one: exactly one of `profile` (Eligo's
/// JSON profile), `fhir` (a FHIR R4 Bundle) or `note` (free text).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PatientInput {
    #[schema(value_type = Option<Object>)]
    pub profile: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub fhir: Option<serde_json::Value>,
    pub note: Option<String>,
    /// Evaluation date for ages and time windows (default: today).
    #[schema(value_type = Option<String>, format = Date)]
    pub as_of: Option<NaiveDate>,
    /// Answers to earlier questions, merged into the patient: question
    /// `key` → `"yes"`/`"no"` (or `true`/`false`), a number, or
    /// `"female"`/`"male"`. Unusable answers are listed in `rejected`.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub answers: Answers,
}

/// The patient read from a request, and the note text when there was one
/// (it also feeds relevance ranking).
pub struct ReadPatient {
    pub parsed: ParsedPatient,
    pub note: Option<String>,
    pub as_of: NaiveDate,
    pub answers: Answers,
}

impl ReadPatient {
    /// Merges the request's answers into the patient; each is an answer to a question one of
    /// `trials` leaves open, and those that cannot be recorded are rejected by key.
    fn merge_answers<'a, 't: 'a>(&mut self, trials: impl IntoIterator<Item = &'a PreparedTrial<'t>>) {
        if self.answers.is_empty() {
            return;
        }
        let patient = &mut self.parsed.patient;
        let asks = pool_asks(trials, &PreparedPatient::new(patient), self.as_of);
        for problem in apply_answer_map(patient, &asks, &self.answers, self.as_of) {
            self.parsed.rejected.push(Rejected::new(format!("answers.{}", problem.key), problem.to_string()));
        }
    }
}

impl PatientInput {
    pub fn read(&self) -> Result<ReadPatient, ApiError> {
        let as_of = self.as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let given = [self.profile.is_some(), self.fhir.is_some(), self.note.is_some()].iter().filter(|g| **g).count();
        if given != 1 {
            return Err(ApiError::bad_request("bad_patient", "give exactly one of `profile`, `fhir` or `note`"));
        }
        let invalid = |e: eligo_patient::PatientError| ApiError::bad_request("bad_patient", e.to_string());
        let parsed = match (&self.profile, &self.fhir, &self.note) {
            (Some(profile), _, _) => eligo_patient::profile::read_profile(&profile.to_string()).map_err(invalid)?,
            (_, Some(bundle), _) => eligo_patient::fhir::read_bundle(&bundle.to_string()).map_err(invalid)?,
            (_, _, Some(note)) => eligo_patient::note::read_note(note, as_of),
            _ => ParsedPatient::default(),
        };
        Ok(ReadPatient { parsed, note: self.note.clone(), as_of, answers: self.answers.clone() })
    }
}

/// One ranked trial with its criterion-by-criterion evidence.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchedTrial {
    pub trial_id: String,
    pub title: String,
    #[schema(value_type = String)]
    pub verdict: Verdict,
    pub score: f64,
    pub relevance: f64,
    /// Criteria the patient fails (inclusion not met, exclusion met).
    pub exclusions: Vec<String>,
    /// Questions that would settle the open criteria.
    pub open_questions: Vec<String>,
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<CriterionResult>,
}

impl MatchedTrial {
    fn new(ranked: Ranked, title: String) -> Self {
        let screening = ranked.screening;
        MatchedTrial {
            exclusions: screening.exclusions().map(|r| r.text.clone()).collect(),
            open_questions: screening.questions().iter().map(|q| q.text.clone()).collect(),
            trial_id: ranked.trial_id,
            title,
            verdict: ranked.verdict,
            score: ranked.score,
            relevance: ranked.relevance,
            criteria: screening.results,
        }
    }
}

/// Candidate trials for a patient (see [`eligo_match::candidates`]): ids from the index, their
/// prepared forms from the cache when the store's content hash says the trial is unchanged,
/// else read and prepared now. Index and store are read in one blocking task.
pub async fn candidates(
    state: &Arc<AppState>,
    patient: &Patient,
    as_of: NaiveDate,
) -> Result<Vec<Arc<CachedTrial>>, ApiError> {
    let request = candidate_request(patient, as_of, CANDIDATES).map_err(candidate_error)?;
    let shared = Arc::clone(state);
    state
        .stores
        .run(move |store| {
            let threads = std::thread::available_parallelism().map_or(1, usize::from);
            retrieve(&shared.search, store, &shared.trials, &request, threads).map_err(candidate_error)
        })
        .await
}

fn candidate_error(error: CandidateError) -> ApiError {
    match error {
        CandidateError::NoConditions => ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "no_conditions",
            "no condition could be read from the patient, so there is nothing to look for trials with",
        ),
        CandidateError::Search(e) => crate::search::api_error(e),
        CandidateError::Store(e) => ApiError::internal(e),
    }
}

/// Screens and ranks `trials` for the patient, best first; the first
/// `explained` carry their criterion-by-criterion explanation.
pub fn rank(trials: &[Arc<CachedTrial>], read: &ReadPatient, explained: usize) -> Vec<Ranked> {
    let refs: Vec<&PreparedTrial> = trials.iter().map(|t| &t.prepared).collect();
    let bm25 = Bm25::from_docs(trials.iter().map(|t| &t.terms));
    let query = patient_query(&read.parsed.patient, read.note.as_deref());
    rank_explained(&refs, &bm25, &query, &read.parsed.patient, read.as_of, explained)
}

/// Ranked verdicts for a patient over the whole registry.
pub async fn match_patient(
    state: &Arc<AppState>,
    read: ReadPatient,
    limit: usize,
) -> Result<(Vec<MatchedTrial>, Vec<Rejected>), ApiError> {
    let _slot = state.match_slots.acquire().await.map_err(ApiError::internal)?;
    let trials = candidates(state, &read.parsed.patient, read.as_of).await?;
    let (matched, read) = tokio::task::spawn_blocking(move || {
        let mut read = read;
        read.merge_answers(trials.iter().map(|t| &t.prepared));
        let ranked = rank(&trials, &read, limit);
        let title_of = |id: &str| {
            let trial = trials.iter().map(|t| &t.prepared.trial).find(|t| t.id == id);
            trial.map_or(String::new(), |t| t.title().to_string())
        };
        let matched: Vec<MatchedTrial> = ranked
            .into_iter()
            .take(limit)
            .map(|r| {
                let title = title_of(&r.trial_id);
                MatchedTrial::new(r, title)
            })
            .collect();
        (matched, read)
    })
    .await
    .map_err(ApiError::internal)?;
    Ok((matched, read.parsed.rejected))
}

/// A question and how many candidate trials it bears on.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionItem {
    /// Identifies the fact asked about (answers are keyed by it).
    pub key: String,
    pub text: String,
    /// Trials (among the candidates) where it is open.
    pub trials: usize,
    /// Trials where it is the only open question.
    pub decides: usize,
    /// The answer it takes: `{"type":"yes_no"}`, `{"type":"sex"}` or
    /// `{"type":"number","unit":...}`; absent when an answer could not be
    /// recorded as a patient fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub answer: Option<AnswerFormat>,
}

/// The questions of one trial for this patient, in criterion order.
pub fn trial_questions(trial: &Trial, mut read: ReadPatient) -> (Vec<QuestionItem>, Vec<Rejected>) {
    let prepared = PreparedTrial::new(trial);
    read.merge_answers([&prepared]);
    let screening = prepared.screen(&PreparedPatient::new(&read.parsed.patient), read.as_of);
    let open = screening.questions();
    let decides = usize::from(open.len() == 1);
    let items = open.into_iter().map(|q| (q.key.clone(), q.text.clone(), 1, decides));
    (question_items(items, [&prepared], read.as_of), read.parsed.rejected)
}

/// The questions that would settle the most candidate verdicts.
pub async fn pool_questions(
    state: &Arc<AppState>,
    mut read: ReadPatient,
) -> Result<(Vec<QuestionItem>, Vec<Rejected>), ApiError> {
    let _slot = state.match_slots.acquire().await.map_err(ApiError::internal)?;
    let trials = candidates(state, &read.parsed.patient, read.as_of).await?;
    tokio::task::spawn_blocking(move || {
        read.merge_answers(trials.iter().map(|t| &t.prepared));
        // Every candidate's questions count, so every candidate is explained.
        let ranked = rank(&trials, &read, usize::MAX);
        let ranked_questions = rank_questions(ranked.iter().map(|r| (r.trial_id.as_str(), &r.screening)));
        let items = ranked_questions.into_iter().map(|q| (q.key, q.text, q.trials, q.decides));
        (question_items(items, trials.iter().map(|t| &t.prepared), read.as_of), read.parsed.rejected)
    })
    .await
    .map_err(ApiError::internal)
}

/// Questions (key, text, trials, decides) with the shape of answer each takes, which depends on
/// the criterion alone: the asks of `trials` for someone we know nothing about list them all.
fn question_items<'a, 't: 'a>(
    questions: impl Iterator<Item = (String, String, usize, usize)>,
    trials: impl IntoIterator<Item = &'a PreparedTrial<'t>>,
    as_of: NaiveDate,
) -> Vec<QuestionItem> {
    let nobody = Patient::default();
    let asks = pool_asks(trials, &PreparedPatient::new(&nobody), as_of);
    questions
        .map(|(key, text, trials, decides)| {
            let answer = asks.iter().find(|a| a.question.key == key).map(|a| a.kind.format());
            QuestionItem { key, text, trials, decides, answer }
        })
        .collect()
}
