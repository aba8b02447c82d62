use crate::StoreError;

/// Attaches what the store was doing to a SQLite error.
pub(crate) trait DbContext<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError>;
}

impl<T> DbContext<T> for rusqlite::Result<T> {
    fn doing(self, doing: &'static str) -> Result<T, StoreError> {
        self.map_err(|source| StoreError::backend(doing, source))
    }
}
