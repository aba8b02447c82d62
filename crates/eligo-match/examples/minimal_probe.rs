//! The minimal-patient probe: for every trial of a corpus, the patient the trial is for — only its
//! first listed condition, an age in the middle of its age range (the registry's limits and the
//! engine's own age readings; 18–60 where there are none) and a sex it admits — screened
//! against it. With nothing else known the verdict should be `possible` or `eligible`; every
//! `ineligible` is a false exclusion, and the criteria that decided it show why.
//!
//! ```sh
//! cargo run --release -p eligo-match --example minimal_probe -- ../shared/data/criteria-corpus/trials.jsonl \
//!     [--form profile|note] [--sample 40] [--seed 7]
//! ```
//!
//! Prints the share called ineligible, the decisive readings grouped by kind, and a seeded sample
//! of decisive criteria with their reasons. Two threads.

use std::io::BufRead;

use chrono::NaiveDate;
use eligo_ctgov::Origin;
use eligo_match::{PreparedPatient, PreparedTrial, Verdict};
use eligo_model::{Computable, Criterion, Duration, Patient, Section, Sex, SourceKind, Trial};

const AS_OF: &str = "2026-11-23";

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Profile,
    Note,
}

struct Args {
    path: String,
    form: Form,
    sample: usize,
    seed: u64,
}

fn parse_args() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let mut out = Args { path: String::new(), form: Form::Profile, sample: 40, seed: 7 };
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--form" => {
                out.form = match value()?.as_str() {
                    "profile" => Form::Profile,
                    "note" => Form::Note,
                    other => return Err(format!("--form {other}: expected profile or note")),
                }
            }
            "--sample" => out.sample = value()?.parse().map_err(|e| format!("--sample: {e}"))?,
            "--seed" => out.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            path => out.path = path.to_string(),
        }
    }
    if out.path.is_empty() {
        return Err("usage: minimal_probe TRIALS.jsonl [--form profile|note] [--sample N] [--seed S]".into());
    }
    Ok(out)
}

/// The middle of the ages the trial admits: the registry limits and every age-only criterion of
/// the text (an inclusion must hold, an exclusion must not), over a half-year grid; 18–60 when
/// nothing limits the age, the registry's range when the text contradicts itself.
fn middle_age(trial: &Trial, prepared: &PreparedTrial) -> f64 {
    let years = |d: Option<Duration>| d.map(|d| d.as_years());
    let (min, max) = (years(trial.eligibility.minimum_age), years(trial.eligibility.maximum_age));
    let in_range =
        |age: f64, lo: Option<f64>, hi: Option<f64>| lo.is_none_or(|l| age >= l) && hi.is_none_or(|h| age <= h);
    let age_rules: Vec<&Criterion> = prepared
        .criteria
        .iter()
        .filter(|c| c.start != usize::MAX && !c.computable.is_empty())
        .filter(|c| c.computable.iter().all(|r| matches!(r, Computable::Age { .. })))
        .filter(|c| {
            !prepared.criteria.iter().any(|o| o.start == c.start && !matches!(o.kind(), "age" | "sex" | "pregnancy"))
        })
        .collect();
    let admits = |age: f64| {
        age_rules.iter().all(|c| {
            let holds = c.computable.iter().any(|r| match r {
                Computable::Age { min, max } => in_range(age, years(*min), years(*max)),
                _ => false,
            }) != c.negated;
            if c.section == Section::Exclusion {
                !holds
            } else {
                holds
            }
        })
    };
    let grid: Vec<f64> = (0..=200).map(|h| h as f64 / 2.0).filter(|&a| in_range(a, min, max)).collect();
    let feasible: Vec<f64> = grid.iter().copied().filter(|&a| admits(a)).collect();
    let pick = |ages: &[f64]| ages.get(ages.len() / 2).copied();
    if min.is_none() && max.is_none() && age_rules.is_empty() {
        return 39.0;
    }
    pick(&feasible).or_else(|| pick(&grid)).unwrap_or(39.0).floor()
}

/// A sex the trial admits: the registry's, else one the text requires, else alternating.
fn admitted_sex(trial: &Trial, prepared: &PreparedTrial, index: usize) -> bool {
    let text_sex = prepared
        .criteria
        .iter()
        .filter(|c| c.start != usize::MAX && c.section != Section::Exclusion && !c.text.trim_end().ends_with(':'))
        .flat_map(|c| &c.computable)
        .find_map(|r| match r {
            Computable::Sex { sex: Sex::Female } => Some(true),
            Computable::Sex { sex: Sex::Male } => Some(false),
            _ => None,
        });
    match trial.eligibility.sex.clone() {
        Some(Sex::Female) => true,
        Some(Sex::Male) => false,
        Some(_) => index.is_multiple_of(2),
        None => text_sex.unwrap_or(index.is_multiple_of(2)),
    }
}

/// The patient the trial is for, as a profile or a one-sentence note.
fn minimal_patient(trial: &Trial, prepared: &PreparedTrial, index: usize, form: Form) -> Option<Patient> {
    let condition = trial.conditions.first()?.trim();
    let age = middle_age(trial, prepared);
    let female = admitted_sex(trial, prepared, index);
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").ok()?;
    let parsed = match form {
        Form::Profile => {
            let profile = serde_json::json!({
                "age": age,
                "sex": if female { "female" } else { "male" },
                "conditions": [condition],
            });
            eligo_patient::profile::read_profile(&profile.to_string()).ok()?
        }
        Form::Note => {
            let (person, years) = match (female, age < 18.0) {
                (true, false) => ("woman", format!("{age:.0}-year-old")),
                (false, false) => ("man", format!("{age:.0}-year-old")),
                (true, true) => ("girl", format!("{age:.0}-year-old")),
                (false, true) => ("boy", format!("{age:.0}-year-old")),
            };
            let article =
                if years.starts_with('8') || years.starts_with("11-") || years.starts_with("18-") { "An" } else { "A" };
            eligo_patient::note::read_note(&format!("{article} {years} {person} with {condition}."), as_of)
        }
    };
    Some(parsed.patient)
}

struct Outcome {
    trial_id: String,
    condition: String,
    verdict: Verdict,
    /// The deciding criteria: (kind of reading, basis, criterion text, reason).
    decisive: Vec<(String, String, String, String)>,
}

fn probe(trial: &Trial, index: usize, form: Form) -> Option<Outcome> {
    let prepared = PreparedTrial::new(trial);
    let patient = minimal_patient(trial, &prepared, index, form)?;
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").ok()?;
    let screening = prepared.screen(&PreparedPatient::new(&patient), as_of);
    let decisive = screening
        .exclusions()
        .map(|r| {
            let kind = prepared
                .criteria
                .iter()
                .find(|c| r.span == Some((c.start, c.end)))
                .map_or("registry", |c| c.kind())
                .to_string();
            let basis =
                serde_json::to_value(r.basis).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            (kind, basis, r.text.clone(), r.finding.reason.clone())
        })
        .collect();
    Some(Outcome {
        trial_id: trial.id.clone(),
        condition: trial.conditions.first().cloned().unwrap_or_default(),
        verdict: screening.verdict,
        decisive,
    })
}

fn read_trials(path: &str) -> Result<Vec<Trial>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let origin = Origin::new(path, SourceKind::CtgovJson);
    let mut trials = Vec::new();
    for (n, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        match eligo_ctgov::json::study_from_str(&line, &origin) {
            Ok((trial, _)) => trials.push(trial),
            Err(reason) => eprintln!("{path}:{}: {reason}", n + 1),
        }
    }
    Ok(trials)
}

/// A small deterministic generator for the sample (no dependency for one shuffle).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    for i in (1..items.len()).rev() {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let j = ((state >> 33) % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}

fn main() -> std::process::ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let trials = match read_trials(&args.path) {
        Ok(trials) => trials,
        Err(message) => {
            eprintln!("{message}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let half = trials.len().div_ceil(2);
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let workers: Vec<_> = trials
            .chunks(half.max(1))
            .enumerate()
            .map(|(chunk, part)| {
                scope.spawn(move || {
                    part.iter()
                        .enumerate()
                        .filter_map(|(i, t)| probe(t, chunk * half + i, args.form))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().flat_map(|w| w.join().unwrap_or_default()).collect()
    });
    report(outcomes, &args);
    std::process::ExitCode::SUCCESS
}

fn report(outcomes: Vec<Outcome>, args: &Args) {
    let total = outcomes.len();
    let mut ineligible: Vec<&Outcome> = outcomes.iter().filter(|o| o.verdict == Verdict::Ineligible).collect();
    let eligible = outcomes.iter().filter(|o| o.verdict == Verdict::Eligible).count();
    let form = if args.form == Form::Note { "note" } else { "profile" };
    println!(
        "minimal-patient probe ({form}): {} of {total} trials call their own patient ineligible ({:.1} %); {} eligible, {} possible",
        ineligible.len(),
        100.0 * ineligible.len() as f64 / total.max(1) as f64,
        eligible,
        total - eligible - ineligible.len()
    );
    let mut by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for outcome in &ineligible {
        for (kind, basis, _, _) in &outcome.decisive {
            *by_kind.entry(format!("{kind} ({basis})")).or_default() += 1;
        }
    }
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    println!(
        "decisive readings by kind: {}",
        kinds.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
    );
    shuffle(&mut ineligible, args.seed);
    for outcome in ineligible.iter().take(args.sample) {
        println!("- {} [{}]", outcome.trial_id, outcome.condition);
        for (kind, _, text, reason) in &outcome.decisive {
            let text: String = text.chars().take(160).collect();
            println!("    {kind}: {text}\n        -> {reason}");
        }
    }
}
