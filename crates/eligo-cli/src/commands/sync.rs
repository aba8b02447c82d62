use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_ctgov::sync::{ClientConfig, SyncClient, SyncQuery};

use crate::commands::ingest::print_report;
use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Free text (the API's query.term).
    #[arg(long)]
    query: Option<String>,
    /// Condition or disease (query.cond).
    #[arg(long)]
    condition: Option<String>,
    /// Intervention or treatment (query.intr).
    #[arg(long)]
    intervention: Option<String>,
    /// Only studies updated on or after this date (YYYY-MM-DD).
    #[arg(long)]
    updated_since: Option<NaiveDate>,
    /// Overall status filter, repeatable (e.g. RECRUITING).
    #[arg(long)]
    status: Vec<String>,
    /// Studies per page (1–1000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=1000))]
    page_size: u32,
    /// API root; point it at a mirror or a local recording.
    #[arg(long, default_value = "https://clinicaltrials.gov/api/v2")]
    base_url: String,
    /// PEM file of CA certificates to trust instead of the bundled Mozilla
    /// roots (a private mirror, a test server).
    #[arg(long, env = "ELIGO_CA_CERT", value_name = "FILE")]
    ca_cert: Option<std::path::PathBuf>,
    /// Minimum pause between requests, in milliseconds (politeness).
    #[arg(long, default_value_t = 350)]
    min_interval_ms: u64,
    /// How often to retry a failed request (with exponential backoff from 1 s).
    #[arg(long, default_value_t = 5)]
    max_retries: u32,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let query = SyncQuery {
        term: args.query,
        condition: args.condition,
        intervention: args.intervention,
        status: args.status,
        updated_since: args.updated_since,
        page_size: args.page_size,
        ..SyncQuery::default()
    };
    let config = ClientConfig {
        base_url: args.base_url,
        min_interval: Duration::from_millis(args.min_interval_ms),
        max_retries: args.max_retries,
        ca_cert_pem: args.ca_cert.as_deref().map(read_ca_cert).transpose()?,
        ..ClientConfig::default()
    };
    let client = SyncClient::new(config)?;
    let spinner = ctx.spinner("syncing");
    let report = eligo_registry::sync::sync(&*store, &client, &query, &mut |progress, total| {
        if let Some(total) = total {
            spinner.set_length(total);
        }
        spinner.set_position(progress.stored + progress.failed);
    });
    spinner.finish_and_clear();
    // Index and evaluate alerts for whatever was stored, even when the sync stopped early.
    let indexed = crate::commands::search::open_index(ctx, &*store);
    let evaluated = crate::commands::alerts::evaluate_changes(ctx, &*store);
    let report = report?;
    indexed?;
    evaluated?;
    if report.resumed {
        ctx.inform("resumed an interrupted sync");
    }
    if args.json {
        print_json(&report)?;
    } else {
        print_report(ctx, &report.ingest);
        ctx.inform(&format!("{} page(s) fetched", report.pages));
    }
    Ok(if report.ingest.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn read_ca_cert(path: &std::path::Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading the CA certificate {}", path.display()))
}
