//! The acceptance checks on the shared criteria corpus plus the seed trials. Skips with a
//! message when `../shared/data` is absent.

mod common;

use std::io::BufReader;
use std::path::PathBuf;

use common::{seed_trials, TestData};
use eligo_ctgov::Origin;
use eligo_model::{SourceKind, Trial};
use eligo_search::SearchRequest;

fn corpus_path() -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/criteria-corpus/trials.jsonl");
    path.exists().then_some(path)
}

fn corpus_trials(path: &PathBuf) -> Vec<Trial> {
    let file = std::fs::File::open(path).expect("open corpus");
    let mut trials = Vec::new();
    let origin = Origin::new(path.display().to_string(), SourceKind::CtgovJson);
    eligo_ctgov::json::read(BufReader::new(file), &origin, &mut |record| {
        if let Ok(record) = record {
            trials.push(record.trial);
        }
    })
    .expect("read corpus");
    trials
}

#[test]
fn acceptance_queries_on_the_shared_corpus_and_seeds() {
    let Some(path) = corpus_path() else {
        eprintln!("skipping: ../shared/data/criteria-corpus is absent");
        return;
    };
    let mut trials = corpus_trials(&path);
    assert!(trials.len() > 5_000);
    trials.extend(seed_trials());
    let data = TestData::with(&trials);

    let ids = |request: SearchRequest| data.ids(&SearchRequest { limit: Some(100), ..request });
    let sle_rituximab = ids(SearchRequest::text("SLE rituximab"));
    assert!(sle_rituximab.iter().any(|id| id == "NCT04127747"), "{sle_rituximab:?}");

    let benlysta = data.search(&SearchRequest {
        statuses: vec!["recruiting".into()],
        limit: Some(100),
        ..SearchRequest::text("Benlysta")
    });
    assert!(benlysta.hits.iter().any(|h| h.id == "NCT06410833"));
    for hit in &benlysta.hits {
        assert_eq!(hit.status.as_deref(), Some("RECRUITING"), "{}", hit.id);
    }

    let sjogren = |age: f64| ids(SearchRequest { age: Some(age), ..SearchRequest::text("Sjogren") });
    assert!(sjogren(12.0).iter().any(|id| id == "NCT06410833"));
    assert!(!sjogren(30.0).iter().any(|id| id == "NCT06410833"));

    // On real records, a condition query ranks trials about the condition first.
    let results = data.search(&SearchRequest { limit: Some(10), ..SearchRequest::text("asthma") });
    let about =
        results.hits.iter().filter(|h| h.conditions.iter().any(|c| c.to_lowercase().contains("asthma"))).count();
    assert!(about >= 9, "only {about} of the top 10 asthma hits list asthma as a condition");
}
