//! Verdict-only screening (`PreparedPatient::verdicts_only`, what `eligo rank` and the first pass
//! of `eligo match` use) must give exactly the outcomes of full screening: same verdict, same
//! outcome, basis and section for every criterion, same ranking scores. Checked over generated
//! trials (always) and the TREC 2022 subset's real trials and notes (when `../shared` is present).

mod common;

use eligo_ctgov::Origin;
use eligo_match::{patient_query, rank_explained, rank_pool, trial_text, Bm25, PreparedPatient, PreparedTrial};
use eligo_model::{Patient, SourceKind, Trial};

fn generated_trials(count: usize) -> Vec<Trial> {
    let origin = Origin::new("generated.jsonl", SourceKind::CtgovJson);
    eligo_synth::studies(11, count)
        .map(|study| eligo_ctgov::json::study_to_trial(&study, &origin).expect("generated studies map").0)
        .collect()
}

/// Patients of every input form: profiles with conditions, drugs, labs, pregnancy; notes.
fn table_patients() -> Vec<(Patient, Option<String>)> {
    let profiles = [
        r#"{"birth_date":"1986-03-02","sex":"female","pregnant":false,
            "conditions":[{"name":"systemic lupus erythematosus","status":"remission"},"rheumatoid arthritis"],
            "medications":[{"name":"prednisone","start":"2024-01","dose":{"value":10,"unit":"mg/day"}}]}"#,
        r#"{"age":67,"sex":"male","conditions":["type 2 diabetes mellitus","hypertension","heart failure"],
            "medications":[{"name":"metformin","start":"2020-05"}],
            "labs":[{"name":"HbA1c","value":8.1,"unit":"%","date":"2026-10-01"},
                    {"name":"eGFR","value":42,"unit":"mL/min/1.73m2","date":"2026-10-01"}]}"#,
        r#"{"age":12,"sex":"female","conditions":["primary Sjogren syndrome"],
            "medications":[{"name":"rituximab","start":"2026-07-10","stop":"2026-07-24"}]}"#,
        r#"{"age":45,"sex":"male","conditions":[{"name":"asthma","status":"active"}],
            "absent":[{"kind":"condition","name":"hepatitis B"},{"kind":"medication","name":"methotrexate"}]}"#,
    ];
    let notes = [
        "58-year-old woman with type 2 diabetes mellitus and hypertension on metformin. HbA1c 8.1%. eGFR 62. \
         No history of cancer. Not pregnant.",
        "A 34-year-old man with moderate plaque psoriasis treated with methotrexate for 2 years. Mother had breast \
         cancer. Denies smoking.",
        "72 yo female with COPD and atrial fibrillation on warfarin; prior stroke in 2019.",
    ];
    let mut out: Vec<(Patient, Option<String>)> = profiles.iter().map(|p| (common::profile(p), None)).collect();
    out.extend(notes.iter().map(|n| (eligo_patient::note::read_note(n, common::as_of()).patient, Some(n.to_string()))));
    out
}

fn assert_agree(trials: &[Trial], patients: &[(Patient, Option<String>)]) {
    let prepared: Vec<PreparedTrial> = trials.iter().map(PreparedTrial::new).collect();
    let refs: Vec<&PreparedTrial> = prepared.iter().collect();
    let bm25 = Bm25::new(trials.iter().map(trial_text));
    let mut decided = 0;
    for (patient, note) in patients {
        let full = PreparedPatient::new(patient);
        let fast = PreparedPatient::verdicts_only(patient);
        for trial in &prepared {
            let (a, b) = (trial.screen(&full, common::as_of()), trial.screen(&fast, common::as_of()));
            assert_eq!(a.verdict, b.verdict, "trial {}", trial.trial.id);
            assert_eq!(a.results.len(), b.results.len());
            for (x, y) in a.results.iter().zip(&b.results) {
                assert_eq!(
                    (x.finding.outcome, x.basis, x.section),
                    (y.finding.outcome, y.basis, y.section),
                    "trial {}: {}",
                    trial.trial.id,
                    x.text
                );
                decided += usize::from(x.finding.outcome != eligo_match::Outcome::Unknown);
            }
        }
        let query = patient_query(patient, note.as_deref());
        let ranked_full = rank_pool(&refs, &bm25, &query, &full, common::as_of());
        let ranked_fast = rank_pool(&refs, &bm25, &query, &fast, common::as_of());
        let order = |r: &[eligo_match::Ranked]| r.iter().map(|r| (r.trial_id.clone(), r.score)).collect::<Vec<_>>();
        assert_eq!(order(&ranked_full), order(&ranked_fast));
        // Ranking verdict-only and explaining the top five gives the full ranking's top five.
        let explained = rank_explained(&refs, &bm25, &query, patient, &[], common::as_of(), 5);
        assert_eq!(order(&ranked_full), order(&explained));
        for (full, shown) in ranked_full.iter().zip(&explained).take(5) {
            assert_eq!(full.screening, shown.screening);
        }
    }
    // The comparison means something only if criteria were actually decided.
    assert!(decided > trials.len(), "only {decided} decided criteria");
}

#[test]
fn verdict_only_screening_agrees_with_full_screening_on_generated_trials() {
    assert_agree(&generated_trials(150), &table_patients());
}

#[test]
fn verdict_only_screening_agrees_with_full_screening_on_trec_trials_and_notes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/trec2022-subset");
    if !dir.exists() {
        println!("skipping: {} is not available on this machine", dir.display());
        return;
    }
    let origin = Origin::new("trials.jsonl", SourceKind::CtgovJson);
    let trials: Vec<Trial> = std::fs::read_to_string(dir.join("trials.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|line| eligo_ctgov::json::study_from_str(line, &origin).ok().map(|(t, _)| t))
        .collect();
    let patients: Vec<(Patient, Option<String>)> = std::fs::read_to_string(dir.join("patients.jsonl"))
        .unwrap()
        .lines()
        .take(20)
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let note = value["note"].as_str().unwrap().to_string();
            (eligo_patient::note::read_note(&note, common::as_of()).patient, Some(note))
        })
        .collect();
    assert!(trials.len() > 100, "{} trials", trials.len());
    assert_agree(&trials, &patients);
}
