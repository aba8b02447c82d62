//! Real Synthea R4 bundles, as public repositories hold them (`fixtures/synthea/`, sources in
//! `SOURCES.md`): every entry is accounted for, the resources a chart relies on are read, and the
//! resource types no reader takes are summarised in one line.
//!
//! `cargo test -p eligo-patient --test synthea_bundles -- --nocapture` prints the facts read per
//! resource type; with `SYNTHEA_DIR` set (`scripts/fetch_synthea.sh`), for those bundles too.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use eligo_model::{Assertion, FactKind, QualifierKind};
use eligo_patient::fhir::read_bundle;
use eligo_patient::ParsedPatient;
use serde_json::Value;

const CARROLL: &str = "carroll471_ohara248.json";
const CECELIA: &str = "cecelia952_romaguera67.json";

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/synthea").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Per resource type: entries present, entries that gave at least one item, items read (facts,
/// observations, demographics).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Coverage {
    present: usize,
    entries_read: usize,
    items: usize,
}

/// The entry index an evidence path points into (`entry[12].resource.component[0]` → 12).
fn entry_index(path: &str) -> Option<usize> {
    path.strip_prefix("entry[")?.split(']').next()?.parse().ok()
}

fn coverage(bundle: &str, parsed: &ParsedPatient) -> BTreeMap<String, Coverage> {
    let value: Value = serde_json::from_str(bundle).expect("fixture is JSON");
    let kinds: Vec<String> = value["entry"]
        .as_array()
        .expect("a bundle with entries")
        .iter()
        .map(|e| e["resource"]["resourceType"].as_str().unwrap_or("(none)").to_string())
        .collect();
    let mut table: BTreeMap<String, Coverage> = BTreeMap::new();
    for kind in &kinds {
        table.entry(kind.clone()).or_default().present += 1;
    }
    let patient = &parsed.patient;
    let paths = patient
        .facts
        .iter()
        .map(|f| &f.evidence)
        .chain(patient.observations.iter().map(|o| &o.evidence))
        .chain(patient.sex.iter().map(|s| &s.evidence))
        .chain(patient.birth_date.iter().map(|b| &b.evidence))
        .filter_map(|e| e.path.as_deref().and_then(entry_index));
    let mut items_of_entry: BTreeMap<usize, usize> = BTreeMap::new();
    for index in paths {
        *items_of_entry.entry(index).or_default() += 1;
    }
    for (index, items) in items_of_entry {
        let row = table.entry(kinds[index].clone()).or_default();
        row.entries_read += 1;
        row.items += items;
    }
    table
}

fn print_table(name: &str, table: &BTreeMap<String, Coverage>, parsed: &ParsedPatient) {
    println!("\n{name}\n| resource type | entries | entries read | facts read |\n|---|---:|---:|---:|");
    for (kind, row) in table {
        println!("| {kind} | {} | {} | {} |", row.present, row.entries_read, row.items);
    }
    for rejected in &parsed.rejected {
        println!("  {}: {}", rejected.location, rejected.reason);
    }
}

fn read(name: &str) -> (ParsedPatient, BTreeMap<String, Coverage>) {
    let text = fixture(name);
    let parsed = read_bundle(&text).expect("a Synthea bundle is a Bundle");
    let table = coverage(&text, &parsed);
    print_table(name, &table, &parsed);
    (parsed, table)
}

fn row<'a>(table: &'a BTreeMap<String, Coverage>, kind: &str) -> &'a Coverage {
    table.get(kind).unwrap_or_else(|| panic!("no {kind} in {table:?}"))
}

#[test]
fn coded_and_component_observations_of_a_real_bundle_are_read() {
    let text = fixture(CARROLL);
    let value: Value = serde_json::from_str(&text).unwrap();
    let (parsed, table) = read(CARROLL);
    let observations = row(&table, "Observation");
    // Every Observation of this chart has a numeric, coded or component value: each one is read.
    assert_eq!(observations.entries_read, observations.present, "{:?}", parsed.rejected);
    let entries = value["entry"].as_array().unwrap();
    let read_from = |index: usize| {
        let prefix = format!("entry[{index}].resource");
        parsed
            .patient
            .facts
            .iter()
            .map(|f| &f.evidence)
            .chain(parsed.patient.observations.iter().map(|o| &o.evidence))
            .filter(|e| e.path.as_deref().is_some_and(|p| p == prefix || p.starts_with(&format!("{prefix}."))))
            .count()
    };
    let with = |key: &str| -> Vec<usize> {
        (0..entries.len())
            .filter(|&i| {
                entries[i]["resource"]["resourceType"] == "Observation" && entries[i]["resource"].get(key).is_some()
            })
            .collect()
    };
    let coded = with("valueCodeableConcept");
    let components = with("component");
    assert!(!coded.is_empty() && !components.is_empty(), "the fixture has both shapes");
    assert!(coded.iter().all(|&i| read_from(i) > 0), "every valueCodeableConcept observation gives a fact");
    assert!(components.iter().all(|&i| read_from(i) >= 2), "blood pressure gives systolic and diastolic");
    let systolic = parsed.patient.observations.iter().filter(|o| o.text.contains("Systolic")).count();
    assert_eq!(systolic, components.len());
    let home = parsed.patient.location.as_ref().expect("the geocoded home address places the patient");
    assert!((home.value.lat - 42.536).abs() < 0.01 && (home.value.lon + 71.649).abs() < 0.01, "{home:?}");
    let smoking = parsed.patient.facts.iter().find(|f| f.text == "tobacco use").expect("smoking status read");
    assert_eq!(smoking.assertion, Assertion::Absent, "Synthea's 'Never smoker'");
}

/// The facts read from the entries of one resource type.
fn facts_from<'a>(parsed: &'a ParsedPatient, bundle: &Value, kind: &str) -> Vec<&'a eligo_model::ClinicalFact> {
    let entries = bundle["entry"].as_array().expect("entries");
    parsed
        .patient
        .facts
        .iter()
        .filter(|f| {
            f.evidence
                .path
                .as_deref()
                .and_then(entry_index)
                .is_some_and(|i| entries[i]["resource"]["resourceType"] == kind)
        })
        .collect()
}

/// An emergency visit or hospital stay: a fact of its reason carrying the event, or (no reason
/// given, as Synthea writes them) the event itself; dated by the encounter's period.
fn is_event(fact: &eligo_model::ClinicalFact, event: &str) -> bool {
    fact.text == event || fact.qualifiers.iter().any(|q| q.kind == QualifierKind::Event && q.value == event)
}

#[test]
fn emergency_visits_are_dated_events() {
    let (parsed, _) = read(CARROLL);
    let bundle: Value = serde_json::from_str(&fixture(CARROLL)).unwrap();
    let visits = facts_from(&parsed, &bundle, "Encounter");
    assert_eq!(visits.len(), 2, "two emergency visits; the twelve ambulatory ones add nothing: {visits:?}");
    assert!(visits.iter().all(|f| is_event(f, "emergency visit") && f.start.is_some()), "{visits:?}");
}

#[test]
fn document_notes_and_inpatient_stays_of_a_real_bundle_are_read() {
    let (parsed, table) = read(CECELIA);
    let bundle: Value = serde_json::from_str(&fixture(CECELIA)).unwrap();
    let documents = row(&table, "DocumentReference");
    let entries = bundle["entry"].as_array().unwrap();
    let rejected_documents = parsed
        .rejected
        .iter()
        .filter_map(|r| entry_index(&r.location))
        .filter(|&i| entries[i]["resource"]["resourceType"] == "DocumentReference")
        .count();
    assert_eq!(rejected_documents, 0, "every note decodes and reads");
    // A newborn's notes say "No complaints" and nothing else a screening reads; the later ones
    // state smoking and the immunisations given.
    assert!(documents.entries_read * 10 >= documents.present * 9, "{documents:?}");
    let from_notes = facts_from(&parsed, &bundle, "DocumentReference");
    assert!(from_notes
        .iter()
        .all(|f| f.evidence.path.as_deref().is_some_and(|p| p.contains(".content[0]")) && f.evidence.span.is_some()));
    assert!(
        from_notes.iter().any(|f| f.text.contains("smok") && f.assertion == Assertion::Present),
        "'an active smoker'"
    );
    let stays = facts_from(&parsed, &bundle, "Encounter");
    assert_eq!(stays.len(), 2, "two inpatient stays, no reason coded: {stays:?}");
    assert!(stays.iter().all(|f| is_event(f, "hospitalization") && f.start.is_some() && f.end.is_some()));
    let tuberculosis = facts_from(&parsed, &bundle, "Condition");
    assert!(tuberculosis.iter().any(|f| f.text == "Tuberculosis" && f.start.is_some()));
}

#[test]
fn a_medication_reference_reads_like_the_code_it_points_to() {
    // The fixtures' Synthea version writes `medicationCodeableConcept`; US Core exports write the
    // same order as a `Medication` entry and a reference to it. Rewritten so, each real
    // MedicationRequest must give the same medication facts.
    let text = fixture(CARROLL);
    let direct = read_bundle(&text).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    let entries = value["entry"].as_array_mut().unwrap();
    let mut medications = Vec::new();
    for (i, entry) in entries.iter_mut().enumerate() {
        let resource = &mut entry["resource"];
        if resource["resourceType"] != "MedicationRequest" {
            continue;
        }
        let code = resource.as_object_mut().unwrap().remove("medicationCodeableConcept").expect("coded request");
        resource["medicationReference"] = serde_json::json!({"reference": format!("urn:uuid:med-{i}")});
        medications.push(serde_json::json!({"fullUrl": format!("urn:uuid:med-{i}"),
            "resource": {"resourceType": "Medication", "code": code}}));
    }
    assert!(!medications.is_empty(), "the fixture has medication requests");
    entries.extend(medications);
    let referenced = read_bundle(&value.to_string()).unwrap();
    let meds = |p: &ParsedPatient| -> Vec<(String, Vec<String>)> {
        p.patient
            .facts
            .iter()
            .filter(|f| f.kind == FactKind::Medication)
            .map(|f| (f.text.clone(), f.concepts.iter().map(|c| c.id.clone()).collect()))
            .collect()
    };
    assert_eq!(meds(&direct), meds(&referenced));
    assert!(!referenced.rejected.iter().any(|r| r.reason.contains("medicationReference")));
}

#[test]
fn ignored_resource_types_are_one_line_naming_each_type() {
    for name in [CARROLL, CECELIA] {
        let (parsed, table) = read(name);
        let ignored: Vec<_> = parsed.rejected.iter().filter(|r| r.reason.starts_with("ignored:")).collect();
        assert_eq!(ignored.len(), 1, "{name}: {:?}", parsed.rejected);
        let claims = row(&table, "Claim").present;
        assert!(ignored[0].reason.contains(&format!("{claims} Claim")), "{}", ignored[0].reason);
        let per_entry: Vec<_> = parsed.rejected.iter().filter(|r| r.location != "entry").collect();
        assert!(per_entry.is_empty(), "{name}: no entry of a real chart is refused: {per_entry:?}");
    }
}

/// Bundles fetched by `scripts/fetch_synthea.sh` into `SYNTHEA_DIR`: read whole, nothing fails as
/// a document, and the table is printed for `BENCHMARKS.md`.
#[test]
fn fetched_bundles_read_whole() {
    let Some(dir) = std::env::var_os("SYNTHEA_DIR").map(PathBuf::from) else {
        eprintln!("skipped: SYNTHEA_DIR not set (scripts/fetch_synthea.sh downloads the bundles)");
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut total: BTreeMap<String, Coverage> = BTreeMap::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = read_bundle(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (kind, row) in coverage(&text, &parsed) {
            let sum = total.entry(kind).or_default();
            sum.present += row.present;
            sum.entries_read += row.entries_read;
            sum.items += row.items;
        }
        let ignored = parsed.rejected.iter().filter(|r| r.reason.starts_with("ignored:")).count();
        assert!(ignored <= 1, "{}", file.display());
        print_table(&file.display().to_string(), &coverage(&text, &parsed), &parsed);
    }
    print_table(&format!("all {} bundles", files.len()), &total, &ParsedPatient::default());
}

#[test]
fn codes_of_a_real_bundle_resolve_through_the_code_map() {
    use eligo_vocab::{CodeMapping, CodeSystem, Vocabulary};
    let text = fixture(CARROLL);
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let parsed = read_bundle(&text).unwrap();
    let vocab = Vocabulary::embedded();
    // Each fact or observation of a coded entry (not a component): its concept and the code map's.
    let facts = parsed.patient.facts.iter().map(|f| (&f.evidence, f.concepts.first()));
    let observations = parsed.patient.observations.iter().map(|o| (&o.evidence, o.test.as_ref()));
    let mut checked = 0;
    for (evidence, concept) in facts.chain(observations) {
        let Some(path) = evidence.path.as_deref().filter(|p| p.ends_with("].resource")) else { continue };
        let resource = &bundle["entry"][entry_index(path).unwrap()]["resource"];
        let coding = resource.get("code").or_else(|| resource.get("medicationCodeableConcept"));
        let Some(coding) = coding.and_then(|c| c["coding"].get(0)) else { continue };
        let system = coding["system"].as_str().and_then(CodeSystem::from_uri);
        let code = coding["code"].as_str().unwrap_or_default();
        if let Some(CodeMapping::Concept(mapped)) = system.map(|s| vocab.map_code(s, code)) {
            assert_eq!(concept.map(|c| c.id.as_str()), Some(mapped.id.as_str()), "{}", evidence.text);
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} facts and observations resolved by code");
    let lab = |name: &str| parsed.patient.observations.iter().find(|o| o.text.starts_with(name)).expect(name);
    assert!(lab("Platelet mean volume").test.is_none(), "a LOINC test the vocabulary lacks is no other test");
    assert_eq!(lab("Platelets [#/volume]").test.as_ref().map(|t| t.id.as_str()), Some("ELIGO:lab.platelets"));
}
