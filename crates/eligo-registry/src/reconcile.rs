//! The writer's side of pages and publications: folding each page into the
//! stored trial it describes, merging registry records into trials that
//! pages contributed to, storing publications, and relinking evidence.
//!
//! Lookups must see every record written before, so the writer flushes its
//! pending batch before each one. Pages are few, so this costs registry
//! ingest nothing until a store holds page-sourced trials; then only
//! records of those trials take the slower path.

use std::collections::HashSet;

use eligo_model::{Publication, SourceKind, Trial};
use eligo_store::{StoreError, UpsertOutcome};
use serde::Serialize;

use crate::ingest::{BatchWriter, IngestError, IngestReport, MAX_MESSAGES};
use crate::merge::{match_score, merge, MATCH_THRESHOLD};
use crate::pages::PublicationResult;

/// What happened to the publications of an ingest.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PublicationCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl PublicationCounts {
    fn count(&mut self, outcome: UpsertOutcome) {
        match outcome {
            UpsertOutcome::New => self.new += 1,
            UpsertOutcome::Updated => self.updated += 1,
            UpsertOutcome::Unchanged => self.unchanged += 1,
        }
    }

    fn changed(&self) -> u64 {
        self.new + self.updated
    }
}

impl IngestReport {
    fn note_unlinked(&mut self, message: String) {
        if self.unlinked_listings.len() < MAX_MESSAGES {
            self.unlinked_listings.push(message);
        }
    }
}

/// What the writer remembers about pages and publications during one run.
#[derive(Debug, Default)]
pub struct PageState {
    /// IDs of stored trials with a page among their sources (loaded lazily).
    page_ids: Option<HashSet<String>>,
    /// Publications waiting for the next flush.
    pending: Vec<Publication>,
}

fn is_page(trial: &Trial) -> bool {
    trial.sources.iter().any(|s| s.kind == SourceKind::Page) && !trial.sources.iter().any(|s| s.kind.is_registry())
}

impl BatchWriter<'_> {
    /// The record to write for `trial`: itself, or merged with the stored
    /// trial it is another description of.
    pub(crate) fn reconcile(&mut self, uri: &str, trial: Trial) -> Result<Trial, IngestError> {
        if is_page(&trial) {
            return self.fold_page(uri, trial);
        }
        if !self.page_ids()?.contains(&trial.id) {
            return Ok(trial);
        }
        self.flush()?;
        Ok(match self.store.get_trial(&trial.id)? {
            Some(existing) => merge(existing, trial),
            None => trial,
        })
    }

    fn page_ids(&mut self) -> Result<&mut HashSet<String>, StoreError> {
        if self.pages.page_ids.is_none() {
            let ids = self.store.ids_with_source_kind(SourceKind::Page)?;
            self.pages.page_ids = Some(ids.into_iter().collect());
        }
        Ok(self.pages.page_ids.get_or_insert_with(HashSet::new))
    }

    fn fold_page(&mut self, uri: &str, page: Trial) -> Result<Trial, IngestError> {
        self.flush()?;
        let merged = match self.same_trial(uri, &page)? {
            Some(existing) => {
                let page_uri = page.sources.first().and_then(|s| s.uri.as_ref());
                if existing.sources.iter().any(|s| s.uri.as_ref() != page_uri) {
                    self.report.merged_pages += 1;
                }
                merge(existing, page)
            }
            None => page,
        };
        self.page_ids()?.insert(merged.id.clone());
        Ok(merged)
    }

    /// The stored trial a page describes: by its own ID (NCT ID, or the
    /// listing ID of an earlier reading), by a secondary ID, or, for pages
    /// with no registry ID, by a fuzzy match above the threshold.
    fn same_trial(&mut self, uri: &str, page: &Trial) -> Result<Option<Trial>, StoreError> {
        if let Some(found) = self.store.get_trial(&page.id)? {
            return Ok(Some(found));
        }
        for secondary in &page.secondary_ids {
            if let Some(found) = self.store.get_trial(&secondary.id)? {
                return Ok(Some(found));
            }
        }
        if page.nct_id.is_some() {
            return Ok(None);
        }
        let mut best: Option<(f64, Trial)> = None;
        self.store.for_each_trial(&mut |stored| {
            let score = match_score(page, &stored.trial).unwrap_or(0.0);
            if best.as_ref().is_none_or(|(top, _)| score > *top) {
                best = Some((score, stored.trial));
            }
            Ok(())
        })?;
        match best {
            Some((score, trial)) if score >= MATCH_THRESHOLD => Ok(Some(trial)),
            best => {
                let closest = best
                    .map(|(score, trial)| format!("closest: {} at {score:.2}", trial.id))
                    .unwrap_or_else(|| "the store is empty".into());
                self.report.note_unlinked(format!(
                    "{uri}: page has no registry ID and matches no stored trial ({closest}, threshold \
                     {MATCH_THRESHOLD:.2}); kept as separate listing {}",
                    page.id
                ));
                Ok(None)
            }
        }
    }

    /// Takes one publication (or its error).
    pub fn push_publication(&mut self, publication: PublicationResult) -> Result<bool, StoreError> {
        match publication {
            Ok(publication) => {
                self.pages.pending.push(publication);
                if self.pages.pending.len() >= self.batch_size {
                    self.flush_publications()?;
                }
                Ok(true)
            }
            Err(error) => {
                self.report.record_failure(&error);
                Ok(false)
            }
        }
    }

    pub(crate) fn flush_publications(&mut self) -> Result<(), StoreError> {
        if self.pages.pending.is_empty() {
            return Ok(());
        }
        let outcomes = self.store.upsert_publications(&self.pages.pending)?;
        self.pages.pending.clear();
        for outcome in outcomes {
            self.report.publications.count(outcome);
        }
        Ok(())
    }

    /// Recomputes trial–publication links when anything changed.
    pub(crate) fn relink_if_changed(&mut self) -> Result<(), StoreError> {
        let changed = self.report.new + self.report.updated + self.report.publications.changed();
        if changed > 0 {
            self.report.publication_links = Some(crate::link::relink(self.store)? as u64);
        }
        Ok(())
    }
}
