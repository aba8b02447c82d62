//! The on-disk index, kept in step with the store.
//!
//! Each commit carries a payload `{"schema": V, "seq": N}`: the schema version and the last store
//! change sequence it contains. Because the payload is written atomically with the documents, the
//! index always knows exactly how far it got; after a crash between a store write and the index
//! write, [`SearchIndex::catch_up`] replays [`TrialStore::changed_since`] from there (the store is
//! the source of truth). An index of another schema version, or one that claims to be ahead of the
//! store (a store restored from a backup), is rebuilt from scratch.

use std::path::{Path, PathBuf};

use eligo_model::Trial;
use eligo_store::{StoredTrial, TrialStore};
use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, TopDocs};
use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, Scorer};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, Searcher, SegmentReader};
use tantivy::{DocSet, TantivyDocument, Term};

use crate::gazetteer::Gazetteer;
use crate::plan::{filters, Planner};
use crate::request::{Hit, NearestSite, SearchRequest, SearchResults, Snippet, SortOrder, ValidRequest};
use crate::schema::{
    build_schema, register_analyzers, trial_document, unpack_point, Fields, FACETS, ID_ANALYZER, ID_FIELD,
    LAST_UPDATE_FIELD, OPEN_FIELD, SCHEMA_VERSION, SITE_FIELD, TEXT_ANALYZER,
};
use crate::SearchError;

/// Memory the indexer may use before flushing a segment, split between tantivy's indexing threads.
/// It bounds the memory of an ingest, which feeds the index as it writes: an ingest's peak memory
/// grows with its input until this much is buffered, so it is kept well below the rest of the
/// pipeline's share (fewer, larger segments save little: the merges run in the background).
const WRITER_MEMORY: usize = 50_000_000;
/// Hits rescored with the proximity boosters: the top of the ranking, in multiples of this many
/// (so that consecutive pages are cut from the same window).
const RESCORE_WINDOW: usize = 100;
/// Characters of summary shown per snippet.
const SNIPPET_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct CommitPayload {
    schema: u32,
    seq: u64,
}

/// What a catch-up or rebuild did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct IndexUpdate {
    /// Trials (re)indexed.
    pub indexed: u64,
    /// Store sequence the index held before, and holds now.
    pub from_seq: u64,
    pub to_seq: u64,
    /// True when the whole index was rebuilt.
    pub rebuilt: bool,
}

/// A search index over the trials of one store.
pub struct SearchIndex {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    pub(crate) fields: Fields,
    pub(crate) dir: PathBuf,
    /// Held while this process writes the index: tantivy allows one writer per index, so two
    /// threads catching up at once (two API ingests) take turns instead of one failing `Busy`.
    pub(crate) writing: std::sync::Mutex<()>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("dir", &self.dir).finish()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (empty) when absent or of another schema version.
    /// Call [`SearchIndex::catch_up`] before searching to bring it up to date with the store.
    pub fn open(dir: &Path) -> Result<SearchIndex, SearchError> {
        let io = |e: std::io::Error| SearchError::Io { path: dir.to_path_buf(), source: e };
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = build_schema();
        let existing = dir.join("meta.json").exists().then(|| Index::open_in_dir(dir)).transpose();
        let index = match existing {
            Ok(Some(index)) if payload_of(&index).is_some_and(|p| p.schema == SCHEMA_VERSION) => index,
            // Another version, or unreadable: the store can always rebuild it.
            Ok(Some(_)) | Err(_) => {
                tracing::warn!("search index in {} is outdated or damaged; rebuilding it", dir.display());
                std::fs::remove_dir_all(dir).map_err(io)?;
                std::fs::create_dir_all(dir).map_err(io)?;
                Index::create_in_dir(dir, schema)?
            }
            Ok(None) => Index::create_in_dir(dir, schema)?,
        };
        register_analyzers(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        Ok(SearchIndex { index, reader, fields, dir: dir.to_path_buf(), writing: Default::default() })
    }

    /// The store sequence number the index contains (0 when empty or never committed).
    pub fn indexed_seq(&self) -> u64 {
        payload_of(&self.index).map_or(0, |p| p.seq)
    }

    /// Number of trials in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Indexes every trial the store wrote since the index's last commit. Cheap when there is
    /// nothing to do (one `max_seq` query). Rebuilds when the index is empty or claims to be ahead
    /// of the store.
    pub fn catch_up(&self, store: &dyn TrialStore) -> Result<IndexUpdate, SearchError> {
        let _writing = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.catch_up_now(store)
    }

    /// [`SearchIndex::catch_up`], for a caller that holds `writing`.
    pub(crate) fn catch_up_now(&self, store: &dyn TrialStore) -> Result<IndexUpdate, SearchError> {
        let from_seq = self.indexed_seq();
        let store_seq = store.max_seq()?;
        if from_seq == store_seq {
            return Ok(IndexUpdate { from_seq, to_seq: from_seq, ..IndexUpdate::default() });
        }
        if from_seq == 0 || from_seq > store_seq {
            return self.rebuild_now(store);
        }
        let update = IndexUpdate { from_seq, to_seq: from_seq, ..IndexUpdate::default() };
        self.index_walk(self.writer()?, update, true, |visit| store.changed_since(from_seq, visit))
    }

    /// Recreates the index from every trial in the store. The previous index stays searchable
    /// until the new one is committed.
    pub fn rebuild(&self, store: &dyn TrialStore) -> Result<IndexUpdate, SearchError> {
        let _writing = self.writing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.rebuild_now(store)
    }

    /// [`SearchIndex::rebuild`], for a caller that holds `writing`.
    fn rebuild_now(&self, store: &dyn TrialStore) -> Result<IndexUpdate, SearchError> {
        let from_seq = self.indexed_seq();
        let writer = self.writer()?;
        writer.delete_all_documents()?;
        let update = IndexUpdate { from_seq, to_seq: 0, rebuilt: true, indexed: 0 };
        self.index_walk(writer, update, false, |visit| store.for_each_trial(visit))
    }

    /// Indexes every trial `walk` visits (replacing earlier versions when `replace`), then commits.
    pub(crate) fn index_walk(
        &self,
        mut writer: IndexWriter<TantivyDocument>,
        mut update: IndexUpdate,
        replace: bool,
        walk: impl FnOnce(&mut dyn FnMut(StoredTrial) -> eligo_store::Result<()>) -> eligo_store::Result<()>,
    ) -> Result<IndexUpdate, SearchError> {
        // The store walk (reading and deserializing records) and document building run on two
        // threads, so that neither waits for the other; tantivy's own threads do the indexing.
        let (walked, failure) = std::thread::scope(|scope| {
            let (sender, receiver) = std::sync::mpsc::sync_channel::<Trial>(256);
            let writer = &writer;
            let builder = scope.spawn(move || {
                let mut failure = None;
                for trial in receiver {
                    if replace {
                        writer.delete_term(Term::from_field_text(self.fields.id, &trial.id));
                    }
                    add_trial(writer, &self.fields, &trial, &mut failure);
                }
                failure
            });
            let walked = walk(&mut |stored: StoredTrial| {
                update.indexed += 1;
                update.to_seq = update.to_seq.max(stored.seq);
                // A closed channel means the builder stopped; its error is reported below.
                let _ = sender.send(stored.trial);
                Ok(())
            });
            drop(sender);
            let failure = builder.join().unwrap_or_else(|_| {
                Some(tantivy::TantivyError::SystemError("the document builder thread panicked".into()))
            });
            (walked, failure)
        });
        if let Err(e) = walked {
            writer.rollback()?;
            return Err(e.into());
        }
        self.finish(writer, failure, update)
    }

    pub(crate) fn writer(&self) -> Result<IndexWriter<TantivyDocument>, SearchError> {
        self.index.writer(WRITER_MEMORY).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Busy(self.dir.clone()),
            other => SearchError::Index(other),
        })
    }

    /// Commits with the new sequence in the payload, or rolls everything back on failure.
    pub(crate) fn finish(
        &self,
        mut writer: IndexWriter<TantivyDocument>,
        failure: Option<tantivy::TantivyError>,
        update: IndexUpdate,
    ) -> Result<IndexUpdate, SearchError> {
        if let Some(e) = failure {
            writer.rollback()?;
            return Err(e.into());
        }
        commit_at(&mut writer, update.to_seq)?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(update)
    }

    /// A number that changes whenever the searchable contents may have changed (the reader
    /// reloaded after a commit, by this process or another). Results computed before a change
    /// must not be served after it: callers that cache results key them by this number, read
    /// *before* searching.
    pub fn generation(&self) -> u64 {
        self.reader.searcher().generation().generation_id()
    }

    /// Runs one search.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let plan = self.plan(request, &searcher)?;
        let valid = &plan.valid;
        let rescore = valid.sort == SortOrder::Relevance && !plan.boosters.is_empty();
        let wanted = valid.offset + valid.limit;
        let window = if rescore { wanted.div_ceil(RESCORE_WINDOW) * RESCORE_WINDOW } else { wanted };
        let top = || TopDocs::with_limit(window).tweak_score(sort_key(valid));
        let (mut top, total, facets) = if request.skip_facets {
            let (top, total) = searcher.search(&plan.query, &(top(), Count))?;
            (top, total, std::collections::BTreeMap::new())
        } else {
            let (top, total, counts) = searcher.search(&plan.query, &(top(), Count, facet_collector()))?;
            (top, total, facet_map(&counts))
        };
        if rescore {
            add_booster_scores(&searcher, plan.boosters, &mut top)?;
        }
        let snippets = SnippetSet::new(&searcher, &*plan.text_query, &self.fields)?;
        let hits = top
            .into_iter()
            .skip(valid.offset)
            .take(valid.limit)
            .map(|(key, address)| self.hit(&searcher, address, key, valid, &snippets))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResults { total, offset: valid.offset, hits, facets, expansions: plan.expansions })
    }

    /// The ids of the best `offset + limit` trials for `request`, best first, and nothing else:
    /// no total, facets, snippets, display fields or proximity boost. This is what a caller that
    /// ranks the hits again needs (the matcher's candidate retrieval): the ids come from a fast
    /// field, so no stored document is read or decompressed.
    pub fn candidate_ids(&self, request: &SearchRequest) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let plan = self.plan(request, &searcher)?;
        let wanted = plan.valid.offset + plan.valid.limit;
        let top = searcher.search(&plan.query, &TopDocs::with_limit(wanted).tweak_score(sort_key(&plan.valid)))?;
        let addresses: Vec<DocAddress> = top.into_iter().skip(plan.valid.offset).map(|(_, address)| address).collect();
        self.ids_of(&searcher, &addresses)
    }

    /// The trial ids of `addresses`, in order, from the id fast field. Term ordinals are gathered
    /// per segment and each segment's dictionary is walked once in ordinal order: looking ids up
    /// one by one would open (and decompress) a dictionary block for each.
    pub(crate) fn ids_of(&self, searcher: &Searcher, addresses: &[DocAddress]) -> Result<Vec<String>, SearchError> {
        let mut wanted_ords: std::collections::BTreeMap<u32, Vec<(u64, usize)>> = Default::default();
        let mut columns: std::collections::HashMap<u32, tantivy::columnar::StrColumn> = Default::default();
        for (slot, address) in addresses.iter().enumerate() {
            let segment = address.segment_ord;
            if let std::collections::hash_map::Entry::Vacant(entry) = columns.entry(segment) {
                let Some(column) = searcher.segment_reader(segment).fast_fields().str(ID_FIELD)? else { continue };
                entry.insert(column);
            }
            if let Some(ord) = columns[&segment].term_ords(address.doc_id).next() {
                wanted_ords.entry(segment).or_default().push((ord, slot));
            }
        }
        let mut ids: Vec<Option<String>> = vec![None; addresses.len()];
        for (segment, mut pairs) in wanted_ords {
            pairs.sort_unstable();
            let ords: Vec<u64> = pairs.iter().map(|(ord, _)| *ord).collect();
            let mut next = pairs.iter().map(|(_, slot)| *slot);
            columns[&segment]
                .dictionary()
                .sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(slot) = next.next() {
                        ids[slot] = Some(String::from_utf8_lossy(bytes).into_owned());
                    }
                })
                .map_err(|e| SearchError::Io { path: self.dir.clone(), source: e })?;
        }
        Ok(ids.into_iter().flatten().collect())
    }

    /// The validated request and the tantivy query for it: text (with the vocabulary's
    /// expansions) and every filter.
    pub(crate) fn plan(&self, request: &SearchRequest, searcher: &Searcher) -> Result<SearchPlan, SearchError> {
        let gazetteer = Gazetteer::embedded();
        let valid = request.validate(|c| gazetteer.country_code(c).map(str::to_string))?;
        let node = crate::query::parse(&request.query)?;
        let mut planner = Planner {
            fields: &self.fields,
            searcher,
            text: self.analyzer(TEXT_ANALYZER)?,
            id: self.analyzer(ID_ANALYZER)?,
            expansions: Vec::new(),
            boosters: Vec::new(),
            negations: 0,
        };
        let text_query = planner.text_query(&node);
        planner.explain(&node);
        let topic = crate::plan::with_concepts(&self.fields, text_query.box_clone(), &request.query, &request.concepts);
        let mut clauses = vec![(Occur::Must, topic)];
        clauses.extend(filters(&self.fields, &valid).into_iter().map(|q| (Occur::Must, q)));
        Ok(SearchPlan {
            query: BooleanQuery::new(clauses),
            text_query,
            boosters: planner.boosters,
            expansions: planner.expansions,
            valid,
        })
    }

    fn analyzer(&self, name: &str) -> Result<tantivy::tokenizer::TextAnalyzer, SearchError> {
        self.index.tokenizers().get(name).ok_or_else(|| SearchError::Analyzer(name.to_string()))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        key: SortKey,
        request: &ValidRequest,
        snippets: &SnippetSet,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let stored = doc.get_first(self.fields.display).and_then(|v| v.as_str()).unwrap_or_default();
        let mut hit: Hit = serde_json::from_str(stored).unwrap_or_default();
        hit.score = key.score;
        hit.snippets = snippets.for_doc(&doc);
        hit.nearest_site = request.near.and_then(|centre| nearest_site(&doc, &self.fields, centre));
        Ok(hit)
    }
}

fn facet_collector() -> FacetCollector {
    let mut facets = FacetCollector::for_field("facet");
    for dimension in FACETS {
        facets.add_facet(format!("/{dimension}").as_str());
    }
    facets
}

/// Dimension → value → count, for every dimension (empty maps included).
fn facet_map(
    counts: &tantivy::collector::FacetCounts,
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, u64>> {
    FACETS
        .iter()
        .map(|dimension| {
            let values = counts
                .get(format!("/{dimension}").as_str())
                .filter_map(|(facet, count)| facet.to_path().last().map(|v| (v.to_string(), count)))
                .collect();
            (dimension.to_string(), values)
        })
        .collect()
}

/// Commits what `writer` holds, recording that the index contains the store's changes up to `seq`.
pub(crate) fn commit_at(writer: &mut IndexWriter<TantivyDocument>, seq: u64) -> tantivy::Result<()> {
    let payload = CommitPayload { schema: SCHEMA_VERSION, seq };
    let mut commit = writer.prepare_commit()?;
    commit.set_payload(&serde_json::to_string(&payload).unwrap_or_default());
    commit.commit()?;
    Ok(())
}

/// Adds one trial's document unless an earlier one failed (the first failure is kept).
pub(crate) fn add_trial(
    writer: &IndexWriter<TantivyDocument>,
    fields: &Fields,
    trial: &Trial,
    failure: &mut Option<tantivy::TantivyError>,
) {
    if failure.is_none() {
        let doc = trial_document(trial, fields, Gazetteer::embedded());
        if let Err(e) = writer.add_document(doc) {
            *failure = Some(e);
        }
    }
}

fn payload_of(index: &Index) -> Option<CommitPayload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

/// The sort key of a hit: the order key, then the relevance score, then the doc id (lower first)
/// so that equal keys always come in the same order and pages never overlap or skip.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
struct SortKey {
    order: f64,
    score: Score,
    tie: u32,
    /// What the text score was multiplied by (the boost of open trials), to rescore with.
    factor: Score,
}

/// Adds the boosters' scores (words side by side) to the hits of a relevance-sorted window and
/// sorts it again. Each booster is a phrase query, whose positions are dear to read; evaluated
/// for a few hundred hits instead of every matching trial, it costs a fraction. A trial outside
/// the window cannot be lifted into it, which is the usual price of rescoring: the window is
/// many pages deep, and trials with the words side by side also score well on the words alone.
fn add_booster_scores(
    searcher: &Searcher,
    boosters: Vec<Box<dyn Query>>,
    top: &mut [(SortKey, DocAddress)],
) -> Result<(), SearchError> {
    let query = BooleanQuery::new(boosters.into_iter().map(|q| (Occur::Should, q)).collect());
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    // Scorers only move forward: visit the hits segment by segment, in doc order.
    let mut order: Vec<usize> = (0..top.len()).collect();
    order.sort_unstable_by_key(|&i| (top[i].1.segment_ord, top[i].1.doc_id));
    let mut current: Option<(u32, Box<dyn Scorer>)> = None;
    for i in order {
        let (key, address) = &mut top[i];
        if current.as_ref().is_none_or(|(segment, _)| *segment != address.segment_ord) {
            current = Some((address.segment_ord, weight.scorer(searcher.segment_reader(address.segment_ord), 1.0)?));
        }
        let Some((_, scorer)) = current.as_mut() else { continue };
        // A fresh scorer may already stand past the hit (`seek` must not go back).
        let at = if scorer.doc() < address.doc_id { scorer.seek(address.doc_id) } else { scorer.doc() };
        if at == address.doc_id {
            key.score += scorer.score() * key.factor;
            key.order = f64::from(key.score);
        }
    }
    top.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
    Ok(())
}

fn sort_key(request: &ValidRequest) -> impl Fn(&SegmentReader) -> Box<dyn Fn(DocId, Score) -> SortKey> + Send + Sync {
    let sort = request.sort;
    let boost = request.recruiting_boost;
    let near = request.near;
    move |segment: &SegmentReader| {
        let fast = segment.fast_fields();
        let open = fast.column_opt::<u64>(OPEN_FIELD).ok().flatten();
        let updated = fast.column_opt::<u64>(LAST_UPDATE_FIELD).ok().flatten();
        let sites = fast.column_opt::<u64>(SITE_FIELD).ok().flatten();
        Box::new(move |doc: DocId, score: Score| {
            let is_open = open.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) == 1;
            let factor = if is_open { 1.0 + boost } else { 1.0 };
            let score = score * factor;
            let order = match (sort, near) {
                (SortOrder::Relevance, _) => f64::from(score),
                (SortOrder::Updated, _) => updated.as_ref().and_then(|c| c.first(doc)).unwrap_or(0) as f64,
                (SortOrder::Distance, Some(centre)) => -sites.as_ref().map_or(f64::INFINITY, |c| {
                    c.values_for_doc(doc).map(|s| centre.distance_km(&unpack_point(s))).fold(f64::INFINITY, f64::min)
                }),
                (SortOrder::Distance, None) => 0.0,
            };
            SortKey { order, score, tie: u32::MAX - doc, factor }
        })
    }
}

fn nearest_site(doc: &TantivyDocument, fields: &Fields, centre: eligo_model::GeoPoint) -> Option<NearestSite> {
    doc.get_all(fields.site_label)
        .filter_map(|v| v.as_str())
        .filter_map(|label| {
            let mut parts = label.splitn(3, '|');
            let lat = parts.next()?.parse().ok()?;
            let lon = parts.next()?.parse().ok()?;
            let distance_km = centre.distance_km(&eligo_model::GeoPoint { lat, lon });
            Some(NearestSite { label: parts.next().unwrap_or_default().to_string(), distance_km })
        })
        .min_by(|a, b| a.distance_km.total_cmp(&b.distance_km))
}

/// A request made ready to run: see [`SearchIndex::plan`].
pub(crate) struct SearchPlan {
    valid: ValidRequest,
    /// Text and filters: what decides which trials match.
    pub(crate) query: BooleanQuery,
    /// The text alone, for snippets.
    text_query: Box<dyn Query>,
    /// Proximity boosts, for rescoring the top hits.
    boosters: Vec<Box<dyn Query>>,
    expansions: Vec<crate::request::Expansion>,
}

/// Snippet generators for the fields a hit shows passages of.
struct SnippetSet {
    generators: Vec<(&'static str, SnippetGenerator)>,
}

impl SnippetSet {
    fn new(searcher: &Searcher, query: &dyn Query, fields: &Fields) -> Result<SnippetSet, SearchError> {
        let mut generators = Vec::new();
        for (name, field) in [("title", fields.title), ("conditions", fields.conditions), ("summary", fields.summary)] {
            let mut generator = SnippetGenerator::create(searcher, query, field)?;
            generator.set_max_num_chars(SNIPPET_CHARS);
            generators.push((name, generator));
        }
        Ok(SnippetSet { generators })
    }

    fn for_doc(&self, doc: &TantivyDocument) -> Vec<Snippet> {
        self.generators
            .iter()
            .filter_map(|(name, generator)| {
                let snippet = generator.snippet_from_doc(doc);
                let highlights: Vec<(usize, usize)> = snippet.highlighted().iter().map(|r| (r.start, r.end)).collect();
                (!highlights.is_empty()).then(|| Snippet {
                    field: (*name).to_string(),
                    text: snippet.fragment().to_string(),
                    highlights,
                })
            })
            .collect()
    }
}
