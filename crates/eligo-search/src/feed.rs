//! Indexing the records a writer hands over as it stores them (ingest), instead of reading them
//! back from the store afterwards.
//!
//! The feed knows the store sequence the index held when it started. When it finishes, the store
//! must have advanced by exactly the number of records fed (one sequence number per write), so
//! that every change in between is one of them; then the commit records the store's newest
//! sequence, as [`SearchIndex::catch_up`] would. Otherwise another writer wrote in between (or a
//! backend numbers its writes with gaps), and the feed replays the store's changes since it
//! started before committing: never a change skipped, at worst one indexed twice over (the later
//! copy replaces the earlier).
//!
//! Memory stays flat in the number of records fed. Only an updated trial's old document is
//! deleted (a new one cannot be in an index caught up with the store before the feed opened):
//! tantivy keeps every pending delete in memory until a commit applies it. And the feed commits
//! every [`FEED_COMMIT_EVERY`] documents, so that flushed segments are committed (and merged in the
//! background) during the ingest rather than all at its end. These intermediate commits record the
//! sequence the feed started from: after a crash in between, catching up replays (and replaces)
//! what they hold, so they never claim a change the index may lack.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::MutexGuard;
use std::thread::JoinHandle;

use eligo_model::Trial;
use eligo_store::{TrialStore, UpsertOutcome};
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::index::{add_trial, commit_at, SearchIndex};
use crate::schema::Fields;
use crate::{IndexUpdate, SearchError};

/// Records waiting for the document builder.
const QUEUE: usize = 256;
/// Documents between the feed's intermediate commits: each commit costs a few milliseconds and
/// some segment files; without them, uncommitted segments and pending deletes pile up.
pub const FEED_COMMIT_EVERY: u64 = 10_000;

type Builder = JoinHandle<(IndexWriter<TantivyDocument>, Option<TantivyError>)>;

/// An open index writer taking trials as they are stored; [`IndexFeed::finish`] commits.
/// Dropping it without finishing discards what was fed since its last intermediate commit (the
/// next catch-up indexes it from the store).
pub struct IndexFeed<'i> {
    index: &'i SearchIndex,
    _writing: MutexGuard<'i, ()>,
    from_seq: u64,
    fed: u64,
    sender: Option<SyncSender<(Trial, UpsertOutcome)>>,
    builder: Builder,
}

impl SearchIndex {
    /// Brings the index up to date with `store`, then opens a feed for the records about to be
    /// written. Documents are built on a thread of their own; tantivy's threads index them.
    pub fn feed(&self, store: &dyn TrialStore) -> Result<IndexFeed<'_>, SearchError> {
        let writing = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.catch_up_now(store)?;
        let writer = self.writer()?;
        let from_seq = self.indexed_seq();
        let (sender, receiver) = sync_channel(QUEUE);
        let fields = self.fields.clone();
        let builder = std::thread::spawn(move || build_documents(writer, &fields, from_seq, receiver));
        Ok(IndexFeed { index: self, _writing: writing, from_seq, fed: 0, sender: Some(sender), builder })
    }
}

impl IndexFeed<'_> {
    /// Takes one stored trial (its latest version) with what the store did with it: only an
    /// `Updated` trial has an old document to replace; an `Unchanged` one is not indexed again.
    pub fn add(&mut self, trial: Trial, outcome: UpsertOutcome) {
        if outcome == UpsertOutcome::Unchanged {
            return;
        }
        self.fed += 1;
        if let Some(sender) = &self.sender {
            // A closed channel means the builder stopped; `finish` reports why.
            let _ = sender.send((trial, outcome));
        }
    }

    /// Commits what was fed, replaying the store's changes first when they are not all the
    /// feed's own (see the module documentation).
    pub fn finish(mut self, store: &dyn TrialStore) -> Result<IndexUpdate, SearchError> {
        drop(self.sender.take());
        let (writer, failure) = self
            .builder
            .join()
            .map_err(|_| TantivyError::SystemError("the document builder thread panicked".into()))?;
        let to_seq = store.max_seq()?;
        let update = IndexUpdate { from_seq: self.from_seq, to_seq, indexed: self.fed, rebuilt: false };
        if failure.is_some() || to_seq.checked_sub(self.from_seq) == Some(self.fed) {
            return self.index.finish(writer, failure, update);
        }
        let from_seq = self.from_seq;
        let replay = IndexUpdate { to_seq: from_seq, ..update };
        self.index.index_walk(writer, replay, true, |visit| store.changed_since(from_seq, visit))
    }
}

/// The document builder: indexes each trial fed (replacing an updated one's old document) and
/// commits every [`FEED_COMMIT_EVERY`] documents at the feed's starting sequence. Stops at the first
/// failure, which it hands back with the writer.
fn build_documents(
    mut writer: IndexWriter<TantivyDocument>,
    fields: &Fields,
    from_seq: u64,
    receiver: Receiver<(Trial, UpsertOutcome)>,
) -> (IndexWriter<TantivyDocument>, Option<TantivyError>) {
    let mut failure = None;
    let mut uncommitted = 0;
    for (trial, outcome) in receiver {
        if outcome == UpsertOutcome::Updated {
            writer.delete_term(Term::from_field_text(fields.id, &trial.id));
        }
        add_trial(&writer, fields, &trial, &mut failure);
        uncommitted += 1;
        if uncommitted >= FEED_COMMIT_EVERY && failure.is_none() {
            uncommitted = 0;
            failure = commit_at(&mut writer, from_seq).err();
        }
        if failure.is_some() {
            break;
        }
    }
    (writer, failure)
}
