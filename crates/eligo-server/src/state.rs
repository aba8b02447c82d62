//! What every handler shares: the store connections, the limits, the metrics.

use std::sync::Arc;
use std::time::Duration;

use axum::http::StatusCode;
use eligo_match::TrialCache;
use eligo_search::SearchIndex;
use eligo_store::{SharedStore, Store};

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
    /// address is known. Counted in the store, so it holds across replicas (`max_clients` does
    /// not apply); the per-client rates above are each replica's own.
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

/// What a client is told to wait before retrying a request that needs an unreachable database.
const DATABASE_RETRY_AFTER: Duration = Duration::from_secs(5);

/// Whether the store's database answers, as the index follower last found it (it asks every
/// second, and at once when the database drops its connection). While it does not, requests that
/// need the store are refused at once with 503 instead of each waiting for a connection, and
/// searches go on from the index.
#[derive(Debug, Default)]
pub struct DatabaseHealth {
    unreachable_since: std::sync::Mutex<Option<chrono::DateTime<chrono::Utc>>>,
}

impl DatabaseHealth {
    /// Records a round of the follower: reachable unless the store said it is out of reach.
    /// Changes are logged (never with more than the error: no request data is involved).
    pub fn observe(&self, round: eligo_search::follow::FollowRound<'_>) {
        let mut since = self.unreachable_since.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match round {
            Err(eligo_search::SearchError::Store(error)) if error.is_unavailable() => {
                if since.is_none() {
                    tracing::warn!("database unreachable; serving searches from the index, refusing writes: {error}");
                    *since = Some(chrono::Utc::now());
                }
            }
            Err(error) => tracing::error!("search index follower: {error}"),
            Ok(_) => {
                if since.take().is_some() {
                    tracing::info!("database reachable again");
                }
            }
        }
    }

    /// When the database was found out of reach, if it still is.
    pub fn unreachable_since(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        *self.unreachable_since.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Ok while the database answers; otherwise the 503 a request that needs it gets.
    fn check(&self) -> Result<(), ApiError> {
        match self.unreachable_since() {
            None => Ok(()),
            Some(_) => Err(ApiError::store_unavailable()),
        }
    }
}

impl ApiError {
    /// 503 for a request that needs the database while it is out of reach.
    pub fn store_unavailable() -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "the database is unreachable: searches still work, but this request needs the database; \
             try again shortly",
        )
        .with_retry_after(DATABASE_RETRY_AFTER)
    }

    /// A store failure: 503 when the database is out of reach (the request may succeed later),
    /// otherwise an internal error.
    pub fn from_store(error: eligo_store::StoreError) -> ApiError {
        if error.is_unavailable() {
            ApiError::store_unavailable()
        } else {
            ApiError::internal(error)
        }
    }
}

/// The store as handlers use it: its calls block, so they run on tokio's blocking threads. The
/// store is a pool of connections shared by every request (a long match holds one connection
/// while quick reads take others).
pub struct BlockingStore {
    store: SharedStore,
    /// Whether the database answers; [`BlockingStore::run`] refuses work while it does not.
    pub health: Arc<DatabaseHealth>,
}

impl BlockingStore {
    pub fn new(store: SharedStore) -> Self {
        BlockingStore { store, health: Arc::default() }
    }

    /// The store itself, for work that runs outside a request (alerts, the delivery worker).
    pub fn shared(&self) -> SharedStore {
        Arc::clone(&self.store)
    }

    /// Runs `work` with the store on tokio's blocking pool (503 at once while the database is
    /// out of reach).
    pub async fn run<R, F>(self: &Arc<Self>, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&dyn Store) -> Result<R, ApiError> + Send + 'static,
    {
        self.health.check()?;
        let store = Arc::clone(&self.store);
        let request_id = crate::request_id::current();
        tokio::task::spawn_blocking(move || crate::request_id::scope(request_id, || work(store.as_ref())))
            .await
            .map_err(crate::request_id::join_error)?
    }

    /// Runs `work` with the store on this thread (a blocking one: see [`BlockingStore::run`]).
    pub fn with_store<R>(&self, work: impl FnOnce(&dyn Store) -> Result<R, ApiError>) -> Result<R, ApiError> {
        self.health.check()?;
        work(self.store.as_ref())
    }
}

/// The state behind every route.
pub struct AppState {
    pub stores: Arc<BlockingStore>,
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
    pub fn new(store: SharedStore, search: SearchIndex, limits: Limits) -> Arc<Self> {
        Self::with_search_cache(store, search, limits, DEFAULT_SEARCH_CACHE_BYTES)
    }

    /// State with a search cache of `cache_bytes` (0: no cache, every search runs the engine).
    pub fn with_search_cache(store: SharedStore, search: SearchIndex, limits: Limits, cache_bytes: usize) -> Arc<Self> {
        Arc::new(AppState {
            stores: Arc::new(BlockingStore::new(store)),
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

    /// Keeps the search index caught up with the store on a background thread, for a store that
    /// other processes (other replicas, `eligo ingest`) write too, and keeps
    /// [`BlockingStore::health`] current. Stops when the handle is dropped.
    pub fn follow_store(&self) -> std::io::Result<eligo_search::follow::Follower> {
        let health = Arc::clone(&self.stores.health);
        eligo_search::follow::follow(Arc::clone(&self.search), self.stores.shared(), move |round| health.observe(round))
    }

    /// Turns the alert routes on over the server's store. Returns the service, for the delivery
    /// worker to be woken by sign-ups and ingests.
    pub fn enable_alerts(&self, settings: eligo_alerts::AlertSettings) -> Arc<crate::alerts::AlertsService> {
        let service = Arc::new(crate::alerts::AlertsService::new(&self.stores, settings, &self.limits));
        Arc::clone(self.alerts.get_or_init(|| service))
    }
}
