//! Search benchmark: index build rate, query latency, and a side-by-side with SQLite FTS5.
//!
//! ```sh
//! cargo run --release -p eligo-search --example bench_search -- build DATA_DIR
//! cargo run --release -p eligo-search --example bench_search -- walk DATA_DIR
//! cargo run --release -p eligo-search --example bench_search -- query DATA_DIR CORPUS.jsonl
//! cargo run --release -p eligo-search --example bench_search -- compare DATA_DIR CORPUS.jsonl
//! ```
//!
//! `DATA_DIR` is an eligo data directory (store already filled, see `scripts/bench_search.sh`).
//! `CORPUS.jsonl` is the real criteria corpus: the query terms are its most frequent condition and
//! drug names, so the queries are what people study and search for, not words picked to suit the
//! index.
//!
//! *On-topic@10*: a hit is on topic when the trial's conditions, keywords, interventions (with
//! other names) or MeSH terms contain the query, or a vocabulary synonym of it, as whole words.
//! The same judge and the same queries apply to both engines.

use std::collections::{HashMap, HashSet};
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eligo_ctgov::Origin;
use eligo_model::{GeoPoint, SourceKind, Trial};
use eligo_search::{SearchIndex, SearchRequest, SexFilter};
use eligo_store::{SharedStore, TrialStore};
use eligo_vocab::{normalize_term, Vocabulary};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> AnyResult<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["build", dir] => build(Path::new(dir)),
        ["walk", dir] => walk(Path::new(dir)),
        ["query", dir, corpus] => query_latency(Path::new(dir), Path::new(corpus)),
        ["compare", dir, corpus] => compare(Path::new(dir), Path::new(corpus)),
        _ => Err("usage: bench_search build DIR | walk DIR | query DIR CORPUS | compare DIR CORPUS".into()),
    }
}

fn open_store(dir: &Path) -> AnyResult<SharedStore> {
    Ok(eligo_store::open_store(&dir.display().to_string())?)
}

fn dir_size_mb(dir: &Path) -> f64 {
    let bytes: u64 = std::fs::read_dir(dir)
        .map(|entries| entries.flatten().filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0);
    bytes as f64 / 1e6
}

fn build(dir: &Path) -> AnyResult<()> {
    let store = open_store(dir)?;
    let index_dir = dir.join("search-index");
    let index = SearchIndex::open(&index_dir)?;
    let started = Instant::now();
    let update = index.rebuild(&*store)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "index build: {} trials in {seconds:.2} s = {:.0} trials/s; index size {:.0} MB",
        update.indexed,
        update.indexed as f64 / seconds,
        dir_size_mb(&index_dir)
    );
    Ok(())
}

/// Reads every trial from the store without indexing: the part of `build` that is the store's.
fn walk(dir: &Path) -> AnyResult<()> {
    let store = open_store(dir)?;
    let started = Instant::now();
    let mut count = 0u64;
    store.for_each_trial(&mut |_| {
        count += 1;
        Ok(())
    })?;
    let seconds = started.elapsed().as_secs_f64();
    println!("store walk: {count} trials in {seconds:.2} s = {:.0} trials/s", count as f64 / seconds);
    Ok(())
}

/// The most frequent condition and drug names of the real corpus (3+ characters, at most 5 words).
fn corpus_terms(corpus: &Path) -> AnyResult<(Vec<String>, Vec<String>)> {
    let file = std::fs::File::open(corpus)?;
    let origin = Origin::new(corpus.display().to_string(), SourceKind::CtgovJson);
    let mut conditions: HashMap<String, usize> = HashMap::new();
    let mut drugs: HashMap<String, usize> = HashMap::new();
    eligo_ctgov::json::read(BufReader::new(file), &origin, &mut |record| {
        let Ok(record) = record else { return };
        for c in &record.trial.conditions {
            *conditions.entry(c.trim().to_lowercase()).or_default() += 1;
        }
        for i in &record.trial.interventions {
            *drugs.entry(i.name.trim().to_lowercase()).or_default() += 1;
        }
    })?;
    let top = |counts: HashMap<String, usize>, n: usize| {
        let mut v: Vec<(String, usize)> = counts
            .into_iter()
            .filter(|(t, _)| t.len() >= 3 && t.split_whitespace().count() <= 5 && !t.contains("placebo"))
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter().take(n).map(|(t, _)| t).collect::<Vec<_>>()
    };
    Ok((top(conditions, 40), top(drugs, 20)))
}

/// Abbreviations and brand names people type; judged like the rest.
const TYPED_FORMS: &[&str] =
    &["SLE", "RA", "COPD", "NSCLC", "HIV", "Benlysta", "MabThera", "Herceptin", "Gleevec", "Avastin", "T2DM", "MS"];

/// A small deterministic generator (xorshift), so every run draws the same query mix.
struct Draw(u64);

impl Draw {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// 1–5 word queries (a condition, a drug, or both) with filters drawn like a search form's.
fn query_mix(conditions: &[String], drugs: &[String], count: usize) -> Vec<SearchRequest> {
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    let cities = [GeoPoint { lat: 39.9075, lon: 116.3972 }, GeoPoint { lat: 42.3584, lon: -71.0598 }];
    (0..count)
        .map(|_| {
            let condition = &conditions[draw.next(conditions.len())];
            let drug = &drugs[draw.next(drugs.len())];
            let text = match draw.next(3) {
                0 => condition.clone(),
                1 => drug.clone(),
                _ => format!("{condition} {drug}"),
            };
            let text: String = text.split_whitespace().take(5).collect::<Vec<_>>().join(" ");
            let mut request = SearchRequest::text(text);
            match draw.next(6) {
                0 => {}
                1 => request.statuses = vec!["recruiting".into()],
                2 => request.phases = vec!["3".into()],
                3 => request.age = Some(10.0 + draw.next(60) as f64),
                4 => request.sex = Some(SexFilter::Female),
                _ => {
                    request.near = Some(cities[draw.next(2)]);
                    request.radius_km = Some(500.0);
                }
            }
            request
        })
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1e3
}

fn report_latency(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let mean = times.iter().map(Duration::as_secs_f64).sum::<f64>() / times.len() as f64 * 1e3;
    println!(
        "{label}: {} queries, p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, mean {mean:.2} ms",
        times.len(),
        percentile(&times, 0.5),
        percentile(&times, 0.9),
        percentile(&times, 0.99)
    );
}

fn query_latency(dir: &Path, corpus: &Path) -> AnyResult<()> {
    let (conditions, drugs) = corpus_terms(corpus)?;
    let index = SearchIndex::open(&dir.join("search-index"))?;
    let requests = query_mix(&conditions, &drugs, 2_000);
    // Warm-up: vocabulary, gazetteer, synonym cache and the OS page cache.
    for request in requests.iter().take(200) {
        index.search(request)?;
    }
    let mut times = Vec::with_capacity(requests.len());
    let mut total_hits = 0;
    for request in &requests {
        let started = Instant::now();
        let results = index.search(request)?;
        times.push(started.elapsed());
        total_hits += results.total;
    }
    report_latency("eligo-search (top 10 + total + facets + snippets, with filters)", times);
    println!("  mean total matches per query: {:.0}", total_hits as f64 / requests.len() as f64);
    Ok(())
}

/// Whole-word containment after normalization.
fn contains_words(haystack: &str, needle: &str) -> bool {
    !needle.is_empty()
        && haystack.match_indices(needle).any(|(at, _)| {
            let before = haystack[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after = haystack[at + needle.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            before && after
        })
}

/// The names that count as "the query concept": the query and its vocabulary synonyms.
fn judge_names(query: &str) -> Vec<String> {
    let vocab = Vocabulary::embedded();
    let mut names = vec![normalize_term(query)];
    for concept in vocab.lookup(query) {
        names.extend(vocab.terms_of(&concept.id).into_iter().filter(|t| t.len() >= 3).map(str::to_string));
        names.push(normalize_term(&concept.name));
    }
    names
}

fn topical_text(trial: &Trial) -> String {
    let mut parts: Vec<&str> = trial.conditions.iter().chain(&trial.keywords).map(String::as_str).collect();
    parts.extend(trial.intervention_names());
    parts.extend(trial.condition_mesh.iter().chain(&trial.intervention_mesh).map(|m| m.term.as_str()));
    normalize_term(&parts.join(" | "))
}

fn fts5_build(store: &dyn TrialStore, path: &PathBuf) -> AnyResult<(rusqlite::Connection, HashMap<String, String>)> {
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path)?;
    db.execute_batch(
        "CREATE VIRTUAL TABLE trials USING fts5(id UNINDEXED, title, conditions, interventions, summary, criteria,
         tokenize = 'porter unicode61 remove_diacritics 2');",
    )?;
    let mut topical = HashMap::new();
    let started = Instant::now();
    let tx = db.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO trials VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
        let mut failure = None;
        store.for_each_trial(&mut |stored| {
            let t = &stored.trial;
            let title =
                [&t.brief_title, &t.official_title].into_iter().flatten().cloned().collect::<Vec<_>>().join(" ");
            let conditions = t.conditions.iter().chain(&t.keywords).cloned().collect::<Vec<_>>().join("; ");
            let interventions = t.intervention_names().collect::<Vec<_>>().join("; ");
            let summary = [&t.brief_summary, &t.detailed_description]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let criteria = t.eligibility.criteria_text.clone().unwrap_or_default();
            if let Err(e) = insert.execute(rusqlite::params![t.id, title, conditions, interventions, summary, criteria])
            {
                failure.get_or_insert(e);
            }
            topical.insert(t.id.clone(), topical_text(t));
            Ok(())
        })?;
        if let Some(e) = failure {
            return Err(e.into());
        }
    }
    tx.commit()?;
    let seconds = started.elapsed().as_secs_f64();
    println!("fts5 build: {} trials in {seconds:.2} s = {:.0} trials/s", topical.len(), topical.len() as f64 / seconds);
    Ok((db, topical))
}

/// The user's words as an FTS5 query: every word required, as FTS5 does by default.
fn fts5_query(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

fn fts5_top10(db: &rusqlite::Connection, text: &str) -> AnyResult<Vec<String>> {
    let mut statement = db.prepare_cached(
        "SELECT id FROM trials WHERE trials MATCH ?1 ORDER BY bm25(trials, 0.0, 3.0, 4.0, 3.0, 1.5, 0.5) LIMIT 10",
    )?;
    let ids = statement.query_map([fts5_query(text)], |row| row.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

fn compare(dir: &Path, corpus: &Path) -> AnyResult<()> {
    let store = open_store(dir)?;
    let (conditions, drugs) = corpus_terms(corpus)?;
    let (db, topical) = fts5_build(&*store, &dir.join("fts5.db"))?;
    let index = SearchIndex::open(&dir.join("search-index"))?;
    let mut queries: Vec<String> = conditions.iter().chain(&drugs).cloned().collect();
    queries.extend(TYPED_FORMS.iter().map(|s| s.to_string()));

    let mut rows = Vec::new();
    let (mut eligo_times, mut fts_times) = (Vec::new(), Vec::new());
    for _round in 0..5 {
        for query in &queries {
            let started = Instant::now();
            let eligo: Vec<String> =
                index.search(&SearchRequest::text(query.as_str()))?.hits.into_iter().map(|h| h.id).collect();
            eligo_times.push(started.elapsed());
            let started = Instant::now();
            let fts = fts5_top10(&db, query)?;
            fts_times.push(started.elapsed());
            if rows.len() < queries.len() {
                rows.push((query.clone(), eligo, fts));
            }
        }
    }
    report_latency("eligo-search, text only (top 10 + total + facets + snippets)", eligo_times);
    report_latency("sqlite fts5 bm25, text only (top 10 ids)", fts_times);

    let on_topic = |ids: &[String], names: &[String]| {
        ids.iter()
            .filter(|id| topical.get(*id).is_some_and(|text| names.iter().any(|n| contains_words(text, n))))
            .count()
    };
    let (mut eligo_sum, mut fts_sum) = (0, 0);
    let mut typed = (0, 0);
    println!("\n{:<40} {:>12} {:>12}", "query", "eligo on@10", "fts5 on@10");
    let typed_forms: HashSet<&str> = TYPED_FORMS.iter().copied().collect();
    for (query, eligo, fts) in &rows {
        let names = judge_names(query);
        let (e, f) = (on_topic(eligo, &names), on_topic(fts, &names));
        eligo_sum += e;
        fts_sum += f;
        if typed_forms.contains(query.as_str()) {
            typed.0 += e;
            typed.1 += f;
        }
        println!("{query:<40} {e:>5}/{:<6} {f:>5}/{:<6}", eligo.len(), fts.len());
    }
    let n = rows.len() * 10;
    println!(
        "\non-topic@10 over {} queries: eligo-search {:.3}, sqlite fts5 {:.3}",
        rows.len(),
        eligo_sum as f64 / n as f64,
        fts_sum as f64 / n as f64
    );
    let typed_n = TYPED_FORMS.len() * 10;
    println!(
        "  of which abbreviations/brand names ({}): eligo-search {:.3}, sqlite fts5 {:.3}",
        TYPED_FORMS.len(),
        typed.0 as f64 / typed_n as f64,
        typed.1 as f64 / typed_n as f64
    );
    Ok(())
}
