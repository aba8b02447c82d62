//! Validation and construction shared by the structured readers (profile and FHIR): dates,
//! ages, clinical facts and observations. Both readers hand raw fields here so that "impossible"
//! means the same thing whichever format the chart came in.

use chrono::NaiveDate;
use eligo_model::{
    Assertion, ClinicalFact, ConceptRef, ConditionStatus, Evidence, FactKind, FactSource, Observation, Polarity,
    Qualifier, Quantity, StatedAge,
};

use crate::markers::result_unit;
use crate::qualifiers::qualifiers_of_name;
use eligo_vocab::{canonical_unit, convert, Category};

use crate::resolve::resolve_concepts;

/// Oldest age a record can plausibly state.
const MAX_AGE_YEARS: f64 = 130.0;

/// Parses a FHIR/ISO date or dateTime: `2024`, `2024-03`, `2024-03-09`, `2024-03-09T10:00:00Z`.
/// Partial dates mean their first day.
pub fn parse_date(raw: &str) -> Result<NaiveDate, String> {
    let date_part = raw.trim().split('T').next().unwrap_or_default();
    let mut parts = date_part.splitn(3, '-');
    let bad = || format!("invalid date {raw:?} (expected YYYY, YYYY-MM or YYYY-MM-DD)");
    let year: i32 = parts.next().and_then(|y| (y.len() == 4).then(|| y.parse().ok()).flatten()).ok_or_else(bad)?;
    let month: u32 = match parts.next() {
        Some(m) => m.parse().map_err(|_| bad())?,
        None => 1,
    };
    let day: u32 = match parts.next() {
        Some(d) => d.parse().map_err(|_| bad())?,
        None => 1,
    };
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

/// An optional date field: absent is fine, present must parse.
pub fn optional_date(raw: Option<&str>) -> Result<Option<NaiveDate>, String> {
    raw.map(parse_date).transpose()
}

/// A stated age, rejected outside 0–130 years.
pub fn stated_age(years: f64, evidence: Evidence) -> Result<StatedAge, String> {
    if !years.is_finite() || !(0.0..=MAX_AGE_YEARS).contains(&years) {
        return Err(format!("impossible age {years} (expected 0 to {MAX_AGE_YEARS} years)"));
    }
    Ok(StatedAge { years, as_of: None, evidence })
}

/// The vocabulary categories a fact of `kind` may resolve to.
pub fn categories(kind: FactKind) -> &'static [Category] {
    match kind {
        FactKind::Condition => &[Category::Condition],
        FactKind::Medication | FactKind::Allergy | FactKind::Vaccination => &[Category::Drug, Category::DrugClass],
        FactKind::Procedure => &[Category::Procedure, Category::Drug],
    }
}

/// The raw fields of a condition, medication, procedure, allergy or vaccination.
pub struct FactFields<'a> {
    pub kind: FactKind,
    pub text: &'a str,
    pub code: Option<&'a str>,
    pub assertion: Assertion,
    pub status: Option<ConditionStatus>,
    pub qualifiers: Vec<eligo_model::Qualifier>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub dose: Option<Quantity>,
}

/// Builds a fact, rejecting an empty name and an end before the start.
pub fn clinical_fact(fields: FactFields<'_>, source: FactSource, path: String) -> Result<ClinicalFact, String> {
    let text = fields.text.trim();
    if text.is_empty() {
        return Err("no name or code".into());
    }
    if let (Some(start), Some(end)) = (fields.start, fields.end) {
        if end < start {
            return Err(format!("ends ({end}) before it starts ({start})"));
        }
    }
    if let Some(dose) = &fields.dose {
        if !dose.value.is_finite() || dose.value < 0.0 {
            return Err(format!("impossible dose {}", dose.value));
        }
    }
    Ok(ClinicalFact {
        kind: fields.kind,
        text: text.to_string(),
        concepts: resolve_concepts(text, fields.code, categories(fields.kind)),
        assertion: fields.assertion,
        status: fields.status,
        qualifiers: fields.qualifiers,
        start: fields.start,
        end: fields.end,
        dose: fields.dose,
        evidence: Evidence { source, path: Some(path), span: None, text: text.to_string() },
    })
}

/// Builds an observation, rejecting non-finite or negative values and a unit that cannot express
/// the test (eGFR in mg/dL): comparing such a value with a threshold would give a confident wrong
/// answer.
pub fn observation(
    text: &str,
    code: Option<&str>,
    quantity: Quantity,
    date: Option<NaiveDate>,
    evidence: Evidence,
) -> Result<Observation, String> {
    let test = resolve_concepts(text.trim(), code, &[Category::Measurement, Category::Score]).into_iter().next();
    observation_of_test(text, test, quantity, date, evidence)
}

/// [`observation`] of a test already resolved, or known to be none of the vocabulary's (a coded
/// test the vocabulary lacks, whose name must not be read for another's).
pub fn observation_of_test(
    text: &str,
    test: Option<ConceptRef>,
    quantity: Quantity,
    date: Option<NaiveDate>,
    evidence: Evidence,
) -> Result<Observation, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no test name or code".into());
    }
    if !quantity.value.is_finite() || quantity.value < 0.0 {
        return Err(format!("impossible value {} for {text}", quantity.value));
    }
    if let (Some(test), Some(unit)) = (&test, &quantity.unit) {
        if let Some(canonical) = canonical_unit(&test.id) {
            if convert(quantity.value, unit, canonical, Some(&test.id)).is_none() {
                return Err(format!(
                    "unit {unit:?} cannot express {} (expected {canonical} or a convertible unit)",
                    test.name
                ));
            }
        }
    }
    Ok(Observation {
        text: text.to_string(),
        test,
        value: quantity.value,
        unit: quantity.unit,
        date,
        reference_high: None,
        reference_low: None,
        evidence,
    })
}

/// A tumour-marker result as the project's convention writes it: a qualitative lab of the marker
/// concept, 1.0 `positive` or `negative`.
pub fn marker_observation(
    marker: &ConceptRef,
    polarity: Polarity,
    date: Option<NaiveDate>,
    evidence: Evidence,
) -> Result<Observation, String> {
    let quantity = Quantity { value: 1.0, unit: Some(result_unit(polarity).into()) };
    observation(&marker.name, Some(&marker.id), quantity, date, evidence)
}

/// The qualifiers a condition's recorded name states ("HER2-positive breast cancer, stage II"); the
/// marker results among them are also added to `observations`, as a note's would be.
pub fn name_qualifiers(
    name: &str,
    evidence: &Evidence,
    observations: &mut Vec<Observation>,
) -> Result<Vec<Qualifier>, String> {
    let (qualifiers, markers) = qualifiers_of_name(name);
    for marker in markers {
        observations.push(marker_observation(&marker.marker, marker.polarity, None, evidence.clone())?);
    }
    Ok(qualifiers)
}

/// Reads a disease status word ("active", "remission", "resolved", ...).
pub fn parse_status(raw: &str) -> Option<ConditionStatus> {
    Some(match raw.trim().to_ascii_lowercase().as_str() {
        "active" | "recurrence" | "relapse" => ConditionStatus::Active,
        "history" | "inactive" | "resolved" => ConditionStatus::History,
        "remission" => ConditionStatus::Remission,
        "controlled" => ConditionStatus::Controlled,
        "uncontrolled" => ConditionStatus::Uncontrolled,
        "severe" => ConditionStatus::Severe,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn evidence() -> Evidence {
        Evidence { source: FactSource::Profile, path: None, span: None, text: String::new() }
    }

    #[test]
    fn dates_parse_in_every_precision() {
        assert_eq!(parse_date("2024-03-09").unwrap(), NaiveDate::from_ymd_opt(2024, 3, 9).unwrap());
        assert_eq!(parse_date("2024-03").unwrap(), NaiveDate::from_ymd_opt(2024, 3, 1).unwrap());
        assert_eq!(parse_date("2024").unwrap(), NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
        assert_eq!(parse_date("2024-03-09T10:00:00Z").unwrap(), NaiveDate::from_ymd_opt(2024, 3, 9).unwrap());
        assert!(parse_date("2024-02-30").is_err());
        assert!(parse_date("yesterday").is_err());
    }

    #[test]
    fn impossible_ages_are_rejected() {
        assert!(stated_age(-3.0, evidence()).is_err());
        assert!(stated_age(250.0, evidence()).is_err());
        assert!(stated_age(12.0, evidence()).is_ok());
    }

    #[test]
    fn egfr_in_a_concentration_unit_is_rejected() {
        let bad = observation("eGFR", None, Quantity { value: 1.2, unit: Some("mg/dL".into()) }, None, evidence());
        assert!(bad.unwrap_err().contains("cannot express"));
        let good =
            observation("eGFR", None, Quantity { value: 25.0, unit: Some("mL/min/1.73m2".into()) }, None, evidence());
        assert_eq!(good.unwrap().test.unwrap().id, "ELIGO:lab.egfr");
    }

    #[test]
    fn a_fact_cannot_end_before_it_starts() {
        let fields = FactFields {
            kind: FactKind::Medication,
            text: "rituximab",
            code: None,
            assertion: Assertion::Present,
            status: None,
            start: Some(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            end: Some(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()),
            dose: None,
            qualifiers: Default::default(),
        };
        assert!(clinical_fact(fields, FactSource::Profile, "medications[0]".into()).is_err());
    }

    proptest! {
        #[test]
        fn parse_date_never_panics(raw in ".{0,30}") {
            let _ = parse_date(&raw);
        }
    }
}
