//! The registry store: one record per trial, its history, publications and
//! links, behind the [`TrialStore`] trait.
//!
//! The store is the source of truth. Everything else (the search index, the
//! parsed criteria) can be rebuilt from it. Writes are transactional per
//! batch: a batch either lands whole or not at all, so nothing half-written
//! is ever visible. Every write bumps a monotonically increasing change
//! sequence number (`seq`); derived structures remember the last `seq` they
//! have seen and catch up with [`TrialStore::changed_since`] after a crash.
//!
//! [`SqliteStore`] is the embedded backend (bundled SQLite, WAL). A server
//! backend (PostgreSQL) implements the same trait; engines only ever see the
//! trait.

mod error;
mod sqlite;

pub use error::StoreError;
pub use sqlite::SqliteStore;

use eligo_model::{Publication, PublicationLink, Trial};
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
    /// Same content as stored (provenance timestamps aside): nothing written.
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
    pub publications: u64,
    pub history_versions: u64,
    pub by_status: std::collections::BTreeMap<String, u64>,
    pub by_phase: std::collections::BTreeMap<String, u64>,
    pub by_source: std::collections::BTreeMap<String, u64>,
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
    fn upsert_trials(&mut self, trials: &[Trial]) -> Result<Vec<UpsertOutcome>>;

    /// A trial by NCT ID, synthetic listing ID, org study ID or secondary ID.
    fn get_trial(&self, any_id: &str) -> Result<Option<Trial>>;

    /// Maps any identifier of a trial to its primary `id`.
    fn resolve_id(&self, any_id: &str) -> Result<Option<String>>;

    /// Earlier versions of a trial, newest first.
    fn history(&self, id: &str) -> Result<Vec<HistoryEntry>>;

    /// Calls `visit` for every trial, in `id` order (export, index rebuild).
    fn for_each_trial(&self, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()>;

    /// Trials written after change `seq` (index catch-up after a crash).
    fn changed_since(&self, seq: u64, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()>;

    /// The sequence number of the newest write (0 for an empty store).
    fn max_seq(&self) -> Result<u64>;

    fn trial_count(&self) -> Result<u64>;

    fn stats(&self) -> Result<StoreStats>;

    fn upsert_publications(&mut self, publications: &[Publication]) -> Result<Vec<UpsertOutcome>>;

    /// A publication by key (`PMID:29073351`, `DOI:...`, `PMCID:...`).
    fn get_publication(&self, key: &str) -> Result<Option<Publication>>;

    fn for_each_publication(&self, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()>;

    /// Replaces the links of the given publications with `links`.
    fn put_links(&mut self, links: &[PublicationLink]) -> Result<()>;

    fn links_for_trial(&self, trial_id: &str) -> Result<Vec<PublicationLink>>;

    fn links_for_publication(&self, publication_key: &str) -> Result<Vec<PublicationLink>>;

    /// Small key/value state (sync resume tokens, settings).
    fn get_state(&self, key: &str) -> Result<Option<String>>;

    fn set_state(&mut self, key: &str, value: &str) -> Result<()>;

    fn delete_state(&mut self, key: &str) -> Result<()>;

    /// Stores a hashed API token with a label; returns nothing secret.
    fn put_token_hash(&mut self, label: &str, token_hash: &str) -> Result<()>;

    /// True when a token with this hash exists and is not revoked.
    fn token_hash_exists(&self, token_hash: &str) -> Result<bool>;

    /// Runs the backend's integrity check; returns a list of problems (empty = healthy).
    fn integrity_check(&self) -> Result<Vec<String>>;
}
