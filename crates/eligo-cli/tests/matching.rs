//! `eligo patient parse`, `eligo rank`, `eligo match` and `eligo questions` through the real binary.

mod common;

use common::{jsonl, study, write, Eligo};

/// Two trials for children with Sjögren's (5–18 years, eGFR exclusion) and an ingested store.
fn store_with_trials() -> Eligo {
    let eligo = Eligo::new();
    let file = write(eligo.data.path(), "in/trials.jsonl", jsonl(&[study(1, "RECRUITING"), study(2, "COMPLETED")]));
    let run = eligo.run(&["--quiet", "ingest", file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    eligo
}

#[test]
fn patient_parse_shows_facts_and_reports_bad_items() {
    let eligo = Eligo::new();
    let profile = write(
        eligo.data.path(),
        "p.json",
        r#"{"age":-3,"sex":"female","conditions":["Rituxan"],"labs":[{"name":"eGFR","value":2,"unit":"mg/dL"}]}"#,
    );
    let run = eligo.run(&["patient", "parse", profile.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    let places: Vec<&str> = out["rejected"].as_array().unwrap().iter().map(|r| r["where"].as_str().unwrap()).collect();
    assert_eq!(places, ["age", "labs[0]"]);
    assert_eq!(out["patient"]["sex"]["value"], "female");
    assert!(run.stderr.contains("impossible age"), "{}", run.stderr);

    let note = "A 12-year-old girl with primary Sjogren's syndrome. She denies smoking. Her mother had lupus.";
    let run = eligo.run_with_input(&["patient", "parse", "-", "--json"], Some(note.as_bytes()));
    let facts = run.json()["patient"]["facts"].as_array().unwrap().clone();
    let assertion =
        |text: &str| facts.iter().find(|f| f["text"] == text).map(|f| f["assertion"].as_str().unwrap().to_string());
    assert_eq!(assertion("lupus").as_deref(), Some("family"));
    assert_eq!(run.json()["patient"]["age"]["years"], 12.0);
}

#[test]
fn rank_screens_the_given_pairs() {
    let eligo = store_with_trials();
    let patients = write(
        eligo.data.path(),
        "patients.jsonl",
        [
            r#"{"id":"child","profile":{"birth_date":"2014-06-01","sex":"female","conditions":["Sjogren's syndrome"],"labs":[{"name":"eGFR","value":104,"unit":"mL/min/1.73m2"}]}}"#,
            r#"{"id":"adult","note":"A 58-year-old woman with Sjogren's syndrome."}"#,
            r#"{"id":"broken","note":"x","profile":{}}"#,
            "not json",
        ]
        .join("\n"),
    );
    let pairs = write(
        eligo.data.path(),
        "pairs.tsv",
        "patient\ttrial\nchild\tNCT00000001\nadult\tNCT00000001\nchild\tNCT00000002\nchild\tNCT99999999\n",
    );
    let run = eligo.run(&[
        "rank",
        "--as-of",
        "2026-11-23",
        "--patients",
        patients.to_str().unwrap(),
        "--pairs",
        pairs.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "bad lines and unknown trials make the exit status 1");
    assert!(run.stderr.contains("patients.jsonl:3") && run.stderr.contains("patients.jsonl:4"), "{}", run.stderr);
    assert!(run.stderr.contains("NCT99999999"), "{}", run.stderr);
    let rows: Vec<Vec<&str>> = run.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!((rows[0][0], rows[0][1], rows[0][3]), ("child", "NCT00000001", "eligible"));
    assert_eq!((rows[1][0], rows[1][3]), ("adult", "ineligible"));
    let score = |row: &Vec<&str>| row[2].parse::<f64>().unwrap();
    assert!(score(&rows[0]) > score(&rows[1]) - 1.0, "scores are numbers");
}

#[test]
fn match_and_questions_rank_candidates_from_the_store() {
    let eligo = store_with_trials();
    let profile = write(
        eligo.data.path(),
        "p.json",
        r#"{"birth_date":"2014-06-01","sex":"female","conditions":["Sjogren's syndrome"]}"#,
    );
    let run = eligo.run(&["match", "--patient", profile.to_str().unwrap(), "--as-of", "2026-11-23", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.json();
    let results = out["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[0]["verdict"], "possible");
    assert_eq!(
        results[0]["open_questions"][0],
        "What was your most recent Estimated glomerular filtration rate result?"
    );

    let run = eligo.run(&[
        "match",
        "--patient",
        profile.to_str().unwrap(),
        "--as-of",
        "2026-11-23",
        "--recruiting",
        "--json",
    ]);
    assert_eq!(run.json()["results"].as_array().unwrap().len(), 1);

    let run = eligo.run(&["questions", "--patient", profile.to_str().unwrap(), "--as-of", "2026-11-23", "--json"]);
    let questions = run.json();
    assert_eq!(questions[0]["trials"], 2);
    assert_eq!(questions[0]["decides"], 2);
}

#[test]
fn answers_to_questions_merge_into_the_patient() {
    let eligo = store_with_trials();
    let profile = write(
        eligo.data.path(),
        "p.json",
        r#"{"birth_date":"2014-06-01","sex":"female","conditions":["Sjogren's syndrome"]}"#,
    );
    let profile = profile.to_str().unwrap();
    let run = eligo.run(&["questions", "--patient", profile, "--as-of", "2026-11-23", "--json"]);
    let first = run.json()[0].clone();
    assert_eq!(first["reply"]["type"], "number", "{first}");
    assert_eq!(first["text"], "What was your latest kidney function (eGFR) result?", "the pages' wording");
    let key = first["key"].as_str().unwrap();

    let answers = write(eligo.data.path(), "answers.json", format!(r#"{{"{key}": 104, "no-such-key": "yes"}}"#));
    let answers = answers.to_str().unwrap();
    let run = eligo.run(&["match", "--patient", profile, "--answers", answers, "--as-of", "2026-11-23", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("no open question has this key"), "{}", run.stderr);
    let out = run.json();
    let result = &out["results"][0];
    let open: Vec<&str> = result["open_questions"].as_array().unwrap().iter().map(|q| q.as_str().unwrap()).collect();
    assert!(!open.iter().any(|q| q.contains("glomerular")), "the answered question is settled: {open:?}");
    let run = eligo.run(&["questions", "--patient", profile, "--answers", answers, "--as-of", "2026-11-23", "--json"]);
    assert!(run.json().as_array().unwrap().iter().all(|q| q["key"] != key), "answered questions are not asked again");

    let bad = write(eligo.data.path(), "bad.json", "[1, 2]");
    let run = eligo.run(&["match", "--patient", profile, "--answers", bad.to_str().unwrap(), "--as-of", "2026-11-23"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("bad.json: answers must be a JSON object from question key"), "{}", run.stderr);
}

#[test]
fn rank_explain_writes_one_line_per_pair_in_input_order_and_names_bad_pairs_by_line() {
    let eligo = store_with_trials();
    let patients = write(
        eligo.data.path(),
        "patients.jsonl",
        r#"{"id":"girl","note":"A 12-year-old girl with Sjogren's syndrome. eGFR 20 mL/min/1.73m2."}"#,
    );
    let pairs = write(
        eligo.data.path(),
        "pairs.tsv",
        "patient\ttrial\ngirl\tNCT00000002\nghost\tNCT00000001\ngirl\tNCT00000001\ngirl\tNCT12345678\n",
    );
    let args = ["rank", "--as-of", "2026-11-23", "--explain", "--patients"];
    let run = eligo.run(&[&args[..], &[patients.to_str().unwrap(), "--pairs", pairs.to_str().unwrap()]].concat());
    assert_eq!(run.code, 1, "unknown patients and trials make the exit status 1");
    assert!(run.stderr.contains("pairs.tsv:3: patient ghost"), "{}", run.stderr);
    assert!(run.stderr.contains("pairs.tsv:5: trial NCT12345678"), "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let trials: Vec<&str> = lines.iter().map(|l| l["trial"].as_str().unwrap()).collect();
    assert_eq!(trials, ["NCT00000002", "NCT00000001"], "input order, good pairs only");
    for line in &lines {
        assert_eq!(line["patient"], "girl");
        assert!(line["score"].is_f64());
        assert_eq!(line["verdict"], "ineligible", "eGFR 20 is under the exclusion's 30");
        let criteria = line["criteria"].as_array().unwrap();
        let egfr = criteria.iter().find(|c| c["text"].as_str().unwrap().contains("eGFR")).unwrap();
        for field in ["section", "span", "outcome", "basis", "reason", "evidence"] {
            assert!(egfr.get(field).is_some(), "{field} in {egfr}");
        }
        let [start, end] = [&egfr["span"][0], &egfr["span"][1]].map(|v| v.as_u64().unwrap() as usize);
        let text = "Inclusion Criteria:\n\n* Age 5-18 years\n\nExclusion Criteria:\n\n* eGFR<30ml/min";
        let quoted: String = text.chars().skip(start).take(end - start).collect();
        assert!(quoted.contains("eGFR<30"), "the span is chars into the registered text: {quoted:?}");
    }
}

#[test]
fn match_trial_screens_the_chosen_trials_and_names_an_unknown_one() {
    let eligo = store_with_trials();
    let note = "A 12-year-old girl with Sjogren's syndrome.";
    let args = ["match", "--note", "-", "--as-of", "2026-11-23", "--json", "--trial", "ORG-2", "--trial", "NCT404"];
    let run = eligo.run_with_input(&args, Some(note.as_bytes()));
    assert_eq!(run.code, 1, "an unknown trial is an error");
    assert!(run.stderr.contains("NCT404"), "{}", run.stderr);
    let out = run.json();
    let ids: Vec<&str> = out["results"].as_array().unwrap().iter().map(|r| r["trial_id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["NCT00000002"], "the chosen trial (by its org id), not the other candidate: {}", run.stdout);
    assert_eq!(out["unknown_trials"], serde_json::json!(["NCT404"]));
}

#[test]
fn match_always_says_something_for_a_patient_without_a_recognised_condition() {
    let eligo = store_with_trials();
    let note = "Twelve-year-old girl on belimumab after rituximab, feels fine.";
    let run = eligo.run_with_input(&["match", "--note", "-", "--as-of", "2026-11-23"], Some(note.as_bytes()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let first = run.stdout.lines().next().unwrap_or_default();
    assert!(first.starts_with("No condition was recognised in the record; candidates were found from"), "{first}");
    assert!(run.stdout.contains("NCT00000001"), "found by the drugs and words: {}", run.stdout);

    let run = eligo.run_with_input(&["match", "--note", "-", "--as-of", "2026-11-23"], Some(b"ok"));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("No trials: the record names no"), "{}", run.stdout);
}

#[test]
fn screen_writes_each_patients_ranked_trials_in_input_order_and_names_bad_lines() {
    let eligo = store_with_trials();
    let child =
        r#"{"id":"child","profile":{"birth_date":"2014-06-01","sex":"female","conditions":["Sjogren's syndrome"]}}"#;
    let adult = r#"{"id":"adult","note":"A 58-year-old woman with Sjogren's syndrome."}"#;
    let lines = [
        child,
        "not json",
        adult,
        r#"{"id":"broken","note":"x","profile":{}}"#,
        r#"{"id":7,"note":"A 9-year-old boy with Sjogren's syndrome."}"#,
    ];
    let patients = write(eligo.data.path(), "cohort.jsonl", lines.join("\n"));
    let output = eligo.path("screened.jsonl");
    let screen = |extra: &[&str]| {
        let mut args = vec!["screen", "--as-of", "2026-11-23", "--patients", patients.to_str().unwrap()];
        args.extend(["--output", output.to_str().unwrap()]);
        args.extend(extra);
        eligo.run(&args)
    };
    let run = screen(&["--threads", "2"]);
    assert_eq!(run.code, 1, "bad lines make the exit status 1: {}", run.stderr);
    assert!(run.stderr.contains("cohort.jsonl:2: not a patient line"), "{}", run.stderr);
    assert!(run.stderr.contains("cohort.jsonl:4: patient broken"), "{}", run.stderr);
    let text = std::fs::read_to_string(&output).unwrap();
    let screened: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let ids: Vec<&str> = screened.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["child", "adult", "7"]);
    // The same ranking `eligo match` gives the same patient.
    let profile = write(eligo.data.path(), "child.json", &child[r#"{"id":"child","profile":"#.len()..child.len() - 1]);
    let matched = eligo.run(&["match", "--patient", profile.to_str().unwrap(), "--as-of", "2026-11-23", "--json"]);
    let trial_ids = |results: &serde_json::Value| -> Vec<String> {
        results.as_array().unwrap().iter().map(|r| r["trial_id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(trial_ids(&screened[0]["results"]), trial_ids(&matched.json()["results"]));
    assert_eq!(screened[0]["results"][0]["verdict"], matched.json()["results"][0]["verdict"]);
    // Both trials are for children: retrieval filters by age, and the line says why nothing came.
    assert_eq!(screened[1]["results"].as_array().map(Vec::len), Some(0));
    assert!(!screened[1]["message"].as_str().unwrap().is_empty());

    // Two partitions split the readable patients between them; the unreadable line is in both.
    let mut seen = Vec::new();
    for part in ["1/2", "2/2"] {
        let run = screen(&["--partition", part]);
        assert!(run.stderr.contains("cohort.jsonl:2:"), "{part}: {}", run.stderr);
        let text = std::fs::read_to_string(&output).unwrap();
        seen.extend(text.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string()));
    }
    seen.sort();
    assert_eq!(seen, ["\"7\"", "\"adult\"", "\"child\""]);
    assert!(!eligo.path("screened.jsonl.partial").exists());
}
