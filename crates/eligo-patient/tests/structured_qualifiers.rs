//! Qualifiers, tumour markers, planned therapy and consent in FHIR bundles and profiles. The
//! resources and profiles here are written for these tests.

use eligo_model::{Assertion, Patient, Polarity, Qualifier, QualifierKind};
use eligo_patient::{fhir::read_bundle, profile::read_profile};

fn has(qualifiers: &[Qualifier], kind: QualifierKind, value: &str) -> bool {
    qualifiers.iter().any(|q| q.kind == kind && q.value == value)
}

fn marker_unit<'a>(patient: &'a Patient, short: &str) -> Option<&'a str> {
    let id = format!("ELIGO:marker.{short}");
    patient.observations.iter().find(|o| o.test.as_ref().is_some_and(|t| t.id == id)).and_then(|o| o.unit.as_deref())
}

const BUNDLE: &str = r#"{"resourceType":"Bundle","entry":[
  {"resource":{"resourceType":"Condition","code":{"text":"HER2-positive carcinoma of the breast"},
     "clinicalStatus":{"coding":[{"code":"recurrence"}]},
     "severity":{"coding":[{"system":"http://snomed.info/sct","code":"6736007"}]},
     "stage":[{"summary":{"text":"Stage IIB"}},{"summary":{"text":"T2N1M0"}}],
     "bodySite":[{"text":"Left breast"}]}},
  {"resource":{"resourceType":"Observation","code":{"text":"KRAS gene mutation analysis"},
     "valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"260415000","display":"Not detected"}]}}},
  {"resource":{"resourceType":"Observation","code":{"text":"PD-L1 status"},"valueString":"Positive"}},
  {"resource":{"resourceType":"MedicationRequest","intent":"proposal","medicationCodeableConcept":{"text":"capecitabine"}}},
  {"resource":{"resourceType":"Procedure","status":"preparation","code":{"text":"mastectomy"}}}
]}"#;

#[test]
fn fhir_condition_elements_become_qualifiers() {
    let parsed = read_bundle(BUNDLE).unwrap();
    assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
    let cancer = &parsed.patient.facts[0];
    let q = &cancer.qualifiers;
    assert!(has(q, QualifierKind::Course, "recurrent"), "{q:?}");
    assert!(has(q, QualifierKind::Severity, "moderate"), "{q:?}");
    assert!(has(q, QualifierKind::Stage, "stage iib"), "{q:?}");
    assert!(has(q, QualifierKind::Stage, "t2n1m0"), "{q:?}");
    assert!(has(q, QualifierKind::Other, "left breast"), "{q:?}");
    let her2 = q.iter().find(|q| q.kind == QualifierKind::Biomarker).expect("a biomarker qualifier");
    assert_eq!((her2.value.as_str(), her2.polarity), ("her2 positive", Some(Polarity::Positive)));
    assert!(cancer.concepts.iter().all(|c| !c.id.starts_with("ICD10CM:Z17")));
}

#[test]
fn fhir_marker_observations_and_planned_therapy() {
    let patient = read_bundle(BUNDLE).unwrap().patient;
    assert_eq!(marker_unit(&patient, "her2"), Some("positive"));
    assert_eq!(marker_unit(&patient, "kras"), Some("negative"));
    assert_eq!(marker_unit(&patient, "pdl1"), Some("positive"));
    let assertion = |text: &str| patient.facts.iter().find(|f| f.text == text).map(|f| f.assertion);
    assert_eq!(assertion("capecitabine"), Some(Assertion::Planned));
    assert_eq!(assertion("mastectomy"), Some(Assertion::Planned));
}

#[test]
fn profile_qualifiers_as_words_or_objects_and_consent() {
    let parsed = read_profile(
        r#"{"consent": true,
            "conditions": [{"name": "multiple sclerosis",
                            "qualifiers": ["relapsing-remitting", {"kind": "activity", "value": "active"}, "blue"]},
                           {"name": "lung adenocarcinoma", "qualifiers": ["EGFR exon 19 deletion", "stage IV"]}]}"#,
    )
    .unwrap();
    let patient = &parsed.patient;
    assert_eq!(patient.consent.as_ref().map(|c| c.value), Some(true));
    let ms = &patient.facts[0].qualifiers;
    assert!(has(ms, QualifierKind::Course, "relapsing-remitting"), "{ms:?}");
    assert!(has(ms, QualifierKind::Activity, "active"), "{ms:?}");
    let places: Vec<&str> = parsed.rejected.iter().map(|r| r.location.as_str()).collect();
    assert_eq!(places, ["conditions[0].qualifiers[2]"]);
    let lung = &patient.facts[1].qualifiers;
    assert!(has(lung, QualifierKind::Stage, "stage iv"), "{lung:?}");
    assert!(has(lung, QualifierKind::Biomarker, "egfr positive"), "{lung:?}");
    assert_eq!(marker_unit(patient, "egfr"), Some("positive"));
}

proptest::proptest! {
    /// Any words in a condition's name, stage, severity or qualifiers, and any marker answer, read
    /// without panicking.
    #[test]
    fn any_words_in_structured_fields_read_without_panicking(words in "\\PC{0,80}") {
        let text = serde_json::Value::String(words).to_string();
        let bundle = format!(
            r#"{{"resourceType":"Bundle","entry":[
              {{"resource":{{"resourceType":"Condition","code":{{"text":{text}}},"severity":{{"text":{text}}},
                 "stage":[{{"summary":{{"text":{text}}}}}],"bodySite":[{{"text":{text}}}]}}}},
              {{"resource":{{"resourceType":"Observation","code":{{"text":{text}}},"valueString":{text}}}}}]}}"#
        );
        proptest::prop_assert!(read_bundle(&bundle).is_ok());
        let profile = format!(r#"{{"conditions":[{{"name":{text},"qualifiers":[{text}]}}]}}"#);
        proptest::prop_assert!(read_profile(&profile).is_ok());
    }
}
