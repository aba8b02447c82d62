//! FHIR out: ResearchStudy reads and searches, and the clinical-trial-matching service contract
//! (`POST /getClinicalTrial`), against a real server over generated trials. The R4 conformance of
//! these answers is checked by a maintained validator in `scripts/validate_fhir.py`.

mod common;

use common::TestServer;
use serde_json::{json, Value};

const R4_STUDY_STATUSES: [&str; 11] = [
    "active",
    "administratively-completed",
    "approved",
    "closed-to-accrual",
    "closed-to-accrual-and-intervention",
    "completed",
    "disapproved",
    "in-review",
    "temporarily-closed-to-accrual",
    "temporarily-closed-to-accrual-and-intervention",
    "withdrawn",
];

fn server() -> TestServer {
    TestServer::start(40)
}

#[test]
fn a_trial_reads_as_a_research_study_with_its_eligibility_group() {
    let s = server();
    let reply = s.get(&format!("/fhir/ResearchStudy/{}", s.first_id));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type, "application/fhir+json");
    let study = reply.json();
    assert_eq!(study["resourceType"], "ResearchStudy");
    let nct = study["identifier"].as_array().unwrap().iter().find(|i| i["system"] == "http://clinicaltrials.gov");
    assert_eq!(nct.unwrap()["value"], s.first_id.as_str());
    assert!(R4_STUDY_STATUSES.contains(&study["status"].as_str().unwrap()), "{}", study["status"]);
    assert!(study["phase"]["coding"][0]["code"].is_string());
    assert!(study["condition"].as_array().is_some_and(|c| !c.is_empty()));
    let group_ref = study["enrollment"][0]["reference"].as_str().unwrap().trim_start_matches('#');
    let contained = study["contained"].as_array().unwrap();
    let group = contained.iter().find(|r| r["id"] == group_ref).expect("the enrollment Group is contained");
    assert_eq!(group["resourceType"], "Group");
    assert!(study["enrollment"][0]["display"].as_str().is_some_and(|t| !t.is_empty()), "criteria text");
    for site in study["site"].as_array().into_iter().flatten() {
        let id = site["reference"].as_str().unwrap().trim_start_matches('#');
        assert!(contained.iter().any(|r| r["id"] == id && r["resourceType"] == "Location"), "{id}");
    }
}

#[test]
fn an_unknown_or_invalid_study_id_is_refused() {
    let s = server();
    assert_eq!(s.get("/fhir/ResearchStudy/NCT99999999").status, 404);
    assert_eq!(s.get("/fhir/ResearchStudy/a%2F..%2Fb").error_code(), "invalid_id");
}

#[test]
fn a_study_search_is_a_searchset_filtered_by_status_and_counted() {
    let s = server();
    let bundle = s.get("/fhir/ResearchStudy?status=active&_count=3").json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "searchset");
    let entries = bundle["entry"].as_array().expect("generated corpus has recruiting trials");
    assert!(!entries.is_empty() && entries.len() <= 3);
    assert!(bundle["total"].as_u64().unwrap() >= entries.len() as u64);
    for entry in entries {
        assert_eq!(entry["resource"]["status"], "active");
        assert_eq!(entry["search"]["mode"], "match");
    }
    let all = s.get("/fhir/ResearchStudy?_count=100").json();
    assert!(all["total"].as_u64().unwrap() > bundle["total"].as_u64().unwrap(), "the filter narrowed the set");
}

#[test]
fn bad_search_parameters_and_methods_are_refused() {
    let s = server();
    assert_eq!(s.get("/fhir/ResearchStudy?_count=0").error_code(), "bad_count");
    assert_eq!(s.get("/fhir/ResearchStudy?_count=101").error_code(), "bad_count");
    assert_eq!(s.get("/fhir/ResearchStudy?status=recruiting").error_code(), "bad_status");
    assert_eq!(s.get("/fhir/ResearchStudy?title=x").error_code(), "unknown_parameter");
    let reply = s.post_json("/fhir/ResearchStudy", &json!({}));
    assert_eq!(reply.status, 405);
    assert_eq!(reply.error_code(), "method_not_allowed");
    assert_eq!(s.get("/getClinicalTrial").status, 405);
}

/// A patient Bundle as the matching apps send it: the chart plus a `Parameters` resource.
fn patient_bundle(condition: &str, parameters: Value) -> Value {
    json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Parameters", "parameter": parameters}},
        {"resource": {"resourceType": "Patient", "gender": "female", "birthDate": "1975-03-02"}},
        {"resource": {"resourceType": "Condition", "code": {"text": condition},
                      "clinicalStatus": {"coding": [{"code": "active"}]}}}
    ]})
}

fn first_condition(s: &TestServer) -> String {
    let study = s.get(&format!("/fhir/ResearchStudy/{}", s.first_id)).json();
    study["condition"][0]["text"].as_str().unwrap().to_string()
}

#[test]
fn the_matching_service_answers_a_scored_searchset_of_research_studies() {
    let s = server();
    let condition = first_condition(&s);
    let parameters =
        json!([{"name": "zipCode", "valueString": "02108"}, {"name": "travelRadius", "valueString": "25"}]);
    let reply =
        s.post_json("/getClinicalTrial", &json!({"patientData": patient_bundle(&condition, parameters), "count": 5}));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.content_type, "application/fhir+json");
    let bundle = reply.json();
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "searchset");
    let entries = bundle["entry"].as_array().unwrap();
    let matches: Vec<&Value> = entries.iter().filter(|e| e["search"]["mode"] == "match").collect();
    assert!(!matches.is_empty() && matches.len() <= 5, "{}", matches.len());
    let scores: Vec<f64> = matches.iter().map(|e| e["search"]["score"].as_f64().unwrap()).collect();
    assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)), "{scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    for entry in &matches {
        let study = &entry["resource"];
        assert_eq!(study["resourceType"], "ResearchStudy");
        let verdict =
            study["extension"].as_array().unwrap().iter().find(|x| x["url"].as_str().unwrap().ends_with("/match"));
        let verdict = verdict.expect("Eligo's verdict extension")["extension"][0].clone();
        assert_eq!(verdict["url"], "verdict");
        assert!(["eligible", "possible", "ineligible"].contains(&verdict["valueCode"].as_str().unwrap()));
    }
    let outcome = entries.iter().find(|e| e["search"]["mode"] == "outcome").expect("an OperationOutcome entry");
    let diagnostics = outcome["resource"]["issue"].to_string();
    assert!(diagnostics.contains("zipCode 02108"), "an unplaceable ZIP code is reported: {diagnostics}");
}

#[test]
fn the_matching_service_honours_phase_and_recruitment_status() {
    let s = server();
    let condition = first_condition(&s);
    let parameters = json!([{"name": "recruitmentStatus", "valueString": "active"}]);
    let bundle = s
        .post_json("/getClinicalTrial", &json!({"patientData": patient_bundle(&condition, parameters), "count": 100}))
        .json();
    for entry in bundle["entry"].as_array().unwrap().iter().filter(|e| e["search"]["mode"] == "match") {
        assert_eq!(entry["resource"]["status"], "active");
    }
    let parameters = json!([{"name": "phase", "valueString": "no-such-phase"}]);
    let bundle =
        s.post_json("/getClinicalTrial", &json!({"patientData": patient_bundle(&condition, parameters)})).json();
    assert_eq!(bundle["total"], 0);
}

#[test]
fn a_bad_matching_request_is_a_clear_error() {
    let s = server();
    assert_eq!(s.post_json("/getClinicalTrial", &json!({"count": 3})).status, 422);
    let not_a_bundle = json!({"patientData": {"resourceType": "Patient"}});
    assert_eq!(s.post_json("/getClinicalTrial", &not_a_bundle).error_code(), "bad_patient");
    let radius = json!([{"name": "travelRadius", "valueString": "far"}]);
    let reply = s.post_json("/getClinicalTrial", &json!({"patientData": patient_bundle("asthma", radius)}));
    assert_eq!(reply.error_code(), "bad_parameter");
    let reply =
        s.post_json("/getClinicalTrial", &json!({"patientData": patient_bundle("asthma", json!([])), "count": 0}));
    assert_eq!(reply.error_code(), "bad_count");
}

/// A real Synthea R4 chart (the eligo-patient fixture: a 72-year-old man, obesity active, sinusitis
/// and lacerations resolved, geocoded home address in Massachusetts) as an app sends it, with its
/// `Parameters`.
fn synthea_patient(parameters: Value) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../eligo-patient/tests/fixtures/synthea/carroll471_ohara248.json");
    let mut bundle: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let entries = bundle["entry"].as_array_mut().unwrap();
    entries.insert(0, json!({"resource": {"resourceType": "Parameters", "parameter": parameters}}));
    bundle
}

#[test]
fn a_real_patient_bundle_gets_several_scored_studies_on_the_demo_corpus() {
    let s = TestServer::start(300);
    let parameters =
        json!([{"name": "zipCode", "valueString": "01464"}, {"name": "travelRadius", "valueString": "3000"}]);
    let reply = s.post_json("/getClinicalTrial", &json!({"patientData": synthea_patient(parameters), "count": 10}));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let bundle = reply.json();
    let entries = bundle["entry"].as_array().unwrap();
    let matches: Vec<&Value> = entries.iter().filter(|e| e["search"]["mode"] == "match").collect();
    let outcome = entries.iter().find(|e| e["search"]["mode"] == "outcome").unwrap()["resource"]["issue"].to_string();
    assert!(matches.len() >= 3, "several studies for a real chart: {} ({outcome})", matches.len());
    let scores: Vec<f64> = matches.iter().map(|e| e["search"]["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]) && scores[0] > 0.0, "best first, scored: {scores:?}");
    // The chart's active problem is searched: studies of obesity are among the answer.
    let conditions: Vec<String> =
        matches.iter().map(|m| m["resource"]["condition"].to_string().to_lowercase()).collect();
    assert!(conditions.iter().any(|c| c.contains("obes")), "a study of obesity: {conditions:?}");
    assert!(outcome.contains("geocoded address"), "the unplaceable ZIP falls back to the record's address: {outcome}");
    assert!(!outcome.contains("not used: entry["), "no chart entry is refused one by one: {outcome}");
}
