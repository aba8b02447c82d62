//! A trial as an HL7 FHIR R4 `ResearchStudy`.
//!
//! The registry record maps field by field: identifiers (NCT, org study ID,
//! secondary IDs), titles, the overall status mapped to the R4
//! `research-study-status` value set (the registry's own status is kept in an
//! extension, since R4 has no code for "unknown"), phase, conditions,
//! keywords, countries as `location`, sites as contained `Location`s, central
//! contacts, sponsor, period, arms, summary and description; eligibility is a
//! contained `Group` linked from `enrollment`, carrying the registry's sex and
//! age limits as characteristics and the criteria text as the reference's
//! display (where the clinical-trial-matching services put it).

use eligo_model::{Contact, Duration, Location, OverallStatus, Phase, Sex, Trial, TrialDate};
use serde_json::{json, Map, Value};

/// Base of the extension URLs Eligo defines (a reserved domain: these are
/// Eligo's own, described in `docs/fhir.md`).
pub const EXTENSION_BASE: &str = "https://eligo.invalid/fhir/StructureDefinition/";
/// The identifier system of NCT numbers.
pub const NCT_SYSTEM: &str = "http://clinicaltrials.gov";
const PHASE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/research-study-phase";
const GROUP_ID: &str = "eligibility";

/// The R4 `ResearchStudy` of `trial` (with its `Group` and site `Location`s
/// contained).
pub fn research_study(trial: &Trial) -> Value {
    let mut study = Map::new();
    study.insert("resourceType".into(), json!("ResearchStudy"));
    study.insert("id".into(), json!(fhir_id(&trial.id)));
    let mut contained = vec![eligibility_group(trial)];
    let sites: Vec<Value> = trial.locations.iter().enumerate().map(|(i, l)| site(i, l)).collect();
    let site_refs: Vec<Value> = (0..sites.len()).map(|i| json!({"reference": format!("#site-{i}")})).collect();
    contained.extend(sites);
    study.insert("contained".into(), Value::Array(contained));
    study.insert(
        "extension".into(),
        json!([{"url": format!("{EXTENSION_BASE}registry-status"), "valueString": registry_status(trial)}]),
    );
    study.insert("identifier".into(), Value::Array(identifiers(trial)));
    study.insert("title".into(), json!(trial.title()));
    study.insert("status".into(), json!(fhir_status(trial.overall_status.as_ref())));
    let phase = phase_code(&trial.phases);
    study.insert("phase".into(), json!({"coding": [{"system": PHASE_SYSTEM, "code": phase}], "text": phase}));
    insert_list(&mut study, "category", trial.study_type.iter().map(|t| json!({"text": t.label()})));
    insert_list(&mut study, "condition", trial.conditions.iter().map(|c| json!({"text": c})));
    insert_list(&mut study, "keyword", trial.keywords.iter().map(|k| json!({"text": k})));
    insert_list(&mut study, "location", countries(trial).map(|c| json!({"text": c})));
    insert_list(&mut study, "contact", trial.central_contacts.iter().filter_map(contact_detail));
    if let Some(description) = description(trial) {
        study.insert("description".into(), json!(description));
    }
    study.insert(
        "enrollment".into(),
        json!([{"reference": format!("#{GROUP_ID}"), "type": "Group", "display": trial.eligibility.criteria_text.as_deref().unwrap_or("")}]),
    );
    if let Some(period) = period(trial.start_date.as_ref(), trial.completion_date.as_ref()) {
        study.insert("period".into(), period);
    }
    if let Some(sponsor) = &trial.lead_sponsor {
        study.insert("sponsor".into(), json!({"display": sponsor.name}));
    }
    insert_list(&mut study, "site", site_refs.into_iter());
    insert_list(&mut study, "arm", trial.arm_groups.iter().map(arm));
    drop_empty_strings(&mut study);
    Value::Object(study)
}

/// A FHIR `id`: letters, digits, `-` and `.`, at most 64 characters. Registry
/// IDs are already of that shape; anything else is replaced by `-`.
pub fn fhir_id(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '-' }).take(64).collect()
}

/// The R4 `research-study-status` code for a registry status. R4 has no
/// "unknown": a status the registry no longer verifies counts as closed to
/// accrual (the registry's own value stays in the `registry-status`
/// extension).
pub fn fhir_status(status: Option<&OverallStatus>) -> &'static str {
    match status {
        Some(OverallStatus::Recruiting | OverallStatus::EnrollingByInvitation | OverallStatus::Available) => "active",
        Some(OverallStatus::NotYetRecruiting) => "approved",
        Some(OverallStatus::Suspended | OverallStatus::TemporarilyNotAvailable) => "temporarily-closed-to-accrual",
        Some(OverallStatus::Terminated) => "administratively-completed",
        Some(OverallStatus::Completed | OverallStatus::ApprovedForMarketing) => "completed",
        Some(OverallStatus::Withdrawn | OverallStatus::Withheld) => "withdrawn",
        _ => "closed-to-accrual",
    }
}

/// The registry statuses a FHIR status code stands for (the inverse of
/// [`fhir_status`] over the statuses the registry uses); `None` for a code
/// outside the R4 value set.
pub fn registry_statuses(fhir: &str) -> Option<&'static [&'static str]> {
    Some(match fhir {
        "active" => &["RECRUITING", "ENROLLING_BY_INVITATION", "AVAILABLE"],
        "approved" => &["NOT_YET_RECRUITING"],
        "temporarily-closed-to-accrual" => &["SUSPENDED", "TEMPORARILY_NOT_AVAILABLE"],
        "administratively-completed" => &["TERMINATED"],
        "completed" => &["COMPLETED", "APPROVED_FOR_MARKETING"],
        "withdrawn" => &["WITHDRAWN", "WITHHELD"],
        "closed-to-accrual" => &["ACTIVE_NOT_RECRUITING", "NO_LONGER_AVAILABLE", "UNKNOWN"],
        "closed-to-accrual-and-intervention"
        | "disapproved"
        | "in-review"
        | "temporarily-closed-to-accrual-and-intervention" => &[],
        _ => return None,
    })
}

fn registry_status(trial: &Trial) -> &str {
    trial.overall_status.as_ref().map_or("UNKNOWN", OverallStatus::as_api_str)
}

/// The R4 `research-study-phase` code: one registry phase, or the two-phase
/// codes for "Phase 1/Phase 2" and "Phase 2/Phase 3".
pub fn phase_code(phases: &[Phase]) -> &'static str {
    let has = |p: Phase| phases.contains(&p);
    match () {
        _ if has(Phase::Phase1) && has(Phase::Phase2) => "phase-1-phase-2",
        _ if has(Phase::Phase2) && has(Phase::Phase3) => "phase-2-phase-3",
        _ if has(Phase::Phase4) => "phase-4",
        _ if has(Phase::Phase3) => "phase-3",
        _ if has(Phase::Phase2) => "phase-2",
        _ if has(Phase::Phase1) => "phase-1",
        _ if has(Phase::EarlyPhase1) => "early-phase-1",
        _ => "n-a",
    }
}

fn identifiers(trial: &Trial) -> Vec<Value> {
    let mut ids = Vec::new();
    if let Some(nct) = &trial.nct_id {
        ids.push(json!({"use": "official", "system": NCT_SYSTEM, "value": nct}));
    }
    if let Some(org) = &trial.org_study_id {
        ids.push(json!({"use": "secondary", "type": {"text": "org study id"}, "value": org}));
    }
    for secondary in &trial.secondary_ids {
        ids.push(json!({"use": "secondary", "value": secondary.id}));
    }
    if ids.is_empty() {
        ids.push(json!({"use": "usual", "value": trial.id}));
    }
    ids
}

fn description(trial: &Trial) -> Option<String> {
    let parts: Vec<&str> =
        [&trial.brief_summary, &trial.detailed_description].into_iter().filter_map(|p| p.as_deref()).collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

/// Site countries, each once, in site order.
fn countries(trial: &Trial) -> impl Iterator<Item = &str> {
    let mut seen = Vec::new();
    trial.locations.iter().filter_map(|l| l.country.as_deref()).filter(move |c| {
        let new = !seen.contains(c);
        if new {
            seen.push(*c);
        }
        new
    })
}

fn contact_detail(contact: &Contact) -> Option<Value> {
    let telecom: Vec<Value> = [("phone", &contact.phone), ("email", &contact.email)]
        .into_iter()
        .filter_map(|(system, value)| value.as_deref().map(|v| json!({"system": system, "value": v})))
        .collect();
    if contact.name.is_none() && telecom.is_empty() {
        return None;
    }
    let mut detail = Map::new();
    if let Some(name) = &contact.name {
        detail.insert("name".into(), json!(name));
    }
    if !telecom.is_empty() {
        detail.insert("telecom".into(), Value::Array(telecom));
    }
    Some(Value::Object(detail))
}

fn site(index: usize, location: &Location) -> Value {
    let mut site = Map::new();
    site.insert("resourceType".into(), json!("Location"));
    site.insert("id".into(), json!(format!("site-{index}")));
    if let Some(name) = &location.facility {
        site.insert("name".into(), json!(name));
    }
    let mut address = Map::new();
    for (key, value) in [
        ("city", &location.city),
        ("state", &location.state),
        ("postalCode", &location.zip),
        ("country", &location.country),
    ] {
        if let Some(value) = value {
            address.insert(key.into(), json!(value));
        }
    }
    if !address.is_empty() {
        site.insert("address".into(), Value::Object(address));
    }
    if let Some(geo) = location.geo.filter(|g| g.is_valid()) {
        site.insert("position".into(), json!({"latitude": geo.lat, "longitude": geo.lon}));
    }
    Value::Object(site)
}

fn arm(arm: &eligo_model::ArmGroup) -> Value {
    let mut value = json!({"name": arm.label});
    if let Some(kind) = &arm.kind {
        value["type"] = json!({"text": kind.label()});
    }
    if let Some(description) = &arm.description {
        value["description"] = json!(description);
    }
    value
}

fn period(start: Option<&TrialDate>, end: Option<&TrialDate>) -> Option<Value> {
    let mut period = Map::new();
    if let Some(start) = start {
        period.insert("start".into(), json!(start.date.to_string()));
    }
    if let Some(end) = end {
        period.insert("end".into(), json!(end.date.to_string()));
    }
    (!period.is_empty()).then_some(Value::Object(period))
}

/// The eligibility `Group`: who the study is for, by the registry's limits.
fn eligibility_group(trial: &Trial) -> Value {
    let eligibility = &trial.eligibility;
    let mut characteristics = Vec::new();
    if let Some(sex) = eligibility.sex.as_ref().filter(|s| **s != Sex::All) {
        characteristics.push(json!({
            "code": {"text": "sex"},
            "valueCodeableConcept": {"text": sex.label().to_ascii_lowercase()},
            "exclude": false,
        }));
    }
    let age = |limit: &Option<Duration>| {
        limit.as_ref().map(|d| json!({"value": (d.as_years() * 100.0).round() / 100.0, "unit": "a", "system": "http://unitsofmeasure.org", "code": "a"}))
    };
    let (low, high) = (age(&eligibility.minimum_age), age(&eligibility.maximum_age));
    if low.is_some() || high.is_some() {
        let mut range = Map::new();
        if let Some(low) = low {
            range.insert("low".into(), low);
        }
        if let Some(high) = high {
            range.insert("high".into(), high);
        }
        characteristics.push(json!({"code": {"text": "age"}, "valueRange": range, "exclude": false}));
    }
    let mut group = json!({"resourceType": "Group", "id": GROUP_ID, "type": "person", "actual": false});
    if let Some(enrollment) = &trial.enrollment {
        group["quantity"] = json!(enrollment.count);
    }
    if !characteristics.is_empty() {
        group["characteristic"] = Value::Array(characteristics);
    }
    group
}

fn insert_list(map: &mut Map<String, Value>, key: &str, items: impl Iterator<Item = Value>) {
    let items: Vec<Value> = items.collect();
    if !items.is_empty() {
        map.insert(key.into(), Value::Array(items));
    }
}

/// FHIR forbids empty strings (`""` is not a valid value of any primitive):
/// drops every empty string value, and the objects and arrays left empty.
fn drop_empty_strings(map: &mut Map<String, Value>) {
    map.retain(|_, value| keep(value));
}

fn keep(value: &mut Value) -> bool {
    match value {
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(items) => {
            items.retain_mut(keep);
            !items.is_empty()
        }
        Value::Object(map) => {
            drop_empty_strings(map);
            !map.is_empty()
        }
        _ => true,
    }
}
