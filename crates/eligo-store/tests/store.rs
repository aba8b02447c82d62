//! Behaviour of the SQLite store that ingest, export and the index rely on.

use eligo_model::{OverallStatus, Phase, SecondaryId, Trial};
use eligo_store::{NewApiToken, NewIngestJob, SqliteStore, StoreError, TrialStore, UpsertOutcome};

fn trial(n: u32, status: OverallStatus) -> Trial {
    let id = format!("NCT{n:08}");
    Trial {
        id: id.clone(),
        nct_id: Some(id),
        org_study_id: Some(format!("ORG-{n}")),
        secondary_ids: vec![SecondaryId::new(format!("K{n}"))],
        brief_title: Some(format!("Trial number {n}")),
        overall_status: Some(status),
        phases: vec![Phase::Phase2, Phase::Phase3],
        ..Trial::default()
    }
}

fn temp_store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("eligo.db")).unwrap();
    (dir, store)
}

#[test]
fn reingest_is_a_no_op_and_a_change_keeps_history() {
    let (_dir, mut store) = temp_store();
    let first = store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]);
    assert_eq!(first.unwrap(), vec![UpsertOutcome::New, UpsertOutcome::New]);
    let seq_after_first = store.max_seq().unwrap();

    let again = store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    assert_eq!(again, vec![UpsertOutcome::Unchanged]);
    assert_eq!(store.max_seq().unwrap(), seq_after_first, "an unchanged record must not be rewritten");

    let changed = store.upsert_trials(&[trial(1, OverallStatus::Completed)]).unwrap();
    assert_eq!(changed, vec![UpsertOutcome::Updated]);
    let current = store.get_trial("NCT00000001").unwrap().unwrap();
    assert_eq!(current.overall_status, Some(OverallStatus::Completed));
    let history = store.history("NCT00000001").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].trial.overall_status, Some(OverallStatus::Recruiting));
    assert!(history[0].replaced_at_seq > seq_after_first);
}

#[test]
fn any_identifier_finds_the_trial() {
    let (_dir, mut store) = temp_store();
    store.upsert_trials(&[trial(7, OverallStatus::Recruiting)]).unwrap();
    for id in ["NCT00000007", "nct00000007", "ORG-7", "org-7", "k7", " K7 "] {
        assert_eq!(store.resolve_id(id).unwrap().as_deref(), Some("NCT00000007"), "{id}");
    }
    assert_eq!(store.get_trial("NCT99999999").unwrap(), None);
}

#[test]
fn a_failing_batch_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON trials WHEN NEW.id = 'NCT00000003'
         BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;",
    )
    .unwrap();
    let batch =
        [trial(1, OverallStatus::Completed), trial(2, OverallStatus::Recruiting), trial(3, OverallStatus::Recruiting)];
    assert!(matches!(store.upsert_trials(&batch), Err(StoreError::Database { .. })));
    assert_eq!(store.trial_count().unwrap(), 1);
    assert_eq!(store.get_trial("NCT00000001").unwrap().unwrap().overall_status, Some(OverallStatus::Recruiting));
    assert!(store.history("NCT00000001").unwrap().is_empty());
}

#[test]
fn changed_since_lists_only_later_writes_in_order() {
    let (_dir, mut store) = temp_store();
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]).unwrap();
    let mark = store.max_seq().unwrap();
    store.upsert_trials(&[trial(3, OverallStatus::Recruiting), trial(1, OverallStatus::Withdrawn)]).unwrap();
    let mut seen = Vec::new();
    store
        .changed_since(mark, &mut |stored| {
            seen.push(stored.trial.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, ["NCT00000003", "NCT00000001"]);
}

#[test]
fn stats_count_status_phase_and_source() {
    let (_dir, mut store) = temp_store();
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Completed)]).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.trials, 2);
    assert_eq!(stats.by_status["RECRUITING"], 1);
    assert_eq!(stats.by_phase["PHASE2"], 2);
}

#[test]
fn state_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    SqliteStore::open(&path).unwrap().set_state("sync:abc", "token-2").unwrap();
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.get_state("sync:abc").unwrap().as_deref(), Some("token-2"));
    store.delete_state("sync:abc").unwrap();
    assert_eq!(store.get_state("sync:abc").unwrap(), None);
}

fn new_token(hash: &str, name: &str) -> NewApiToken {
    NewApiToken { hash: hash.into(), name: name.into(), scope: "ingest".into(), expires_at: None }
}

#[test]
fn api_tokens_are_found_by_hash_after_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    let expires = chrono::Utc::now() + chrono::TimeDelta::days(90);
    let token = NewApiToken { expires_at: Some(expires), scope: "admin".into(), ..new_token("ab12", "ingest bot") };
    SqliteStore::open(&path).unwrap().add_api_token(&token).unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let found = store.find_api_token("ab12").unwrap().expect("found by its hash");
    assert_eq!((found.name.as_str(), found.scope.as_str()), ("ingest bot", "admin"));
    assert_eq!(found.expires_at.map(|t| t.timestamp()), Some(expires.timestamp()));
    assert_eq!((found.last_used_at, found.revoked_at), (None, None));
    assert_eq!(store.find_api_token("AB12").unwrap(), None);
    assert_eq!(store.find_api_token("").unwrap(), None);
}

#[test]
fn revoking_a_token_by_name_stamps_every_unrevoked_one_and_keeps_the_rows() {
    let mut store = SqliteStore::in_memory().unwrap();
    store.add_api_token(&new_token("h1", "bot")).unwrap();
    store.add_api_token(&new_token("h2", "bot")).unwrap();
    store.add_api_token(&new_token("h3", "other")).unwrap();
    let now = chrono::Utc::now();
    store.touch_api_token("h3", now).unwrap();
    assert_eq!(store.revoke_api_tokens("bot", now).unwrap(), 2);
    assert_eq!(store.revoke_api_tokens("bot", now).unwrap(), 0, "already revoked");
    assert_eq!(store.revoke_api_tokens("nobody", now).unwrap(), 0);
    let listed = store.list_api_tokens().unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().filter(|t| t.name == "bot").all(|t| t.revoked_at.is_some()));
    let other = listed.iter().find(|t| t.name == "other").unwrap();
    assert_eq!((other.revoked_at, other.last_used_at.map(|t| t.timestamp())), (None, Some(now.timestamp())));
}

#[test]
fn tokens_made_before_scopes_existed_keep_working_as_ingest_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    drop(SqliteStore::open(&path).unwrap());
    // A database as schema version 4 left it: the token table had no scope or expiry (and the
    // alerts no sealed answers, migration 6).
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "ALTER TABLE alert_subscriptions DROP COLUMN sealed_answers; DROP TABLE api_ingest_jobs; DROP INDEX api_tokens_by_name; DROP TABLE api_tokens;
         CREATE TABLE api_tokens (hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);
         INSERT INTO api_tokens VALUES ('old', 'legacy', '2026-01-01T00:00:00+00:00');
         PRAGMA user_version = 4;",
    )
    .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    let token = store.find_api_token("old").unwrap().expect("kept by the migration");
    assert_eq!((token.name.as_str(), token.scope.as_str(), token.expires_at), ("legacy", "ingest", None));
}

#[test]
fn an_ingest_job_key_is_held_by_its_first_job_until_forgotten() {
    let mut store = SqliteStore::in_memory().unwrap();
    let job = |id: &str| NewIngestJob {
        id: id.into(),
        idempotency_key: "bot:key-1".into(),
        body_hash: "b1".into(),
        token_name: "bot".into(),
    };
    let long_ago = chrono::Utc::now() - chrono::TimeDelta::hours(24);
    let (first, started) = store.start_ingest_job(&job("j1"), long_ago).unwrap();
    assert!(started);
    assert_eq!((first.id.as_str(), first.finished_at), ("j1", None));
    let (again, started) = store.start_ingest_job(&job("j2"), long_ago).unwrap();
    assert!(!started, "the key is taken");
    assert_eq!(again.id, "j1");
    store.finish_ingest_job("j1", "{\"new\":1}").unwrap();
    let finished = store.get_ingest_job("j1").unwrap().unwrap();
    assert!(finished.finished_at.is_some());
    assert_eq!(finished.result.as_deref(), Some("{\"new\":1}"));
    assert_eq!(store.get_ingest_job("j2").unwrap(), None);
    // Once the first job is older than the retention, the key is free again.
    let (later, started) =
        store.start_ingest_job(&job("j3"), chrono::Utc::now() + chrono::TimeDelta::seconds(1)).unwrap();
    assert!(started);
    assert_eq!(later.id, "j3");
    assert_eq!(store.get_ingest_job("j1").unwrap(), None);
}

#[test]
fn integrity_check_finds_tampered_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]).unwrap();
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE trials SET body = '{not json' WHERE id = 'NCT00000001'", []).unwrap();
    raw.execute("UPDATE trials SET body = replace(body, 'number 2', 'number 9') WHERE id = 'NCT00000002'", []).unwrap();
    let problems = store.integrity_check().unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("NCT00000001: stored JSON does not parse"));
    assert!(problems[1].contains("does not match its hash"));
}

#[test]
fn a_database_from_a_newer_eligo_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eligo.db");
    drop(SqliteStore::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    assert!(matches!(SqliteStore::open(&path), Err(StoreError::SchemaTooNew { found: 99, .. })));
}

#[cfg(unix)]
#[test]
fn a_fresh_data_directory_and_database_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let db = data.join("eligo.db");
    let mut store = SqliteStore::open(&db).unwrap();
    store.add_api_token(&new_token(&"0".repeat(64), "test")).unwrap();
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&db), 0o600, "the database");
    for entry in std::fs::read_dir(&data).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path) & 0o077, 0, "{} is readable by others", path.display());
    }
}
