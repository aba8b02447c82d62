//! Shared helpers for the integration tests.
#![allow(dead_code)]

use eligo_criteria::{collapse_whitespace, Segment};

/// Checks every documented invariant of `segment(text)`; returns the first violation.
pub fn check_invariants(text: &str, segments: &[Segment]) -> Result<(), String> {
    let chars: Vec<char> = text.chars().collect();
    let mut previous_end = 0;
    for (i, s) in segments.iter().enumerate() {
        if !(s.start < s.end && s.end <= chars.len()) {
            return Err(format!("segment {i}: bad span {}..{} (len {})", s.start, s.end, chars.len()));
        }
        if s.start < previous_end {
            return Err(format!("segment {i}: starts at {} before the previous end {previous_end}", s.start));
        }
        previous_end = s.end;
        let original = collapse_whitespace(&chars[s.start..s.end]);
        if original != s.text {
            return Err(format!("segment {i}: text {:?} != original {:?}", s.text, original));
        }
        if chars[s.start].is_whitespace() || chars[s.end - 1].is_whitespace() {
            return Err(format!("segment {i}: span not trimmed"));
        }
        if !s.text.chars().any(char::is_alphanumeric) {
            return Err(format!("segment {i}: no letter or digit in {:?}", s.text));
        }
        if let Some(p) = s.parent {
            if p >= i {
                return Err(format!("segment {i}: parent {p} does not come before it"));
            }
        }
        if is_section_heading_line(&s.text) {
            return Err(format!("segment {i}: a heading became a criterion: {:?}", s.text));
        }
    }
    Ok(())
}

/// The plain forms of section headings ("Inclusion Criteria:", "KEY EXCLUSION CRITERIA").
pub fn is_section_heading_line(text: &str) -> bool {
    let t = text.trim().trim_start_matches(['-', '*', '•', ' ']).trim_end_matches([':', '*', ' ']).to_lowercase();
    let t = t.strip_prefix("key ").or_else(|| t.strip_prefix("main ")).unwrap_or(&t);
    matches!(t, "inclusion criteria" | "exclusion criteria" | "inclusion" | "exclusion")
}

/// `../shared` beside the repository (the benchmark data and seeds), when it is there.
pub fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    dir.is_dir().then_some(dir)
}

/// (NCT ID, eligibility text) of every record of the shared corpus, or `None` when it is absent.
pub fn corpus() -> Option<Vec<(String, String)>> {
    let default = shared_dir().map(|d| d.join("data/criteria-corpus/trials.jsonl").display().to_string());
    let path = std::env::var("ELIGO_CRITERIA_CORPUS").ok().or(default).unwrap_or_default();
    let Ok(data) = std::fs::read_to_string(&path) else {
        println!("skipping: criteria corpus not found at {path}");
        return None;
    };
    let records = data
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let ps = &v["protocolSection"];
            let id = ps["identificationModule"]["nctId"].as_str().unwrap_or_default().to_string();
            let text = ps["eligibilityModule"]["eligibilityCriteria"].as_str().unwrap_or_default().to_string();
            (id, text)
        })
        .collect();
    Some(records)
}
