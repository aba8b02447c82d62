use std::process::ExitCode;

use anyhow::Context as _;
use eligo_search::SearchIndex;

use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Recreate the search index from every trial in the store.
    Rebuild {
        /// Print the result as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    match args.action {
        Action::Rebuild { json } => {
            let store = ctx.open_store()?;
            let dir = ctx.search_index_path();
            let index =
                SearchIndex::open(&dir).with_context(|| format!("opening the search index in {}", dir.display()))?;
            let started = std::time::Instant::now();
            let update = index.rebuild(&*store).context("rebuilding the search index")?;
            if json {
                print_json(&update)?;
            } else {
                ctx.inform(&format!(
                    "indexed {} trials in {:.1} s (store sequence {})",
                    update.indexed,
                    started.elapsed().as_secs_f64(),
                    update.to_seq
                ));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
