//! The search request and response types: what the CLI, the HTTP server and the matcher send and
//! get back. Both are serde types with a stable JSON shape (documented in `docs/cli-json.md`).

use std::collections::BTreeMap;

use eligo_model::{AgencyClass, GeoPoint, InterventionType, OverallStatus, Phase, StdAge, StudyType};
use serde::{Deserialize, Serialize};

/// Most hits one request returns.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest result a request can page to (`offset + limit`).
pub const MAX_WINDOW: usize = 10_000;
/// Oldest age accepted by the age filter, in years.
pub const MAX_AGE_YEARS: f64 = 130.0;
/// Largest radius accepted: half the Earth's circumference.
pub const MAX_RADIUS_KM: f64 = 20_038.0;
/// Radius used when `near` is given without one.
pub const DEFAULT_RADIUS_KM: f64 = 100.0;
/// Most concept ids one request searches by (see [`SearchRequest::concepts`]).
pub const MAX_CONCEPTS: usize = 64;
/// Default relative boost of trials that are open to participants (see [`SearchRequest::recruiting_boost`]).
pub const DEFAULT_RECRUITING_BOOST: f32 = 0.1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    /// Best match first (open trials nudged up, see `recruiting_boost`).
    #[default]
    Relevance,
    /// Most recently updated on the registry first.
    Updated,
    /// Nearest site first; needs `near`.
    Distance,
}

/// The sex of the person searching: trials for that sex or for all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SexFilter {
    Female,
    Male,
}

/// One search. Every list filter is "any of these values"; different filters all apply.
/// Values are accepted in any registry spelling (`recruiting`, `RECRUITING`, `Phase 2`, `2`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchRequest {
    /// Free text in the query language of [`crate::query`]; empty matches every trial.
    pub query: String,
    pub statuses: Vec<String>,
    pub phases: Vec<String>,
    pub study_types: Vec<String>,
    pub intervention_types: Vec<String>,
    /// Standard age groups (`CHILD`, `ADULT`, `OLDER_ADULT`).
    pub std_ages: Vec<String>,
    /// Countries, by name or ISO code, where the trial has a site.
    pub countries: Vec<String>,
    pub sponsor_classes: Vec<String>,
    /// Age in years of the person: the trial's minimum ≤ age ≤ maximum (missing limits are open).
    pub age: Option<f64>,
    pub sex: Option<SexFilter>,
    /// Centre of the distance filter and sort.
    pub near: Option<GeoPoint>,
    /// Radius around `near` in km ([`DEFAULT_RADIUS_KM`] when `near` is set without it).
    pub radius_km: Option<f64>,
    pub sort: SortOrder,
    /// Hits per page (default 10, at most [`MAX_LIMIT`]).
    pub limit: Option<usize>,
    pub offset: usize,
    /// Relative score boost of open trials under relevance sort (default
    /// [`DEFAULT_RECRUITING_BOOST`]: an open trial outranks a closed one whose score is up to 10%
    /// higher). 0 disables it.
    pub recruiting_boost: Option<f32>,
    /// Leave `facets` empty (saves counting them over every matching trial when only hits are
    /// wanted, as when the matcher retrieves candidates).
    pub skip_facets: bool,
    /// Vocabulary condition concept ids (`MESH:D012859`): a trial is also found when it is about
    /// one of them, about a more specific concept, or about a broader one (the index keeps each
    /// trial's condition concepts with their ancestors). Alternatives to `query`: a trial matching
    /// either is found. At most [`MAX_CONCEPTS`].
    pub concepts: Vec<String>,
}

impl SearchRequest {
    /// A request for this text with every other setting at its default.
    pub fn text(query: impl Into<String>) -> Self {
        SearchRequest { query: query.into(), ..SearchRequest::default() }
    }
}

/// Why a request was refused (the query text itself: see [`crate::query::QueryError`]).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RequestError {
    #[error("unknown {filter} {value:?}; known values: {known}")]
    UnknownValue { filter: &'static str, value: String, known: String },
    #[error("age {0} is out of range (0 to {MAX_AGE_YEARS} years)")]
    BadAge(f64),
    #[error("radius {0} km is out of range (more than 0, at most {MAX_RADIUS_KM} km)")]
    BadRadius(f64),
    #[error("invalid coordinates {lat},{lon}")]
    BadPoint { lat: f64, lon: f64 },
    #[error("a radius or distance sort needs a place to measure from (near)")]
    NoCentre,
    #[error("limit {0} is out of range (1 to {MAX_LIMIT})")]
    BadLimit(usize),
    #[error("offset + limit = {0} is beyond the deepest page ({MAX_WINDOW} results)")]
    WindowTooDeep(usize),
    #[error("{0} concepts is more than one search takes ({MAX_CONCEPTS})")]
    TooManyConcepts(usize),
    #[error("recruiting boost {0} is out of range (0 to 10)")]
    BadBoost(f32),
}

/// A request after validation: filters in their indexed spelling.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValidRequest {
    /// (facet dimension, accepted values); each dimension is "any of".
    pub facet_filters: Vec<(&'static str, Vec<String>)>,
    pub age: Option<f64>,
    pub distance: Option<(GeoPoint, f64)>,
    pub near: Option<GeoPoint>,
    pub sort: SortOrder,
    pub limit: usize,
    pub offset: usize,
    pub recruiting_boost: f32,
}

fn known_list<T>(known: &[T], api: impl Fn(&T) -> &str) -> String {
    known.iter().map(api).collect::<Vec<_>>().join(", ")
}

/// Maps user spellings to API spellings with an open enum's parser; unknown values are errors
/// (a typo in a filter silently matching nothing would look like "no trials").
macro_rules! enum_values {
    ($values:expr, $ty:ty, $filter:literal, $prep:expr) => {{
        let mut out = Vec::new();
        for raw in $values {
            let parsed = <$ty>::parse(&$prep(raw.as_str()));
            if !parsed.is_known() {
                return Err(RequestError::UnknownValue {
                    filter: $filter,
                    value: raw.clone(),
                    known: known_list(<$ty>::KNOWN, |v| v.as_api_str()),
                });
            }
            out.push(parsed.as_api_str().to_string());
        }
        out
    }};
}

/// "2" → "Phase 2", "1/2" is two values already split by the caller.
fn phase_spelling(raw: &str) -> String {
    let raw = raw.trim();
    if raw.chars().all(|c| c.is_ascii_digit()) && !raw.is_empty() {
        format!("PHASE{raw}")
    } else {
        raw.to_string()
    }
}

fn same(raw: &str) -> String {
    raw.to_string()
}

impl SearchRequest {
    pub(crate) fn validate(&self, country_code: impl Fn(&str) -> Option<String>) -> Result<ValidRequest, RequestError> {
        let mut facet_filters: Vec<(&'static str, Vec<String>)> = Vec::new();
        let mut statuses: Vec<String> = Vec::new();
        for raw in &self.statuses {
            // "open" is every status under which a person can still join.
            if raw.eq_ignore_ascii_case("open") {
                statuses
                    .extend(OverallStatus::KNOWN.iter().filter(|s| s.is_open()).map(|s| s.as_api_str().to_string()));
            } else {
                statuses.extend(enum_values!(std::iter::once(raw), OverallStatus, "status", same));
            }
        }
        facet_filters.push(("status", statuses));
        facet_filters.push(("phase", enum_values!(&self.phases, Phase, "phase", phase_spelling)));
        facet_filters.push(("study_type", enum_values!(&self.study_types, StudyType, "study type", same)));
        facet_filters.push((
            "intervention_type",
            enum_values!(&self.intervention_types, InterventionType, "intervention type", same),
        ));
        facet_filters.push(("std_age", enum_values!(&self.std_ages, StdAge, "age group", same)));
        facet_filters.push(("sponsor_class", enum_values!(&self.sponsor_classes, AgencyClass, "sponsor class", same)));
        let countries = self.countries.iter().map(|c| country_code(c).unwrap_or_else(|| c.trim().to_string()));
        facet_filters.push(("country", countries.collect()));
        if let Some(sex) = self.sex {
            let own = match sex {
                SexFilter::Female => "FEMALE",
                SexFilter::Male => "MALE",
            };
            facet_filters.push(("sex", vec![own.to_string(), "ALL".to_string()]));
        }
        facet_filters.retain(|(_, values)| !values.is_empty());

        if self.concepts.len() > MAX_CONCEPTS {
            return Err(RequestError::TooManyConcepts(self.concepts.len()));
        }
        if let Some(age) = self.age {
            if !(0.0..=MAX_AGE_YEARS).contains(&age) {
                return Err(RequestError::BadAge(age));
            }
        }
        if let Some(point) = self.near {
            if !point.is_valid() {
                return Err(RequestError::BadPoint { lat: point.lat, lon: point.lon });
            }
        }
        if let Some(radius) = self.radius_km {
            if !(radius > 0.0 && radius <= MAX_RADIUS_KM) {
                return Err(RequestError::BadRadius(radius));
            }
        }
        let distance = match (self.near, self.radius_km) {
            (Some(point), radius) => Some((point, radius.unwrap_or(DEFAULT_RADIUS_KM))),
            (None, Some(_)) => return Err(RequestError::NoCentre),
            (None, None) => None,
        };
        if self.sort == SortOrder::Distance && self.near.is_none() {
            return Err(RequestError::NoCentre);
        }
        let limit = self.limit.unwrap_or(10);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(RequestError::BadLimit(limit));
        }
        let window = self.offset.saturating_add(limit);
        if window > MAX_WINDOW {
            return Err(RequestError::WindowTooDeep(window));
        }
        let recruiting_boost = self.recruiting_boost.unwrap_or(DEFAULT_RECRUITING_BOOST);
        if !(0.0..=10.0).contains(&recruiting_boost) {
            return Err(RequestError::BadBoost(recruiting_boost));
        }
        Ok(ValidRequest {
            facet_filters,
            age: self.age,
            distance,
            near: self.near,
            sort: self.sort,
            limit,
            offset: self.offset,
            recruiting_boost,
        })
    }
}

/// A highlighted passage of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snippet {
    /// `title`, `conditions` or `summary`.
    pub field: String,
    pub text: String,
    /// Byte ranges of `text` that matched the query.
    pub highlights: Vec<(usize, usize)>,
}

/// The site of a trial nearest to the `near` point.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NearestSite {
    /// Facility, city, country as registered.
    pub label: String,
    pub distance_km: f64,
}

/// One result.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Hit {
    /// The store's trial id (the NCT ID when there is one).
    pub id: String,
    pub nct_id: Option<String>,
    pub title: String,
    pub status: Option<String>,
    pub phases: Vec<String>,
    pub conditions: Vec<String>,
    pub sponsor: Option<String>,
    pub min_age_years: Option<f64>,
    pub max_age_years: Option<f64>,
    pub sex: Option<String>,
    pub last_update: Option<String>,
    /// Relevance score (BM25 over weighted fields, times the recruiting boost).
    pub score: f32,
    pub snippets: Vec<Snippet>,
    /// Present when the request had `near`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nearest_site: Option<NearestSite>,
}

/// A page of results with the total and facet counts over all matching trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub total: usize,
    pub offset: usize,
    pub hits: Vec<Hit>,
    /// Dimension (`status`, `phase`, ...) → value → matching trials.
    pub facets: BTreeMap<String, BTreeMap<String, u64>>,
    /// How the query was understood: each recognised concept and the synonyms searched with it.
    pub expansions: Vec<Expansion>,
}

/// A query phrase that matched a vocabulary concept and the terms it was expanded to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Expansion {
    pub text: String,
    pub concept: String,
    pub synonyms: Vec<String>,
}
