//! API tokens and the API's ingest jobs in PostgreSQL (see `sqlite/access.rs` for what they are).

use chrono::{DateTime, Utc};
use postgres::Row;

use super::{column, PgContext, PostgresStore};
use crate::allowance::{decide, Decision};
use crate::records::time;
use crate::{AccessStore, Allowance, ApiToken, IngestJob, NewApiToken, NewIngestJob, Result};
use std::time::Duration;

const TOKEN_COLUMNS: &str = "name, scope, created_at, expires_at, last_used_at, revoked_at";
const JOB_COLUMNS: &str = "id, idempotency_key, body_hash, token_name, created_at, finished_at, result";

fn optional_time(row: &Row, index: usize, doing: &'static str) -> Result<Option<DateTime<Utc>>> {
    Ok(column::<Option<&str>>(row, index, doing)?.map(time))
}

fn read_token(row: &Row) -> Result<ApiToken> {
    const DOING: &str = "reading an API token";
    Ok(ApiToken {
        name: column(row, 0, DOING)?,
        scope: column(row, 1, DOING)?,
        created_at: time(column(row, 2, DOING)?),
        expires_at: optional_time(row, 3, DOING)?,
        last_used_at: optional_time(row, 4, DOING)?,
        revoked_at: optional_time(row, 5, DOING)?,
    })
}

fn read_job(row: &Row) -> Result<IngestJob> {
    const DOING: &str = "reading an ingest job";
    Ok(IngestJob {
        id: column(row, 0, DOING)?,
        idempotency_key: column(row, 1, DOING)?,
        body_hash: column(row, 2, DOING)?,
        token_name: column(row, 3, DOING)?,
        created_at: time(column(row, 4, DOING)?),
        finished_at: optional_time(row, 5, DOING)?,
        result: column(row, 6, DOING)?,
    })
}

impl AccessStore for PostgresStore {
    fn add_api_token(&self, token: &NewApiToken) -> Result<()> {
        self.client()?
            .execute(
                "INSERT INTO api_tokens (hash, name, scope, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                &[
                    &token.hash,
                    &token.name,
                    &token.scope,
                    &Utc::now().to_rfc3339(),
                    &token.expires_at.map(|t| t.to_rfc3339()),
                ],
            )
            .doing("adding an API token")?;
        Ok(())
    }

    fn find_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE hash = $1");
        let row = self.client()?.query_opt(&sql, &[&token_hash]).doing("looking up an API token")?;
        row.as_ref().map(read_token).transpose()
    }

    fn touch_api_token(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        self.client()?
            .execute("UPDATE api_tokens SET last_used_at = $2 WHERE hash = $1", &[&token_hash, &at.to_rfc3339()])
            .doing("recording an API token's use")?;
        Ok(())
    }

    fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens ORDER BY created_at, name");
        let rows = self.client()?.query(&sql, &[]).doing("listing API tokens")?;
        rows.iter().map(read_token).collect()
    }

    fn revoke_api_tokens(&self, name: &str, at: DateTime<Utc>) -> Result<usize> {
        let revoked = self
            .client()?
            .execute(
                "UPDATE api_tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL",
                &[&name, &at.to_rfc3339()],
            )
            .doing("revoking API tokens")?;
        Ok(revoked as usize)
    }

    fn start_ingest_job(&self, job: &NewIngestJob, forget_before: DateTime<Utc>) -> Result<(IngestJob, bool)> {
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("starting an ingest job")?;
        tx.execute("DELETE FROM api_ingest_jobs WHERE created_at < $1", &[&forget_before.to_rfc3339()])
            .doing("forgetting old ingest jobs")?;
        let inserted = tx
            .execute(
                "INSERT INTO api_ingest_jobs (id, idempotency_key, body_hash, token_name, created_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (idempotency_key) DO NOTHING",
                &[&job.id, &job.idempotency_key, &job.body_hash, &job.token_name, &Utc::now().to_rfc3339()],
            )
            .doing("starting an ingest job")?;
        let sql = format!("SELECT {JOB_COLUMNS} FROM api_ingest_jobs WHERE idempotency_key = $1");
        let holder = read_job(&tx.query_one(&sql, &[&job.idempotency_key]).doing("starting an ingest job")?)?;
        tx.commit().doing("starting an ingest job")?;
        Ok((holder, inserted == 1))
    }

    fn finish_ingest_job(&self, id: &str, result: &str) -> Result<()> {
        self.client()?
            .execute(
                "UPDATE api_ingest_jobs SET finished_at = $2, result = $3 WHERE id = $1",
                &[&id, &Utc::now().to_rfc3339(), &result],
            )
            .doing("finishing an ingest job")?;
        Ok(())
    }

    fn get_ingest_job(&self, id: &str) -> Result<Option<IngestJob>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM api_ingest_jobs WHERE id = $1");
        let row = self.client()?.query_opt(&sql, &[&id]).doing("reading an ingest job")?;
        row.as_ref().map(read_job).transpose()
    }

    fn take_allowance(&self, key: &str, allowance: Allowance, now: DateTime<Utc>) -> Result<Option<Duration>> {
        const DOING: &str = "taking a rate allowance";
        let now_ms = now.timestamp_millis();
        let mut client = self.client()?;
        let mut tx = client.transaction().doing(DOING)?;
        // Rows another request holds are left for a later sweep: no two sweeps wait on each other.
        tx.execute(
            "DELETE FROM rate_allowances WHERE key IN (
                 SELECT key FROM rate_allowances WHERE whole_at_ms < $1 FOR UPDATE SKIP LOCKED)",
            &[&now_ms],
        )
        .doing(DOING)?;
        // The row exists before it is locked, so that two first requests for a key take turns too.
        tx.execute(
            "INSERT INTO rate_allowances (key, whole_at_ms) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&key, &now_ms],
        )
        .doing(DOING)?;
        let row =
            tx.query_one("SELECT whole_at_ms FROM rate_allowances WHERE key = $1 FOR UPDATE", &[&key]).doing(DOING)?;
        let wait = match decide(Some(column(&row, 0, DOING)?), now_ms, allowance) {
            Decision::Refused { wait } => Some(wait),
            Decision::Allowed { whole_at_ms } => {
                tx.execute("UPDATE rate_allowances SET whole_at_ms = $2 WHERE key = $1", &[&key, &whole_at_ms])
                    .doing(DOING)?;
                None
            }
        };
        tx.commit().doing(DOING)?;
        Ok(wait)
    }

    fn forget_ingest_job(&self, id: &str) -> Result<()> {
        self.client()?
            .execute("DELETE FROM api_ingest_jobs WHERE id = $1", &[&id])
            .doing("forgetting an ingest job")?;
        Ok(())
    }
}
