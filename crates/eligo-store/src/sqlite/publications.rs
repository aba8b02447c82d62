//! Publications and their links to trials, in SQLite.
//!
//! A publication is stored once under its key (`PMID:n`, else `DOI:x`,
//! else `PMCID:x`) as a JSON body, with its identifiers in columns so that
//! `eligo show PMID:…`, a bare DOI or a PMCID all find it. Links are derived
//! data (recomputed from trials and publications after each ingest) and are
//! replaced as a whole, in one transaction.

use chrono::Utc;
use eligo_model::{LinkReason, Publication, PublicationLink, SourceKind};
use rusqlite::{params, Connection, OptionalExtension};

use super::error::DbContext;
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
            Some(old) if same_content(&read_publication(&key, &old)?, publication) => UpsertOutcome::Unchanged,
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

/// Equal apart from where and when it was read.
fn same_content(a: &Publication, b: &Publication) -> bool {
    Publication { sources: Vec::new(), ..a.clone() } == Publication { sources: Vec::new(), ..b.clone() }
}

pub fn get(conn: &Connection, any_id: &str) -> Result<Option<Publication>> {
    let raw = any_id.trim();
    let (prefix, rest) = raw.split_once(':').unwrap_or(("", raw));
    let (sql, value) = match prefix.to_ascii_uppercase().as_str() {
        "PMID" => ("SELECT key, body FROM publications WHERE pmid = ?1", rest.trim()),
        "DOI" => ("SELECT key, body FROM publications WHERE doi = lower(?1)", rest.trim()),
        "PMCID" | "PMC" => ("SELECT key, body FROM publications WHERE pmcid = upper(?1)", rest.trim()),
        _ => ("SELECT key, body FROM publications WHERE pmid = ?1 OR doi = lower(?1) OR pmcid = upper(?1)", raw),
    };
    let found: Option<(String, String)> =
        conn.query_row(sql, [value], |row| Ok((row.get(0)?, row.get(1)?))).optional().doing("reading a publication")?;
    found.map(|(key, body)| read_publication(&key, &body)).transpose()
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

fn reason_str(reason: LinkReason) -> &'static str {
    match reason {
        LinkReason::NamesNctId => "names_nct_id",
        LinkReason::ListedInReferences => "listed_in_references",
        LinkReason::Related => "related",
    }
}

fn parse_reason(raw: &str) -> LinkReason {
    match raw {
        "names_nct_id" => LinkReason::NamesNctId,
        "listed_in_references" => LinkReason::ListedInReferences,
        _ => LinkReason::Related,
    }
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
