//! `eligo sync` against a real loopback server replaying recorded API pages.

mod common;

use common::Eligo;
use eligo_testkit::{fixture, ReplayServer, Reply, Routes, CTGOV_PAGES, CTGOV_PAGE_TOKENS};

fn sync(eligo: &Eligo, server: &ReplayServer) -> common::Run {
    let base = server.base_url();
    eligo.run(&[
        "sync",
        "--condition",
        "lupus",
        "--base-url",
        &base,
        "--min-interval-ms",
        "0",
        "--max-retries",
        "0",
        "--json",
    ])
}

#[test]
fn sync_stores_every_page_and_a_rerun_changes_nothing() {
    let eligo = Eligo::new();
    let server = ReplayServer::start(eligo_testkit::ctgov_pages_routes());
    let run = sync(&eligo, &server);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    assert_eq!((report["pages"].as_u64(), report["new"].as_u64()), (Some(3), Some(7)), "{report}");
    assert_eq!(report["resumed"], false);
    assert!(server.requests()[0].contains("query.cond=lupus"), "{:?}", server.requests());

    let again = sync(&eligo, &server).json();
    assert_eq!((again["new"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(7)));
}

#[test]
fn an_interrupted_sync_resumes_where_it_stopped() {
    let eligo = Eligo::new();
    let failing = ReplayServer::start(
        Routes::new()
            .page(None, vec![Reply::json(fixture(CTGOV_PAGES[0]))])
            .page(Some(CTGOV_PAGE_TOKENS[0]), vec![Reply::drop_mid_body(fixture(CTGOV_PAGES[1]))]),
    );
    let first = sync(&eligo, &failing);
    assert_eq!(first.code, 1, "a dropped connection past all retries fails the run");
    assert!(first.stderr.contains("run the same command again to resume"), "{}", first.stderr);
    let stored_after_failure = eligo.run(&["stats", "--json"]).json()["trials"].as_u64().unwrap();
    assert!(stored_after_failure > 0, "page 1 was committed before the failure");

    let healthy = ReplayServer::start(eligo_testkit::ctgov_pages_routes());
    let second = sync(&eligo, &healthy);
    assert_eq!(second.code, 0, "{}", second.stderr);
    let report = second.json();
    assert_eq!(report["resumed"], true);
    assert_eq!(report["pages"], 2, "only the pages not yet committed are fetched: {report}");
    assert!(
        healthy.requests().iter().all(|r| r.contains("pageToken=")),
        "page 1 not asked again: {:?}",
        healthy.requests()
    );
    assert_eq!(eligo.run(&["stats", "--json"]).json()["trials"], 7);
}

#[test]
fn a_registry_error_is_reported_without_retrying() {
    let eligo = Eligo::new();
    let server = ReplayServer::start(Routes::any(vec![Reply::status(400, r#"{"message":"bad filter.advanced"}"#)]));
    let run = sync(&eligo, &server);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("bad filter.advanced"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 1);
}
