//! Eligo's eligibility-criteria engine: free-text criteria → structured criteria.
//!
//! The first step is [`segment`]: it splits a trial's eligibility text into sections
//! (inclusion, exclusion, unspecified) and single criteria, with char offsets into the original
//! text (see [`segment`](mod@segment) for the styles it reads and the invariants it keeps).
//! Extraction of computable criteria from each segment builds on it.

pub mod brat;
mod computable;
mod cues;
pub mod parse;
mod quantity;
mod recognize;
pub mod segment;
mod text;

pub use parse::{extract_entities, parse_criteria};
pub use segment::{collapse_whitespace, segment, Segment};
