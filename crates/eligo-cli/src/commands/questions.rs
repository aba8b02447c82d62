//! `eligo questions --patient FILE`: the unknown facts that would settle the most candidate
//! trials, in the plain words the check pages use (`eligo_match::lay_questions`), most verdicts
//! first. Each says what shape of answer it takes; answers go back in with `--answers FILE` (here,
//! or on `eligo match`). Criteria no person can answer are left to the study team and not listed.

use std::process::ExitCode;

use eligo_match::{lay_questions, rank_questions, Reply};

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
    let (case, screened) = screen_candidates(ctx, &args.selection)?;
    let lay = lay_questions(screened.pool.iter().map(|t| &t.prepared), &case.patient, screened.as_of);
    let mut questions = rank_questions(screened.ranked.iter().map(|r| (r.trial_id.as_str(), &r.screening)), &lay);
    questions.truncate(args.limit);
    if args.json {
        print_json(&questions)?;
        return Ok(ExitCode::SUCCESS);
    }
    if questions.is_empty() {
        println!("No open questions. {}", screened.message);
    }
    for (i, q) in questions.iter().enumerate() {
        let question = &q.question;
        println!(
            "{:>2}. {}  [{}]  ({} trials, decides {})",
            i + 1,
            question.text,
            answers(&question.reply),
            q.trials,
            q.decides
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The answers a question takes, as `--answers` accepts them.
fn answers(reply: &Reply) -> String {
    match reply {
        Reply::YesNo => "yes / no".into(),
        Reply::Sex => "female / male".into(),
        Reply::Qualitative => "positive / negative".into(),
        Reply::Number { units } => match units.split_first() {
            Some((first, [])) => format!("a number in {first}"),
            Some((first, rest)) => format!("a number in {first}, or \"<number> <unit>\" in {}", rest.join(", ")),
            None => "a number".into(),
        },
    }
}
