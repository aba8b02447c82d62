//! The JSON API against a real server on loopback: every endpoint, status
//! code and limit, and the bad inputs a public server meets.

mod common;

use std::sync::OnceLock;
use std::time::Duration;

use common::TestServer;
use eligo_server::Limits;
use serde_json::json;

fn server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| TestServer::start(40))
}

#[test]
fn a_trial_is_found_by_any_identifier_case_insensitively() {
    let s = server();
    let reply = s.get(&format!("/api/v1/trials/{}", s.first_id));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/json"));
    let trial = reply.json();
    assert_eq!(trial["id"], s.first_id.as_str());
    assert!(trial["sources"].as_array().is_some_and(|s| !s.is_empty()), "provenance travels with the record");
    let lower = s.get(&format!("/api/v1/trials/{}", s.first_id.to_lowercase()));
    assert_eq!(lower.json()["id"], s.first_id.as_str());
}

#[test]
fn unknown_and_malicious_ids_get_404_and_400() {
    let s = server();
    let unknown = s.get("/api/v1/trials/NCT00000000");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "not_found");
    for bad in ["..%2F..%2Fetc%2Fpasswd", "NCT1%2F..%2Fx", "a%00b", "%3Cscript%3E"] {
        let reply = s.get(&format!("/api/v1/trials/{bad}"));
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
        assert_eq!(reply.error_code(), "invalid_id");
    }
    let long = s.get(&format!("/api/v1/trials/{}", "A".repeat(65)));
    assert_eq!(long.status, 400);
}

#[test]
fn unknown_endpoints_and_methods_answer_with_json_errors() {
    let s = server();
    let reply = s.get("/api/v1/nope");
    assert_eq!(reply.status, 404);
    assert_eq!(reply.error_code(), "not_found");
    let reply = s.post_json("/api/v1/healthz", &json!({}));
    assert_eq!(reply.status, 405);
    assert_eq!(reply.error_code(), "method_not_allowed");
}

#[test]
fn criteria_parse_returns_sections_and_offsets() {
    let s = server();
    let text = "Inclusion Criteria:\n- Age 18 years or older\nExclusion Criteria:\n- Pregnant or breastfeeding";
    let reply = s.post_json("/api/v1/criteria/parse", &json!({ "text": text }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let criteria = reply.json()["criteria"].as_array().cloned().unwrap();
    let chars: Vec<char> = text.chars().collect();
    let span_text = |c: &serde_json::Value| {
        let (start, end) = (c["start"].as_u64().unwrap() as usize, c["end"].as_u64().unwrap() as usize);
        chars[start..end].iter().collect::<String>()
    };
    let find = |section: &str, words: &str| {
        criteria.iter().find(|c| c["section"] == section && span_text(c).contains(words)).cloned()
    };
    let age = find("inclusion", "18 years").unwrap_or_else(|| panic!("{criteria:?}"));
    assert_eq!(age["computable"][0]["kind"], "age");
    assert!(find("exclusion", "Pregnant").is_some(), "{criteria:?}");
    assert!(find("inclusion", "Pregnant").is_none());
}

#[test]
fn bad_bodies_get_415_400_and_422() {
    let s = server();
    let wrong_type = s.post("/api/v1/criteria/parse", "text/plain", br#"{"text":"x"}"#, None);
    assert_eq!(wrong_type.status, 415);
    assert_eq!(wrong_type.error_code(), "unsupported_media_type");
    let malformed = s.post("/api/v1/criteria/parse", "application/json", br#"{"text": "#, None);
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.error_code(), "malformed_json");
    let wrong_shape = s.post_json("/api/v1/criteria/parse", &json!({ "txt": 3 }));
    assert_eq!(wrong_shape.status, 422);
    assert_eq!(wrong_shape.error_code(), "invalid_body");
}

#[test]
fn ingest_needs_a_known_token() {
    let s = server();
    let body = common::generated_study(7000).to_string();
    let missing = s.post("/api/v1/ingest", "application/json", body.as_bytes(), None);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.error_code(), "missing_token");
    let wrong = s.post("/api/v1/ingest", "application/json", body.as_bytes(), Some("eligo_0000"));
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.error_code(), "invalid_token");
    let unknown_id = common::generated_study(7000)["protocolSection"]["identificationModule"]["nctId"].clone();
    let before = s.get(&format!("/api/v1/trials/{}", unknown_id.as_str().unwrap()));
    assert_eq!(before.status, 404, "nothing was written without a token");
}

#[test]
fn ingest_stores_good_records_and_reports_bad_ones() {
    let s = server();
    let good = common::generated_study(8000);
    let id = good["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
    let body = format!("{good}\n{{\"protocolSection\": 5}}\n");
    let reply = s.post("/api/v1/ingest", "application/json", body.as_bytes(), Some(&s.token));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let report = reply.json();
    assert_eq!(report["new"], 1);
    assert_eq!(report["failed"], 1);
    assert!(report["errors"][0].as_str().unwrap().contains("api:ingest?token=tests"), "{report}");
    assert_eq!(s.get(&format!("/api/v1/trials/{id}")).status, 200);

    let nothing_good = s.post("/api/v1/ingest", "application/json", b"this is not a registry file", Some(&s.token));
    assert_eq!(nothing_good.status, 422);
    assert_eq!(nothing_good.error_code(), "no_valid_records");
}

#[test]
fn healthz_counts_trials_and_metrics_are_prometheus_text() {
    let s = server();
    let health = s.get("/api/v1/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    assert!(health.json()["trials"].as_u64().unwrap() >= 40);
    s.get("/api/v1/trials/NCT00000000");
    let metrics = s.get("/api/v1/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics.content_type.starts_with("text/plain"));
    assert!(metrics.body.contains("# TYPE eligo_http_requests_total counter"));
    assert!(
        metrics.body.contains(r#"route="/api/v1/trials/{id}",status="404"}"#),
        "labelled by route template, never by the ID asked for: {}",
        metrics.body
    );
    assert!(!metrics.body.contains("NCT00000000"));
}

#[test]
fn huge_bodies_get_413() {
    let limits = Limits { max_body_bytes: 1024, max_ingest_bytes: 4096, ..Limits::default() };
    let s = TestServer::start_with(3, limits);
    let text = "x".repeat(2000);
    let reply = s.post_json("/api/v1/criteria/parse", &json!({ "text": text }));
    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "body_too_large");
    let big = vec![b' '; 5000];
    let reply = s.post("/api/v1/ingest", "application/json", &big, Some(&s.token));
    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "body_too_large");
}

#[test]
fn long_query_strings_get_414() {
    let s = server();
    let reply = s.get(&format!("/api/v1/healthz?q={}", "a".repeat(3000)));
    assert_eq!(reply.status, 414);
    assert_eq!(reply.error_code(), "query_too_long");
}

#[test]
fn requests_past_the_time_limit_get_503() {
    let limits = Limits { request_timeout: Duration::from_nanos(1), ..Limits::default() };
    let s = TestServer::start_with(1, limits);
    // Long enough to take many timer ticks (1 ms) to parse, and short enough (50 KB) to fit in the
    // socket's send buffer: the server may answer before reading the body, and a client still
    // writing a larger one would see a broken pipe instead of the answer.
    let text = "- Age 18 years or older with eGFR above 30 mL/min\n".repeat(1_000);
    let reply = s.post_json("/api/v1/criteria/parse", &json!({ "text": text }));
    assert_eq!(reply.status, 503);
    assert_eq!(reply.error_code(), "timeout");
}

#[test]
fn the_openapi_document_is_openapi_3_and_documents_every_route() {
    let s = server();
    let reply = s.get("/api/v1/openapi.json");
    assert_eq!(reply.status, 200);
    let doc = reply.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{}", doc["openapi"]);
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in eligo_server::API_ROUTES {
        let documented = paths.get(*path).and_then(|p| p.get(*method));
        assert!(documented.is_some(), "{method} {path} is served but not documented");
        assert!(documented.unwrap()["responses"].as_object().is_some_and(|r| !r.is_empty()));
    }
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let ingest_security = &doc["paths"]["/api/v1/ingest"]["post"]["security"];
    assert!(ingest_security.as_array().is_some_and(|s| !s.is_empty()), "the write endpoint declares its token");
    // Every schema reference resolves.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(doc["components"]["schemas"][name].is_object(), "dangling $ref to {name}");
    }
}

#[test]
fn the_openapi_document_reads_as_openapi_3_1_and_every_reference_resolves() {
    let s = server();
    let text = s.get("/api/v1/openapi.json").body;
    let spec = oas3::from_json(&text).unwrap_or_else(|e| panic!("not an OpenAPI 3.1 document: {e}"));
    spec.validate_version().expect("a supported OpenAPI version");
    let media_schemas = |content: &oas3::Map<String, oas3::spec::MediaType>| -> Vec<oas3::spec::Schema> {
        content.values().filter_map(|m| m.schema.clone()).collect()
    };
    let mut operations = 0;
    for (path, method, operation) in spec.operations() {
        operations += 1;
        let at = format!("{method} {path}");
        let mut schemas = Vec::new();
        for parameter in &operation.parameters {
            let parameter = parameter.resolve(&spec).unwrap_or_else(|e| panic!("{at}: parameter: {e}"));
            schemas.extend(parameter.schema);
        }
        if let Some(body) = &operation.request_body {
            let body = body.resolve(&spec).unwrap_or_else(|e| panic!("{at}: request body: {e}"));
            schemas.extend(media_schemas(&body.content));
        }
        let responses = operation.responses.as_ref().unwrap_or_else(|| panic!("{at} documents no responses"));
        for (status, response) in responses {
            let response = response.resolve(&spec).unwrap_or_else(|e| panic!("{at} {status}: {e}"));
            schemas.extend(media_schemas(&response.content));
        }
        for schema in schemas {
            schema.resolve(&spec).unwrap_or_else(|e| panic!("{at}: schema: {e}"));
        }
    }
    assert_eq!(operations, eligo_server::API_ROUTES.len(), "every served route is an operation, and only those");
}

#[test]
fn search_returns_a_page_with_total_facets_and_the_hits_asked_for() {
    let s = server();
    let all = s.get("/api/v1/search?limit=5");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.content_type, "application/json");
    let results = all.json();
    assert!(results["total"].as_u64().unwrap() >= 40);
    assert_eq!(results["hits"].as_array().unwrap().len(), 5);
    assert_eq!(results["facets"], json!({}), "facet counts only when asked");
    let counted = s.get("/api/v1/search?limit=5&facets=true").json();
    let statuses = counted["facets"]["status"].as_object().expect("status counts");
    let counted_total: u64 = statuses.values().map(|n| n.as_u64().unwrap()).sum();
    assert_eq!(counted_total, results["total"].as_u64().unwrap(), "every trial has one status");
    assert_eq!(counted["hits"], results["hits"], "facets do not change the hits");
    let second = s.get("/api/v1/search?limit=5&offset=5").json();
    assert_ne!(second["hits"][0]["id"], results["hits"][0]["id"], "paging moves on");

    let recruiting = s.get("/api/v1/search?status=recruiting&limit=100").json();
    let hits = recruiting["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|hit| hit["status"] == "RECRUITING"), "{recruiting}");
    assert!(recruiting["total"].as_u64() < results["total"].as_u64());
}

#[test]
fn search_text_finds_a_trial_by_its_condition() {
    let s = server();
    let trial = s.get(&format!("/api/v1/trials/{}", s.first_id)).json();
    let condition = trial["conditions"][0].as_str().unwrap().to_string();
    let query: String = condition.chars().map(|c| if c.is_alphanumeric() { c } else { '+' }).collect();
    let results = s.get(&format!("/api/v1/search?q={query}&limit=100")).json();
    let ids: Vec<&str> = results["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&s.first_id.as_str()), "{condition}: {ids:?}");
}

#[test]
fn bad_search_parameters_get_400_with_the_reason() {
    let s = server();
    for (query, code) in [
        ("status=almost", "bad_parameter"),
        ("limit=0", "bad_limit"),
        ("limit=101", "bad_limit"),
        ("offset=990&limit=20", "window_too_deep"),
        ("near=Atlantis+Under+The+Sea", "unknown_place"),
        ("sorting=best", "unknown_parameter"),
        ("age=-3", "bad_parameter"),
        ("facets=maybe", "bad_parameter"),
    ] {
        let reply = s.get(&format!("/api/v1/search?{query}"));
        assert_eq!(reply.status, 400, "{query}: {}", reply.body);
        assert_eq!(reply.error_code(), code, "{query}");
    }
}

/// The value of a `eligo_search_cache_requests_total` series in `/api/v1/metrics`.
fn cache_count(s: &TestServer, result: &str) -> u64 {
    let metrics = s.get("/api/v1/metrics").body;
    let series = format!("eligo_search_cache_requests_total{{result=\"{result}\"}} ");
    let line = metrics.lines().find_map(|l| l.strip_prefix(series.as_str())).expect("cache series in /metrics");
    line.trim().parse().unwrap()
}

#[test]
fn repeated_searches_are_answered_from_the_cache_until_an_ingest_changes_the_index() {
    // A server of its own, so that no other test's ingest moves the index between requests.
    let s = TestServer::start(5);
    let mut study = common::generated_study(9200);
    let id = study["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
    study["protocolSection"]["identificationModule"]["briefTitle"] = json!("Quokkavirus Vaccine in Healthy Adults");
    let search = "/api/v1/search?q=quokkavirus&status=recruiting,completed";
    let same_search = "/api/v1/search?status=completed&status=recruiting&q=quokkavirus+";

    let (hits, misses) = (cache_count(&s, "hit"), cache_count(&s, "miss"));
    assert_eq!(s.get(search).json()["total"], 0);
    assert_eq!(s.get(same_search).json()["total"], 0, "the same search, spelt differently");
    assert_eq!((cache_count(&s, "hit") - hits, cache_count(&s, "miss") - misses), (1, 1));

    study["protocolSection"]["statusModule"]["overallStatus"] = json!("RECRUITING");
    let reply = s.post("/api/v1/ingest", "application/json", study.to_string().as_bytes(), Some(&s.token));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let after = s.get(search).json();
    assert_eq!(after["total"], 1, "the new trial is found, not the cached empty answer: {after}");
    assert_eq!(after["hits"][0]["id"], id.as_str());
}

/// A note about a patient with the first trial's condition.
fn note_for_first_trial(s: &TestServer) -> (String, String) {
    let trial = s.get(&format!("/api/v1/trials/{}", s.first_id)).json();
    let condition = trial["conditions"][0].as_str().unwrap().to_string();
    (format!("45-year-old woman with {condition}, diagnosed two years ago. No other illness."), condition)
}

#[test]
fn match_ranks_trials_for_a_note_with_evidence() {
    let s = server();
    let (note, condition) = note_for_first_trial(s);
    let reply = s.post_json("/api/v1/match", &json!({ "note": note, "limit": 20, "as_of": "2026-11-23" }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json()["results"].as_array().cloned().unwrap();
    assert!(!results.is_empty(), "a patient with {condition} matches some trial");
    assert!(results.len() <= 20);
    let scores: Vec<f64> = results.iter().map(|r| r["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    for result in &results {
        assert!(["eligible", "possible", "ineligible"].contains(&result["verdict"].as_str().unwrap()));
        assert!(result["criteria"].as_array().is_some_and(|c| !c.is_empty()), "evidence per criterion");
    }
}

/// The verdict of `id` for a 45-year-old woman with Takayasu arteritis.
fn takayasu_verdict(s: &TestServer, id: &str) -> (String, serde_json::Value) {
    let note = "45-year-old woman with Takayasu arteritis, diagnosed two years ago.";
    let reply = s.post_json("/api/v1/match", &json!({ "note": note, "limit": 100, "as_of": "2026-11-23" }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json()["results"].as_array().cloned().unwrap();
    let found = results.into_iter().find(|r| r["trial_id"] == id).expect("the Takayasu trial is a candidate");
    (found["verdict"].as_str().unwrap().to_string(), found["exclusions"].clone())
}

#[test]
fn match_sees_a_trial_re_ingested_with_changed_criteria() {
    // Matching keeps prepared trials between requests; a re-ingested trial must not be served
    // from that cache with its old criteria.
    let s = server();
    let mut study = common::generated_study(9100);
    let id = study["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
    let section = &mut study["protocolSection"];
    section["conditionsModule"] = json!({ "conditions": ["Takayasu Arteritis"] });
    section["eligibilityModule"] = json!({
        "eligibilityCriteria": "Inclusion Criteria:\n\n* Diagnosis of Takayasu arteritis\n\nExclusion Criteria:\n\n* Pregnancy",
        "minimumAge": "18 Years",
        "sex": "ALL"
    });
    let ingest = |study: &serde_json::Value| {
        let reply = s.post("/api/v1/ingest", "application/json", study.to_string().as_bytes(), Some(&s.token));
        assert_eq!(reply.status, 200, "{}", reply.body);
    };
    ingest(&study);
    let (before, _) = takayasu_verdict(s, &id);
    assert_ne!(before, "ineligible");
    assert_eq!(takayasu_verdict(s, &id).0, before, "a repeated request (from the cache) agrees");

    // The registry's age limits stay (search filters on them); the criteria text changes.
    study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = json!(
        "Inclusion Criteria:\n\n* Diagnosis of Takayasu arteritis\n* Age 50 years or older\n\nExclusion Criteria:\n\n* Pregnancy"
    );
    ingest(&study);
    let (after, exclusions) = takayasu_verdict(s, &id);
    assert_eq!(after, "ineligible", "the new criterion applies");
    assert!(exclusions.to_string().contains("50 years"), "{exclusions}");
}

#[test]
fn a_patient_without_a_recognised_condition_gets_an_answer_with_a_message() {
    let s = server();
    let reply = s.post_json("/api/v1/match", &json!({ "note": "Feels unwell, tired and short of breath on stairs." }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let message = reply.json()["message"].as_str().unwrap_or_default().to_string();
    assert!(message.contains("No condition was recognised") || message.starts_with("No trials"), "{message}");
}

#[test]
fn match_screens_chosen_trials_and_names_the_unknown_ones() {
    let s = server();
    let (note, _) = note_for_first_trial(s);
    let chosen = json!({ "note": note, "trial_ids": [s.first_id, "NCT99999999"], "as_of": "2026-11-23" });
    let reply = s.post_json("/api/v1/match", &chosen);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body = reply.json();
    let ids: Vec<&str> = body["results"].as_array().unwrap().iter().map(|r| r["trial_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [s.first_id.as_str()], "only the chosen trial, found without retrieval");
    assert_eq!(body["unknown_trials"], json!(["NCT99999999"]));
    assert!(body["results"][0]["criteria"].as_array().is_some_and(|c| !c.is_empty()));
}

#[test]
fn the_api_ranks_as_the_matcher_every_surface_uses() {
    // The CLI runs `Matcher` with `MatchSettings::new`; the API must give the same trials and scores.
    let s = server();
    let (note, _) = note_for_first_trial(s);
    let reply = s.post_json("/api/v1/match", &json!({ "note": note, "limit": 20, "as_of": "2026-11-23" }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let served: Vec<(String, f64)> = reply.json()["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["trial_id"].as_str().unwrap().to_string(), r["score"].as_f64().unwrap()))
        .collect();

    let store = eligo_store::open_store(&format!("sqlite:{}", s.db.display())).unwrap();
    let index = eligo_search::SearchIndex::open(&s.db.with_file_name("search-index")).unwrap();
    let cache = eligo_match::TrialCache::new(100);
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let case = eligo_match::PatientCase {
        patient: eligo_patient::note::read_note(&note, as_of).patient,
        note: Some(note.clone()),
        answers: Default::default(),
    };
    let settings = eligo_match::MatchSettings { limit: 20, ..eligo_match::MatchSettings::new(as_of) };
    let outcome =
        eligo_match::Matcher::new(&*store, &cache).with_index(&index).match_patient(&case, &settings).unwrap();
    let direct: Vec<(String, f64)> = outcome.ranked.iter().map(|r| (r.trial_id.clone(), r.score)).collect();
    assert!(!direct.is_empty());
    assert_eq!(served, direct);
}

#[test]
fn match_refuses_bad_patients_with_reasons() {
    let s = server();
    let two = s.post_json("/api/v1/match", &json!({ "note": "x", "profile": {} }));
    assert_eq!(two.status, 400);
    assert_eq!(two.error_code(), "bad_patient");
    let ids: Vec<String> = (0..101).map(|i| format!("NCT{i:08}")).collect();
    let too_many = s.post_json("/api/v1/match", &json!({ "note": "lupus", "trial_ids": ids }));
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.error_code(), "bad_trial_ids");
    let bad_id = s.post_json("/api/v1/match", &json!({ "note": "lupus", "trial_ids": ["../etc"] }));
    assert_eq!(bad_id.status, 400, "{}", bad_id.body);
    let bad_bundle = s.post_json("/api/v1/match", &json!({ "fhir": { "resourceType": "Patient" } }));
    assert_eq!(bad_bundle.status, 400, "{}", bad_bundle.body);
    let limit = s.post_json("/api/v1/match", &json!({ "note": "lupus", "limit": 1000 }));
    assert_eq!(limit.status, 400);
    assert_eq!(limit.error_code(), "bad_limit");
}

#[test]
fn questions_for_one_trial_ask_what_its_criteria_need() {
    let s = server();
    let reply = s.post_json("/api/v1/questions", &json!({ "trial_id": s.first_id }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let questions = reply.json()["questions"].as_array().cloned().unwrap();
    assert!(!questions.is_empty());
    let keys: Vec<&str> = questions.iter().map(|q| q["key"].as_str().unwrap()).collect();
    let mut unique = keys.clone();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "each question once");
    // Knowing the age answers the age question.
    let with_age =
        s.post_json("/api/v1/questions", &json!({ "trial_id": s.first_id, "profile": { "age": 40, "sex": "female" } }));
    let keys_after: Vec<String> = with_age.json()["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["key"].as_str().unwrap().to_string())
        .collect();
    if keys.contains(&"age") {
        assert!(!keys_after.contains(&"age".to_string()), "{keys_after:?}");
    }

    let unknown = s.post_json("/api/v1/questions", &json!({ "trial_id": "NCT00000000" }));
    assert_eq!(unknown.status, 404);
    let pool = s.post_json("/api/v1/questions", &json!({ "note": note_for_first_trial(s).0 }));
    assert_eq!(pool.status, 200, "{}", pool.body);
}

#[test]
fn answers_to_questions_merge_into_the_patient() {
    let s = server();
    let asked = s.post_json("/api/v1/questions", &json!({ "trial_id": s.first_id, "as_of": "2026-11-23" })).json();
    let questions = asked["questions"].as_array().cloned().unwrap();
    let age = questions.iter().find(|q| q["answer"]["type"] == "number" && q["key"] == "age");
    let age = age.expect("every generated trial asks the age");
    assert_eq!(age["answer"]["unit"], "years");

    // Answered, the question is no longer open; a bad answer is rejected by key and stays open.
    let answered = s.post_json(
        "/api/v1/questions",
        &json!({ "trial_id": s.first_id, "as_of": "2026-11-23", "answers": { "age": 40, "no-such-key": true } }),
    );
    assert_eq!(answered.status, 200, "{}", answered.body);
    let out = answered.json();
    assert!(out["questions"].as_array().unwrap().iter().all(|q| q["key"] != "age"), "{out}");
    let rejected: Vec<&str> =
        out["rejected"].as_array().unwrap().iter().map(|r| r["where"].as_str().unwrap()).collect();
    assert_eq!(rejected, ["answers.no-such-key"]);
    let bad = s.post_json("/api/v1/questions", &json!({ "trial_id": s.first_id, "answers": { "age": "old" } }));
    assert_eq!(bad.json()["rejected"][0]["reason"].as_str().unwrap(), "your age: needs a number");
    assert!(bad.json()["questions"].as_array().unwrap().iter().any(|q| q["key"] == "age"));

    // In a match, answers count like the rest of the patient: a 7-year-old fails adult trials.
    let (note, _) = note_for_first_trial(s);
    let note = note.replace("45-year-old woman", "woman");
    let reply = s.post_json("/api/v1/match", &json!({ "note": note, "limit": 50, "answers": { "age": 7 } }));
    assert_eq!(reply.status, 200, "{}", reply.body);
    let results = reply.json()["results"].as_array().cloned().unwrap();
    let evidence_of_age = results.iter().flat_map(|r| r["criteria"].as_array().cloned().unwrap()).any(|c| {
        c["evidence"].as_array().is_some_and(|e| e.iter().any(|e| e["source"] == "answer" && e["path"] == "age"))
    });
    assert!(evidence_of_age, "the answered age is the evidence of age criteria");
    let malformed = s.post_json("/api/v1/match", &json!({ "note": note, "answers": { "age": [7] } }));
    assert_eq!(malformed.status, 422, "{}", malformed.body);
}
