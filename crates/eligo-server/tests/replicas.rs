//! Several servers over one store, as replicas behind a load balancer: what one writes, every
//! other finds by search within two seconds (over PostgreSQL, and over one SQLite file); a replica
//! whose database goes away keeps answering searches, refuses what needs the database with 503,
//! and recovers by itself when it returns.

mod common;

use std::time::{Duration, Instant};

use common::{get, post_with, serve_in_background, Reply};
use eligo_server::rate_limit::ClientRate;
use eligo_server::tokens::Scope;
use eligo_server::{AppState, Limits};
use eligo_testkit::postgres::PostgresServer;

/// How soon a write through one replica must be searchable on the others.
const PROPAGATION: Duration = Duration::from_secs(2);

/// One replica: a server of its own over the shared store, with its own search index.
struct Replica {
    base: String,
    _follower: eligo_search::follow::Follower,
    _index_dir: tempfile::TempDir,
}

impl Replica {
    fn start(location: &str) -> Replica {
        let store = eligo_store::open_store(location).unwrap();
        let index_dir = tempfile::tempdir().unwrap();
        let index = eligo_search::SearchIndex::open(&index_dir.path().join("search-index")).unwrap();
        index.catch_up(&*store).unwrap();
        let limits = Limits { client_rate: ClientRate { per_minute: 0, ..ClientRate::default() }, ..Limits::default() };
        let state = AppState::new(store, index, limits);
        let follower = state.follow_store().unwrap();
        Replica { base: serve_in_background(state), _follower: follower, _index_dir: index_dir }
    }

    fn get(&self, path: &str) -> Reply {
        get(&self.base, path)
    }

    fn ingest(&self, body: &serde_json::Value, token: &str) -> Reply {
        let auth = format!("Bearer {token}");
        post_with(
            &self.base,
            "/api/v1/ingest",
            "application/json",
            body.to_string().as_bytes(),
            &[("Authorization", &auth)],
        )
    }

    /// How many trials a search for `word` finds.
    fn found(&self, word: &str) -> u64 {
        let reply = self.get(&format!("/api/v1/search?q={word}"));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()["total"].as_u64().unwrap()
    }
}

/// A generated study retitled with `word`, which no other trial has; and its NCT ID.
fn study_titled(index: u64, word: &str) -> (serde_json::Value, String) {
    let mut study = common::generated_study(index);
    let identification = &mut study["protocolSection"]["identificationModule"];
    identification["briefTitle"] = format!("{word} for adults with asthma").into();
    let id = identification["nctId"].as_str().unwrap().to_string();
    (study, id)
}

fn token_for(location: &str) -> String {
    let store = eligo_store::open_store(location).unwrap();
    eligo_server::tokens::create_token(&*store, "replica-tests", Scope::Ingest, None).unwrap()
}

/// Writes through `writer`, then searches `reader` until the trial appears or the time is up.
fn written_on_one_is_found_on_the_other(writer: &Replica, reader: &Replica, token: &str, index: u64, word: &str) {
    let (study, id) = study_titled(index, word);
    assert_eq!(reader.found(word), 0, "{word} is new");
    let reply = writer.ingest(&study, token);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let written = Instant::now();
    while reader.found(word) != 1 {
        assert!(written.elapsed() < PROPAGATION, "{id} not searchable on the other replica after {PROPAGATION:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("{id} searchable on the other replica {:?} after the write was answered", written.elapsed());
    assert_eq!(reader.get(&format!("/api/v1/trials/{id}")).status, 200, "the other replica reads it from the store");
}

#[test]
fn a_trial_written_through_one_postgresql_replica_is_searchable_on_the_other_within_two_seconds() {
    let Some(server) = PostgresServer::for_test() else { return };
    let location = server.url("postgres");
    let token = token_for(&location);
    let (first, second) = (Replica::start(&location), Replica::start(&location));
    written_on_one_is_found_on_the_other(&first, &second, &token, 1, "quillwort");
    written_on_one_is_found_on_the_other(&second, &first, &token, 2, "marshwort");
}

#[test]
fn a_trial_written_through_one_sqlite_replica_is_searchable_on_the_other_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let location = format!("sqlite:{}", dir.path().join("eligo.db").display());
    let token = token_for(&location);
    let (first, second) = (Replica::start(&location), Replica::start(&location));
    written_on_one_is_found_on_the_other(&first, &second, &token, 1, "quillwort");
    written_on_one_is_found_on_the_other(&second, &first, &token, 2, "marshwort");
}

/// Polls `check` every 50 ms until it holds, failing with `what` after `deadline`.
fn eventually(deadline: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let started = Instant::now();
    while !check() {
        assert!(started.elapsed() < deadline, "{what} within {deadline:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_replica_that_loses_its_database_serves_searches_refuses_writes_and_recovers() {
    let Some(server) = PostgresServer::for_test() else { return };
    let location = server.url("postgres");
    let token = token_for(&location);
    let replica = Replica::start(&location);
    let (before, before_id) = study_titled(1, "quillwort");
    assert_eq!(replica.ingest(&before, &token).status, 200);
    eventually(PROPAGATION, "the first trial is searchable", || replica.found("quillwort") == 1);

    server.stop().unwrap();
    eventually(Duration::from_secs(5), "healthz says degraded", || {
        let health = replica.get("/api/v1/healthz");
        health.status == 200 && health.json()["status"] == "degraded"
    });
    let health = replica.get("/api/v1/healthz").json();
    assert_eq!(health["database"], "unreachable");
    assert_eq!(health["trials"], 1, "counted from the index: {health}");
    let (during, _) = study_titled(2, "marshwort");
    let refused = replica.ingest(&during, &token);
    assert_eq!(refused.status, 503, "{}", refused.body);
    assert_eq!(refused.error_code(), "store_unavailable");
    assert!(refused.header("retry-after").is_some(), "503 says when to retry");
    assert_eq!(replica.found("quillwort"), 1, "searches go on from the index");
    assert_eq!(replica.get(&format!("/api/v1/trials/{before_id}")).status, 503, "a store read is refused at once");

    server.resume().unwrap();
    let resumed = Instant::now();
    eventually(Duration::from_secs(10), "writes work again", || replica.ingest(&during, &token).status == 200);
    eprintln!("writes accepted again {:?} after the database came back", resumed.elapsed());
    eventually(PROPAGATION, "the new trial is searchable", || replica.found("marshwort") == 1);
    assert_eq!(replica.get("/api/v1/healthz").json()["status"], "ok");
}
