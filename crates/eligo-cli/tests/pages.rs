//! `eligo ingest` of listing pages and publications, and `eligo show` of the
//! merged trial, its conflicts and its evidence, through the real binary.

mod common;

use std::path::PathBuf;

use common::{write, Eligo};

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(path).display().to_string()
}

#[test]
fn a_registry_record_and_a_listing_page_yield_one_trial_with_both_sources_and_visible_conflicts() {
    let eligo = Eligo::new();
    let registry = fixture("eligo-registry/tests/fixtures/NCT09000001.json");
    let page = fixture("eligo-pages/tests/fixtures/veeva.html");
    let url = "https://www.clinicaltrials.veeva.com/study/?id=NCT09000001";
    let run = eligo.run(&["ingest", &registry, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = eligo.run(&["ingest", &page, "--source-url", url, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["merged_pages"], 1, "{}", run.stdout);

    let trial = eligo.run(&["show", "NCT09000001", "--json"]).json();
    let uris: Vec<&str> = trial["sources"].as_array().unwrap().iter().filter_map(|s| s["uri"].as_str()).collect();
    assert_eq!(uris.len(), 2);
    assert!(uris.contains(&url), "--source-url is the page's recorded source: {uris:?}");
    assert_eq!(trial["overall_status"], "ACTIVE_NOT_RECRUITING", "the registry wins");
    let conflict = trial["conflicts"].as_array().unwrap().iter().find(|c| c["field"] == "overall_status").unwrap();
    let values: Vec<&str> = conflict["values"].as_array().unwrap().iter().filter_map(|v| v["value"].as_str()).collect();
    assert_eq!(values.len(), 2);
    assert!(values.contains(&"RECRUITING") && values.contains(&"ACTIVE_NOT_RECRUITING"), "{values:?}");
    assert_eq!(trial["publications"], serde_json::json!([]));

    let text = eligo.run(&["show", "NCT09000001", "--provenance"]).stdout;
    assert!(text.contains("Conflicts between sources"), "{text}");
    assert!(text.contains(url), "provenance names the page: {text}");
}

#[test]
fn publications_are_shown_with_their_links_and_a_corrupt_article_fails_alone() {
    let eligo = Eligo::new();
    let set = fixture("eligo-pages/tests/fixtures/pubmed-set.xml");
    let registry = fixture("eligo-registry/tests/fixtures/NCT04127747.json");
    let run = eligo.run(&["ingest", &set, &registry, "--keep-going", "--json"]);
    assert_eq!(run.code, 1, "an article failed: {}", run.stdout);
    let report = run.json();
    assert_eq!(report["publications"]["new"], 2);
    assert_eq!(report["failed"], 2);
    assert!(report["errors"][0].as_str().unwrap().contains("article 2: malformed XML"), "{report}");

    let trial = eligo.run(&["show", "NCT04127747", "--json"]).json();
    let publication = &trial["publications"][0];
    assert_eq!(publication["pmid"], "35000002");
    assert_eq!(publication["reason"], "names_nct_id");
    assert_eq!(publication["score"], 1.0);
    assert!(publication["title"].as_str().unwrap().starts_with("Individualized rituximab dosing"));

    let run = eligo.run(&["show", "PMID:35000002"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("NCT04127747 results of this trial (score 1.00)"), "{}", run.stdout);
    assert_eq!(eligo.run(&["show", "PMID:1"]).code, 1);
}

#[test]
fn bad_pages_are_reported_by_name_and_the_rest_go_in() {
    let eligo = Eligo::new();
    let dir = tempfile::tempdir().unwrap();
    let not_a_trial = fixture("eligo-pages/tests/fixtures/not-a-trial.html");
    let binary = write(dir.path(), "garbage.html", b"\xff\xfe\x00\x01\x02");
    let good = fixture("eligo-pages/tests/fixtures/trial-finder-missing.txt");
    let run = eligo.run(&["ingest", &not_a_trial, binary.to_str().unwrap(), &good, "--keep-going"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not-a-trial.html: document: not a trial page"), "{}", run.stderr);
    assert!(run.stderr.contains("garbage.html"), "{}", run.stderr);
    assert!(run.stderr.contains("1 new"), "{}", run.stderr);
    assert_eq!(eligo.run(&["show", "NCT09000002"]).code, 0);
}

#[test]
fn the_seed_documents_ingest_and_link() {
    let Some(seeds) = common::shared_data("../seeds") else { return };
    let eligo = Eligo::new();
    let run = eligo.run(&["ingest", seeds.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["new"], 4);
    assert_eq!(report["publications"]["new"], 1);
    assert_eq!(report["unlinked_listings"].as_array().unwrap().len(), 2, "000 and 003 carry no registry ID");

    let publication = eligo.run(&["show", "PMID:29073351", "--json"]).json();
    assert_eq!(publication["pmcid"], "PMC6590997");
    let link = &publication["trials"][0];
    assert_eq!((link["reason"].as_str(), link["reports_results"].as_bool()), (Some("related"), Some(false)));
    let summary = eligo.run(&["show", link["trial_id"].as_str().unwrap()]).stdout;
    assert!(summary.contains("Belimumab + Rituximab for Systemic Sclerosis"), "{summary}");
    assert!(summary.contains("Plain-language content (not registry data)"), "{summary}");
    assert!(summary.contains("related work"), "{summary}");
    for id in ["NCT06410833", "K3926", "NCT04127747"] {
        assert_eq!(eligo.run(&["show", id]).code, 0, "{id}");
    }
}
