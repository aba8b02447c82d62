use std::collections::BTreeMap;
use std::process::ExitCode;

use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print the counts as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let stats = ctx.open_store()?.stats()?;
    if args.json {
        print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("trials: {}", stats.trials);
    println!("earlier versions kept: {}", stats.history_versions);
    print_counts("by status", &stats.by_status);
    print_counts("by phase", &stats.by_phase);
    print_counts("by source", &stats.by_source);
    Ok(ExitCode::SUCCESS)
}

fn print_counts(title: &str, counts: &BTreeMap<String, u64>) {
    println!("\n{title}:");
    let mut rows: Vec<_> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (name, count) in rows {
        println!("  {count:>8}  {name}");
    }
}
