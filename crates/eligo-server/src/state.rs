//! What every handler shares: the store connections, the limits, the metrics.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use std::time::Duration;

use axum::http::StatusCode;
use eligo_match::TrialCache;
use eligo_search::SearchIndex;
use eligo_store::TrialStore;

use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::rate_limit::{ClientLimiter, ClientRate};
use crate::search::{SearchCache, DEFAULT_SEARCH_CACHE_BYTES};

/// Request limits, every one the server promises, in one place (`eligo serve` sets each by a
/// flag; `docs/security.md` lists them). Each is enforced before any work is done and answered
/// with its own status code (413, 414, 422, 400, 503).
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
    /// Longest patient note read (bytes of UTF-8); longer ones answer 413.
    pub max_note_bytes: usize,
    /// CPU-heavy jobs (note and FHIR reading, matching, questions, criteria parsing, search) run
    /// at once: one per core by default. A job takes a few milliseconds to a second; running more
    /// at once than there are cores only makes every one of them late.
    pub cpu_workers: usize,
    /// CPU-heavy jobs that may wait for a worker; past this the server answers 503 with
    /// `Retry-After` at once rather than queueing without end.
    pub cpu_queue: usize,
    /// The `Retry-After` (seconds) of a 503 for a full queue.
    pub retry_after: Duration,
    /// Open connections at most; more are closed as they arrive.
    pub max_connections: usize,
    /// Time a client has to send its request headers, and a kept-alive connection to start its
    /// next request; a slower one is closed.
    pub header_read_timeout: Duration,
    /// Per-client rate on the expensive endpoints (matching, questions, criteria parsing,
    /// ingest, the check and screen pages); past it a client gets 429 + `Retry-After`.
    pub client_rate: ClientRate,
    /// Alert sign-ups one client address may make (`POST /api/v1/alerts`, the sign-up page); past
    /// it the client gets 429 + `Retry-After`.
    pub sign_up_rate: ClientRate,
    /// Alert sign-ups for one e-mail address (confirmation e-mails sent to it); past it a sign-up
    /// is answered as usual but nothing is written or sent, so the answer never tells whether an
    /// address is known.
    pub sign_up_address_rate: ClientRate,
    /// How long `/ingest` waits for its batch before answering 202 with the job's status URL
    /// (the batch goes on); at most half the request time.
    pub ingest_wait: Duration,
}

impl Limits {
    /// What the listener enforces.
    pub fn connections(&self) -> crate::listen::ConnectionLimits {
        crate::listen::ConnectionLimits {
            max_connections: self.max_connections,
            header_read_timeout: self.header_read_timeout,
        }
    }
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
            max_note_bytes: 256 * 1024,
            cpu_workers: std::thread::available_parallelism().map_or(1, usize::from),
            cpu_queue: 32,
            retry_after: Duration::from_secs(1),
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(10),
            client_rate: ClientRate::default(),
            // Ten sign-ups at once, then one a minute: a person signing up for a few alerts never
            // meets it; a script filling the outbox does.
            sign_up_rate: ClientRate { per_minute: 1, burst: 10, ..ClientRate::default() },
            // Three confirmation e-mails to one inbox at once, then one a minute.
            sign_up_address_rate: ClientRate { per_minute: 1, burst: 3, ..ClientRate::default() },
            ingest_wait: Duration::from_secs(5),
        }
    }
}

/// The bounded pool for CPU-heavy work: at most `workers` jobs run (each on tokio's blocking
/// threads, never on the async workers that answer `healthz` and static pages), at most `queue`
/// more wait, and a job past that is refused at once with 503 + `Retry-After`.
pub struct CpuPool {
    running: Arc<tokio::sync::Semaphore>,
    /// Jobs admitted (running or waiting): running + queue at most.
    admitted: Arc<tokio::sync::Semaphore>,
    retry_after: Duration,
}

impl CpuPool {
    pub fn new(limits: &Limits) -> Self {
        let workers = limits.cpu_workers.max(1);
        CpuPool {
            running: Arc::new(tokio::sync::Semaphore::new(workers)),
            admitted: Arc::new(tokio::sync::Semaphore::new(workers + limits.cpu_queue)),
            retry_after: limits.retry_after,
        }
    }

    /// Runs `work` on a blocking thread once a worker is free, or refuses it (503) when the
    /// queue is full. A request abandoned while it waits (its deadline passed, its client left)
    /// gives its place back.
    pub async fn run<R, F>(&self, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce() -> Result<R, ApiError> + Send + 'static,
    {
        let admitted = Arc::clone(&self.admitted).try_acquire_owned().map_err(|_| self.overloaded())?;
        let running = Arc::clone(&self.running).acquire_owned().await.map_err(ApiError::internal)?;
        let request_id = crate::request_id::current();
        let job = tokio::task::spawn_blocking(move || {
            let _slots = (admitted, running);
            crate::request_id::scope(request_id, work)
        });
        job.await.map_err(crate::request_id::join_error)?
    }

    fn overloaded(&self) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "overloaded", "the server is busy; retry after a moment")
            .with_retry_after(self.retry_after)
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
        let request_id = crate::request_id::current();
        tokio::task::spawn_blocking(move || crate::request_id::scope(request_id, || pool.with_store(work)))
            .await
            .map_err(crate::request_id::join_error)?
    }

    /// Runs `work` with a store on this thread (a blocking one: see [`StorePool::run`]).
    ///
    /// It takes the first idle connection, starting from the next in turn, and waits for a busy
    /// one only when none is idle: a match holds its connection for as long as it screens (up
    /// to the request deadline), and a quick read such as `healthz` must not queue behind it.
    pub fn with_store<R>(&self, work: impl FnOnce(&mut dyn TrialStore) -> Result<R, ApiError>) -> Result<R, ApiError> {
        if self.stores.is_empty() {
            return Err(ApiError::internal("the store pool is empty"));
        }
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        let count = self.stores.len();
        let idle = (0..count).find_map(|offset| match self.stores[(start + offset) % count].try_lock() {
            Ok(store) => Some(store),
            // A poisoned lock only means an earlier request panicked mid-read;
            // the connection itself is still consistent (SQLite transactions).
            Err(TryLockError::Poisoned(poisoned)) => Some(poisoned.into_inner()),
            Err(TryLockError::WouldBlock) => None,
        });
        let mut store =
            idle.unwrap_or_else(|| self.stores[start % count].lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
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
    /// The bounded pool every CPU-heavy job runs on (matches, note reading, criteria parsing,
    /// search): a first-come queue finishes each in turn, the same throughput as running them
    /// all at once with a far shorter tail, and a full queue sheds load (see [`CpuPool`]).
    pub cpu: CpuPool,
    /// One token bucket per client address for the expensive endpoints.
    pub clients: ClientLimiter,
    /// Alerts (API, pages, feeds), once the server is given their store and settings
    /// ([`AppState::enable_alerts`]); without them those routes answer 503.
    pub alerts: std::sync::OnceLock<Arc<crate::alerts::AlertsService>>,
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
            metrics: Metrics::default(),
            trials: TrialCache::new(CACHED_TRIALS),
            cpu: CpuPool::new(&limits),
            clients: ClientLimiter::new(limits.client_rate),
            alerts: std::sync::OnceLock::new(),
            limits,
        })
    }

    /// Turns the alert routes on over `store` (a connection of its own to the same database).
    /// Returns the service, for the delivery worker to be woken by sign-ups and ingests.
    pub fn enable_alerts(
        &self,
        store: Box<dyn eligo_store::AlertStore>,
        settings: eligo_alerts::AlertSettings,
    ) -> Arc<crate::alerts::AlertsService> {
        let service = Arc::new(crate::alerts::AlertsService::new(store, settings, &self.limits));
        Arc::clone(self.alerts.get_or_init(|| service))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quick_read_takes_an_idle_connection_instead_of_waiting_behind_a_busy_one() {
        let stores: Vec<Box<dyn TrialStore>> =
            (0..2).map(|_| Box::new(eligo_store::SqliteStore::in_memory().unwrap()) as Box<dyn TrialStore>).collect();
        let pool = Arc::new(StorePool::new(stores));
        let (held_tx, held_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let holder = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                pool.with_store(|_| {
                    held_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
            })
        };
        held_rx.recv().unwrap();
        // Whichever connection comes next in turn, every read finds the idle one at once.
        let (done_tx, done_rx) = std::sync::mpsc::channel();
        let reader = {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                for _ in 0..4 {
                    pool.with_store(|store| store.trial_count().map_err(ApiError::internal)).unwrap();
                }
                done_tx.send(()).unwrap();
            })
        };
        let finished = done_rx.recv_timeout(Duration::from_secs(5));
        release_tx.send(()).unwrap();
        holder.join().unwrap().unwrap();
        reader.join().unwrap();
        assert!(finished.is_ok(), "a read waited for the busy connection");
    }
}
