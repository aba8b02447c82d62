//! The store's conformance suite on the embedded SQLite backend, and what only SQLite has: its
//! file, its permissions, its migrations.

mod conformance;

use std::sync::atomic::{AtomicUsize, Ordering};

use conformance::{new_token, trial};
use eligo_model::OverallStatus;
use eligo_store::StoreError;

/// Fresh stores in data directories under one temporary directory.
struct Sqlite {
    root: tempfile::TempDir,
    made: AtomicUsize,
}

impl Sqlite {
    fn new() -> Sqlite {
        Sqlite { root: tempfile::tempdir().unwrap(), made: AtomicUsize::new(0) }
    }
}

impl conformance::Backend for Sqlite {
    fn fresh(&self) -> String {
        let n = self.made.fetch_add(1, Ordering::Relaxed);
        self.root.path().join(format!("data-{n}")).display().to_string()
    }
}

#[test]
fn every_property_holds_on_sqlite() {
    conformance::check_every_property(&Sqlite::new());
}

/// A store in `dir`, and its database file.
fn store_in(dir: &tempfile::TempDir) -> (eligo_store::SharedStore, std::path::PathBuf) {
    let location = dir.path().display().to_string();
    (eligo_store::open_store(&location).unwrap(), dir.path().join("eligo.db"))
}

#[test]
fn a_failing_batch_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON trials WHEN NEW.id = 'NCT00000003'
         BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
    )
    .unwrap();
    let batch =
        [trial(1, OverallStatus::Completed), trial(2, OverallStatus::Recruiting), trial(3, OverallStatus::Recruiting)];
    let error = store.upsert_trials(&batch).unwrap_err();
    assert!(matches!(error, StoreError::Backend { .. }), "{error:?}");
    assert!(error.to_string().contains("disk on fire"), "the backend's reason is kept: {error}");
    assert_eq!(store.trial_count().unwrap(), 1);
    assert_eq!(store.get_trial("NCT00000001").unwrap().unwrap().overall_status, Some(OverallStatus::Recruiting));
    assert!(store.history("NCT00000001").unwrap().is_empty());
}

#[test]
fn tokens_made_before_scopes_existed_keep_working_as_ingest_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    drop(store);
    // A database as schema version 4 left it: the token table had no scope or expiry (and the
    // alerts no sealed answers, migration 6, nor rate allowances, migration 8).
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "ALTER TABLE alert_subscriptions DROP COLUMN sealed_answers; DROP TABLE api_ingest_jobs;
         DROP INDEX api_tokens_by_name; DROP TABLE api_tokens;
         CREATE TABLE api_tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
         INSERT INTO api_tokens VALUES ('old', 'legacy', '2026-01-01T00:00:00+00:00');
         DROP TABLE rate_allowances;
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(raw);
    let (store, _) = store_in(&dir);
    let token = store.find_api_token("old").unwrap().expect("kept by the migration");
    assert_eq!((token.name.as_str(), token.scope.as_str(), token.expires_at), ("legacy", "ingest", None));
}

#[test]
fn integrity_check_finds_tampered_records() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    let trials: Vec<_> = (1..=4).map(|n| trial(n, OverallStatus::Recruiting)).collect();
    store.upsert_trials(&trials).unwrap();
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "UPDATE trials SET body = '{not compressed' WHERE id = 'NCT00000001';
         UPDATE trials SET body = substr(body, 1, 20) WHERE id = 'NCT00000002';
         UPDATE trials SET body = (SELECT body FROM trials WHERE id = 'NCT00000004') WHERE id = 'NCT00000003';
         UPDATE trials SET content_hash = 'feed' WHERE id = 'NCT00000004';",
    )
    .unwrap();
    let problems = store.integrity_check().unwrap();
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(problems[0].starts_with("NCT00000001: does not decode"), "{}", problems[0]);
    assert!(problems[1].starts_with("NCT00000002: does not decode"), "{}", problems[1]);
    assert!(problems[2].contains("says its id is NCT00000004"), "{}", problems[2]);
    assert!(problems[3].contains("does not match its hash"), "{}", problems[3]);
    assert!(matches!(store.get_trial("NCT00000001"), Err(StoreError::Corrupt { .. })));
}

#[test]
fn a_store_of_json_bodies_is_compressed_when_opened_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    let (first, second) = (trial(1, OverallStatus::Recruiting), trial(1, OverallStatus::Completed));
    store.upsert_trials(std::slice::from_ref(&first)).unwrap();
    store.upsert_trials(std::slice::from_ref(&second)).unwrap();
    drop(store);
    // As schema version 6 left it: every body (current and history) its JSON text, no rate
    // allowances.
    let raw = rusqlite::Connection::open(&path).unwrap();
    let set_json = |table: &str, trial: &eligo_model::Trial| {
        let sql = format!("UPDATE {table} SET body = ?1");
        raw.execute(&sql, [serde_json::to_string(trial).unwrap()]).unwrap();
    };
    set_json("trials", &second);
    set_json("trial_history", &first);
    raw.execute_batch("DROP TABLE rate_allowances").unwrap();
    raw.pragma_update(None, "user_version", 6).unwrap();
    let (store, _) = store_in(&dir);
    assert_eq!(store.get_trial("NCT00000001").unwrap(), Some(second));
    assert_eq!(store.history("NCT00000001").unwrap()[0].trial, first);
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
    let text_bodies: i64 = raw
        .query_row(
            "SELECT (SELECT count(*) FROM trials WHERE typeof(body) = 'text')
                  + (SELECT count(*) FROM trial_history WHERE typeof(body) = 'text')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(text_bodies, 0);
}

#[test]
fn a_database_from_a_newer_eligo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    drop(store);
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let location = dir.path().display().to_string();
    assert!(matches!(eligo_store::open_store(&location), Err(StoreError::SchemaTooNew { found: 99, .. })));
}

#[test]
fn a_location_of_an_unknown_kind_is_refused_with_its_scheme() {
    let error = eligo_store::open_store("mysql://db.example.org/eligo").err().expect("refused");
    assert!(error.to_string().contains("mysql://"), "{error}");
}

#[test]
fn each_temporary_store_is_a_store_of_its_own() {
    let store = eligo_store::temporary_store().unwrap();
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    assert_eq!(store.trial_count().unwrap(), 1);
    assert_eq!(eligo_store::temporary_store().unwrap().trial_count().unwrap(), 0, "each one is private");
}

#[cfg(unix)]
#[test]
fn a_fresh_data_directory_and_database_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("eligo.db");
    let store = eligo_store::open_store(&format!("sqlite:{}", db.display())).unwrap();
    store.add_api_token(&new_token(&"0".repeat(64), "test")).unwrap();
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&db), 0o600, "the database");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path) & 0o077, 0, "{} is readable by others", path.display());
    }
}

#[test]
fn a_deleted_subscriber_leaves_no_trace_in_the_database_files() {
    use eligo_store::alerts::{NewSubscription, SubscriptionStatus};
    let dir = tempfile::tempdir().unwrap();
    let (store, path) = store_in(&dir);
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    let address = "someone.private@example.org";
    let subscription = NewSubscription {
        status: SubscriptionStatus::Active,
        address: Some(address.into()),
        spec: "{}".into(),
        channel: "\"email\"".into(),
        frequency: "immediate".into(),
        salt: "salt".into(),
        manage_hash: "manage".into(),
        feed_token: None,
        since_seq: 0,
        sealed_answers: Some(b"sealed-answers-of-the-subscriber".to_vec()),
    };
    let id = store.add_subscription(&subscription, &[], 3).unwrap().unwrap();
    let files = || {
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
        bytes
    };
    let holds = |bytes: &[u8], needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(holds(&files(), address.as_bytes()), "the address is written while subscribed");
    assert!(store.delete_subscription(id).unwrap());
    let after = files();
    assert!(!holds(&after, address.as_bytes()), "the address stays in the files after deletion");
    assert!(!holds(&after, b"sealed-answers-of-the-subscriber"), "the answers stay in the files after deletion");
    assert!(store.get_trial("NCT00000001").unwrap().is_some(), "the rest of the store is untouched");
}
