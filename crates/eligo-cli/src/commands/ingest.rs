use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use eligo_registry::{ingest_paths, IngestOptions, IngestReport, InputFormat};

use crate::context::{print_json, Context};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Detect each document's format from its content.
    Auto,
    /// ClinicalTrials.gov API v2 JSON: study, API page, array or JSON Lines.
    CtgovJson,
    /// ClinicalTrials.gov legacy <clinical_study> XML.
    CtgovXml,
    /// Eligo's own JSON Lines, as written by `eligo export`.
    EligoJsonl,
    /// A saved trial-listing or publication-profile page (HTML or text).
    Page,
    /// PubMed/MEDLINE XML (<PubmedArticleSet>).
    PubmedXml,
    /// MEDLINE text format (PubMed "Save as PubMed format").
    Medline,
}

impl From<FormatArg> for InputFormat {
    fn from(arg: FormatArg) -> Self {
        match arg {
            FormatArg::Auto => InputFormat::Auto,
            FormatArg::CtgovJson => InputFormat::CtgovJson,
            FormatArg::CtgovXml => InputFormat::CtgovXml,
            FormatArg::EligoJsonl => InputFormat::EligoJsonl,
            FormatArg::Page => InputFormat::Page,
            FormatArg::PubmedXml => InputFormat::PubmedXml,
            FormatArg::Medline => InputFormat::Medline,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, directories or ZIP archives.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// Report each bad record and go on; without it, stop at the first one
    /// (what was read before it is kept).
    #[arg(long)]
    keep_going: bool,
    /// The address the saved pages came from, recorded as their source.
    #[arg(long, value_name = "URL")]
    source_url: Option<String>,
    /// Print the report as JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let options = IngestOptions {
        format: args.format.into(),
        keep_going: args.keep_going,
        source_url: args.source_url,
        ..IngestOptions::default()
    };
    // The search index takes the records as they are written instead of reading them back.
    let index = crate::commands::search::open_index_dir(ctx)?;
    let mut feed = index.feed(&*store).context("bringing the search index up to date")?;
    let spinner = ctx.spinner("ingesting");
    let report = ingest_paths(
        &*store,
        &args.paths,
        &options,
        &mut |progress| spinner.set_position(progress.stored + progress.failed),
        &mut |trial, outcome| feed.add(trial, outcome),
    )?;
    spinner.finish_and_clear();
    let indexed = feed.finish(&*store).context("indexing the ingested trials for search")?;
    if indexed.indexed > 0 {
        ctx.inform(&format!("indexed {} trials for search", indexed.indexed));
    }
    crate::commands::alerts::evaluate_changes(ctx, &*store)?;
    if args.json {
        print_json(&report)?;
    } else {
        print_report(ctx, &report);
    }
    Ok(if report.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Human summary on stderr: problems first, then the counts.
pub fn print_report(ctx: &Context, report: &IngestReport) {
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    if report.failed > report.errors.len() as u64 {
        eprintln!("error: ... and {} more", report.failed - report.errors.len() as u64);
    }
    for warning in &report.warnings {
        ctx.inform(&format!("warning: {warning}"));
    }
    for note in &report.unlinked_listings {
        ctx.inform(&format!("note: {note}"));
    }
    if report.stopped_early {
        eprintln!("stopped at the first bad record; use --keep-going to skip bad records and read the rest");
    }
    ctx.inform(&format!(
        "{} new, {} updated, {} unchanged, {} failed",
        report.new, report.updated, report.unchanged, report.failed
    ));
    let publications = &report.publications;
    if report.merged_pages > 0 || publications.new + publications.updated + publications.unchanged > 0 {
        ctx.inform(&format!(
            "{} page(s) merged into existing trials; publications: {} new, {} updated, {} unchanged; {} link(s)",
            report.merged_pages,
            publications.new,
            publications.updated,
            publications.unchanged,
            report.publication_links.map_or("unchanged".into(), |n| n.to_string())
        ));
    }
}
