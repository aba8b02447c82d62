//! What every handler shares: the store connections, the limits, the metrics.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use eligo_match::TrialCache;
use eligo_search::SearchIndex;
use eligo_store::TrialStore;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::search::{SearchCache, DEFAULT_SEARCH_CACHE_BYTES};

/// Request limits. Every one is enforced before any work is done and
/// answered with its own status code (413, 414, 400, 503).
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest JSON body for reads (`/match`, `/questions`, `/criteria/parse`).
    pub max_body_bytes: usize,
    /// Largest body for `/ingest`.
    pub max_ingest_bytes: usize,
    /// Longest query string.
    pub max_query_bytes: usize,
    /// Most results in one page.
    pub max_page_size: usize,
    /// How deep paging may go (`offset + limit`).
    pub max_result_window: usize,
    /// Longest a request may take before it is abandoned.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 2 * 1024 * 1024,
            max_ingest_bytes: 64 * 1024 * 1024,
            max_query_bytes: 2048,
            max_page_size: 100,
            max_result_window: 1000,
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// A few store connections, each behind its own lock. SQLite connections
/// are not shareable between threads, but several connections to one WAL
/// database read in parallel; a request takes one on a blocking thread.
pub struct StorePool {
    stores: Vec<Mutex<Box<dyn TrialStore>>>,
    next: AtomicUsize,
}

impl StorePool {
    /// At least one store is needed; they must all open the same database.
    pub fn new(stores: Vec<Box<dyn TrialStore>>) -> Self {
        StorePool { stores: stores.into_iter().map(Mutex::new).collect(), next: AtomicUsize::new(0) }
    }

    /// Runs `work` with a store on tokio's blocking pool.
    pub async fn run<R, F>(self: &Arc<Self>, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn TrialStore) -> Result<R, ApiError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        tokio::task::spawn_blocking(move || pool.run_blocking(work)).await.map_err(ApiError::internal)?
    }

    fn run_blocking<R>(&self, work: impl FnOnce(&mut dyn TrialStore) -> Result<R, ApiError>) -> Result<R, ApiError> {
        if self.stores.is_empty() {
            return Err(ApiError::internal("the store pool is empty"));
        }
        let index = self.next.fetch_add(1, Ordering::Relaxed) % self.stores.len();
        // A poisoned lock only means an earlier request panicked mid-read;
        // the connection itself is still consistent (SQLite transactions).
        let mut store = self.stores[index].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        work(store.as_mut())
    }
}

/// The state behind every route.
pub struct AppState {
    pub stores: Arc<StorePool>,
    /// The search index over the same store, caught up at start and after
    /// every ingest through the API.
    pub search: Arc<SearchIndex>,
    /// Recent `/api/v1/search` answers (see [`crate::search`]).
    pub search_cache: SearchCache,
    pub limits: Limits,
    pub metrics: Metrics,
    /// Prepared candidate trials kept between match requests, checked
    /// against the store's content hash on every use (so an ingest, through
    /// the API or not, is seen by the next request).
    pub trials: TrialCache,
    /// One slot per core for matches (candidate retrieval, screening, ranking). A match is a
    /// few milliseconds of CPU; run twenty at once on two cores and they all finish late, while
    /// a first-come queue finishes each in turn: the same throughput with a far shorter tail.
    pub match_slots: tokio::sync::Semaphore,
}

/// Prepared trials the match cache keeps. A prepared trial holds its record
/// (typically 5–50 KB), so this bounds the cache to a few hundred MB at most.
const CACHED_TRIALS: usize = 10_000;

impl AppState {
    /// State with a search cache of the default size.
    pub fn new(stores: StorePool, search: SearchIndex, limits: Limits) -> Arc<Self> {
        Self::with_search_cache(stores, search, limits, DEFAULT_SEARCH_CACHE_BYTES)
    }

    /// State with a search cache of `cache_bytes` (0: no cache, every search runs the engine).
    pub fn with_search_cache(stores: StorePool, search: SearchIndex, limits: Limits, cache_bytes: usize) -> Arc<Self> {
        Arc::new(AppState {
            stores: Arc::new(stores),
            search: Arc::new(search),
            search_cache: SearchCache::new(cache_bytes),
            limits,
            metrics: Metrics::default(),
            trials: TrialCache::new(CACHED_TRIALS),
            match_slots: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, usize::from)),
        })
    }
}
