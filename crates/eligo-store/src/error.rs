use thiserror::Error;

/// A backend's own error, kept as the source of a [`StoreError`] without naming its type (so no
/// database driver's type appears in the store's interface).
pub type BackendError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Errors of the store. Every variant says what was being done.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The database failed while the store was doing something (`doing` says what).
    #[error("database error while {doing}: {source}")]
    Backend {
        doing: &'static str,
        #[source]
        source: BackendError,
    },
    /// A stored body does not decode: the record `id` is unreadable.
    #[error("stored record {id} is corrupt: {source}")]
    Corrupt {
        id: String,
        #[source]
        source: BackendError,
    },
    /// The database cannot be reached (down, restarting, the connection dropped): nothing was
    /// written, and the same call may succeed once it is back.
    #[error("the database is unreachable while {doing}: {source}")]
    Unavailable {
        doing: &'static str,
        #[source]
        source: BackendError,
    },
    #[error("cannot open store at {location}: {reason}")]
    Open { location: String, reason: String },
    /// A visitor passed to a `for_each_*` walk stopped it; carries its reason.
    #[error("{0}")]
    Stopped(String),
    #[error("store schema version {found} is newer than this build supports ({supported}); upgrade eligo")]
    SchemaTooNew { found: i64, supported: i64 },
}

impl StoreError {
    /// A backend failure while doing `doing`.
    pub fn backend(doing: &'static str, source: impl Into<BackendError>) -> StoreError {
        StoreError::Backend { doing, source: source.into() }
    }

    /// The database could not be reached while doing `doing`.
    pub fn unavailable(doing: &'static str, source: impl Into<BackendError>) -> StoreError {
        StoreError::Unavailable { doing, source: source.into() }
    }

    /// Whether the failure is the database being out of reach (worth retrying later), rather
    /// than something about the request or the data.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable { .. })
    }

    /// A stored record `id` that does not decode.
    pub fn corrupt(id: &str, source: impl Into<BackendError>) -> StoreError {
        StoreError::Corrupt { id: id.to_string(), source: source.into() }
    }
}
