//! Page and publication reader throughput and latency.
//!
//! `cargo run --release -p eligo-pages --example bench_pages [ROUNDS]`
//!
//! Reads every page in `tests/fixtures` and `../shared/seeds` (when present)
//! ROUNDS times (default 2000) and prints pages/s and per-page p50/p99; then
//! reads a PubMed XML set of 20,000 articles built in memory from the
//! fixture set's good articles, and prints articles/s.

use std::path::{Path, PathBuf};
use std::time::Instant;

use eligo_pages::{read_page, PageOrigin};

fn pages() -> Vec<(String, Vec<u8>)> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dirs = [here.join("tests/fixtures"), here.join("../../../shared/seeds")];
    let mut found = Vec::new();
    for dir in dirs.iter().filter(|d| d.is_dir()) {
        let mut paths: Vec<PathBuf> =
            std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let name = path.display().to_string();
            let is_page = [".html", ".txt"].iter().any(|ext| name.ends_with(ext));
            if let (true, Ok(bytes)) = (is_page, std::fs::read(&path)) {
                found.push((name, bytes));
            }
        }
    }
    found
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|r| r.parse().ok()).unwrap_or(2000);
    let pages = pages();
    let origin = PageOrigin::new("bench");
    let mut latencies = Vec::with_capacity(rounds * pages.len());
    let (mut bytes, mut failed) = (0usize, 0usize);
    let start = Instant::now();
    for _ in 0..rounds {
        for (_, page) in &pages {
            let one = Instant::now();
            failed += read_page(page, &origin).is_err() as usize;
            latencies.push(one.elapsed().as_secs_f64() * 1e6);
            bytes += page.len();
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    println!(
        "pages: {} reads of {} documents in {elapsed:.2} s = {:.0} pages/s ({:.1} MB/s); p50 {:.0} µs, p99 {:.0} µs; {failed} refused (by design: not-a-trial and unreadable fixtures)",
        latencies.len(),
        pages.len(),
        latencies.len() as f64 / elapsed,
        bytes as f64 / elapsed / 1e6,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
    );

    let fixture =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pubmed-set.xml")).unwrap_or_default();
    let text = String::from_utf8_lossy(&fixture);
    let Some(first) =
        text.find("<PubmedArticle>").and_then(|s| text[s..].find("</PubmedArticle>").map(|e| &text[s..s + e + 16]))
    else {
        return;
    };
    let mut set = String::from("<?xml version=\"1.0\"?>\n<PubmedArticleSet>\n");
    for n in 0..20_000 {
        set.push_str(&first.replace("35000002", &format!("{}", 40_000_000 + n)));
        set.push('\n');
    }
    set.push_str("</PubmedArticleSet>\n");
    let start = Instant::now();
    let mut good = 0;
    eligo_pages::pubmed::read(set.as_bytes(), &origin, &mut |r| good += r.is_ok() as usize).expect("in memory");
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "pubmed xml: {good} articles ({:.1} MB) in {elapsed:.2} s = {:.0} articles/s",
        set.len() as f64 / 1e6,
        good as f64 / elapsed
    );
}
