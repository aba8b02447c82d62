//! `eligo match (--patient FILE | --note FILE|-) [--trial ID ...]`: the trials a patient is likely
//! eligible for, ranked, each with its verdict and per-criterion results. Also the patient
//! selection that `eligo questions` shares.
//!
//! Everything between reading the patient and printing the outcome is `eligo_match::Matcher`,
//! the same one the server runs: candidates from the search index (brought up to date with the
//! store first) or the `--trial`s chosen, screened, ranked, the shown ones explained. This file
//! only turns arguments into a `PatientCase` and `MatchSettings`, and the outcome into text or
//! JSON. The text output always says something: the trials, or why there are none.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_match::{
    Answers, MatchOutcome, MatchSettings, Matcher, PatientCase, SuggestedDiagnosis, TrialCache, DEFAULT_CANDIDATES,
    PHENOTYPE_ATTRIBUTION,
};
use eligo_search::SearchIndex;
use eligo_store::SharedStore;

use crate::commands::patient::{as_of_or_today, load_patient, read_input};
use crate::context::{print_json, Context};

/// Where the patient comes from and which trials to consider (shared with `questions`).
#[derive(Debug, clap::Args)]
pub struct PatientSelection {
    /// A patient profile (JSON) or FHIR R4 Bundle.
    #[arg(long, conflicts_with = "note", required_unless_present = "note")]
    patient: Option<PathBuf>,
    /// A free-text clinical note (`-` for stdin).
    #[arg(long)]
    note: Option<PathBuf>,
    /// Screen these trials (any of their ids; repeatable) instead of searching for candidates.
    #[arg(long = "trial", value_name = "ID")]
    trials: Vec<String>,
    /// Only trials open to recruitment.
    #[arg(long)]
    recruiting: bool,
    /// Only trials with a site within this many km of the patient's location.
    #[arg(long)]
    within_km: Option<f64>,
    /// Evaluation date for ages and time windows (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    /// Answers to `eligo questions`, merged into the patient: a JSON object from question key to
    /// answer (`"yes"`/`"no"`, a number, `"female"`/`"male"`).
    #[arg(long)]
    answers: Option<PathBuf>,
}

impl PatientSelection {
    /// The patient case (rejected items and bad answers reported on stderr) and the settings.
    fn read(&self, limit: usize, explain: bool) -> anyhow::Result<(PatientCase, MatchSettings)> {
        let as_of = as_of_or_today(self.as_of);
        let (patient, note) = match (&self.patient, &self.note) {
            (Some(path), _) => (load_patient(path, as_of)?.patient, None),
            (None, Some(path)) => {
                let text = read_input(path)?;
                let parsed = eligo_patient::note::read_note(&text, as_of);
                for rejected in &parsed.rejected {
                    eprintln!("{}: {}: {}", path.display(), rejected.location, rejected.reason);
                }
                (parsed.patient, Some(text))
            }
            (None, None) => anyhow::bail!("give --patient FILE or --note FILE"),
        };
        let answers = match &self.answers {
            Some(path) => serde_json::from_str::<Answers>(&read_input(path)?).with_context(|| {
                format!(
                    "{}: answers must be a JSON object from question key to a string, a number or true/false",
                    path.display()
                )
            })?,
            None => Answers::new(),
        };
        let settings = MatchSettings {
            recruiting: self.recruiting,
            within_km: self.within_km,
            limit,
            explain,
            ..MatchSettings::new(as_of)
        };
        Ok((PatientCase { patient, note, answers }, settings))
    }
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    selection: PatientSelection,
    /// How many trials to show.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    /// Benchmark: before answering, time N matches in this process with an empty trial cache
    /// and N with a warm one (p50/p99 to stderr).
    #[arg(long, default_value_t = 0, value_name = "N")]
    repeat: usize,
    #[arg(long)]
    json: bool,
}

/// The store and the search index a match reads, opened once.
struct Registry {
    store: SharedStore,
    index: SearchIndex,
}

impl Registry {
    fn open(ctx: &Context) -> anyhow::Result<Self> {
        let store = ctx.open_store()?;
        let index_dir = ctx.search_index_path();
        let index = SearchIndex::open(&index_dir).with_context(|| format!("opening {}", index_dir.display()))?;
        index.catch_up(&*store).context("bringing the search index up to date")?;
        Ok(Registry { store, index })
    }

    /// The chosen trials, or the patient's candidates, screened with `settings`; unknown chosen
    /// trials and unusable answers are reported on stderr.
    fn run(
        &self,
        cache: &TrialCache,
        selection: &PatientSelection,
        case: &PatientCase,
        settings: &MatchSettings,
    ) -> anyhow::Result<MatchOutcome> {
        let matcher = Matcher::new(&*self.store, cache).with_index(&self.index);
        let outcome = match selection.trials.is_empty() {
            true => matcher.match_patient(case, settings),
            false => matcher.screen_trials(&selection.trials, case, settings),
        }
        .context("matching the patient")?;
        Ok(outcome)
    }
}

/// Reads the patient and screens their candidates (or chosen trials), every one explained
/// (`questions` needs them all, and the patient to word the questions their record raises).
pub fn screen_candidates(ctx: &Context, selection: &PatientSelection) -> anyhow::Result<(PatientCase, MatchOutcome)> {
    let (case, settings) = selection.read(usize::MAX, true)?;
    let registry = Registry::open(ctx)?;
    let outcome = registry.run(&TrialCache::new(DEFAULT_CANDIDATES), selection, &case, &settings)?;
    report_problems(selection, &outcome);
    Ok((case, outcome))
}

/// Unknown chosen trials and answers that could not be recorded, on stderr.
fn report_problems(selection: &PatientSelection, outcome: &MatchOutcome) {
    for id in &outcome.unknown_trials {
        eprintln!("--trial {id}: no such trial in the store");
    }
    if let Some(path) = &selection.answers {
        for problem in &outcome.answer_problems {
            eprintln!("{}: {problem}", path.display());
        }
    }
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let (case, settings) = args.selection.read(args.limit, true)?;
    let registry = Registry::open(ctx)?;
    if args.repeat > 0 {
        time_repeats(&registry, &args, &case, &settings)?;
    }
    let outcome = registry.run(&TrialCache::new(DEFAULT_CANDIDATES), &args.selection, &case, &settings)?;
    report_problems(&args.selection, &outcome);
    let matched = outcome.matched();
    let failed = !outcome.unknown_trials.is_empty();
    if args.json {
        print_json(&serde_json::json!({
            "as_of": outcome.as_of,
            "candidates": outcome.pool.len(),
            "message": outcome.message,
            "unknown_trials": outcome.unknown_trials,
            "suggested_diagnoses": outcome.suggested_diagnoses,
            "results": matched,
        }))?;
    } else {
        println!("{}", outcome.message);
        print_suggested_diagnoses(&outcome.suggested_diagnoses);
        for (i, row) in matched.iter().enumerate() {
            let verdict = serde_json::to_value(row.verdict)?;
            println!(
                "{:>2}. {} {:<10} {:.3}  {}",
                i + 1,
                row.trial_id,
                verdict.as_str().unwrap_or(""),
                row.score,
                row.title
            );
            for exclusion in &row.exclusions {
                println!("      excluded by: {exclusion}");
            }
            for question in row.open_questions.iter().take(3) {
                println!("      open: {question}");
            }
        }
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The diagnoses the note's findings suggest, as hypotheses with their findings and the
/// ontology's attribution (its licence asks for it wherever its content is shown).
fn print_suggested_diagnoses(suggested: &[SuggestedDiagnosis]) {
    if suggested.is_empty() {
        return;
    }
    println!("The findings suggest (hypotheses to check, not diagnoses; also searched and screened as suspected):");
    for diagnosis in suggested {
        println!("    {}: {}", diagnosis.label(), diagnosis.findings.join(", "));
    }
    println!("    {PHENOTYPE_ATTRIBUTION}");
}

/// `--repeat N`: the latency of one match in a long-running process, where the store, the index
/// and the vocabulary are loaded once. N matches with an empty trial cache (every candidate read
/// and prepared) and N with a warm one; p50 and p99 to stderr.
fn time_repeats(registry: &Registry, args: &Args, case: &PatientCase, settings: &MatchSettings) -> anyhow::Result<()> {
    let time = |cache: &TrialCache| -> anyhow::Result<f64> {
        let started = Instant::now();
        registry.run(cache, &args.selection, case, settings)?;
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    let cold =
        (0..args.repeat).map(|_| time(&TrialCache::new(DEFAULT_CANDIDATES))).collect::<anyhow::Result<Vec<f64>>>()?;
    let warm_cache = TrialCache::new(DEFAULT_CANDIDATES);
    time(&warm_cache)?;
    let warm = (0..args.repeat).map(|_| time(&warm_cache)).collect::<anyhow::Result<Vec<f64>>>()?;
    for (name, mut times) in [("empty cache", cold), ("warm cache", warm)] {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
        eprintln!("match, {name}: p50 {:.1} ms, p99 {:.1} ms over {} runs", at(0.5), at(0.99), times.len());
    }
    Ok(())
}
