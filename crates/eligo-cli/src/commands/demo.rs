use std::io::{BufReader, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context as _;
use eligo_ctgov::Origin;
use eligo_model::SourceKind;
use eligo_registry::ingest::{BatchWriter, DEFAULT_BATCH_SIZE};

use crate::commands::ingest::print_report;
use crate::commands::serve;
use crate::context::Context;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many generated trials.
    #[arg(long, default_value_t = 2000)]
    count: usize,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Stop after filling the data directory instead of serving it.
    #[arg(long)]
    no_serve: bool,
    /// Where to serve the demo.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// The server's limits, as `eligo serve` takes them.
    #[command(flatten)]
    limits: serve::LimitArgs,
    /// Alert e-mails, as `eligo serve` takes them.
    #[command(flatten)]
    alerts: crate::commands::alerts::SmtpArgs,
}

/// Fills an empty data directory with a generated corpus, then serves it
/// (unless `--no-serve`). The generated studies are ClinicalTrials.gov JSON
/// and go through the same reader and store path as real registry files.
pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let (no_serve, addr, limits, alerts) = (args.no_serve, args.addr, args.limits.clone(), args.alerts.clone());
    let filled = fill(ctx, args)?;
    if no_serve || filled != ExitCode::SUCCESS {
        return Ok(filled);
    }
    serve::run(
        ctx,
        serve::Args {
            addr,
            search_cache_mb: serve::DEFAULT_SEARCH_CACHE_MB,
            limits,
            tls_cert: None,
            tls_key: None,
            alerts,
        },
    )
}

fn fill(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let existing = store.trial_count()?;
    if existing > 0 {
        ctx.inform(&format!(
            "{} already holds {existing} trials; the demo only fills an empty data directory (use --data-dir)",
            ctx.data_dir.display()
        ));
        return Ok(ExitCode::SUCCESS);
    }
    let (reader, writer) = std::io::pipe().context("creating a pipe")?;
    let (count, seed) = (args.count, args.seed);
    let generator = std::thread::spawn(move || -> std::io::Result<()> {
        let mut out = BufWriter::new(writer);
        for study in eligo_synth::studies(seed, count) {
            serde_json::to_writer(&mut out, &study)?;
            out.write_all(b"\n")?;
        }
        out.flush()
    });
    let origin = Origin::new(format!("eligo-synth (seed {seed})"), SourceKind::Generated);
    let spinner = ctx.spinner("generating");
    let mut batches = BatchWriter::new(&*store, DEFAULT_BATCH_SIZE);
    let mut store_error = None;
    let mut first_id = None;
    eligo_ctgov::json::read(BufReader::new(reader), &origin, &mut |record| {
        if let Ok(parsed) = &record {
            first_id.get_or_insert_with(|| parsed.trial.id.clone());
        }
        if store_error.is_none() {
            store_error = batches.push(&origin.uri, record).err();
            spinner.set_position(batches.progress().stored);
        }
    })
    .context("reading the generated corpus")?;
    if let Some(error) = store_error {
        return Err(error.into());
    }
    let report = batches.finish()?;
    spinner.finish_and_clear();
    generator.join().map_err(|_| anyhow::anyhow!("the generator thread panicked"))?.context("generating")?;
    print_report(ctx, &report);
    println!("Demo data is in {}. Try:", ctx.data_dir.display());
    println!("  eligo --data-dir {} stats", ctx.data_dir.display());
    if let Some(first) = first_id {
        println!("  eligo --data-dir {} show {first}", ctx.data_dir.display());
    }
    Ok(if report.failed > 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
