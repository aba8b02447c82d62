//! The OpenAPI 3 document, generated from the handler annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::api;
use crate::error::{ErrorBody, ErrorDetail};

#[derive(OpenApi)]
#[openapi(
    info(title = "Eligo API", description = "Find clinical trials, read them, check eligibility."),
    paths(api::get_trial, api::search, api::match_patient, api::questions, api::parse_criteria, api::ingest, api::healthz, api::metrics, crate::fhir::read_research_study, crate::fhir::search_research_studies, crate::fhir::matching_service::get_clinical_trial),
    components(schemas(ErrorBody, ErrorDetail, api::ParseRequest, api::ParseResponse, api::IngestResponse, api::Health, api::MatchRequest, api::MatchResponse, api::QuestionsRequest, api::QuestionsResponse, crate::matching::PatientInput, crate::matching::MatchedTrial, crate::matching::QuestionItem, crate::fhir::matching_service::ClinicalTrialQuery)),
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

/// The document as served at `/api/v1/openapi.json`.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
