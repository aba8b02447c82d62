//! API access in SQLite: tokens (by the hash of their secret) and the API's ingest jobs.
//!
//! A token row keeps its name, scope, creation, expiry, last use and revocation; never the
//! secret. Revoking keeps the row (so `token list` still shows who wrote what) and stamps
//! `revoked_at`, which every lookup checks: revocation takes effect on the next request.
//!
//! An ingest job is one batch sent to `POST /api/v1/ingest`, under the key that makes a retry of
//! it a no-op (the client's `Idempotency-Key`, or the batch's content hash). The job keeps the
//! first answer, so a retried batch gets the same answer without being written again.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::error::DbContext;
use crate::allowance::{decide, Decision};
use crate::records;
use crate::{Allowance, ApiToken, IngestJob, NewApiToken, NewIngestJob, Result};
use std::time::Duration;

pub fn add_token(conn: &Connection, token: &NewApiToken) -> Result<()> {
    conn.execute(
        "INSERT INTO api_tokens (hash, name, scope, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token.hash, token.name, token.scope, Utc::now().to_rfc3339(), token.expires_at.map(|t| t.to_rfc3339())],
    )
    .doing("adding an API token")?;
    Ok(())
}

const TOKEN_COLUMNS: &str = "name, scope, created_at, expires_at, last_used_at, revoked_at";

fn read_token(row: &Row) -> rusqlite::Result<ApiToken> {
    Ok(ApiToken {
        name: row.get(0)?,
        scope: row.get(1)?,
        created_at: time(row.get(2)?),
        expires_at: row.get::<_, Option<String>>(3)?.map(time),
        last_used_at: row.get::<_, Option<String>>(4)?.map(time),
        revoked_at: row.get::<_, Option<String>>(5)?.map(time),
    })
}

/// A stored time (see [`records::time`]).
fn time(text: String) -> DateTime<Utc> {
    records::time(&text)
}

pub fn find_token(conn: &Connection, hash: &str) -> Result<Option<ApiToken>> {
    conn.query_row(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = ?1"), [hash], read_token)
        .optional()
        .doing("looking up an API token")
}

pub fn touch_token(conn: &Connection, hash: &str, at: DateTime<Utc>) -> Result<()> {
    conn.execute("UPDATE api_tokens SET last_used_at = ?2 WHERE hash = ?1", params![hash, at.to_rfc3339()])
        .doing("recording an API token's use")?;
    Ok(())
}

pub fn list_tokens(conn: &Connection) -> Result<Vec<ApiToken>> {
    let mut stmt = conn
        .prepare(&format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, name"))
        .doing("listing API tokens")?;
    let rows = stmt.query_map([], read_token).doing("listing API tokens")?;
    rows.collect::<rusqlite::Result<Vec<_>>>().doing("listing API tokens")
}

pub fn revoke_tokens(conn: &Connection, name: &str, at: DateTime<Utc>) -> Result<usize> {
    conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL",
        params![name, at.to_rfc3339()],
    )
    .doing("revoking API tokens")
}

const JOB_COLUMNS: &str = "id, idempotency_key, body_hash, token_name, created_at, finished_at, result";

fn read_job(row: &Row) -> rusqlite::Result<IngestJob> {
    Ok(IngestJob {
        id: row.get(0)?,
        idempotency_key: row.get(1)?,
        body_hash: row.get(2)?,
        token_name: row.get(3)?,
        created_at: time(row.get(4)?),
        finished_at: row.get::<_, Option<String>>(5)?.map(time),
        result: row.get(6)?,
    })
}

/// Starts a job unless one with the same key was started after `forget_before`; returns the job
/// that holds the key (the new one, or the earlier one). Jobs started before `forget_before` are
/// deleted first, so the table holds one retention period of batches.
pub fn start_job(conn: &mut Connection, job: &NewIngestJob, forget_before: DateTime<Utc>) -> Result<(IngestJob, bool)> {
    let tx = conn.transaction().doing("starting an ingest job")?;
    tx.execute("DELETE FROM api_ingest_jobs WHERE created_at < ?1", [forget_before.to_rfc3339()])
        .doing("forgetting old ingest jobs")?;
    let inserted = tx
        .execute(
            "INSERT INTO api_ingest_jobs (id, idempotency_key, body_hash, token_name, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(idempotency_key) DO NOTHING",
            params![job.id, job.idempotency_key, job.body_hash, job.token_name, Utc::now().to_rfc3339()],
        )
        .doing("starting an ingest job")?;
    let holder = tx
        .query_row(
            &format!("SELECT {JOB_COLUMNS} FROM api_ingest_jobs WHERE idempotency_key = ?1"),
            [&job.idempotency_key],
            read_job,
        )
        .doing("starting an ingest job")?;
    tx.commit().doing("starting an ingest job")?;
    Ok((holder, inserted == 1))
}

pub fn finish_job(conn: &Connection, id: &str, result: &str) -> Result<()> {
    conn.execute(
        "UPDATE api_ingest_jobs SET finished_at = ?2, result = ?3 WHERE id = ?1",
        params![id, Utc::now().to_rfc3339(), result],
    )
    .doing("finishing an ingest job")?;
    Ok(())
}

pub fn get_job(conn: &Connection, id: &str) -> Result<Option<IngestJob>> {
    conn.query_row(&format!("SELECT {JOB_COLUMNS} FROM api_ingest_jobs WHERE id = ?1"), [id], read_job)
        .optional()
        .doing("reading an ingest job")
}

pub fn forget_job(conn: &Connection, id: &str) -> Result<()> {
    conn.execute("DELETE FROM api_ingest_jobs WHERE id = ?1", [id]).doing("forgetting an ingest job")?;
    Ok(())
}

/// [`crate::AccessStore::take_allowance`], under the write lock.
pub fn take_allowance(conn: &mut Connection, key: &str, allowance: Allowance, now_ms: i64) -> Result<Option<Duration>> {
    let tx = conn.transaction().doing("taking a rate allowance")?;
    tx.execute("DELETE FROM rate_allowances WHERE whole_at_ms < ?1", [now_ms]).doing("forgetting rate allowances")?;
    let whole_at: Option<i64> = tx
        .query_row("SELECT whole_at_ms FROM rate_allowances WHERE key = ?1", [key], |row| row.get(0))
        .optional()
        .doing("taking a rate allowance")?;
    let wait = match decide(whole_at, now_ms, allowance) {
        Decision::Refused { wait } => Some(wait),
        Decision::Allowed { whole_at_ms } => {
            tx.execute(
                "INSERT INTO rate_allowances (key, whole_at_ms) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET whole_at_ms = excluded.whole_at_ms",
                params![key, whole_at_ms],
            )
            .doing("taking a rate allowance")?;
            None
        }
    };
    tx.commit().doing("taking a rate allowance")?;
    Ok(wait)
}
