//! How much of a real corpus the engine reads: parses the eligibility text of every record of a
//! ClinicalTrials.gov API v2 JSON Lines file and prints the number of criteria, how many are unread
//! (`not_computable: unstructured`), the computable kinds, and a seeded random sample of unread
//! criteria to read by eye.
//!
//! `cargo run --release -p eligo-criteria --example unread -- [trials.jsonl] [--sample N] [--seed S] [--all]`
//! (`--all` lists every unread criterion instead of a sample, to group them by cause; `--list KIND`
//! every criterion of one kind as printed under "by kind", e.g. `not_computable:Structure`;
//! `--entities` adds, after each listed unread criterion, the typed mentions found in it, to tell
//! a criterion with nothing recognised from one whose mentions no reading takes).

use std::collections::BTreeMap;

use eligo_criteria::parse_criteria;
use eligo_model::{Computable, Criterion, NonComputableReason};

/// A small deterministic generator (xorshift64*): the sample is the same on every run and machine.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn is_unread(c: &Criterion) -> bool {
    matches!(c.computable.as_slice(), [Computable::NotComputable { reason: NonComputableReason::Unstructured }])
}

/// The kind of a criterion, with the reason for readings that are not computable.
fn kind_label(c: &Criterion) -> String {
    match c.computable.first() {
        Some(Computable::NotComputable { reason }) => format!("not_computable:{reason:?}"),
        _ => c.kind().to_string(),
    }
}

/// The typed mentions of a criterion, as `type:text` pairs.
fn entity_summary(c: &Criterion) -> String {
    let mentions: Vec<String> = c.entities.iter().map(|e| format!("{:?}:{}", e.kind, e.text)).collect();
    mentions.join(" | ")
}

fn flag_value(args: &[String], flag: &str) -> Option<u64> {
    let at = args.iter().position(|a| a == flag)?;
    args.get(at + 1)?.parse().ok()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "../shared/data/criteria-corpus/trials.jsonl".to_string());
    let sample_size = flag_value(&args, "--sample").unwrap_or(40) as usize;
    let seed = flag_value(&args, "--seed").unwrap_or(22);
    let data = match std::fs::read_to_string(&path) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("skipped: cannot read {path}: {e}");
            return;
        }
    };
    let (mut total, mut records) = (0usize, 0usize);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut unread: Vec<(String, String)> = Vec::new();
    let show_entities = args.iter().any(|a| a == "--entities");
    let listed_kind = args.iter().position(|a| a == "--list").and_then(|at| args.get(at + 1));
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let ps = &v["protocolSection"];
        let id = ps["identificationModule"]["nctId"].as_str().unwrap_or("").to_string();
        let text = ps["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap_or("");
        records += 1;
        for c in parse_criteria(text) {
            total += 1;
            let kind = kind_label(&c);
            if listed_kind == Some(&kind) {
                println!("{id}  {}", c.text);
            }
            *kinds.entry(kind).or_insert(0) += 1;
            if is_unread(&c) {
                let shown = if show_entities { format!("{}  ⟨{}⟩", c.text, entity_summary(&c)) } else { c.text };
                unread.push((id.clone(), shown));
            }
        }
    }
    let share = 100.0 * unread.len() as f64 / total.max(1) as f64;
    println!("records: {records}");
    println!("criteria: {total}");
    println!("unread (not_computable: unstructured): {} ({share:.2} %)", unread.len());
    println!("by kind:");
    for (kind, n) in &kinds {
        println!("  {kind:<40} {n:>7} ({:.2} %)", 100.0 * *n as f64 / total.max(1) as f64);
    }
    if args.iter().any(|a| a == "--all") {
        println!("all unread:");
        for (id, text) in &unread {
            println!("  {id}  {text}");
        }
        return;
    }
    println!("sample of {sample_size} unread (seed {seed}):");
    let mut rng = Xorshift(seed.max(1));
    for _ in 0..sample_size.min(unread.len()) {
        let at = (rng.next() % unread.len() as u64) as usize;
        if let Some((id, text)) = unread.get(at) {
            println!("  {id}  {text}");
        }
    }
}
