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

use std::sync::mpsc::{sync_channel, SyncSender};
use std::sync::MutexGuard;
use std::thread::JoinHandle;

use eligo_model::Trial;
use eligo_store::TrialStore;
use tantivy::{IndexWriter, TantivyDocument, TantivyError, Term};

use crate::index::{add_trial, SearchIndex};
use crate::{IndexUpdate, SearchError};

/// Records waiting for the document builder.
const QUEUE: usize = 256;

type Builder = JoinHandle<(IndexWriter<TantivyDocument>, Option<TantivyError>)>;

/// An open index writer taking trials as they are stored; [`IndexFeed::finish`] commits.
/// Dropping it without finishing discards what was fed (the next catch-up indexes it from the
/// store).
pub struct IndexFeed<'i> {
    index: &'i SearchIndex,
    _writing: MutexGuard<'i, ()>,
    from_seq: u64,
    fed: u64,
    sender: Option<SyncSender<Trial>>,
    builder: Builder,
}

impl SearchIndex {
    /// Brings the index up to date with `store`, then opens a feed for the records about to be
    /// written. Documents are built on a thread of their own; tantivy's threads index them.
    pub fn feed(&self, store: &dyn TrialStore) -> Result<IndexFeed<'_>, SearchError> {
        let writing = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.catch_up_now(store)?;
        let writer = self.writer()?;
        let (sender, receiver) = sync_channel::<Trial>(QUEUE);
        let fields = self.fields.clone();
        let builder = std::thread::spawn(move || {
            let mut failure = None;
            for trial in receiver {
                // A trial written twice in one run keeps its last version only.
                writer.delete_term(Term::from_field_text(fields.id, &trial.id));
                add_trial(&writer, &fields, &trial, &mut failure);
            }
            (writer, failure)
        });
        Ok(IndexFeed {
            index: self,
            _writing: writing,
            from_seq: self.indexed_seq(),
            fed: 0,
            sender: Some(sender),
            builder,
        })
    }
}

impl IndexFeed<'_> {
    /// Takes one stored trial (its latest version).
    pub fn add(&mut self, trial: Trial) {
        self.fed += 1;
        if let Some(sender) = &self.sender {
            // A closed channel means the builder stopped; `finish` reports why.
            let _ = sender.send(trial);
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
