//! The registry store: trials and their history, publications, API access, small state and
//! alerts, each behind a role trait, and [`Store`], all of them at once.
//!
//! The store is the source of truth. Everything else (the search index, the
//! parsed criteria) can be rebuilt from it. Writes are transactional per
//! batch: a batch either lands whole or not at all, so nothing half-written
//! is ever visible. Every write of a trial takes a strictly increasing change
//! sequence number (`seq`); derived structures remember the last `seq` they
//! have seen and catch up with [`TrialStore::changed_since`] after a crash.
//!
//! Every method takes `&self` and every store is `Send + Sync`: a store is a pool of connections
//! shared by all threads ([`SharedStore`]). [`open_store`] picks the backend from where the data
//! lives; nothing outside this crate names a backend. The embedded backend is SQLite (bundled,
//! WAL: one writer, many readers); errors carry what was being done and the backend's error as
//! an opaque source.

pub mod alerts;
mod allowance;
mod codec;
mod error;
mod fingerprint;
mod postgres;
mod records;
mod sqlite;

pub use alerts::AlertStore;
pub use allowance::Allowance;
pub use error::{BackendError, StoreError};
pub use fingerprint::content_hash;

use std::collections::BTreeMap;

use eligo_model::{Publication, PublicationLink, SourceKind, Trial};
use serde::{Deserialize, Serialize};

pub type Result<T> = std::result::Result<T, StoreError>;

/// What an upsert did to one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpsertOutcome {
    /// No record with this ID existed.
    New,
    /// The record changed; the previous version went to the history table.
    Updated,
    /// Same registry content as stored (see [`content_hash`]): nothing written.
    Unchanged,
}

/// A previous version of a trial.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Sequence number of the write that replaced this version.
    pub replaced_at_seq: u64,
    pub replaced_at: chrono::DateTime<chrono::Utc>,
    pub trial: Trial,
}

/// Counts for `eligo stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StoreStats {
    pub trials: u64,
    pub history_versions: u64,
    /// Overall status (API spelling) → trials; `NONE` when not stated.
    pub by_status: BTreeMap<String, u64>,
    /// Phase (API spelling) → trials; a trial in two phases counts in both.
    pub by_phase: BTreeMap<String, u64>,
    /// Source kind → trials that have at least one source of that kind.
    pub by_source: BTreeMap<String, u64>,
}

/// An API token to record: the hash of its secret, whom it is for, what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApiToken {
    pub hash: String,
    pub name: String,
    /// What the token may do (`ingest`, `admin`); the API defines the words.
    pub scope: String,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An API token as stored: everything about it but its secret, which the store never has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub name: String,
    pub scope: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// An ingest batch sent to the API, to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIngestJob {
    /// Random, unguessable: the job's status URL names it.
    pub id: String,
    /// What makes a retry of the batch the same job.
    pub idempotency_key: String,
    /// The batch's content hash, to tell a retry from another batch reusing a key.
    pub body_hash: String,
    /// The token that sent it.
    pub token_name: String,
}

/// An ingest batch sent to the API: running while `finished_at` is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngestJob {
    pub id: String,
    pub idempotency_key: String,
    pub body_hash: String,
    pub token_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The first answer, as the API wrote it.
    pub result: Option<String>,
}

/// A trial with its [`content_hash`], for [`TrialStore::upsert_hashed`].
#[derive(Debug, Clone, Copy)]
pub struct Hashed<'a> {
    pub trial: &'a Trial,
    pub hash: &'a str,
}

/// A trial together with the change sequence of its last write.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTrial {
    pub seq: u64,
    pub trial: Trial,
}

/// How often [`TrialStore::wait_for_change`] looks at the sequence on a backend that cannot be
/// told of commits (SQLite: one indexed read of a local file).
pub const CHANGE_POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(200);

/// A store shared by every thread of a process: one pool of connections behind all the roles.
pub type SharedStore = std::sync::Arc<dyn Store>;

/// Opens the store at `location` and brings its schema up to date.
///
/// `location` is `postgres://user@host:port/db` (PostgreSQL, for several processes on one
/// store), a directory (the embedded SQLite store `DIR/eligo.db`, created when missing) or
/// `sqlite:PATH` (that database file).
pub fn open_store(location: &str) -> Result<SharedStore> {
    if let Some((scheme, _)) = location.split_once("://").filter(|(scheme, _)| !scheme.contains(['/', '\\'])) {
        if scheme == "postgres" || scheme == "postgresql" {
            return Ok(std::sync::Arc::new(postgres::PostgresStore::open(location)?));
        }
        let reason =
            format!("no store backend for `{scheme}://` locations (`postgres://`, a directory or `sqlite:PATH`)");
        return Err(StoreError::Open { location: location.to_string(), reason });
    }
    let path = match location.strip_prefix("sqlite:") {
        Some(file) => std::path::PathBuf::from(file),
        None => std::path::Path::new(location).join(sqlite::DATABASE_FILE),
    };
    Ok(std::sync::Arc::new(sqlite::SqliteStore::open(&path)?))
}

/// A private, empty store that is deleted when the last handle to it is dropped (tests,
/// benchmarks).
pub fn temporary_store() -> Result<SharedStore> {
    Ok(std::sync::Arc::new(sqlite::SqliteStore::temporary()?))
}

/// Every role of the store at once, for the code that needs several (ingest writes trials and
/// publications; the server reads everything). A backend implements each role trait and this.
pub trait Store: TrialStore + PublicationStore + AccessStore + StateStore + AlertStore {
    /// Runs the backend's integrity check and verifies every stored record (it decodes, carries
    /// its own id, matches its content hash); returns the problems found (empty = healthy).
    fn integrity_check(&self) -> Result<Vec<String>>;
}

/// Trials and their history. Implementations must make every [`TrialStore::upsert_trials`]
/// batch atomic and must keep `seq` strictly increasing in commit order: a reader that has seen
/// change `n` never misses a later-committed change below `n`.
pub trait TrialStore: Send + Sync {
    /// Inserts or updates a batch of trials in one transaction; returns one
    /// outcome per input, in order. Unchanged records are not rewritten.
    /// Two records with the same `id` in one batch are applied in order.
    fn upsert_trials(&self, trials: &[Trial]) -> Result<Vec<UpsertOutcome>> {
        let hashes: Vec<String> = trials.iter().map(content_hash).collect();
        let hashed: Vec<Hashed<'_>> = trials.iter().zip(&hashes).map(|(trial, hash)| Hashed { trial, hash }).collect();
        self.upsert_hashed(&hashed)
    }

    /// [`TrialStore::upsert_trials`] for trials whose [`content_hash`] the caller has computed
    /// already (ingest hashes every record to decide which ones to parse), so that no record is
    /// hashed twice.
    fn upsert_hashed(&self, trials: &[Hashed<'_>]) -> Result<Vec<UpsertOutcome>>;

    /// A trial by NCT ID, org study ID or secondary ID (case-insensitive).
    fn get_trial(&self, any_id: &str) -> Result<Option<Trial>>;

    /// Maps any identifier of a trial to its primary `id`. When a secondary
    /// ID is shared by several trials, the smallest `id` wins.
    fn resolve_id(&self, any_id: &str) -> Result<Option<String>>;

    /// Earlier versions of a trial, newest first.
    fn history(&self, id: &str) -> Result<Vec<HistoryEntry>>;

    /// Calls `visit` for every trial, in `id` order (export, index rebuild).
    fn for_each_trial(&self, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()>;

    /// Trials written after change `seq`, in `seq` order (index catch-up).
    fn changed_since(&self, seq: u64, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()>;

    /// The stored [`content_hash`] of each of these trials that exists. Ingest asks before it does
    /// derived work (parsing criteria) that an unchanged record would throw away.
    fn content_hashes(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, String>>;

    /// The sequence number of the newest write (0 for an empty store).
    fn max_seq(&self) -> Result<u64>;

    /// Waits until the store holds a change after `after_seq`, or until `timeout` has passed;
    /// returns [`TrialStore::max_seq`] then (which may still be `after_seq`). A follower of the
    /// change sequence (a server's search index) calls it in a loop. A backend that can be told
    /// of commits wakes at once (PostgreSQL: `LISTEN`); this default looks every
    /// [`CHANGE_POLL_INTERVAL`].
    fn wait_for_change(&self, after_seq: u64, timeout: std::time::Duration) -> Result<u64> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let seq = self.max_seq()?;
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if seq != after_seq || left.is_zero() {
                return Ok(seq);
            }
            std::thread::sleep(left.min(CHANGE_POLL_INTERVAL));
        }
    }

    fn trial_count(&self) -> Result<u64>;

    fn stats(&self) -> Result<StoreStats>;

    /// IDs of the trials that have at least one source of this kind (the
    /// ingest pipeline merges registry records into page-sourced trials).
    fn ids_with_source_kind(&self, kind: SourceKind) -> Result<Vec<String>>;
}

/// Publications and their links to trials.
pub trait PublicationStore: Send + Sync {
    /// Inserts or replaces publications (keyed by [`Publication::key`]) in
    /// one transaction; one outcome per input. Publications without a key
    /// are the caller's error and are skipped as `Unchanged`.
    fn upsert_publications(&self, publications: &[Publication]) -> Result<Vec<UpsertOutcome>>;

    /// A publication by key (`PMID:29073351`, `DOI:10.1002/…`, `PMCID:PMC…`),
    /// or by a bare PMID, DOI or PMCID.
    fn get_publication(&self, any_id: &str) -> Result<Option<Publication>>;

    /// Every publication, in key order.
    fn for_each_publication(&self, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()>;

    /// Replaces every trial–publication link in one transaction.
    fn replace_publication_links(&self, links: &[PublicationLink]) -> Result<()>;

    /// Links of one trial (by primary `id`), best score first.
    fn links_for_trial(&self, trial_id: &str) -> Result<Vec<PublicationLink>>;

    /// Links of one publication (by key), best score first.
    fn links_for_publication(&self, key: &str) -> Result<Vec<PublicationLink>>;
}

/// API access: tokens (by the hash of their secret) and the API's ingest jobs.
pub trait AccessStore: Send + Sync {
    /// Records an API token by the hash of its secret (the secret itself is never stored).
    fn add_api_token(&self, token: &NewApiToken) -> Result<()>;

    /// The token with this hash, revoked or expired ones included (the caller decides).
    fn find_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>>;

    /// Records that the token with this hash was used at `at`.
    fn touch_api_token(&self, token_hash: &str, at: chrono::DateTime<chrono::Utc>) -> Result<()>;

    /// Every token, oldest first (never a secret: the store has none).
    fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;

    /// Revokes every unrevoked token named `name`; returns how many.
    fn revoke_api_tokens(&self, name: &str, at: chrono::DateTime<chrono::Utc>) -> Result<usize>;

    /// Starts an API ingest job unless one with the same idempotency key was started after
    /// `forget_before` (older jobs are deleted). Returns the job holding the key and whether it
    /// is the one just started.
    fn start_ingest_job(
        &self,
        job: &NewIngestJob,
        forget_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<(IngestJob, bool)>;

    /// Stores a job's answer (opaque text, written by the API) and marks it finished.
    fn finish_ingest_job(&self, id: &str, result: &str) -> Result<()>;

    fn get_ingest_job(&self, id: &str) -> Result<Option<IngestJob>>;

    /// Deletes a job, freeing its key (a job that failed inside the server is run again on retry).
    fn forget_ingest_job(&self, id: &str) -> Result<()>;

    /// Takes one request from the allowance of `key`, shared by every process on this store (a
    /// limit that must hold however many server replicas there are). `None` when allowed;
    /// otherwise how long until the next request would be. Keys whose allowance is whole again
    /// are forgotten.
    fn take_allowance(
        &self,
        key: &str,
        allowance: Allowance,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<std::time::Duration>>;
}

/// Small key/value state (sync resume tokens, settings).
pub trait StateStore: Send + Sync {
    fn get_state(&self, key: &str) -> Result<Option<String>>;

    fn set_state(&self, key: &str, value: &str) -> Result<()>;

    fn delete_state(&self, key: &str) -> Result<()>;
}
