//! From a parsed query and a validated request to one tantivy query.
//!
//! * **Concepts.** Each run of bare words is cut into the longest phrases the vocabulary knows
//!   ("SLE rituximab" → `SLE` + `rituximab`, "systemic lupus erythematosus" → one phrase). A
//!   recognised condition or drug is searched as any of its names: SLE finds "systemic lupus
//!   erythematosus", Benlysta finds belimumab, MabThera finds rituximab. Every phrase must match
//!   (AND), any of its names will do (OR).
//! * **Fields.** What was typed is searched in every text field with a weight (synonyms only in
//!   the fields that say what a trial is about: conditions, title, interventions, summary),
//!   combined with a disjunction-max so that the best field counts and the others only break ties: the
//!   conditions list and the title outweigh the summary, which outweighs the criteria, and a
//!   mention in an *exclusion* criterion counts for very little. A trial about lupus thus ranks
//!   above one that excludes lupus patients.
//! * **Typos.** A word of five letters or more that occurs nowhere in the index is searched with
//!   edit distance 1 (2 from nine letters) in the main fields. Correct words never pay for it.
//! * **Proximity.** Two or more phrases typed together ("pancreatic cancer gemcitabine") rank
//!   higher where they stand side by side. That needs word positions, the dearest thing to read,
//!   so these phrase queries are not part of the match: the planner hands them back as
//!   *boosters*, and the index adds their score to the top hits only (a rescoring window).
//! * **Filters** are constant-score clauses: facets (any of the values), the age window
//!   (`min_age ≤ age ≤ max_age`), and a per-document predicate over packed site coordinates for
//!   the radius.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use eligo_model::GeoPoint;
use eligo_vocab::{Category, Vocabulary};
use tantivy::query::doc_predicate_query::{DocPredicateQuery, FunctionPredicate};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, PhraseQuery,
    Query, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, Searcher, SegmentReader, Term};

use crate::query::{FieldScope, Node};
use crate::request::{Expansion, ValidRequest};
use crate::schema::{unpack_point, Fields, SITE_FIELD};

/// Longest vocabulary phrase looked for, in words.
const MAX_PHRASE_WORDS: usize = 6;
/// Most synonyms searched per recognised concept phrase.
const MAX_SYNONYMS: usize = 10;
/// Shortest word that gets typo tolerance.
const FUZZY_MIN_CHARS: usize = 5;
/// Weight of a fuzzy match relative to an exact one.
const FUZZY_WEIGHT: f32 = 0.7;
/// Weight of the whole run of words found side by side, on top of each word's own score.
const ADJACENCY_BOOST: f32 = 2.0;
/// How much the other fields of a disjunction-max add to the best one.
const TIE_BREAKER: f32 = 0.2;

/// Field weights for unscoped text.
fn weighted_fields(f: &Fields) -> Vec<(Field, f32)> {
    vec![
        (f.conditions, 4.0),
        (f.title, 3.0),
        (f.interventions, 3.0),
        (f.summary, 1.5),
        (f.sponsor, 1.0),
        (f.inclusion, 0.8),
        (f.description, 0.6),
        (f.exclusion, 0.1),
    ]
}

fn scoped_fields(f: &Fields, scope: Option<FieldScope>) -> Vec<(Field, f32)> {
    match scope {
        None => weighted_fields(f),
        Some(FieldScope::Condition) => vec![(f.conditions, 1.0)],
        Some(FieldScope::Intervention) => vec![(f.interventions, 1.0)],
        Some(FieldScope::Sponsor) => vec![(f.sponsor, 1.0)],
        Some(FieldScope::Title) => vec![(f.title, 1.0)],
        Some(FieldScope::Summary) => vec![(f.summary, 1.0), (f.description, 0.6)],
        Some(FieldScope::Criteria) => vec![(f.inclusion, 1.0), (f.exclusion, 0.5)],
        Some(FieldScope::Id) => Vec::new(),
    }
}

/// The fields that say what a trial is about. A misspelt word is looked for there, and so are
/// the vocabulary synonyms of what was typed (see [`Reach::Topical`]).
fn topical_fields(f: &Fields) -> [Field; 4] {
    [f.conditions, f.title, f.interventions, f.summary]
}

/// Where one name of a query phrase is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// Every field of the scope: the words the person typed.
    Everywhere,
    /// For unscoped text, the topical fields only: a synonym is the engine's guess at what the
    /// person meant, so it counts where a trial says what it is about, not in the long body text
    /// (description and criteria). There, a multi-word synonym would be a phrase query over the
    /// longest position lists of the index, the dearest part of a search, to find trials that
    /// mostly mention the condition in passing or exclude it.
    Topical,
}

/// Builds queries against one searcher.
pub(crate) struct Planner<'a> {
    pub fields: &'a Fields,
    pub searcher: &'a Searcher,
    pub text: TextAnalyzer,
    pub id: TextAnalyzer,
    pub expansions: Vec<Expansion>,
    /// Score-only queries for runs of words found side by side, applied to the top hits only
    /// (see [`crate::index`]): they reorder, they never decide what matches.
    pub boosters: Vec<Box<dyn Query>>,
    /// Depth of `NOT`s around the node being planned.
    pub negations: usize,
}

/// One phrase of a query and the names it is searched with.
pub(crate) struct Unit {
    pub text: String,
    pub synonyms: Vec<String>,
}

impl Planner<'_> {
    /// The query for the text alone (used for snippets too).
    pub fn text_query(&mut self, node: &Node) -> Box<dyn Query> {
        self.node(node).unwrap_or_else(|| Box::new(AllQuery))
    }

    /// `None` for nodes that constrain nothing (stop words only), so that they drop out.
    fn node(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        match node {
            Node::Words { scope, words } => {
                let units = segment(words);
                let clauses: Vec<Box<dyn Query>> = units.iter().filter_map(|u| self.unit(u, *scope)).collect();
                let required = all_of(clauses)?;
                // "pancreatic cancer": trials with the words side by side rank above trials that
                // have them apart ("cancer" in one place, "pancreatic" in another).
                if units.len() >= 2 && self.negations == 0 {
                    if let Some(adjacent) = self.alternative(&words.join(" "), *scope, Reach::Everywhere, false) {
                        self.boosters.push(Box::new(BoostQuery::new(adjacent, ADJACENCY_BOOST)));
                    }
                }
                Some(required)
            }
            Node::Phrase { scope, text } => self.alternative(text, *scope, Reach::Everywhere, false),
            Node::And(nodes) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                for child in nodes {
                    match child {
                        Node::Not(inner) => clauses.extend(self.negated(inner).map(|q| (Occur::MustNot, q))),
                        other => clauses.extend(self.node(other).map(|q| (Occur::Must, q))),
                    }
                }
                if clauses.is_empty() {
                    return None;
                }
                if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                    clauses.push((Occur::Must, Box::new(AllQuery)));
                }
                Some(Box::new(BooleanQuery::new(clauses)))
            }
            Node::Or(nodes) => {
                let clauses: Vec<(Occur, Box<dyn Query>)> =
                    nodes.iter().filter_map(|n| self.node(n)).map(|q| (Occur::Should, q)).collect();
                (!clauses.is_empty()).then(|| Box::new(BooleanQuery::new(clauses)) as Box<dyn Query>)
            }
            Node::Not(inner) => {
                let excluded = self.negated(inner)?;
                Some(Box::new(BooleanQuery::new(vec![(Occur::Must, Box::new(AllQuery)), (Occur::MustNot, excluded)])))
            }
        }
    }

    /// What a trial must not match; words side by side there boost nothing.
    fn negated(&mut self, node: &Node) -> Option<Box<dyn Query>> {
        self.negations += 1;
        let query = self.node(node);
        self.negations -= 1;
        query
    }

    /// A phrase: its own words (typo-tolerant) or any of its synonyms (exact).
    fn unit(&mut self, unit: &Unit, scope: Option<FieldScope>) -> Option<Box<dyn Query>> {
        let own = self.alternative(&unit.text, scope, Reach::Everywhere, true);
        let mut names: Vec<Box<dyn Query>> = own.into_iter().collect();
        names.extend(unit.synonyms.iter().filter_map(|s| self.alternative(s, scope, Reach::Topical, false)));
        match names.len() {
            0 => None,
            1 => names.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(names, TIE_BREAKER))),
        }
    }

    /// One name in the scope's fields; identifiers match the `ids` field as a whole.
    fn alternative(
        &mut self,
        text: &str,
        scope: Option<FieldScope>,
        reach: Reach,
        typo_tolerant: bool,
    ) -> Option<Box<dyn Query>> {
        let tokens = analyze(&mut self.text, text);
        let mut per_field: Vec<Box<dyn Query>> = Vec::new();
        if matches!(scope, None | Some(FieldScope::Id)) {
            if let [id] = analyze(&mut self.id, text.trim()).as_slice() {
                let term = Term::from_field_text(self.fields.ids, &id.1);
                if self.searcher.doc_freq(&term).unwrap_or(0) > 0 {
                    let query = TermQuery::new(term, IndexRecordOption::WithFreqs);
                    per_field.push(Box::new(BoostQuery::new(Box::new(query), 8.0)));
                }
            }
        }
        if !tokens.is_empty() {
            let topical = topical_fields(self.fields);
            let fields = scoped_fields(self.fields, scope).into_iter();
            // A scope the person chose (`criteria:SLE`) is searched with every name.
            let reached =
                |(field, _): &(Field, f32)| reach == Reach::Everywhere || scope.is_some() || topical.contains(field);
            for (field, weight) in fields.filter(reached) {
                per_field.push(Box::new(BoostQuery::new(field_query(field, &tokens), weight)));
            }
            if typo_tolerant && scope.is_none() {
                per_field.extend(self.fuzzy(text, &tokens));
            }
        }
        match per_field.len() {
            0 => None,
            1 => per_field.pop(),
            _ => Some(Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, TIE_BREAKER))),
        }
    }

    /// Edit-distance variants of a single word that the index does not contain.
    fn fuzzy(&self, text: &str, tokens: &[(usize, String)]) -> Vec<Box<dyn Query>> {
        let [(_, token)] = tokens else { return Vec::new() };
        let chars = text.trim().chars().count();
        if chars < FUZZY_MIN_CHARS {
            return Vec::new();
        }
        let fields = topical_fields(self.fields);
        let known = fields.iter().any(|&f| self.searcher.doc_freq(&Term::from_field_text(f, token)).unwrap_or(0) > 0);
        if known {
            return Vec::new();
        }
        let distance = if chars >= 9 { 2 } else { 1 };
        fields
            .iter()
            .map(|&f| {
                let query = FuzzyTermQuery::new(Term::from_field_text(f, token), distance, true);
                Box::new(BoostQuery::new(Box::new(query), FUZZY_WEIGHT)) as Box<dyn Query>
            })
            .collect()
    }
}

impl<'a> Planner<'a> {
    /// Records how the query's concept phrases were expanded, for the response.
    pub fn explain(&mut self, node: &Node) {
        match node {
            Node::Words { words, .. } => {
                for unit in segment(words) {
                    if let Some(concept) = concept_of(&unit.text) {
                        self.expansions.push(Expansion {
                            text: unit.text.clone(),
                            concept: concept.to_string(),
                            synonyms: unit.synonyms.clone(),
                        });
                    }
                }
            }
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().for_each(|n| self.explain(n)),
            Node::Not(inner) => self.explain(inner),
            Node::Phrase { .. } => {}
        }
    }
}

/// A text field query for analyzed tokens: a term, or a phrase keeping the positions (stop words
/// removed by the analyzer leave gaps that the phrase respects).
fn field_query(field: Field, tokens: &[(usize, String)]) -> Box<dyn Query> {
    if let [(_, token)] = tokens {
        return Box::new(TermQuery::new(Term::from_field_text(field, token), IndexRecordOption::WithFreqs));
    }
    let first = tokens[0].0;
    let terms = tokens.iter().map(|(pos, t)| (pos - first, Term::from_field_text(field, t))).collect();
    Box::new(PhraseQuery::new_with_offset(terms))
}

/// Tokens with their positions.
pub(crate) fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(usize, String)> {
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while let Some(token) = stream.next() {
        tokens.push((token.position, token.text.clone()));
    }
    tokens
}

fn all_of(mut clauses: Vec<Box<dyn Query>>) -> Option<Box<dyn Query>> {
    match clauses.len() {
        0 => None,
        1 => clauses.pop(),
        _ => Some(Box::new(BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Must, q)).collect()))),
    }
}

/// The first condition or drug concept a phrase names.
fn concept_of(phrase: &str) -> Option<&'static str> {
    let cleaned = phrase.trim_matches(|c: char| !c.is_alphanumeric());
    Vocabulary::embedded()
        .lookup(cleaned)
        .into_iter()
        .find(|c| matches!(c.category, Category::Condition | Category::Drug))
        .map(|c| c.id.as_str())
}

/// The names of a concept worth searching with: three characters or more (two-letter
/// abbreviations are too ambiguous in free text), at most [`MAX_SYNONYMS`], curated ones first.
/// Computed once per concept per process.
fn synonyms_of(concept: &str) -> Arc<Vec<String>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Vec<String>>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(concept).cloned()) {
        return found;
    }
    let vocab = Vocabulary::embedded();
    let mut names: Vec<String> = vocab.terms_of(concept).into_iter().map(str::to_string).collect();
    if let Some(c) = vocab.concept(concept) {
        names.insert(0, c.name.to_lowercase());
    }
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| n.chars().count() >= 3 && seen.insert(n.clone()));
    names.truncate(MAX_SYNONYMS);
    let names = Arc::new(names);
    if let Ok(mut c) = cache.lock() {
        c.insert(concept.to_string(), Arc::clone(&names));
    }
    names
}

/// Cuts bare words into the longest phrases the vocabulary knows; other words stand alone.
pub(crate) fn segment(words: &[String]) -> Vec<Unit> {
    let mut units = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let longest = (1..=MAX_PHRASE_WORDS.min(words.len() - i)).rev().find_map(|n| {
            let phrase = words[i..i + n].join(" ");
            concept_of(&phrase).map(|c| (n, phrase, c))
        });
        match longest {
            Some((n, phrase, concept)) => {
                let own = eligo_vocab::normalize_term(&phrase);
                let synonyms = synonyms_of(concept).iter().filter(|s| **s != own).cloned().collect();
                units.push(Unit { text: phrase, synonyms });
                i += n;
            }
            None => {
                units.push(Unit { text: words[i].clone(), synonyms: Vec::new() });
                i += 1;
            }
        }
    }
    units
}

/// Weight of a concept match against the text query's scores: a trial indexed under the
/// patient's concept is as on-topic as one naming it in its title.
const CONCEPT_WEIGHT: f32 = 2.0;

/// What a trial must match to be found: the text query, or any of `concepts` (see
/// [`crate::SearchRequest::concepts`]). An empty query text matches every trial, so with concepts
/// and no text the concepts alone decide.
pub(crate) fn with_concepts(fields: &Fields, text: Box<dyn Query>, query: &str, concepts: &[String]) -> Box<dyn Query> {
    if concepts.is_empty() {
        return text;
    }
    let vocab = Vocabulary::embedded();
    let mut terms: Vec<String> = concepts.to_vec();
    terms.extend(
        concepts.iter().flat_map(|id| vocab.ancestors(id)).map(|c| format!("{}{}", crate::schema::OWN_CONCEPT, c.id)),
    );
    terms.sort_unstable();
    terms.dedup();
    let mut any: Vec<(Occur, Box<dyn Query>)> = terms
        .into_iter()
        .map(|t| {
            let term = TermQuery::new(Term::from_field_text(fields.concepts, &t), IndexRecordOption::Basic);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(term), CONCEPT_WEIGHT)) as Box<dyn Query>)
        })
        .collect();
    if !query.trim().is_empty() {
        any.push((Occur::Should, text));
    }
    Box::new(BooleanQuery::new(any))
}

/// The filter clauses of a request (constant score 0: they select, they do not rank).
pub(crate) fn filters(fields: &Fields, request: &ValidRequest) -> Vec<Box<dyn Query>> {
    let mut out: Vec<Box<dyn Query>> = Vec::new();
    for (dimension, values) in &request.facet_filters {
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let term = Term::from_facet(fields.facet, &Facet::from_path([*dimension, v.as_str()]));
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>)
            })
            .collect();
        out.push(Box::new(BooleanQuery::new(any)));
    }
    if let Some(age) = request.age {
        use std::ops::Bound::{Included, Unbounded};
        let min = RangeQuery::new(Unbounded, Included(Term::from_field_f64(fields.min_age, age + 1e-9)));
        let max = RangeQuery::new(Included(Term::from_field_f64(fields.max_age, age - 1e-9)), Unbounded);
        out.push(Box::new(min));
        out.push(Box::new(max));
    }
    if let Some((centre, radius)) = request.distance {
        out.push(Box::new(within_radius(centre, radius)));
    }
    out.into_iter().map(|q| Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>).collect()
}

/// Trials with at least one site within `radius_km` of `centre`. A cheap latitude band test
/// rejects most sites before the great-circle distance is computed.
fn within_radius(centre: GeoPoint, radius_km: f64) -> DocPredicateQuery {
    const KM_PER_DEGREE_LAT: f64 = 111.19;
    let band = radius_km / KM_PER_DEGREE_LAT;
    let predicate = FunctionPredicate::from(move |segment: &SegmentReader| {
        let sites = segment.fast_fields().column_opt::<u64>(SITE_FIELD)?;
        Ok(move |doc: DocId| {
            sites.as_ref().is_some_and(|column| {
                column
                    .values_for_doc(doc)
                    .map(unpack_point)
                    .any(|site| (site.lat - centre.lat).abs() <= band && centre.distance_km(&site) <= radius_km)
            })
        })
    });
    DocPredicateQuery::from(predicate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn known_phrases_become_units_with_synonyms() {
        let units = segment(&words("SLE rituximab"));
        assert_eq!(units.len(), 2);
        assert!(units[0].synonyms.iter().any(|s| s == "systemic lupus erythematosus"), "{:?}", units[0].synonyms);
        assert!(units[1].synonyms.iter().any(|s| s == "rituxan"), "{:?}", units[1].synonyms);
        let units = segment(&words("systemic lupus erythematosus children"));
        assert_eq!(
            units.iter().map(|u| u.text.as_str()).collect::<Vec<_>>(),
            ["systemic lupus erythematosus", "children"]
        );
    }

    #[test]
    fn brand_names_expand_to_the_ingredient() {
        let benlysta = segment(&words("Benlysta"));
        assert!(benlysta[0].synonyms.iter().any(|s| s == "belimumab"), "{:?}", benlysta[0].synonyms);
        let mabthera = segment(&words("MabThera"));
        assert!(mabthera[0].synonyms.iter().any(|s| s == "rituximab"));
    }
}
