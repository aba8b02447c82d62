use eligo_model as _;
/// Embedded SQLite backend (implementation in progress).
pub struct SqliteStore;
