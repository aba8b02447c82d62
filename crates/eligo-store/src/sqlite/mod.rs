//! The embedded backend: bundled SQLite in WAL mode, one file per data dir, behind a pool of
//! connections (`r2d2`): readers run in parallel on their own connections, writers take turns.

mod access;
mod alerts;
mod error;
mod publications;
mod schema;

use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use eligo_model::{Publication, PublicationLink, SourceKind, Trial};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

use self::error::DbContext;
use crate::records::{alias_key, aliases, check_trial_row, count_columns, count_trial};
use crate::{
    codec, AccessStore, Allowance, ApiToken, Hashed, HistoryEntry, IngestJob, NewApiToken, NewIngestJob,
    PublicationStore, Result, StateStore, Store, StoreError, StoreStats, StoredTrial, TrialStore, UpsertOutcome,
};

/// The database file inside a data directory.
pub const DATABASE_FILE: &str = "eligo.db";

/// Connections a store keeps at most. Reads take one each for as long as they run (a match
/// screens hundreds of trials, a visitor may read while it walks), so a few more than the cores.
const MAX_CONNECTIONS: u32 = 8;

/// Longest a caller waits for a free connection before the store reports an error.
const CONNECTION_WAIT: Duration = Duration::from_secs(30);

/// Opens connections to one database file, each set up the same way.
#[derive(Debug)]
struct Connector {
    path: PathBuf,
}

impl r2d2::ManageConnection for Connector {
    type Connection = Connection;
    type Error = rusqlite::Error;

    fn connect(&self) -> rusqlite::Result<Connection> {
        let mut conn = Connection::open(&self.path)?;
        // WAL lets readers (a running server) proceed during an ingest;
        // synchronous=NORMAL is durable at every checkpoint and safe against
        // corruption, which is the right trade for a re-ingestible registry.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A deleted alert subscriber (an e-mail address, sealed pre-screen answers) must not stay
        // readable in the file's free pages. Zeroing costs writes only where rows are deleted or
        // shrink, which a fresh ingest never does.
        conn.pragma_update(None, "secure_delete", "ON")?;
        // Writers of other processes are waited out (ours take turns on the store's write lock).
        conn.busy_timeout(Duration::from_secs(10))?;
        // Every transaction here writes, so it takes the write lock when it begins. A deferred one
        // reads first, and when another connection commits in between, its upgrade to a writer
        // fails at once with SQLITE_BUSY_SNAPSHOT, which the busy timeout does not wait out.
        conn.set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
        Ok(conn)
    }

    fn is_valid(&self, conn: &mut Connection) -> rusqlite::Result<()> {
        conn.execute_batch("")
    }

    fn has_broken(&self, _conn: &mut Connection) -> bool {
        false
    }
}

type Pooled = r2d2::PooledConnection<Connector>;

/// A trial's stored body as read ([`codec`] decodes it). Bodies are BLOBs; this also reads a TEXT
/// value, so that a body damaged into text is reported as a corrupt record, not a failed query.
struct StoredBody(Vec<u8>);

impl rusqlite::types::FromSql for StoredBody {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        value.as_bytes().map(|bytes| StoredBody(bytes.to_vec()))
    }
}

/// The SQLite store: a pool of connections to one database file. SQLite admits one writer at a
/// time; readers see committed batches only (WAL), in this process and in others.
pub struct SqliteStore {
    pool: r2d2::Pool<Connector>,
    /// Writers of this process queue here rather than spinning in SQLite's busy handler.
    write_turn: Mutex<()>,
    /// The directory of a temporary store, deleted after the pool's connections are closed
    /// (fields drop in order).
    _temporary: Option<tempfile::TempDir>,
}

/// A connection with the write turn: dereferences to the connection.
struct Writer<'a> {
    conn: Pooled,
    _turn: MutexGuard<'a, ()>,
}

impl Deref for Writer<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.conn
    }
}

impl DerefMut for Writer<'_> {
    fn deref_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies migrations.
    /// A directory it creates is private to the user (0700 on Unix), and so is a database file
    /// it creates (0600; SQLite gives its WAL and shared-memory files the database's mode): the
    /// store holds API token hashes and whatever was ingested.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_in(path, None)
    }

    /// A store in a new private directory, deleted with the store.
    pub fn temporary() -> Result<Self> {
        let dir = tempfile::Builder::new()
            .prefix("eligo-store-")
            .tempdir()
            .map_err(|e| StoreError::Open { location: "a temporary directory".into(), reason: e.to_string() })?;
        let path = dir.path().join(DATABASE_FILE);
        Self::open_in(&path, Some(dir))
    }

    fn open_in(path: &Path, temporary: Option<tempfile::TempDir>) -> Result<Self> {
        let cannot_open = |reason: String| StoreError::Open { location: path.display().to_string(), reason };
        private_file(path).map_err(|e| cannot_open(e.to_string()))?;
        let connector = Connector { path: path.to_path_buf() };
        let mut first = r2d2::ManageConnection::connect(&connector).map_err(|e| cannot_open(e.to_string()))?;
        schema::migrate(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(MAX_CONNECTIONS)
            .min_idle(Some(1))
            .connection_timeout(CONNECTION_WAIT)
            // A local file does not drop connections: checking each one out costs a round trip.
            .test_on_check_out(false)
            .build(connector)
            .map_err(|e| cannot_open(e.to_string()))?;
        Ok(SqliteStore { pool, write_turn: Mutex::new(()), _temporary: temporary })
    }

    /// A connection for reading.
    fn reader(&self) -> Result<Pooled> {
        self.pool.get().map_err(|e| StoreError::backend("waiting for a database connection", e))
    }

    /// A connection for writing, once the other writers of this process are done.
    fn writer(&self) -> Result<Writer<'_>> {
        // A writer that panicked left no transaction open (rusqlite rolls back on drop).
        let turn = self.write_turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        Ok(Writer { conn: self.reader()?, _turn: turn })
    }

    fn read_trial(id: &str, body: &StoredBody) -> Result<Trial> {
        codec::decode(id, &body.0)
    }

    fn visit_rows(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        visit: &mut dyn FnMut(StoredTrial) -> Result<()>,
    ) -> Result<()> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare(sql).doing("listing trials")?;
        let mut rows = stmt.query(params).doing("listing trials")?;
        while let Some(row) = rows.next().doing("listing trials")? {
            let id: String = row.get(0).doing("listing trials")?;
            let seq: i64 = row.get(1).doing("listing trials")?;
            let body: StoredBody = row.get(2).doing("listing trials")?;
            visit(StoredTrial { seq: seq as u64, trial: Self::read_trial(&id, &body)? })?;
        }
        Ok(())
    }
}

impl SqliteStore {
    /// The problems of every stored trial (see [`check_trial_row`]), in id order.
    fn check_records(&self) -> Result<Vec<String>> {
        let max_seq = self.max_seq()? as i64;
        let mut problems = Vec::new();
        let conn = self.reader()?;
        let mut stmt =
            conn.prepare("SELECT id, seq, content_hash, body FROM trials ORDER BY id").doing("checking records")?;
        let mut rows = stmt.query([]).doing("checking records")?;
        while let Some(row) = rows.next().doing("checking records")? {
            let id: String = row.get(0).doing("checking records")?;
            let seq: i64 = row.get(1).doing("checking records")?;
            let hash: String = row.get(2).doing("checking records")?;
            let body: StoredBody = row.get(3).doing("checking records")?;
            problems.extend(check_trial_row(&id, seq, &hash, &body.0, max_seq));
        }
        Ok(problems)
    }
}

/// One upsert inside an open transaction.
fn upsert_one(tx: &Transaction, hashed: Hashed<'_>, next_seq: &mut i64, now: &str) -> Result<UpsertOutcome> {
    let Hashed { trial, hash } = hashed;
    let existing: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, content_hash FROM trials WHERE id = ?1")
        .and_then(|mut stmt| stmt.query_row([&trial.id], |row| Ok((row.get(0)?, row.get(1)?))).optional())
        .doing("looking up a trial")?;
    let outcome = match &existing {
        Some((_, stored_hash)) if *stored_hash == hash => return Ok(UpsertOutcome::Unchanged),
        Some(_) => UpsertOutcome::Updated,
        None => UpsertOutcome::New,
    };
    *next_seq += 1;
    if outcome == UpsertOutcome::Updated {
        tx.prepare_cached(
            "INSERT INTO trial_history (trial_id, replaced_at_seq, replaced_at, body)
             SELECT id, ?2, ?3, body FROM trials WHERE id = ?1",
        )
        .and_then(|mut stmt| stmt.execute(params![trial.id, *next_seq, now]))
        .doing("keeping the previous version")?;
        tx.prepare_cached("DELETE FROM trial_ids WHERE trial_id = ?1")
            .and_then(|mut stmt| stmt.execute([&trial.id]))
            .doing("replacing identifiers")?;
    }
    let body = codec::encode(&trial.id, trial)?;
    let (status, phases, source_kinds) = count_columns(trial);
    tx.prepare_cached(
        "INSERT INTO trials (id, seq, content_hash, status, phases, source_kinds, written_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, content_hash = excluded.content_hash,
             status = excluded.status, phases = excluded.phases, source_kinds = excluded.source_kinds,
             written_at = excluded.written_at, body = excluded.body",
    )
    .and_then(|mut stmt| stmt.execute(params![trial.id, *next_seq, hash, status, phases, source_kinds, now, body]))
    .doing("writing a trial")?;
    let mut insert_alias =
        tx.prepare_cached("INSERT OR IGNORE INTO trial_ids (alias, trial_id) VALUES (?1, ?2)").doing("writing ids")?;
    for alias in aliases(trial) {
        insert_alias.execute(params![alias, trial.id]).doing("writing identifiers")?;
    }
    Ok(outcome)
}

impl TrialStore for SqliteStore {
    fn upsert_hashed(&self, trials: &[Hashed<'_>]) -> Result<Vec<UpsertOutcome>> {
        let mut conn = self.writer()?;
        let now = Utc::now().to_rfc3339();
        let tx = conn.transaction().doing("starting a batch")?;
        let mut next_seq: i64 =
            tx.query_row("SELECT value FROM counters WHERE name = 'seq'", [], |row| row.get(0)).doing("reading seq")?;
        let outcomes =
            trials.iter().map(|hashed| upsert_one(&tx, *hashed, &mut next_seq, &now)).collect::<Result<_>>()?;
        tx.execute("UPDATE counters SET value = ?1 WHERE name = 'seq'", [next_seq]).doing("advancing seq")?;
        tx.commit().doing("committing a batch")?;
        Ok(outcomes)
    }

    fn get_trial(&self, any_id: &str) -> Result<Option<Trial>> {
        let conn = self.reader()?;
        // A trial's own id names it (the common case: ids from the index or a link); only
        // other identifiers go through the alias table. Statements are cached: the matcher reads
        // hundreds of trials per patient.
        let mut by_id = conn.prepare_cached("SELECT body FROM trials WHERE id = ?1").doing("reading a trial")?;
        if let Some(body) =
            by_id.query_row([any_id], |row| row.get::<_, StoredBody>(0)).optional().doing("reading a trial")?
        {
            return Self::read_trial(any_id, &body).map(Some);
        }
        let Some(id) = self.resolve_id(any_id)? else { return Ok(None) };
        let body: Option<StoredBody> = by_id.query_row([&id], |row| row.get(0)).optional().doing("reading a trial")?;
        body.map(|body| Self::read_trial(&id, &body)).transpose()
    }

    fn resolve_id(&self, any_id: &str) -> Result<Option<String>> {
        let conn = self.reader()?;
        conn.prepare_cached("SELECT min(trial_id) FROM trial_ids WHERE alias = ?1")
            .and_then(|mut stmt| stmt.query_row([alias_key(any_id)], |row| row.get(0)))
            .doing("resolving an identifier")
    }

    fn history(&self, id: &str) -> Result<Vec<HistoryEntry>> {
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare(
                "SELECT replaced_at_seq, replaced_at, body FROM trial_history
                 WHERE trial_id = ?1 ORDER BY replaced_at_seq DESC",
            )
            .doing("reading history")?;
        let rows = stmt
            .query_map([id], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, StoredBody>(2)?)))
            .doing("reading history")?;
        let mut entries = Vec::new();
        for row in rows {
            let (seq, at, body) = row.doing("reading history")?;
            let replaced_at = DateTime::parse_from_rfc3339(&at).map(|t| t.with_timezone(&Utc)).unwrap_or_default();
            entries.push(HistoryEntry {
                replaced_at_seq: seq as u64,
                replaced_at,
                trial: Self::read_trial(id, &body)?,
            });
        }
        Ok(entries)
    }

    fn for_each_trial(&self, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()> {
        self.visit_rows("SELECT id, seq, body FROM trials ORDER BY id", [], visit)
    }

    fn changed_since(&self, seq: u64, visit: &mut dyn FnMut(StoredTrial) -> Result<()>) -> Result<()> {
        self.visit_rows("SELECT id, seq, body FROM trials WHERE seq > ?1 ORDER BY seq", [seq as i64], visit)
    }

    fn content_hashes(&self, ids: &[&str]) -> Result<std::collections::HashMap<String, String>> {
        // One statement for all of them (the ids as one JSON array): a match asks for a thousand
        // candidates' hashes, and a statement per id cost more than the lookups themselves.
        let ids = serde_json::to_string(ids).map_err(|e| StoreError::backend("looking up hashes", e))?;
        let conn = self.reader()?;
        let mut stmt = conn
            .prepare_cached("SELECT id, content_hash FROM trials WHERE id IN (SELECT value FROM json_each(?1))")
            .doing("looking up hashes")?;
        let rows = stmt.query_map([ids], |row| Ok((row.get(0)?, row.get(1)?))).doing("looking up hashes")?;
        rows.collect::<rusqlite::Result<_>>().doing("looking up hashes")
    }

    fn max_seq(&self) -> Result<u64> {
        let seq: i64 = self
            .reader()?
            .query_row("SELECT value FROM counters WHERE name = 'seq'", [], |row| row.get(0))
            .doing("reading seq")?;
        Ok(seq as u64)
    }

    fn trial_count(&self) -> Result<u64> {
        let conn = self.reader()?;
        let count: i64 = conn.query_row("SELECT count(*) FROM trials", [], |row| row.get(0)).doing("counting")?;
        Ok(count as u64)
    }

    fn stats(&self) -> Result<StoreStats> {
        let conn = self.reader()?;
        let mut stats = StoreStats { trials: self.trial_count()?, ..StoreStats::default() };
        let history: i64 =
            conn.query_row("SELECT count(*) FROM trial_history", [], |row| row.get(0)).doing("counting")?;
        stats.history_versions = history as u64;
        let mut stmt = conn.prepare("SELECT status, phases, source_kinds FROM trials").doing("computing stats")?;
        let mut rows = stmt.query([]).doing("computing stats")?;
        while let Some(row) = rows.next().doing("computing stats")? {
            let status: Option<String> = row.get(0).doing("computing stats")?;
            let phases: String = row.get(1).doing("computing stats")?;
            let source_kinds: String = row.get(2).doing("computing stats")?;
            count_trial(&mut stats, status, &phases, &source_kinds);
        }
        Ok(stats)
    }

    fn ids_with_source_kind(&self, kind: SourceKind) -> Result<Vec<String>> {
        let conn = self.reader()?;
        publications::ids_with_source_kind(&conn, kind)
    }
}

impl StateStore for SqliteStore {
    fn get_state(&self, key: &str) -> Result<Option<String>> {
        let conn = self.reader()?;
        conn.query_row("SELECT value FROM state WHERE key = ?1", [key], |row| row.get(0))
            .optional()
            .doing("reading state")
    }

    fn set_state(&self, key: &str, value: &str) -> Result<()> {
        let conn = self.writer()?;
        conn.execute(
            "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )
        .doing("writing state")?;
        Ok(())
    }

    fn delete_state(&self, key: &str) -> Result<()> {
        let conn = self.writer()?;
        conn.execute("DELETE FROM state WHERE key = ?1", [key]).doing("deleting state")?;
        Ok(())
    }
}

impl AccessStore for SqliteStore {
    fn add_api_token(&self, token: &NewApiToken) -> Result<()> {
        let conn = self.writer()?;
        access::add_token(&conn, token)
    }

    fn find_api_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let conn = self.reader()?;
        access::find_token(&conn, token_hash)
    }

    fn touch_api_token(&self, token_hash: &str, at: DateTime<Utc>) -> Result<()> {
        let conn = self.writer()?;
        access::touch_token(&conn, token_hash, at)
    }

    fn list_api_tokens(&self) -> Result<Vec<ApiToken>> {
        let conn = self.reader()?;
        access::list_tokens(&conn)
    }

    fn revoke_api_tokens(&self, name: &str, at: DateTime<Utc>) -> Result<usize> {
        let conn = self.writer()?;
        access::revoke_tokens(&conn, name, at)
    }

    fn start_ingest_job(&self, job: &NewIngestJob, forget_before: DateTime<Utc>) -> Result<(IngestJob, bool)> {
        let mut conn = self.writer()?;
        access::start_job(&mut conn, job, forget_before)
    }

    fn finish_ingest_job(&self, id: &str, result: &str) -> Result<()> {
        let conn = self.writer()?;
        access::finish_job(&conn, id, result)
    }

    fn get_ingest_job(&self, id: &str) -> Result<Option<IngestJob>> {
        let conn = self.reader()?;
        access::get_job(&conn, id)
    }

    fn forget_ingest_job(&self, id: &str) -> Result<()> {
        let conn = self.writer()?;
        access::forget_job(&conn, id)
    }

    fn take_allowance(&self, key: &str, allowance: Allowance, now: DateTime<Utc>) -> Result<Option<Duration>> {
        let mut conn = self.writer()?;
        access::take_allowance(&mut conn, key, allowance, now.timestamp_millis())
    }
}

impl PublicationStore for SqliteStore {
    fn upsert_publications(&self, items: &[Publication]) -> Result<Vec<UpsertOutcome>> {
        let mut conn = self.writer()?;
        publications::upsert(&mut conn, items)
    }

    fn get_publication(&self, any_id: &str) -> Result<Option<Publication>> {
        let conn = self.reader()?;
        publications::get(&conn, any_id)
    }

    fn for_each_publication(&self, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()> {
        let conn = self.reader()?;
        publications::for_each(&conn, visit)
    }

    fn replace_publication_links(&self, links: &[PublicationLink]) -> Result<()> {
        let mut conn = self.writer()?;
        publications::replace_links(&mut conn, links)
    }

    fn links_for_trial(&self, trial_id: &str) -> Result<Vec<PublicationLink>> {
        let conn = self.reader()?;
        publications::links(&conn, "trial_id", trial_id)
    }

    fn links_for_publication(&self, key: &str) -> Result<Vec<PublicationLink>> {
        let conn = self.reader()?;
        publications::links(&conn, "publication_key", key)
    }
}

impl Store for SqliteStore {
    fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.reader()?;
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check").doing("checking integrity")?;
        for line in stmt.query_map([], |row| row.get::<_, String>(0)).doing("checking integrity")? {
            let line = line.doing("checking integrity")?;
            if line != "ok" {
                problems.push(format!("sqlite: {line}"));
            }
        }
        let orphans: i64 = self
            .reader()?
            .query_row("SELECT count(*) FROM trials WHERE id NOT IN (SELECT trial_id FROM trial_ids)", [], |row| {
                row.get(0)
            })
            .doing("checking identifiers")?;
        if orphans > 0 {
            problems.push(format!("{orphans} trials cannot be looked up by any identifier"));
        }
        problems.extend(self.check_records()?);
        Ok(problems)
    }
}

/// Creates `path`'s missing directories and the file itself, readable by the user alone. An
/// existing file keeps the mode its owner gave it.
fn private_file(path: &Path) -> std::io::Result<()> {
    let mut dirs = std::fs::DirBuilder::new();
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        dirs.mode(0o700);
        file.mode(0o600);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        dirs.recursive(true).create(parent)?;
    }
    file.open(path).map(drop)
}
