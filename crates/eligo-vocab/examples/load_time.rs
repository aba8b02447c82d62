//! Measures how long the embedded vocabulary takes to parse and to build its automaton:
//! `cargo run --release -p eligo-vocab --example load_time`.
use std::time::Instant;

fn main() {
    let started = Instant::now();
    let v = eligo_vocab::Vocabulary::embedded();
    let parsed = started.elapsed();
    if std::env::var_os("PARSE_ONLY").is_some() {
        println!("parsed in {parsed:?}");
        return;
    }
    let automaton = v.warm_up();
    let started = Instant::now();
    let ms =
        v.find_mentions("Adults with SLE (SLEDAI-2K ≥ 6) or lupus nephritis; no rituximab within 6 months; eGFR ≥ 30");
    println!(
        "{} concepts, {} terms: parsed in {:?} (internal {:?}), automaton built in {:?}, first search {:?} ({} mentions)",
        v.len(),
        v.term_count(),
        parsed,
        v.load_time(),
        automaton,
        started.elapsed(),
        ms.len()
    );
}
