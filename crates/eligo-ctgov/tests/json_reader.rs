//! API v2 JSON reader: every input layout, every module, and bad input.

mod common;

use common::{fixture, origin, read_json};
use eligo_ctgov::json::{self, JsonLayout};
use eligo_model::*;
use serde_json::{json, Value};

fn full_study() -> Value {
    serde_json::from_slice(&fixture("study_full.json")).unwrap()
}

fn minimal(nct: &str) -> Value {
    json!({"protocolSection": {"identificationModule": {"nctId": nct, "briefTitle": format!("Trial {nct}")}}})
}

fn lines(studies: &[Value]) -> Vec<u8> {
    studies.iter().map(|s| serde_json::to_string(s).unwrap() + "\n").collect::<String>().into_bytes()
}

#[test]
fn full_study_maps_identification_status_and_sponsors() {
    let (trial, warnings) = json::study_to_trial(&full_study(), &origin("study.json")).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(trial.id, "NCT06410833");
    assert_eq!(trial.nct_id.as_deref(), Some("NCT06410833"));
    assert_eq!(trial.org_study_id.as_deref(), Some("PUMCH-JSS-2024-01"));
    let k3926 = &trial.secondary_ids[0];
    assert_eq!((k3926.id.as_str(), k3926.kind), ("K3926", IdKind::Sponsor));
    assert_eq!(k3926.domain.as_deref(), Some("Peking Union Medical College Hospital ethics committee"));
    assert_eq!(trial.secondary_ids[1].kind, IdKind::Ctis);
    assert_eq!(trial.secondary_ids[2].kind, IdKind::Registry);
    assert_eq!(trial.brief_title.as_deref(), Some("Belimumab After Rituximab in Juvenile Sjögren's Disease"));
    assert!(trial.official_title.as_deref().unwrap().starts_with("A Randomized, Double-blind"));
    assert_eq!(trial.acronym.as_deref(), Some("BELIRIX-J"));
    assert_eq!(trial.overall_status, Some(OverallStatus::Recruiting));
    assert_eq!(trial.start_date, Some(TrialDate::new(PartialDate::ymd(2024, 6, 15), Some(Actuality::Actual))));
    let primary = trial.primary_completion_date.as_ref().unwrap();
    assert_eq!((primary.date.to_string(), primary.actuality.clone()), ("2026-12".into(), Some(Actuality::Estimated)));
    assert_eq!(trial.completion_date.as_ref().unwrap().date, PartialDate::ymd(2027, 6, 30));
    assert_eq!(trial.first_posted.as_ref().unwrap().date, PartialDate::ymd(2024, 5, 14));
    assert_eq!(trial.last_update_posted.as_ref().unwrap().date, PartialDate::ymd(2024, 9, 3));
    let lead = trial.lead_sponsor.as_ref().unwrap();
    assert_eq!(
        (lead.name.as_str(), lead.class.clone()),
        ("Peking Union Medical College Hospital", Some(AgencyClass::Other))
    );
    assert_eq!(trial.collaborators.len(), 2);
    assert_eq!(trial.collaborators[0].class, Some(AgencyClass::Industry));
}

#[test]
fn full_study_maps_description_design_and_arms() {
    let (trial, _) = json::study_to_trial(&full_study(), &origin("study.json")).unwrap();
    assert!(trial.brief_summary.as_deref().unwrap().starts_with("This study tests"));
    assert!(trial.detailed_description.as_deref().unwrap().contains("BAFF"));
    assert_eq!(trial.conditions, ["Sjogren's Syndrome", "Juvenile Sjögren's Disease"]);
    assert_eq!(trial.keywords.len(), 4);
    assert_eq!(trial.study_type, Some(StudyType::Interventional));
    assert_eq!(trial.phases, [Phase::Phase2, Phase::Phase3]);
    assert_eq!(trial.design.allocation, Some(Allocation::Randomized));
    assert_eq!(trial.design.intervention_model, Some(InterventionModel::Parallel));
    assert_eq!(trial.design.masking, Some(Masking::Quadruple));
    assert_eq!(trial.design.primary_purpose, Some(PrimaryPurpose::Treatment));
    assert_eq!(trial.enrollment, Some(Enrollment { count: 64, actuality: Some(Actuality::Estimated) }));
    assert_eq!(trial.arm_groups.len(), 2);
    assert_eq!(trial.arm_groups[1].kind, Some(ArmGroupType::PlaceboComparator));
    assert_eq!(trial.arm_groups[0].intervention_names, ["Drug: Rituximab", "Drug: Belimumab"]);
    let belimumab = &trial.interventions[0];
    assert_eq!(belimumab.name, "Belimumab");
    assert_eq!(belimumab.kind, Some(InterventionType::Drug));
    assert_eq!(belimumab.other_names, ["Benlysta", "GSK1550188"]);
    assert_eq!(belimumab.arm_group_labels, ["Rituximab then belimumab"]);
    assert!(belimumab.description.as_deref().unwrap().starts_with("10 mg/kg"));
    assert_eq!(trial.interventions[2].description, None);
}

#[test]
fn full_study_maps_eligibility_contacts_references_and_mesh() {
    let raw = full_study();
    let (trial, _) = json::study_to_trial(&raw, &origin("study.json")).unwrap();
    let criteria = raw.pointer("/protocolSection/eligibilityModule/eligibilityCriteria").unwrap().as_str().unwrap();
    assert_eq!(trial.eligibility.criteria_text.as_deref(), Some(criteria));
    assert_eq!(trial.eligibility.sex, Some(Sex::All));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(8.0)));
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(17.0)));
    assert_eq!(trial.eligibility.healthy_volunteers, Some(false));
    assert_eq!(trial.eligibility.std_ages, [StdAge::Child]);
    let central = &trial.central_contacts[0];
    assert_eq!(central.phone.as_deref(), Some("+86 10 6915 1234 ext. 302"));
    assert_eq!(central.role, Some(ContactRole::Contact));
    let official = &trial.overall_officials[0];
    assert_eq!(official.role, Some(ContactRole::PrincipalInvestigator));
    assert_eq!(official.affiliation.as_deref(), Some("Peking Union Medical College Hospital"));
    let site = &trial.locations[0];
    assert_eq!(site.city.as_deref(), Some("Beijing"));
    assert_eq!((site.zip.as_deref(), site.country.as_deref()), (Some("100730"), Some("China")));
    assert_eq!(site.status, Some(OverallStatus::Recruiting));
    assert_eq!(site.geo, Some(GeoPoint { lat: 39.91487, lon: 116.41698 }));
    assert_eq!(site.contacts.len(), 2);
    assert_eq!(trial.references[0].pmid.as_deref(), Some("31530580"));
    assert_eq!(trial.references[0].kind, Some(ReferenceType::Background));
    assert_eq!(trial.references[1].kind, Some(ReferenceType::Derived));
    assert_eq!(trial.condition_mesh, [MeshTerm { id: Some("D012859".into()), term: "Sjogren's Syndrome".into() }]);
    assert_eq!(trial.intervention_mesh.len(), 2);
}

#[test]
fn records_name_their_source_and_field_provenance() {
    let origin = origin("downloads/NCT06410833.json");
    let (trial, _) = json::study_to_trial(&full_study(), &origin).unwrap();
    assert_eq!(trial.sources, [origin.source_record()]);
    for field in ["nct_id", "brief_title", "conditions", "eligibility", "locations", "condition_mesh", "design"] {
        assert_eq!(trial.provenance.get(field).map(|p| p.source), Some(0), "{field}");
    }
    assert!(!trial.provenance.contains_key("plain_language"));
}

#[test]
fn pretty_printed_single_study_is_one_record() {
    let (got, summary) = read_json(&fixture("study_full.json"));
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT06410833"]);
    assert_eq!(got.records[0].location, "study 1");
    assert_eq!(summary.layout, JsonLayout::Study);
    assert_eq!((summary.records, summary.errors), (1, 0));
}

#[test]
fn api_page_streams_studies_and_reports_the_next_page_token() {
    let (got, summary) = read_json(&fixture("page_two_studies.json"));
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT04127747", "NCT05000012"]);
    assert_eq!(got.records[1].location, "study 2");
    assert_eq!(summary.layout, JsonLayout::Page);
    assert_eq!(summary.next_page_token.as_deref(), Some("NF0g5JGBlPAv"));
    assert_eq!(summary.total_count, Some(1234));
}

#[test]
fn pretty_printed_page_and_last_page_without_token() {
    let page: Value = serde_json::from_slice(&fixture("page_two_studies.json")).unwrap();
    let (got, summary) = read_json(serde_json::to_string_pretty(&page).unwrap().as_bytes());
    assert_eq!(got.ids(), ["NCT04127747", "NCT05000012"]);
    assert_eq!(summary.next_page_token.as_deref(), Some("NF0g5JGBlPAv"));
    let last = json!({"studies": [minimal("NCT00000001")]});
    let (got, summary) = read_json(last.to_string().as_bytes());
    assert_eq!((got.records.len(), summary.next_page_token), (1, None));
}

#[test]
fn top_level_array_of_studies() {
    let array = json!([minimal("NCT00000001"), full_study(), minimal("NCT00000003")]);
    for text in [array.to_string(), serde_json::to_string_pretty(&array).unwrap()] {
        let (got, summary) = read_json(text.as_bytes());
        assert!(got.errors.is_empty(), "{:?}", got.errors);
        assert_eq!(got.ids(), ["NCT00000001", "NCT06410833", "NCT00000003"]);
        assert_eq!(summary.layout, JsonLayout::Array);
    }
}

#[test]
fn json_lines_read_every_line() {
    let input = lines(&[minimal("NCT00000001"), full_study(), minimal("NCT00000003")]);
    let (got, summary) = read_json(&input);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT00000001", "NCT06410833", "NCT00000003"]);
    assert_eq!(got.records[2].location, "line 3");
    assert_eq!(summary.layout, JsonLayout::Lines);
}

#[test]
fn malformed_line_in_the_middle_is_reported_and_the_rest_read() {
    let mut input = lines(&[minimal("NCT00000001")]);
    input.extend_from_slice(b"{\"protocolSection\": {\"identificationModule\": {\"nctId\": \"NCT00000002\"}}, oops}\n");
    input.extend_from_slice(b"\n");
    input.extend(lines(&[minimal("NCT00000004")]));
    let (got, summary) = read_json(&input);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000004"]);
    assert_eq!(got.errors.len(), 1);
    let error = &got.errors[0];
    assert_eq!(error.location, "line 2");
    assert_eq!(error.nct_id.as_deref(), Some("NCT00000002"));
    assert!(error.reason.starts_with("malformed JSON"), "{}", error.reason);
    assert_eq!(error.uri, "test.json");
    assert_eq!((summary.records, summary.errors), (2, 1));
}

#[test]
fn json_lines_with_a_broken_first_line_are_still_lines() {
    let mut input = b"{\"protocolSection\": {\"identificationModule\": {\"nctId\": \"NCT0000\n".to_vec();
    input.extend(lines(&[minimal("NCT00000002"), minimal("NCT00000003")]));
    let (got, summary) = read_json(&input);
    assert_eq!(summary.layout, JsonLayout::Lines);
    assert_eq!(got.ids(), ["NCT00000002", "NCT00000003"]);
    assert_eq!(got.errors[0].location, "line 1");
}

#[test]
fn truncated_last_line_of_json_lines() {
    let mut input = lines(&[minimal("NCT00000001"), minimal("NCT00000002")]);
    input.extend_from_slice(b"{\"protocolSection\": {\"identificationModule\": {\"nctId\": \"NCT00000003\"");
    let (got, _) = read_json(&input);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000002"]);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].location, "line 3");
    assert_eq!(got.errors[0].nct_id.as_deref(), Some("NCT00000003"));
    assert!(got.errors[0].reason.starts_with("truncated"), "{}", got.errors[0].reason);
}

#[test]
fn truncated_page_keeps_the_studies_before_the_cut() {
    let page = json!({"studies": [minimal("NCT00000001"), minimal("NCT00000002"), full_study()], "nextPageToken": "x"});
    let text = serde_json::to_string_pretty(&page).unwrap();
    let cut = text.find("Peking Union").unwrap();
    let (got, _) = read_json(&text.as_bytes()[..cut]);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000002"]);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].location, "study 3");
    assert!(got.errors[0].reason.starts_with("truncated"), "{}", got.errors[0].reason);
}

#[test]
fn truncated_single_study_is_one_error() {
    let text = fixture("study_full.json");
    let (got, _) = read_json(&text[..text.len() / 2]);
    assert!(got.records.is_empty());
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].location, "study 1");
    assert!(got.errors[0].reason.contains("truncated"), "{}", got.errors[0].reason);
}

#[test]
fn wrong_json_type_is_an_error_naming_the_field() {
    let mut bad = minimal("NCT00000002");
    bad["protocolSection"]["conditionsModule"] = json!({"conditions": 5, "keywords": ["k"]});
    for input in [
        lines(&[minimal("NCT00000001"), bad.clone()]),
        json!({"studies": [minimal("NCT00000001"), bad]}).to_string().into_bytes(),
    ] {
        let (got, _) = read_json(&input);
        assert_eq!(got.ids(), ["NCT00000001"]);
        let error = &got.errors[0];
        assert_eq!(error.nct_id.as_deref(), Some("NCT00000002"));
        assert!(
            error.reason.starts_with("wrong JSON type at protocolSection.conditionsModule.conditions: invalid type"),
            "{}",
            error.reason
        );
    }
}

#[test]
fn missing_or_invalid_nct_id_is_an_error() {
    let no_id = json!({"protocolSection": {"identificationModule": {"briefTitle": "No ID"}}});
    let bad_id = minimal("NCT123");
    let not_a_study = json!({"hello": "world"});
    let (got, _) = read_json(&lines(&[no_id, bad_id, not_a_study, minimal("nct 0000-0004")]));
    assert_eq!(got.ids(), ["NCT00000004"]);
    let reasons: Vec<&str> = got.errors.iter().map(|e| e.reason.as_str()).collect();
    assert!(reasons[0].starts_with("missing NCT ID"), "{reasons:?}");
    assert!(reasons[1].starts_with("invalid NCT ID \"NCT123\""), "{reasons:?}");
    assert!(reasons[2].starts_with("no protocolSection"), "{reasons:?}");
}

#[test]
fn invalid_utf8_line_names_its_byte_offset() {
    let first = lines(&[minimal("NCT00000001")]);
    let mut input = first.clone();
    input.extend_from_slice(b"{\"protocolSection\": {\"identificationModule\": {\"nctId\": \"NCT00000002\", \"briefTitle\": \"caf\xE9\"}}}\n");
    input.extend(lines(&[minimal("NCT00000003")]));
    let (got, _) = read_json(&input);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000003"]);
    let offset = first.len() + input[first.len()..].iter().position(|&b| b == 0xE9).unwrap();
    assert_eq!(got.errors[0].reason, format!("not valid UTF-8 (byte offset {offset})"));
    assert_eq!(got.errors[0].location, "line 2");
    assert_eq!(got.errors[0].nct_id.as_deref(), Some("NCT00000002"));
}

#[test]
fn unknown_enum_values_are_kept_with_a_warning() {
    let mut study = minimal("NCT00000001");
    study["protocolSection"]["statusModule"] = json!({"overallStatus": "PAUSED"});
    study["protocolSection"]["designModule"] = json!({"phases": ["PHASE2", "PHASE5"]});
    let (got, _) = read_json(&lines(&[study]));
    let record = &got.records[0];
    assert_eq!(record.trial.overall_status, Some(OverallStatus::Unrecognized("PAUSED".into())));
    assert_eq!(record.trial.phases, [Phase::Phase2, Phase::Unrecognized("PHASE5".into())]);
    assert!(
        record.warnings.contains(&"unknown overallStatus \"PAUSED\" kept verbatim".to_string()),
        "{:?}",
        record.warnings
    );
    assert_eq!(record.warnings.len(), 2);
}

#[test]
fn unparseable_dates_and_ages_are_warnings_not_errors() {
    let mut study = minimal("NCT00000001");
    study["protocolSection"]["statusModule"] = json!({"startDateStruct": {"date": "sometime 2024", "type": "ACTUAL"}, "completionDateStruct": {"date": "2025-02-30"}});
    study["protocolSection"]["eligibilityModule"] = json!({"minimumAge": "eighteen", "maximumAge": "N/A"});
    let (got, _) = read_json(&lines(&[study]));
    let record = &got.records[0];
    assert_eq!((record.trial.start_date.clone(), record.trial.completion_date.clone()), (None, None));
    assert_eq!((record.trial.eligibility.minimum_age, record.trial.eligibility.maximum_age), (None, None));
    assert_eq!(record.warnings.len(), 3, "{:?}", record.warnings);
    assert!(record.warnings[0].contains("startDateStruct"), "{:?}", record.warnings);
}

#[test]
fn bom_crlf_and_blank_lines_are_tolerated() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend(lines(&[minimal("NCT00000001")]).iter().copied().filter(|&b| b != b'\n'));
    input.extend_from_slice(b"\r\n\r\n");
    input.extend(serde_json::to_string(&minimal("NCT00000002")).unwrap().bytes());
    input.extend_from_slice(b"\r\n");
    let (got, _) = read_json(&input);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000002"]);
    assert_eq!(got.records[1].location, "line 3");

    let mut document = b"\xEF\xBB\xBF".to_vec();
    document.extend(fixture("study_full.json"));
    assert_eq!(read_json(&document).0.ids(), ["NCT06410833"]);
}

#[test]
fn empty_and_non_json_input() {
    let (got, summary) = read_json(b"  \n\n");
    assert_eq!((got.records.len(), got.errors.len(), summary.layout), (0, 0, JsonLayout::Empty));
    let (got, _) = read_json(b"{\"studies\": 42}");
    assert_eq!(got.errors.len(), 1);
    let (got, _) = read_json(b"[1, 2]");
    assert_eq!(got.errors.len(), 2, "each non-object element is its own error");
    assert!(got.errors[0].reason.contains("expected a study object"), "{}", got.errors[0].reason);
}

#[test]
fn trailing_garbage_after_a_document_is_reported_after_its_records() {
    let mut input = fixture("page_two_studies.json");
    input.truncate(input.len() - 1);
    input.extend_from_slice(b" garbage");
    let (got, _) = read_json(&input);
    assert_eq!(got.records.len(), 2);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].location, "end of document");
    assert!(got.errors[0].reason.starts_with("unexpected content after the document"), "{}", got.errors[0].reason);
}

#[test]
fn study_from_str_matches_study_to_trial() {
    let value = full_study();
    let origin = origin("x");
    let from_value = json::study_to_trial(&value, &origin).unwrap();
    let from_text = json::study_from_str(&value.to_string(), &origin).unwrap();
    assert_eq!(from_value, from_text);
}

#[test]
fn wrong_type_in_a_single_study_document_is_one_error() {
    let mut study = full_study();
    study["protocolSection"]["designModule"]["enrollmentInfo"]["count"] = json!("sixty-four");
    let (got, _) = read_json(study.to_string().as_bytes());
    assert!(got.records.is_empty());
    assert_eq!(got.errors[0].location, "study 1");
    assert_eq!(got.errors[0].nct_id.as_deref(), Some("NCT06410833"));
    assert!(
        got.errors[0]
            .reason
            .starts_with("wrong JSON type at protocolSection.designModule.enrollmentInfo: invalid type"),
        "{}",
        got.errors[0].reason
    );
    let (got, _) = read_json(serde_json::to_string_pretty(&study).unwrap().as_bytes());
    assert!(got.errors[0].reason.starts_with("wrong JSON type (invalid type: string"), "{}", got.errors[0].reason);
}
