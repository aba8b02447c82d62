//! The registry service: everything that moves records into and out of the
//! store.
//!
//! - [`documents`] turns the paths a user names (files, directories, ZIP
//!   archives) into a stream of documents, and detects each one's format.
//! - [`ingest`] reads those documents with the right source reader on a
//!   second thread and writes the records to the store in atomic batches,
//!   counting new / updated / unchanged / failed. The eligibility text of
//!   every new or changed record is parsed into structured criteria on the
//!   way in, on two threads ([`ingest::attach_criteria`]).
//! - [`sync`] pages through the live ClinicalTrials.gov API, committing and
//!   remembering its place after each page so an interrupted run resumes.
//! - [`pages`], [`merge`] and [`link`] bring listing pages and publications
//!   in: a page is folded into the stored trial it describes (by NCT ID,
//!   secondary ID or a scored fuzzy match), conflicting values are kept
//!   with their sources, and publications are linked to trials with a
//!   reason and a score after every ingest that changed something.
//! - [`export`] writes the store out as Eligo JSON Lines, which [`ingest`]
//!   reads back unchanged.
//!
//! Sources never touch the store and the store knows no formats; this crate
//! is where the two meet.

pub mod documents;
pub mod export;
pub mod ingest;
pub mod link;
pub mod merge;
pub mod pages;
mod reconcile;
pub mod sync;

pub use documents::InputFormat;
pub use ingest::{ingest_paths, IngestOptions, IngestReport, Progress};
pub use reconcile::PublicationCounts;
