//! The patient readers (JSON profile, FHIR R4 bundle, clinical note) on arbitrary text: they must
//! never panic, and every evidence span a note reader reports must lie inside the note.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("a valid date");
    let _ = eligo_patient::profile::read_profile(&text);
    let _ = eligo_patient::fhir::read_bundle(&text);
    let note = eligo_patient::note::read_note(&text, today);
    let chars = text.chars().count();
    for fact in &note.patient.facts {
        if let Some(span) = &fact.evidence.span {
            assert!(span.start <= span.end && span.end <= chars, "span {span:?} outside a {chars}-char note");
        }
    }
});
