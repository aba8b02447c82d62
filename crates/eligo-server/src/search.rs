//! Search parameters as they arrive in a URL, shared by `GET /api/v1/search`
//! and the Find page, turned into an [`eligo_search::SearchRequest`]; and the
//! [`SearchCache`] the API answers from.
//!
//! The names follow `eligo search`: `q`, `status`, `phase`, `study_type`,
//! `intervention_type`, `std_age`, `country`, `sponsor_class` (each
//! repeatable or comma-separated), `age`, `sex`, `near` (a place name or
//! `lat,lon`), `radius_km`, `sort`, `limit`, `offset`, and `facets=true` for
//! facet counts (counting them visits every matching trial, so only callers
//! that show them ask). Unknown parameters are refused rather than ignored,
//! so a typo never silently widens a search.
//!
//! Searches people make are highly repetitive (the same conditions, the first
//! page, the same filters), so the API keeps recent answers: the JSON body of
//! each request, keyed by the normalised request and the index
//! [generation](SearchIndex::generation), so that nothing cached outlives a
//! change of the index (an ingest through the API, or one by another process
//! that the reader picks up). Concurrent identical misses wait for one search
//! instead of each running it, and at most one search per core runs at a time,
//! so that a burst of misses queues instead of starving the cheap answers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::StatusCode;
use eligo_search::{Gazetteer, SearchError, SearchIndex, SearchRequest, SearchResults, SexFilter, SortOrder};
use quick_cache::sync::Cache;
use tokio::sync::Semaphore;

use crate::error::ApiError;
use crate::state::Limits;

/// Hits per page when the request does not say.
pub const DEFAULT_PAGE_SIZE: usize = 10;

/// Builds a search request from `key=value` pairs (repeated keys allowed).
pub fn request_from_pairs(pairs: &[(String, String)], limits: &Limits) -> Result<SearchRequest, ApiError> {
    let mut request = SearchRequest { limit: Some(DEFAULT_PAGE_SIZE), skip_facets: true, ..SearchRequest::default() };
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
            "facets" => request.skip_facets = !flag(key, value)?,
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

fn flag(key: &str, value: &str) -> Result<bool, ApiError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(ApiError::bad_request("bad_parameter", format!("`{key}` is `true` or `false`"))),
    }
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
    let outcome =
        tokio::task::spawn_blocking(move || index.search(&request)).await.map_err(crate::request_id::join_error)?;
    outcome.map_err(api_error)
}

pub(crate) fn api_error(error: SearchError) -> ApiError {
    match error {
        SearchError::Query(e) => ApiError::bad_request("bad_query", e.to_string()),
        SearchError::Request(e) => ApiError::bad_request("bad_parameter", e.to_string()),
        SearchError::Busy(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "index_busy", "the search index is being updated; try again")
        }
        other => ApiError::internal(other),
    }
}

/// Default size of the search cache: about 6,000 typical pages of 10 hits.
pub const DEFAULT_SEARCH_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Cache key: the index generation and the normalised request as JSON.
type CacheKey = (u64, String);

/// Weighs a cached answer by the bytes it holds.
#[derive(Clone)]
struct ByteWeighter;

impl quick_cache::Weighter<CacheKey, Bytes> for ByteWeighter {
    fn weight(&self, key: &CacheKey, body: &Bytes) -> u64 {
        // The constant stands for the entry's own bookkeeping.
        (key.1.len() + body.len() + 64) as u64
    }
}

/// The API's search answers: cached JSON bodies, and the slots engine searches run in.
pub struct SearchCache {
    /// `None` when caching is disabled (size 0).
    answers: Option<Cache<CacheKey, Bytes, ByteWeighter>>,
    /// One slot per core: engine searches beyond that wait here, off the runtime's threads.
    engine_slots: Semaphore,
    /// Newest index generation seen; older entries are dropped when it moves.
    generation: AtomicU64,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl SearchCache {
    /// A cache holding up to `capacity_bytes` of answers (0 disables caching).
    pub fn new(capacity_bytes: usize) -> Self {
        let answers = (capacity_bytes > 0).then(|| {
            // quick_cache sizes its tables from an item estimate: pages of ~10 KB.
            let estimated_items = (capacity_bytes / 10_000).max(16);
            Cache::with_weighter(estimated_items, capacity_bytes as u64, ByteWeighter)
        });
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        SearchCache {
            answers,
            engine_slots: Semaphore::new(cores),
            generation: AtomicU64::new(0),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// The JSON body answering `request`, from the cache or from one engine search.
    pub async fn answer(&self, index: &Arc<SearchIndex>, request: SearchRequest) -> Result<Bytes, ApiError> {
        let Some(answers) = &self.answers else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return self.search_json(index, request).await;
        };
        // Read before searching: an answer is never filed under a newer generation than its own.
        let generation = index.generation();
        if self.generation.fetch_max(generation, Ordering::AcqRel) < generation {
            answers.clear();
        }
        let Some(normalised) = normalised(&request) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return self.search_json(index, request).await;
        };
        let key = (generation, normalised);
        match answers.get_value_or_guard_async(&key).await {
            Ok(body) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                Ok(body)
            }
            Err(guard) => {
                self.misses.fetch_add(1, Ordering::Relaxed);
                // On an error the guard drops unfilled and the next waiter searches itself.
                let body = self.search_json(index, request).await?;
                let _ = guard.insert(body.clone());
                Ok(body)
            }
        }
    }

    /// One engine search in a free slot, serialized to JSON on the blocking pool.
    async fn search_json(&self, index: &Arc<SearchIndex>, request: SearchRequest) -> Result<Bytes, ApiError> {
        let _slot = self.engine_slots.acquire().await.map_err(ApiError::internal)?;
        let index = Arc::clone(index);
        let outcome = tokio::task::spawn_blocking(move || index.search(&request).map(|r| serde_json::to_vec(&r)))
            .await
            .map_err(crate::request_id::join_error)?;
        Ok(Bytes::from(outcome.map_err(api_error)?.map_err(ApiError::internal)?))
    }

    /// Hits, misses and size, in the Prometheus text format.
    pub fn render_metrics(&self) -> String {
        let (entries, bytes) = self.answers.as_ref().map_or((0, 0), |a| (a.len(), a.weight()));
        format!(
            "# HELP eligo_search_cache_requests_total API searches answered from the cache (hit) or by the engine (miss).\n\
             # TYPE eligo_search_cache_requests_total counter\n\
             eligo_search_cache_requests_total{{result=\"hit\"}} {}\n\
             eligo_search_cache_requests_total{{result=\"miss\"}} {}\n\
             # HELP eligo_search_cache_entries Answers held by the search cache.\n\
             # TYPE eligo_search_cache_entries gauge\n\
             eligo_search_cache_entries {entries}\n\
             # HELP eligo_search_cache_bytes Bytes held by the search cache.\n\
             # TYPE eligo_search_cache_bytes gauge\n\
             eligo_search_cache_bytes {bytes}\n",
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }
}

/// The request as a cache key: list filters in a fixed order and the text trimmed, so that
/// `status=a,b` and `status=b&status=a` share an entry.
fn normalised(request: &SearchRequest) -> Option<String> {
    let mut request = request.clone();
    request.query = request.query.trim().to_string();
    for list in [
        &mut request.statuses,
        &mut request.phases,
        &mut request.study_types,
        &mut request.intervention_types,
        &mut request.std_ages,
        &mut request.countries,
        &mut request.sponsor_classes,
    ] {
        list.sort_unstable();
        list.dedup();
    }
    serde_json::to_string(&request).ok()
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
    fn equivalent_requests_share_a_cache_key_and_different_ones_do_not() {
        let limits = Limits::default();
        let key = |items: &[(&str, &str)]| normalised(&request_from_pairs(&pairs(items), &limits).unwrap());
        let asked = key(&[("q", "lupus"), ("status", "recruiting,completed")]);
        assert_eq!(asked, key(&[("status", "completed"), ("status", "recruiting"), ("q", " lupus ")]));
        assert_ne!(asked, key(&[("q", "lupus"), ("status", "completed")]));
        assert_ne!(asked, key(&[("q", "lupus"), ("status", "recruiting,completed"), ("facets", "true")]));
        assert_ne!(asked, key(&[("q", "lupus"), ("status", "recruiting,completed"), ("offset", "10")]));
    }

    #[test]
    fn a_cache_of_size_zero_runs_every_search_and_a_cache_answers_repeats() {
        let dir = tempfile::tempdir().unwrap();
        let index = Arc::new(SearchIndex::open(dir.path()).unwrap());
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let request = SearchRequest::text("lupus");
        for (capacity, expected) in [(0, (0, 2)), (1024 * 1024, (1, 1))] {
            let cache = SearchCache::new(capacity);
            let first = runtime.block_on(cache.answer(&index, request.clone())).unwrap();
            let second = runtime.block_on(cache.answer(&index, request.clone())).unwrap();
            assert_eq!(first, second);
            let counts = (cache.hits.load(Ordering::Relaxed), cache.misses.load(Ordering::Relaxed));
            assert_eq!(counts, expected, "capacity {capacity}");
        }
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
