//! Following a store that other processes write: a background thread that keeps an index caught
//! up with the store's change sequence, for a server replica whose store is shared.
//!
//! The thread waits on [`TrialStore::wait_for_change`] from the sequence the index holds (the
//! backend decides how to wait: PostgreSQL wakes on the `NOTIFY` a batch sends with its commit,
//! SQLite looks every few hundred milliseconds) and then runs [`SearchIndex::catch_up`]. The wait
//! is bounded by [`WAIT`], so the index is also caught up when a wake-up is lost; since the store
//! commits sequence numbers in order, catching up from the index's sequence never skips a change.
//! After a failure (the database out of reach) it tries again every [`RETRY`] and reports each
//! round, so that its owner can say whether the store answers.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use eligo_store::SharedStore;

use crate::{IndexUpdate, SearchError, SearchIndex};

/// Longest one wait for a change lasts: the follower's polling fallback.
pub const WAIT: Duration = Duration::from_secs(1);

/// Pause after a failed round before the next.
pub const RETRY: Duration = Duration::from_millis(500);

/// What a round of the follower came to: the index caught up (perhaps with nothing to do), or the
/// error that stopped it.
pub type FollowRound<'a> = Result<IndexUpdate, &'a SearchError>;

/// The running follower; dropping it stops the thread (within [`WAIT`]).
pub struct Follower {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// Starts following `store` into `index` on a thread of its own; `report` hears every round.
pub fn follow(
    index: Arc<SearchIndex>,
    store: SharedStore,
    report: impl Fn(FollowRound<'_>) + Send + 'static,
) -> std::io::Result<Follower> {
    let stop = Arc::new(AtomicBool::new(false));
    let stopping = Arc::clone(&stop);
    let thread = std::thread::Builder::new().name("index-follower".into()).spawn(move || {
        while !stopping.load(Ordering::Relaxed) {
            let round = follow_once(&index, &store);
            let failed = round.is_err();
            report(round.as_ref().map(|update| *update));
            if failed {
                std::thread::sleep(RETRY);
            }
        }
    })?;
    Ok(Follower { stop, thread: Some(thread) })
}

/// Waits for a change past the index's sequence (at most [`WAIT`]) and indexes what there is.
fn follow_once(index: &SearchIndex, store: &SharedStore) -> Result<IndexUpdate, SearchError> {
    let held = index.indexed_seq();
    let store_seq = store.wait_for_change(held, WAIT)?;
    if store_seq == held {
        return Ok(IndexUpdate { from_seq: held, to_seq: held, ..IndexUpdate::default() });
    }
    index.catch_up(store.as_ref())
}

impl Drop for Follower {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::Trial;
    use std::sync::Mutex;
    use std::time::Instant;

    fn trial(id: &str, title: &str) -> Trial {
        Trial { id: id.into(), nct_id: Some(id.into()), brief_title: Some(title.into()), ..Trial::default() }
    }

    #[test]
    fn a_trial_another_process_writes_becomes_searchable_within_two_seconds() {
        let dir = tempfile::tempdir().unwrap();
        let location = dir.path().join("store");
        let location = location.to_str().unwrap();
        let ours = eligo_store::open_store(location).unwrap();
        let theirs = eligo_store::open_store(location).unwrap();
        let index = Arc::new(SearchIndex::open(&dir.path().join("index")).unwrap());
        let rounds = Arc::new(Mutex::new(0usize));
        let counted = Arc::clone(&rounds);
        let follower = follow(Arc::clone(&index), ours, move |round| {
            assert!(round.is_ok(), "{round:?}");
            *counted.lock().unwrap() += 1;
        })
        .unwrap();

        theirs.upsert_trials(&[trial("NCT00000001", "Belimumab in systemic sclerosis")]).unwrap();
        let written = Instant::now();
        let found = || index.search(&crate::SearchRequest::text("belimumab")).unwrap().total == 1;
        while !found() {
            assert!(written.elapsed() < Duration::from_secs(2), "not searchable 2 s after the write");
            std::thread::sleep(Duration::from_millis(20));
        }
        drop(follower);
        assert!(*rounds.lock().unwrap() >= 1, "every round is reported");
    }
}
