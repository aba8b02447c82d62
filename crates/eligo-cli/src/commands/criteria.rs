//! `eligo criteria parse` and `eligo criteria eval-brat`: the criteria engine on its own.

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use eligo_model::{Computable, Criterion, Entity, Section};
use serde::Serialize;

use crate::commands::show::render_criteria;
use crate::context::print_json;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: CriteriaCommand,
}

#[derive(Debug, clap::Subcommand)]
enum CriteriaCommand {
    /// Parse free-text eligibility criteria into structured, computable criteria.
    Parse {
        /// A text file with the criteria, or `-` (the default) for standard input.
        #[arg(default_value = "-")]
        file: String,
        /// Print the stable JSON form (documented in docs/cli-json.md).
        #[arg(long)]
        json: bool,
    },
    /// Score the parser against brat annotations (`NAME.txt` + `NAME.ann`, searched recursively),
    /// per type, exact-span and overlap.
    EvalBrat {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
}

/// One criterion in `eligo criteria parse --json`.
#[derive(Serialize)]
struct ParsedCriterion<'a> {
    section: Section,
    start: usize,
    end: usize,
    text: &'a str,
    kind: &'static str,
    negated: bool,
    /// The first (usually the only) computable reading.
    computable: Option<&'a Computable>,
    /// Every alternative reading when there are several (any met means met).
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    alternatives: &'a [Computable],
    entities: &'a [Entity],
}

#[derive(Serialize)]
struct ParseOutput<'a> {
    criteria: Vec<ParsedCriterion<'a>>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        CriteriaCommand::Parse { file, json } => parse(&file, json),
        CriteriaCommand::EvalBrat { dir, json } => eval_brat(&dir, json),
    }
}

fn parse(file: &str, json: bool) -> anyhow::Result<ExitCode> {
    let text = if file == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("reading criteria from standard input")?;
        text
    } else {
        std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?
    };
    let criteria = eligo_criteria::parse_criteria(&text);
    if json {
        print_json(&ParseOutput { criteria: criteria.iter().map(parsed).collect() })?;
    } else {
        print!("{}", render_criteria(&criteria));
    }
    Ok(ExitCode::SUCCESS)
}

fn parsed(c: &Criterion) -> ParsedCriterion<'_> {
    ParsedCriterion {
        section: c.section,
        start: c.start,
        end: c.end,
        text: &c.text,
        kind: c.kind(),
        negated: c.negated,
        computable: c.computable.first(),
        alternatives: if c.computable.len() > 1 { &c.computable } else { &[] },
        entities: &c.entities,
    }
}

fn eval_brat(dir: &std::path::Path, json: bool) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let evaluation = eligo_criteria::brat::evaluate_dir(dir)?;
    if json {
        print_json(&evaluation)?;
    } else {
        print!("{evaluation}");
        println!("{:.2} s", started.elapsed().as_secs_f64());
    }
    Ok(if evaluation.documents == 0 || !evaluation.errors.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}
