use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context as _;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// How many studies.
    #[arg(long, default_value_t = 1000)]
    count: usize,
    /// Same seed, same corpus, byte for byte.
    #[arg(long, default_value_t = 42)]
    seed: u64,
}

/// Writes ClinicalTrials.gov API v2 JSON Lines on stdout.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    for study in eligo_synth::studies(args.seed, args.count) {
        serde_json::to_writer(&mut out, &study).context("writing a study")?;
        out.write_all(b"\n").context("writing a study")?;
    }
    out.flush().context("writing the corpus")?;
    Ok(ExitCode::SUCCESS)
}
