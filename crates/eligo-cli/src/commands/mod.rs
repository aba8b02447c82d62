//! One module per subcommand: an `Args` struct (clap) and a `run` function
//! that returns the process exit code.

pub mod alerts;
pub mod check;
pub mod criteria;
pub mod demo;
pub mod export;
pub mod generate;
pub mod index;
pub mod ingest;
pub mod matching;
pub mod patient;
pub mod questions;
pub mod rank;
pub mod screen;
pub mod search;
pub mod serve;
pub mod show;
pub mod stats;
pub mod sync;
pub mod token;
