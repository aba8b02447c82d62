//! FHIR R4 `Bundle` → [`Patient`](eligo_model::Patient).
//!
//! Only the resources and elements a screening needs are typed here, with serde: Patient,
//! Condition, MedicationStatement/Request/Administration (`medicationCodeableConcept`, or
//! `medicationReference` resolved to a `Medication` of the same bundle), Observation (quantity,
//! coded, string, boolean and ratio values, `component`s, `interpretation`), Procedure,
//! AllergyIntolerance, Immunization; Encounter ([`encounter`]: hospital stays and emergency visits
//! as events of their reasons); DocumentReference, Composition and DiagnosticReport
//! ([`documents`]: their text read by the note reader). Resource types read by none of these are
//! counted and summarised in one line (`ignored: 85 Claim, 85 ExplanationOfBenefit`), as are
//! observations whose answer names no finding (`answers naming no finding: 34 TESTS ORDERED`).
//! Codings go through the vocabulary's code map (`eligo_vocab::Vocabulary::map_code`) before
//! display text is resolved; a geocoded `Patient.address` ([`address`]) places the patient. A full FHIR model crate was considered: the
//! generated R4 models on crates.io are large (tens of thousands of types, minutes of build on
//! this project's two cores) and would still need the same mapping code; the subset below is what
//! the mapping reads, and every element it ignores is simply skipped by serde.
//!
//! Each entry is typed on its own: an entry with an unknown `resourceType`, a malformed element or
//! an invalid date is reported (`entry[3].resource: ...`) and the rest of the bundle still counts.

use eligo_model::{
    Assertion, ConditionStatus, Evidence, FactKind, FactSource, Noted, Polarity, Qualifier, QualifierKind, Quantity,
};
use eligo_vocab::{Category, CodeMapping, CodeSystem, Vocabulary};
use serde::Deserialize;
use serde_json::Value;

use crate::build::{
    clinical_fact, marker_observation, name_qualifiers, observation, observation_of_test, optional_date, parse_date,
    FactFields,
};
use crate::markers::{marker_named_in, result_of_value};
use crate::profile::parse_sex;
use crate::qualifiers::read_qualifiers;
use crate::{ParsedPatient, PatientError, Rejected};

mod address;
mod documents;
mod encounter;

#[derive(Deserialize, Default, Clone)]
struct CodeableConcept {
    #[serde(default)]
    coding: Vec<Coding>,
    text: Option<String>,
}

#[derive(Deserialize, Clone)]
struct Coding {
    system: Option<String>,
    code: Option<String>,
    display: Option<String>,
}

impl CodeableConcept {
    /// The words to show and resolve: `text`, else the first coding's display, else its code.
    fn label(&self) -> String {
        self.text
            .clone()
            .or_else(|| self.coding.iter().find_map(|c| c.display.clone()))
            .or_else(|| self.coding.iter().find_map(|c| c.code.clone()))
            .unwrap_or_default()
    }

    /// What the codings mean through the vocabulary's code map (SNOMED CT, LOINC, RxNorm,
    /// ICD-10): the first coding that maps to a concept decides; the display text is the fallback
    /// the callers use when none does.
    fn coded(&self) -> Coded {
        let vocab = Vocabulary::embedded();
        let mut known_without_concept = false;
        for coding in &self.coding {
            let system = coding.system.as_deref().and_then(CodeSystem::from_uri);
            let (Some(system), Some(code)) = (system, coding.code.as_deref()) else { continue };
            match vocab.map_code(system, code) {
                CodeMapping::Concept(concept) => return Coded::Concept(concept.id.clone()),
                CodeMapping::NoConcept => known_without_concept = true,
                CodeMapping::Unknown => {}
            }
        }
        if known_without_concept {
            Coded::NoConcept
        } else {
            Coded::Unknown
        }
    }

    /// The vocabulary concept id the codings map to, if any.
    fn vocabulary_code(&self) -> Option<String> {
        match self.coded() {
            Coded::Concept(id) => Some(id),
            Coded::NoConcept | Coded::Unknown => None,
        }
    }

    fn has_code(&self, wanted: &[&str]) -> bool {
        self.coding.iter().any(|c| c.code.as_deref().is_some_and(|code| wanted.contains(&code)))
    }
}

/// A CodeableConcept read through the vocabulary's code map.
enum Coded {
    Concept(String),
    /// Coded in a system the map covers, with a code it knows has no concept.
    NoConcept,
    Unknown,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PatientResource {
    gender: Option<String>,
    birth_date: Option<String>,
    #[serde(default)]
    address: Vec<address::Address>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConditionResource {
    code: Option<CodeableConcept>,
    clinical_status: Option<CodeableConcept>,
    verification_status: Option<CodeableConcept>,
    severity: Option<CodeableConcept>,
    #[serde(default)]
    stage: Vec<ConditionStage>,
    #[serde(default)]
    body_site: Vec<CodeableConcept>,
    onset_date_time: Option<String>,
    abatement_date_time: Option<String>,
}

#[derive(Deserialize)]
struct ConditionStage {
    summary: Option<CodeableConcept>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Period {
    start: Option<String>,
    end: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct MedicationResource {
    medication_codeable_concept: Option<CodeableConcept>,
    medication_reference: Option<Reference>,
    status: Option<String>,
    /// MedicationRequest only: `proposal` and `plan` are not orders yet.
    intent: Option<String>,
    effective_date_time: Option<String>,
    effective_period: Option<Period>,
    authored_on: Option<String>,
}

#[derive(Deserialize)]
struct Reference {
    reference: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FhirQuantity {
    value: Option<f64>,
    unit: Option<String>,
    code: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReferenceRange {
    low: Option<FhirQuantity>,
    high: Option<FhirQuantity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObservationResource {
    code: Option<CodeableConcept>,
    value_quantity: Option<FhirQuantity>,
    value_codeable_concept: Option<CodeableConcept>,
    value_string: Option<String>,
    value_boolean: Option<bool>,
    value_ratio: Option<Ratio>,
    #[serde(default)]
    interpretation: Vec<CodeableConcept>,
    effective_date_time: Option<String>,
    #[serde(default)]
    reference_range: Vec<ReferenceRange>,
    #[serde(default)]
    component: Vec<ObservationComponent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ObservationComponent {
    code: Option<CodeableConcept>,
    value_quantity: Option<FhirQuantity>,
}

impl FhirQuantity {
    /// The unit as written, UCUM's bracketed atoms unbracketed ("mm[Hg]" → "mmHg",
    /// "[IU]/L" → "IU/L") so that the unit table reads them.
    fn plain_unit(&self) -> Option<String> {
        self.unit.as_deref().or(self.code.as_deref()).map(|u| u.replace(['[', ']'], ""))
    }
}

#[derive(Deserialize)]
struct Ratio {
    numerator: Option<FhirQuantity>,
    denominator: Option<FhirQuantity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct EventResource {
    code: Option<CodeableConcept>,
    vaccine_code: Option<CodeableConcept>,
    status: Option<String>,
    performed_date_time: Option<String>,
    performed_period: Option<Period>,
    occurrence_date_time: Option<String>,
    onset_date_time: Option<String>,
}

/// LOINC code of the tobacco smoking status observation.
const SMOKING_STATUS_LOINC: [&str; 1] = ["72166-2"];
/// LOINC codes of pregnancy status observations.
const PREGNANCY_STATUS_LOINC: [&str; 2] = ["82810-3", "11449-6"];
/// SNOMED CT codes meaning "pregnant" in a pregnancy status answer.
const PREGNANT_SNOMED: [&str; 1] = ["77386006"];

/// SNOMED CT severity codes (the `Condition.severity` value set).
const SEVERITY_SNOMED: [(&str, &str); 3] = [("24484000", "severe"), ("6736007", "moderate"), ("255604002", "mild")];
/// SNOMED CT answers and v3 interpretation codes that give a qualitative result.
const RESULT_CODES: [(&str, Polarity); 8] = [
    ("10828004", Polarity::Positive),
    ("260373001", Polarity::Positive),
    ("POS", Polarity::Positive),
    ("DET", Polarity::Positive),
    ("260385009", Polarity::Negative),
    ("260415000", Polarity::Negative),
    ("NEG", Polarity::Negative),
    ("ND", Polarity::Negative),
];
/// What a `Condition.clinicalStatus` code says about the disease as a qualifier.
const CLINICAL_STATUS_QUALIFIERS: [(&str, QualifierKind, &str); 5] = [
    ("active", QualifierKind::Activity, "active"),
    ("inactive", QualifierKind::Activity, "inactive"),
    ("remission", QualifierKind::Activity, "remission"),
    ("recurrence", QualifierKind::Course, "recurrent"),
    ("relapse", QualifierKind::Course, "relapsed"),
];

/// Reads a Bundle. Only a document that is not a Bundle fails as a whole.
pub fn read_bundle(text: &str) -> Result<ParsedPatient, PatientError> {
    let value: Value = serde_json::from_str(text)?;
    if value.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(PatientError::Shape("expected a FHIR resource with \"resourceType\": \"Bundle\"".into()));
    }
    let mut out = ParsedPatient::default();
    let entries = value.get("entry").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let medications = Medications::of(entries);
    let (mut ignored, mut no_finding) = (Counts::new(), Counts::new());
    let mut texts_read = documents::TextsRead::default();
    // Reports last: a note a report repeats is then the DocumentReference's (see `documents`).
    let is_report = |e: &Value| e.pointer("/resource/resourceType").and_then(Value::as_str) == Some("DiagnosticReport");
    let (reports, others): (Vec<_>, Vec<_>) = entries.iter().enumerate().partition(|(_, e)| is_report(e));
    for (i, entry) in others.into_iter().chain(reports) {
        let path = format!("entry[{i}].resource");
        let Some(resource) = entry.get("resource").cloned() else {
            out.rejected.push(Rejected::new(format!("entry[{i}]"), "no resource"));
            continue;
        };
        match read_resource(resource, &path, &medications, &mut texts_read, &mut out) {
            Ok(Read::Used) => {}
            Ok(Read::Ignored(kind)) => *ignored.entry(kind).or_default() += 1,
            Ok(Read::NoFinding(question)) => *no_finding.entry(question).or_default() += 1,
            Err(reason) => out.rejected.push(Rejected::new(path, reason)),
        }
    }
    if !no_finding.is_empty() {
        out.rejected.push(Rejected::new("entry", summary("answers naming no finding", &no_finding)));
    }
    if !ignored.is_empty() {
        out.rejected.push(Rejected::new("entry", summary("ignored", &ignored)));
    }
    Ok(out)
}

type Counts = std::collections::BTreeMap<String, usize>;

/// `ignored: 85 Claim, 85 ExplanationOfBenefit`, the most frequent first.
fn summary(what: &str, counts: &Counts) -> String {
    let mut counts: Vec<(&String, &usize)> = counts.iter().collect();
    counts.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let list: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    format!("{what}: {}", list.join(", "))
}

/// Whether a resource was read, is of a type no reader takes, or is an answer naming no finding
/// (by its question).
enum Read {
    Used,
    Ignored(String),
    NoFinding(String),
}

/// The bundle's `Medication` resources, by the references that can name them (`Medication/{id}`
/// and the entry's `fullUrl`).
struct Medications(std::collections::HashMap<String, CodeableConcept>);

impl Medications {
    fn of(entries: &[Value]) -> Self {
        let mut map = std::collections::HashMap::new();
        for entry in entries {
            let Some(resource) = entry.get("resource") else { continue };
            if resource.get("resourceType").and_then(Value::as_str) != Some("Medication") {
                continue;
            }
            let Some(code) = resource.get("code").and_then(|c| CodeableConcept::deserialize(c).ok()) else {
                continue;
            };
            if let Some(id) = resource.get("id").and_then(Value::as_str) {
                map.insert(format!("Medication/{id}"), code.clone());
            }
            if let Some(url) = entry.get("fullUrl").and_then(Value::as_str) {
                map.insert(url.to_string(), code);
            }
        }
        Medications(map)
    }

    fn resolve(&self, reference: &Reference) -> Result<CodeableConcept, String> {
        let target = reference.reference.as_deref().ok_or("medicationReference without a reference")?;
        if let Some(contained) = target.strip_prefix('#') {
            return Err(format!("medicationReference to contained #{contained} is not read"));
        }
        self.0
            .get(target)
            .cloned()
            .ok_or_else(|| format!("medicationReference {target:?} names no Medication in the bundle"))
    }
}

fn typed<T: serde::de::DeserializeOwned>(resource: Value, kind: &str) -> Result<T, String> {
    serde_json::from_value(resource).map_err(|e| format!("malformed {kind}: {e}"))
}

fn read_resource(
    resource: Value,
    path: &str,
    medications: &Medications,
    texts_read: &mut documents::TextsRead,
    out: &mut ParsedPatient,
) -> Result<Read, String> {
    let kind = resource.get("resourceType").and_then(Value::as_str).unwrap_or("(none)").to_string();
    match kind.as_str() {
        "Patient" => read_patient(typed(resource, &kind)?, path, out),
        "Condition" => read_condition(typed(resource, &kind)?, path, out),
        "MedicationStatement" | "MedicationRequest" | "MedicationAdministration" => {
            read_medication(typed(resource, &kind)?, medications, path, out)
        }
        "Observation" => return read_observation(typed(resource, &kind)?, path, out),
        "Procedure" | "AllergyIntolerance" | "Immunization" => read_event(typed(resource, &kind)?, &kind, path, out),
        "Encounter" => encounter::read_encounter(typed(resource, &kind)?, path, out),
        "DocumentReference" | "Composition" | "DiagnosticReport" => {
            documents::read_document(&resource, &kind, path, texts_read, out)
        }
        // Read before the entries, to resolve `medicationReference`s.
        "Medication" => return Ok(Read::Used),
        _ => return Ok(Read::Ignored(kind)),
    }?;
    Ok(Read::Used)
}

fn evidence(path: &str, text: &str) -> Evidence {
    Evidence { source: FactSource::Fhir, path: Some(path.to_string()), span: None, text: text.to_string() }
}

fn read_patient(resource: PatientResource, path: &str, out: &mut ParsedPatient) -> Result<(), String> {
    let mut problems = Vec::new();
    if let Some(raw) = resource.birth_date.as_deref() {
        match parse_date(raw) {
            Ok(date) => out.patient.birth_date = Some(Noted { value: date, evidence: evidence(path, raw) }),
            Err(reason) => problems.push(format!("birthDate: {reason}")),
        }
    }
    if let Some(raw) = resource.gender.as_deref() {
        match parse_sex(raw) {
            Some(sex) => out.patient.sex = Some(Noted { value: sex, evidence: evidence(path, raw) }),
            None => problems.push(format!("gender: unknown value {raw:?}")),
        }
    }
    if let Err(problem) = address::read_location(&resource.address, path, out) {
        problems.push(problem);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

fn code_of(concept: &Option<CodeableConcept>) -> &str {
    concept.as_ref().and_then(|c| c.coding.first()).and_then(|c| c.code.as_deref()).unwrap_or_default()
}

fn read_condition(resource: ConditionResource, path: &str, out: &mut ParsedPatient) -> Result<(), String> {
    let code = resource.code.unwrap_or_default();
    let verification = code_of(&resource.verification_status);
    let clinical = code_of(&resource.clinical_status);
    let assertion = match (verification, clinical) {
        ("refuted" | "entered-in-error", _) => Assertion::Absent,
        ("provisional" | "differential", _) => Assertion::Hypothetical,
        (_, "resolved" | "inactive") => Assertion::Historical,
        _ => Assertion::Present,
    };
    let status = match clinical {
        "remission" => Some(ConditionStatus::Remission),
        "resolved" | "inactive" => Some(ConditionStatus::History),
        "active" | "recurrence" | "relapse" => Some(ConditionStatus::Active),
        _ => None,
    };
    let dates = (resource.onset_date_time.as_deref(), resource.abatement_date_time.as_deref());
    let mut qualifiers =
        condition_qualifiers(&resource.stage, resource.severity.as_ref(), clinical, &resource.body_site);
    let label = code.label();
    for q in name_qualifiers(&label, &evidence(path, &label), &mut out.patient.observations)? {
        if !qualifiers.contains(&q) {
            qualifiers.push(q);
        }
    }
    push_fact(out, FactKind::Condition, &code, assertion, (status, qualifiers), dates, path)
}

/// Qualifiers from the structured elements of a Condition: `stage.summary` ("Stage IIIB", or as
/// written when the table does not know it: "T2N0M0"), `severity`, `clinicalStatus` and `bodySite`.
fn condition_qualifiers(
    stages: &[ConditionStage],
    severity: Option<&CodeableConcept>,
    clinical: &str,
    body_sites: &[CodeableConcept],
) -> Vec<Qualifier> {
    let plain = |kind, value: String| Qualifier { kind, value, concept: None, polarity: None };
    let mut out = Vec::new();
    for summary in stages.iter().filter_map(|s| s.summary.as_ref()) {
        let label = summary.label();
        let read: Vec<Qualifier> =
            read_qualifiers(&label).into_iter().filter(|q| q.kind == QualifierKind::Stage).collect();
        if read.is_empty() && !label.trim().is_empty() {
            out.push(plain(QualifierKind::Stage, label.trim().to_lowercase()));
        }
        out.extend(read);
    }
    if let Some(severity) = severity {
        let coded = SEVERITY_SNOMED.iter().find(|(code, _)| severity.has_code(&[code])).map(|(_, v)| v.to_string());
        let written = || {
            read_qualifiers(&severity.label()).into_iter().find(|q| q.kind == QualifierKind::Severity).map(|q| q.value)
        };
        if let Some(value) = coded.or_else(written) {
            out.push(plain(QualifierKind::Severity, value));
        }
    }
    if let Some((_, kind, value)) = CLINICAL_STATUS_QUALIFIERS.iter().find(|(code, ..)| *code == clinical) {
        out.push(plain(*kind, value.to_string()));
    }
    for site in body_sites {
        let label = site.label();
        if !label.trim().is_empty() {
            out.push(plain(QualifierKind::Other, label.trim().to_lowercase()));
        }
    }
    out
}

fn read_medication(
    resource: MedicationResource,
    medications: &Medications,
    path: &str,
    out: &mut ParsedPatient,
) -> Result<(), String> {
    let code = match (resource.medication_codeable_concept, &resource.medication_reference) {
        (Some(code), _) => code,
        (None, Some(reference)) => medications.resolve(reference)?,
        (None, None) => return Err("neither medicationCodeableConcept nor medicationReference".into()),
    };
    let planned = matches!(resource.intent.as_deref(), Some("proposal" | "plan"));
    let assertion = match resource.status.as_deref() {
        Some("not-taken" | "not-done" | "entered-in-error" | "cancelled") => Assertion::Absent,
        Some("intended" | "draft") => Assertion::Planned,
        _ if planned => Assertion::Planned,
        _ => Assertion::Present,
    };
    let (start, end) = match &resource.effective_period {
        Some(period) => (period.start.as_deref(), period.end.as_deref()),
        None => (resource.effective_date_time.as_deref().or(resource.authored_on.as_deref()), None),
    };
    push_fact(out, FactKind::Medication, &code, assertion, (None, Vec::new()), (start, end), path)
}

fn read_observation(mut resource: ObservationResource, path: &str, out: &mut ParsedPatient) -> Result<Read, String> {
    let code = resource.code.take().ok_or("no code")?;
    let date = optional_date(resource.effective_date_time.as_deref())?;
    if code.has_code(&PREGNANCY_STATUS_LOINC) {
        let answer = resource.value_codeable_concept.ok_or("pregnancy status without valueCodeableConcept")?;
        let pregnant = answer.has_code(&PREGNANT_SNOMED);
        out.patient.pregnant = Some(Noted { value: pregnant, evidence: evidence(path, &answer.label()) });
        return Ok(Read::Used);
    }
    if let Some(marker) = marker_named_in(&code.label()) {
        if let Some(polarity) = qualitative_result(&resource) {
            let obs = marker_observation(&marker, polarity, date, evidence(path, &code.label()))?;
            out.patient.observations.push(obs);
            return Ok(Read::Used);
        }
    }
    if code.has_code(&SMOKING_STATUS_LOINC) {
        return read_smoking_status(resource.value_codeable_concept.as_ref(), date, path, out).map(|()| Read::Used);
    }
    if !resource.component.is_empty() {
        return read_components(&resource.component, date, path, out).map(|()| Read::Used);
    }
    let label = code.label();
    if let Some(quantity) = numeric_value(&resource)? {
        let mut obs = measurement(&code, quantity, date, evidence(path, &label))?;
        obs.reference_high = resource.reference_range.iter().find_map(|r| r.high.as_ref()?.value);
        obs.reference_low = resource.reference_range.iter().find_map(|r| r.low.as_ref()?.value);
        out.patient.observations.push(obs);
        return Ok(Read::Used);
    }
    let dates = (resource.effective_date_time.as_deref(), None);
    let polarity = qualitative_result(&resource)
        .or_else(|| resource.value_boolean.map(|b| if b { Polarity::Positive } else { Polarity::Negative }));
    let Some(polarity) = polarity else {
        return read_answer(
            &code,
            resource.value_codeable_concept.as_ref(),
            resource.value_string.is_some(),
            dates,
            path,
            out,
        );
    };
    // A test found positive is a finding of what it tests for; negative, its documented absence.
    let assertion = if polarity == Polarity::Positive { Assertion::Present } else { Assertion::Absent };
    push_fact(out, FactKind::Condition, &code, assertion, (None, Vec::new()), dates, path)?;
    Ok(Read::Used)
}

/// An answer that is neither a number nor a positive/negative result (a survey or screening
/// question: "Review of tuberculosis screening questions: Fever"). An answer naming a condition is
/// that finding, present; any other ("Tests ordered: Widal test", "Urine color: Yellow") says
/// nothing a screening reads and is counted by its question for the bundle's one-line summary.
fn read_answer(
    question: &CodeableConcept,
    answer: Option<&CodeableConcept>,
    written: bool,
    dates: (Option<&str>, Option<&str>),
    path: &str,
    out: &mut ParsedPatient,
) -> Result<Read, String> {
    let Some(answer) = answer else {
        return if written { Ok(Read::NoFinding(question.label())) } else { Err("no value".into()) };
    };
    let id = answer.vocabulary_code();
    if crate::resolve_concepts(&answer.label(), id.as_deref(), &[Category::Condition]).is_empty() {
        return Ok(Read::NoFinding(question.label()));
    }
    push_fact(out, FactKind::Condition, answer, Assertion::Present, (None, Vec::new()), dates, path)?;
    Ok(Read::Used)
}

/// A measured value of the coded test: the code map's concept; none for a code it knows the
/// vocabulary lacks (never another test its name shares words with); else resolved from the name.
fn measurement(
    code: &CodeableConcept,
    quantity: Quantity,
    date: Option<chrono::NaiveDate>,
    evidence: Evidence,
) -> Result<eligo_model::Observation, String> {
    let label = code.label();
    match code.coded() {
        Coded::Concept(id) => observation(&label, Some(&id), quantity, date, evidence),
        Coded::NoConcept => observation_of_test(&label, None, quantity, date, evidence),
        Coded::Unknown => observation(&label, None, quantity, date, evidence),
    }
}

/// A number: `valueQuantity`, or `valueRatio` as numerator ÷ denominator (a titre 1:160 is 160).
fn numeric_value(resource: &ObservationResource) -> Result<Option<Quantity>, String> {
    if let Some(quantity) = &resource.value_quantity {
        let value = quantity.value.ok_or("valueQuantity without a value")?;
        return Ok(Some(Quantity { value, unit: quantity.plain_unit() }));
    }
    let Some(ratio) = &resource.value_ratio else { return Ok(None) };
    let part = |q: &Option<FhirQuantity>| q.as_ref().and_then(|q| q.value);
    let (Some(numerator), Some(denominator)) = (part(&ratio.numerator), part(&ratio.denominator)) else {
        return Err("valueRatio without numerator and denominator values".into());
    };
    if denominator == 0.0 || numerator == 0.0 {
        return Err("valueRatio with a zero term".into());
    }
    let value = if numerator == 1.0 { denominator } else { numerator / denominator };
    let unit = ratio.numerator.as_ref().and_then(FhirQuantity::plain_unit);
    Ok(Some(Quantity { value, unit }))
}

/// Each component with a number is an observation of its own (blood pressure: systolic and
/// diastolic); components without one are skipped.
fn read_components(
    components: &[ObservationComponent],
    date: Option<chrono::NaiveDate>,
    path: &str,
    out: &mut ParsedPatient,
) -> Result<(), String> {
    let mut read = 0;
    let mut problems = Vec::new();
    for (i, component) in components.iter().enumerate() {
        let (Some(code), Some(quantity)) = (&component.code, &component.value_quantity) else { continue };
        let Some(value) = quantity.value else { continue };
        let label = code.label();
        let place = format!("{path}.component[{i}]");
        let quantity = Quantity { value, unit: quantity.plain_unit() };
        // A component that cannot be used is named alone; its siblings still count.
        match measurement(code, quantity, date, evidence(&place, &label)) {
            Ok(obs) => {
                out.patient.observations.push(obs);
                read += 1;
            }
            Err(reason) => problems.push(Rejected::new(place, reason)),
        }
    }
    out.rejected.extend(problems.iter().cloned());
    if read == 0 && problems.is_empty() {
        return Err("components without numeric values".into());
    }
    Ok(())
}

/// LOINC 72166-2 "Tobacco smoking status": the answer becomes a tobacco-use fact, present for a
/// current smoker, historical for a former one, absent for one who never smoked.
fn read_smoking_status(
    answer: Option<&CodeableConcept>,
    date: Option<chrono::NaiveDate>,
    path: &str,
    out: &mut ParsedPatient,
) -> Result<(), String> {
    let answer = answer.ok_or("smoking status without valueCodeableConcept")?;
    let label = answer.label().to_lowercase();
    let assertion = match () {
        _ if label.contains("never") => Assertion::Absent,
        _ if label.contains("former") || label.contains("ex-smoker") => Assertion::Historical,
        _ if label.contains("smoker") || label.contains("smokes") => Assertion::Present,
        _ => return Err(format!("smoking status {label:?} not understood")),
    };
    let fields = FactFields {
        kind: FactKind::Condition,
        text: "tobacco use",
        code: None,
        assertion,
        status: None,
        qualifiers: Vec::new(),
        start: date,
        end: None,
        dose: None,
    };
    let mut fact = clinical_fact(fields, FactSource::Fhir, path.to_string())?;
    fact.evidence.text = answer.label();
    out.patient.facts.push(fact);
    Ok(())
}

/// A qualitative result: a coded or written answer ("Positive", "Not detected", SNOMED
/// 10828004), else the interpretation (POS, NEG).
fn qualitative_result(resource: &ObservationResource) -> Option<Polarity> {
    let coded = |concept: &CodeableConcept| {
        RESULT_CODES
            .iter()
            .find(|(code, _)| concept.has_code(&[code]))
            .map(|(_, p)| *p)
            .or_else(|| result_of_value(&concept.label()))
    };
    resource
        .value_codeable_concept
        .as_ref()
        .and_then(coded)
        .or_else(|| resource.value_string.as_deref().and_then(result_of_value))
        .or_else(|| resource.interpretation.iter().find_map(coded))
}

fn read_event(resource: EventResource, kind: &str, path: &str, out: &mut ParsedPatient) -> Result<(), String> {
    let (fact_kind, code) = match kind {
        "Immunization" => (FactKind::Vaccination, resource.vaccine_code),
        "AllergyIntolerance" => (FactKind::Allergy, resource.code),
        _ => (FactKind::Procedure, resource.code),
    };
    let code = code.ok_or("no code")?;
    let assertion = match resource.status.as_deref() {
        Some("not-done" | "entered-in-error") => Assertion::Absent,
        Some("preparation") => Assertion::Planned,
        _ => Assertion::Present,
    };
    let (start, end) = match &resource.performed_period {
        Some(period) => (period.start.as_deref(), period.end.as_deref()),
        None => (
            resource
                .performed_date_time
                .as_deref()
                .or(resource.occurrence_date_time.as_deref())
                .or(resource.onset_date_time.as_deref()),
            None,
        ),
    };
    push_fact(out, fact_kind, &code, assertion, (None, Vec::new()), (start, end), path)
}

/// Adds the fact a coded element names, with its status, qualifiers and (start, end) dates.
fn push_fact(
    out: &mut ParsedPatient,
    kind: FactKind,
    code: &CodeableConcept,
    assertion: Assertion,
    (status, qualifiers): (Option<ConditionStatus>, Vec<Qualifier>),
    (start, end): (Option<&str>, Option<&str>),
    path: &str,
) -> Result<(), String> {
    let (label, vocabulary_code) = (code.label(), code.vocabulary_code());
    let fields = FactFields {
        kind,
        text: &label,
        code: vocabulary_code.as_deref(),
        assertion,
        status,
        qualifiers,
        start: optional_date(start)?,
        end: optional_date(end)?,
        dose: None,
    };
    out.patient.facts.push(clinical_fact(fields, FactSource::Fhir, path.to_string())?);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::PatientSex;

    const BUNDLE: &str = r#"{"resourceType":"Bundle","type":"collection","entry":[
      {"resource":{"resourceType":"Patient","gender":"female","birthDate":"1986-02-14"}},
      {"resource":{"resourceType":"Condition","code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10-cm","code":"M32.14","display":"Glomerular disease in SLE"}],"text":"lupus nephritis"},
                   "clinicalStatus":{"coding":[{"code":"remission"}]},"onsetDateTime":"2019-04-02"}},
      {"resource":{"resourceType":"MedicationStatement","status":"active","medicationCodeableConcept":{"text":"prednisone 10 mg"},"effectivePeriod":{"start":"2025-01-10"}}},
      {"resource":{"resourceType":"MedicationRequest","medicationCodeableConcept":{"coding":[{"display":"Rituxan"}]},"authoredOn":"2026-07-20"}},
      {"resource":{"resourceType":"Observation","code":{"text":"eGFR"},"valueQuantity":{"value":88,"unit":"mL/min/1.73m2"},"effectiveDateTime":"2026-11-01"}},
      {"resource":{"resourceType":"Observation","code":{"text":"ALT"},"valueQuantity":{"value":30,"unit":"U/L"},"referenceRange":[{"high":{"value":40}}]}},
      {"resource":{"resourceType":"Procedure","code":{"text":"kidney biopsy"},"performedDateTime":"2019-04-01"}},
      {"resource":{"resourceType":"Immunization","vaccineCode":{"text":"influenza vaccine"},"occurrenceDateTime":"2025-10-01"}},
      {"resource":{"resourceType":"AllergyIntolerance","code":{"text":"penicillin"}}},
      {"resource":{"resourceType":"Claim","status":"active"}},
      {"resource":{"resourceType":"Condition","code":{"text":"asthma"},"onsetDateTime":"2019-02-31"}},
      {"fullUrl":"urn:uuid:1"}
    ]}"#;

    #[test]
    fn a_bundle_becomes_a_patient_and_bad_entries_are_named() {
        let parsed = read_bundle(BUNDLE).unwrap();
        let p = &parsed.patient;
        assert_eq!(p.sex.as_ref().unwrap().value, PatientSex::Female);
        assert_eq!(p.birth_date.as_ref().unwrap().value.to_string(), "1986-02-14");
        let sle = &p.facts[0];
        assert_eq!(sle.concepts[0].id, "ICD10CM:M32.14");
        assert_eq!(sle.status, Some(ConditionStatus::Remission));
        assert!(p.facts.iter().any(|f| f.concepts.iter().any(|c| c.id == "DRUG:rituximab")));
        assert_eq!(p.observations.len(), 2);
        assert_eq!(p.observations[1].reference_high, Some(40.0));
        assert_eq!(p.facts.iter().filter(|f| f.kind == FactKind::Vaccination).count(), 1);
        let places: Vec<&str> = parsed.rejected.iter().map(|r| r.location.as_str()).collect();
        assert_eq!(places, ["entry[10].resource", "entry[11]", "entry"], "{:?}", parsed.rejected);
        assert!(parsed.rejected[0].reason.contains("invalid date"));
        assert_eq!(parsed.rejected[2].reason, "ignored: 1 Claim");
    }

    #[test]
    fn a_refuted_condition_is_an_explicit_absence() {
        let parsed = read_bundle(
            r#"{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"text":"tuberculosis"},
               "verificationStatus":{"coding":[{"code":"refuted"}]}}}]}"#,
        )
        .unwrap();
        assert_eq!(parsed.patient.facts[0].assertion, Assertion::Absent);
    }

    #[test]
    fn only_bundles_are_read() {
        assert!(read_bundle(r#"{"resourceType":"Patient"}"#).is_err());
    }
}
