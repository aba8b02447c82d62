//! The server backend: PostgreSQL over a pool of connections (`r2d2_postgres`), for deployments
//! where several processes (API replicas, ingest and screening workers) share one store.
//!
//! The semantics are SQLite's: atomic batches, content-hash upserts, history, lookups by any
//! identifier. The change sequence needs care here, because writers run at once: a batch locks
//! the counter row (`SELECT … FOR UPDATE`) before it draws numbers and keeps the lock until it
//! commits, so batches commit in the order of their numbers, and a reader that has seen change
//! `n` has seen every change below it (a plain database sequence would let a later number commit
//! first and a reader catching up skip the earlier one for good).
//!
//! The batch also sends `NOTIFY` on [`CHANGES_CHANNEL`] before it commits; PostgreSQL delivers it
//! with the commit, to every session listening. [`TrialStore::wait_for_change`] listens on a
//! connection of its own, so a follower (another replica's search index) wakes as soon as a
//! change is visible, and since numbers commit in order, catching up from the sequence it holds
//! never skips one. A lost notification costs only latency: the waiter's timeout reads the
//! sequence anyway.

mod access;
mod alerts;
mod publications;
mod schema;

use std::time::Duration;

use chrono::Utc;
use eligo_model::{SourceKind, Trial};
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::FromSql;
use postgres::{NoTls, Row, Transaction};
use r2d2_postgres::PostgresConnectionManager;

use crate::records::{alias_key, aliases, check_trial_row, count_columns, count_trial, time};
use crate::{
    codec, Hashed, HistoryEntry, Result, StateStore, Store, StoreError, StoreStats, StoredTrial, TrialStore,
    UpsertOutcome,
};

/// Connections a process keeps at most (the server's requests, a delivery worker, a catch-up).
const MAX_CONNECTIONS: u32 = 8;

/// Longest a caller waits for a connection (the database may be restarting).
const CONNECTION_WAIT: Duration = Duration::from_secs(30);

/// The channel a committed batch of trial changes notifies (its payload: the newest `seq`).
const CHANGES_CHANNEL: &str = "eligo_trial_changes";

/// Longest the change listener waits for its connection (a server that is down refuses at once).
const LISTENER_CONNECT_WAIT: Duration = Duration::from_secs(5);

type Client = r2d2::PooledConnection<PostgresConnectionManager<NoTls>>;

/// The PostgreSQL store: a pool of connections to one database.
pub struct PostgresStore {
    pool: r2d2::Pool<PostgresConnectionManager<NoTls>>,
    /// Where the change listener connects.
    config: postgres::Config,
    /// The connection that `LISTEN`s for committed changes, opened on the first wait and again
    /// after it is lost (one waiter at a time: the server's index follower).
    listener: std::sync::Mutex<Option<postgres::Client>>,
}

/// Attaches what the store was doing to a PostgreSQL error.
pub(crate) trait PgContext<T> {
    fn doing(self, doing: &'static str) -> Result<T>;
}

impl<T> PgContext<T> for std::result::Result<T, postgres::Error> {
    fn doing(self, doing: &'static str) -> Result<T> {
        self.map_err(|source| {
            if is_connection_failure(&source) {
                StoreError::unavailable(doing, source)
            } else {
                StoreError::backend(doing, source)
            }
        })
    }
}

/// Whether `error` is about reaching the server rather than about the statement: the connection
/// closed or failed (an I/O error), or the server said it is shutting down or not yet accepting
/// (SQLSTATE class 08, 57P01–57P03).
fn is_connection_failure(error: &postgres::Error) -> bool {
    let io = std::error::Error::source(error).is_some_and(|source| source.is::<std::io::Error>());
    let code = error.code().map(|code| code.code()).unwrap_or_default();
    error.is_closed() || io || code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03")
}

/// Column `index` of `row` (a type that does not fit is an error, never a panic).
pub(crate) fn column<'a, T: FromSql<'a>>(row: &'a Row, index: usize, doing: &'static str) -> Result<T> {
    row.try_get(index).doing(doing)
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user@host:port/db`) and applies migrations.
    pub fn open(url: &str) -> Result<Self> {
        let cannot_open = |reason: String| StoreError::Open { location: without_password(url), reason };
        let config: postgres::Config = url.parse().map_err(|e: postgres::Error| cannot_open(e.to_string()))?;
        // One connection first: an unreachable server fails here at once (the pool would retry
        // for its whole wait), and the schema is brought up to date before the pool opens more.
        let mut first = config.connect(NoTls).map_err(|e| cannot_open(e.to_string()))?;
        schema::migrate(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(MAX_CONNECTIONS)
            .min_idle(Some(1))
            .connection_timeout(CONNECTION_WAIT)
            .build(PostgresConnectionManager::new(config.clone(), NoTls))
            .map_err(|e| cannot_open(e.to_string()))?;
        Ok(PostgresStore { pool, config, listener: std::sync::Mutex::new(None) })
    }

    fn client(&self) -> Result<Client> {
        self.pool.get().map_err(|e| StoreError::unavailable("waiting for a database connection", e))
    }

    /// A connection listening on [`CHANGES_CHANNEL`]: the one kept, or a new one.
    fn listening(&self, kept: &mut Option<postgres::Client>) -> Result<()> {
        if kept.as_ref().is_some_and(|client| !client.is_closed()) {
            return Ok(());
        }
        *kept = None;
        let mut config = self.config.clone();
        config.connect_timeout(LISTENER_CONNECT_WAIT);
        let mut client = config.connect(NoTls).doing("listening for changes")?;
        client.batch_execute(&format!("LISTEN {CHANGES_CHANNEL}")).doing("listening for changes")?;
        *kept = Some(client);
        Ok(())
    }

    /// Drops the notifications received so far: the sequence read next covers them.
    fn drop_stale_notifications(kept: &mut Option<postgres::Client>) -> Result<()> {
        let Some(client) = kept.as_mut() else { return Ok(()) };
        let mut notifications = client.notifications();
        while notifications.iter().next().doing("listening for changes")?.is_some() {}
        Ok(())
    }

    /// Blocks until a notification arrives on the listening connection or `timeout` passes; an
    /// error (and the connection dropped) when the connection is lost meanwhile.
    fn await_notification(kept: &mut Option<postgres::Client>, timeout: Duration) -> Result<()> {
        let Some(client) = kept.as_mut() else { return Ok(()) };
        let woken = client.notifications().timeout_iter(timeout).next().doing("listening for changes");
        if woken.is_err() || client.is_closed() {
            *kept = None;
            let closed = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "the listening connection closed");
            return Err(woken.err().unwrap_or_else(|| StoreError::unavailable("listening for changes", closed)));
        }
        Ok(())
    }

    /// Calls `visit` for every trial row `sql` selects (`id, seq, body`), streamed.
    fn visit_rows(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
        visit: &mut dyn FnMut(StoredTrial) -> Result<()>,
    ) -> Result<()> {
        let mut client = self.client()?;
        let mut rows = client.query_raw(sql, params.iter().copied()).doing("listing trials")?;
        while let Some(row) = rows.next().doing("listing trials")? {
            let id: String = column(&row, 0, "listing trials")?;
            let seq: i64 = column(&row, 1, "listing trials")?;
            let body: &[u8] = column(&row, 2, "listing trials")?;
            visit(StoredTrial { seq: seq as u64, trial: codec::decode(&id, body)? })?;
        }
        Ok(())
    }
}

/// `url` as it may be shown: without a password.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.split_once('@') {
        Some((user_info, host)) if user_info.contains(':') => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

/// The batch cut where an id comes again, so that no part holds one trial twice: each part is
/// written table by table in one statement each, which must see an earlier write of the same
/// trial (applied in order) only across parts.
fn parts_without_repeats<'t, 'h>(trials: &'t [Hashed<'h>]) -> Vec<&'t [Hashed<'h>]> {
    let mut parts = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut start = 0;
    for (at, hashed) in trials.iter().enumerate() {
        if !ids.insert(hashed.trial.id.as_str()) {
            parts.push(&trials[start..at]);
            ids.clear();
            ids.insert(hashed.trial.id.as_str());
            start = at;
        }
    }
    if start < trials.len() {
        parts.push(&trials[start..]);
    }
    parts
}

/// The upserts of one part of a batch (no id twice) inside the batch's transaction. Every
/// statement is a round trip to the server, so each table is written once per part, its rows
/// sent as arrays (`unnest`), instead of once per trial.
fn upsert_part(tx: &mut Transaction, part: &[Hashed<'_>], next_seq: &mut i64, now: &str) -> Result<Vec<UpsertOutcome>> {
    let ids: Vec<&str> = part.iter().map(|hashed| hashed.trial.id.as_str()).collect();
    let stored: std::collections::HashMap<String, String> = tx
        .query("SELECT id, content_hash FROM trials WHERE id = ANY($1)", &[&ids])
        .doing("looking up trials")?
        .iter()
        .map(|row| Ok((column(row, 0, "looking up trials")?, column(row, 1, "looking up trials")?)))
        .collect::<Result<_>>()?;
    let outcomes: Vec<UpsertOutcome> = part
        .iter()
        .map(|hashed| match stored.get(&hashed.trial.id) {
            Some(stored) if stored == hashed.hash => UpsertOutcome::Unchanged,
            Some(_) => UpsertOutcome::Updated,
            None => UpsertOutcome::New,
        })
        .collect();
    let mut rows = TrialRows::default();
    for (hashed, outcome) in part.iter().zip(&outcomes) {
        if *outcome != UpsertOutcome::Unchanged {
            *next_seq += 1;
            rows.push(*hashed, *next_seq, *outcome == UpsertOutcome::Updated)?;
        }
    }
    rows.write(tx, now)?;
    Ok(outcomes)
}

/// The rows one part of a batch writes, column by column (each column one array parameter).
#[derive(Default)]
struct TrialRows<'a> {
    ids: Vec<&'a str>,
    seqs: Vec<i64>,
    hashes: Vec<&'a str>,
    statuses: Vec<Option<String>>,
    phases: Vec<String>,
    source_kinds: Vec<String>,
    bodies: Vec<Vec<u8>>,
    /// The trials replaced (their previous version goes to history) with their new numbers.
    replaced: Vec<&'a str>,
    replaced_seqs: Vec<i64>,
    /// Every lookup key of the written trials, beside the trial it names.
    aliases: Vec<String>,
    alias_trials: Vec<&'a str>,
}

impl<'a> TrialRows<'a> {
    fn push(&mut self, hashed: Hashed<'a>, seq: i64, replaces: bool) -> Result<()> {
        let Hashed { trial, hash } = hashed;
        let (status, phases, source_kinds) = count_columns(trial);
        self.bodies.push(codec::encode(&trial.id, trial)?);
        self.ids.push(&trial.id);
        self.seqs.push(seq);
        self.hashes.push(hash);
        self.statuses.push(status);
        self.phases.push(phases);
        self.source_kinds.push(source_kinds);
        if replaces {
            self.replaced.push(&trial.id);
            self.replaced_seqs.push(seq);
        }
        for alias in aliases(trial) {
            self.aliases.push(alias);
            self.alias_trials.push(&trial.id);
        }
        Ok(())
    }

    /// History first (it copies the bodies being replaced), then the trials, then their ids.
    fn write(&self, tx: &mut Transaction, now: &str) -> Result<()> {
        if self.ids.is_empty() {
            return Ok(());
        }
        if !self.replaced.is_empty() {
            tx.execute(
                "INSERT INTO trial_history (trial_id, replaced_at_seq, replaced_at, body)
                 SELECT t.id, r.seq, $3, t.body FROM unnest($1::text[], $2::bigint[]) AS r(id, seq)
                 JOIN trials t ON t.id = r.id",
                &[&self.replaced, &self.replaced_seqs, &now],
            )
            .doing("keeping the previous versions")?;
            tx.execute("DELETE FROM trial_ids WHERE trial_id = ANY($1)", &[&self.replaced])
                .doing("replacing identifiers")?;
        }
        tx.execute(
            "INSERT INTO trials (id, seq, content_hash, status, phases, source_kinds, written_at, body)
             SELECT id, seq, hash, status, phases, kinds, $7, body
             FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $8::bytea[])
                 AS u(id, seq, hash, status, phases, kinds, body)
             ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, content_hash = excluded.content_hash,
                 status = excluded.status, phases = excluded.phases, source_kinds = excluded.source_kinds,
                 written_at = excluded.written_at, body = excluded.body",
            &[
                &self.ids,
                &self.seqs,
                &self.hashes,
                &self.statuses,
                &self.phases,
                &self.source_kinds,
                &now,
                &self.bodies,
            ],
        )
        .doing("writing trials")?;
        tx.execute(
            "INSERT INTO trial_ids (alias, trial_id) SELECT * FROM unnest($1::text[], $2::text[])
             ON CONFLICT DO NOTHING",
            &[&self.aliases, &self.alias_trials],
        )
        .doing("writing identifiers")?;
        Ok(())
    }
}

impl TrialStore for PostgresStore {
    fn upsert_hashed(&self, trials: &[Hashed<'_>]) -> Result<Vec<UpsertOutcome>> {
        let now = Utc::now().to_rfc3339();
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("starting a batch")?;
        // The row lock, held to commit, puts concurrent batches in the order of their numbers.
        let counter =
            tx.query_one("SELECT value FROM counters WHERE name = 'seq' FOR UPDATE", &[]).doing("reading seq")?;
        let mut next_seq: i64 = column(&counter, 0, "reading seq")?;
        let mut outcomes = Vec::with_capacity(trials.len());
        for part in parts_without_repeats(trials) {
            outcomes.extend(upsert_part(&mut tx, part, &mut next_seq, &now)?);
        }
        tx.execute("UPDATE counters SET value = $1 WHERE name = 'seq'", &[&next_seq]).doing("advancing seq")?;
        if outcomes.iter().any(|outcome| *outcome != UpsertOutcome::Unchanged) {
            // Delivered to the listeners when (and only if) the batch commits.
            tx.execute("SELECT pg_notify($1, $2)", &[&CHANGES_CHANNEL, &next_seq.to_string()])
                .doing("announcing the batch")?;
        }
        tx.commit().doing("committing a batch")?;
        Ok(outcomes)
    }

    fn get_trial(&self, any_id: &str) -> Result<Option<Trial>> {
        let mut client = self.client()?;
        let read = |client: &mut Client, id: &str| -> Result<Option<Trial>> {
            let row = client.query_opt("SELECT body FROM trials WHERE id = $1", &[&id]).doing("reading a trial")?;
            row.map(|row| codec::decode(id, column(&row, 0, "reading a trial")?)).transpose()
        };
        if let Some(trial) = read(&mut client, any_id)? {
            return Ok(Some(trial));
        }
        let Some(id) = self.resolve_id(any_id)? else { return Ok(None) };
        read(&mut client, &id)
    }

    fn resolve_id(&self, any_id: &str) -> Result<Option<String>> {
        let row = self
            .client()?
            .query_one("SELECT min(trial_id) FROM trial_ids WHERE alias = $1", &[&alias_key(any_id)])
            .doing("resolving an identifier")?;
        column(&row, 0, "resolving an identifier")
    }

    fn history(&self, id: &str) -> Result<Vec<HistoryEntry>> {
        let rows = self
            .client()?
            .query(
                "SELECT replaced_at_seq, replaced_at, body FROM trial_history
                 WHERE trial_id = $1 ORDER BY replaced_at_seq DESC",
                &[&id],
            )
            .doing("reading history")?;
        rows.iter()
            .map(|row| {
                Ok(HistoryEntry {
                    replaced_at_seq: column::<i64>(row, 0, "reading history")? as u64,
                    replaced_at: time(column(row, 1, "reading history")?),
                    trial: codec::decode(id, column(row, 2, "reading history")?)?,
                })
            })
            .collect()
    }

    fn for_each_trial(&self, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()> {
        self.visit_rows("SELECT id, seq, body FROM trials ORDER BY id", &[], visit)
    }

    fn changed_since(&self, seq: u64, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()> {
        self.visit_rows("SELECT id, seq, body FROM trials WHERE seq > $1 ORDER BY seq", &[&(seq as i64)], visit)
    }

    fn content_hashes(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, String>> {
        let rows = self
            .client()?
            .query("SELECT id, content_hash FROM trials WHERE id = ANY($1)", &[&ids])
            .doing("looking up hashes")?;
        rows.iter()
            .map(|row| Ok((column(row, 0, "looking up hashes")?, column(row, 1, "looking up hashes")?)))
            .collect()
    }

    fn max_seq(&self) -> Result<u64> {
        let row =
            self.client()?.query_one("SELECT value FROM counters WHERE name = 'seq'", &[]).doing("reading seq")?;
        Ok(column::<i64>(&row, 0, "reading seq")? as u64)
    }

    fn wait_for_change(&self, after_seq: u64, timeout: Duration) -> Result<u64> {
        let mut kept = self.listener.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Listen first, then read: a change committed in between is in the sequence read or
        // notified after it, never neither.
        self.listening(&mut kept)?;
        Self::drop_stale_notifications(&mut kept)?;
        let seq = self.max_seq()?;
        if seq != after_seq {
            return Ok(seq);
        }
        Self::await_notification(&mut kept, timeout)?;
        self.max_seq()
    }

    fn trial_count(&self) -> Result<u64> {
        let row = self.client()?.query_one("SELECT count(*) FROM trials", &[]).doing("counting")?;
        Ok(column::<i64>(&row, 0, "counting")? as u64)
    }

    fn stats(&self) -> Result<StoreStats> {
        let mut stats = StoreStats { trials: self.trial_count()?, ..StoreStats::default() };
        let mut client = self.client()?;
        let history = client.query_one("SELECT count(*) FROM trial_history", &[]).doing("counting")?;
        stats.history_versions = column::<i64>(&history, 0, "counting")? as u64;
        let mut rows = client
            .query_raw("SELECT status, phases, source_kinds FROM trials", std::iter::empty::<&str>())
            .doing("computing stats")?;
        while let Some(row) = rows.next().doing("computing stats")? {
            let status: Option<String> = column(&row, 0, "computing stats")?;
            let phases: &str = column(&row, 1, "computing stats")?;
            let source_kinds: &str = column(&row, 2, "computing stats")?;
            count_trial(&mut stats, status, phases, source_kinds);
        }
        Ok(stats)
    }

    fn ids_with_source_kind(&self, kind: SourceKind) -> Result<Vec<String>> {
        let rows = self
            .client()?
            .query(
                "SELECT id FROM trials WHERE ',' || source_kinds || ',' LIKE '%,' || $1 || ',%' ORDER BY id",
                &[&kind.as_str()],
            )
            .doing("listing trials by source")?;
        rows.iter().map(|row| column(row, 0, "listing trials by source")).collect()
    }
}

impl StateStore for PostgresStore {
    fn get_state(&self, key: &str) -> Result<Option<String>> {
        let row = self.client()?.query_opt("SELECT value FROM state WHERE key = $1", &[&key]).doing("reading state")?;
        row.map(|row| column(&row, 0, "reading state")).transpose()
    }

    fn set_state(&self, key: &str, value: &str) -> Result<()> {
        self.client()?
            .execute(
                "INSERT INTO state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                &[&key, &value],
            )
            .doing("writing state")?;
        Ok(())
    }

    fn delete_state(&self, key: &str) -> Result<()> {
        self.client()?.execute("DELETE FROM state WHERE key = $1", &[&key]).doing("deleting state")?;
        Ok(())
    }
}

impl Store for PostgresStore {
    fn integrity_check(&self) -> Result<Vec<String>> {
        let max_seq = self.max_seq()? as i64;
        let mut client = self.client()?;
        // An anti-join, not `id NOT IN (SELECT ...)`: PostgreSQL hashes a NOT IN subquery only when
        // it fits in `work_mem`, and otherwise rescans it for every trial, which on 500,000 trials
        // ran for more than 18 minutes without finishing.
        let orphans = client
            .query_one(
                "SELECT count(*) FROM trials t WHERE NOT EXISTS (SELECT 1 FROM trial_ids i WHERE i.trial_id = t.id)",
                &[],
            )
            .doing("checking identifiers")?;
        let orphans: i64 = column(&orphans, 0, "checking identifiers")?;
        let mut problems = Vec::new();
        if orphans > 0 {
            problems.push(format!("{orphans} trials cannot be looked up by any identifier"));
        }
        let mut rows = client
            .query_raw("SELECT id, seq, content_hash, body FROM trials ORDER BY id", std::iter::empty::<&str>())
            .doing("checking records")?;
        while let Some(row) = rows.next().doing("checking records")? {
            let id: &str = column(&row, 0, "checking records")?;
            let seq: i64 = column(&row, 1, "checking records")?;
            let hash: &str = column(&row, 2, "checking records")?;
            let body: &[u8] = column(&row, 3, "checking records")?;
            problems.extend(check_trial_row(id, seq, hash, body, max_seq));
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_cut_only_where_an_id_comes_again() {
        let trials: Vec<Trial> = ["NCT1", "NCT2", "NCT1", "NCT3", "NCT1"]
            .iter()
            .map(|id| Trial { id: id.to_string(), ..Trial::default() })
            .collect();
        let hashed: Vec<Hashed<'_>> = trials.iter().map(|trial| Hashed { trial, hash: "h" }).collect();
        let parts: Vec<Vec<&str>> = parts_without_repeats(&hashed)
            .iter()
            .map(|part| part.iter().map(|h| h.trial.id.as_str()).collect())
            .collect();
        assert_eq!(parts, [vec!["NCT1", "NCT2"], vec!["NCT1", "NCT3"], vec!["NCT1"]]);
        assert!(parts_without_repeats(&[]).is_empty());
    }
}
