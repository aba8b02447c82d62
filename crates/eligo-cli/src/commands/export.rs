use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::context::Context;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    /// Eligo JSON Lines: one trial per line, every field and its provenance.
    Jsonl,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ExportFormat::Jsonl)]
    format: ExportFormat,
    /// Write to this file instead of stdout (written in full, then renamed
    /// into place, so a failed export never leaves a partial file).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let ExportFormat::Jsonl = args.format;
    let store = ctx.open_store()?;
    let count = match &args.output {
        None => eligo_registry::export::export_jsonl(&*store, &mut BufWriter::new(std::io::stdout().lock()))?,
        Some(path) => export_to_file(&*store, path)?,
    };
    ctx.inform(&format!("exported {count} trials"));
    Ok(ExitCode::SUCCESS)
}

fn export_to_file(store: &dyn eligo_store::Store, path: &PathBuf) -> anyhow::Result<u64> {
    let partial = path.with_extension("partial");
    let file = File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let count = eligo_registry::export::export_jsonl(store, &mut out)?;
    out.into_inner().map_err(|e| e.into_error()).and_then(|file| file.sync_all())?;
    std::fs::rename(&partial, path).with_context(|| format!("moving the export to {}", path.display()))?;
    Ok(count)
}
