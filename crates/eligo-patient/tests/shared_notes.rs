//! The note reader on the shared real notes (`../shared/data`): nothing panics, every span lies in
//! its note, and the new readings are counted (counts only: patient data is never printed). Skips
//! with a message when the data is absent.

use std::path::Path;

use chrono::NaiveDate;
use eligo_model::Assertion;
use eligo_patient::note::read_note;

fn notes(file: &str) -> Option<Vec<String>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(file);
    let text = std::fs::read_to_string(&path).ok()?;
    let values = text.lines().filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok());
    Some(values.filter_map(|v| v.get("note").and_then(|n| n.as_str()).map(str::to_string)).collect())
}

#[test]
fn shared_notes_read_with_spans_inside() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut seen = false;
    for file in ["trec2022-subset/patients.jsonl", "trialgpt-criteria-dev/annotations.jsonl"] {
        let Some(notes) = notes(file) else {
            eprintln!("skipped {file}: ../shared/data absent");
            continue;
        };
        seen = true;
        let (mut qualified, mut markers, mut planned, mut consent) = (0, 0, 0, 0);
        for note in &notes {
            let parsed = read_note(note, today);
            let chars = note.chars().count();
            for span in parsed.patient.facts.iter().filter_map(|f| f.evidence.span) {
                assert!(span.start < span.end && span.end <= chars);
            }
            qualified += parsed.patient.facts.iter().filter(|f| !f.qualifiers.is_empty()).count();
            markers += parsed
                .patient
                .observations
                .iter()
                .filter(|o| o.test.as_ref().is_some_and(|t| t.id.starts_with("ELIGO:marker.")))
                .count();
            planned += parsed.patient.facts.iter().filter(|f| f.assertion == Assertion::Planned).count();
            consent += usize::from(parsed.patient.consent.is_some());
        }
        eprintln!("{file}: {} notes, {qualified} qualified facts, {markers} marker results, {planned} planned, {consent} consent statements", notes.len());
    }
    if !seen {
        eprintln!("skipped: no shared data");
    }
}
