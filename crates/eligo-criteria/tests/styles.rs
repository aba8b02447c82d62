//! One short excerpt per style registries write criteria in (written in the style of
//! ClinicalTrials.gov records).

mod common;

use eligo_criteria::{segment, Segment};
use eligo_model::Section;

fn seg(text: &str) -> Vec<Segment> {
    let segments = segment(text);
    common::check_invariants(text, &segments).unwrap();
    segments
}

fn texts(segments: &[Segment]) -> Vec<&str> {
    segments.iter().map(|s| s.text.as_str()).collect()
}

#[test]
fn legacy_layout_with_hard_wraps() {
    let text = "        Inclusion Criteria:\n\n          -  Histologically confirmed adenocarcinoma of the pancreas with\n             measurable disease\n\n          -  Age 18 years or older\n\n        Exclusion Criteria:\n\n          -  Prior chemotherapy\n      ";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        [
            "Histologically confirmed adenocarcinoma of the pancreas with measurable disease",
            "Age 18 years or older",
            "Prior chemotherapy"
        ]
    );
    assert_eq!(
        s.iter().map(|s| s.section).collect::<Vec<_>>(),
        [Section::Inclusion, Section::Inclusion, Section::Exclusion]
    );
    assert_eq!(s[0].marker.as_deref(), Some("-"));
    // Offsets point into the original text, across the hard wrap.
    let chars: Vec<char> = text.chars().collect();
    assert!(chars[s[0].start..s[0].end].iter().collect::<String>().contains("with\n             measurable"));
}

#[test]
fn heading_forms() {
    for (heading, section) in [
        ("INCLUSION CRITERIA", Section::Inclusion),
        ("Key Exclusion Criteria:", Section::Exclusion),
        ("Exclusion criteria include:", Section::Exclusion),
        ("Inclusion criteria for patients:", Section::Inclusion),
        ("-INCLUSION CRITERIA:", Section::Inclusion),
        ("**Exclusion Criteria:**", Section::Exclusion),
        ("Main inclusion criteria", Section::Inclusion),
        ("Exclusion Criteria for Dose Escalation Phase", Section::Exclusion),
        ("Patients will be excluded if any of the following apply:", Section::Exclusion),
        ("Subjects with any of the following will not be included in the study:", Section::Exclusion),
        ("Inclusion and Exclusion Criteria:", Section::Unspecified),
    ] {
        let text = format!("{heading}\n\n* Stable dose of methotrexate for 4 weeks\n");
        let s = seg(&text);
        assert_eq!(texts(&s), ["Stable dose of methotrexate for 4 weeks"], "{heading}");
        assert_eq!(s[0].section, section, "{heading}");
    }
}

#[test]
fn heading_with_criterion_on_the_same_line() {
    let s = seg("Inclusion Criteria: Age 18 or over\nExclusion Criteria: Pregnancy");
    assert_eq!(texts(&s), ["Age 18 or over", "Pregnancy"]);
    assert_eq!(s[1].section, Section::Exclusion);
    assert!(seg("Inclusion criteria Healthy male and female volunteers")[0].text.starts_with("Healthy"));
}

#[test]
fn heading_mentions_in_criteria_stay_criteria() {
    let text = "Exclusion Criteria:\n\n- Other protocol-defined exclusion criteria may apply\n- Anything not in inclusion criteria.";
    let s = seg(text);
    assert_eq!(s.len(), 2);
    assert!(s.iter().all(|s| s.section == Section::Exclusion));
}

#[test]
fn bullet_characters() {
    let text =
        "Inclusion Criteria:\n* Adults\n- Signed consent\n• BMI 18-30 kg/m2\n· Non-smoker\no Able to swallow tablets\n";
    assert_eq!(
        texts(&seg(text)),
        ["Adults", "Signed consent", "BMI 18-30 kg/m2", "Non-smoker", "Able to swallow tablets"]
    );
}

#[test]
fn numbering_styles() {
    for (marker_a, marker_b) in
        [("1.", "2."), ("1)", "2)"), ("(1)", "(2)"), ("a)", "b)"), ("a.", "b."), ("i.", "ii."), ("A.", "B.")]
    {
        let text =
            format!("Exclusion Criteria:\n{marker_a} Prior stroke\n{marker_b} Platelets < 100,000/mm3 or INR > 1.5\n");
        let s = seg(&text);
        assert_eq!(texts(&s), ["Prior stroke", "Platelets < 100,000/mm3 or INR > 1.5"], "{marker_a}");
        assert_eq!(s[1].marker.as_deref(), Some(marker_b));
        assert_eq!(s[1].parent, None);
    }
}

#[test]
fn numbers_that_are_not_markers() {
    let s = seg("- Bilirubin no greater than\n1.5 times ULN\n- Z-score between\n  -5 and 5\n");
    assert_eq!(texts(&s), ["Bilirubin no greater than 1.5 times ULN", "Z-score between -5 and 5"]);
    let legacy = "          -  Total bilirubin no greater than 1.5 times the upper limit of normal, or no greater\n             2. times ULN for patients with Gilbert syndrome\n\n          -  Next\n";
    assert_eq!(seg(legacy).len(), 2);
}

#[test]
fn nci_sub_headings_are_context() {
    let text = "        DISEASE CHARACTERISTICS:\n\n          -  Histologically confirmed melanoma\n\n        PATIENT CHARACTERISTICS:\n\n        Age:\n\n          -  18 and over\n\n        Hepatic:\n\n          -  Bilirubin no greater than 2.0 mg/dL\n\n        PRIOR CONCURRENT THERAPY:\n\n          -  No prior chemotherapy\n";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        [
            "Histologically confirmed melanoma",
            "18 and over",
            "Bilirubin no greater than 2.0 mg/dL",
            "No prior chemotherapy"
        ]
    );
    let headings: Vec<_> = s.iter().map(|s| s.heading.as_deref().unwrap()).collect();
    assert_eq!(
        headings,
        [
            "DISEASE CHARACTERISTICS",
            "PATIENT CHARACTERISTICS > Age",
            "PATIENT CHARACTERISTICS > Hepatic",
            "PRIOR CONCURRENT THERAPY"
        ]
    );
    assert!(s.iter().all(|s| s.section == Section::Unspecified));
}

#[test]
fn nci_run_on_paragraph_is_split_at_its_labels() {
    let text = "        PATIENT CHARACTERISTICS: Age: 18 and over Performance status: ECOG 0-1 Hepatic:\n        Bilirubin no greater than 2.0 mg/dL Renal: Creatinine normal\n";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        [
            "Age: 18 and over",
            "Performance status: ECOG 0-1",
            "Hepatic: Bilirubin no greater than 2.0 mg/dL",
            "Renal: Creatinine normal"
        ]
    );
    assert!(s.iter().all(|s| s.heading.as_deref() == Some("PATIENT CHARACTERISTICS")));
    // "Age: 18 and over" on its own line is a criterion, not a heading.
    assert_eq!(texts(&seg("Age: 18 and over")), ["Age: 18 and over"]);
}

#[test]
fn nested_sub_items_link_to_their_parent() {
    let text = "        Exclusion Criteria:\n\n          1. Significant cardiovascular disease, including:\n\n               -  Myocardial infarction within 6 months\n\n               -  NYHA class III or IV heart failure\n\n          2. Known HIV infection\n";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        [
            "Significant cardiovascular disease, including:",
            "Myocardial infarction within 6 months",
            "NYHA class III or IV heart failure",
            "Known HIV infection"
        ]
    );
    assert_eq!(s.iter().map(|s| s.parent).collect::<Vec<_>>(), [None, Some(0), Some(0), None]);
}

#[test]
fn flat_markdown_sub_list_after_a_colon() {
    let text = "Inclusion Criteria:\n\n1. Adequate organ function:\n* ANC ≥ 1.5 x 10^9/L\n* Platelets ≥ 100 x 10^9/L\n2. ECOG 0-1\n";
    let s = seg(text);
    assert_eq!(s.iter().map(|s| s.parent).collect::<Vec<_>>(), [None, Some(0), Some(0), None]);
}

#[test]
fn inline_double_dash_sub_items() {
    let text = "Exclusion Criteria:\n\n  4. Active infections, including but not limited to: -- Current or past infection withhepatitis B or C. -- Historically positive HIV test. -- Active tuberculosis.\n\n  5. Primary immunodeficiency";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        [
            "Active infections, including but not limited to:",
            "Current or past infection withhepatitis B or C.",
            "Historically positive HIV test.",
            "Active tuberculosis.",
            "Primary immunodeficiency"
        ]
    );
    assert_eq!(s.iter().map(|s| s.parent).collect::<Vec<_>>(), [None, Some(0), Some(0), Some(0), None]);
    assert_eq!(s[1].marker.as_deref(), Some("--"));
}

#[test]
fn inline_enumerations() {
    let s = seg("- Organ function: 1) ANC ≥ 1.5×10^9/L; 2) ALT ≤ 2.5×ULN; 3) creatinine ≤ 1.5×ULN");
    assert_eq!(texts(&s), ["Organ function:", "ANC ≥ 1.5×10^9/L;", "ALT ≤ 2.5×ULN;", "creatinine ≤ 1.5×ULN"]);
    assert_eq!(s[3].parent, Some(0));
    // A lone "b)" is not an enumeration.
    assert_eq!(seg("- Stage II or b) disease").len(), 1);
}

#[test]
fn run_on_text_is_split_into_sentences() {
    let text = "Adults aged 18-65 years, e.g. students vs. staff. Dr. Smith's clinic patients with BMI 1.5 above approx. normal are eligible. No prior surgery (i.e. none. Really) allowed! Consent required";
    assert_eq!(
        texts(&seg(text)),
        [
            "Adults aged 18-65 years, e.g. students vs. staff.",
            "Dr. Smith's clinic patients with BMI 1.5 above approx. normal are eligible.",
            "No prior surgery (i.e. none. Really) allowed!",
            "Consent required"
        ]
    );
}

#[test]
fn items_with_a_marker_are_not_split_into_sentences() {
    assert_eq!(seg("- Pregnant. Or breastfeeding.").len(), 1);
}

#[test]
fn empty_bullets_and_lead_ins() {
    // As in NCT00000378.
    let text = "        Inclusion Criteria:\n\n        -\n\n        Patients must have:\n\n        Unipolar major depression with or\n        without melancholia.\n\n        Exclusion Criteria:\n\n        -\n\n        Patients with the following symptoms or conditions are excluded:\n\n        Psychotic subtype of unipolar major depression.\n      ";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        ["Unipolar major depression with or without melancholia.", "Psychotic subtype of unipolar major depression."]
    );
    assert_eq!(s[0].heading.as_deref(), Some("Patients must have"));
    assert_eq!(s[1].section, Section::Exclusion);
}

#[test]
fn unmarked_lines_in_modern_text_are_separate_criteria() {
    let text = "Inclusion Criteria:\n\n Female patients aged 18 to 70 \n\n ECOG 0-1 \n\nExclusion Criteria:\n\n: \n\n Inflammatory breast cancer \n Distant metastasis";
    let s = seg(text);
    assert_eq!(
        texts(&s),
        ["Female patients aged 18 to 70", "ECOG 0-1", "Inflammatory breast cancer", "Distant metastasis"]
    );
}

#[test]
fn heading_glued_to_a_sentence() {
    let text = "        For complete criteria, please refer to the investigator. Inclusion\n        Criteria\n\n          1. Signed consent\n";
    let s = seg(text);
    assert_eq!(texts(&s), ["For complete criteria, please refer to the investigator.", "Signed consent"]);
    assert_eq!(s[1].section, Section::Inclusion);
}

#[test]
fn offsets_are_chars_not_bytes() {
    let text = "Inclusion Criteria:\n- Âge ≥ 18 ans\n- Créatinine ≤ 1,5 × LSN";
    let s = seg(text);
    assert_eq!(s[1].start, text[..text.find("Créatinine").unwrap()].chars().count());
    assert_eq!(s[1].end, text.chars().count());
}

#[test]
fn degenerate_inputs() {
    assert!(segment("").is_empty());
    assert!(segment("   \n\n  - \n * \n:").is_empty());
    assert!(segment("Inclusion Criteria:\nExclusion Criteria:").is_empty());
    assert_eq!(seg("\r\n- One\r\n- Two\r\n").len(), 2);
}

#[test]
fn segments_serialize_to_json_and_criteria() {
    let s = seg("Exclusion Criteria:\n- Pregnancy");
    let json = serde_json::to_value(&s[0]).unwrap();
    assert_eq!(json["section"], "exclusion");
    assert_eq!(json["marker"], "-");
    assert!(json.get("parent").is_none());
    let criterion = s[0].to_criterion();
    assert_eq!((criterion.start, criterion.end, criterion.text.as_str()), (s[0].start, s[0].end, "Pregnancy"));
}
