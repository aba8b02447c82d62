//! Properties of the synthetic corpus, checked on the JSON as an ingest
//! pipeline would see it.

use std::collections::{BTreeMap, HashSet};

use eligo_synth::{studies, Generator, AS_OF};
use proptest::prelude::*;
use serde_json::Value;

const N: usize = 1000;

fn corpus() -> Vec<Value> {
    studies(2024, N).collect()
}

fn ps(study: &Value) -> &Value {
    &study["protocolSection"]
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` into a comparable (y, m, d); missing parts count as 1.
fn parse_date(s: &str) -> (i32, u32, u32) {
    let mut parts = s.split('-');
    let y = parts.next().unwrap().parse().unwrap();
    let m = parts.next().map_or(1, |p| p.parse().unwrap());
    let d = parts.next().map_or(1, |p| p.parse().unwrap());
    assert!(parts.next().is_none(), "bad date {s}");
    assert!((1..=12).contains(&m) && (1..=31).contains(&d), "bad date {s}");
    (y, m, d)
}

fn age_years(s: &str) -> f64 {
    let (n, unit) = s.split_once(' ').unwrap_or_else(|| panic!("bad age {s:?}"));
    let n: f64 = n.parse().unwrap();
    match unit {
        "Year" | "Years" => n,
        "Month" | "Months" => n / 12.0,
        "Week" | "Weeks" => n / 52.0,
        "Day" | "Days" => n / 365.0,
        _ => panic!("bad age unit {s:?}"),
    }
}

fn expected_std_ages(elig: &Value) -> Vec<&'static str> {
    let lo = elig["minimumAge"].as_str().map_or(0.0, age_years);
    let hi = elig["maximumAge"].as_str().map_or(f64::INFINITY, age_years);
    let mut v = Vec::new();
    if lo < 18.0 {
        v.push("CHILD");
    }
    if lo < 65.0 && hi >= 18.0 {
        v.push("ADULT");
    }
    if hi >= 65.0 {
        v.push("OLDER_ADULT");
    }
    v
}

/// Which of the registry's layouts a criteria text is in, judged from the text alone.
fn criteria_style(text: &str) -> &'static str {
    if !text.contains('\n') {
        return "run-on";
    }
    if text.contains("\n        ") && text.contains("          -  ") {
        return "legacy";
    }
    let headings = [
        "Key Inclusion Criteria",
        "INCLUSION CRITERIA:",
        "criteria include:",
        "Main inclusion criteria",
        "Participants are eligible",
    ];
    if headings.iter().any(|h| text.contains(h)) {
        return "headings";
    }
    if text.lines().any(|l| l.starts_with("1. ") || l.starts_with("1) ")) {
        return "numbered";
    }
    if text.starts_with("Inclusion Criteria:\n\n* ") && text.contains("\n\nExclusion Criteria:\n\n* ") {
        return "modern";
    }
    "other"
}

#[test]
fn same_seed_gives_identical_json_and_random_access_agrees() {
    let a: Vec<String> = studies(7, 300).map(|s| serde_json::to_string(&s).unwrap()).collect();
    let b: Vec<String> = studies(7, 300).map(|s| serde_json::to_string(&s).unwrap()).collect();
    assert_eq!(a, b);
    let mut g = Generator::new(7);
    for i in [299u64, 0, 150, 17] {
        assert_eq!(serde_json::to_string(&g.study(i)).unwrap(), a[i as usize], "study {i}");
    }
}

#[test]
fn different_seeds_and_indexes_differ() {
    let a: Vec<Value> = studies(1, 200).collect();
    let b: Vec<Value> = studies(2, 200).collect();
    let same = a.iter().zip(&b).filter(|(x, y)| ps(x)["eligibilityModule"] == ps(y)["eligibilityModule"]).count();
    assert_eq!(same, 0, "different seeds should give different studies");
    let texts: HashSet<&str> =
        a.iter().map(|s| ps(s)["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap()).collect();
    assert_eq!(texts.len(), a.len(), "every study should have its own criteria text");
    let titles: HashSet<&str> =
        a.iter().map(|s| ps(s)["identificationModule"]["officialTitle"].as_str().unwrap()).collect();
    assert!(titles.len() > a.len() * 9 / 10, "official titles too repetitive: {}", titles.len());
}

#[test]
fn nct_ids_are_unique_and_well_formed() {
    let mut seen = HashSet::new();
    for (i, s) in corpus().iter().enumerate() {
        let id = ps(s)["identificationModule"]["nctId"].as_str().unwrap();
        assert_eq!(id.len(), 11);
        assert!(id.starts_with("NCT9") && id[3..].bytes().all(|b| b.is_ascii_digit()), "{id}");
        assert_eq!(id, format!("NCT9{i:07}"));
        assert!(seen.insert(id.to_string()));
    }
}

#[test]
fn modules_are_present_with_the_right_types() {
    let statuses = [
        "RECRUITING",
        "NOT_YET_RECRUITING",
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "TERMINATED",
        "WITHDRAWN",
        "ENROLLING_BY_INVITATION",
        "UNKNOWN",
        "SUSPENDED",
    ];
    for s in corpus() {
        let p = ps(&s);
        for m in [
            "identificationModule",
            "statusModule",
            "sponsorCollaboratorsModule",
            "descriptionModule",
            "conditionsModule",
            "designModule",
            "armsInterventionsModule",
            "eligibilityModule",
            "contactsLocationsModule",
        ] {
            assert!(p[m].is_object(), "{m} missing");
        }
        let id = &p["identificationModule"];
        assert!(id["briefTitle"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(id["officialTitle"].is_string());
        assert!(id["orgStudyInfo"]["id"].is_string());
        if let Some(sec) = id["secondaryIdInfos"].as_array() {
            for x in sec {
                let v = x["id"].as_str().unwrap();
                if x["type"] == "EUDRACT_NUMBER" {
                    let b = v.as_bytes();
                    assert!(b.len() == 14 && b[4] == b'-' && b[11] == b'-', "EudraCT shape: {v}");
                    assert!(v.replace('-', "").bytes().all(|c| c.is_ascii_digit()), "{v}");
                }
            }
        }
        let st = &p["statusModule"];
        let status = st["overallStatus"].as_str().unwrap();
        assert!(statuses.contains(&status), "{status}");
        let stopped = matches!(status, "TERMINATED" | "WITHDRAWN" | "SUSPENDED");
        assert_eq!(st["whyStopped"].is_string(), stopped, "whyStopped for {status}");
        let sp = &p["sponsorCollaboratorsModule"]["leadSponsor"];
        assert!(sp["name"].is_string());
        assert!(["INDUSTRY", "OTHER", "NIH", "OTHER_GOV"].contains(&sp["class"].as_str().unwrap()));
        assert!(p["descriptionModule"]["briefSummary"].as_str().is_some_and(|t| t.len() > 40));
        let conds = p["conditionsModule"]["conditions"].as_array().unwrap();
        assert!(!conds.is_empty() && conds.iter().all(Value::is_string));
        assert!(p["conditionsModule"]["keywords"].as_array().unwrap().iter().all(Value::is_string));

        let design = &p["designModule"];
        let enrol = &design["enrollmentInfo"];
        assert!(enrol["count"].is_u64());
        assert!(["ACTUAL", "ESTIMATED"].contains(&enrol["type"].as_str().unwrap()));
        match design["studyType"].as_str().unwrap() {
            "INTERVENTIONAL" => {
                let phases = design["phases"].as_array().unwrap();
                assert!(!phases.is_empty() && phases.iter().all(Value::is_string));
                let info = &design["designInfo"];
                for k in ["allocation", "interventionModel", "primaryPurpose"] {
                    assert!(info[k].is_string(), "{k}");
                }
                assert!(info["maskingInfo"]["masking"].is_string());
                let arms = p["armsInterventionsModule"]["armGroups"].as_array().unwrap();
                assert!(!arms.is_empty());
                assert!(arms.iter().all(|a| a["label"].is_string() && a["type"].is_string()));
            }
            "OBSERVATIONAL" => {
                assert!(design["phases"].is_null());
                assert!(design["designInfo"]["observationalModel"].is_string());
            }
            other => panic!("studyType {other}"),
        }
        let labels: HashSet<&str> = p["armsInterventionsModule"]["armGroups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["label"].as_str().unwrap())
            .collect();
        for i in p["armsInterventionsModule"]["interventions"].as_array().unwrap() {
            assert!(["DRUG", "BIOLOGICAL", "DEVICE", "BEHAVIORAL", "PROCEDURE", "RADIATION", "OTHER"]
                .contains(&i["type"].as_str().unwrap()));
            assert!(i["name"].is_string());
            for l in i["armGroupLabels"].as_array().into_iter().flatten() {
                assert!(labels.contains(l.as_str().unwrap()), "intervention names an unknown arm {l}");
            }
        }

        let elig = &p["eligibilityModule"];
        assert!(elig["eligibilityCriteria"].as_str().is_some_and(|t| t.len() > 100));
        assert!(["ALL", "FEMALE", "MALE"].contains(&elig["sex"].as_str().unwrap()));
        assert!(elig["healthyVolunteers"].is_boolean());

        let cl = &p["contactsLocationsModule"];
        let locs = cl["locations"].as_array().unwrap();
        assert!((1..=8).contains(&locs.len()), "{} locations", locs.len());
        for l in locs {
            assert!(l["facility"].is_string() && l["city"].is_string() && l["country"].is_string());
            let lat = l["geoPoint"]["lat"].as_f64().unwrap();
            let lon = l["geoPoint"]["lon"].as_f64().unwrap();
            assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
            assert!(lat != 0.0 || lon != 0.0);
        }
        for c in cl["centralContacts"].as_array().into_iter().flatten() {
            assert!(c["phone"].as_str().unwrap().contains(" 555-01"));
            let email = c["email"].as_str().unwrap();
            assert!(email.ends_with("@example.org") && email.is_ascii(), "{email}");
        }
        if let Some(refs) = p["referencesModule"]["references"].as_array() {
            for r in refs {
                let pmid = r["pmid"].as_str().unwrap();
                assert!(pmid.len() == 8 && pmid.bytes().all(|b| b.is_ascii_digit()));
                assert!(["BACKGROUND", "RESULT"].contains(&r["type"].as_str().unwrap()));
            }
        }
        let meshes = s["derivedSection"]["conditionBrowseModule"]["meshes"].as_array().unwrap();
        assert!(meshes.iter().all(|m| m["id"].as_str().unwrap().starts_with('D') && m["term"].is_string()));
    }
}

#[test]
fn std_ages_follow_the_age_limits() {
    for s in corpus() {
        let elig = &ps(&s)["eligibilityModule"];
        let got: Vec<&str> = elig["stdAges"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(got, expected_std_ages(elig), "{elig:#}");
        if let (Some(lo), Some(hi)) = (elig["minimumAge"].as_str(), elig["maximumAge"].as_str()) {
            assert!(age_years(lo) < age_years(hi));
        }
    }
}

#[test]
fn dates_are_ordered_and_consistent_with_status() {
    let today = parse_date(AS_OF);
    for s in corpus() {
        let st = &ps(&s)["statusModule"];
        let d = |k: &str| parse_date(st[k]["date"].as_str().unwrap());
        let actual = |k: &str| st[k]["type"] == "ACTUAL";
        let (start, primary, completion) =
            (d("startDateStruct"), d("primaryCompletionDateStruct"), d("completionDateStruct"));
        assert!(completion > start, "completion {completion:?} not after start {start:?}");
        assert!(primary > start && primary <= completion);
        for k in ["startDateStruct", "primaryCompletionDateStruct", "completionDateStruct"] {
            if actual(k) {
                assert!(d(k) <= today, "{k} ACTUAL in the future");
            }
        }
        let first_post = d("studyFirstPostDateStruct");
        let last_update = d("lastUpdatePostDateStruct");
        assert!(first_post <= last_update && last_update <= today);
        match st["overallStatus"].as_str().unwrap() {
            "COMPLETED" | "TERMINATED" => {
                assert!(actual("startDateStruct") && actual("completionDateStruct"));
                assert!(completion < today);
            }
            "RECRUITING" | "ENROLLING_BY_INVITATION" => {
                assert!(actual("startDateStruct") && !actual("completionDateStruct"));
                assert!(completion > today);
            }
            "NOT_YET_RECRUITING" => assert!(!actual("startDateStruct") && start > today),
            "WITHDRAWN" => assert_eq!(ps(&s)["designModule"]["enrollmentInfo"]["count"], 0),
            _ => {}
        }
    }
}

#[test]
fn all_five_criteria_styles_occur_in_the_first_500() {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in studies(2024, 500) {
        let text = ps(&s)["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap().to_string();
        let style = criteria_style(&text);
        assert_ne!(style, "other", "unrecognised layout:\n{text}");
        if style == "legacy" {
            for line in text.lines() {
                assert!(line.chars().count() <= 80, "legacy line longer than 80 columns: {line:?}");
            }
        }
        *counts.entry(style).or_default() += 1;
        if style == "numbered" && text.lines().any(|l| l.starts_with(' ') && l.trim_start().starts_with("a) ")) {
            *counts.entry("numbered with a) sub-items").or_default() += 1;
        }
    }
    for style in ["modern", "legacy", "numbered", "numbered with a) sub-items", "headings", "run-on"] {
        assert!(counts.get(style).copied().unwrap_or(0) >= 5, "{style} too rare: {counts:?}");
    }
    assert!(counts["modern"] < 350, "{counts:?}");
}

#[test]
fn statuses_phases_and_types_are_varied() {
    let corpus = corpus();
    let mut status: BTreeMap<String, usize> = BTreeMap::new();
    let mut phases: BTreeMap<String, usize> = BTreeMap::new();
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    let mut sexes: BTreeMap<String, usize> = BTreeMap::new();
    let mut conditions = HashSet::new();
    for s in &corpus {
        let p = ps(s);
        *status.entry(p["statusModule"]["overallStatus"].as_str().unwrap().into()).or_default() += 1;
        *phases.entry(p["designModule"]["phases"].to_string()).or_default() += 1;
        *types.entry(p["designModule"]["studyType"].as_str().unwrap().into()).or_default() += 1;
        *sexes.entry(p["eligibilityModule"]["sex"].as_str().unwrap().into()).or_default() += 1;
        conditions.insert(p["conditionsModule"]["conditions"][0].as_str().unwrap().to_string());
    }
    assert!(status.len() >= 8, "{status:?}");
    assert!(status.values().all(|&n| n * 100 < corpus.len() * 60), "{status:?}");
    for p in [r#"["PHASE1","PHASE2"]"#, r#"["NA"]"#, r#"["PHASE3"]"#, r#"["PHASE2","PHASE3"]"#, "null"] {
        assert!(phases.contains_key(p), "phase {p} missing: {phases:?}");
    }
    assert!(phases.values().all(|&n| n * 100 < corpus.len() * 60), "{phases:?}");
    assert!(types["INTERVENTIONAL"] > types["OBSERVATIONAL"] && types["OBSERVATIONAL"] > 50, "{types:?}");
    assert!(sexes.len() == 3, "{sexes:?}");
    assert!(conditions.len() >= 60, "only {} distinct conditions", conditions.len());
}

#[test]
fn criteria_relate_to_the_study() {
    let mut checked = 0;
    let mut ages_checked = 0;
    for s in corpus() {
        let p = ps(&s);
        let text = p["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap();
        let cond = p["conditionsModule"]["conditions"][0].as_str().unwrap();
        let lower = text.to_lowercase();
        if cond == "Systemic Lupus Erythematosus" && p["eligibilityModule"]["healthyVolunteers"] == false {
            assert!(text.contains("SLE") || lower.contains("lupus"), "{text}");
            checked += 1;
        }
        if p["eligibilityModule"]["sex"] == "MALE" {
            assert!(!lower.contains("pregnant or breastfeeding"), "{text}");
        }
        // "Age 18 to 75 years" must agree with minimumAge / maximumAge.
        if let Some(at) = text.find("Age ") {
            let rest = &text[at + 4..];
            let words: Vec<&str> = rest.split(' ').take(4).collect();
            if words.len() == 4 && words[1] == "to" && words[3].starts_with("years") {
                let elig = &p["eligibilityModule"];
                assert_eq!(elig["minimumAge"].as_str(), Some(format!("{} Years", words[0]).as_str()), "{text}");
                assert_eq!(elig["maximumAge"].as_str(), Some(format!("{} Years", words[2]).as_str()), "{text}");
                ages_checked += 1;
            }
        }
    }
    assert!(checked > 5 && ages_checked > 20, "{checked} {ages_checked}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_seed_and_index_gives_a_consistent_study(seed in any::<u64>(), index in 0u64..eligo_synth::MAX_STUDIES) {
        let study = Generator::new(seed).study(index);
        let p = ps(&study);
        prop_assert_eq!(p["identificationModule"]["nctId"].as_str().unwrap(), format!("NCT9{index:07}"));
        let elig = &p["eligibilityModule"];
        let got: Vec<&str> = elig["stdAges"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        prop_assert_eq!(got, expected_std_ages(elig));
        let st = &p["statusModule"];
        prop_assert!(parse_date(st["completionDateStruct"]["date"].as_str().unwrap()) > parse_date(st["startDateStruct"]["date"].as_str().unwrap()));
        prop_assert_eq!(Generator::new(seed).study(index), study);
    }
}

#[test]
#[should_panic(expected = "out of range")]
fn index_past_the_id_space_panics() {
    Generator::new(1).study(eligo_synth::MAX_STUDIES);
}
