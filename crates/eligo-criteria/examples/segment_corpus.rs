//! Segments every record of a ClinicalTrials.gov API v2 JSON Lines file and prints throughput
//! and statistics; with `--show NCT...` prints the segments of the named records, with
//! `--file PATH` the segments of a plain-text file.
//!
//! `cargo run --release -p eligo-criteria --example segment_corpus -- [trials.jsonl] [--show NCT...]`

use std::collections::BTreeMap;
use std::time::Instant;

use eligo_criteria::{segment, Segment};
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
        .unwrap_or_else(|| "/work/shared/data/criteria-corpus/trials.jsonl".to_string());
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
}
