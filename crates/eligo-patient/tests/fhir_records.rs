//! Whole FHIR records, shaped as Synthea and common EHR exports write them: coded, boolean and
//! ratio observations, components, smoking status, inpatient encounters with reasons,
//! `medicationReference`s, document text, and ignored resource types summarised in one line.

use eligo_model::{Assertion, FactKind, QualifierKind};
use eligo_patient::fhir::read_bundle;

const NOTE_BASE64: &str = "UGF0aWVudCBhZG1pdHRlZCB3aXRoIGNvbW11bml0eS1hY3F1aXJlZCBwbmV1bW9uaWEuIEhpc3Rvcnkgb2YgdHlwZSAyIGRpYWJldGVzIG1lbGxpdHVzLiBObyBoaXN0b3J5IG9mIHN0cm9rZS4=";

fn bundle() -> String {
    format!(
        r#"{{"resourceType":"Bundle","type":"transaction","entry":[
  {{"fullUrl":"urn:uuid:p1","resource":{{"resourceType":"Patient","gender":"male","birthDate":"1961-05-04"}}}},
  {{"fullUrl":"urn:uuid:m1","resource":{{"resourceType":"Medication","id":"m1","code":{{"coding":[{{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"860975","display":"metformin hydrochloride 500 MG Oral Tablet"}}]}}}}}},
  {{"resource":{{"resourceType":"MedicationRequest","status":"active","intent":"order","medicationReference":{{"reference":"urn:uuid:m1"}},"authoredOn":"2026-01-03T10:00:00-05:00"}}}},
  {{"resource":{{"resourceType":"MedicationAdministration","status":"completed","medicationCodeableConcept":{{"text":"ceftriaxone"}},"effectiveDateTime":"2026-10-02T08:00:00Z"}}}},
  {{"resource":{{"resourceType":"MedicationRequest","medicationReference":{{"reference":"Medication/missing"}}}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"coding":[{{"system":"http://loinc.org","code":"85354-9","display":"Blood pressure panel"}}]}},"effectiveDateTime":"2026-10-01",
     "component":[{{"code":{{"text":"Diastolic Blood Pressure"}},"valueQuantity":{{"value":82,"unit":"mm[Hg]"}}}},{{"code":{{"text":"Systolic Blood Pressure"}},"valueQuantity":{{"value":141,"unit":"mm[Hg]"}}}}]}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"coding":[{{"system":"http://loinc.org","code":"72166-2","display":"Tobacco smoking status"}}]}},
     "valueCodeableConcept":{{"coding":[{{"system":"http://snomed.info/sct","code":"8517006","display":"Ex-smoker (finding)"}}]}}}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"text":"Hepatitis B virus surface Ag"}},"valueCodeableConcept":{{"text":"Not detected"}}}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"text":"HIV 1 Ab"}},"valueBoolean":false}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"text":"ANA titer"}},"valueRatio":{{"numerator":{{"value":1}},"denominator":{{"value":160}}}}}}}},
  {{"resource":{{"resourceType":"Observation","code":{{"text":"Housing status"}},"valueCodeableConcept":{{"text":"Lives alone"}}}}}},
  {{"resource":{{"resourceType":"Encounter","status":"finished","class":{{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"IMP"}},
     "reasonCode":[{{"coding":[{{"system":"http://snomed.info/sct","code":"233604007","display":"Pneumonia"}}]}}],"period":{{"start":"2026-10-01T09:00:00Z","end":"2026-10-06T12:00:00Z"}}}}}},
  {{"resource":{{"resourceType":"Encounter","status":"finished","class":{{"code":"AMB"}},"period":{{"start":"2026-03-01"}}}}}},
  {{"resource":{{"resourceType":"DocumentReference","status":"current","date":"2026-10-06T12:00:00Z","content":[{{"attachment":{{"contentType":"text/plain; charset=utf-8","data":"{NOTE_BASE64}"}}}}]}}}},
  {{"resource":{{"resourceType":"DocumentReference","status":"current","content":[{{"attachment":{{"contentType":"text/plain","data":"%%% not base64"}}}}]}}}},
  {{"resource":{{"resourceType":"DiagnosticReport","status":"final","code":{{"text":"Lipid panel"}}}}}},
  {{"resource":{{"resourceType":"Claim","status":"active"}}}},
  {{"resource":{{"resourceType":"Claim","status":"active"}}}},
  {{"resource":{{"resourceType":"ExplanationOfBenefit","status":"active"}}}}
]}}"#
    )
}

#[test]
fn observations_of_every_value_type_are_read() {
    let parsed = read_bundle(&bundle()).unwrap();
    let obs = &parsed.patient.observations;
    let value_of = |name: &str| obs.iter().find(|o| o.text.contains(name)).map(|o| o.value);
    assert_eq!(value_of("Systolic"), Some(141.0));
    assert_eq!(value_of("Diastolic"), Some(82.0));
    assert_eq!(value_of("ANA"), Some(160.0), "a titre 1:160 is 160");
    let fact = |name: &str| parsed.patient.facts.iter().find(|f| f.text.contains(name));
    assert_eq!(fact("Hepatitis B").unwrap().assertion, Assertion::Absent, "negative result");
    assert_eq!(fact("HIV").unwrap().assertion, Assertion::Absent, "valueBoolean false");
    let smoking = fact("tobacco").expect("smoking status becomes tobacco use");
    assert_eq!(smoking.assertion, Assertion::Historical);
    let unread = parsed.rejected.iter().find(|r| r.reason.starts_with("answers naming no finding:"));
    assert_eq!(unread.map(|r| r.reason.as_str()), Some("answers naming no finding: 1 Housing status"));
    assert!(!parsed.rejected.iter().any(|r| r.location.starts_with("entry[5]")), "UCUM mm[Hg] is understood");
}

#[test]
fn an_inpatient_stay_is_an_event_of_its_reason_dated_by_its_period() {
    let parsed = read_bundle(&bundle()).unwrap();
    let stays: Vec<_> = parsed
        .patient
        .facts
        .iter()
        .filter(|f| f.qualifiers.iter().any(|q| q.kind == QualifierKind::Event && q.value == "hospitalization"))
        .filter(|f| f.evidence.path.as_deref().is_some_and(|p| p.ends_with("].resource")))
        .collect();
    assert_eq!(stays.len(), 1, "one inpatient encounter, the ambulatory one adds nothing: {stays:?}");
    assert_eq!(stays[0].kind, FactKind::Condition);
    assert!(stays[0].text.contains("Pneumonia"));
    assert_eq!(stays[0].start.unwrap().to_string(), "2026-10-01");
    assert_eq!(stays[0].end.unwrap().to_string(), "2026-10-06");
}

#[test]
fn medication_references_resolve_inside_the_bundle() {
    let parsed = read_bundle(&bundle()).unwrap();
    let meds: Vec<&str> =
        parsed.patient.facts.iter().filter(|f| f.kind == FactKind::Medication).map(|f| f.text.as_str()).collect();
    assert!(meds.iter().any(|m| m.contains("metformin")), "{meds:?}");
    assert!(meds.iter().any(|m| m.contains("ceftriaxone")), "administrations are read: {meds:?}");
    let missing = parsed.rejected.iter().find(|r| r.location == "entry[4].resource").unwrap();
    assert!(missing.reason.contains("names no Medication"), "{}", missing.reason);
}

#[test]
fn document_text_is_read_as_a_note_and_marked_as_from_the_document() {
    let parsed = read_bundle(&bundle()).unwrap();
    let from_document: Vec<_> = parsed
        .patient
        .facts
        .iter()
        .filter(|f| f.evidence.path.as_deref() == Some("entry[13].resource.content[0]"))
        .collect();
    assert!(from_document.iter().any(|f| f.text.to_lowercase().contains("diabetes")), "{from_document:?}");
    let stroke = from_document.iter().find(|f| f.text.to_lowercase().contains("stroke")).expect("stroke read");
    assert_eq!(stroke.assertion, Assertion::Absent, "the note reader's negation holds in documents");
    assert!(stroke.evidence.span.is_some(), "the span points into the decoded text");
    let bad = parsed.rejected.iter().find(|r| r.location == "entry[14].resource").unwrap();
    assert!(bad.reason.contains("not base64"), "{}", bad.reason);
}

#[test]
fn ignored_resource_types_are_summarised_in_one_line() {
    let parsed = read_bundle(&bundle()).unwrap();
    let ignored: Vec<_> = parsed.rejected.iter().filter(|r| r.reason.starts_with("ignored:")).collect();
    assert_eq!(ignored.len(), 1, "{:?}", parsed.rejected);
    assert_eq!(ignored[0].reason, "ignored: 2 Claim, 1 ExplanationOfBenefit");
    assert!(!parsed.rejected.iter().any(|r| r.location == "entry[15].resource"), "a lab panel report is not an error");
}
