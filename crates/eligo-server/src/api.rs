//! The JSON API under `/api/v1`.
//!
//! Handlers are thin: validate, hand the work to the store or an engine on
//! the blocking pool, serialize. Every path is annotated for the OpenAPI
//! document ([`crate::openapi`]), which is generated from these annotations.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody, ErrorDetail};
use crate::ingest_jobs::{self, Answer, Outcome};
use crate::matching::{self, MatchedTrial, PatientInput, QuestionItem};
use crate::state::AppState;
use crate::tokens::{self, AuthError, Scope};

/// A JSON body whose rejections (wrong content type, malformed, too large,
/// wrong shape) become [`ApiError`]s with the right status.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        let Json(value) = Json::<T>::from_request(request, state).await.map_err(ApiError::from_json_rejection)?;
        Ok(JsonBody(value))
    }
}

/// An optional count in a JSON body: an integer, or a number with no fraction (`7.0`), which
/// JSON Schema counts as an integer too.
pub fn whole_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    let Some(value) = Option::<f64>::deserialize(deserializer)? else { return Ok(None) };
    if value.fract() != 0.0 || value < 0.0 || value > usize::MAX as f64 {
        return Err(serde::de::Error::custom(format!("expected a whole number, got {value}")));
    }
    Ok(Some(value as usize))
}

/// Longest identifier accepted; registry IDs are far shorter.
const MAX_ID_LEN: usize = 64;

/// Trial identifiers are NCT IDs, org study IDs or secondary IDs: letters,
/// digits and a little punctuation. Anything else (slashes, dots in a row,
/// control characters) is refused before it reaches the store.
pub fn validate_trial_id(raw: &str) -> Result<&str, ApiError> {
    let valid_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ' | '(' | ')' | '#');
    if raw.is_empty() || raw.len() > MAX_ID_LEN || !raw.chars().all(valid_char) || raw.contains("..") {
        return Err(ApiError::bad_request(
            "invalid_id",
            "a trial ID is 1 to 64 letters, digits, spaces or `-_.()#` (e.g. NCT06410833)",
        ));
    }
    Ok(raw)
}

/// Looks a trial up by any of its identifiers; 404 when unknown.
pub async fn load_trial(state: &AppState, raw_id: &str) -> Result<eligo_model::Trial, ApiError> {
    let id = validate_trial_id(raw_id)?.to_string();
    let shown = id.clone();
    state
        .stores
        .run(move |store| store.get_trial(&id).map_err(ApiError::from_store))
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no trial with ID {shown}")))
}

/// One trial: the canonical record with its provenance.
#[utoipa::path(
    get, path = "/api/v1/trials/{id}", tag = "trials",
    params(("id" = String, Path, description = "NCT ID, org study ID or secondary ID", pattern = r"^\.?([A-Za-z0-9 _()#-]+\.)*[A-Za-z0-9 _()#-]*$", min_length = 1, max_length = 64, example = "NCT06410833")),
    responses(
        (status = 200, description = "The trial record", body = Object),
        (status = 400, description = "Not a valid identifier", body = ErrorBody),
        (status = 404, description = "No such trial", body = ErrorBody),
    )
)]
pub async fn get_trial(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let trial = load_trial(&state, &id).await?;
    Ok(Json(trial).into_response())
}

/// Searches the registry: text, facets, age, sex, distance; a page of hits
/// with snippets, the total and, with `facets=true`, facet counts. Answers
/// are cached until the index changes.
#[utoipa::path(
    get, path = "/api/v1/search", tag = "trials",
    params(
        ("q" = Option<String>, Query, description = "Words, phrases, `condition:` prefixes, AND/OR/NOT"),
        ("status" = Option<String>, Query, description = "Recruitment status (repeatable or comma-separated); `open` = every status still taking people"),
        ("phase" = Option<String>, Query, description = "Phase: `1`, `2`, `PHASE3`, ..."),
        ("study_type" = Option<String>, Query, description = "INTERVENTIONAL, OBSERVATIONAL, EXPANDED_ACCESS"),
        ("intervention_type" = Option<String>, Query, description = "DRUG, DEVICE, BEHAVIORAL, ..."),
        ("std_age" = Option<String>, Query, description = "CHILD, ADULT, OLDER_ADULT"),
        ("country" = Option<String>, Query, description = "Country name or ISO code of a site"),
        ("sponsor_class" = Option<String>, Query, description = "INDUSTRY, NIH, OTHER, ..."),
        ("age" = Option<f64>, Query, description = "Age in years of the person", minimum = 0, maximum = 130),
        ("sex" = Option<String>, Query, description = "`female` or `male`", pattern = r"^([Ff]([Ee][Mm][Aa][Ll][Ee])?|[Ww][Oo][Mm][Aa][Nn]|[Mm]([Aa][Ll][Ee]|[Aa][Nn])?)?$"),
        ("near" = Option<String>, Query, description = "A city (`Paris, France`) or `lat,lon`"),
        ("radius_km" = Option<f64>, Query, description = "Radius around `near` in km (default 100); only with `near`", exclusive_minimum = 0, maximum = 20038),
        ("sort" = Option<String>, Query, description = "`relevance`, `updated` or `distance` (distance only with `near`)", pattern = r"^([Rr][Ee][Ll][Ee][Vv][Aa][Nn][Cc][Ee]|[Uu][Pp][Dd][Aa][Tt][Ee][Dd]|[Dd][Ii][Ss][Tt][Aa][Nn][Cc][Ee])?$"),
        ("limit" = Option<usize>, Query, description = "Hits per page, 1 to 100 (default 10)", minimum = 1, maximum = 100),
        ("offset" = Option<usize>, Query, description = "First hit; offset + limit ≤ 1000", minimum = 0, maximum = 999),
        ("facets" = Option<bool>, Query, description = "`true` to count matching trials per status, phase, study type, intervention type, sex, age group, country and sponsor class (default `false`: `facets` is empty)"),
    ),
    responses(
        (status = 200, description = "A page of results", body = Object),
        (status = 400, description = "Bad query or parameter", body = ErrorBody),
        (status = 414, description = "Query string too long", body = ErrorBody),
    )
)]
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let request = crate::search::request_from_pairs(&pairs, &state.limits)?;
    let body = state.search_cache.answer(&state.search, request).await?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ParseRequest {
    /// Free-text eligibility criteria, as a registry writes them.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ParseResponse {
    /// One structured criterion per line of the text, with char offsets into it.
    #[schema(value_type = Vec<Object>)]
    pub criteria: Vec<eligo_model::Criterion>,
}

/// Parses free-text eligibility criteria into structured criteria.
#[utoipa::path(
    post, path = "/api/v1/criteria/parse", tag = "criteria",
    request_body = ParseRequest,
    responses(
        (status = 200, description = "Structured criteria", body = ParseResponse),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "JSON without a `text` string", body = ErrorBody),
    )
)]
pub async fn parse_criteria(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<ParseRequest>,
) -> Result<Json<ParseResponse>, ApiError> {
    let criteria = state.cpu.run(move || Ok(eligo_criteria::parse_criteria(&request.text))).await?;
    Ok(Json(ParseResponse { criteria }))
}

/// Default and largest number of ranked trials `/match` returns.
const MATCH_DEFAULT_LIMIT: usize = 10;
const MATCH_MAX_LIMIT: usize = 100;

#[derive(Debug, Deserialize, ToSchema)]
pub struct MatchRequest {
    #[serde(flatten)]
    pub patient: PatientInput,
    /// How many ranked trials (1 to 100, default 10).
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 100)]
    pub limit: Option<usize>,
    /// Screen these trials (any of their ids, at most 100) instead of searching the registry
    /// for candidates. Ids the registry does not have are listed in `unknown_trials`.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub trial_ids: Vec<String>,
}

/// Most trials one `/match` request may choose.
const MATCH_MAX_TRIAL_IDS: usize = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchResponse {
    pub results: Vec<MatchedTrial>,
    /// What the candidates were found from, or why there are none; always present.
    pub message: String,
    /// Chosen `trial_ids` the registry does not have.
    pub unknown_trials: Vec<String>,
    /// Items of the patient document that could not be used, with where and why.
    #[schema(value_type = Vec<Object>)]
    pub rejected: Vec<eligo_patient::Rejected>,
    /// For a note: the diagnoses its findings suggest (`disease_id`, `disease`, `concept_id`,
    /// `concept`, `findings`, `score`), searched and screened as suspected conditions. Hypotheses to
    /// check, never facts of the patient; shown with `phenotype_attribution`.
    #[schema(value_type = Vec<Object>)]
    pub suggested_diagnoses: Vec<eligo_match::SuggestedDiagnosis>,
    /// The Human Phenotype Ontology's attribution, which goes with `suggested_diagnoses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phenotype_attribution: Option<&'static str>,
}

/// Ranks the registry's trials for a patient (profile, FHIR bundle or
/// note): verdicts with criterion-by-criterion evidence.
#[utoipa::path(
    post, path = "/api/v1/match", tag = "matching",
    request_body = MatchRequest,
    responses(
        (status = 200, description = "Ranked verdicts", body = MatchResponse),
        (status = 400, description = "Malformed JSON or patient", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Wrong shape", body = ErrorBody),
    )
)]
pub async fn match_patient(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<MatchRequest>,
) -> Result<Json<MatchResponse>, ApiError> {
    let limit = request.limit.unwrap_or(MATCH_DEFAULT_LIMIT);
    if !(1..=MATCH_MAX_LIMIT).contains(&limit) {
        return Err(ApiError::bad_request("bad_limit", format!("limit must be between 1 and {MATCH_MAX_LIMIT}")));
    }
    validate_trial_ids(&request.trial_ids)?;
    let read = read_patient(&state, request.patient).await?;
    let answer = matching::match_patient(&state, read, request.trial_ids, limit).await?;
    Ok(Json(MatchResponse {
        results: answer.results,
        message: answer.message,
        unknown_trials: answer.unknown_trials,
        rejected: answer.rejected,
        phenotype_attribution: (!answer.suggested_diagnoses.is_empty()).then_some(eligo_match::PHENOTYPE_ATTRIBUTION),
        suggested_diagnoses: answer.suggested_diagnoses,
    }))
}

/// Reads a request's patient on the CPU pool (a note of the longest allowed length takes a
/// fraction of a second to read: not on the async workers).
pub(crate) async fn read_patient(
    state: &Arc<AppState>,
    input: PatientInput,
) -> Result<matching::ReadPatient, ApiError> {
    let limits = state.limits.clone();
    state.cpu.run(move || input.read(&limits)).await
}

/// Chosen trial ids: at most [`MATCH_MAX_TRIAL_IDS`], each a plausible identifier.
fn validate_trial_ids(ids: &[String]) -> Result<(), ApiError> {
    if ids.len() > MATCH_MAX_TRIAL_IDS {
        let message = format!("at most {MATCH_MAX_TRIAL_IDS} trial_ids");
        return Err(ApiError::bad_request("bad_trial_ids", message));
    }
    ids.iter().try_for_each(|id| validate_trial_id(id).map(|_| ()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct QuestionsRequest {
    /// The patient so far; omit every field to start from nothing (one trial only).
    #[serde(flatten)]
    pub patient: PatientInput,
    /// Ask only what matters for this trial; without it, for the patient's candidate trials.
    pub trial_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuestionsResponse {
    pub questions: Vec<QuestionItem>,
    /// Items of the patient document or answers that could not be used, with where and why.
    #[schema(value_type = Vec<Object>)]
    pub rejected: Vec<eligo_patient::Rejected>,
}

/// The pre-screening questions whose answers would settle open criteria,
/// for one trial or for the patient's candidate trials.
#[utoipa::path(
    post, path = "/api/v1/questions", tag = "matching",
    request_body = QuestionsRequest,
    responses(
        (status = 200, description = "Questions, most useful first", body = QuestionsResponse),
        (status = 400, description = "Malformed JSON, patient or trial ID", body = ErrorBody),
        (status = 404, description = "No such trial", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No condition to find candidate trials with", body = ErrorBody),
    )
)]
pub async fn questions(
    State(state): State<Arc<AppState>>,
    JsonBody(request): JsonBody<QuestionsRequest>,
) -> Result<Json<QuestionsResponse>, ApiError> {
    let input = request.patient;
    let nobody = input.profile.is_none() && input.fhir.is_none() && input.note.is_none();
    let input = match (nobody, &request.trial_id) {
        (true, Some(_)) => PatientInput { profile: Some(serde_json::json!({})), ..input },
        _ => input,
    };
    let read = read_patient(&state, input).await?;
    let (questions, rejected) = match &request.trial_id {
        Some(id) => {
            let trial = load_trial(&state, id).await?;
            state.cpu.run(move || Ok(matching::trial_questions(&trial, read))).await?
        }
        None => matching::pool_questions(&state, read).await?,
    };
    Ok(Json(QuestionsResponse { questions, rejected }))
}

pub use crate::ingest_jobs::{IngestResponse, JobStatus};

/// Stores trials sent as ClinicalTrials.gov JSON (study, API page, array,
/// JSON Lines), legacy XML, or an eligo export. Bad records are reported and
/// skipped; good ones are stored, each recording the token's name as its source. Needs an API
/// token of scope `ingest` or `admin` (`eligo token create`).
///
/// Idempotent: a retry of a batch (same `Idempotency-Key`, or without one the same content,
/// within 24 hours) stores nothing and answers the first answer, with `Idempotent-Replayed:
/// true`. A batch still running after a few seconds answers 202 with its status URL.
#[utoipa::path(
    post, path = "/api/v1/ingest", tag = "registry",
    request_body(content = String, description = "Registry records", content_type = "application/json"),
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retry of this batch a no-op answering the first answer (1 to 255 visible ASCII characters); without it, the batch's content is the key", min_length = 1, max_length = 255, pattern = r"^[\x20-\x7E]+$")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "What was stored and what was refused", body = IngestResponse),
        (status = 202, description = "Still running; ask its status URL (also in `Location`)", body = JobStatus),
        (status = 400, description = "Malformed Idempotency-Key", body = ErrorBody),
        (status = 401, description = "Missing, unknown, revoked or expired API token", body = ErrorBody),
        (status = 403, description = "The token's scope does not allow ingest", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "No record in the body could be read, or the Idempotency-Key was used for other content", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = ErrorBody),
    )
)]
pub async fn ingest(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, ApiError> {
    let token = authorize(&state, &headers, Scope::Ingest).await?;
    let client_key = ingest_jobs::client_key(headers.get("idempotency-key"))?;
    let body = Bytes::from_request(request, &()).await.map_err(ApiError::from_bytes_rejection)?;
    Ok(match ingest_jobs::submit(&state, token.name, client_key, body).await? {
        Answer::Finished { outcome, replayed } => {
            let mut response = match outcome {
                Outcome::Stored(report) => Json(report).into_response(),
                Outcome::Refused { code, message } => {
                    (StatusCode::UNPROCESSABLE_ENTITY, Json(ErrorBody { error: ErrorDetail { code, message } }))
                        .into_response()
                }
            };
            if replayed {
                response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            response
        }
        Answer::Running(status) => {
            let location = HeaderValue::from_str(&status.status_url).map_err(ApiError::internal)?;
            (StatusCode::ACCEPTED, [(header::LOCATION, location)], Json(status)).into_response()
        }
    })
}

/// Where an ingest job stands: running, done (with its report) or refused (with the reason).
#[utoipa::path(
    get, path = "/api/v1/jobs/{id}", tag = "registry",
    params(("id" = String, Path, description = "The job's id, from a 202's status URL", pattern = "^[0-9a-fA-F]{32}$", min_length = 32, max_length = 32)),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The job's status", body = JobStatus),
        (status = 401, description = "Missing, unknown, revoked or expired API token", body = ErrorBody),
        (status = 403, description = "The token's scope does not allow ingest", body = ErrorBody),
        (status = 404, description = "No such job (or it is older than 24 hours)", body = ErrorBody),
    )
)]
pub async fn ingest_job(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<JobStatus>, ApiError> {
    authorize(&state, &headers, Scope::Ingest).await?;
    if !ingest_jobs::valid_job_id(&id) {
        return Err(ApiError::not_found("no ingest job with this id"));
    }
    let job = state.stores.run(move |store| store.get_ingest_job(&id).map_err(ApiError::from_store)).await?;
    let job = job.ok_or_else(|| ApiError::not_found("no ingest job with this id (jobs are kept 24 hours)"))?;
    Ok(Json(ingest_jobs::status(&job)?))
}

/// The token of the request's `Authorization: Bearer …` header, if it is in force and its scope
/// allows `needed`.
async fn authorize(state: &AppState, headers: &HeaderMap, needed: Scope) -> Result<eligo_store::ApiToken, ApiError> {
    let secret = bearer_token(headers)?;
    let found = state.stores.run(move |store| Ok(tokens::authenticate(store, &secret, needed))).await?;
    found.map_err(|error| match error {
        AuthError::Store(error) => ApiError::from_store(error),
        AuthError::Unknown => unauthorized("invalid_token", &error.to_string()),
        AuthError::Revoked(_) => unauthorized("revoked_token", &error.to_string()),
        AuthError::Expired(_) => unauthorized("expired_token", &error.to_string()),
        AuthError::Scope(_) => ApiError::new(StatusCode::FORBIDDEN, "insufficient_scope", error.to_string()),
    })
}

/// The token of an `Authorization: Bearer …` header.
fn bearer_token(headers: &HeaderMap) -> Result<String, ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("missing_token", "write endpoints need `Authorization: Bearer <token>`"))?;
    value
        .to_str()
        .ok()
        .and_then(|text| text.strip_prefix("Bearer "))
        .map(|token| token.trim().to_string())
        .ok_or_else(|| unauthorized("missing_token", "the Authorization header must be `Bearer <token>`"))
}

fn unauthorized(code: &'static str, message: &str) -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, code, message)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the store answers; `degraded` when it does not (searches are answered from the
    /// index, requests that need the database get 503 with `Retry-After`).
    pub status: String,
    /// `ok`, or `unreachable` (see `unreachable_since`).
    pub database: String,
    /// Since when the database has been out of reach (RFC 3339), while it is.
    pub unreachable_since: Option<String>,
    /// Trials in the store, or in the search index while the store is out of reach.
    pub trials: u64,
    /// The store's change sequence the search index holds.
    pub indexed_seq: u64,
}

/// Liveness and readiness: the store answers (`ok`), or the replica serves searches from its
/// index without it (`degraded`, still 200: it is worth keeping in a load balancer for reads).
#[utoipa::path(
    get, path = "/api/v1/healthz", tag = "operations",
    responses((status = 200, description = "Healthy or degraded", body = Health), (status = 500, description = "Store failed", body = ErrorBody))
)]
pub async fn healthz(State(state): State<Arc<AppState>>) -> Result<Json<Health>, ApiError> {
    let counted = state.stores.run(|store| store.trial_count().map_err(ApiError::from_store)).await;
    let indexed_seq = state.search.indexed_seq();
    let degraded = |since: Option<chrono::DateTime<chrono::Utc>>| Health {
        status: "degraded".into(),
        database: "unreachable".into(),
        unreachable_since: since.map(|at| at.to_rfc3339()),
        trials: state.search.len(),
        indexed_seq,
    };
    match counted {
        Ok(trials) => Ok(Json(Health {
            status: "ok".into(),
            database: "ok".into(),
            unreachable_since: None,
            trials,
            indexed_seq,
        })),
        Err(error) if error.code == "store_unavailable" => Ok(Json(degraded(state.stores.health.unreachable_since()))),
        Err(error) => Err(error),
    }
}

/// Request counts and latency histograms, Prometheus text format.
#[utoipa::path(
    get, path = "/api/v1/metrics", tag = "operations",
    responses((status = 200, description = "Prometheus exposition text", body = String, content_type = "text/plain"))
)]
pub async fn metrics(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let trials = state.stores.run(|store| store.trial_count().map_err(ApiError::internal)).await?;
    let mut text = state.metrics.render(trials);
    text.push_str(&state.search_cache.render_metrics());
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], text).into_response())
}

/// Any path under `/api/v1` that is not a route.
pub async fn unknown_route() -> ApiError {
    ApiError::not_found("no such API endpoint; see /api/v1/openapi.json")
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this endpoint does not take that method")
}
