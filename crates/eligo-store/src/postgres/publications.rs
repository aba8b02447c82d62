//! Publications and their links in PostgreSQL (see `sqlite/publications.rs`).

use chrono::Utc;
use eligo_model::{Publication, PublicationLink};
use postgres::fallible_iterator::FallibleIterator;

use super::{column, PgContext, PostgresStore};
use crate::records::{parse_reason, reason_str, same_publication, PublicationId};
use crate::{PublicationStore, Result, StoreError, UpsertOutcome};

fn read_publication(key: &str, body: &str) -> Result<Publication> {
    serde_json::from_str(body).map_err(|source| StoreError::corrupt(key, source))
}

impl PublicationStore for PostgresStore {
    fn upsert_publications(&self, publications: &[Publication]) -> Result<Vec<UpsertOutcome>> {
        let now = Utc::now().to_rfc3339();
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("starting a publication batch")?;
        let mut outcomes = Vec::with_capacity(publications.len());
        for publication in publications {
            let Some(key) = publication.key() else {
                outcomes.push(UpsertOutcome::Unchanged);
                continue;
            };
            let stored = tx
                .query_opt("SELECT body FROM publications WHERE key = $1", &[&key])
                .doing("looking up a publication")?;
            let outcome = match stored {
                None => UpsertOutcome::New,
                Some(row) => match read_publication(&key, column(&row, 0, "looking up a publication")?)? {
                    old if same_publication(&old, publication) => UpsertOutcome::Unchanged,
                    _ => UpsertOutcome::Updated,
                },
            };
            if outcome != UpsertOutcome::Unchanged {
                let body = serde_json::to_string(publication).map_err(|source| StoreError::corrupt(&key, source))?;
                tx.execute(
                    "INSERT INTO publications (key, pmid, doi, pmcid, written_at, body) VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (key) DO UPDATE SET pmid = excluded.pmid, doi = excluded.doi,
                         pmcid = excluded.pmcid, written_at = excluded.written_at, body = excluded.body",
                    &[
                        &key,
                        &publication.pmid,
                        &publication.doi.as_deref().map(str::to_lowercase),
                        &publication.pmcid.as_deref().map(str::to_uppercase),
                        &now,
                        &body,
                    ],
                )
                .doing("writing a publication")?;
            }
            outcomes.push(outcome);
        }
        tx.commit().doing("committing a publication batch")?;
        Ok(outcomes)
    }

    fn get_publication(&self, any_id: &str) -> Result<Option<Publication>> {
        let mut client = self.client()?;
        let found = match PublicationId::parse(any_id) {
            PublicationId::Pmid(pmid) => {
                client.query_opt("SELECT key, body FROM publications WHERE pmid = $1", &[&pmid])
            }
            PublicationId::Doi(doi) => client.query_opt("SELECT key, body FROM publications WHERE doi = $1", &[&doi]),
            PublicationId::Pmcid(pmcid) => {
                client.query_opt("SELECT key, body FROM publications WHERE pmcid = $1", &[&pmcid])
            }
            PublicationId::Any { pmid, doi, pmcid } => client.query_opt(
                "SELECT key, body FROM publications WHERE pmid = $1 OR doi = $2 OR pmcid = $3 ORDER BY key LIMIT 1",
                &[&pmid, &doi, &pmcid],
            ),
        }
        .doing("reading a publication")?;
        found
            .map(|row| {
                read_publication(column(&row, 0, "reading a publication")?, column(&row, 1, "reading a publication")?)
            })
            .transpose()
    }

    fn for_each_publication(&self, visit: &mut dyn FnMut(Publication) -> Result<()>) -> Result<()> {
        let mut client = self.client()?;
        let mut rows = client
            .query_raw("SELECT key, body FROM publications ORDER BY key", std::iter::empty::<&str>())
            .doing("listing publications")?;
        while let Some(row) = rows.next().doing("listing publications")? {
            visit(read_publication(
                column(&row, 0, "listing publications")?,
                column(&row, 1, "listing publications")?,
            )?)?;
        }
        Ok(())
    }

    fn replace_publication_links(&self, links: &[PublicationLink]) -> Result<()> {
        let mut client = self.client()?;
        let mut tx = client.transaction().doing("starting a link batch")?;
        tx.execute("DELETE FROM publication_links", &[]).doing("clearing links")?;
        let insert = tx
            .prepare(
                "INSERT INTO publication_links (trial_id, publication_key, reason, score, reports_results)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (trial_id, publication_key) DO UPDATE SET reason = excluded.reason,
                     score = excluded.score, reports_results = excluded.reports_results",
            )
            .doing("writing links")?;
        for link in links {
            tx.execute(
                &insert,
                &[
                    &link.trial_id,
                    &link.publication_key,
                    &reason_str(link.reason),
                    &(link.score as f64),
                    &link.reports_results,
                ],
            )
            .doing("writing links")?;
        }
        tx.commit().doing("committing links")
    }

    fn links_for_trial(&self, trial_id: &str) -> Result<Vec<PublicationLink>> {
        self.links("trial_id", trial_id)
    }

    fn links_for_publication(&self, key: &str) -> Result<Vec<PublicationLink>> {
        self.links("publication_key", key)
    }
}

impl PostgresStore {
    /// Links whose `column` is `value`, best score first.
    fn links(&self, column_name: &str, value: &str) -> Result<Vec<PublicationLink>> {
        const DOING: &str = "reading links";
        let sql = format!(
            "SELECT trial_id, publication_key, reason, score, reports_results FROM publication_links
             WHERE {column_name} = $1 ORDER BY score DESC, trial_id, publication_key"
        );
        let rows = self.client()?.query(&sql, &[&value]).doing(DOING)?;
        rows.iter()
            .map(|row| {
                Ok(PublicationLink {
                    trial_id: column(row, 0, DOING)?,
                    publication_key: column(row, 1, DOING)?,
                    reason: parse_reason(column(row, 2, DOING)?),
                    score: column::<f64>(row, 3, DOING)? as f32,
                    reports_results: column(row, 4, DOING)?,
                })
            })
            .collect()
    }
}
