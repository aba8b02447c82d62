//! PostgreSQL migrations, applied in order at open time.
//!
//! `eligo_schema.version` records how many a database has had; a migration is appended, never
//! edited. Processes opening one database at once take turns on an advisory lock, so exactly one
//! of them migrates. Identifiers compare byte by byte (`COLLATE "C"`), so trials list in the
//! same order as in SQLite whatever the database's locale. Times are RFC 3339 text, as in SQLite.

use super::{column, PgContext};
use crate::{Result, StoreError};

/// The advisory lock migrations hold (any constant that no other application on the server uses).
const MIGRATION_LOCK: i64 = 0x656c_6967_6f00;

const MIGRATIONS: &[&str] = &[
    // 1: everything the SQLite store had after its migration 7.
    r#"CREATE TABLE trials (
         id           TEXT COLLATE "C" PRIMARY KEY,
         seq          BIGINT NOT NULL UNIQUE,
         content_hash TEXT NOT NULL,
         status       TEXT,
         phases       TEXT NOT NULL,
         source_kinds TEXT NOT NULL,
         written_at   TEXT NOT NULL,
         body         BYTEA NOT NULL
     );
     CREATE TABLE trial_ids (
         alias    TEXT COLLATE "C" NOT NULL,
         trial_id TEXT COLLATE "C" NOT NULL REFERENCES trials(id) ON DELETE CASCADE,
         PRIMARY KEY (alias, trial_id)
     );
     CREATE INDEX trial_ids_by_trial ON trial_ids(trial_id);
     CREATE TABLE trial_history (
         trial_id        TEXT COLLATE "C" NOT NULL,
         replaced_at_seq BIGINT NOT NULL,
         replaced_at     TEXT NOT NULL,
         body            BYTEA NOT NULL,
         PRIMARY KEY (trial_id, replaced_at_seq)
     );
     CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
     INSERT INTO counters (name, value) VALUES ('seq', 0);
     CREATE TABLE api_tokens (
         hash         TEXT PRIMARY KEY,
         name         TEXT NOT NULL,
         scope        TEXT NOT NULL,
         created_at   TEXT NOT NULL,
         expires_at   TEXT,
         last_used_at TEXT,
         revoked_at   TEXT
     );
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
     CREATE INDEX api_ingest_jobs_by_age ON api_ingest_jobs(created_at);
     CREATE TABLE publications (
         key        TEXT COLLATE "C" PRIMARY KEY,
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
         trial_id        TEXT COLLATE "C" NOT NULL,
         publication_key TEXT COLLATE "C" NOT NULL REFERENCES publications(key) ON DELETE CASCADE,
         reason          TEXT NOT NULL,
         score           DOUBLE PRECISION NOT NULL,
         reports_results BOOLEAN NOT NULL,
         PRIMARY KEY (trial_id, publication_key)
     );
     CREATE INDEX publication_links_by_publication ON publication_links(publication_key);
     CREATE TABLE alert_subscriptions (
         id             BIGSERIAL PRIMARY KEY,
         status         TEXT NOT NULL,
         address        TEXT,
         spec           TEXT NOT NULL,
         channel        TEXT NOT NULL,
         frequency      TEXT NOT NULL,
         salt           TEXT NOT NULL,
         manage_hash    TEXT NOT NULL UNIQUE,
         feed_token     TEXT UNIQUE,
         since_seq      BIGINT NOT NULL,
         failures       BIGINT NOT NULL DEFAULT 0,
         stop_reason    TEXT,
         created_at     TEXT NOT NULL,
         sealed_answers BYTEA
     );
     CREATE INDEX alert_subscriptions_by_address ON alert_subscriptions(address);
     CREATE TABLE alert_follows (
         subscription_id BIGINT NOT NULL REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
         trial_id        TEXT COLLATE "C" NOT NULL,
         PRIMARY KEY (trial_id, subscription_id)
     );
     CREATE TABLE alert_outbox (
         id              BIGSERIAL PRIMARY KEY,
         subscription_id BIGINT NOT NULL REFERENCES alert_subscriptions(id) ON DELETE CASCADE,
         delivery_key    TEXT NOT NULL UNIQUE,
         kind            TEXT NOT NULL,
         trial_id        TEXT,
         payload         TEXT NOT NULL,
         created_at      TEXT NOT NULL,
         due_at          TEXT NOT NULL,
         attempts        BIGINT NOT NULL DEFAULT 0,
         sent_at         TEXT,
         last_error      TEXT
     );
     CREATE INDEX alert_outbox_due ON alert_outbox(sent_at, due_at);
     CREATE INDEX alert_outbox_by_subscription ON alert_outbox(subscription_id, id);"#,
    // 2: rate allowances shared by every replica (`allowance`), as SQLite's migration 8.
    "CREATE TABLE rate_allowances (key TEXT PRIMARY KEY, whole_at_ms BIGINT NOT NULL);
     CREATE INDEX rate_allowances_by_time ON rate_allowances(whole_at_ms);",
];

/// Brings the database up to the newest migration, in one transaction.
pub fn migrate(client: &mut postgres::Client) -> Result<()> {
    let mut tx = client.transaction().doing("migrating")?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).doing("waiting to migrate")?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS eligo_schema (version INTEGER NOT NULL);
         INSERT INTO eligo_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM eligo_schema);",
    )
    .doing("reading the schema version")?;
    let row = tx.query_one("SELECT version FROM eligo_schema", &[]).doing("reading the schema version")?;
    let found: i32 = column(&row, 0, "reading the schema version")?;
    let supported = MIGRATIONS.len() as i32;
    if found > supported {
        return Err(StoreError::SchemaTooNew { found: found.into(), supported: supported.into() });
    }
    for sql in &MIGRATIONS[found as usize..] {
        tx.batch_execute(sql).doing("migrating")?;
    }
    tx.execute("UPDATE eligo_schema SET version = $1", &[&supported]).doing("migrating")?;
    tx.commit().doing("migrating")
}
