//! Write access over the API: tokens that can be revoked, expire and carry a scope; idempotent
//! ingest; a batch that outruns the wait answers 202 with a status URL and still finishes.

mod common;

use std::time::{Duration, Instant};

use common::{Reply, TestServer};
use eligo_server::tokens::{create_token, Scope};
use eligo_server::Limits;
use eligo_store::NewApiToken;

fn study(index: u64) -> (String, String) {
    let study = common::generated_study(index);
    let id = study["protocolSection"]["identificationModule"]["nctId"].as_str().unwrap().to_string();
    (study.to_string(), id)
}

fn ingest(s: &TestServer, body: &str, token: &str) -> Reply {
    s.post("/api/v1/ingest", "application/json", body.as_bytes(), Some(token))
}

#[test]
fn a_revoked_token_is_refused_on_its_next_request_and_writes_name_their_token() {
    let s = TestServer::start(1);
    let token = create_token(
        &*eligo_store::open_store(&format!("sqlite:{}", s.db.display())).unwrap(),
        "loader-7",
        Scope::Ingest,
        None,
    )
    .unwrap();
    let (body, id) = study(7100);
    let reply = ingest(&s, &body, &token);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let trial = s.get(&format!("/api/v1/trials/{id}")).json();
    let sources = trial["sources"].to_string();
    assert!(sources.contains("api:ingest?token=loader-7"), "the write names its token: {sources}");

    eligo_store::open_store(&format!("sqlite:{}", s.db.display()))
        .unwrap()
        .revoke_api_tokens("loader-7", chrono::Utc::now())
        .unwrap();
    let (other, other_id) = study(7101);
    let refused = ingest(&s, &other, &token);
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert_eq!(refused.error_code(), "revoked_token");
    assert_eq!(s.get(&format!("/api/v1/trials/{other_id}")).status, 404, "nothing was written");
    assert_eq!(ingest(&s, &other, &s.token).status, 200, "other tokens still work");
}

#[test]
fn expired_and_out_of_scope_tokens_are_refused() {
    let s = TestServer::start(1);
    let store = eligo_store::open_store(&format!("sqlite:{}", s.db.display())).unwrap();
    let secret = "eligo_expired-for-the-test";
    let hash = eligo_server::tokens::hash_token(secret);
    let expired_at = Some(chrono::Utc::now() - chrono::TimeDelta::minutes(1));
    store
        .add_api_token(&NewApiToken { hash, name: "old".into(), scope: "ingest".into(), expires_at: expired_at })
        .unwrap();
    let (body, _) = study(7200);
    let expired = ingest(&s, &body, secret);
    assert_eq!((expired.status, expired.error_code().as_str()), (401, "expired_token"));
    let hash = eligo_server::tokens::hash_token("eligo_future-scope");
    store.add_api_token(&NewApiToken { hash, name: "f".into(), scope: "superuser".into(), expires_at: None }).unwrap();
    let forbidden = ingest(&s, &body, "eligo_future-scope");
    assert_eq!((forbidden.status, forbidden.error_code().as_str()), (403, "insufficient_scope"));
    let admin = create_token(&*store, "ops", Scope::Admin, None).unwrap();
    assert_eq!(ingest(&s, &body, &admin).status, 200, "admin tokens may ingest");
}

#[test]
fn a_retried_batch_is_a_no_op_answering_the_first_result() {
    let s = TestServer::start(1);
    let (body, _) = study(7300);
    let first = ingest(&s, &body, &s.token);
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.json()["new"], 1);
    assert_eq!(first.header("idempotent-replayed"), None);
    // Without a key, the content is the key: the retry answers `new: 1` again, not `unchanged`.
    let retry = ingest(&s, &body, &s.token);
    assert_eq!(retry.status, 200);
    assert_eq!(retry.json(), first.json());
    assert_eq!(retry.header("idempotent-replayed"), Some("true"));

    // With a key: the same key and content replays; the same key and other content is refused.
    let (second, second_id) = study(7301);
    let auth = format!("Bearer {}", s.token);
    let keyed = |body: &str| {
        let headers = [("Authorization", auth.as_str()), ("Idempotency-Key", "batch-2026-12-05")];
        s.post_with("/api/v1/ingest", "application/json", body.as_bytes(), &headers)
    };
    assert_eq!(keyed(&second).json()["new"], 1);
    let replay = keyed(&second);
    assert_eq!((replay.status, replay.header("idempotent-replayed")), (200, Some("true")));
    let (third, third_id) = study(7302);
    let reused = keyed(&third);
    assert_eq!((reused.status, reused.error_code().as_str()), (422, "idempotency_key_reused"));
    assert_eq!(s.get(&format!("/api/v1/trials/{third_id}")).status, 404, "nothing was written");
    assert_eq!(s.get(&format!("/api/v1/trials/{second_id}")).status, 200);
    let headers = [("Authorization", auth.as_str()), ("Idempotency-Key", "")];
    let bad = s.post_with("/api/v1/ingest", "application/json", third.as_bytes(), &headers);
    assert_eq!((bad.status, bad.error_code().as_str()), (400, "bad_idempotency_key"));
}

#[test]
fn a_batch_that_outruns_the_wait_answers_202_with_a_status_url_and_still_finishes() {
    // No wait at all: every batch answers 202 unless it was already done.
    let s = TestServer::start_with(1, Limits { ingest_wait: Duration::ZERO, ..Limits::default() });
    let (body, id) = study(7400);
    let accepted = ingest(&s, &body, &s.token);
    assert_eq!(accepted.status, 202, "{}", accepted.body);
    let status_url = accepted.json()["status_url"].as_str().unwrap().to_string();
    assert_eq!(accepted.header("location"), Some(status_url.as_str()));
    assert_eq!(accepted.json()["status"], "running");

    let started = Instant::now();
    let done = loop {
        let status = s.get_with_token(&status_url, &s.token);
        assert_eq!(status.status, 200, "{}", status.body);
        if status.json()["status"] != "running" {
            break status.json();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "the job never finished");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["result"]["new"], 1);
    assert_eq!(s.get(&format!("/api/v1/trials/{id}")).status, 200);
    // The retry of a finished batch answers its result at once.
    let retry = ingest(&s, &body, &s.token);
    assert_eq!((retry.status, retry.header("idempotent-replayed")), (200, Some("true")));
    assert_eq!(retry.json(), done["result"]);

    assert_eq!(s.get(&status_url).status, 401, "job status needs a token");
    let unknown = s.get_with_token(&format!("/api/v1/jobs/{}", "0".repeat(32)), &s.token);
    assert_eq!((unknown.status, unknown.error_code().as_str()), (404, "not_found"));
    assert_eq!(s.get("/api/v1/healthz").status, 200);
}
