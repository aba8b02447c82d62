//! `eligo rank --patients FILE.jsonl --pairs FILE.tsv`: screen a given shortlist of patient–trial
//! pairs and print `patient<TAB>trial<TAB>score<TAB>verdict`, one row per pair in input order.
//!
//! This is a coordinator's shortlist and how the benchmarks run: each patient's pairs form its pool
//! (BM25 statistics come from the pool), trials come from the store, and each trial's criteria are
//! read once however many patients it is paired with.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use eligo_match::relevance::{tokenize, DocTerms};
use eligo_match::{patient_query, rank_pool, trial_text, Bm25, PreparedPatient, PreparedTrial};
use eligo_model::{Patient, Trial};
use eligo_store::TrialStore;
use serde::Deserialize;

use crate::commands::patient::{as_of_or_today, read_input};
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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PatientLine {
    id: serde_json::Value,
    note: Option<String>,
    profile: Option<serde_json::Value>,
    fhir: Option<serde_json::Value>,
}

/// A patient of the JSONL file: the facts, and the note text when the patient came as a note.
struct RankPatient {
    patient: Patient,
    note: Option<String>,
}

pub fn run(ctx: &Context, args: Args) -> anyhow::Result<ExitCode> {
    let as_of = as_of_or_today(args.as_of);
    let mut failed = false;
    let patients = read_patients(&args.patients, as_of, &mut failed)?;
    let pairs = read_pairs(&args.pairs, &mut failed)?;
    let store = ctx.open_store()?;
    let mut trials: HashMap<String, Trial> = HashMap::new();
    for (_, trial_id) in &pairs {
        if trials.contains_key(trial_id) {
            continue;
        }
        match store.get_trial(trial_id)? {
            Some(trial) => {
                trials.insert(trial_id.clone(), trial);
            }
            None => {
                eprintln!("{}: trial {trial_id} is not in the store", args.pairs.display());
                failed = true;
            }
        }
    }
    let prepared: HashMap<&str, (PreparedTrial, DocTerms)> =
        trials.iter().map(|(id, t)| (id.as_str(), (PreparedTrial::new(t), DocTerms::new(&trial_text(t))))).collect();
    let scores = score_pairs(&pairs, &patients, &prepared, as_of, args.scorer, &mut failed);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for ((patient_id, trial_id), row) in pairs.iter().zip(scores) {
        if let Some((score, verdict)) = row {
            writeln!(out, "{patient_id}\t{trial_id}\t{score:.6}\t{verdict}")?;
        }
    }
    out.flush()?;
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Scores every pair, grouped by patient so each patient's pairs form one pool.
fn score_pairs(
    pairs: &[(String, String)],
    patients: &HashMap<String, RankPatient>,
    prepared: &HashMap<&str, (PreparedTrial, DocTerms)>,
    as_of: NaiveDate,
    scorer: Scorer,
    failed: &mut bool,
) -> Vec<Option<(f64, String)>> {
    let mut by_patient: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (patient_id, _)) in pairs.iter().enumerate() {
        by_patient.entry(patient_id.as_str()).or_default().push(i);
    }
    let mut scores = vec![None; pairs.len()];
    let mut group_ids: Vec<&&str> = by_patient.keys().collect();
    group_ids.sort();
    for patient_id in group_ids {
        let Some(input) = patients.get(*patient_id) else {
            eprintln!("pairs: patient {patient_id} is not in the patients file");
            *failed = true;
            continue;
        };
        let rows: Vec<usize> =
            by_patient[*patient_id].iter().copied().filter(|&i| prepared.contains_key(pairs[i].1.as_str())).collect();
        let pool: Vec<&(PreparedTrial, DocTerms)> = rows.iter().map(|&i| &prepared[pairs[i].1.as_str()]).collect();
        let bm25 = Bm25::from_docs(pool.iter().map(|(_, terms)| terms));
        if scorer == Scorer::Bm25 {
            // The baseline: the note's words as they are (a profile's fact names otherwise).
            let plain = input.note.as_deref().map(tokenize).unwrap_or_else(|| patient_query(&input.patient, None));
            for (score, &row) in bm25.scores(&plain).into_iter().zip(&rows) {
                scores[row] = Some((score, "-".to_string()));
            }
            continue;
        }
        let query = patient_query(&input.patient, input.note.as_deref());
        // Only the score and verdict are printed: no reasons, evidence or questions.
        let prepared_patient = PreparedPatient::verdicts_only(&input.patient);
        let pool_trials: Vec<&PreparedTrial> = pool.iter().map(|(t, _)| t).collect();
        let ranked = rank_pool(&pool_trials, &bm25, &query, &prepared_patient, as_of);
        let by_trial: HashMap<&str, (f64, String)> =
            ranked.iter().map(|r| (r.trial_id.as_str(), (r.score, verdict_name(r.verdict)))).collect();
        for &row in &rows {
            scores[row] = by_trial.get(pairs[row].1.as_str()).cloned();
        }
    }
    scores
}

fn verdict_name(verdict: eligo_match::Verdict) -> String {
    serde_json::to_value(verdict).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn read_patients(path: &Path, as_of: NaiveDate, failed: &mut bool) -> anyhow::Result<HashMap<String, RankPatient>> {
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

fn read_patient_line(
    line: &str,
    as_of: NaiveDate,
) -> anyhow::Result<(String, RankPatient, Vec<eligo_patient::Rejected>)> {
    let input: PatientLine = serde_json::from_str(line).context("not a patient line")?;
    let id = match input.id {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    };
    let (parsed, note) = match (input.note, input.profile, input.fhir) {
        (Some(note), None, None) => (eligo_patient::note::read_note(&note, as_of), Some(note)),
        (None, Some(profile), None) => (eligo_patient::profile::read_profile(&profile.to_string())?, None),
        (None, None, Some(fhir)) => (eligo_patient::fhir::read_bundle(&fhir.to_string())?, None),
        _ => anyhow::bail!("patient {id}: expected exactly one of note, profile, fhir"),
    };
    let mut patient = parsed.patient;
    patient.id = Some(id.clone());
    Ok((id, RankPatient { patient, note }, parsed.rejected))
}

fn read_pairs(path: &Path, failed: &mut bool) -> anyhow::Result<Vec<(String, String)>> {
    let text = read_input(path)?;
    let mut pairs = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut fields = line.split('\t').map(str::trim);
        match (fields.next(), fields.next()) {
            (Some("patient"), Some("trial")) if n == 0 => {}
            (Some(patient), Some(trial)) if !patient.is_empty() && !trial.is_empty() => {
                pairs.push((patient.to_string(), trial.to_string()));
            }
            _ => {
                eprintln!("{}:{}: expected patient<TAB>trial", path.display(), n + 1);
                *failed = true;
            }
        }
    }
    Ok(pairs)
}
