//! FHIR R4 on the way out: trials as `ResearchStudy` and the matching
//! service contract of the clinical-trial-matching apps.
//!
//! - `GET /fhir/ResearchStudy/{id}`: one trial ([`research_study`]).
//! - `GET /fhir/ResearchStudy?condition=&status=&_count=`: a `searchset`
//!   Bundle, through the same search engine as `/api/v1/search`.
//! - `POST /getClinicalTrial` with `{"patientData": Bundle, "count", "offset"}`
//!   ([`matching_service`]): the patient screened by `eligo_match::Matcher`
//!   (the one the rest of the server uses), answered as a `searchset` Bundle
//!   of `ResearchStudy` with `search.score` on 0–1.
//!
//! Failures are the API's `{"error":{...}}` bodies with their statuses, like
//! every other route; `docs/fhir.md` describes the mapping.

pub mod matching_service;
pub mod research_study;

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use eligo_model::Trial;
use eligo_search::SearchRequest;
use serde_json::{json, Value};

use crate::api::load_trial;
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// The FHIR routes, merged into the application router.
/// The FHIR routes, merged into the application router; the matching service is rate-limited
/// per client like `/api/v1/match`.
pub fn routes(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let matching = Router::new().route("/getClinicalTrial", post(matching_service::get_clinical_trial));
    Router::new()
        .route("/fhir/ResearchStudy/{id}", get(read_research_study))
        .route("/fhir/ResearchStudy", get(search_research_studies))
        .merge(crate::rate_limit::throttled(matching, state, IntoResponse::into_response))
        .method_not_allowed_fallback(crate::api::method_not_allowed)
}

/// Default and largest `_count` of a ResearchStudy search.
const DEFAULT_COUNT: usize = 10;
const MAX_COUNT: usize = 100;
/// Longest `condition` text (as the OpenAPI document states).
const MAX_CONDITION_CHARS: usize = 100;

/// A FHIR JSON answer (`application/fhir+json`).
pub fn fhir_response(body: &Value) -> Response {
    let content_type = HeaderValue::from_static("application/fhir+json");
    ([(header::CONTENT_TYPE, content_type)], body.to_string()).into_response()
}

/// One trial as an R4 ResearchStudy.
#[utoipa::path(
    get, path = "/fhir/ResearchStudy/{id}", tag = "fhir",
    params(("id" = String, Path, description = "NCT ID, org study ID or secondary ID", pattern = r"^\.?([A-Za-z0-9 _()#-]+\.)*[A-Za-z0-9 _()#-]*$", min_length = 1, max_length = 64, example = "NCT06410833")),
    responses(
        (status = 200, description = "The trial as a FHIR R4 ResearchStudy", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "Not a valid identifier", body = ErrorBody),
        (status = 404, description = "No such trial", body = ErrorBody),
        (status = 405, description = "Method not allowed", body = ErrorBody),
    )
)]
pub async fn read_research_study(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let trial = load_trial(&state, &id).await?;
    Ok(fhir_response(&research_study::research_study(&trial)))
}

/// Trials as a `searchset` Bundle of ResearchStudy.
#[utoipa::path(
    get, path = "/fhir/ResearchStudy", tag = "fhir",
    params(
        ("condition" = Option<String>, Query, description = "Condition or disease, as words", max_length = 100, example = "lupus nephritis"),
        ("status" = Option<String>, Query, description = "R4 research-study-status code(s), comma-separated",
            pattern = r"^$|^(active|administratively-completed|approved|closed-to-accrual|closed-to-accrual-and-intervention|completed|disapproved|in-review|temporarily-closed-to-accrual|temporarily-closed-to-accrual-and-intervention|withdrawn)(,(active|administratively-completed|approved|closed-to-accrual|closed-to-accrual-and-intervention|completed|disapproved|in-review|temporarily-closed-to-accrual|temporarily-closed-to-accrual-and-intervention|withdrawn))*$",
            example = "active"),
        ("_count" = Option<usize>, Query, description = "Studies in the Bundle, 1 to 100 (default 10)", minimum = 1, maximum = 100),
    ),
    responses(
        (status = 200, description = "A searchset Bundle of ResearchStudy", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "Unknown parameter, status code or count", body = ErrorBody),
        (status = 405, description = "Method not allowed", body = ErrorBody),
        (status = 414, description = "Query string too long", body = ErrorBody),
    )
)]
pub async fn search_research_studies(
    State(state): State<Arc<AppState>>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let Some(request) = study_search(&pairs)? else {
        return Ok(fhir_response(&searchset(0, Vec::new())));
    };
    let hits = crate::search::run(&state.search, request).await?;
    let total = hits.total;
    let trials = load_trials(&state, hits.hits.into_iter().map(|h| h.id).collect()).await?;
    let entries =
        trials.iter().map(|t| json!({"resource": research_study::research_study(t), "search": {"mode": "match"}}));
    Ok(fhir_response(&searchset(total, entries.collect())))
}

/// The search a ResearchStudy query asks for; `None` when it names only
/// statuses the registry never uses (nothing can match).
fn study_search(pairs: &[(String, String)]) -> Result<Option<SearchRequest>, ApiError> {
    let mut only_unused_statuses = false;
    let mut request = SearchRequest { limit: Some(DEFAULT_COUNT), skip_facets: true, ..SearchRequest::default() };
    for (key, value) in pairs {
        let value = value.trim();
        match key.as_str() {
            "condition" if value.chars().count() > MAX_CONDITION_CHARS => {
                let message = format!("condition is longer than {MAX_CONDITION_CHARS} characters");
                return Err(ApiError::bad_request("bad_parameter", message));
            }
            "condition" => request.query = value.to_string(),
            "status" => {
                for code in value.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    let statuses = research_study::registry_statuses(code).ok_or_else(|| {
                        ApiError::bad_request("bad_status", format!("`{code}` is not an R4 research-study-status code"))
                    })?;
                    request.statuses.extend(statuses.iter().map(|s| s.to_string()));
                }
                only_unused_statuses = request.statuses.is_empty() && !value.is_empty();
            }
            "_count" => request.limit = Some(count(value)?),
            _ => {
                return Err(ApiError::bad_request(
                    "unknown_parameter",
                    format!("unknown ResearchStudy search parameter `{key}` (condition, status, _count)"),
                ))
            }
        }
    }
    Ok((!only_unused_statuses).then_some(request))
}

fn count(value: &str) -> Result<usize, ApiError> {
    match value.parse::<usize>() {
        Ok(n) if (1..=MAX_COUNT).contains(&n) => Ok(n),
        _ => Err(ApiError::bad_request("bad_count", format!("_count must be between 1 and {MAX_COUNT}"))),
    }
}

/// The trials with these store ids, in that order (ids the store no longer
/// has are skipped).
async fn load_trials(state: &Arc<AppState>, ids: Vec<String>) -> Result<Vec<Trial>, ApiError> {
    state
        .stores
        .run(move |store| {
            let mut trials = Vec::with_capacity(ids.len());
            for id in &ids {
                if let Some(trial) = store.get_trial(id).map_err(ApiError::internal)? {
                    trials.push(trial);
                }
            }
            Ok(trials)
        })
        .await
}

/// A `searchset` Bundle of these entries.
fn searchset(total: usize, entries: Vec<Value>) -> Value {
    let mut bundle = json!({"resourceType": "Bundle", "type": "searchset", "total": total});
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    bundle
}
