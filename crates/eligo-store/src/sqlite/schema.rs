//! Schema migrations, applied in order at open time.
//!
//! `PRAGMA user_version` records how many migrations a database has had.
//! A migration is appended, never edited: an existing database only ever
//! runs the ones it has not seen. Most are SQL; one that must compute (compress) is code.

use rusqlite::{Connection, Transaction};

use super::error::DbContext;
use crate::{codec, Result, StoreError};

enum Migration {
    Sql(&'static str),
    Code(fn(&Transaction) -> Result<()>),
}

use Migration::{Code, Sql};

const MIGRATIONS: &[Migration] = &[
    // 1: trials, their identifiers and history; state; the change counter.
    Sql("CREATE TABLE trials (
         id           TEXT PRIMARY KEY,
         seq          INTEGER NOT NULL UNIQUE,
         content_hash TEXT NOT NULL,
         status       TEXT,
         phases       TEXT NOT NULL,
         source_kinds TEXT NOT NULL,
         written_at   TEXT NOT NULL,
         body         TEXT NOT NULL
     );
     CREATE TABLE trial_ids (
         alias    TEXT NOT NULL,
         trial_id TEXT NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
         PRIMARY KEY (alias, trial_id)
     ) WITHOUT ROWID;
     CREATE INDEX trial_ids_by_trial ON trial_ids(trial_id);
     CREATE TABLE trial_history (
         trial_id        TEXT NOT NULL,
         replaced_at_seq INTEGER NOT NULL,
         replaced_at     TEXT NOT NULL,
         body            TEXT NOT NULL,
         PRIMARY KEY (trial_id, replaced_at_seq)
     );
     CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
     INSERT INTO counters (name, value) VALUES ('seq', 0);"),
    // 2: API tokens for write endpoints, stored as SHA-256 hashes only.
    Sql("CREATE TABLE api_tokens (
         hash       TEXT PRIMARY KEY,
         name       TEXT NOT NULL,
         created_at TEXT NOT NULL
     );"),
    // 3: publications (by key: PMID:n, DOI:x or PMCID:x) and their links to trials.
    Sql("CREATE TABLE publications (
         key        TEXT PRIMARY KEY,
         pmid       TEXT,
         doi        TEXT,
         pmcid      TEXT,
         written_at TEXT NOT NULL,
         body       TEXT NOT NULL
     );
     CREATE INDEX publications_by_pmid ON publications(pmid);
     CREATE INDEX publications_by_doi ON publications(doi);
     CREATE INDEX publications_by_pmcid ON publications(pmcid);
     CREATE TABLE publication_links (
         trial_id        TEXT NOT NULL,
         publication_key TEXT NOT NULL REFERENCES publications(key) ON DELETE CASCADE,
         reason          TEXT NOT NULL,
         score           REAL NOT NULL,
         reports_results INTEGER NOT NULL,
         PRIMARY KEY (trial_id, publication_key)
     ) WITHOUT ROWID;
     CREATE INDEX publication_links_by_publication ON publication_links(publication_key);"),
    // 4: alerts: subscriptions (personal data lives only in these rows), the trials each one
    // follows, and the outbox of notifications (written with the evaluation cursor in `state`).
    Sql("CREATE TABLE alert_subscriptions (
         id          INTEGER PRIMARY KEY,
         status      TEXT NOT NULL,
         address     TEXT,
         spec        TEXT NOT NULL,
         channel     TEXT NOT NULL,
         frequency   TEXT NOT NULL,
         salt        TEXT NOT NULL,
         manage_hash TEXT NOT NULL UNIQUE,
         feed_token  TEXT UNIQUE,
         since_seq   INTEGER NOT NULL,
         failures    INTEGER NOT NULL DEFAULT 0,
         stop_reason TEXT,
         created_at  TEXT NOT NULL
     );
     CREATE INDEX alert_subscriptions_by_address ON alert_subscriptions(address);
     CREATE TABLE alert_follows (
         subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
         trial_id        TEXT NOT NULL,
         PRIMARY KEY (trial_id, subscription_id)
     ) WITHOUT ROWID;
     CREATE TABLE alert_outbox (
         id              INTEGER PRIMARY KEY,
         subscription_id INTEGER NOT NULL REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
         delivery_key    TEXT NOT NULL UNIQUE,
         kind            TEXT NOT NULL,
         trial_id        TEXT,
         payload         TEXT NOT NULL,
         created_at      TEXT NOT NULL,
         due_at          TEXT NOT NULL,
         attempts        INTEGER NOT NULL DEFAULT 0,
         sent_at         TEXT,
         last_error      TEXT
     );
     CREATE INDEX alert_outbox_due ON alert_outbox(sent_at, due_at);
     CREATE INDEX alert_outbox_by_subscription ON alert_outbox(subscription_id, id);"),
    // 5: API tokens get a scope (tokens made before it could only ingest), an expiry, a last
    // use and a revocation time; the API's ingest jobs keep the first answer to each batch.
    Sql("ALTER TABLE api_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'ingest';
     ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
     ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
     ALTER TABLE api_tokens ADD COLUMN revoked_at TEXT;
     CREATE INDEX api_tokens_by_name ON api_tokens(name);
     CREATE TABLE api_ingest_jobs (
         id              TEXT PRIMARY KEY,
         idempotency_key TEXT NOT NULL UNIQUE,
         body_hash       TEXT NOT NULL,
         token_name      TEXT NOT NULL,
         created_at      TEXT NOT NULL,
         finished_at     TEXT,
         result          TEXT
     );
     CREATE INDEX api_ingest_jobs_by_age ON api_ingest_jobs(created_at);"),
    // 6: a pre-screen alert's answers (health data), sealed by the alerts engine (AEAD), in the
    // subscription's row so that deleting the row deletes them.
    Sql("ALTER TABLE alert_subscriptions ADD COLUMN sealed_answers BLOB;"),
    // 7: trial bodies (current and history) are zstd-compressed JSON BLOBs (`codec`); the
    // columns keep their declared TEXT type, which SQLite does not impose on BLOBs.
    Code(compress_bodies),
    // 8: rate allowances shared by every process on the store (`allowance`): when each key's
    // allowance is whole again, ms since the Unix epoch.
    Sql("CREATE TABLE rate_allowances (key TEXT PRIMARY KEY, whole_at_ms INTEGER NOT NULL);
     CREATE INDEX rate_allowances_by_time ON rate_allowances(whole_at_ms);"),
];

/// Number of migrations this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per migration.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0)).doing("reading the schema version")?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew { found, supported: SCHEMA_VERSION });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction().doing("migrating")?;
        match migration {
            Sql(sql) => tx.execute_batch(sql).doing("migrating")?,
            Code(step) => step(&tx)?,
        }
        tx.pragma_update(None, "user_version", index as i64 + 1).doing("migrating")?;
        tx.commit().doing("migrating")?;
    }
    Ok(())
}

/// Compresses every trial body still stored as JSON text, in the migration's transaction.
fn compress_bodies(tx: &Transaction) -> Result<()> {
    for table in ["trials", "trial_history"] {
        let mut read = tx
            .prepare(&format!("SELECT rowid, body FROM {table} WHERE typeof(body) = 'text'"))
            .doing("reading bodies to compress")?;
        let mut write =
            tx.prepare(&format!("UPDATE {table} SET body = ?2 WHERE rowid = ?1")).doing("compressing bodies")?;
        let mut rows = read.query([]).doing("reading bodies to compress")?;
        while let Some(row) = rows.next().doing("reading bodies to compress")? {
            let rowid: i64 = row.get(0).doing("reading bodies to compress")?;
            let json = row.get_ref(1).and_then(|value| Ok(value.as_bytes()?)).doing("reading bodies to compress")?;
            let compressed = codec::compress(&format!("{table} row {rowid}"), json)?;
            write.execute(rusqlite::params![rowid, compressed]).doing("compressing bodies")?;
        }
    }
    Ok(())
}
