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

    /// The store, when it is not the embedded one in the data directory:
    /// `postgres://user@host:port/db` (one store for several processes) or `sqlite:PATH` (a
    /// database file). The data directory still holds the search index.
    #[arg(long, global = true, env = "ELIGO_STORE")]
    store: Option<String>,

    /// No progress bars or informational messages (for scripts).
    #[arg(long, short, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read trials from files, directories and ZIPs (ClinicalTrials.gov JSON or XML, eligo exports) into the store.
    Ingest(commands::ingest::Args),
    /// Page through the ClinicalTrials.gov API v2 and store what it returns (resumable).
    Sync(commands::sync::Args),
    /// Show one trial by NCT ID, org study ID or any secondary ID.
    Show(commands::show::Args),
    /// Counts by status, phase and source.
    Stats(commands::stats::Args),
    /// Write every trial out as JSON Lines (reads back through `ingest` unchanged).
    Export(commands::export::Args),
    /// Check the store's integrity.
    Check(commands::check::Args),
    /// Fill an empty data directory with a generated demo corpus.
    Demo(commands::demo::Args),
    /// Write a generated corpus as ClinicalTrials.gov API v2 JSON Lines (for benchmarks and trials).
    Generate(commands::generate::Args),
    /// Find trials by text, status, phase, age, sex and distance.
    Search(commands::search::Args),
    /// Manage the search index (`eligo index rebuild`).
    Index(commands::index::Args),
    /// Read a patient (profile JSON, FHIR R4 Bundle or clinical note) and show the facts with evidence.
    Patient(commands::patient::Args),
    /// Rank the trials a patient is likely eligible for, with verdicts and per-criterion results.
    Match(commands::matching::Args),
    /// Screen given patient–trial pairs: `patient<TAB>trial<TAB>score<TAB>verdict` per pair.
    Rank(commands::rank::Args),
    /// Match a cohort (JSON Lines of patients) against the registry, one JSON line per patient.
    Screen(commands::screen::Args),
    /// The pre-screening questions that would settle the most candidate trials.
    Questions(commands::questions::Args),
    /// The eligibility-criteria engine: parse free text, evaluate against annotations.
    Criteria(commands::criteria::Args),
    /// Serve the HTTP API (/api/v1) and the web pages from the data directory.
    Serve(commands::serve::Args),
    /// Manage API tokens for the write endpoints.
    Token(commands::token::Args),
    /// Alerts: subscriptions to searches and categories, their evaluation and delivery.
    Alerts(commands::alerts::Args),
}

/// A reader that closes the output early (`eligo match ... | head`) ends the output, as it does for
/// any Unix tool: the failed write of `println!` is a panic, so the hook turns that one panic into
/// the exit status of a process ended by SIGPIPE (128 + 13) instead of a backtrace.
fn end_quietly_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or_default();
        if message.starts_with("failed printing to stdout") && message.contains("Broken pipe") {
            std::process::exit(141);
        }
        default(info)
    }));
}

fn main() -> ExitCode {
    end_quietly_on_closed_stdout();
    let cli = Cli::parse();
    context::init_logging(cli.quiet);
    let ctx = Context::new(cli.data_dir, cli.store, cli.quiet);
    let result = match cli.command {
        Command::Ingest(args) => commands::ingest::run(&ctx, args),
        Command::Sync(args) => commands::sync::run(&ctx, args),
        Command::Show(args) => commands::show::run(&ctx, args),
        Command::Stats(args) => commands::stats::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::Demo(args) => commands::demo::run(&ctx, args),
        Command::Generate(args) => commands::generate::run(args),
        Command::Search(args) => commands::search::run(&ctx, args),
        Command::Index(args) => commands::index::run(&ctx, args),
        Command::Patient(args) => commands::patient::run(args),
        Command::Match(args) => commands::matching::run(&ctx, args),
        Command::Rank(args) => commands::rank::run(&ctx, args),
        Command::Screen(args) => commands::screen::run(&ctx, args),
        Command::Questions(args) => commands::questions::run(&ctx, args),
        Command::Criteria(args) => commands::criteria::run(args),
        Command::Serve(args) => commands::serve::run(&ctx, args),
        Command::Token(args) => commands::token::run(&ctx, args),
        Command::Alerts(args) => commands::alerts::run(&ctx, args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
