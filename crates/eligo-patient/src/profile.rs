//! Eligo's structured patient profile (JSON). The schema is documented in
//! `docs/patient-profile.md`; in short:
//!
//! ```json
//! {"id": "p1", "birth_date": "2014-05-01", "sex": "female",
//!  "conditions": ["primary Sjögren's syndrome", {"name": "SLE", "onset": "2019-04", "status": "remission"}],
//!  "medications": [{"name": "rituximab", "start": "2026-07-20", "stop": "2026-08-10"},
//!                  {"name": "prednisone", "start": "2025-01", "dose": {"value": 10, "unit": "mg/day"}}],
//!  "labs": [{"name": "eGFR", "value": 95, "unit": "mL/min/1.73m2", "date": "2026-11-01"}],
//!  "absent": [{"kind": "condition", "name": "hepatitis B"}],
//!  "pregnant": false, "location": {"lat": 39.9, "lon": 116.4}}
//! ```
//!
//! The document is read as loose JSON first and every item is then typed on its own, so that one
//! bad lab value does not cost the rest of the chart.

use eligo_model::{
    Assertion, Evidence, FactKind, FactSource, GeoPoint, Noted, Patient, PatientSex, Qualifier, Quantity,
};
use serde::Deserialize;
use serde_json::Value;

use crate::build::{
    clinical_fact, name_qualifiers, observation, optional_date, parse_date, parse_status, stated_age, FactFields,
};
use crate::{ParsedPatient, PatientError, Rejected};

/// A list item: a bare name or an object.
#[derive(Deserialize)]
#[serde(untagged)]
enum ItemInput {
    Name(String),
    Full(FactInput),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FactInput {
    name: Option<String>,
    code: Option<String>,
    #[serde(alias = "onset", alias = "date")]
    start: Option<String>,
    #[serde(alias = "stop", alias = "resolved")]
    end: Option<String>,
    status: Option<String>,
    dose: Option<Quantity>,
    /// Only in `absent`: which kind of fact is absent.
    kind: Option<FactKind>,
    /// What narrows a condition: words ("stage IIIB", "HER2-negative") or qualifier objects.
    #[serde(default)]
    qualifiers: Vec<QualifierInput>,
}

/// A qualifier as words, read like a note's, or as the model's object
/// (`{"kind": "stage", "value": "stage iiib"}`).
#[derive(Deserialize)]
#[serde(untagged)]
enum QualifierInput {
    Words(String),
    Typed(Qualifier),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabInput {
    name: Option<String>,
    code: Option<String>,
    value: f64,
    unit: Option<String>,
    date: Option<String>,
    reference_high: Option<f64>,
    reference_low: Option<f64>,
}

/// The lists of a profile and the kind of fact each holds.
const FACT_LISTS: [(&str, FactKind); 5] = [
    ("conditions", FactKind::Condition),
    ("medications", FactKind::Medication),
    ("procedures", FactKind::Procedure),
    ("allergies", FactKind::Allergy),
    ("vaccinations", FactKind::Vaccination),
];

const KNOWN_FIELDS: [&str; 17] = [
    "id",
    "birth_date",
    "age",
    "sex",
    "conditions",
    "medications",
    "procedures",
    "allergies",
    "vaccinations",
    "labs",
    "vitals",
    "absent",
    "pregnant",
    "lactating",
    "childbearing_potential",
    "location",
    "consent",
];

/// Reads a profile document. Only a document that is not a JSON object fails as a whole.
pub fn read_profile(text: &str) -> Result<ParsedPatient, PatientError> {
    let value: Value = serde_json::from_str(text)?;
    let Value::Object(fields) = value else {
        return Err(PatientError::Shape("a patient profile must be a JSON object".into()));
    };
    let mut out = ParsedPatient::default();
    for key in fields.keys().filter(|k| !KNOWN_FIELDS.contains(&k.as_str())) {
        out.rejected.push(Rejected::new(key.clone(), "unknown field (ignored)"));
    }
    read_demographics(&fields, &mut out);
    for (list, kind) in FACT_LISTS {
        for_each_item(&fields, list, &mut out, |item, path, out| read_fact(item, Some(kind), path, out));
    }
    for_each_item(&fields, "absent", &mut out, |item, path, out| read_fact(item, None, path, out));
    for list in ["labs", "vitals"] {
        for_each_item(&fields, list, &mut out, read_lab);
    }
    Ok(out)
}

fn profile_evidence(path: &str, text: &str) -> Evidence {
    Evidence { source: FactSource::Profile, path: Some(path.to_string()), span: None, text: text.to_string() }
}

fn read_demographics(fields: &serde_json::Map<String, Value>, out: &mut ParsedPatient) {
    let patient: &mut Patient = &mut out.patient;
    let mut reject = |path: &str, reason: String| out.rejected.push(Rejected::new(path, reason));
    if let Some(id) = fields.get("id") {
        match id {
            Value::String(s) => patient.id = Some(s.clone()),
            Value::Number(n) => patient.id = Some(n.to_string()),
            _ => reject("id", "expected a string".into()),
        }
    }
    if let Some(raw) = fields.get("birth_date") {
        match raw.as_str().ok_or_else(|| "expected a date string".to_string()).and_then(parse_date) {
            Ok(date) => {
                patient.birth_date =
                    Some(Noted { value: date, evidence: profile_evidence("birth_date", &date.to_string()) })
            }
            Err(reason) => reject("birth_date", reason),
        }
    }
    if let Some(raw) = fields.get("age") {
        let years = raw.as_f64().ok_or_else(|| "expected a number of years".to_string());
        match years.and_then(|y| stated_age(y, profile_evidence("age", &y.to_string()))) {
            Ok(age) => patient.age = Some(age),
            Err(reason) => reject("age", reason),
        }
    }
    if let Some(raw) = fields.get("sex") {
        match raw.as_str().and_then(parse_sex) {
            Some(sex) => {
                patient.sex =
                    Some(Noted { value: sex, evidence: profile_evidence("sex", raw.as_str().unwrap_or_default()) })
            }
            None => reject("sex", format!("unknown sex {raw} (expected female, male or other)")),
        }
    }
    let flags = [
        ("pregnant", &mut patient.pregnant),
        ("lactating", &mut patient.lactating),
        ("childbearing_potential", &mut patient.childbearing_potential),
        ("consent", &mut patient.consent),
    ];
    for (key, slot) in flags {
        // `null` is how JSON says "not known": the flag stays unknown, as when the key is absent.
        if let Some(raw) = fields.get(key).filter(|raw| !raw.is_null()) {
            match raw.as_bool() {
                Some(flag) => *slot = Some(Noted { value: flag, evidence: profile_evidence(key, &flag.to_string()) }),
                None => reject(key, "expected true or false".into()),
            }
        }
    }
    if let Some(raw) = fields.get("location") {
        match serde_json::from_value::<GeoPoint>(raw.clone()) {
            Ok(point) if (-90.0..=90.0).contains(&point.lat) && (-180.0..=180.0).contains(&point.lon) => {
                patient.location = Some(Noted { value: point, evidence: profile_evidence("location", "") })
            }
            Ok(point) => reject("location", format!("impossible coordinates {}, {}", point.lat, point.lon)),
            Err(e) => reject("location", format!("expected {{\"lat\": .., \"lon\": ..}}: {e}")),
        }
    }
}

/// Reads `female`/`male`/`other` and their common spellings (FHIR `administrativeGender` too).
pub fn parse_sex(raw: &str) -> Option<PatientSex> {
    Some(match raw.trim().to_ascii_lowercase().as_str() {
        "female" | "f" | "woman" | "girl" => PatientSex::Female,
        "male" | "m" | "man" | "boy" => PatientSex::Male,
        "other" | "unknown" | "intersex" => PatientSex::Other,
        _ => return None,
    })
}

fn for_each_item(
    fields: &serde_json::Map<String, Value>,
    list: &str,
    out: &mut ParsedPatient,
    mut read: impl FnMut(Value, String, &mut ParsedPatient),
) {
    match fields.get(list) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                read(item.clone(), format!("{list}[{i}]"), out);
            }
        }
        Some(_) => out.rejected.push(Rejected::new(list, "expected a list")),
    }
}

/// `kind` is `None` for the `absent` list, whose items name their own kind.
fn read_fact(item: Value, kind: Option<FactKind>, path: String, out: &mut ParsedPatient) {
    let input = match serde_json::from_value::<ItemInput>(item) {
        Ok(ItemInput::Name(name)) => FactInput {
            name: Some(name),
            code: None,
            start: None,
            end: None,
            status: None,
            dose: None,
            kind: None,
            qualifiers: Vec::new(),
        },
        Ok(ItemInput::Full(full)) => full,
        Err(e) => return out.rejected.push(Rejected::new(path, format!("not a name or a fact object: {e}"))),
    };
    let result = (|| {
        let (kind, assertion) = match kind {
            Some(kind) => (kind, Assertion::Present),
            None => (input.kind.ok_or("an absent item needs a kind (condition, medication, ...)")?, Assertion::Absent),
        };
        let status = match input.status.as_deref() {
            Some(raw) => Some(parse_status(raw).ok_or_else(|| format!("unknown status {raw:?}"))?),
            None => None,
        };
        let text = input.name.as_deref().or(input.code.as_deref()).unwrap_or_default();
        let mut qualifiers = read_qualifier_inputs(input.qualifiers, &path, out);
        if kind == FactKind::Condition {
            let evidence = profile_evidence(&path, text);
            for q in name_qualifiers(text, &evidence, &mut out.patient.observations)? {
                if !qualifiers.contains(&q) {
                    qualifiers.push(q);
                }
            }
        }
        let fields = FactFields {
            kind,
            text,
            code: input.code.as_deref(),
            assertion: if status == Some(eligo_model::ConditionStatus::History) {
                Assertion::Historical
            } else {
                assertion
            },
            status,
            qualifiers,
            start: optional_date(input.start.as_deref())?,
            end: optional_date(input.end.as_deref())?,
            dose: input.dose,
        };
        clinical_fact(fields, FactSource::Profile, path.clone())
    })();
    match result {
        Ok(fact) => out.patient.facts.push(fact),
        Err(reason) => out.rejected.push(Rejected::new(path, reason)),
    }
}

/// A condition's qualifiers; a marker result among the words ("HER2-negative") is also recorded as
/// the marker's observation, as a note's would be.
fn read_qualifier_inputs(inputs: Vec<QualifierInput>, path: &str, out: &mut ParsedPatient) -> Vec<Qualifier> {
    let mut qualifiers: Vec<Qualifier> = Vec::new();
    for (i, input) in inputs.into_iter().enumerate() {
        let read = match input {
            QualifierInput::Typed(qualifier) => vec![qualifier],
            QualifierInput::Words(words) => {
                let where_ = format!("{path}.qualifiers[{i}]");
                let evidence = profile_evidence(&where_, &words);
                match name_qualifiers(&words, &evidence, &mut out.patient.observations) {
                    Ok(read) if !read.is_empty() => read,
                    Ok(_) => {
                        out.rejected.push(Rejected::new(where_, format!("no qualifier known in {words:?} (ignored)")));
                        Vec::new()
                    }
                    Err(reason) => {
                        out.rejected.push(Rejected::new(where_, reason));
                        Vec::new()
                    }
                }
            }
        };
        qualifiers.extend(read.into_iter().filter(|q| !qualifiers.contains(q)).collect::<Vec<_>>());
    }
    qualifiers
}

fn read_lab(item: Value, path: String, out: &mut ParsedPatient) {
    let result =
        serde_json::from_value::<LabInput>(item).map_err(|e| format!("not a lab object: {e}")).and_then(|lab| {
            let text = lab.name.as_deref().or(lab.code.as_deref()).unwrap_or_default().to_string();
            let date = optional_date(lab.date.as_deref())?;
            let evidence = profile_evidence(&path, &text);
            let mut obs =
                observation(&text, lab.code.as_deref(), Quantity { value: lab.value, unit: lab.unit }, date, evidence)?;
            (obs.reference_low, obs.reference_high) = reference_range(lab.reference_low, lab.reference_high)?;
            Ok(obs)
        });
    match result {
        Ok(obs) => out.patient.observations.push(obs),
        Err(reason) => out.rejected.push(Rejected::new(path, reason)),
    }
}

/// A lab's reference range as given: each limit a finite number not below zero, the lower not
/// above the upper. A range that cannot be true rejects the lab rather than judge it by nonsense.
fn reference_range(low: Option<f64>, high: Option<f64>) -> Result<(Option<f64>, Option<f64>), String> {
    for (name, limit) in [("reference_low", low), ("reference_high", high)] {
        if limit.is_some_and(|v| !v.is_finite() || v < 0.0) {
            return Err(format!("{name} must be a number of zero or more"));
        }
    }
    if let (Some(l), Some(h)) = (low, high) {
        if l > h {
            return Err(format!("reference_low {l} is above reference_high {h}"));
        }
    }
    Ok((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_profile_reads() {
        let parsed = read_profile(
            r#"{"id":"p1","birth_date":"2014-05-01","sex":"female",
                "conditions":["primary Sjögren's syndrome",{"name":"SLE","onset":"2019-04","status":"remission"}],
                "medications":[{"name":"Rituxan","start":"2026-07-20"}],
                "labs":[{"name":"eGFR","value":95,"unit":"mL/min/1.73m2","date":"2026-11-01"}],
                "absent":[{"kind":"condition","name":"hepatitis B"}],
                "pregnant":false}"#,
        )
        .unwrap();
        assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
        let p = parsed.patient;
        assert_eq!(p.sex.unwrap().value, PatientSex::Female);
        assert_eq!(p.facts.len(), 4);
        assert!(p.facts[2].concepts.iter().any(|c| c.id == "DRUG:rituximab"));
        assert_eq!(p.facts[3].assertion, Assertion::Absent);
        assert_eq!(p.observations[0].test.as_ref().unwrap().id, "ELIGO:lab.egfr");
        assert_eq!(p.facts[0].evidence.path.as_deref(), Some("conditions[0]"));
    }

    #[test]
    fn impossible_values_are_reported_and_the_rest_kept() {
        let parsed = read_profile(
            r#"{"age":-3,"sex":"female","conditions":["asthma",42],
                "labs":[{"name":"eGFR","value":1.1,"unit":"mg/dL"},{"name":"hemoglobin","value":12.1,"unit":"g/dL"}],
                "medications":[{"name":"prednisone","start":"2024-13-01"}],"colour":"blue"}"#,
        )
        .unwrap();
        let places: Vec<&str> = parsed.rejected.iter().map(|r| r.location.as_str()).collect();
        assert!(places.contains(&"age"), "{places:?}");
        assert!(places.contains(&"conditions[1]"));
        assert!(places.contains(&"labs[0]"));
        assert!(places.contains(&"medications[0]"));
        assert!(places.contains(&"colour"));
        assert_eq!(parsed.patient.observations.len(), 1);
        assert_eq!(parsed.patient.facts.len(), 1);
        assert_eq!(parsed.patient.sex.unwrap().value, PatientSex::Female);
    }

    #[test]
    fn a_yes_no_field_that_is_not_true_or_false_is_rejected_and_null_is_not_known() {
        let parsed = read_profile(
            r#"{"sex":"female","pregnant":"maybe","lactating":1,"childbearing_potential":null,
                "consent":true,"conditions":["asthma"]}"#,
        )
        .unwrap();
        let rejected: Vec<(&str, &str)> =
            parsed.rejected.iter().map(|r| (r.location.as_str(), r.reason.as_str())).collect();
        for key in ["pregnant", "lactating"] {
            assert!(rejected.contains(&(key, "expected true or false")), "{key}: {rejected:?}");
        }
        assert_eq!(rejected.len(), 2, "null is 'not known', not an error: {rejected:?}");
        let p = parsed.patient;
        // Unknown, not false: a wrong value must never answer a pregnancy rule for the patient.
        assert!(p.pregnant.is_none() && p.lactating.is_none() && p.childbearing_potential.is_none());
        assert_eq!(p.consent.map(|c| c.value), Some(true));
        assert_eq!(p.facts.len(), 1);
    }

    #[test]
    fn a_reference_range_that_cannot_be_true_rejects_its_lab() {
        let parsed = read_profile(
            r#"{"labs":[{"name":"potassium","value":4.0,"unit":"mmol/L","reference_low":5.0,"reference_high":3.5},
                        {"name":"sodium","value":140,"unit":"mmol/L","reference_low":-1},
                        {"name":"albumin","value":40,"unit":"g/L","reference_low":35,"reference_high":50}]}"#,
        )
        .unwrap();
        let rejected: Vec<(&str, &str)> =
            parsed.rejected.iter().map(|r| (r.location.as_str(), r.reason.as_str())).collect();
        assert_eq!(rejected.len(), 2, "{rejected:?}");
        assert!(rejected[0].0 == "labs[0]" && rejected[0].1.contains("above reference_high"), "{rejected:?}");
        assert!(rejected[1].0 == "labs[1]" && rejected[1].1.contains("reference_low"), "{rejected:?}");
        let kept = &parsed.patient.observations;
        assert_eq!((kept.len(), kept[0].reference_low, kept[0].reference_high), (1, Some(35.0), Some(50.0)));
    }

    #[test]
    fn a_document_that_is_not_an_object_fails_whole() {
        assert!(read_profile("[1,2]").is_err());
        assert!(read_profile("{").is_err());
    }
}
