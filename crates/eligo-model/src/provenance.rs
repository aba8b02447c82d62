//! Where each fact came from.
//!
//! A trial can be assembled from several sources (the registry record, a
//! listing page, a patient-facing summary). Each source is a [`SourceRecord`];
//! each top-level field of a trial names the source it was taken from in
//! `Trial::provenance`, and disagreements between sources are kept as
//! [`Conflict`]s instead of being silently overwritten.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The kind of document a record was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// ClinicalTrials.gov API v2 JSON (file, JSON Lines, bulk ZIP).
    CtgovJson,
    /// ClinicalTrials.gov legacy `<clinical_study>` XML.
    CtgovXml,
    /// A page fetched live from the ClinicalTrials.gov API by `eligo sync`.
    CtgovApi,
    /// A trial-listing web page (HTML or scraped text).
    Page,
    /// A publication (PubMed XML, MEDLINE text, a profile page).
    Publication,
    /// Eligo's own deterministic demo generator.
    Generated,
}

impl SourceKind {
    /// Registry sources win field conflicts over listing pages.
    pub fn is_registry(self) -> bool {
        matches!(self, SourceKind::CtgovJson | SourceKind::CtgovXml | SourceKind::CtgovApi | SourceKind::Generated)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::CtgovJson => "ctgov-json",
            SourceKind::CtgovXml => "ctgov-xml",
            SourceKind::CtgovApi => "ctgov-api",
            SourceKind::Page => "page",
            SourceKind::Publication => "publication",
            SourceKind::Generated => "generated",
        }
    }
}

/// One document that contributed to a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    pub kind: SourceKind,
    /// File path, URL or API endpoint the document came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// For pages: the layout recognised ("veeva", "trial-finder", "generic", ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    pub retrieved_at: DateTime<Utc>,
}

/// Which source a field's current value came from, and how sure we are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSource {
    /// Index into `Trial::sources`.
    pub source: usize,
    /// 1.0 for structured registry data; lower for values extracted from pages.
    pub confidence: f32,
}

/// Two or more sources disagree on a field; every value is kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Field name as in `Trial::provenance` (e.g. `overall_status`).
    pub field: String,
    pub values: Vec<ConflictValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictValue {
    /// Index into `Trial::sources`.
    pub source: usize,
    pub value: serde_json::Value,
}
