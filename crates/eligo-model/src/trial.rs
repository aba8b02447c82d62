//! The canonical trial record.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::criteria::Criterion;
use crate::duration::Duration;
use crate::enums::*;
use crate::ids::SecondaryId;
use crate::provenance::{Conflict, FieldSource, SourceRecord};

/// A calendar date with optional month and day, as registries publish them
/// ("2024-03", "2024-03-09", "March 2009"). Serialized as `YYYY[-MM[-DD]]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date: {0:?} (expected YYYY, YYYY-MM, YYYY-MM-DD or 'Month [Day,] Year')")]
pub struct DateError(pub String);

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_from_name(word: &str) -> Option<u8> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| m.starts_with(&word)).map(|i| i as u8 + 1)
}

impl PartialDate {
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        PartialDate { year, month: Some(month), day: Some(day) }
    }

    /// Days since 0001-01-01 of the first day the date can denote; used for
    /// sorting and range filters. Missing month/day count as the first.
    pub fn to_naive(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1) as u32, self.day.unwrap_or(1) as u32)
    }

    fn validated(self, raw: &str) -> Result<Self, DateError> {
        let month_ok = self.month.is_none_or(|m| (1..=12).contains(&m));
        let day_ok = self.day.is_none_or(|d| (1..=31).contains(&d));
        if (1000..=9999).contains(&self.year) && month_ok && day_ok && self.to_naive().is_some() {
            Ok(self)
        } else {
            Err(DateError(raw.to_string()))
        }
    }

    fn parse_iso(text: &str) -> Option<PartialDate> {
        let mut parts = text.split('-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next().map(str::parse).transpose().ok()?;
        let day = parts.next().map(str::parse).transpose().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(PartialDate { year, month, day })
    }

    /// "March 2009", "March 9, 2009", "December 29, 2017", "9 March 2009".
    fn parse_words(text: &str) -> Option<PartialDate> {
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        match words.as_slice() {
            [month, year] => {
                Some(PartialDate { year: year.parse().ok()?, month: Some(month_from_name(month)?), day: None })
            }
            [month, day, year] if month_from_name(month).is_some() => Some(PartialDate {
                year: year.parse().ok()?,
                month: month_from_name(month),
                day: Some(day.parse().ok()?),
            }),
            [day, month, year] => Some(PartialDate {
                year: year.parse().ok()?,
                month: Some(month_from_name(month)?),
                day: Some(day.parse().ok()?),
            }),
            _ => None,
        }
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(raw: &str) -> Result<Self, DateError> {
        let text = raw.trim();
        let parsed = if text.starts_with(|c: char| c.is_ascii_digit()) && !text.contains(' ') {
            PartialDate::parse_iso(text)
        } else {
            PartialDate::parse_words(text)
        };
        parsed.ok_or_else(|| DateError(raw.to_string()))?.validated(raw)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(month) = self.month {
            write!(f, "-{month:02}")?;
            if let Some(day) = self.day {
                write!(f, "-{day:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = std::borrow::Cow::<str>::deserialize(d)?;
        raw.parse().map_err(serde::de::Error::custom)
    }
}

/// A date and whether it is actual or estimated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrialDate {
    pub date: PartialDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actuality: Option<Actuality>,
}

impl TrialDate {
    pub fn new(date: PartialDate, actuality: Option<Actuality>) -> Self {
        TrialDate { date, actuality }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Design {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allocation: Option<Allocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention_model: Option<InterventionModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masking: Option<Masking>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_purpose: Option<PrimaryPurpose>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrollment {
    pub count: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actuality: Option<Actuality>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Intervention {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<InterventionType>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arm_group_labels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ArmGroup {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ArmGroupType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervention_names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Sponsor {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<AgencyClass>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Eligibility {
    /// The free text exactly as registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<Duration>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub healthy_volunteers: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub std_ages: Vec<StdAge>,
}

impl Eligibility {
    /// True when a person of `age_years` is within the registered age limits
    /// (a missing limit is no limit).
    pub fn accepts_age(&self, age_years: f64) -> bool {
        let above_min = self.minimum_age.is_none_or(|min| age_years >= min.as_years() - 1e-9);
        let below_max = self.maximum_age.is_none_or(|max| age_years <= max.as_years() + 1e-9);
        above_min && below_max
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    /// Great-circle distance in kilometres (haversine, mean Earth radius).
    pub fn distance_km(&self, other: &GeoPoint) -> f64 {
        const EARTH_RADIUS_KM: f64 = 6371.0088;
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlon = (other.lon - self.lon).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }

    pub fn is_valid(&self) -> bool {
        self.lat.is_finite() && self.lon.is_finite() && self.lat.abs() <= 90.0 && self.lon.abs() <= 180.0
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<ContactRole>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facility: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<OverallStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geo: Option<GeoPoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Reference {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ReferenceType>,
}

/// A MeSH heading from the registry's derived section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeshTerm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub term: String,
}

/// Content that patient-facing services add (plain-language Q&A). It is not
/// registry data and is always attributed to the page it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlainLanguageItem {
    /// Topic of the passage ("safety", "promise", "requirements", "uniqueness", "summary").
    pub topic: String,
    pub text: String,
    /// Index into `Trial::sources`.
    pub source: usize,
}

/// One trial, merged from every source that describes it.
///
/// Invariant: `id` equals `nct_id` whenever the NCT ID is known; listings
/// without a registry ID get a stable synthetic `id` starting with `LISTING-`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Trial {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nct_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_study_id: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secondary_ids: Vec<SecondaryId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acronym: Option<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_status: Option<OverallStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_stopped: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<TrialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_completion_date: Option<TrialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_date: Option<TrialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_posted: Option<TrialDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_posted: Option<TrialDate>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead_sponsor: Option<Sponsor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collaborators: Vec<Sponsor>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detailed_description: Option<String>,

    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,

    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study_type: Option<StudyType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub design: Design,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment: Option<Enrollment>,

    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub arm_groups: Vec<ArmGroup>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interventions: Vec<Intervention>,

    #[serde(default)]
    pub eligibility: Eligibility,
    /// Structured criteria parsed from `eligibility.criteria_text` (derived;
    /// recomputed when the text or the parser changes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub criteria: Vec<Criterion>,

    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub central_contacts: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overall_officials: Vec<Contact>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,

    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub condition_mesh: Vec<MeshTerm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intervention_mesh: Vec<MeshTerm>,

    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plain_language: Vec<PlainLanguageItem>,

    /// Every document that contributed to this record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRecord>,
    /// Field name → the source its current value came from.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub provenance: BTreeMap<String, FieldSource>,
    /// Fields on which sources disagree, with every value.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

impl Trial {
    /// The best title available.
    pub fn title(&self) -> &str {
        self.brief_title.as_deref().or(self.official_title.as_deref()).unwrap_or(self.id.as_str())
    }

    /// True when the trial is open to new participants.
    pub fn is_recruiting(&self) -> bool {
        self.overall_status.as_ref().is_some_and(OverallStatus::is_open)
    }

    /// Every identifier a user might look the trial up by.
    pub fn all_ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str())
            .chain(self.nct_id.as_deref())
            .chain(self.org_study_id.as_deref())
            .chain(self.secondary_ids.iter().map(|s| s.id.as_str()))
    }

    /// Records that every field present in this record came from
    /// `sources[source]` with the given confidence. Sources call this once
    /// after building a record, so that provenance can never fall out of step
    /// with the fields actually filled.
    pub fn attribute_present_fields(&mut self, source: usize, confidence: f32) {
        const BOOKKEEPING: [&str; 5] = ["id", "sources", "provenance", "conflicts", "criteria"];
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&*self) else {
            return;
        };
        for (field, value) in fields {
            let empty = value.is_null() || value.as_object().is_some_and(|o| o.is_empty());
            if !empty && !BOOKKEEPING.contains(&field.as_str()) {
                self.provenance.insert(field, FieldSource { source, confidence });
            }
        }
    }

    /// Names of all interventions including their other names.
    pub fn intervention_names(&self) -> impl Iterator<Item = &str> {
        self.interventions
            .iter()
            .flat_map(|i| std::iter::once(i.name.as_str()).chain(i.other_names.iter().map(String::as_str)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_registry_spellings_parse() {
        assert_eq!("2024-03-09".parse::<PartialDate>().unwrap(), PartialDate::ymd(2024, 3, 9));
        assert_eq!("2024-03".parse::<PartialDate>().unwrap().to_string(), "2024-03");
        assert_eq!("March 09, 2024".parse::<PartialDate>().unwrap(), PartialDate::ymd(2024, 3, 9));
        assert_eq!("December 2026".parse::<PartialDate>().unwrap().to_string(), "2026-12");
        assert!("2024-02-30".parse::<PartialDate>().is_err());
        assert!("soon".parse::<PartialDate>().is_err());
    }

    #[test]
    fn age_limits_are_inclusive_and_open_ended() {
        let eligibility = Eligibility {
            minimum_age: Some(Duration::years(5.0)),
            maximum_age: Some(Duration::years(18.0)),
            ..Eligibility::default()
        };
        assert!(eligibility.accepts_age(12.0));
        assert!(eligibility.accepts_age(18.0));
        assert!(!eligibility.accepts_age(30.0));
        assert!(Eligibility::default().accepts_age(99.0));
    }

    #[test]
    fn provenance_names_exactly_the_present_fields() {
        let mut trial = Trial {
            id: "NCT00000001".into(),
            nct_id: Some("NCT00000001".into()),
            brief_title: Some("A trial".into()),
            conditions: vec!["lupus".into()],
            ..Trial::default()
        };
        trial.attribute_present_fields(0, 1.0);
        let fields: Vec<&str> = trial.provenance.keys().map(String::as_str).collect();
        assert_eq!(fields, ["brief_title", "conditions", "nct_id"]);
    }

    #[test]
    fn distance_between_cities_is_plausible() {
        let beijing = GeoPoint { lat: 39.9042, lon: 116.4074 };
        let shanghai = GeoPoint { lat: 31.2304, lon: 121.4737 };
        let km = beijing.distance_km(&shanghai);
        assert!((1050.0..1090.0).contains(&km), "{km}");
    }
}
