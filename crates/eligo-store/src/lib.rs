//! The registry store: one record per trial and its history, behind the
//! [`TrialStore`] trait.
//!
//! The store is the source of truth. Everything else (the search index, the
//! parsed criteria) can be rebuilt from it. Writes are transactional per
//! batch: a batch either lands whole or not at all, so nothing half-written
//! is ever visible. Every write of a trial takes a strictly increasing change
//! sequence number (`seq`); derived structures remember the last `seq` they
//! have seen and catch up with [`TrialStore::changed_since`] after a crash.
//!
//! [`SqliteStore`] is the embedded backend (bundled SQLite, WAL). A server
//! backend (PostgreSQL) implements the same trait; engines only ever see the
//! trait.

mod access;
pub mod alerts;
mod error;
mod fingerprint;
mod publications;
mod schema;
mod sqlite;

pub use alerts::AlertStore;
pub use error::StoreError;
pub use fingerprint::content_hash;
pub use sqlite::SqliteStore;

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

/// A trial together with the change sequence of its last write.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredTrial {
    pub seq: u64,
    pub trial: Trial,
}

/// Persistent registry storage. Implementations must make every `upsert_*`
/// batch atomic and must keep `seq` strictly increasing across writes.
pub trait TrialStore: Send {
    /// Inserts or updates a batch of trials in one transaction; returns one
    /// outcome per input, in order. Unchanged records are not rewritten.
    /// Two records with the same `id` in one batch are applied in order.
    fn upsert_trials(&mut self, trials: &[Trial]) -> Result<Vec<UpsertOutcome>>;

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

    fn trial_count(&self) -> Result<u64>;

    fn stats(&self) -> Result<StoreStats>;

    /// Small key/value state (sync resume tokens, settings).
    fn get_state(&self, key: &str) -> Result<Option<String>>;

    fn set_state(&mut self, key: &str, value: &str) -> Result<()>;

    fn delete_state(&mut self, key: &str) -> Result<()>;

    /// Records an API token by the hash of its secret (the secret itself is never stored).
    fn add_api_token(&mut self, token: &NewApiToken) -> Result<()>;

    /// The token with this hash, revoked or expired ones included (the caller decides).
    fn find_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>>;

    /// Records that the token with this hash was used at `at`.
    fn touch_api_token(&mut self, token_hash: &str, at: chrono::DateTime<chrono::Utc>) -> Result<()>;

    /// Every token, oldest first (never a secret: the store has none).
    fn list_api_tokens(&self) -> Result<Vec<ApiToken>>;

    /// Revokes every unrevoked token named `name`; returns how many.
    fn revoke_api_tokens(&mut self, name: &str, at: chrono::DateTime<chrono::Utc>) -> Result<usize>;

    /// Starts an API ingest job unless one with the same idempotency key was started after
    /// `forget_before` (older jobs are deleted). Returns the job holding the key and whether it
    /// is the one just started.
    fn start_ingest_job(
        &mut self,
        job: &NewIngestJob,
        forget_before: chrono::DateTime<chrono::Utc>,
    ) -> Result<(IngestJob, bool)>;

    /// Stores a job's answer (opaque text, written by the API) and marks it finished.
    fn finish_ingest_job(&mut self, id: &str, result: &str) -> Result<()>;

    fn get_ingest_job(&self, id: &str) -> Result<Option<IngestJob>>;

    /// Deletes a job, freeing its key (a job that failed inside the server is run again on retry).
    fn forget_ingest_job(&mut self, id: &str) -> Result<()>;

    /// IDs of the trials that have at least one source of this kind (the
    /// ingest pipeline merges registry records into page-sourced trials).
    fn ids_with_source_kind(&self, kind: SourceKind) -> Result<Vec<String>>;

    /// Inserts or replaces publications (keyed by [`Publication::key`]) in
    /// one transaction; one outcome per input. Publications without a key
    /// are the caller's error and are skipped as `Unchanged`.
    fn upsert_publications(&mut self, publications: &[Publication]) -> Result<Vec<UpsertOutcome>>;

    /// A publication by key (`PMID:29073351`, `DOI:10.1002/…`, `PMCID:PMC…`),
    /// or by a bare PMID, DOI or PMCID.
    fn get_publication(&self, any_id: &str) -> Result<Option<Publication>>;

    /// Every publication, in key order.
    fn for_each_publication(&self, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()>;

    /// Replaces every trial–publication link in one transaction.
    fn replace_publication_links(&mut self, links: &[PublicationLink]) -> Result<()>;

    /// Links of one trial (by primary `id`), best score first.
    fn links_for_trial(&self, trial_id: &str) -> Result<Vec<PublicationLink>>;

    /// Links of one publication (by key), best score first.
    fn links_for_publication(&self, key: &str) -> Result<Vec<PublicationLink>>;

    /// Runs the backend's integrity check; returns the problems found
    /// (empty = healthy).
    fn integrity_check(&self) -> Result<Vec<String>>;
}
