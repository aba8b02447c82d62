//! Time to read a note against its length, for three shapes of note: dense findings (a long run
//! of conditions, drugs and labs with a sentence end every 200 of them), the same run as one
//! sentence (the worst case for anything that rescans a sentence per mention) and a discharge
//! summary (sections of ordinary clinical prose,
//! several admissions written one after the other). Prints one row per (shape, size) with the
//! time and the time per KB; a flat last column is a linear reader.
//!
//! `cargo run --release -p eligo-patient --example note_scaling [MAX_KB]` (default 1024).

use std::time::Instant;

use chrono::NaiveDate;
use eligo_patient::note::read_note;

/// A run of findings, negations and values joined by commas: a problem list pasted as one line.
const DENSE: &[&str] = &[
    "no fever",
    "type 2 diabetes mellitus",
    "denies chest pain",
    "hypertension",
    "metformin 500 mg twice daily",
    "hemoglobin 11.2 g/dL",
    "mother had breast cancer",
    "chronic kidney disease stage 3",
    "negative for HIV",
    "atrial fibrillation on warfarin",
    "creatinine 1.4 mg/dL",
    "history of stroke",
    "COPD",
    "possible pneumonia",
    "asthma",
];

/// One admission of a discharge summary, written for this benchmark from the shape real ones
/// take (history, medications, findings, labs, course, plan). `{n}` numbers the admission.
const ADMISSION: &str = "\
DISCHARGE SUMMARY (admission {n})
History of present illness: 67-year-old woman with type 2 diabetes mellitus, hypertension and \
chronic kidney disease stage 3 presented with three days of dyspnea and productive cough. She \
denies chest pain, hemoptysis or fever. Her mother had breast cancer; her father had a myocardial \
infarction at 60.
Past medical history: atrial fibrillation on warfarin since 2019; COPD; osteoarthritis of both \
knees; appendectomy in childhood. No history of stroke or seizures.
Medications on admission: metformin 500 mg twice daily, lisinopril 10 mg daily, warfarin 5 mg \
daily, tiotropium inhaler, atorvastatin 40 mg at night.
Examination: temperature 37.9 C, heart rate 104, blood pressure 142/88, oxygen saturation 91% on \
room air. Crackles at the right base. No peripheral edema.
Laboratory: hemoglobin 11.2 g/dL, white cell count 13.4, platelets 250, creatinine 1.4 mg/dL, \
eGFR 41 mL/min/1.73m2, HbA1c 7.9%, INR 2.6, BNP 340 pg/mL.
Hospital course: chest X-ray showed right lower lobe pneumonia; she was treated with ceftriaxone \
and azithromycin and improved. Pulmonary embolism was considered but ruled out. Warfarin was \
continued. Blood glucose was managed with insulin while inpatient.
Discharge plan: complete 7 days of antibiotics; resume metformin; follow up with nephrology in 4 \
weeks; repeat chest X-ray in 6 weeks. Will consider referral for pulmonary rehabilitation.
";

/// Findings joined by commas, with a sentence end after every `per_sentence` of them (a pasted
/// problem list is one long sentence; a hostile one is a single sentence of the whole note).
fn dense_note(bytes: usize, per_sentence: usize) -> String {
    let mut note = String::with_capacity(bytes + 64);
    let mut i = 0;
    while note.len() < bytes {
        note.push_str(DENSE[i % DENSE.len()]);
        note.push_str(if i % per_sentence == per_sentence - 1 { ". " } else { ", " });
        i += 1;
    }
    note
}

fn problem_list(bytes: usize) -> String {
    dense_note(bytes, 200)
}

fn one_sentence(bytes: usize) -> String {
    dense_note(bytes, usize::MAX)
}

fn discharge_summary(bytes: usize) -> String {
    let mut note = String::with_capacity(bytes + ADMISSION.len());
    let mut n = 1;
    while note.len() < bytes {
        note.push_str(&ADMISSION.replace("{n}", &n.to_string()));
        n += 1;
    }
    note
}

/// Writes a note of about the given number of bytes.
type NoteOfSize = fn(usize) -> String;

fn main() {
    let max_kb: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1024);
    let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    // Warm the vocabulary and the cue tables once, so the first row is not the load time.
    read_note("warm up: diabetes", today);
    println!("{:<18} {:>8} {:>10} {:>8} {:>10}", "note", "KB", "seconds", "facts", "ms per KB");
    let shapes: [(&str, NoteOfSize); 3] =
        [("dense findings", problem_list), ("one sentence", one_sentence), ("discharge summary", discharge_summary)];
    for (shape, make) in shapes {
        let mut kb = 1;
        while kb <= max_kb {
            let note = make(kb * 1024);
            let started = Instant::now();
            let parsed = read_note(&note, today);
            let seconds = started.elapsed().as_secs_f64();
            let facts = parsed.patient.facts.len();
            println!("{shape:<18} {kb:>8} {seconds:>10.3} {facts:>8} {:>10.3}", seconds * 1000.0 / kb as f64);
            kb *= 4;
        }
    }
}
