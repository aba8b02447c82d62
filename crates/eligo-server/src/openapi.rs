//! The OpenAPI 3 document, generated from the handler annotations.

use serde_json::{json, Value};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::{ErrorBody, ErrorDetail};

#[derive(OpenApi)]
#[openapi(
    info(title = "Eligo API", description = "Find clinical trials, read them, check eligibility."),
    paths(api::get_trial, api::search, api::match_patient, api::questions, api::parse_criteria, api::ingest, api::ingest_job, api::healthz, api::metrics, crate::alerts::api::create, crate::alerts::api::show, crate::alerts::api::change, crate::alerts::api::delete, crate::fhir::read_research_study, crate::fhir::search_research_studies, crate::fhir::matching_service::get_clinical_trial),
    components(schemas(ErrorBody, ErrorDetail, api::ParseRequest, api::ParseResponse, api::IngestResponse, api::JobStatus, api::Health, api::MatchRequest, api::MatchResponse, api::QuestionsRequest, api::QuestionsResponse, crate::matching::PatientInput, crate::matching::MatchedTrial, crate::matching::QuestionItem, crate::fhir::matching_service::ClinicalTrialQuery, crate::alerts::api::AlertRequest, crate::alerts::api::AlertChange, crate::alerts::api::AlertSearch, crate::alerts::api::Every, crate::alerts::api::Sex, crate::alerts::api::PreScreenRequest, crate::alerts::api::SignUpResponse, crate::alerts::AlertView)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

/// Declares the `bearer` scheme the write endpoints name.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document as served at `/api/v1/openapi.json`: the annotations, plus
/// the rules between fields that annotations cannot state ([`state_field_rules`]).
pub fn document() -> Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_else(|_| json!({}));
    state_field_rules(&mut doc);
    doc
}

/// The request rules that span fields, as JSON Schema: a patient is exactly one of `profile`,
/// `fhir` or `note` (`/questions` also takes none of them with a `trial_id`); a FHIR patient is a
/// `Bundle`; chosen trial ids have the identifier pattern. The handlers enforce the same rules.
fn state_field_rules(doc: &mut Value) {
    let one_patient = || json!([{"required": ["profile"]}, {"required": ["fhir"]}, {"required": ["note"]}]);
    let bundle = json!({"type": "object", "required": ["resourceType"], "properties": {"resourceType": {"type": "string", "enum": ["Bundle"]}}});
    let schemas = &mut doc["components"]["schemas"];
    set_property(&mut schemas["PatientInput"], "fhir", |p| *p = bundle.clone());
    set_property(&mut schemas["PatientInput"], "profile", |p| *p = json!({"type": "object"}));
    set_property(&mut schemas["PatientInput"], "note", |p| *p = json!({"type": "string"}));
    let answer = json!({"type": ["string", "boolean", "number"]});
    set_property(&mut schemas["PatientInput"], "answers", |p| p["additionalProperties"] = answer.clone());
    // The years of `matching::AS_OF_RANGE` (1900-01-01 to 2200-12-31); later or earlier dates are
    // answered 422 `bad_as_of`.
    let as_of_years = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-[0-9]{2}-[0-9]{2}$";
    set_property(&mut schemas["PatientInput"], "as_of", |p| p["pattern"] = json!(as_of_years));
    schemas["MatchRequest"]["oneOf"] = one_patient();
    let mut questions = one_patient();
    if let Some(alternatives) = questions.as_array_mut() {
        alternatives.push(json!({"required": ["trial_id"], "not": {"anyOf": one_patient()}}));
    }
    schemas["QuestionsRequest"]["oneOf"] = questions;
    let trial_id = json!({"type": "string", "pattern": TRIAL_ID_PATTERN, "minLength": 1, "maxLength": 64});
    set_property(&mut schemas["QuestionsRequest"], "trial_id", |p| *p = trial_id.clone());
    set_property(&mut schemas["MatchRequest"], "trial_ids", |p| p["items"] = trial_id.clone());
    set_property(&mut schemas["ClinicalTrialQuery"], "patientData", |p| *p = bundle.clone());
}

/// Applies `change` to the property `name` of an object schema, declared directly or in one of
/// its `allOf` parts (a `#[serde(flatten)]` struct is documented as `allOf`).
fn set_property(schema: &mut Value, name: &str, change: impl Fn(&mut Value)) {
    if let Some(property) = schema.get_mut("properties").and_then(|p| p.get_mut(name)) {
        change(property);
    }
    for part in schema.get_mut("allOf").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(property) = part.get_mut("properties").and_then(|p| p.get_mut(name)) {
            change(property);
        }
    }
}

/// What `api::validate_trial_id` accepts.
const TRIAL_ID_PATTERN: &str = r"^\.?([A-Za-z0-9 _()#-]+\.)*[A-Za-z0-9 _()#-]*$";
