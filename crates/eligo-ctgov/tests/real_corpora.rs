//! The readers over the shared real corpora (skipped where they are absent).

mod common;

use std::io::BufRead;
use std::time::Instant;

use common::{origin, real_data, Collected};
use eligo_ctgov::json;
use serde_json::Value;

const CRITERIA_CORPUS: &str = "criteria-corpus/trials.jsonl";

fn read_file(path: &std::path::Path) -> (Collected, json::ReadSummary) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut collected = Collected::default();
    let summary = json::read(file, &origin(&path.display().to_string()), &mut collected.sink()).unwrap();
    (collected, summary)
}

#[test]
fn criteria_corpus_reads_without_errors() {
    let Some(path) = real_data(CRITERIA_CORPUS) else { return };
    let (got, summary) = read_file(&path);
    assert!(got.errors.is_empty(), "{:?}", &got.errors[..got.errors.len().min(5)]);
    assert_eq!(got.records.len(), 5836);
    assert_eq!(summary.layout, json::JsonLayout::Lines);
    let unknown: Vec<_> = got.records.iter().flat_map(|r| &r.warnings).collect();
    assert!(unknown.is_empty(), "{unknown:?}");
}

#[test]
fn criteria_corpus_nct00003135_is_intact() {
    let Some(path) = real_data(CRITERIA_CORPUS) else { return };
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let line = file.lines().map(Result::unwrap).find(|l| l.contains("\"NCT00003135\"")).unwrap();
    let raw: Value = serde_json::from_str(&line).unwrap();
    let protocol = &raw["protocolSection"];

    let (got, _) = read_file(&path);
    let trial = &got.records.iter().find(|r| r.trial.id == "NCT00003135").unwrap().trial;
    let conditions: Vec<&str> =
        protocol["conditionsModule"]["conditions"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(!conditions.is_empty());
    assert_eq!(trial.conditions, conditions);
    let interventions = protocol["armsInterventionsModule"]["interventions"].as_array().unwrap();
    assert_eq!(trial.interventions.len(), interventions.len());
    for (mapped, raw) in trial.interventions.iter().zip(interventions) {
        assert_eq!(mapped.name, raw["name"].as_str().unwrap());
        assert_eq!(mapped.kind.as_ref().map(|k| k.as_api_str()), raw["type"].as_str());
    }
    let criteria = protocol["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap();
    assert_eq!(trial.eligibility.criteria_text.as_deref(), Some(criteria));
    assert_eq!(trial.brief_title.as_deref(), protocol["identificationModule"]["briefTitle"].as_str());
}

#[test]
fn other_shared_corpora_read_without_errors() {
    for path in ["trec2022-subset/trials.jsonl", "birco-dev/trials.jsonl"] {
        let Some(path) = real_data(path) else { continue };
        let (got, _) = read_file(&path);
        assert!(got.errors.is_empty(), "{}: {:?}", path.display(), &got.errors[..got.errors.len().min(5)]);
        assert!(!got.records.is_empty());
    }
}

/// Not a benchmark harness, just a number in the test output
/// (`cargo test -p eligo-ctgov --test real_corpora -- --nocapture`).
#[test]
fn criteria_corpus_throughput() {
    let Some(path) = real_data(CRITERIA_CORPUS) else { return };
    let bytes = std::fs::read(&path).unwrap();
    let origin = origin("bench");
    let rounds = 3;
    let started = Instant::now();
    let mut records = 0;
    for _ in 0..rounds {
        json::read(&bytes[..], &origin, &mut |r| records += usize::from(r.is_ok())).unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "criteria-corpus: {records} studies in {seconds:.2}s = {:.0} studies/s, {:.0} MB/s (one thread)",
        records as f64 / seconds,
        (bytes.len() * rounds) as f64 / seconds / 1e6
    );
}

/// The page and array paths build one `Value` per study; this prints their
/// rate next to the JSON Lines one.
#[test]
fn criteria_corpus_page_and_array_throughput() {
    let Some(path) = real_data(CRITERIA_CORPUS) else { return };
    let text = std::fs::read_to_string(&path).unwrap();
    let studies: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let count = studies.len();
    let page = serde_json::json!({"studies": studies, "nextPageToken": "abc"}).to_string();
    let array = serde_json::to_string_pretty(&serde_json::Value::Array(
        serde_json::from_str(&format!("[{}]", text.lines().collect::<Vec<_>>().join(","))).unwrap(),
    ))
    .unwrap();
    for (name, bytes) in [("single-line page", page.as_bytes()), ("pretty-printed array (streamed)", array.as_bytes())]
    {
        let started = Instant::now();
        let mut records = 0;
        let summary = json::read(bytes, &origin("bench"), &mut |r| records += usize::from(r.is_ok())).unwrap();
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!((records, summary.errors), (count, 0));
        println!("{name}: {:.0} studies/s", records as f64 / seconds);
    }
}
