//! `eligo search` and `eligo index rebuild` as a user runs them: ingest keeps the index current,
//! the JSON output has the documented shape, bad input exits non-zero with a reason.

mod common;

use common::{jsonl, study, write, Eligo};

fn ingested() -> Eligo {
    let eligo = Eligo::new();
    let file = write(eligo.data.path(), "in/studies.jsonl", jsonl(&[study(1, "RECRUITING"), study(2, "COMPLETED")]));
    let run = eligo.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("indexed 2 trials for search"), "{}", run.stderr);
    eligo
}

#[test]
fn search_json_has_total_hits_and_facets() {
    let eligo = ingested();
    let run = eligo.run(&["search", "Benlysta", "--status", "recruiting", "--age", "12", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(json["total"], 1);
    let hit = &json["hits"][0];
    assert_eq!(hit["nct_id"], "NCT00000001");
    assert_eq!(hit["status"], "RECRUITING");
    assert_eq!(hit["phases"][0], "PHASE4");
    assert!(hit["score"].as_f64().unwrap() > 0.0);
    assert!(hit["snippets"].is_array());
    assert_eq!(json["facets"]["status"]["RECRUITING"], 1);
    assert_eq!(json["expansions"][0]["text"], "Benlysta");
    // Outside the age window nothing matches.
    let run = eligo.run(&["search", "Benlysta", "--age", "30", "--json"]);
    assert_eq!(run.json()["total"], 0);
}

#[test]
fn rebuild_recreates_the_index_and_text_output_lists_hits() {
    let eligo = ingested();
    let run = eligo.run(&["index", "rebuild", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["indexed"], 2);
    let run = eligo.run(&["search", "belimumab"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("2 trials match"), "{}", run.stdout);
    assert!(run.stdout.contains("NCT00000001") && run.stdout.contains("NCT00000002"));
}

#[test]
fn bad_search_input_is_refused_with_a_reason() {
    let eligo = ingested();
    for (args, reason) in [
        (vec!["search", "colour:red"], "unknown field"),
        (vec!["search", "x", "--age=-5"], "age"),
        (vec!["search", "x", "--near", "Xyzzyville"], "unknown place"),
        (vec!["search", "x", "--near", "39.9,116.4", "--radius", "0"], "radius"),
        (vec!["search", "x", "--status", "recruting"], "unknown status"),
        (vec!["search", "x", "--limit", "5000"], "limit"),
    ] {
        let run = eligo.run(&args);
        assert_eq!(run.code, 1, "{args:?}");
        assert!(run.stderr.contains(reason), "{args:?}: {}", run.stderr);
    }
    let long = "lupus ".repeat(20_000);
    let run = eligo.run(&["search", &long]);
    assert!(run.code == 1 && run.stderr.contains("too long"), "{}", run.stderr);
}
