//! `eligo questions --patient FILE`: the unknown facts that would settle the most candidate
//! trials, phrased for the patient, most verdicts first. Each says what shape of answer it takes;
//! answers go back in with `--answers FILE` (here, or on `eligo match`).

use std::process::ExitCode;

use eligo_match::{pool_asks, rank_questions, AnswerFormat, PreparedPatient, RankedQuestion};
use eligo_model::Patient;
use serde::Serialize;

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

/// One question in `eligo questions --json`.
#[derive(Serialize)]
struct QuestionRow {
    #[serde(flatten)]
    question: RankedQuestion,
    /// The answer it takes; absent when an answer could not be recorded as a fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<AnswerFormat>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let screened = screen_candidates(ctx, &args.selection)?;
    let mut questions = rank_questions(screened.ranked.iter().map(|r| (r.trial_id.as_str(), &r.screening)));
    questions.truncate(args.limit);
    if args.json {
        // The shape of an answer depends on the criterion alone, so asks for nobody list them all.
        let nobody = Patient::default();
        let prepared = screened.pool.iter().map(|t| &t.prepared);
        let asks = pool_asks(prepared, &PreparedPatient::new(&nobody), screened.as_of);
        let rows: Vec<QuestionRow> = questions
            .into_iter()
            .map(|question| {
                let answer = asks.iter().find(|a| a.question.key == question.key).map(|a| a.kind.format());
                QuestionRow { question, answer }
            })
            .collect();
        print_json(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    if questions.is_empty() {
        println!("No open questions. {}", screened.message);
    }
    for (i, q) in questions.iter().enumerate() {
        println!("{:>2}. {}  ({} trials, decides {})", i + 1, q.text, q.trials, q.decides);
    }
    Ok(ExitCode::SUCCESS)
}
