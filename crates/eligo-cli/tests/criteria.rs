//! `eligo criteria parse`, `eligo criteria eval-brat`, and structured criteria stored at ingest.

mod common;

use common::{jsonl, study, write, Eligo};

#[test]
fn parse_prints_structured_criteria_as_json() {
    let eligo = Eligo::new();
    let text = "Inclusion Criteria:\n1. Age 5-18 years old.\nExclusion Criteria:\n1. eGFR<30ml/min\n\
                2. Previously treated with rituximab within six months\n";
    let run = eligo.run_with_input(&["criteria", "parse", "--json"], Some(text.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    let criteria = out["criteria"].as_array().expect("criteria array");
    assert_eq!(criteria.len(), 3);

    assert_eq!(criteria[0]["section"], "inclusion");
    assert_eq!(criteria[0]["kind"], "age");
    assert_eq!(criteria[0]["computable"]["min"]["value"], 5.0);
    assert_eq!(criteria[0]["computable"]["max"]["value"], 18.0);

    let egfr = &criteria[1];
    assert_eq!((egfr["section"].as_str(), egfr["kind"].as_str()), (Some("exclusion"), Some("lab")));
    assert_eq!(egfr["computable"]["test"]["id"], "ELIGO:lab.egfr");
    assert_eq!(egfr["computable"]["operator"], "<");
    // The comparison entity carries operator, value and unit sub-spans into the original text.
    let chars: Vec<char> = text.chars().collect();
    let comparison = egfr["entities"].as_array().unwrap().iter().find(|e| e["type"] == "comparison").unwrap();
    let span = |name: &str| {
        let s = &comparison["comparison"][name];
        chars[s["start"].as_u64().unwrap() as usize..s["end"].as_u64().unwrap() as usize].iter().collect::<String>()
    };
    assert_eq!(
        (span("operator_span"), span("value_span"), span("unit_span")),
        ("<".into(), "30".into(), "ml/min".into())
    );

    let rituximab = &criteria[2];
    assert_eq!(rituximab["kind"], "prior_therapy");
    assert_eq!(rituximab["computable"]["drugs"][0]["id"], "DRUG:rituximab");
    assert_eq!(rituximab["computable"]["window"]["within"]["value"], 6.0);
}

#[test]
fn parse_reads_a_file_and_reports_a_missing_one() {
    let eligo = Eligo::new();
    let file = write(eligo.data.path(), "criteria.txt", "Exclusion Criteria:\n- Pregnant or breastfeeding women\n");
    let run = eligo.run(&["criteria", "parse", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("EXC pregnancy: Pregnant | pregnancy: Lactating"), "{}", run.stdout);

    let missing = eligo.run(&["criteria", "parse", "/nonexistent/criteria.txt"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("/nonexistent/criteria.txt"), "{}", missing.stderr);
}

#[test]
fn eval_brat_scores_annotations_and_names_bad_files() {
    let eligo = Eligo::new();
    let dir = eligo.path("brat");
    let text = "Inclusion criteria:\n  1. Age ≥ 18\nExclusion criteria:\n  1. eGFR < 30 mL/min\n";
    write(&dir, "doc1.txt", text);
    let chars: Vec<char> = text.chars().collect();
    let find = |needle: &str| {
        let at = text.find(needle).unwrap();
        let start = text[..at].chars().count();
        (start, start + needle.chars().count())
    };
    let (a, b) = find("eGFR");
    let (c, d) = find("30");
    assert_eq!(chars[c..d].iter().collect::<String>(), "30");
    write(&dir, "doc1.ann", format!("T1\tObservation {a} {b}\teGFR\nT2\tEq-Value {c} {d}\t30\n"));
    write(&dir, "doc2.txt", "text");
    write(&dir, "doc2.ann", "T1\tCondition ten 20\tbad\n");

    let run = eligo.run(&["criteria", "eval-brat", dir.to_str().unwrap(), "--json"]);
    // One document could not be read: reported, and the exit code says so.
    assert_eq!(run.code, 1, "{}", run.stderr);
    let out = run.json();
    assert_eq!(out["documents"], 1);
    assert!(out["errors"][0].as_str().unwrap().contains("doc2.ann:1"), "{}", out["errors"]);
    assert_eq!(out["types"]["measurement"]["exact"]["tp"], 1);
    assert_eq!(out["types"]["value"]["exact"]["tp"], 1);

    let missing = eligo.run(&["criteria", "eval-brat", "/nonexistent/brat"]);
    assert_eq!(missing.code, 1);
    assert_eq!(missing.stderr.matches("/nonexistent/brat").count(), 1, "{}", missing.stderr);
}

#[test]
fn ingest_stores_structured_criteria_and_show_prints_them() {
    let eligo = Eligo::new();
    let file = write(eligo.data.path(), "in.jsonl", jsonl(&[study(1, "RECRUITING")]));
    assert_eq!(eligo.run(&["ingest", file.to_str().unwrap()]).code, 0);

    let shown = eligo.run(&["show", "NCT00000001", "--json"]);
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    let criteria = shown.json()["criteria"].as_array().cloned().unwrap_or_default();
    let kinds: Vec<&str> = criteria.iter().filter_map(|c| c["computable"][0]["kind"].as_str()).collect();
    assert_eq!(kinds, ["age", "lab"]);

    let text = eligo.run(&["show", "NCT00000001"]).stdout;
    assert!(text.contains("Structured criteria"), "{text}");
    assert!(text.contains("EXC lab Estimated glomerular filtration rate < 30 ml/min"), "{text}");
}

#[test]
fn a_reader_that_closes_the_output_early_ends_the_command_without_a_panic() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_eligo"))
        .args(["--quiet", "criteria", "parse", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("eligo starts");
    // The reader is gone before anything is written, as `| head` is after its lines.
    drop(child.stdout.take());
    let text = "Inclusion Criteria:\n- Age 18 years or older\n- ECOG performance status 0-1\n".repeat(200);
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("input written");
    let out = child.wait_with_output().expect("eligo ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(141), "{stderr}");
}
