//! `eligo match (--patient FILE | --note FILE|-)`: the trials a patient is likely eligible for,
//! ranked, each with its verdict and per-criterion results. Also the candidate screening that
//! `eligo questions` shares.
//!
//! Candidates come from the search index (brought up to date with the store first): the patient's
//! conditions as the query, the patient's age and sex and the `--recruiting` / `--within-km`
//! filters applied there, at most 1,000 ids (`eligo_match::candidates`). Those are then screened
//! for their verdicts (every criterion, without the prose) and ranked; the trials shown are
//! screened again with their reasons, evidence and questions.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_match::{
    apply_answer_map, candidate_request, patient_query, pool_asks, rank_explained, retrieve, Answers, Bm25,
    CachedTrial, PreparedPatient, PreparedTrial, Ranked, TrialCache, Verdict,
};
use eligo_model::Patient;
use eligo_search::{SearchIndex, SearchRequest};
use eligo_store::SqliteStore;
use serde::Serialize;

use crate::commands::patient::{as_of_or_today, load_patient, read_input};
use crate::context::{print_json, Context};

/// How many retrieved trials are screened in full.
const CANDIDATES: usize = 1_000;

/// Where the patient comes from and which trials to consider (shared with `questions`).
#[derive(Debug, clap::Args)]
pub struct PatientSelection {
    /// A patient profile (JSON) or FHIR R4 Bundle.
    #[arg(long, conflicts_with = "note", required_unless_present = "note")]
    patient: Option<PathBuf>,
    /// A free-text clinical note (`-` for stdin).
    #[arg(long)]
    note: Option<PathBuf>,
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

/// The screened candidates of one patient, best first.
pub struct Screened {
    pub as_of: NaiveDate,
    pub trials: Vec<Arc<CachedTrial>>,
    pub ranked: Vec<Ranked>,
}

/// A patient as read from the selection, and the note text when it came as one.
struct SelectedPatient {
    patient: Patient,
    note: Option<String>,
    as_of: NaiveDate,
}

fn read_selection(selection: &PatientSelection) -> anyhow::Result<SelectedPatient> {
    let as_of = as_of_or_today(selection.as_of);
    let (patient, note) = match (&selection.patient, &selection.note) {
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
    Ok(SelectedPatient { patient, note, as_of })
}

/// The store and the search index a match reads, opened once.
struct Registry {
    store: SqliteStore,
    index: SearchIndex,
}

impl Registry {
    fn open(ctx: &Context) -> anyhow::Result<Self> {
        let store = ctx.open_store()?;
        let index_dir = ctx.data_dir.join("search-index");
        let index = SearchIndex::open(&index_dir).with_context(|| format!("opening {}", index_dir.display()))?;
        index.catch_up(&store).context("bringing the search index up to date")?;
        Ok(Registry { store, index })
    }
}

/// Reads the patient, retrieves candidates and screens them; every candidate is explained
/// (`questions` needs them all).
pub fn screen_candidates(ctx: &Context, selection: &PatientSelection) -> anyhow::Result<Screened> {
    let selected = read_selection(selection)?;
    let registry = Registry::open(ctx)?;
    screen(&registry, &TrialCache::new(CANDIDATES), &selected, selection, usize::MAX)
}

/// Retrieves and screens the candidates of one patient; the best `explained` carry their
/// criterion-by-criterion explanation, the others their verdict and score.
fn screen(
    registry: &Registry,
    cache: &TrialCache,
    selected: &SelectedPatient,
    selection: &PatientSelection,
    explained: usize,
) -> anyhow::Result<Screened> {
    let as_of = selected.as_of;
    let request = candidate_search(&selected.patient, selection, as_of)?;
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let trials = retrieve(&registry.index, &registry.store, cache, &request, threads)?;
    let mut patient = selected.patient.clone();
    if let Some(path) = &selection.answers {
        merge_answers(path, &mut patient, &trials, as_of)?;
    }
    let bm25 = Bm25::from_docs(trials.iter().map(|t| &t.terms));
    let query = patient_query(&patient, selected.note.as_deref());
    let prepared: Vec<&PreparedTrial> = trials.iter().map(|t| &t.prepared).collect();
    let ranked = rank_explained(&prepared, &bm25, &query, &patient, as_of, explained);
    Ok(Screened { as_of, trials, ranked })
}

/// Records the answers in `path` as patient facts. Each answer must be to a question some
/// candidate trial leaves open; answers that cannot be read are reported and skipped.
fn merge_answers(
    path: &Path,
    patient: &mut Patient,
    trials: &[Arc<CachedTrial>],
    as_of: NaiveDate,
) -> anyhow::Result<()> {
    let text = read_input(path)?;
    let answers: Answers = serde_json::from_str(&text).with_context(|| {
        format!(
            "{}: answers must be a JSON object from question key to a string, a number or true/false",
            path.display()
        )
    })?;
    let asks = pool_asks(trials.iter().map(|t| &t.prepared), &PreparedPatient::new(patient), as_of);
    for problem in apply_answer_map(patient, &asks, &answers, as_of) {
        eprintln!("{}: {problem}", path.display());
    }
    Ok(())
}

/// The search for the patient's candidates, with the selection's filters.
fn candidate_search(
    patient: &Patient,
    selection: &PatientSelection,
    as_of: NaiveDate,
) -> anyhow::Result<SearchRequest> {
    let mut request = candidate_request(patient, as_of, CANDIDATES)?;
    if selection.recruiting {
        request.statuses = vec!["recruiting".into()];
    }
    if let Some(km) = selection.within_km {
        let location =
            patient.location.as_ref().context("--within-km needs the patient's location (profile \"location\")")?;
        request.near = Some(location.value);
        request.radius_km = Some(km);
    }
    Ok(request)
}

/// One trial in `eligo match --json`.
#[derive(Serialize)]
struct MatchRow<'a> {
    trial_id: &'a str,
    title: &'a str,
    verdict: Verdict,
    score: f64,
    relevance: f64,
    /// The criteria that exclude the patient (empty unless ineligible).
    exclusions: Vec<&'a str>,
    /// Questions that would settle the open criteria.
    open_questions: Vec<&'a str>,
    criteria: &'a [eligo_match::CriterionResult],
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let selected = read_selection(&args.selection)?;
    let registry = Registry::open(ctx)?;
    if args.repeat > 0 {
        time_repeats(&registry, &selected, &args)?;
    }
    let screened = screen(&registry, &TrialCache::new(CANDIDATES), &selected, &args.selection, args.limit)?;
    let titles: std::collections::HashMap<&str, &str> =
        screened.trials.iter().map(|t| (t.prepared.trial.id.as_str(), t.prepared.trial.title())).collect();
    let rows: Vec<MatchRow> = screened
        .ranked
        .iter()
        .take(args.limit)
        .map(|r| MatchRow {
            trial_id: &r.trial_id,
            title: titles.get(r.trial_id.as_str()).copied().unwrap_or_default(),
            verdict: r.verdict,
            score: r.score,
            relevance: r.relevance,
            exclusions: r.screening.exclusions().map(|c| c.text.as_str()).collect(),
            open_questions: r.screening.questions().into_iter().map(|q| q.text.as_str()).collect(),
            criteria: &r.screening.results,
        })
        .collect();
    if args.json {
        print_json(
            &serde_json::json!({ "as_of": screened.as_of, "candidates": screened.ranked.len(), "results": rows }),
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    for (i, row) in rows.iter().enumerate() {
        println!(
            "{:>2}. {} {:<10} {:.3}  {}",
            i + 1,
            row.trial_id,
            format!("{:?}", row.verdict).to_lowercase(),
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
    Ok(ExitCode::SUCCESS)
}

/// `--repeat N`: the latency of one match in a long-running process, where the store, the index
/// and the vocabulary are loaded once. N matches with an empty trial cache (every candidate read
/// and prepared) and N with a warm one; p50 and p99 to stderr.
fn time_repeats(registry: &Registry, selected: &SelectedPatient, args: &Args) -> anyhow::Result<()> {
    let time = |cache: &TrialCache| -> anyhow::Result<f64> {
        let started = Instant::now();
        screen(registry, cache, selected, &args.selection, args.limit)?;
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    };
    let cold = (0..args.repeat).map(|_| time(&TrialCache::new(CANDIDATES))).collect::<anyhow::Result<Vec<f64>>>()?;
    let warm_cache = TrialCache::new(CANDIDATES);
    time(&warm_cache)?;
    let warm = (0..args.repeat).map(|_| time(&warm_cache)).collect::<anyhow::Result<Vec<f64>>>()?;
    for (name, mut times) in [("empty cache", cold), ("warm cache", warm)] {
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).clamp(1, times.len()) - 1];
        eprintln!("match, {name}: p50 {:.1} ms, p99 {:.1} ms over {} runs", at(0.5), at(0.99), times.len());
    }
    Ok(())
}
