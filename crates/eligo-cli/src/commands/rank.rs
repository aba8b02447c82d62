//! `eligo rank --patients FILE.jsonl --pairs FILE.tsv [--explain]`: screen a given shortlist of
//! patient–trial pairs and print `patient<TAB>trial<TAB>score<TAB>verdict`, one row per pair in
//! input order; with `--explain`, one JSON object per pair instead, with every criterion's result
//! (the objects `eligo match --json` prints).
//!
//! This is a coordinator's shortlist and how the benchmarks run. The screening is
//! `eligo_match::Matcher::rank_pairs`, the matcher every surface uses: each patient's pairs form
//! its pool (BM25 statistics come from the pool), and each trial is read and prepared once
//! however many patients it is paired with. A pair naming a patient or trial that does not exist
//! is reported with its line number; the other pairs are still screened, and the exit code is 1.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use eligo_match::relevance::tokenize;
use eligo_match::{patient_query, Bm25, MatchSettings, Matcher, PairResult, PatientCase, Ranked, TrialCache};
use serde::Serialize;

use crate::commands::patient::{as_of_or_today, read_input, read_patient_line};
use crate::context::Context;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Scorer {
    /// Relevance combined with the eligibility verdict.
    Eligo,
    /// BM25 relevance alone (the benchmark baseline; the verdict column is `-`).
    Bm25,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    /// JSON Lines: `{"id":..,"note":".."}`, `{"id":..,"profile":{..}}` or `{"id":..,"fhir":{..}}`.
    #[arg(long)]
    patients: PathBuf,
    /// TSV rows `patient<TAB>trial` (a header line is allowed; further columns are ignored).
    #[arg(long)]
    pairs: PathBuf,
    /// Evaluation date for ages and time windows (default: today).
    #[arg(long)]
    as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value = "eligo")]
    scorer: Scorer,
    /// JSON Lines, one object per pair: patient, trial, score, verdict and every criterion's
    /// result with its reason, evidence and question (slower: every pair is explained).
    #[arg(long, conflicts_with = "scorer")]
    explain: bool,
}

/// One pair of the pairs file.
struct Pair {
    line: usize,
    patient: String,
    trial: String,
}

/// One line of `--explain`.
#[derive(Serialize)]
struct ExplainedPair<'a> {
    patient: &'a str,
    trial: &'a str,
    score: f64,
    verdict: eligo_match::Verdict,
    criteria: &'a [eligo_match::CriterionResult],
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let as_of = as_of_or_today(args.as_of);
    let mut failed = false;
    let patients = read_patients(&args.patients, as_of, &mut failed)?;
    let pairs = read_pairs(&args.pairs, &mut failed)?;
    let store = ctx.open_store()?;
    let ids: Vec<(String, String)> = pairs.iter().map(|p| (p.patient.clone(), p.trial.clone())).collect();
    let distinct: std::collections::HashSet<&str> = pairs.iter().map(|p| p.trial.as_str()).collect();
    let cache = TrialCache::new(distinct.len());
    let matcher = Matcher::new(&*store, &cache);
    let settings = MatchSettings { explain: args.explain, threads: 1, ..MatchSettings::new(as_of) };
    let results = match args.scorer {
        Scorer::Eligo => matcher.rank_pairs(&ids, &patients, &settings)?,
        Scorer::Bm25 => bm25_pairs(&matcher, &ids, &patients)?,
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for (pair, result) in pairs.iter().zip(&results) {
        let ranked = match result {
            PairResult::Ranked(ranked) => ranked,
            PairResult::UnknownPatient | PairResult::UnknownTrial => {
                let what = match result {
                    PairResult::UnknownPatient => {
                        format!("patient {} is not in {}", pair.patient, args.patients.display())
                    }
                    _ => format!("trial {} is not in the store", pair.trial),
                };
                eprintln!("{}:{}: {what}", args.pairs.display(), pair.line);
                failed = true;
                continue;
            }
        };
        write_pair(&mut out, pair, ranked, args.explain, args.scorer)?;
    }
    out.flush()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// One pair: a TSV row, or with `explain` a JSON line.
fn write_pair(out: &mut impl Write, pair: &Pair, ranked: &Ranked, explain: bool, scorer: Scorer) -> anyhow::Result<()> {
    if explain {
        let line = ExplainedPair {
            patient: &pair.patient,
            trial: &pair.trial,
            score: ranked.score,
            verdict: ranked.verdict,
            criteria: &ranked.screening.results,
        };
        serde_json::to_writer(&mut *out, &line)?;
        writeln!(out)?;
        return Ok(());
    }
    let verdict = match scorer {
        Scorer::Bm25 => "-".to_string(),
        Scorer::Eligo => serde_json::to_value(ranked.verdict)?.as_str().unwrap_or_default().to_string(),
    };
    writeln!(out, "{}\t{}\t{:.6}\t{verdict}", pair.patient, pair.trial, ranked.score)?;
    Ok(())
}

/// The benchmark baseline: each patient's pool scored by BM25 alone over the note's words as they
/// are (a profile's fact names otherwise), with the trials the matcher reads.
fn bm25_pairs(
    matcher: &Matcher,
    pairs: &[(String, String)],
    patients: &HashMap<String, PatientCase>,
) -> anyhow::Result<Vec<PairResult>> {
    let ids: Vec<String> = pairs.iter().map(|(_, trial)| trial.clone()).collect();
    let (trials, _) = matcher.trials(&ids, 1)?;
    let by_id: HashMap<&str, &eligo_match::CachedTrial> =
        trials.iter().map(|t| (t.prepared.trial.id.as_str(), t.as_ref())).collect();
    let mut by_patient: HashMap<&str, Vec<usize>> = HashMap::new();
    for (row, (patient, trial)) in pairs.iter().enumerate() {
        if by_id.contains_key(trial.as_str()) {
            by_patient.entry(patient.as_str()).or_default().push(row);
        }
    }
    let mut results: Vec<PairResult> = (0..pairs.len()).map(|_| PairResult::UnknownTrial).collect();
    for (patient_id, rows) in by_patient {
        let Some(case) = patients.get(patient_id) else {
            rows.iter().for_each(|&row| results[row] = PairResult::UnknownPatient);
            continue;
        };
        let bm25 = Bm25::from_docs(rows.iter().map(|&row| &by_id[pairs[row].1.as_str()].terms));
        let plain = case.note.as_deref().map(tokenize).unwrap_or_else(|| patient_query(&case.patient, None));
        for (score, &row) in bm25.scores(&plain).into_iter().zip(&rows) {
            let trial = by_id[pairs[row].1.as_str()];
            let screening = eligo_match::Screening { verdict: eligo_match::Verdict::Possible, results: Vec::new() };
            let ranked = Ranked {
                trial_id: trial.prepared.trial.id.clone(),
                score,
                relevance: score,
                verdict: screening.verdict,
                screening,
            };
            results[row] = PairResult::Ranked(std::sync::Arc::new(ranked));
        }
    }
    Ok(results)
}

fn read_patients(path: &Path, as_of: NaiveDate, failed: &mut bool) -> anyhow::Result<HashMap<String, PatientCase>> {
    let text = read_input(path)?;
    let mut patients = HashMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let location = format!("{}:{}", path.display(), n + 1);
        match read_patient_line(line, as_of) {
            Ok((id, patient, rejected)) => {
                for r in rejected {
                    eprintln!("{location}: {}: {}", r.location, r.reason);
                }
                patients.insert(id, patient);
            }
            Err(reason) => {
                eprintln!("{location}: {reason:#}");
                *failed = true;
            }
        }
    }
    Ok(patients)
}

fn read_pairs(path: &Path, failed: &mut bool) -> anyhow::Result<Vec<Pair>> {
    let text = read_input(path)?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut fields = line.split('\t').map(str::trim);
        match (fields.next(), fields.next()) {
            (Some("patient"), Some("trial")) if n == 0 => {}
            (Some(patient), Some(trial)) if !patient.is_empty() && !trial.is_empty() => {
                pairs.push(Pair { line: n + 1, patient: patient.to_string(), trial: trial.to_string() });
            }
            _ => {
                eprintln!("{}:{}: expected patient<TAB>trial", path.display(), n + 1);
                *failed = true;
            }
        }
    }
    Ok(pairs)
}
