//! Search parameters as they arrive in a URL, shared by `GET /api/v1/search`
//! and the Find page, turned into an [`eligo_search::SearchRequest`].
//!
//! The names follow `eligo search`: `q`, `status`, `phase`, `study_type`,
//! `intervention_type`, `std_age`, `country`, `sponsor_class` (each
//! repeatable or comma-separated), `age`, `sex`, `near` (a place name or
//! `lat,lon`), `radius_km`, `sort`, `limit`, `offset`. Unknown parameters are
//! refused rather than ignored, so a typo never silently widens a search.

use std::sync::Arc;

use axum::http::StatusCode;
use eligo_search::{Gazetteer, SearchError, SearchIndex, SearchRequest, SearchResults, SexFilter, SortOrder};

use crate::error::ApiError;
use crate::state::Limits;

/// Hits per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// Builds a search request from `key=value` pairs (repeated keys allowed).
pub fn request_from_pairs(pairs: &[(String, String)], limits: &Limits) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest { limit: Some(DEFAULT_PAGE_SIZE), ..SearchRequest::default() };
    for (key, value) in pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let list = || value.split(',').map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        match key.as_str() {
            "q" => request.query = value.to_string(),
            "status" => request.statuses.extend(list()),
            "phase" => request.phases.extend(list()),
            "study_type" => request.study_types.extend(list()),
            "intervention_type" => request.intervention_types.extend(list()),
            "std_age" => request.std_ages.extend(list()),
            "country" => request.countries.extend(list()),
            "sponsor_class" => request.sponsor_classes.extend(list()),
            "age" => request.age = Some(number(key, value)?),
            "sex" => request.sex = Some(sex(value)?),
            "near" => request.near = Some(place(value)?),
            "radius_km" => request.radius_km = Some(number(key, value)?),
            "sort" => request.sort = sort(value)?,
            "limit" => request.limit = Some(number(key, value)?),
            "offset" => request.offset = number(key, value)?,
            _ => return Err(ApiError::bad_request("unknown_parameter", format!("unknown search parameter `{key}`"))),
        }
    }
    check_window(&request, limits)?;
    Ok(request)
}

/// The server's own paging limits, tighter than the engine's.
fn check_window(request: &SearchRequest, limits: &Limits) -> Result<(), ApiError> {
    let limit = request.limit.unwrap_or(DEFAULT_PAGE_SIZE);
    if limit == 0 || limit > limits.max_page_size {
        return Err(ApiError::bad_request(
            "bad_limit",
            format!("limit must be between 1 and {}", limits.max_page_size),
        ));
    }
    if request.offset.saturating_add(limit) > limits.max_result_window {
        return Err(ApiError::bad_request(
            "window_too_deep",
            format!("offset + limit may not exceed {}; narrow the search instead", limits.max_result_window),
        ));
    }
    Ok(())
}

fn number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, ApiError> {
    value.parse().map_err(|_| ApiError::bad_request("bad_parameter", format!("`{key}` must be a number")))
}

fn sex(value: &str) -> Result<SexFilter, ApiError> {
    match value.to_ascii_lowercase().as_str() {
        "female" | "f" | "woman" => Ok(SexFilter::Female),
        "male" | "m" | "man" => Ok(SexFilter::Male),
        _ => Err(ApiError::bad_request("bad_parameter", "`sex` is `female` or `male`")),
    }
}

fn sort(value: &str) -> Result<SortOrder, ApiError> {
    match value.to_ascii_lowercase().as_str() {
        "relevance" => Ok(SortOrder::Relevance),
        "updated" => Ok(SortOrder::Updated),
        "distance" => Ok(SortOrder::Distance),
        _ => Err(ApiError::bad_request("bad_parameter", "`sort` is `relevance`, `updated` or `distance`")),
    }
}

fn place(value: &str) -> Result<eligo_model::GeoPoint, ApiError> {
    Gazetteer::embedded().resolve(value).map_err(|e| ApiError::bad_request("unknown_place", e.to_string()))
}

/// Runs a search on the blocking pool, mapping engine errors to statuses.
pub async fn run(index: &Arc<SearchIndex>, request: SearchRequest) -> Result<SearchResults, ApiError> {
    let index = Arc::clone(index);
    let outcome = tokio::task::spawn_blocking(move || index.search(&request)).await.map_err(ApiError::internal)?;
    outcome.map_err(|error| match error {
        SearchError::Query(e) => ApiError::bad_request("bad_query", e.to_string()),
        SearchError::Request(e) => ApiError::bad_request("bad_parameter", e.to_string()),
        SearchError::Busy(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "index_busy", "the search index is being updated; try again")
        }
        other => ApiError::internal(other),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn repeated_and_comma_separated_values_add_up() {
        let request = request_from_pairs(
            &pairs(&[("q", "lupus"), ("status", "recruiting,completed"), ("status", "open"), ("age", "42")]),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(request.query, "lupus");
        assert_eq!(request.statuses, ["recruiting", "completed", "open"]);
        assert_eq!(request.age, Some(42.0));
    }

    #[test]
    fn unknown_parameters_and_deep_pages_are_refused() {
        let limits = Limits::default();
        assert_eq!(request_from_pairs(&pairs(&[("qq", "x")]), &limits).unwrap_err().code, "unknown_parameter");
        assert_eq!(request_from_pairs(&pairs(&[("limit", "500")]), &limits).unwrap_err().code, "bad_limit");
        assert_eq!(request_from_pairs(&pairs(&[("offset", "995")]), &limits).unwrap_err().code, "window_too_deep");
        assert_eq!(request_from_pairs(&pairs(&[("age", "old")]), &limits).unwrap_err().code, "bad_parameter");
        assert_eq!(request_from_pairs(&pairs(&[("near", "Nowhereville")]), &limits).unwrap_err().code, "unknown_place");
    }
}
