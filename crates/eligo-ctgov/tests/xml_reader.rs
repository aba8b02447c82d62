//! Legacy `<clinical_study>` XML reader.

mod common;

use common::{fixture, read_xml};
use eligo_model::*;

fn study(nct: &str, extra: &str) -> String {
    format!("<clinical_study><id_info><nct_id>{nct}</nct_id></id_info><brief_title>Trial {nct}</brief_title>{extra}</clinical_study>")
}

#[test]
fn full_legacy_file_maps_identification_status_and_design() {
    let got = read_xml(&fixture("legacy_full.xml"));
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    let record = &got.records[0];
    assert!(record.warnings.is_empty(), "{:?}", record.warnings);
    assert_eq!(record.location, "study 1");
    let trial = &record.trial;
    assert_eq!((trial.id.as_str(), trial.nct_id.as_deref()), ("NCT00912345", Some("NCT00912345")));
    assert_eq!(trial.org_study_id.as_deref(), Some("LUP-MMF-07"));
    assert_eq!(trial.secondary_ids[0].kind, IdKind::EudraCt);
    assert_eq!(trial.secondary_ids[1].id, "R01AR054321");
    assert_eq!(trial.acronym.as_deref(), Some("MAINTAIN-LN"));
    assert!(trial.official_title.as_deref().unwrap().contains("Mofetil & Azathioprine"));
    assert_eq!(trial.overall_status, Some(OverallStatus::ActiveNotRecruiting));
    assert_eq!(trial.why_stopped, None);
    let start = trial.start_date.as_ref().unwrap();
    assert_eq!((start.date.to_string(), start.actuality.clone()), ("2009-03".into(), Some(Actuality::Actual)));
    assert_eq!(trial.completion_date.as_ref().unwrap().actuality, Some(Actuality::Estimated));
    assert_eq!(trial.primary_completion_date.as_ref().unwrap().date, PartialDate::ymd(2019, 6, 15));
    assert_eq!(trial.first_posted, Some(TrialDate::new(PartialDate::ymd(2009, 5, 28), Some(Actuality::Estimated))));
    assert_eq!(trial.last_update_posted.as_ref().unwrap().date, PartialDate::ymd(2020, 2, 11));
    assert_eq!(trial.phases, [Phase::Phase2, Phase::Phase3]);
    assert_eq!(trial.study_type, Some(StudyType::Interventional));
    assert_eq!(trial.design.allocation, Some(Allocation::Randomized));
    assert_eq!(trial.design.intervention_model, Some(InterventionModel::Parallel));
    assert_eq!(trial.design.primary_purpose, Some(PrimaryPurpose::Treatment));
    assert_eq!(trial.design.masking, Some(Masking::Double));
    assert_eq!(trial.enrollment, Some(Enrollment { count: 105, actuality: Some(Actuality::Actual) }));
}

#[test]
fn full_legacy_file_maps_people_places_and_text() {
    let got = read_xml(&fixture("legacy_full.xml"));
    let trial = &got.records[0].trial;
    let lead = trial.lead_sponsor.as_ref().unwrap();
    assert_eq!(
        (lead.name.as_str(), lead.class.clone()),
        ("Hôpital Européen Georges-Pompidou", Some(AgencyClass::Other))
    );
    assert_eq!(trial.collaborators[0].class, Some(AgencyClass::Nih));
    assert!(trial.brief_summary.as_deref().unwrap().starts_with("The purpose of this study"));
    assert!(trial.detailed_description.as_deref().unwrap().ends_with("36 months."));
    assert_eq!(trial.conditions, ["Lupus Nephritis", "Systemic Lupus Erythematosus"]);
    assert_eq!(trial.keywords, ["lupus nephritis", "maintenance"]);
    assert_eq!(trial.arm_groups[1].kind, Some(ArmGroupType::ActiveComparator));
    assert_eq!(trial.arm_groups[0].description.as_deref(), Some("MMF 2 g/day for 36 months."));
    let mmf = &trial.interventions[0];
    assert_eq!((mmf.name.as_str(), mmf.kind.clone()), ("Mycophenolate mofetil", Some(InterventionType::Drug)));
    assert_eq!(mmf.other_names, ["CellCept", "MMF"]);
    assert_eq!(mmf.arm_group_labels, ["Mycophenolate mofetil"]);
    assert_eq!(trial.eligibility.sex, Some(Sex::All));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::years(18.0)));
    assert_eq!(trial.eligibility.maximum_age, None);
    assert_eq!(trial.eligibility.healthy_volunteers, Some(false));
    let official = &trial.overall_officials[0];
    assert_eq!(official.name.as_deref(), Some("Jean-Charles Piette, MD"));
    assert_eq!(official.role, Some(ContactRole::PrincipalInvestigator));
    assert_eq!(trial.central_contacts[0].phone.as_deref(), Some("+33 1 56 09 20 00 ext. 4471"));
    assert_eq!(trial.locations.len(), 2);
    let paris = &trial.locations[0];
    assert_eq!(
        (paris.city.as_deref(), paris.zip.as_deref(), paris.country.as_deref()),
        (Some("Paris"), Some("75015"), Some("France"))
    );
    assert_eq!(paris.status, Some(OverallStatus::Recruiting));
    assert_eq!(paris.contacts.len(), 2);
    assert_eq!(paris.contacts[1].role, Some(ContactRole::PrincipalInvestigator));
    assert_eq!(trial.locations[1].state.as_deref(), Some("Catalonia"));
    assert_eq!(trial.references[0].pmid.as_deref(), Some("20837635"));
    assert_eq!(trial.references[1].kind, Some(ReferenceType::Result));
    assert_eq!(trial.condition_mesh[1].term, "Lupus Erythematosus, Systemic");
    assert_eq!(trial.intervention_mesh.len(), 2);
    assert_eq!(trial.sources[0].kind, SourceKind::CtgovXml);
    assert_eq!(trial.provenance["locations"].source, 0);
}

#[test]
fn criteria_textblock_is_kept_exactly_and_entity_decoded() {
    let raw = String::from_utf8(fixture("legacy_full.xml")).unwrap();
    let start = raw.find("<criteria>\n      <textblock>").unwrap() + "<criteria>\n      <textblock>".len();
    let end = start + raw[start..].find("</textblock>").unwrap();
    let expected = raw[start..end].replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
    let got = read_xml(raw.as_bytes());
    assert_eq!(got.records[0].trial.eligibility.criteria_text.as_deref(), Some(expected.as_str()));
}

#[test]
fn latin1_declared_encoding_is_honoured() {
    let text = study(
        "NCT00000001",
        "<condition>Maladie de Behçet</condition><overall_official><last_name>Müller</last_name></overall_official>",
    );
    let (latin1, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    let mut input = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".to_vec();
    input.extend_from_slice(&latin1);
    assert!(std::str::from_utf8(&input).is_err(), "the fixture really is latin-1");
    let got = read_xml(&input);
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    let trial = &got.records[0].trial;
    assert_eq!(trial.conditions, ["Maladie de Behçet"]);
    assert_eq!(trial.overall_officials[0].name.as_deref(), Some("Müller"));
}

#[test]
fn several_studies_under_a_wrapper_or_concatenated() {
    let wrapped = format!(
        "<?xml version=\"1.0\"?><search_results>{}{}</search_results>",
        study("NCT00000001", ""),
        study("NCT00000002", "")
    );
    let got = read_xml(wrapped.as_bytes());
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000002"]);
    assert_eq!(got.records[1].location, "study 2");

    let concatenated = format!("<?xml version=\"1.0\"?>\n{}\n{}\n", study("NCT00000001", ""), study("NCT00000002", ""));
    let got = read_xml(concatenated.as_bytes());
    assert!(got.errors.is_empty(), "{:?}", got.errors);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000002"]);
}

#[test]
fn missing_nct_id_is_an_error_and_the_next_study_is_read() {
    let input = format!(
        "<dump>{}<clinical_study><brief_title>No ID</brief_title></clinical_study>{}</dump>",
        study("NCT00000001", ""),
        study("NCT00000003", "")
    );
    let got = read_xml(input.as_bytes());
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000003"]);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].location, "study 2");
    assert!(got.errors[0].reason.starts_with("missing NCT ID"), "{}", got.errors[0].reason);
}

#[test]
fn mismatched_tags_fail_one_study_and_reading_resumes() {
    let broken = "<clinical_study><id_info><nct_id>NCT00000002</nct_id></id_info><brief_title>Oops</official_title></clinical_study>";
    let input = format!("<dump>{}{broken}{}</dump>", study("NCT00000001", ""), study("NCT00000003", ""));
    let got = read_xml(input.as_bytes());
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000003"]);
    assert_eq!(got.errors.len(), 1);
    let error = &got.errors[0];
    assert!(error.location.starts_with("study 2 (byte "), "{}", error.location);
    assert_eq!(error.nct_id.as_deref(), Some("NCT00000002"));
    assert!(error.reason.contains("</official_title> where </brief_title> was expected"), "{}", error.reason);
}

#[test]
fn truncated_file_keeps_earlier_studies() {
    let input = format!("<dump>{}{}", study("NCT00000001", ""), study("NCT00000002", ""));
    let got = read_xml(&input.as_bytes()[..input.len() - 30]);
    assert_eq!(got.ids(), ["NCT00000001"]);
    assert_eq!(got.errors.len(), 1);
    assert!(got.errors[0].location.starts_with("study 2"), "{}", got.errors[0].location);
    assert_eq!(got.errors[0].nct_id.as_deref(), Some("NCT00000002"));
}

#[test]
fn legacy_spellings_go_through_the_open_enums() {
    let extra = "<overall_status>Paused for lunch</overall_status><phase>N/A</phase><study_type>Observational [Patient Registry]</study_type>\
        <eligibility><gender>Female</gender><minimum_age>6 Months</minimum_age><maximum_age>65</maximum_age>\
        <healthy_volunteers>Accepts Healthy Volunteers</healthy_volunteers></eligibility>\
        <study_design_info><masking>None (Open Label)</masking><intervention_model>Crossover Assignment</intervention_model></study_design_info>\
        <start_date>Sometime</start_date>";
    let got = read_xml(study("NCT00000001", extra).as_bytes());
    let record = &got.records[0];
    let trial = &record.trial;
    assert_eq!(trial.overall_status, Some(OverallStatus::Unrecognized("Paused for lunch".into())));
    assert_eq!(trial.phases, [Phase::NotApplicable]);
    assert_eq!(trial.study_type, Some(StudyType::Observational));
    assert_eq!(trial.eligibility.sex, Some(Sex::Female));
    assert_eq!(trial.eligibility.minimum_age, Some(Duration::new(6.0, TimeUnit::Months)));
    assert_eq!(trial.eligibility.maximum_age, Some(Duration::years(65.0)));
    assert_eq!(trial.eligibility.healthy_volunteers, Some(true));
    assert_eq!(trial.design.masking, Some(Masking::None));
    assert_eq!(trial.design.intervention_model, Some(InterventionModel::Crossover));
    assert_eq!(trial.start_date, None);
    assert_eq!(
        record.warnings,
        ["unknown overall_status \"Paused for lunch\" kept verbatim", "unparseable start_date \"Sometime\" left empty"]
    );
}

#[test]
fn non_study_xml_and_invalid_bytes_are_errors() {
    let got = read_xml(b"<?xml version=\"1.0\"?><rss><channel/></rss>");
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].reason, "no <clinical_study> element found");

    let mut input = study("NCT00000001", "").into_bytes();
    input.extend_from_slice(b"<clinical_study><id_info><nct_id>NCT00000002</nct_id></id_info><brief_title>caf\xE9</brief_title></clinical_study>");
    let bad_at = input.iter().position(|&b| b == 0xE9).unwrap();
    input.extend(study("NCT00000003", "").into_bytes());
    let got = read_xml(&input);
    assert_eq!(got.ids(), ["NCT00000001", "NCT00000003"]);
    assert_eq!(got.errors.len(), 1);
    assert_eq!(got.errors[0].reason, format!("not valid UTF-8 (byte offset {bad_at})"));
    assert_eq!((got.errors[0].location.as_str(), got.errors[0].nct_id.as_deref()), ("study 2", Some("NCT00000002")));
}

#[test]
fn character_references_and_cdata_are_decoded() {
    let extra = "<condition>Behçet&#8217;s &#x26; &quot;more&quot;</condition><keyword><![CDATA[a < b]]></keyword><keyword>&nbsp;x</keyword>";
    let got = read_xml(study("NCT00000001", extra).as_bytes());
    let record = &got.records[0];
    assert_eq!(record.trial.conditions, ["Behçet\u{2019}s & \"more\""]);
    assert_eq!(record.trial.keywords, ["a < b", "&nbsp;x"]);
    assert_eq!(record.warnings, ["unknown entity &nbsp; kept as written"]);
}
