use std::process::ExitCode;

use crate::context::Context;

#[derive(Debug, clap::Args)]
pub struct Args {}

/// Exit 0 when healthy; otherwise each problem on stderr and exit 1.
pub fn run(ctx: &Context, _args: Args) -> anyhow::Result<ExitCode> {
    let store = ctx.open_store()?;
    let problems = store.integrity_check()?;
    for problem in &problems {
        eprintln!("problem: {problem}");
    }
    if problems.is_empty() {
        ctx.inform(&format!("ok: {} trials, store is consistent", store.trial_count()?));
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{} problem(s) found", problems.len());
        Ok(ExitCode::FAILURE)
    }
}
