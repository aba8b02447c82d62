//! `eligo questions --patient FILE`: the unknown facts that would settle the most candidate
//! trials, phrased for the patient, most verdicts first.

use std::process::ExitCode;

use eligo_match::rank_questions;

use crate::commands::matching::{screen_candidates, PatientSelection};
use crate::context::{print_json, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    selection: PatientSelection,
    /// How many questions to list.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let screened = screen_candidates(ctx, &args.selection)?;
    let mut questions = rank_questions(screened.ranked.iter().map(|r| (r.trial_id.as_str(), &r.screening)));
    questions.truncate(args.limit);
    if args.json {
        print_json(&questions)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, q) in questions.iter().enumerate() {
        println!("{:>2}. {}  ({} trials, decides {})", i + 1, q.text, q.trials, q.decides);
    }
    Ok(ExitCode::SUCCESS)
}
