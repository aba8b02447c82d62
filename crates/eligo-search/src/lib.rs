//! Eligo's search engine: find trials by text, facets, age, sex and distance, in milliseconds.
//!
//! A [tantivy] index sits next to the store in the data directory and is derived from it. The
//! pieces, in the order a search meets them:
//!
//! * [`query`] parses what a person typed (words, phrases, `condition:` prefixes, `AND`/`OR`/`NOT`)
//!   into a small tree; it never panics and bounds length and nesting.
//! * `plan` turns the tree into a tantivy query: vocabulary concepts are expanded to their
//!   synonyms and brand names (SLE ↔ systemic lupus erythematosus, Benlysta ↔ belimumab), fields
//!   are weighted (conditions and title over summary over criteria, exclusion criteria lowest),
//!   unknown long words get typo tolerance, and the filters become constant-score clauses.
//! * [`SearchIndex::search`] collects the top hits (relevance with open trials nudged up, last
//!   update, or distance), the total and, when asked, facet counts in one pass over the matching
//!   trials; then it adds the proximity boost (words side by side) to the top few hundred hits
//!   only, and cuts highlighted snippets for the page it returns.
//! * [`SearchIndex::generation`] changes whenever what is searchable may have changed, so that a
//!   caller can cache results safely (the HTTP server does).
//!
//! The index is kept in step with the store by sequence number: every commit records the last
//! store `seq` it contains, and [`SearchIndex::catch_up`] indexes what the store wrote since
//! (after an ingest, or at start-up after a crash between the two writes).
//! [`SearchIndex::rebuild`] recreates it from scratch. A server whose store other processes
//! write keeps its index in step with [`follow::follow`], a background thread woken by the store.
//!
//! [`gazetteer`] resolves place names for `near` searches and places trial sites registered
//! without coordinates.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use eligo_search::{SearchIndex, SearchRequest};
//! let store = eligo_store::open_store("data")?;
//! let index = SearchIndex::open(std::path::Path::new("data/search-index"))?;
//! index.catch_up(&*store)?;
//! let request = SearchRequest { statuses: vec!["recruiting".into()], ..SearchRequest::text("Benlysta") };
//! for hit in index.search(&request)?.hits {
//!     println!("{} {}", hit.id, hit.title);
//! }
//! # Ok(()) }
//! ```

mod feed;
pub mod follow;
pub mod gazetteer;
mod index;
pub mod percolate;
mod plan;
pub mod query;
mod request;
mod schema;

use std::path::PathBuf;

pub use feed::{IndexFeed, FEED_COMMIT_EVERY};
pub use gazetteer::{Gazetteer, PlaceError};
pub use index::{IndexUpdate, SearchIndex};
pub use query::QueryError;
pub use request::*;
pub use schema::concept_terms;

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("bad query: {0}")]
    Query(QueryError),
    #[error("bad search request: {0}")]
    Request(RequestError),
    #[error("reading the store")]
    Store(#[from] eligo_store::StoreError),
    #[error("search index")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory {path}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the search index in {0} is being updated by another process; try again when it finishes")]
    Busy(PathBuf),
    #[error("search index analyzer {0:?} is not registered")]
    Analyzer(String),
}

// Written out rather than `#[from]`, which would also make the inner error the `source` and
// print its message twice in an error chain.
impl From<QueryError> for SearchError {
    fn from(error: QueryError) -> Self {
        SearchError::Query(error)
    }
}

impl From<RequestError> for SearchError {
    fn from(error: RequestError) -> Self {
        SearchError::Request(error)
    }
}
