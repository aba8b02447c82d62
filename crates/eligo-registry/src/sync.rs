//! Live sync: page through the registry API into the store, resumably.
//!
//! After each page is committed, the next page's token is saved in the
//! store's state under a key derived from the query. An interrupted run
//! (dropped connection past all retries, Ctrl-C, a crash) therefore resumes
//! at the first page not yet committed when the same query runs again; a
//! page fetched twice is harmless because re-ingest is idempotent.

use eligo_ctgov::sync::{SyncClient, SyncError, SyncQuery};
use eligo_store::{Store, StoreError};
use serde::Serialize;

use crate::ingest::{BatchWriter, IngestError, IngestReport, Progress};

#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Pages fetched and committed by this run.
    pub pages: u64,
    /// True when this run continued an interrupted one.
    pub resumed: bool,
    /// Studies the registry says match the query, when it says.
    pub total_count: Option<u64>,
    #[serde(flatten)]
    pub ingest: IngestReport,
}

#[derive(Debug, thiserror::Error)]
pub enum SyncRunError {
    #[error("sync stopped after {pages_committed} committed page(s): {source}; run the same command again to resume")]
    Fetch {
        pages_committed: u64,
        #[source]
        source: SyncError,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ingest(#[from] IngestError),
}

fn resume_key(query: &SyncQuery) -> String {
    format!("sync:resume:{}", query.fingerprint())
}

/// Fetches every page of `query` into `store`.
pub fn sync(
    store: &dyn Store,
    client: &SyncClient,
    query: &SyncQuery,
    progress: &mut dyn FnMut(Progress, Option<u64>),
) -> Result<SyncReport, SyncRunError> {
    let key = resume_key(query);
    let mut token = store.get_state(&key)?;
    let mut report = SyncReport { resumed: token.is_some(), ..SyncReport::default() };
    let mut writer = BatchWriter::new(store, usize::MAX);
    loop {
        let page = client
            .fetch_page(query, token.as_deref())
            .map_err(|source| SyncRunError::Fetch { pages_committed: report.pages, source })?;
        report.total_count = page.total_count.or(report.total_count);
        for record in page.records {
            writer.push(&page.uri, record)?;
        }
        writer.flush()?;
        report.pages += 1;
        progress(writer.progress(), report.total_count);
        token = page.next_page_token;
        match &token {
            Some(next) => writer.store().set_state(&key, next)?,
            None => {
                writer.store().delete_state(&key)?;
                break;
            }
        }
    }
    report.ingest = writer.finish()?;
    Ok(report)
}
