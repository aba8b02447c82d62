//! `POST /getClinicalTrial`: the matching-service contract of the
//! clinical-trial-matching apps (MITRE's `clinical-trial-matching-app` calls
//! services of this shape), so such an app can use Eligo unchanged.
//!
//! Request: `{"patientData": Bundle, "count"?: n, "offset"?: n}`. The patient
//! Bundle carries the chart (read by `eligo_patient::fhir`) and one
//! `Parameters` resource with the app's search settings: `zipCode`,
//! `travelRadius` (miles), `phase` and `recruitmentStatus` (R4 codes).
//!
//! Answer: a `searchset` Bundle of `ResearchStudy`, best first, each entry
//! with `search.mode = "match"` and `search.score` (Eligo's ranking score on
//! 0–1) and the resource carrying Eligo's verdict, exclusions and open
//! questions in the `match` extension. What could not be used (items of the
//! chart, a ZIP code the gazetteer cannot place) comes back as an
//! `OperationOutcome` entry with `search.mode = "outcome"`.

use std::sync::Arc;

use axum::extract::State;
use axum::response::Response;
use eligo_match::{MatchSettings, MatchedTrial, Verdict};
use eligo_model::{Evidence, FactSource, Noted, Trial};
use eligo_search::Gazetteer;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::research_study::{fhir_status, phase_code, research_study, EXTENSION_BASE};
use super::{fhir_response, load_trials, searchset};
use crate::api::{whole_number, JsonBody};
use crate::error::{ApiError, ErrorBody};
use crate::matching::{match_with_settings, PatientInput, ReadPatient};
use crate::state::AppState;

/// Studies screened before the app's phase and status filters and paging
/// apply (the matcher's largest page).
const POOL: usize = 100;
const DEFAULT_COUNT: usize = 10;
const KM_PER_MILE: f64 = 1.609_344;

/// A matching-service request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClinicalTrialQuery {
    /// A FHIR R4 Bundle: the patient's chart plus one `Parameters` resource
    /// (`zipCode`, `travelRadius` in miles, `phase`, `recruitmentStatus`).
    #[schema(value_type = Object, example = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Parameters", "parameter": [
            {"name": "zipCode", "valueString": "02108"}, {"name": "travelRadius", "valueString": "25"},
            {"name": "phase", "valueString": "phase-2"}, {"name": "recruitmentStatus", "valueString": "active"}]}},
        {"resource": {"resourceType": "Patient", "gender": "female", "birthDate": "1980-04-02"}},
        {"resource": {"resourceType": "Condition", "code": {"text": "systemic lupus erythematosus"}}}]}))]
    pub patient_data: Value,
    /// Studies in the answer, 1 to 100 (default 10).
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 1, maximum = 100)]
    pub count: Option<usize>,
    /// Studies to skip (the app's paging), at most 99.
    #[serde(default, deserialize_with = "whole_number")]
    #[schema(minimum = 0, maximum = 99)]
    pub offset: Option<usize>,
}

/// The app's search settings, from the Bundle's `Parameters` resource.
#[derive(Debug, Default, PartialEq)]
pub struct SearchParameters {
    pub zip_code: Option<String>,
    pub travel_radius_miles: Option<f64>,
    pub phase: Option<String>,
    pub recruitment_status: Option<String>,
}

/// Matches a patient Bundle as a clinical-trial-matching service.
#[utoipa::path(
    post, path = "/getClinicalTrial", tag = "fhir",
    request_body = ClinicalTrialQuery,
    responses(
        (status = 200, description = "A searchset Bundle of ResearchStudy with search.score (0–1) and Eligo's verdict", content_type = "application/fhir+json", body = Object),
        (status = 400, description = "Malformed JSON, patient Bundle or parameter", body = ErrorBody),
        (status = 405, description = "Method not allowed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Wrong shape (no `patientData`)", body = ErrorBody),
    )
)]
pub async fn get_clinical_trial(
    State(state): State<Arc<AppState>>,
    JsonBody(query): JsonBody<ClinicalTrialQuery>,
) -> Result<Response, ApiError> {
    let (count, offset) = paging(&query)?;
    let parameters = search_parameters(&query.patient_data)?;
    let input = PatientInput { fhir: Some(query.patient_data), ..PatientInput::default() };
    let mut read = crate::api::read_patient(&state, input).await?;
    let mut notes = Vec::new();
    let within_km = place_patient(&mut read, &parameters, &mut notes);
    let settings = MatchSettings {
        limit: POOL,
        recruiting: parameters.recruitment_status.as_deref() == Some("active"),
        within_km,
        ..MatchSettings::new(read.as_of)
    };
    let answer = match_with_settings(&state, read, Vec::new(), settings).await?;
    notes.push(answer.message.clone());
    notes.extend(answer.rejected.iter().map(|r| format!("not used: {}: {}", r.location, r.reason)));
    let trials = load_trials(&state, answer.results.iter().map(|m| m.trial_id.clone()).collect()).await?;
    let kept: Vec<(&MatchedTrial, &Trial)> =
        answer.results.iter().zip(&trials).filter(|(_, trial)| wanted(trial, &parameters)).collect();
    let total = kept.len();
    let mut entries: Vec<Value> = kept.into_iter().skip(offset).take(count).map(|(m, t)| entry(m, t)).collect();
    entries.push(outcome(&notes));
    Ok(fhir_response(&searchset(total, entries)))
}

fn paging(query: &ClinicalTrialQuery) -> Result<(usize, usize), ApiError> {
    let count = query.count.unwrap_or(DEFAULT_COUNT);
    if !(1..=POOL).contains(&count) {
        return Err(ApiError::bad_request("bad_count", format!("count must be between 1 and {POOL}")));
    }
    let offset = query.offset.unwrap_or(0);
    if offset >= POOL {
        return Err(ApiError::bad_request("bad_offset", format!("offset must be below {POOL}")));
    }
    Ok((count, offset))
}

/// Reads the first `Parameters` resource of the Bundle. Values may be given
/// as `valueString`, `valueCode`, `valueInteger` or `valueDecimal`; an
/// unreadable `travelRadius` is an error (the app would silently get
/// unfiltered results otherwise), unknown names are ignored.
pub fn search_parameters(bundle: &Value) -> Result<SearchParameters, ApiError> {
    let mut out = SearchParameters::default();
    let Some(parameters) = bundle
        .get("entry")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("resource"))
        .find(|r| r.get("resourceType").and_then(Value::as_str) == Some("Parameters"))
    else {
        return Ok(out);
    };
    for parameter in parameters.get("parameter").and_then(Value::as_array).into_iter().flatten() {
        let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
        let value = ["valueString", "valueCode", "valueInteger", "valueDecimal"]
            .iter()
            .find_map(|key| parameter.get(*key))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let Some(value) = value else { continue };
        match name {
            "zipCode" => out.zip_code = Some(value),
            "travelRadius" => out.travel_radius_miles = Some(radius(&value)?),
            "phase" => out.phase = Some(value),
            "recruitmentStatus" => out.recruitment_status = Some(value),
            _ => {}
        }
    }
    Ok(out)
}

fn radius(value: &str) -> Result<f64, ApiError> {
    value.parse::<f64>().ok().filter(|r| r.is_finite() && *r > 0.0).ok_or_else(|| {
        ApiError::bad_request("bad_parameter", "Parameters.travelRadius must be a positive number of miles")
    })
}

/// Places the patient at the ZIP code when the gazetteer knows it, else leaves them where their
/// record's geocoded address put them (Synthea and many exports geocode `Patient.address`), and
/// returns the travel radius in km to filter by then. With no place at all the search is left
/// unfiltered by distance, and the answer says so.
fn place_patient(read: &mut ReadPatient, parameters: &SearchParameters, notes: &mut Vec<String>) -> Option<f64> {
    let radius_km = parameters.travel_radius_miles.map(|miles| miles * KM_PER_MILE);
    let from_record = read.parsed.patient.location.is_some();
    if let Some(zip) = parameters.zip_code.as_deref() {
        match Gazetteer::embedded().resolve(zip) {
            Ok(point) => {
                let evidence = Evidence {
                    source: FactSource::Fhir,
                    path: Some("Parameters.zipCode".into()),
                    span: None,
                    text: zip.to_owned(),
                };
                read.parsed.patient.location = Some(Noted { value: point, evidence });
                return radius_km;
            }
            Err(_) => notes.push(format!(
                "zipCode {zip} could not be placed (the gazetteer knows cities, not postal codes); {}",
                match from_record {
                    true => "distances are from the geocoded address in the patient's record",
                    false => "no distance filter applied",
                }
            )),
        }
    }
    if from_record {
        radius_km
    } else {
        None
    }
}

/// Whether a matched trial passes the app's phase and status filters.
fn wanted(trial: &Trial, parameters: &SearchParameters) -> bool {
    let phase_ok = parameters.phase.as_deref().is_none_or(|p| p == phase_code(&trial.phases));
    let status_ok =
        parameters.recruitment_status.as_deref().is_none_or(|s| s == fhir_status(trial.overall_status.as_ref()));
    phase_ok && status_ok
}

/// One answer entry: the study, its score on 0–1, and Eligo's verdict.
fn entry(matched: &MatchedTrial, trial: &Trial) -> Value {
    let mut study = research_study(trial);
    let mut detail = vec![json!({"url": "verdict", "valueCode": verdict_code(matched.verdict)})];
    detail.extend(matched.exclusions.iter().map(|e| json!({"url": "exclusion", "valueString": e})));
    detail.extend(matched.open_questions.iter().map(|q| json!({"url": "openQuestion", "valueString": q})));
    if let Some(extensions) = study.get_mut("extension").and_then(Value::as_array_mut) {
        extensions.push(json!({"url": format!("{EXTENSION_BASE}match"), "extension": detail}));
    }
    let score = (matched.score / eligo_match::rank::MAX_SCORE).clamp(0.0, 1.0);
    json!({"resource": study, "search": {"mode": "match", "score": (score * 1000.0).round() / 1000.0}})
}

fn verdict_code(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Eligible => "eligible",
        Verdict::Possible => "possible",
        Verdict::Ineligible => "ineligible",
    }
}

/// The `OperationOutcome` entry: how the candidates were found, and what
/// could not be used.
fn outcome(notes: &[String]) -> Value {
    let issues: Vec<Value> = notes
        .iter()
        .filter(|n| !n.trim().is_empty())
        .map(|n| json!({"severity": "information", "code": "informational", "diagnostics": n}))
        .collect();
    let issues =
        if issues.is_empty() { vec![json!({"severity": "information", "code": "informational"})] } else { issues };
    json!({"resource": {"resourceType": "OperationOutcome", "issue": issues}, "search": {"mode": "outcome"}})
}
