//! The API v2 sync client against a local replay server (loopback only).

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use eligo_ctgov::sync::{AttemptFailure, ClientConfig, SyncClient, SyncError, SyncQuery};
use eligo_model::SourceKind;
use eligo_testkit::{ctgov_pages_routes, fixture, query_value, ReplayServer, Reply, Routes, CTGOV_PAGES};

/// A client for `server` with no pacing and millisecond backoffs.
fn client(server: &ReplayServer) -> SyncClient {
    client_with(server, |_| {})
}

fn client_with(server: &ReplayServer, tweak: impl FnOnce(&mut ClientConfig)) -> SyncClient {
    let mut config = ClientConfig {
        base_url: server.base_url(),
        min_interval: Duration::ZERO,
        max_retries: 3,
        initial_backoff: Duration::from_millis(5),
        timeout: Duration::from_secs(5),
        ..Default::default()
    };
    tweak(&mut config);
    SyncClient::new(config).unwrap()
}

fn query() -> SyncQuery {
    SyncQuery { condition: Some("lupus".into()), page_size: 3, ..Default::default() }
}

fn nct_ids(page: &eligo_ctgov::sync::ApiPage) -> Vec<String> {
    page.records.iter().map(|r| r.as_ref().expect("record reads").trial.id.clone()).collect()
}

#[test]
fn follows_pages_through_next_page_token() {
    let server = ReplayServer::start(ctgov_pages_routes());
    let client = client(&server);
    let query = query();
    let mut token: Option<String> = None;
    let mut ids = Vec::new();
    let mut totals = Vec::new();
    let mut pages = 0;
    loop {
        let page = client.fetch_page(&query, token.as_deref()).unwrap();
        pages += 1;
        assert!(pages <= 3, "the last page has no nextPageToken");
        ids.extend(nct_ids(&page));
        totals.push(page.total_count);
        for record in &page.records {
            let trial = &record.as_ref().unwrap().trial;
            assert_eq!(trial.sources.len(), 1);
            assert_eq!(trial.sources[0].kind, SourceKind::CtgovApi);
            assert_eq!(trial.sources[0].uri.as_deref(), Some(page.uri.as_str()));
        }
        match page.next_page_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (1..=7).map(|n| format!("NCT0990010{n}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(totals, [Some(7), None, None]);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(query_value(&requests[0], "pageToken"), None);
    assert_eq!(query_value(&requests[0], "countTotal").as_deref(), Some("true"));
    assert_eq!(query_value(&requests[1], "pageToken").as_deref(), Some("tok-page-2"));
    assert_eq!(query_value(&requests[2], "pageToken").as_deref(), Some("tok-page-3"));
    for r in &requests[1..] {
        assert_eq!(query_value(r, "countTotal"), None, "countTotal only on the first page: {r}");
    }
    for r in &requests {
        assert!(r.starts_with("/studies?"), "{r}");
        assert_eq!(query_value(r, "query.cond").as_deref(), Some("lupus"));
        assert_eq!(query_value(r, "pageSize").as_deref(), Some("3"));
    }
}

#[test]
fn resumed_sync_does_not_request_the_first_page() {
    let server = ReplayServer::start(ctgov_pages_routes());
    let page = client(&server).fetch_page(&query(), Some("tok-page-3")).unwrap();
    assert_eq!(nct_ids(&page), ["NCT09900106", "NCT09900107"]);
    assert_eq!(page.next_page_token, None);
    assert_eq!(server.requests().len(), 1);
    assert_eq!(query_value(&server.requests()[0], "pageToken").as_deref(), Some("tok-page-3"));
}

#[test]
fn sends_the_api_query_parameters() {
    let server = ReplayServer::start(Routes::any(vec![Reply::json(fixture(CTGOV_PAGES[2]))]));
    let client = client_with(&server, |c| c.base_url.push('/'));
    let query = SyncQuery {
        term: Some("anti-CD20 & B-cell".into()),
        condition: Some("Sjögren's disease".into()),
        intervention: Some("  rituximab ".into()),
        location: Some("Bergen, Norway".into()),
        status: vec!["recruiting".into(), "NOT_YET_RECRUITING".into(), "RECRUITING".into()],
        updated_since: Some(NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()),
        page_size: 250,
    };
    let page = client.fetch_page(&query, Some("a/b+c=")).unwrap();
    let recorded = server.recorded();
    assert_eq!(recorded.len(), 1);
    let r = &recorded[0];
    assert_eq!(r.method, "GET");
    assert!(r.target.starts_with("/studies?"), "{}", r.target);
    assert_eq!(r.query("query.term").as_deref(), Some("anti-CD20 & B-cell"));
    assert_eq!(r.query("query.cond").as_deref(), Some("Sjögren's disease"));
    assert_eq!(r.query("query.intr").as_deref(), Some("rituximab"));
    assert_eq!(r.query("query.locn").as_deref(), Some("Bergen, Norway"));
    assert_eq!(r.query("filter.overallStatus").as_deref(), Some("NOT_YET_RECRUITING,RECRUITING"));
    assert_eq!(r.query("filter.advanced").as_deref(), Some("AREA[LastUpdatePostDate]RANGE[2024-06-01,MAX]"));
    assert_eq!(r.query("pageSize").as_deref(), Some("250"));
    assert_eq!(r.query("pageToken").as_deref(), Some("a/b+c="));
    assert_eq!(r.query("countTotal"), None);
    assert_eq!(r.header("user-agent"), Some(format!("eligo/{}", env!("CARGO_PKG_VERSION")).as_str()));
    // The URL the client reports is the one it sent.
    assert_eq!(page.uri, format!("{}{}", server.base_url(), r.target));
    assert_eq!(query.url(&format!("{}/", server.base_url()), Some("a/b+c=")), page.uri);
    // Unset fields are not sent at all.
    let bare = SyncQuery::default().query_string(None);
    assert_eq!(bare, "pageSize=100&countTotal=true");
}

#[test]
fn fingerprint_is_stable_and_ignores_paging_state() {
    let a = SyncQuery {
        condition: Some("systemic sclerosis".into()),
        status: vec!["RECRUITING".into(), "ACTIVE_NOT_RECRUITING".into()],
        ..Default::default()
    };
    let b = SyncQuery { status: vec![" active_not_recruiting".into(), "RECRUITING".into()], ..a.clone() };
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_eq!(
        a.fingerprint(),
        "ctgov-v2:/studies?query.cond=systemic%20sclerosis&filter.overallStatus=ACTIVE_NOT_RECRUITING%2CRECRUITING&pageSize=100"
    );
    let c = SyncQuery { page_size: 50, ..a.clone() };
    assert_ne!(a.fingerprint(), c.fingerprint());
    let d = SyncQuery { updated_since: NaiveDate::from_ymd_opt(2025, 1, 1), ..a.clone() };
    assert_ne!(a.fingerprint(), d.fingerprint());
    assert!(!a.fingerprint().contains("countTotal") && !a.fingerprint().contains("pageToken"));
}

#[test]
fn retries_a_server_error_then_succeeds() {
    let server = ReplayServer::start(
        Routes::new().page(None, vec![Reply::status(500, "Internal error"), Reply::json(fixture(CTGOV_PAGES[0]))]),
    );
    let page = client(&server).fetch_page(&query(), None).unwrap();
    assert_eq!(page.records.len(), 3);
    assert_eq!(page.next_page_token.as_deref(), Some("tok-page-2"));
    assert_eq!(server.requests().len(), 2);
    assert_eq!(server.requests()[0], server.requests()[1], "the retry asks the same thing");
}

#[test]
fn honours_retry_after_on_429() {
    let server = ReplayServer::start(Routes::new().page(
        None,
        vec![
            Reply::status(429, "Too many requests").with_header("Retry-After", "1"),
            Reply::json(fixture(CTGOV_PAGES[0])),
        ],
    ));
    let start = Instant::now();
    let page = client(&server).fetch_page(&query(), None).unwrap();
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_secs(1), "waited {elapsed:?}, Retry-After says 1 s");
    assert!(elapsed < Duration::from_secs(4), "waited {elapsed:?}");
    assert_eq!(page.records.len(), 3);
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn retry_after_is_capped() {
    let server = ReplayServer::start(Routes::new().page(
        None,
        vec![Reply::status(429, "slow down").with_header("Retry-After", "3600"), Reply::json(fixture(CTGOV_PAGES[0]))],
    ));
    let client = client_with(&server, |c| c.max_retry_after = Duration::from_millis(20));
    let start = Instant::now();
    client.fetch_page(&query(), None).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn retries_dropped_connections_then_succeeds() {
    let body = fixture(CTGOV_PAGES[0]);
    let server = ReplayServer::start(Routes::new().page(
        None,
        vec![Reply::drop(), Reply::drop_silently(), Reply::drop_mid_body(&body), Reply::json(body.clone())],
    ));
    let page = client(&server).fetch_page(&query(), None).unwrap();
    assert_eq!(nct_ids(&page), ["NCT09900101", "NCT09900102", "NCT09900103"]);
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn gives_up_after_max_retries() {
    let server = ReplayServer::start(Routes::any(vec![Reply::drop()]));
    let client = client_with(&server, |c| c.max_retries = 2);
    let err = client.fetch_page(&query(), None).unwrap_err();
    assert_eq!(server.requests().len(), 3, "one try and two retries");
    assert!(
        matches!(err, SyncError::RetriesExhausted { attempts: 3, last: AttemptFailure::Transport(_), .. }),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 3);
    let message = err.to_string();
    assert!(message.contains(&server.base_url()) && message.contains("3 attempts"), "{message}");
}

#[test]
fn gives_up_on_persistent_server_errors_with_the_status() {
    let server = ReplayServer::start(Routes::any(vec![Reply::status(503, "{\"message\":\"maintenance window\"}")]));
    let client = client_with(&server, |c| c.max_retries = 1);
    let err = client.fetch_page(&query(), None).unwrap_err();
    assert_eq!(server.requests().len(), 2);
    assert_eq!(err.status(), Some(503));
    assert!(err.to_string().contains("HTTP 503: maintenance window"), "{err}");
}

#[test]
fn backoff_waits_between_retries() {
    let server = ReplayServer::start(Routes::any(vec![Reply::status(502, "bad gateway")]));
    let client = client_with(&server, |c| {
        c.max_retries = 2;
        c.initial_backoff = Duration::from_millis(100);
    });
    let start = Instant::now();
    client.fetch_page(&query(), None).unwrap_err();
    assert!(start.elapsed() >= Duration::from_millis(300), "100 ms then 200 ms: {:?}", start.elapsed());
}

#[test]
fn a_client_error_is_not_retried() {
    let server =
        ReplayServer::start(Routes::any(vec![Reply::status(400, "pageSize: must be less than or equal to 1000\n")]));
    let err = client(&server).fetch_page(&query(), None).unwrap_err();
    assert_eq!(server.requests().len(), 1);
    match &err {
        SyncError::Status { status, message, attempts, url } => {
            assert_eq!(*status, 400);
            assert_eq!(message, "pageSize: must be less than or equal to 1000");
            assert_eq!(*attempts, 1);
            assert!(url.starts_with(&server.base_url()));
        }
        other => panic!("expected a status error, got {other:?}"),
    }
    assert!(err.to_string().contains("HTTP 400"), "{err}");
}

#[test]
fn a_body_that_is_not_a_page_is_an_error_naming_the_url() {
    for body in [
        "<html>Service page</html>",
        "{\"studies\": 3}",
        "{\"studies\": [], \"nextPageToken\": 5}",
        "{\"studies\": [{\"protocolSection\": {}}",
        "{\"protocolSection\": {\"identificationModule\": {\"nctId\": \"NCT09900101\"}}}",
        "[1, 2]",
        "",
    ] {
        let server = ReplayServer::start(Routes::any(vec![Reply::json(body)]));
        let err = client(&server).fetch_page(&query(), None).unwrap_err();
        assert_eq!(server.requests().len(), 1, "{body:?}: not retried");
        match &err {
            SyncError::InvalidPage { url, .. } => assert!(url.starts_with(&server.base_url())),
            other => panic!("{body:?}: expected InvalidPage, got {other:?}"),
        }
        assert!(err.to_string().contains("/studies?"), "{err}");
    }
}

#[test]
fn a_timeout_is_retried() {
    let server = ReplayServer::start(Routes::new().page(
        None,
        vec![Reply::json(fixture(CTGOV_PAGES[0])).after(Duration::from_secs(2)), Reply::json(fixture(CTGOV_PAGES[0]))],
    ));
    let client = client_with(&server, |c| c.timeout = Duration::from_millis(200));
    let start = Instant::now();
    let page = client.fetch_page(&query(), None).unwrap();
    assert_eq!(page.records.len(), 3);
    assert_eq!(server.requests().len(), 2);
    assert!(start.elapsed() < Duration::from_millis(1500), "{:?}", start.elapsed());
}

#[test]
fn requests_are_paced() {
    let server = ReplayServer::start(ctgov_pages_routes());
    let client = client_with(&server, |c| c.min_interval = Duration::from_millis(100));
    let start = Instant::now();
    let first = client.fetch_page(&query(), None).unwrap();
    let second = client.fetch_page(&query(), first.next_page_token.as_deref()).unwrap();
    client.fetch_page(&query(), second.next_page_token.as_deref()).unwrap();
    assert!(start.elapsed() >= Duration::from_millis(200), "{:?}", start.elapsed());
}

#[test]
fn an_invalid_page_size_is_refused_before_sending() {
    let server = ReplayServer::start(ctgov_pages_routes());
    for page_size in [0, 1001] {
        let err = client(&server).fetch_page(&SyncQuery { page_size, ..query() }, None).unwrap_err();
        assert!(matches!(err, SyncError::InvalidQuery { .. }), "{err:?}");
    }
    assert!(server.requests().is_empty());
}

#[test]
fn a_connection_refused_is_retried_then_reported() {
    // Bind and drop a listener to get a loopback port with nobody behind it.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = SyncClient::new(ClientConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        min_interval: Duration::ZERO,
        max_retries: 1,
        initial_backoff: Duration::from_millis(1),
        timeout: Duration::from_secs(2),
        ..Default::default()
    })
    .unwrap();
    let err = client.fetch_page(&query(), None).unwrap_err();
    assert!(matches!(err, SyncError::RetriesExhausted { attempts: 2, .. }), "{err:?}");
}

#[test]
fn retry_after_as_an_http_date() {
    // A date in the past means "retry now"; a date far ahead is capped.
    let server = ReplayServer::start(Routes::new().page(
        None,
        vec![
            Reply::status(429, "").with_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
            Reply::status(429, "").with_header("Retry-After", "Fri, 01 Jan 2100 00:00:00 GMT"),
            Reply::json(fixture(CTGOV_PAGES[0])),
        ],
    ));
    let client = client_with(&server, |c| {
        c.initial_backoff = Duration::from_secs(30);
        c.max_retry_after = Duration::from_millis(50);
    });
    let start = Instant::now();
    client.fetch_page(&query(), None).unwrap();
    assert!(start.elapsed() < Duration::from_secs(2), "Retry-After was used, not the 30 s backoff");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn backoff_doubles_and_caps() {
    let config = ClientConfig {
        initial_backoff: Duration::from_millis(100),
        max_backoff: Duration::from_secs(1),
        ..Default::default()
    };
    let waits: Vec<u128> = (1..=6).map(|n| config.backoff(n).as_millis()).collect();
    assert_eq!(waits, [100, 200, 400, 800, 1000, 1000]);
    assert_eq!(config.backoff(200), Duration::from_secs(1));
    let defaults = ClientConfig::default();
    assert_eq!(defaults.max_retries, 5);
    assert_eq!(defaults.backoff(1), Duration::from_secs(1));
    assert!(defaults.min_interval >= Duration::from_millis(334), "under 3 requests a second");
    assert_eq!(defaults.user_agent, format!("eligo/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn records_are_fully_mapped_and_bad_studies_do_not_fail_the_page() {
    let page = r#"{"studies": [
        {"protocolSection": {"identificationModule": {"briefTitle": "No identifier"}}},
        {"protocolSection": {"identificationModule": {"nctId": "NCT09900108", "briefTitle": "Belimumab in lupus"}}}
    ], "nextPageToken": "next"}"#;
    let server = ReplayServer::start(
        Routes::new().page(None, vec![Reply::json(fixture(CTGOV_PAGES[0]))]).page(Some("bad"), vec![Reply::json(page)]),
    );
    let client = client(&server);
    let first = client.fetch_page(&query(), None).unwrap();
    let trial = &first.records[0].as_ref().unwrap().trial;
    assert_eq!(
        trial.brief_title.as_deref(),
        Some("Subcutaneous Belimumab Added to Standard Therapy in Active Lupus Nephritis")
    );
    assert!(trial.eligibility.criteria_text.as_deref().is_some_and(|t| t.contains("Exclusion Criteria")));
    assert_eq!(trial.locations.len(), 3);
    assert!(trial.locations.iter().all(|l| l.geo.is_some()));
    assert!(trial.interventions.iter().any(|i| i.name == "Belimumab"));

    let mixed = client.fetch_page(&query(), Some("bad")).unwrap();
    assert_eq!(mixed.records.len(), 2);
    let error = mixed.records[0].as_ref().unwrap_err();
    assert_eq!(error.uri, mixed.uri);
    assert_eq!(mixed.records[1].as_ref().unwrap().trial.id, "NCT09900108");
    assert_eq!(mixed.next_page_token.as_deref(), Some("next"));
}
