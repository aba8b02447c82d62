//! Prepared trials kept between matches.
//!
//! Preparing a trial (its registry limits, its structured criteria, the concept mentions of the
//! criteria the engine could not structure, its BM25 term counts) costs far more than screening a
//! patient against it, and a long-running process (`eligo serve`) sees the same candidates again
//! and again. The cache keeps them, keyed by trial id and checked against the store's content
//! hash on every use: a trial re-ingested with changed content has a new hash, so its stale
//! entry is never used (whoever wrote it, this process or another), and is replaced.
//!
//! The cache is bounded: past `capacity` entries the oldest insertions are dropped (first in,
//! first out), which keeps memory flat under a stream of distinct patients.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use eligo_model::Trial;
use rustc_hash::FxHashMap;

use crate::relevance::{trial_text, DocTerms};
use crate::screen::PreparedTrial;

/// A trial prepared for screening and relevance, with the content hash it was prepared from.
pub struct CachedTrial {
    pub hash: String,
    pub prepared: PreparedTrial<'static>,
    pub terms: DocTerms,
}

impl CachedTrial {
    /// Prepares `trial` (the costly part: criteria, concept mentions, term counts).
    pub fn prepare(trial: Trial, hash: String) -> Self {
        let terms = DocTerms::new(&trial_text(&trial));
        CachedTrial { hash, prepared: PreparedTrial::owned(trial), terms }
    }
}

#[derive(Default)]
struct Entries {
    by_id: FxHashMap<String, Arc<CachedTrial>>,
    /// Ids in insertion order, oldest first (each id once).
    order: VecDeque<String>,
}

/// A bounded, thread-safe map from trial id to its prepared form.
pub struct TrialCache {
    capacity: usize,
    entries: Mutex<Entries>,
}

impl TrialCache {
    /// A cache of at most `capacity` trials (at least one).
    pub fn new(capacity: usize) -> Self {
        TrialCache { capacity: capacity.max(1), entries: Mutex::new(Entries::default()) }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A poisoned lock means a panic between two map operations, each of which leaves the
        // map and the order valid on its own; the worst case is an id in `order` without entry.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The prepared trial `id`, if cached from exactly this content `hash`.
    pub fn get(&self, id: &str, hash: &str) -> Option<Arc<CachedTrial>> {
        self.entries().by_id.get(id).filter(|cached| cached.hash == hash).cloned()
    }

    /// Keeps `cached` (replacing an older version of the same trial), dropping the oldest
    /// entries beyond the capacity.
    pub fn insert(&self, cached: CachedTrial) -> Arc<CachedTrial> {
        let cached = Arc::new(cached);
        let id = cached.prepared.trial.id.clone();
        let mut entries = self.entries();
        if entries.by_id.insert(id.clone(), Arc::clone(&cached)).is_none() {
            entries.order.push_back(id);
        }
        while entries.by_id.len() > self.capacity {
            let Some(oldest) = entries.order.pop_front() else { break };
            entries.by_id.remove(&oldest);
        }
        cached
    }

    /// The prepared form of each of `ids` that has a content hash in `hashes`, in order: cached
    /// when the hash matches, else `read` from the store and prepared (on up to `threads`
    /// threads) and kept. An id without hash or without record is left out, as the store no
    /// longer has it.
    pub fn fetch<E: Send>(
        &self,
        ids: &[String],
        hashes: &std::collections::HashMap<String, String>,
        read: impl Fn(&str) -> Result<Option<Trial>, E> + Sync,
        threads: usize,
    ) -> Result<Vec<Arc<CachedTrial>>, E> {
        let mut slots: Vec<Option<Arc<CachedTrial>>> = Vec::with_capacity(ids.len());
        let mut missing: Vec<(usize, &str, &str)> = Vec::new();
        for id in ids {
            let Some(hash) = hashes.get(id) else { continue };
            let cached = self.get(id, hash);
            if cached.is_none() {
                missing.push((slots.len(), id, hash));
            }
            slots.push(cached);
        }
        let to_read: Vec<(&str, &str)> = missing.iter().map(|&(_, id, hash)| (id, hash)).collect();
        for ((slot, _, _), prepared) in missing.iter().zip(read_and_prepare(&to_read, &read, threads)?) {
            slots[*slot] = prepared.map(|prepared| self.insert(prepared));
        }
        Ok(slots.into_iter().flatten().collect())
    }

    /// How many trials are cached.
    pub fn len(&self) -> usize {
        self.entries().by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every trial (e.g. after a bulk ingest, to free memory early).
    pub fn clear(&self) {
        *self.entries() = Entries::default();
    }
}

/// Reads and prepares the trials `(id, hash)` on up to `threads` threads (a lone request on an
/// idle machine), keeping input order; `None` for an id the store no longer has. Decoding a stored
/// trial costs about as much as preparing it, so both run on the workers. Each trial is read and
/// prepared on its own, so the result is the same on any thread count; the first error in input
/// order is returned.
fn read_and_prepare<E: Send>(
    wanted: &[(&str, &str)],
    read: &(impl Fn(&str) -> Result<Option<Trial>, E> + Sync),
    threads: usize,
) -> Result<Vec<Option<CachedTrial>>, E> {
    let load = |chunk: &[(&str, &str)]| -> Result<Vec<Option<CachedTrial>>, E> {
        chunk
            .iter()
            .map(|&(id, hash)| Ok(read(id)?.map(|trial| CachedTrial::prepare(trial, hash.to_string()))))
            .collect()
    };
    let threads = threads.clamp(1, wanted.len().max(1));
    if threads == 1 || wanted.len() < 32 {
        return load(wanted);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> =
            wanted.chunks(wanted.len().div_ceil(threads)).map(|chunk| scope.spawn(move || load(chunk))).collect();
        let mut prepared = Vec::with_capacity(wanted.len());
        for worker in workers {
            // A worker only panics if reading or preparation does, which would be a bug to
            // surface, not hide.
            prepared.extend(worker.join().unwrap_or_else(|e| std::panic::resume_unwind(e))?);
        }
        Ok(prepared)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trial(id: &str, criteria: &str) -> Trial {
        let mut trial = Trial { id: id.into(), ..Trial::default() };
        trial.eligibility.criteria_text = Some(criteria.into());
        trial
    }

    #[test]
    fn a_changed_hash_misses_and_the_new_version_replaces_the_old() {
        let cache = TrialCache::new(10);
        cache.insert(CachedTrial::prepare(trial("NCT1", "Inclusion Criteria:\n- Adults"), "h1".into()));
        assert!(cache.get("NCT1", "h1").is_some());
        assert!(cache.get("NCT1", "h2").is_none(), "a stale version must not be used");
        cache.insert(CachedTrial::prepare(trial("NCT1", "Exclusion Criteria:\n- Pregnancy"), "h2".into()));
        assert!(cache.get("NCT1", "h1").is_none());
        assert_eq!(cache.get("NCT1", "h2").map(|c| c.hash.clone()), Some("h2".into()));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn the_oldest_entries_go_first_past_the_capacity() {
        let cache = TrialCache::new(2);
        for id in ["NCT1", "NCT2", "NCT3"] {
            cache.insert(CachedTrial::prepare(trial(id, "- Adults"), "h".into()));
        }
        assert_eq!(cache.len(), 2);
        assert!(cache.get("NCT1", "h").is_none());
        assert!(cache.get("NCT2", "h").is_some() && cache.get("NCT3", "h").is_some());
    }

    #[test]
    fn fetch_reads_only_what_is_missing_or_changed() {
        let cache = TrialCache::new(10);
        let ids: Vec<String> = ["NCT1", "NCT2", "NCT3"].map(String::from).to_vec();
        let hashes =
            |h2: &str| [("NCT1", "a"), ("NCT2", h2)].into_iter().map(|(i, h)| (i.to_string(), h.to_string())).collect();
        let reads = Mutex::new(Vec::new());
        let read = |id: &str| -> Result<Option<Trial>, ()> {
            reads.lock().unwrap().push(id.to_string());
            Ok(Some(trial(id, "- Adults")))
        };
        let first = cache.fetch(&ids, &hashes("b"), read, 1).unwrap();
        // NCT3 has no hash: the store does not have it.
        assert_eq!(first.iter().map(|c| c.prepared.trial.id.as_str()).collect::<Vec<_>>(), ["NCT1", "NCT2"]);
        let again = cache.fetch(&ids, &hashes("b2"), read, 1).unwrap();
        assert_eq!(again.len(), 2);
        assert_eq!(*reads.lock().unwrap(), ["NCT1", "NCT2", "NCT2"], "only the changed trial is read again");
        assert_eq!(again[1].hash, "b2");
    }

    #[test]
    fn reading_and_preparing_on_several_threads_keeps_the_order() {
        let ids: Vec<String> = (0..70).map(|i| format!("NCT{i}")).collect();
        let wanted: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "h")).collect();
        // NCT13 is gone from the store: its slot stays empty, the others keep their places.
        let read = |id: &str| -> Result<Option<Trial>, ()> { Ok((id != "NCT13").then(|| trial(id, "- Adults"))) };
        let prepared = read_and_prepare(&wanted, &read, 3).unwrap();
        let got: Vec<Option<&str>> =
            prepared.iter().map(|c| c.as_ref().map(|c| c.prepared.trial.id.as_str())).collect();
        let expected: Vec<Option<&str>> = ids.iter().map(|id| (id != "NCT13").then_some(id.as_str())).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_read_error_on_any_worker_is_the_answer() {
        let ids: Vec<String> = (0..70).map(|i| format!("NCT{i}")).collect();
        let wanted: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "h")).collect();
        let read = |id: &str| -> Result<Option<Trial>, String> {
            if id == "NCT60" {
                return Err(format!("{id} unreadable"));
            }
            Ok(Some(trial(id, "- Adults")))
        };
        assert_eq!(read_and_prepare(&wanted, &read, 2).err(), Some("NCT60 unreadable".to_string()));
    }
}
