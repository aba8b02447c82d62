use thiserror::Error;

/// Errors of the store. Every variant says what was being done.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error while {context}: {source}")]
    Database {
        context: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("stored record {id} is corrupt: {source}")]
    Corrupt {
        id: String,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot open store at {path}: {reason}")]
    Open { path: String, reason: String },
    /// A visitor passed to a `for_each_*` walk stopped it; carries its reason.
    #[error("{0}")]
    Stopped(String),
    #[error("store schema version {found} is newer than this build supports ({supported}); upgrade eligo")]
    SchemaTooNew { found: i64, supported: i64 },
}

/// Attaches what the store was doing to a SQLite error.
pub(crate) trait DbContext<T> {
    fn doing(self, context: &'static str) -> Result<T, StoreError>;
}

impl<T> DbContext<T> for rusqlite::Result<T> {
    fn doing(self, context: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::Database { context, source })
    }
}
