//! How many questions a person answers before their top-10 verdicts stop changing, asked one
//! short step at a time ([`eligo_match::next_step`], as the check pages ask), against the form
//! that asks every question at once.
//!
//! Each patient of a qrels set is a simulated respondent: their note is parsed into facts, their
//! ten best-ranked judged trials are what they check, and they answer each question from their
//! facts (a question their record does not settle is "not sure"). Steps go on until a step changes
//! none of the ten verdicts, or nothing left can change one.
//!
//! ```sh
//! cargo run --release -p eligo-match --example question_steps -- ../shared/data/trec2022-subset
//! cargo run --release -p eligo-match --example question_steps -- ../shared/data/birco-dev
//! ```

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use chrono::NaiveDate;
use eligo_ctgov::Origin;
use eligo_match::{
    answered_patient, evaluate, lay_question, next_step, patient_query, pool_asks, rank_pool, AnswerKind, Ask, Bm25,
    Outcome, PreparedPatient, PreparedTrial, Verdict,
};
use eligo_model::{Patient, PatientSex, SourceKind, Trial};

const AS_OF: &str = "2026-11-23";
const SHOWN: usize = 10;

/// One respondent's run.
struct Run {
    stepwise: usize,
    steps: usize,
    all_at_once: usize,
    same_verdicts: bool,
}

fn main() -> std::process::ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: question_steps DATASET_DIR (patients.jsonl, trials.jsonl, qrels.tsv)");
        return std::process::ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{dir}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(dir: &str) -> Result<(), String> {
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").map_err(|e| e.to_string())?;
    let trials = read_trials(&format!("{dir}/trials.jsonl"))?;
    let pools = read_pools(&format!("{dir}/qrels.tsv"))?;
    let mut runs = Vec::new();
    for (id, note) in read_patients(&format!("{dir}/patients.jsonl"))? {
        let patient = eligo_patient::note::read_note(&note, as_of).patient;
        let pool: Vec<&Trial> =
            pools.get(&id).map_or(Vec::new(), |ids| ids.iter().filter_map(|t| trials.get(t)).collect());
        let shown = top_ten(&patient, &note, &pool, as_of);
        runs.push(respond(&patient, &shown, as_of));
    }
    report(dir, &runs);
    Ok(())
}

/// The ten trials of the pool the ranking shows this patient first.
fn top_ten<'t>(patient: &Patient, note: &str, pool: &[&'t Trial], as_of: NaiveDate) -> Vec<PreparedTrial<'t>> {
    let prepared: Vec<PreparedTrial> = pool.iter().map(|t| PreparedTrial::new(t)).collect();
    let bm25 = Bm25::new(pool.iter().map(|t| eligo_match::trial_text(t)));
    let query = patient_query(patient, Some(note));
    let refs: Vec<&PreparedTrial> = prepared.iter().collect();
    let ranked = rank_pool(&refs, &bm25, &query, &PreparedPatient::new(patient), as_of);
    let order: Vec<String> = ranked.into_iter().take(SHOWN).map(|r| r.trial_id).collect();
    let mut shown: Vec<PreparedTrial> = prepared.into_iter().filter(|t| order.contains(&t.trial.id)).collect();
    shown.sort_by_key(|t| order.iter().position(|id| *id == t.trial.id));
    shown
}

/// A respondent answering step after step, then the same respondent given every question at once.
fn respond(truth: &Patient, shown: &[PreparedTrial], as_of: NaiveDate) -> Run {
    let nobody = Patient::default();
    let asks = pool_asks(shown, &PreparedPatient::new(&nobody), as_of);
    let truth_prepared = PreparedPatient::new(truth);
    let verdicts = |patient: &Patient| -> Vec<Verdict> {
        let prepared = PreparedPatient::new(patient);
        shown.iter().map(|t| t.screen(&prepared, as_of).verdict).collect()
    };
    let mut answered = Patient::default();
    let mut asked: HashSet<String> = HashSet::new();
    let mut answers: Vec<(String, String)> = Vec::new();
    let (mut stepwise, mut steps) = (0, 0);
    let mut current = verdicts(&answered);
    loop {
        let step = next_step(shown, &answered, &asked, as_of);
        if step.is_empty() {
            break;
        }
        steps += 1;
        stepwise += step.len();
        let known = answered_patient(shown, &answers, as_of).1;
        for question in &step {
            asked.insert(question.key.clone());
            if let Some(ask) = known.iter().find(|a| a.question.key == question.key) {
                if let Some(answer) = answer_from_facts(ask, truth, &truth_prepared, as_of) {
                    answers.push((question.key.clone(), answer));
                }
            }
        }
        answered = answered_patient(shown, &answers, as_of).0;
        let next = verdicts(&answered);
        let changed = next != current;
        current = next;
        if !changed {
            break;
        }
    }
    let all: Vec<&Ask> = asks.iter().filter(|a| lay_question(a).is_ok()).collect();
    let all_answers: Vec<(String, String)> = all
        .iter()
        .filter_map(|a| Some((a.question.key.clone(), answer_from_facts(a, truth, &truth_prepared, as_of)?)))
        .collect();
    let everything = answered_patient(shown, &all_answers, as_of).0;
    Run { stepwise, steps, all_at_once: all.len(), same_verdicts: verdicts(&everything) == current }
}

/// What the respondent says, from their own facts; `None` is "not sure".
fn answer_from_facts(ask: &Ask, truth: &Patient, prepared: &PreparedPatient, as_of: NaiveDate) -> Option<String> {
    match &ask.kind {
        AnswerKind::Age => truth.age.as_ref().map(|a| format!("{}", a.years.floor())),
        AnswerKind::Sex => truth.sex.as_ref().and_then(|s| match s.value {
            PatientSex::Female => Some("female".into()),
            PatientSex::Male => Some("male".into()),
            _ => None,
        }),
        AnswerKind::Lab { test, .. } => {
            let observation = truth
                .observations
                .iter()
                .filter(|o| o.test.as_ref().is_some_and(|t| t.id == test.id))
                .max_by_key(|o| o.date)?;
            Some(match observation.unit.as_deref() {
                Some(unit @ ("positive" | "negative")) => unit.to_string(),
                Some(unit) => format!("{} {unit}", observation.value),
                None => observation.value.to_string(),
            })
        }
        // A yes/no question is the reading it came from, asked of the person's own record.
        _ => ask.readings.iter().find_map(|reading| match evaluate(reading, prepared, as_of).outcome {
            Outcome::Met => Some("yes".to_string()),
            Outcome::NotMet => Some("no".to_string()),
            _ => None,
        }),
    }
}

fn report(dir: &str, runs: &[Run]) {
    let n = runs.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Run) -> usize| runs.iter().map(f).sum::<usize>() as f64 / n;
    let median = |f: &dyn Fn(&Run) -> usize| {
        let mut values: Vec<usize> = runs.iter().map(f).collect();
        values.sort_unstable();
        values.get(values.len() / 2).copied().unwrap_or(0)
    };
    println!("{dir}: {} respondents, top {SHOWN} trials each", runs.len());
    println!(
        "  step by step: {:.1} questions (median {}) in {:.1} steps",
        mean(&|r| r.stepwise),
        median(&|r| r.stepwise),
        mean(&|r| r.steps)
    );
    println!("  all at once:  {:.1} questions (median {})", mean(&|r| r.all_at_once), median(&|r| r.all_at_once));
    let same = runs.iter().filter(|r| r.same_verdicts).count();
    println!("  same top-{SHOWN} verdicts as answering everything: {same}/{}", runs.len());
}

fn read_lines(path: &str) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{path}: {e}"))?;
    std::io::BufReader::new(file).lines().collect::<Result<_, _>>().map_err(|e| format!("{path}: {e}"))
}

fn read_trials(path: &str) -> Result<HashMap<String, Trial>, String> {
    let origin = Origin::new(path, SourceKind::CtgovJson);
    let mut trials = HashMap::new();
    for (n, line) in read_lines(path)?.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        match eligo_ctgov::json::study_from_str(line, &origin) {
            Ok((trial, _)) => {
                trials.insert(trial.id.clone(), trial);
            }
            Err(reason) => eprintln!("{path}:{}: {reason}", n + 1),
        }
    }
    Ok(trials)
}

/// Each patient's judged trials, in file order.
fn read_pools(path: &str) -> Result<HashMap<String, Vec<String>>, String> {
    let mut pools: HashMap<String, Vec<String>> = HashMap::new();
    for line in read_lines(path)?.iter().skip(1) {
        let mut fields = line.split('\t');
        if let (Some(patient), Some(trial)) = (fields.next(), fields.next()) {
            pools.entry(patient.to_string()).or_default().push(trial.to_string());
        }
    }
    Ok(pools)
}

fn read_patients(path: &str) -> Result<Vec<(String, String)>, String> {
    let mut patients = Vec::new();
    for (n, line) in read_lines(path)?.iter().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        let field = |key: &str| match &value[key] {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        match (field("id"), field("note")) {
            (Some(id), Some(note)) => patients.push((id, note)),
            _ => eprintln!("{path}:{}: needs an id and a note", n + 1),
        }
    }
    Ok(patients)
}
