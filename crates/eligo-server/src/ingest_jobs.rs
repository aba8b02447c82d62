//! Ingest through the API as jobs: idempotent, and never answered with a misleading timeout.
//!
//! Every batch sent to `POST /api/v1/ingest` becomes a job in the store under its idempotency
//! key: the client's `Idempotency-Key` header, or else the batch's SHA-256, each scoped to the
//! token's name. A retry of a batch (same key, same content) starts nothing: it gets the first
//! answer, or 202 while the first is still running. The same key with other content is refused
//! (422), as the IETF Idempotency-Key draft asks. Keys are kept for [`KEY_RETENTION`]; after that
//! the same batch is ingested again (which stores nothing new: re-ingest is idempotent).
//!
//! A job runs on its own task, not the request's: when it outruns the request's wait the client
//! gets 202 with the job's status URL (`GET /api/v1/jobs/{id}`), and the job still finishes and
//! records its answer there. A job that fails inside the server (store error) forgets its key,
//! so that a retry runs it again rather than replaying the failure.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, TimeDelta, Utc};
use eligo_registry::documents::Document;
use eligo_registry::ingest::{read_document, BatchWriter, DEFAULT_BATCH_SIZE};
use eligo_registry::{IngestReport, InputFormat};
use eligo_store::{IngestJob, NewIngestJob, Store};
use rand::TryRngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorDetail};
use crate::state::AppState;

/// How long a batch's key makes its retries no-ops.
pub const KEY_RETENTION: TimeDelta = TimeDelta::hours(24);

/// Longest `Idempotency-Key` accepted.
const MAX_KEY_CHARS: usize = 255;

/// What an ingest did (the `eligo ingest --json` report).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct IngestResponse {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub failed: u64,
    /// Each failure names the record and why it was refused.
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl From<IngestReport> for IngestResponse {
    fn from(report: IngestReport) -> Self {
        IngestResponse {
            new: report.new,
            updated: report.updated,
            unchanged: report.unchanged,
            failed: report.failed,
            errors: report.errors,
            warnings: report.warnings,
        }
    }
}

/// A job's first answer, as the store keeps it: the report, or the refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Stored(IngestResponse),
    /// Nothing in the batch could be stored (422).
    Refused {
        code: String,
        message: String,
    },
}

/// Where an ingest job stands (`GET /api/v1/jobs/{id}`, and the body of a 202).
#[derive(Debug, Serialize, ToSchema)]
pub struct JobStatus {
    pub id: String,
    /// `running`, `done` (see `result`) or `refused` (see `error`: nothing could be stored).
    pub status: String,
    /// Where to ask again: `/api/v1/jobs/{id}`.
    pub status_url: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: DateTime<Utc>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub finished_at: Option<DateTime<Utc>>,
    pub result: Option<IngestResponse>,
    pub error: Option<ErrorDetail>,
}

/// What the ingest endpoint answers.
pub enum Answer {
    /// The job finished (now or, for a retry, earlier); `replayed` when it is a retry's answer.
    Finished { outcome: Outcome, replayed: bool },
    /// Still running: 202 with its status.
    Running(JobStatus),
}

/// Runs `body` as a job under its idempotency key (or answers a retry from the first run), and
/// waits for it at most `state.limits.ingest_wait`.
pub async fn submit(
    state: &Arc<AppState>,
    token_name: String,
    client_key: Option<String>,
    body: axum::body::Bytes,
) -> Result<Answer, ApiError> {
    let body_hash = hex::encode(Sha256::digest(&body));
    let key_material = client_key.map_or_else(|| format!("sha256:{body_hash}"), |key| format!("key:{key}"));
    let job = NewIngestJob {
        id: new_job_id()?,
        idempotency_key: hex::encode(Sha256::digest(format!("{token_name}\0{key_material}"))),
        body_hash,
        token_name,
    };
    let forget_before = Utc::now() - KEY_RETENTION;
    let request = job.clone();
    let (holder, started) = state
        .stores
        .run(move |store| store.start_ingest_job(&request, forget_before).map_err(ApiError::from_store))
        .await?;
    if !started {
        return answer_retry(holder, &job.body_hash);
    }
    let (done_tx, done_rx) = tokio::sync::oneshot::channel();
    // Its own task: the job finishes and records its answer even when the request stops waiting.
    tokio::spawn(run_job(Arc::clone(state), job.id.clone(), job.token_name.clone(), body, done_tx));
    let wait = state.limits.ingest_wait.min(state.limits.request_timeout / 2);
    match tokio::time::timeout(wait, done_rx).await {
        Ok(Ok(result)) => result.map(|outcome| Answer::Finished { outcome, replayed: false }),
        // Still running (or its task ended without a word, which the status URL will tell).
        Ok(Err(_)) | Err(_) => Ok(Answer::Running(running_status(&holder))),
    }
}

fn answer_retry(holder: IngestJob, body_hash: &str) -> Result<Answer, ApiError> {
    if holder.body_hash != body_hash {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different batch; use a new key for new content",
        ));
    }
    match holder.result.as_deref().map(read_outcome).transpose()? {
        Some(outcome) => Ok(Answer::Finished { outcome, replayed: true }),
        None => Ok(Answer::Running(running_status(&holder))),
    }
}

/// Ingests the batch, records the answer on the job, and hands it to the waiting request.
async fn run_job(
    state: Arc<AppState>,
    id: String,
    token_name: String,
    body: axum::body::Bytes,
    done: tokio::sync::oneshot::Sender<Result<Outcome, ApiError>>,
) {
    let search = Arc::clone(&state.search);
    let job_id = id.clone();
    let result = state
        .stores
        .run(move |store| {
            let report = ingest_body(store, &body, &token_name)?;
            search.catch_up(store).map_err(ApiError::internal)?;
            let outcome = outcome_of(report);
            let text = serde_json::to_string(&outcome).map_err(ApiError::internal)?;
            store.finish_ingest_job(&job_id, &text).map_err(ApiError::from_store)?;
            Ok(outcome)
        })
        .await;
    if result.is_ok() {
        if let Some(alerts) = state.alerts.get() {
            alerts.evaluate_changes().await;
        }
    }
    if result.is_err() {
        // Let a retry run the batch again; batches already written stay (each is atomic) and are
        // `unchanged` the second time.
        let _ = state.stores.run(move |store| store.forget_ingest_job(&id).map_err(ApiError::internal)).await;
    }
    // The request may have stopped waiting: then the status URL tells the outcome.
    let _ = done.send(result);
}

fn outcome_of(report: IngestReport) -> Outcome {
    if report.stored() == 0 && report.failed > 0 {
        let reasons = report.errors.iter().take(5).cloned().collect::<Vec<_>>().join("; ");
        return Outcome::Refused { code: "no_valid_records".into(), message: format!("nothing was stored: {reasons}") };
    }
    Outcome::Stored(report.into())
}

/// Reads the body's records into the store; each record's source names the token that sent it
/// (`eligo show --provenance`).
fn ingest_body(store: &dyn Store, body: &[u8], token_name: &str) -> Result<IngestReport, ApiError> {
    let uri = format!("api:ingest?token={token_name}");
    let document = Document { uri: uri.clone(), reader: Box::new(body) };
    let mut writer = BatchWriter::new(store, DEFAULT_BATCH_SIZE);
    let mut store_error = None;
    read_document(document, InputFormat::Auto, &mut |record| {
        if store_error.is_none() {
            store_error = writer.push(&uri, record).err();
        }
    });
    if let Some(error) = store_error {
        return Err(ApiError::internal(error));
    }
    writer.finish().map_err(ApiError::internal)
}

fn read_outcome(text: &str) -> Result<Outcome, ApiError> {
    serde_json::from_str(text).map_err(ApiError::internal)
}

/// A job's status as the API shows it.
pub fn status(job: &IngestJob) -> Result<JobStatus, ApiError> {
    let mut status = running_status(job);
    match job.result.as_deref().map(read_outcome).transpose()? {
        None => {}
        Some(Outcome::Stored(report)) => {
            status.status = "done".into();
            status.result = Some(report);
        }
        Some(Outcome::Refused { code, message }) => {
            status.status = "refused".into();
            status.error = Some(ErrorDetail { code, message });
        }
    }
    Ok(status)
}

fn running_status(job: &IngestJob) -> JobStatus {
    JobStatus {
        id: job.id.clone(),
        status: "running".into(),
        status_url: format!("/api/v1/jobs/{}", job.id),
        created_at: job.created_at,
        finished_at: job.finished_at,
        result: None,
        error: None,
    }
}

/// The client's `Idempotency-Key`, if it sent one: 1 to 255 visible ASCII characters.
pub fn client_key(value: Option<&axum::http::HeaderValue>) -> Result<Option<String>, ApiError> {
    let Some(value) = value else { return Ok(None) };
    let key = value.to_str().ok().map(str::trim).filter(|key| {
        !key.is_empty() && key.len() <= MAX_KEY_CHARS && key.chars().all(|c| c.is_ascii_graphic() || c == ' ')
    });
    key.map(|key| Some(key.to_string())).ok_or_else(|| {
        ApiError::bad_request("bad_idempotency_key", "an Idempotency-Key is 1 to 255 visible ASCII characters")
    })
}

/// 16 random bytes: a job's status URL is only known to whoever sent the batch.
fn new_job_id() -> Result<String, ApiError> {
    let mut id = [0u8; 16];
    rand::rngs::OsRng.try_fill_bytes(&mut id).map_err(ApiError::internal)?;
    Ok(hex::encode(id))
}

/// Whether `id` could be a job id (so that anything else is refused before the store).
pub fn valid_job_id(id: &str) -> bool {
    id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit())
}
