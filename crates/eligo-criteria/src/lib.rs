//! Eligo's eligibility-criteria engine: free-text criteria → structured criteria.
//!
//! [`parse_criteria`] is the entry point. It runs, per trial text:
//! [`segment`] (sections and single criteria with char offsets; see [`segment`](mod@segment) for the
//! styles it reads and the invariants it keeps) → glued-word repair and tokens → recognisers
//! (vocabulary and word-shape mentions, quantities and time windows, cue words) → typed entities
//! and computable forms (see [`parse`](mod@parse)); abbreviations a text defines are carried to its
//! later criteria, and lines that only organise the list are read as structure.
//! [`extract_entities`] runs the recognisers on any clinical text. [`brat`] scores the engine
//! against expert annotations.

mod abbreviations;
mod acuity;
mod age_context;
mod allergy;
pub mod brat;
mod childbearing;
mod computable;
mod counted;
mod cues;
mod definition;
mod demographics;
mod diet;
mod donation;
mod fragment;
mod grade_bound;
mod habits;
mod intervention;
mod markers;
mod naive;
mod named_finding;
mod origin;
mod own_disease;
pub mod parse;
mod performance;
mod process;
mod quantity;
mod recognize;
mod roles;
mod scope;
mod screening;
pub mod segment;
mod sex_thresholds;
mod sleep_schedule;
mod stable_dose;
mod structure;
mod test_names;
mod test_status;
mod text;
mod tnm;
mod toxicity;

pub use named_finding::names_habit_people;
pub use parse::{extract_entities, parse_criteria, parse_requirements};
pub use segment::{collapse_whitespace, segment, Segment};

/// A criterion's text with scraping glue repaired ("two or moreimmunosuppressants" → "two or more
/// immunosuppressants"): the same repair extraction reads the text through, for pages to show.
pub fn repair_glue(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    text::prepare(&chars).text()
}
