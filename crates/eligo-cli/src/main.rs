//! `eligo`: the command-line surface of Eligo.
//!
//! The binary is thin: it parses arguments, opens the data directory and
//! calls the library crates. Each subcommand lives in its own module under
//! `commands/` with an `Args` struct and a `run` function.

mod commands;
mod context;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use context::Context;

/// Eligo: an offline clinical-trial registry, eligibility engine and patient–trial matcher.
#[derive(Debug, Parser)]
#[command(name = "eligo", version, about, long_about = None)]
struct Cli {
    /// Data directory (store and index). Defaults to $ELIGO_DATA_DIR, then the platform data dir.
    #[arg(long, global = true, env = "ELIGO_DATA_DIR")]
    data_dir: Option<std::path::PathBuf>,

    /// No progress bars or informational messages (for scripts).
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read trials, listing pages and publications from files, directories and ZIPs into the store.
    Ingest(commands::ingest::Args),
    /// Page through the ClinicalTrials.gov API v2 and store what it returns.
    Sync(commands::sync::Args),
    /// Show one trial (by NCT or any secondary ID) or publication (PMID:n).
    Show(commands::show::Args),
    /// Counts by status, phase and source.
    Stats(commands::stats::Args),
    /// Write every trial out (JSON Lines round-trips through `ingest`).
    Export(commands::export::Args),
    /// Check the store's integrity.
    Check(commands::check::Args),
    /// Fill an empty data directory with a generated demo corpus, then serve it.
    Demo(commands::demo::Args),
    /// Eligibility criteria: parse free text, evaluate against brat annotations.
    #[command(subcommand)]
    Criteria(commands::criteria::Command),
    /// Search index maintenance.
    #[command(subcommand)]
    Index(commands::index::Command),
    /// Search trials by text, facets, age, sex and distance.
    Search(commands::search::Args),
    /// Patients: parse a profile, FHIR bundle or note into facts.
    #[command(subcommand)]
    Patient(commands::patient::Command),
    /// Rank trials for one patient with criterion-by-criterion verdicts.
    Match(commands::matching::Args),
    /// The questions that would settle the most unknown verdicts.
    Questions(commands::questions::Args),
    /// Score given patient–trial pairs (TSV out).
    Rank(commands::rank::Args),
    /// Serve the HTTP API and web pages.
    Serve(commands::serve::Args),
    /// API tokens for write endpoints.
    #[command(subcommand)]
    Token(commands::token::Command),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    context::init_logging(cli.quiet);
    let ctx = Context::new(cli.data_dir, cli.quiet);
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(&ctx, args),
        Command::Sync(args) => commands::sync::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::Stats(args) => commands::stats::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::Demo(args) => commands::demo::run(&ctx, args),
        Command::Criteria(command) => commands::criteria::run(&ctx, command),
        Command::Index(command) => commands::index::run(&ctx, command),
        Command::Search(args) => commands::search::run(&ctx, args),
        Command::Patient(command) => commands::patient::run(&ctx, command),
        Command::Match(args) => commands::matching::run(&ctx, args),
        Command::Questions(args) => commands::questions::run(&ctx, args),
        Command::Rank(args) => commands::rank::run(&ctx, args),
        Command::Serve(args) => commands::serve::run(&ctx, args),
        Command::Token(command) => commands::token::run(&ctx, command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
