//! Segments and then fully parses (entities and computable forms) every record of a
//! ClinicalTrials.gov API v2 JSON Lines file on one thread, and prints throughput and statistics; with `--show NCT...` prints the segments of the named records, with
//! `--file PATH` the segments of a plain-text file.
//!
//! `cargo run --release -p eligo-criteria --example segment_corpus -- [trials.jsonl] [--show NCT...]`

use std::collections::BTreeMap;
use std::time::Instant;

use eligo_criteria::{parse_criteria, segment, Segment};
use eligo_model::Section;

fn print_segments(segments: &[Segment]) {
    for (i, s) in segments.iter().enumerate() {
        let section = match s.section {
            Section::Inclusion => "INC",
            Section::Exclusion => "EXC",
            Section::Unspecified => "UNS",
        };
        let parent = s.parent.map_or(String::new(), |p| format!(" ^{p}"));
        let heading = s.heading.as_deref().map_or(String::new(), |h| format!(" [{h}]"));
        let marker = s.marker.as_deref().unwrap_or("");
        let mut text = s.text.clone();
        if text.chars().count() > 110 {
            text = text.chars().take(107).collect::<String>() + "...";
        }
        println!("{i:>3} {section} {}..{}{parent}{heading} {marker:<3} {text}", s.start, s.end);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--file") {
        let text = std::fs::read_to_string(&args[i + 1]).expect("read file");
        print_segments(&segment(&text));
        return;
    }
    let path = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "../shared/data/criteria-corpus/trials.jsonl".to_string());
    let show: Vec<&String> = args.iter().skip_while(|a| *a != "--show").skip(1).collect();
    let data = match std::fs::read_to_string(&path) {
        Ok(data) => data,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return;
        }
    };
    let mut records: Vec<(String, String)> = Vec::new();
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("JSON line");
        let ps = &v["protocolSection"];
        let id = ps["identificationModule"]["nctId"].as_str().unwrap_or("").to_string();
        let text = ps["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap_or("").to_string();
        records.push((id, text));
    }
    if !show.is_empty() {
        for (id, text) in records.iter().filter(|(id, _)| show.contains(&id)) {
            println!("===== {id}");
            print_segments(&segment(text));
        }
        return;
    }
    let chars: usize = records.iter().map(|(_, t)| t.chars().count()).sum();
    let started = Instant::now();
    let all: Vec<Vec<Segment>> = records.iter().map(|(_, t)| segment(t)).collect();
    let elapsed = started.elapsed();
    println!(
        "{} records, {:.1} M chars in {:.1} ms: {:.0} records/s, {:.1} M chars/s",
        records.len(),
        chars as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3,
        records.len() as f64 / elapsed.as_secs_f64(),
        chars as f64 / 1e6 / elapsed.as_secs_f64()
    );
    let total: usize = all.iter().map(Vec::len).sum();
    let mut sections = BTreeMap::new();
    let mut markers = BTreeMap::new();
    let (mut with_parent, mut with_heading) = (0, 0);
    let mut per_record = BTreeMap::new();
    for segments in &all {
        let bucket = match segments.len() {
            0 => "0",
            1 => "1",
            2..=4 => "2-4",
            5..=9 => "5-9",
            10..=19 => "10-19",
            20..=49 => "20-49",
            _ => "50+",
        };
        *per_record.entry(bucket).or_insert(0) += 1;
        for s in segments {
            *sections.entry(format!("{:?}", s.section)).or_insert(0) += 1;
            let style = match s.marker.as_deref() {
                None => "unmarked".to_string(),
                Some(m) if m.chars().any(|c| c.is_ascii_digit()) => "numbered".to_string(),
                Some(m) if m.chars().any(|c| c.is_ascii_alphabetic()) && m.len() > 1 => "lettered".to_string(),
                Some(m) => format!("bullet {m}"),
            };
            *markers.entry(style).or_insert(0) += 1;
            with_parent += s.parent.is_some() as usize;
            with_heading += s.heading.is_some() as usize;
        }
    }
    println!("{total} segments; {with_parent} sub-items with a parent; {with_heading} under a sub-heading");
    println!("sections: {sections:?}");
    println!("segments per record: {per_record:?}");
    println!("markers: {markers:?}");
    report_parse(&records);
}

/// User + system CPU seconds of this process so far (Linux `/proc/self/stat`, 100 ticks/s).
fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Times [`parse_criteria`] over every record (after building the vocabulary automaton, which a
/// long-running process pays once) and counts criteria by kind.
fn report_parse(records: &[(String, String)]) {
    let warm_up = Instant::now();
    parse_criteria("Age 18 years or older");
    let warm_up = warm_up.elapsed();
    // Each result is counted and dropped, as ingest does (it stores and moves on).
    let (mut criteria, mut entities) = (0, 0);
    let mut kinds = BTreeMap::new();
    let started = Instant::now();
    let cpu_started = process_cpu_seconds();
    for (_, text) in records {
        for c in parse_criteria(text) {
            criteria += 1;
            entities += c.entities.len();
            *kinds.entry(c.kind()).or_insert(0) += 1;
        }
    }
    let elapsed = started.elapsed();
    let cpu = process_cpu_seconds().zip(cpu_started).map(|(end, start)| end - start);
    println!(
        "parse: {} records, {criteria} criteria, {entities} entities in {:.1} ms: {:.0} records/s \
         (vocabulary warm-up {:.0} ms, once per process)",
        records.len(),
        elapsed.as_secs_f64() * 1e3,
        records.len() as f64 / elapsed.as_secs_f64(),
        warm_up.as_secs_f64() * 1e3
    );
    if let Some(cpu) = cpu {
        // CPU time is what "one core" means when other work shares the machine.
        println!("parse CPU time: {cpu:.2} s, {:.0} records per CPU second", records.len() as f64 / cpu);
    }
    println!("criteria by kind: {kinds:?}");
}
