//! What a percolator (alerts: many stored queries, few new documents) needs from the search
//! engine, so that it selects candidate queries by the same words and synonyms a search uses and
//! confirms them with the same query.
//!
//! * [`anchor_terms`]: index terms of which every trial a request matches contains at least one
//!   (`None` when no such set can be told: no text, `NOT`, an `OR` with an open branch).
//! * [`trial_terms`]: every index term of a trial's text fields and identifiers.
//! * [`SearchIndex::in_ram`] and [`SearchIndex::matching_ids`]: a throw-away index of a batch of
//!   trials and every trial of it a request matches, with the real query plan.
//!
//! Typo tolerance is the one part of a search that anchors cannot cover (a misspelt word matches
//! terms nobody can list in advance): a percolator anchored on the words as typed does not
//! select a trial that only a typo-tolerant match would find.

use std::collections::HashSet;

use eligo_model::Trial;
use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Index, ReloadPolicy};

use crate::gazetteer::Gazetteer;
use crate::plan::{analyze, segment, Unit};
use crate::query::Node;
use crate::schema::{build_schema, register_analyzers, text_analyzer, trial_document};
use crate::{SearchError, SearchIndex, SearchRequest};

/// Memory the in-RAM indexer may use (a batch of changed trials, not a registry).
const BATCH_WRITER_MEMORY: usize = 50_000_000;

/// Index terms one of which every trial matching `request`'s text must contain, or `None` when
/// the text cannot be anchored (then every trial is a candidate as far as the text goes).
/// `request.concepts` are alternatives to the text, so a request with concepts has no anchors.
pub fn anchor_terms(request: &SearchRequest) -> Result<Option<Vec<String>>, SearchError> {
    if !request.concepts.is_empty() {
        return Ok(None);
    }
    let node = crate::query::parse(&request.query)?;
    let mut anchors = Anchors { text: text_analyzer() };
    Ok(anchors.node(&node).map(|set| {
        let mut terms: Vec<String> = set.into_iter().collect();
        terms.sort_unstable();
        terms
    }))
}

/// Every term of a trial's text fields, as the index analyzes them, and each of its identifiers
/// lower-cased (what an identifier search matches).
pub fn trial_terms(trial: &Trial) -> HashSet<String> {
    let (_, fields) = build_schema();
    let doc = trial_document(trial, &fields, Gazetteer::embedded());
    let text_fields = [
        fields.title,
        fields.conditions,
        fields.interventions,
        fields.summary,
        fields.description,
        fields.inclusion,
        fields.exclusion,
        fields.sponsor,
    ];
    let mut analyzer = text_analyzer();
    let mut terms = HashSet::new();
    for (field, value) in doc.field_values() {
        if let (true, Some(text)) = (text_fields.contains(&field), value.as_str()) {
            terms.extend(analyze(&mut analyzer, text).into_iter().map(|(_, t)| t));
        }
    }
    terms.extend(trial.all_ids().map(|id| id.trim().to_lowercase()));
    terms
}

struct Anchors {
    text: TextAnalyzer,
}

impl Anchors {
    fn node(&mut self, node: &Node) -> Option<HashSet<String>> {
        match node {
            Node::Words { words, .. } => {
                // Every unit must match: any one unit's anchors will do; the fewest select best.
                let units = segment(words);
                units.iter().filter_map(|u| self.unit(u)).min_by_key(HashSet::len)
            }
            Node::Phrase { text, .. } => self.name(text),
            Node::And(nodes) => nodes.iter().filter_map(|n| self.node(n)).min_by_key(HashSet::len),
            Node::Or(nodes) => nodes.iter().map(|n| self.node(n)).try_fold(HashSet::new(), |mut all, set| {
                all.extend(set?);
                Some(all)
            }),
            Node::Not(_) => None,
        }
    }

    /// A unit matches by its own text or by any synonym: the union of their anchors. A name the
    /// analyzer drops entirely (stop words) constrains nothing, so neither does its unit.
    fn unit(&mut self, unit: &Unit) -> Option<HashSet<String>> {
        let mut set = self.name(&unit.text)?;
        for synonym in &unit.synonyms {
            set.extend(self.name(synonym).unwrap_or_default());
        }
        Some(set)
    }

    /// A name matches as a phrase (all its tokens) or as an identifier (the whole text): its
    /// longest token, which is the rarest in practice, and the identifier form.
    fn name(&mut self, text: &str) -> Option<HashSet<String>> {
        let tokens = analyze(&mut self.text, text);
        let longest = tokens.into_iter().map(|(_, t)| t).max_by_key(|t| (t.len(), t.clone()))?;
        Some(HashSet::from([longest, text.trim().to_lowercase()]))
    }
}

impl SearchIndex {
    /// A throw-away index of `trials` in memory (a percolator's batch), searched like any other.
    pub fn in_ram(trials: &[Trial]) -> Result<SearchIndex, SearchError> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        let mut writer = index.writer(BATCH_WRITER_MEMORY)?;
        for trial in trials {
            writer.add_document(trial_document(trial, &fields, Gazetteer::embedded()))?;
        }
        writer.commit()?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, fields, dir: std::path::PathBuf::new(), writing: Default::default() })
    }

    /// The ids of every trial `request` matches, in no particular order; paging is ignored.
    pub fn matching_ids(&self, request: &SearchRequest) -> Result<Vec<String>, SearchError> {
        let searcher = self.reader.searcher();
        let plan = self.plan(request, &searcher)?;
        let found = searcher.search(&plan.query, &DocSetCollector)?;
        let addresses: Vec<DocAddress> = found.into_iter().collect();
        self.ids_of(&searcher, &addresses)
    }
}
