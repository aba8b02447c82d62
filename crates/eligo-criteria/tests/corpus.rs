//! Segmentation over the shared corpus of 5,836 real ClinicalTrials.gov records.
//! Skips (with a message) when the corpus is absent.

mod common;

use std::collections::BTreeMap;

use eligo_criteria::segment;
use eligo_model::Section;

/// A record "has an exclusion heading" when a short line names the exclusion criteria.
fn has_exclusion_heading(text: &str) -> bool {
    text.lines().any(|line| {
        let t = line.trim().to_lowercase();
        t.chars().count() <= 45 && (t.contains("exclusion criteria") || t.trim_end_matches(':') == "exclusion")
    })
}

#[test]
fn corpus_segments_keep_invariants_and_find_sections() {
    let Some(records) = common::corpus() else { return };
    let mut with_heading = 0;
    let mut with_exclusion = 0;
    let mut missing = Vec::new();
    let mut empty = Vec::new();
    let mut sizes = BTreeMap::new();
    let mut sections = BTreeMap::new();
    let mut total = 0;
    for (id, text) in &records {
        let segments = segment(text);
        if let Err(e) = common::check_invariants(text, &segments) {
            panic!("{id}: {e}");
        }
        total += segments.len();
        if segments.is_empty() {
            empty.push(id.clone());
        }
        let bucket = match segments.len() {
            0 => 0,
            1 => 1,
            2..=4 => 2,
            5..=9 => 5,
            10..=19 => 10,
            20..=49 => 20,
            _ => 50,
        };
        *sizes.entry(bucket).or_insert(0) += 1;
        for s in &segments {
            *sections.entry(format!("{:?}", s.section)).or_insert(0usize) += 1;
        }
        if has_exclusion_heading(text) {
            with_heading += 1;
            if segments.iter().any(|s| s.section == Section::Exclusion) {
                with_exclusion += 1;
            } else {
                missing.push(id.clone());
            }
        }
    }
    let share = with_exclusion as f64 / with_heading.max(1) as f64;
    println!("{} records, {total} segments; sections {sections:?}", records.len());
    println!("segments per record (bucket lower bound → records): {sizes:?}");
    println!(
        "records with an exclusion heading: {with_heading}, with an exclusion segment: {with_exclusion} ({:.2}%)",
        share * 100.0
    );
    println!("without exclusion segments: {:?}", &missing[..missing.len().min(20)]);
    println!("records with no segment: {empty:?}");
    assert!(share >= 0.95, "only {:.2}% of records with an exclusion heading got exclusion segments", share * 100.0);
    assert!(empty.len() * 1000 <= records.len(), "{} records without any segment", empty.len());
}
