//! Patients in, verdicts out: reading a patient from a request and handing
//! it to `eligo_match::Matcher` (the matcher the CLI runs too: candidates
//! from the search index or the trials chosen, screened, ranked, explained),
//! and listing the questions that would settle open criteria.
//!
//! Patient data stays in this request: it is never logged, never stored,
//! and never put into a URL (the pages post it).

use std::sync::Arc;
use std::time::Instant;

use axum::http::StatusCode;
use chrono::NaiveDate;
pub use eligo_match::MatchedTrial;
use eligo_match::{
    apply_answer_map, lay_questions, pool_asks, rank_questions, AnswerFormat, AnswerProblem, Answers, CandidateError,
    Group, LayQuestion, MatchError, MatchOutcome, MatchSettings, Matcher, PatientCase, PreparedPatient, PreparedTrial,
    RankedQuestion, Reply, SuggestedDiagnosis,
};
use eligo_model::{Patient, Trial};
use eligo_patient::{ParsedPatient, Rejected};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::{AppState, Limits};

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
    /// The case the matcher screens (answers are merged there, against the pool's questions).
    fn case(&self) -> PatientCase {
        PatientCase { patient: self.parsed.patient.clone(), note: self.note.clone(), answers: self.answers.clone() }
    }

    /// Lists the answers the matcher could not record, by key.
    fn reject_answers(&mut self, problems: &[AnswerProblem]) {
        for problem in problems {
            self.parsed.rejected.push(Rejected::new(format!("answers.{}", problem.key), problem.to_string()));
        }
    }

    /// Merges the request's answers into the patient; each is an answer to a question one of
    /// `trials` leaves open, and those that cannot be recorded are rejected by key.
    fn merge_answers<'a, 't: 'a>(&mut self, trials: impl IntoIterator<Item = &'a PreparedTrial<'t>>) {
        if self.answers.is_empty() {
            return;
        }
        let patient = &mut self.parsed.patient;
        let asks = pool_asks(trials, &PreparedPatient::new(patient), self.as_of);
        let problems = apply_answer_map(patient, &asks, &self.answers, self.as_of);
        self.reject_answers(&problems);
    }
}

/// The evaluation dates a request may ask for. Ages and time windows are computed from `as_of`;
/// a date far outside any patient's life is a mistake or a probe, answered 422.
pub const AS_OF_RANGE: std::ops::RangeInclusive<NaiveDate> = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date")
    ..=NaiveDate::from_ymd_opt(2200, 12, 31).expect("a valid date");

impl PatientInput {
    /// Reads the patient, after checking what the limits bound: the note's length (413) and the
    /// evaluation date (422). CPU work: call it on [`crate::state::CpuPool`].
    pub fn read(&self, limits: &Limits) -> Result<ReadPatient, ApiError> {
        let as_of = self.as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
        if !AS_OF_RANGE.contains(&as_of) {
            let message = format!(
                "as_of {as_of} is outside the dates Eligo evaluates ({} to {})",
                AS_OF_RANGE.start(),
                AS_OF_RANGE.end()
            );
            return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "bad_as_of", message));
        }
        if let Some(note) = self.note.as_ref().filter(|n| n.len() > limits.max_note_bytes) {
            let message = format!(
                "the note is {} KB; notes up to {} KB are read (the server's max note length)",
                note.len().div_ceil(1024),
                limits.max_note_bytes / 1024
            );
            return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "note_too_long", message));
        }
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

/// The answer to a match: the ranked trials, what they were found from (or why there are none),
/// and what of the patient or the request could not be used.
pub struct MatchAnswer {
    pub results: Vec<MatchedTrial>,
    pub message: String,
    pub rejected: Vec<Rejected>,
    /// Chosen trial ids the store does not have.
    pub unknown_trials: Vec<String>,
    /// The diagnoses a note's findings suggest (hypotheses, never facts of the patient).
    pub suggested_diagnoses: Vec<SuggestedDiagnosis>,
}

/// Runs the matcher on the CPU pool with one store connection: the
/// patient's candidates, or the chosen `trial_ids` when there are any.
async fn run_matcher(
    state: &Arc<AppState>,
    read: ReadPatient,
    trial_ids: Vec<String>,
    settings: MatchSettings,
) -> Result<(MatchOutcome, ReadPatient), ApiError> {
    let settings = MatchSettings { deadline: Some(Instant::now() + state.limits.request_timeout), ..settings };
    let shared = Arc::clone(state);
    state
        .cpu
        .run(move || {
            shared.stores.with_store(|store| {
                let matcher = Matcher::new(store, &shared.trials).with_index(&shared.search);
                let case = read.case();
                let outcome = match trial_ids.is_empty() {
                    true => matcher.match_patient(&case, &settings),
                    false => matcher.screen_trials(&trial_ids, &case, &settings),
                }
                .map_err(match_error)?;
                Ok((outcome, read))
            })
        })
        .await
}

fn match_error(error: MatchError) -> ApiError {
    match error {
        MatchError::Candidates(CandidateError::Search(e)) => crate::search::api_error(e),
        MatchError::NoLocation => ApiError::bad_request("no_location", error.to_string()),
        MatchError::DeadlinePassed => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long and was stopped")
        }
        other => ApiError::internal(other),
    }
}

/// Ranked verdicts for a patient: over the whole registry, or over the chosen `trial_ids`.
pub async fn match_patient(
    state: &Arc<AppState>,
    read: ReadPatient,
    trial_ids: Vec<String>,
    limit: usize,
) -> Result<MatchAnswer, ApiError> {
    let settings = MatchSettings { limit, ..MatchSettings::new(read.as_of) };
    match_with_settings(state, read, trial_ids, settings).await
}

/// [`match_patient`] with every matcher setting chosen by the caller (filters, as-of date).
pub async fn match_with_settings(
    state: &Arc<AppState>,
    read: ReadPatient,
    trial_ids: Vec<String>,
    settings: MatchSettings,
) -> Result<MatchAnswer, ApiError> {
    let (outcome, mut read) = run_matcher(state, read, trial_ids, settings).await?;
    read.reject_answers(&outcome.answer_problems);
    Ok(MatchAnswer {
        results: outcome.matched(),
        message: outcome.message,
        rejected: read.parsed.rejected,
        unknown_trials: outcome.unknown_trials,
        suggested_diagnoses: outcome.suggested_diagnoses,
    })
}

/// A question, in the plain words the check pages use, and how many candidate trials it bears on.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionItem {
    /// Identifies the fact asked about (answers are keyed by it).
    pub key: String,
    pub text: String,
    /// A short help line for the person answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Where the question sits on a form: `about_you`, `conditions`, `medicines` or `tests`.
    #[schema(value_type = String)]
    pub group: Group,
    /// The answers it takes: `{"type":"yes_no"}`, `{"type":"sex"}`, `{"type":"qualitative"}`
    /// (positive / negative) or `{"type":"number","units":[...]}` (the first is the criterion's).
    #[schema(value_type = Object)]
    pub reply: Reply,
    /// The criteria texts that raise it.
    pub why: Vec<String>,
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

impl QuestionItem {
    fn new(ranked: RankedQuestion, answer: Option<AnswerFormat>) -> Self {
        let RankedQuestion { question, trials, decides, .. } = ranked;
        let LayQuestion { key, text, hint, group, reply, why } = question;
        QuestionItem { key, text, hint, group, reply, why, trials, decides, answer }
    }
}

/// The questions of one trial for this patient, in criterion order.
pub fn trial_questions(trial: &Trial, mut read: ReadPatient) -> (Vec<QuestionItem>, Vec<Rejected>) {
    let prepared = PreparedTrial::new(trial);
    read.merge_answers([&prepared]);
    let screening = prepared.screen(&PreparedPatient::new(&read.parsed.patient), read.as_of);
    let lay = lay_questions([&prepared], &read.parsed.patient, read.as_of);
    // One trial: every question bears on it, in the trial's own order.
    let mut questions = rank_questions([(trial.id.as_str(), &screening)], &lay);
    let order: Vec<String> = screening.questions().into_iter().map(|q| q.key.clone()).collect();
    questions.sort_by_key(|q| order.iter().position(|key| *key == q.question.key));
    (question_items(questions, [&prepared], read.as_of), read.parsed.rejected)
}

/// The questions that would settle the most candidate verdicts.
pub async fn pool_questions(
    state: &Arc<AppState>,
    read: ReadPatient,
) -> Result<(Vec<QuestionItem>, Vec<Rejected>), ApiError> {
    // Every candidate's questions count, so every candidate is explained.
    let settings = MatchSettings { limit: usize::MAX, ..MatchSettings::new(read.as_of) };
    let (outcome, mut read) = run_matcher(state, read, Vec::new(), settings).await?;
    read.reject_answers(&outcome.answer_problems);
    let pool = || outcome.pool.iter().map(|t| &t.prepared);
    let lay = lay_questions(pool(), &read.parsed.patient, read.as_of);
    let ranked = rank_questions(outcome.ranked.iter().map(|r| (r.trial_id.as_str(), &r.screening)), &lay);
    Ok((question_items(ranked, pool(), read.as_of), read.parsed.rejected))
}

/// Ranked questions with the shape of answer each takes, which depends on the criterion alone:
/// the asks of `trials` for someone we know nothing about list them all.
fn question_items<'a, 't: 'a>(
    questions: Vec<RankedQuestion>,
    trials: impl IntoIterator<Item = &'a PreparedTrial<'t>>,
    as_of: NaiveDate,
) -> Vec<QuestionItem> {
    let nobody = Patient::default();
    let asks = pool_asks(trials, &PreparedPatient::new(&nobody), as_of);
    questions
        .into_iter()
        .map(|question| {
            let answer = asks.iter().find(|a| a.question.key == question.question.key).map(|a| a.kind.format());
            QuestionItem::new(question, answer)
        })
        .collect()
}
