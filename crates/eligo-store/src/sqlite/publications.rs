//! Publications and their links to trials, in SQLite.
//!
//! A publication is stored once under its key (`PMID:n`, else `DOI:x`,
//! else `PMCID:x`) as a JSON body, with its identifiers in columns so that
//! `eligo show PMID:…`, a bare DOI or a PMCID all find it. Links are derived
//! data (recomputed from trials and publications after each ingest) and are
//! replaced as a whole, in one transaction.

use chrono::Utc;
use eligo_model::{Publication, PublicationLink, SourceKind};
use rusqlite::{params, Connection, OptionalExtension};

use super::error::DbContext;
use crate::records::{parse_reason, reason_str, same_publication, PublicationId};
use crate::{Result, StoreError, UpsertOutcome};

pub fn ids_with_source_kind(conn: &Connection, kind: SourceKind) -> Result<Vec<String>> {
    let mut stmt = conn
        .prepare("SELECT id FROM trials WHERE ',' || source_kinds || ',' LIKE '%,' || ?1 || ',%' ORDER BY id")
        .doing("listing trials by source")?;
    let rows = stmt.query_map([kind.as_str()], |row| row.get(0)).doing("listing trials by source")?;
    rows.collect::<rusqlite::Result<Vec<String>>>().doing("listing trials by source")
}

fn read_publication(key: &str, body: &str) -> Result<Publication> {
    serde_json::from_str(body).map_err(|source| StoreError::corrupt(key, source))
}

pub fn upsert(conn: &mut Connection, publications: &[Publication]) -> Result<Vec<UpsertOutcome>> {
    let now = Utc::now().to_rfc3339();
    let tx = conn.transaction().doing("starting a publication batch")?;
    let mut outcomes = Vec::with_capacity(publications.len());
    for publication in publications {
        let Some(key) = publication.key() else {
            outcomes.push(UpsertOutcome::Unchanged);
            continue;
        };
        let body = serde_json::to_string(publication).map_err(|source| StoreError::corrupt(&key, source))?;
        let stored: Option<String> = tx
            .query_row("SELECT body FROM publications WHERE key = ?1", [&key], |row| row.get(0))
            .optional()
            .doing("looking up a publication")?;
        let outcome = match stored {
            None => UpsertOutcome::New,
            Some(old) if same_publication(&read_publication(&key, &old)?, publication) => UpsertOutcome::Unchanged,
            Some(_) => UpsertOutcome::Updated,
        };
        if outcome != UpsertOutcome::Unchanged {
            tx.execute(
                "INSERT INTO publications (key, pmid, doi, pmcid, written_at, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(key) DO UPDATE SET pmid = excluded.pmid, doi = excluded.doi, pmcid = excluded.pmcid,
                     written_at = excluded.written_at, body = excluded.body",
                params![
                    key,
                    publication.pmid,
                    publication.doi.as_deref().map(str::to_lowercase),
                    publication.pmcid.as_deref().map(str::to_uppercase),
                    now,
                    body
                ],
            )
            .doing("writing a publication")?;
        }
        outcomes.push(outcome);
    }
    tx.commit().doing("committing a publication batch")?;
    Ok(outcomes)
}

pub fn get(conn: &Connection, any_id: &str) -> Result<Option<Publication>> {
    let found: Option<(String, String)> = match PublicationId::parse(any_id) {
        PublicationId::Pmid(pmid) => conn.query_row("SELECT key, body FROM publications WHERE pmid = ?1", [pmid], pair),
        PublicationId::Doi(doi) => conn.query_row("SELECT key, body FROM publications WHERE doi = ?1", [doi], pair),
        PublicationId::Pmcid(pmcid) => {
            conn.query_row("SELECT key, body FROM publications WHERE pmcid = ?1", [pmcid], pair)
        }
        PublicationId::Any { pmid, doi, pmcid } => conn.query_row(
            "SELECT key, body FROM publications WHERE pmid = ?1 OR doi = ?2 OR pmcid = ?3 ORDER BY key LIMIT 1",
            params![pmid, doi, pmcid],
            pair,
        ),
    }
    .optional()
    .doing("reading a publication")?;
    found.map(|(key, body)| read_publication(&key, &body)).transpose()
}

fn pair(row: &rusqlite::Row) -> rusqlite::Result<(String, String)> {
    Ok((row.get(0)?, row.get(1)?))
}

pub fn for_each(conn: &Connection, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()> {
    let mut stmt = conn.prepare("SELECT key, body FROM publications ORDER BY key").doing("listing publications")?;
    let mut rows = stmt.query([]).doing("listing publications")?;
    while let Some(row) = rows.next().doing("listing publications")? {
        let key: String = row.get(0).doing("listing publications")?;
        let body: String = row.get(1).doing("listing publications")?;
        visit(read_publication(&key, &body)?)?;
    }
    Ok(())
}

pub fn replace_links(conn: &mut Connection, links: &[PublicationLink]) -> Result<()> {
    let tx = conn.transaction().doing("starting a link batch")?;
    tx.execute("DELETE FROM publication_links", []).doing("clearing links")?;
    {
        let mut insert = tx
            .prepare(
                "INSERT OR REPLACE INTO publication_links (trial_id, publication_key, reason, score, reports_results)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .doing("writing links")?;
        for link in links {
            insert
                .execute(params![
                    link.trial_id,
                    link.publication_key,
                    reason_str(link.reason),
                    link.score as f64,
                    link.reports_results
                ])
                .doing("writing links")?;
        }
    }
    tx.commit().doing("committing links")
}

pub fn links(conn: &Connection, column: &str, value: &str) -> Result<Vec<PublicationLink>> {
    let sql = format!(
        "SELECT trial_id, publication_key, reason, score, reports_results FROM publication_links
         WHERE {column} = ?1 ORDER BY score DESC, trial_id, publication_key"
    );
    let mut stmt = conn.prepare(&sql).doing("reading links")?;
    let rows = stmt
        .query_map([value], |row| {
            Ok(PublicationLink {
                trial_id: row.get(0)?,
                publication_key: row.get(1)?,
                reason: parse_reason(&row.get::<_, String>(2)?),
                score: row.get::<_, f64>(3)? as f32,
                reports_results: row.get(4)?,
            })
        })
        .doing("reading links")?;
    rows.collect::<rusqlite::Result<Vec<_>>>().doing("reading links")
}
