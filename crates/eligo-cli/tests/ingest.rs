//! `eligo ingest`, `show`, `stats`, `export` and `check` as a user runs them.

mod common;

use std::io::Write;

use common::{jsonl, shared_data, study, write, Eligo};
use serde_json::{json, Value};

const LEGACY_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<clinical_study rank="1">
  <id_info><org_study_id>IGG4-2019</org_study_id><nct_id>NCT04127747</nct_id></id_info>
  <brief_title>Rituximab in IgG4-Related Disease</brief_title>
  <overall_status>Active, not recruiting</overall_status>
  <phase>Phase 1/Phase 2</phase>
  <study_type>Interventional</study_type>
  <condition>IgG4-Related Disease</condition>
  <intervention><intervention_type>Drug</intervention_type><intervention_name>Rituximab</intervention_name></intervention>
  <eligibility>
    <criteria><textblock>
        Inclusion Criteria:
          -  Age 18 years or older
      </textblock></criteria>
    <gender>All</gender><minimum_age>18 Years</minimum_age><maximum_age>N/A</maximum_age>
  </eligibility>
</clinical_study>
"#;

fn zip_of(entries: &[(&str, String)]) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buffer);
    for (name, content) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    buffer.into_inner()
}

fn stored_ids(eligo: &Eligo) -> Vec<String> {
    let export = eligo.run(&["export"]);
    assert_eq!(export.code, 0, "{}", export.stderr);
    export
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_registry_input_form_is_read() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let dir = inputs.path();
    let single = write(dir, "single.json", study(1, "RECRUITING").to_string());
    let page = json!({"studies": [study(2, "RECRUITING"), study(3, "COMPLETED")], "nextPageToken": "abc"});
    let page = write(dir, "page.json", page.to_string());
    let lines = write(dir, "lines.jsonl", jsonl(&[study(4, "RECRUITING"), study(5, "RECRUITING")]));
    let folder = dir.join("folder");
    write(&folder, "a/6.json", study(6, "RECRUITING").to_string());
    write(&folder, "README.txt", "not data, and not reported");
    let bulk = write(
        dir,
        "bulk.zip",
        zip_of(&[
            ("NCT00000007.json", study(7, "RECRUITING").to_string()),
            ("NCT00000008.json", study(8, "WITHDRAWN").to_string()),
        ]),
    );
    let xml = write(dir, "NCT04127747.xml", LEGACY_XML);
    let xml_zip =
        write(dir, "legacy.zip", zip_of(&[("trials/NCT04127747.xml", LEGACY_XML.replace("04127747", "04127748"))]));

    let paths: Vec<&str> =
        [&single, &page, &lines, &folder, &bulk, &xml, &xml_zip].iter().map(|p| p.to_str().unwrap()).collect();
    let mut args = vec!["ingest", "--json"];
    args.extend(paths);
    let run = eligo.run(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["new"], 10, "{report}");
    assert_eq!(report["failed"], 0);

    let mut expected: Vec<String> = (1..=8).map(|n| format!("NCT{n:08}")).collect();
    expected.extend(["NCT04127747".to_string(), "NCT04127748".to_string()]);
    assert_eq!(stored_ids(&eligo), expected);

    let legacy = eligo.run(&["show", "IGG4-2019", "--json"]).json();
    assert_eq!(legacy["overall_status"], "ACTIVE_NOT_RECRUITING");
    assert_eq!(legacy["phases"], json!(["PHASE1", "PHASE2"]));
    assert_eq!(legacy["eligibility"]["minimum_age"], json!({"value": 18.0, "unit": "years"}));
    assert!(legacy["eligibility"].get("maximum_age").is_none(), "N/A is no limit");
}

#[test]
fn bad_records_are_reported_and_the_rest_go_in_with_keep_going() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let mut text = jsonl(&[study(1, "RECRUITING"), study(2, "RECRUITING")]);
    text.push_str("{\"protocolSection\": {\"identificationModule\": \n");
    text.push_str(&jsonl(&[study(3, "RECRUITING")]));
    let mut wrong_type = study(4, "RECRUITING");
    wrong_type["protocolSection"]["conditionsModule"]["conditions"] = json!(42);
    text.push_str(&jsonl(&[wrong_type, study(5, "RECRUITING")]));
    text.push_str(&study(6, "RECRUITING").to_string()[..120]); // cut off mid-record
    let file = write(inputs.path(), "mixed.jsonl", text);
    let file = file.to_str().unwrap();

    let run = eligo.run(&["ingest", "--keep-going", file]);
    assert_eq!(run.code, 1, "a failure must make the exit code non-zero");
    assert!(run.stderr.contains(&format!("{file}: line 3")), "{}", run.stderr);
    assert!(run.stderr.contains("line 5"), "{}", run.stderr);
    assert!(run.stderr.contains("line 7"), "{}", run.stderr);
    assert!(run.stderr.contains("4 new, 0 updated, 0 unchanged, 3 failed"), "{}", run.stderr);
    assert_eq!(stored_ids(&eligo), ["NCT00000001", "NCT00000002", "NCT00000003", "NCT00000005"]);
    assert_eq!(eligo.run(&["check"]).code, 0, "nothing half-written");
}

#[test]
fn without_keep_going_ingest_stops_at_the_first_bad_record_and_keeps_what_came_before() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let text = format!("{}not json at all\n{}", jsonl(&[study(1, "RECRUITING")]), jsonl(&[study(2, "RECRUITING")]));
    let file = write(inputs.path(), "stop.jsonl", text);
    let run = eligo.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--keep-going"), "{}", run.stderr);
    assert_eq!(stored_ids(&eligo), ["NCT00000001"]);
}

#[test]
fn unknown_enum_values_are_kept_with_a_warning() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let file = write(inputs.path(), "new-status.json", study(9, "PAUSED_FOR_REVIEW").to_string());
    let run = eligo.run(&["ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("PAUSED_FOR_REVIEW"), "the user is told: {}", run.stderr);
    let shown = eligo.run(&["show", "NCT00000009", "--json"]).json();
    assert_eq!(shown["overall_status"], "PAUSED_FOR_REVIEW");
}

#[test]
fn unreadable_and_unknown_documents_name_themselves() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let html = write(inputs.path(), "page.html", "<html><body>hello</body></html>");
    let missing = inputs.path().join("missing.json");
    let good = write(inputs.path(), "good.json", study(1, "RECRUITING").to_string());
    let run = eligo.run(&[
        "ingest",
        "--keep-going",
        html.to_str().unwrap(),
        missing.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("page.html: document: not a trial page"), "{}", run.stderr);
    assert!(run.stderr.contains("missing.json: document: cannot open"), "{}", run.stderr);
    assert_eq!(stored_ids(&eligo), ["NCT00000001"]);
}

#[test]
fn reingest_is_idempotent_and_changes_keep_history() {
    let eligo = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let first = write(inputs.path(), "v1.jsonl", jsonl(&[study(1, "RECRUITING"), study(2, "RECRUITING")]));
    let second = write(inputs.path(), "v2.jsonl", jsonl(&[study(1, "COMPLETED"), study(2, "RECRUITING")]));

    assert_eq!(eligo.run(&["ingest", "--json", first.to_str().unwrap()]).json()["new"], 2);
    let again = eligo.run(&["ingest", "--json", first.to_str().unwrap()]).json();
    assert_eq!((again["new"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(2)));
    let changed = eligo.run(&["ingest", "--json", second.to_str().unwrap()]).json();
    assert_eq!((changed["updated"].as_u64(), changed["unchanged"].as_u64()), (Some(1), Some(1)));

    assert_eq!(eligo.run(&["show", "NCT00000001", "--json"]).json()["overall_status"], "COMPLETED");
    let history = eligo.run(&["show", "k1", "--history", "--json"]).json();
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["trial"]["overall_status"], "RECRUITING");
    let stats = eligo.run(&["stats", "--json"]).json();
    assert_eq!(stats["trials"], 2);
    assert_eq!(stats["history_versions"], 1);
    assert_eq!(stats["by_status"]["COMPLETED"], 1);
}

#[test]
fn export_then_ingest_round_trips_unchanged() {
    let source = Eligo::new();
    let inputs = tempfile::tempdir().unwrap();
    let file = write(inputs.path(), "in.jsonl", jsonl(&(1..=20).map(|n| study(n, "RECRUITING")).collect::<Vec<_>>()));
    assert_eq!(source.run(&["ingest", file.to_str().unwrap()]).code, 0);
    let exported = source.path("export.jsonl");
    assert_eq!(source.run(&["export", "--output", exported.to_str().unwrap()]).code, 0);

    let copy = Eligo::new();
    let run = copy.run(&["ingest", "--json", exported.to_str().unwrap()]);
    assert_eq!(run.json()["new"], 20, "{}", run.stderr);
    assert_eq!(copy.run(&["export"]).stdout, std::fs::read_to_string(&exported).unwrap());
    let back_again = source.run(&["ingest", "--json", exported.to_str().unwrap()]).json();
    assert_eq!(back_again["unchanged"], 20, "re-ingesting an export into its own store changes nothing");
}

#[test]
fn the_whole_criteria_corpus_is_stored_intact() {
    let Some(corpus) = shared_data("criteria-corpus/trials.jsonl") else { return };
    let eligo = Eligo::new();
    let run = eligo.run(&["ingest", "--json", "--quiet", corpus.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!(report["new"], 5836, "{report}");
    assert_eq!(report["failed"], 0);

    let raw: Value = std::fs::read_to_string(&corpus)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|s| s["protocolSection"]["identificationModule"]["nctId"] == "NCT00003135")
        .expect("NCT00003135 is in the corpus");
    let protocol = &raw["protocolSection"];
    let shown = eligo.run(&["show", "NCT00003135", "--json"]).json();
    assert_eq!(shown["conditions"], protocol["conditionsModule"]["conditions"]);
    assert_eq!(shown["eligibility"]["criteria_text"], protocol["eligibilityModule"]["eligibilityCriteria"]);
    let names: Vec<&Value> = shown["interventions"].as_array().unwrap().iter().map(|i| &i["name"]).collect();
    let raw_names: Vec<&Value> =
        protocol["armsInterventionsModule"]["interventions"].as_array().unwrap().iter().map(|i| &i["name"]).collect();
    assert_eq!(names, raw_names);
    assert_eq!(eligo.run(&["check"]).code, 0);
}

#[test]
fn demo_fills_an_empty_data_directory_once() {
    let eligo = Eligo::new();
    let run = eligo.run(&["demo", "--count", "300", "--no-serve"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stats = eligo.run(&["stats", "--json"]).json();
    assert_eq!(stats["trials"], 300);
    assert!(stats["by_status"].as_object().unwrap().len() >= 4, "varied statuses: {stats}");
    assert_eq!(stats["by_source"]["generated"], 300);
    let again = eligo.run(&["demo", "--count", "300", "--no-serve"]);
    assert!(again.stderr.contains("already holds 300 trials"), "{}", again.stderr);
    assert_eq!(eligo.run(&["check"]).code, 0);
}
