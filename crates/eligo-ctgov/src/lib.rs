//! ClinicalTrials.gov sources: records in the registry's own formats become
//! [`Trial`]s.
//!
//! - [`json`]: API v2 study JSON — one study object, an API page
//!   (`{"studies":[...],"nextPageToken":...}`), or JSON Lines.
//! - [`xml`]: the legacy `<clinical_study>` XML of the classic bulk download
//!   and the TREC clinical-trials corpora.
//! - [`sync`]: a polite client for the live API v2 `/studies` endpoint.
//!
//! Readers are streaming: they hand each record to a sink as soon as it is
//! parsed, so memory stays flat whatever the file size. A bad record never
//! stops a reader: it becomes a [`RecordError`] naming where and why, and the
//! next record is read. Walking directories and ZIP archives, and choosing a
//! reader per file, is the ingest pipeline's job (`eligo-registry`).

pub mod json;
pub mod sync;
pub mod xml;

use chrono::{DateTime, Utc};
use eligo_model::{SourceKind, SourceRecord, Trial};

/// The document a reader is reading, for error messages and provenance.
#[derive(Debug, Clone)]
pub struct Origin {
    /// File path, `archive.zip!entry.json`, or URL.
    pub uri: String,
    pub retrieved_at: DateTime<Utc>,
    /// What the records will say they came from (a file of registry JSON, the
    /// live API, Eligo's generator).
    pub kind: SourceKind,
}

impl Origin {
    pub fn new(uri: impl Into<String>, kind: SourceKind) -> Self {
        Origin { uri: uri.into(), retrieved_at: Utc::now(), kind }
    }

    /// The provenance record for a trial read from this document.
    pub fn source_record(&self) -> SourceRecord {
        SourceRecord { kind: self.kind, uri: Some(self.uri.clone()), layout: None, retrieved_at: self.retrieved_at }
    }
}

/// One record read successfully, with what was odd about it.
#[derive(Debug, Clone)]
pub struct ParsedRecord {
    pub trial: Trial,
    /// Where in the document: "line 12", "study 3", "NCT01234567".
    pub location: String,
    /// Things kept but worth a message, e.g. an enumeration value the model
    /// does not know yet (kept verbatim as `Unrecognized`).
    pub warnings: Vec<String>,
}

/// A record that could not be read. The reader goes on with the next one.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{uri}: {location}{}: {reason}", nct_id.as_ref().map(|id| format!(" ({id})")).unwrap_or_default())]
pub struct RecordError {
    pub uri: String,
    /// "line 12", "study 3", "byte 40960" — whatever locates it best.
    pub location: String,
    /// The NCT ID, when it could be read before the failure.
    pub nct_id: Option<String>,
    pub reason: String,
}

/// What readers hand to their sink, one per record.
pub type RecordResult = Result<ParsedRecord, RecordError>;

/// The registry format a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtgovFormat {
    /// API v2 JSON: study object, API page, or JSON Lines.
    Json,
    /// Legacy `<clinical_study>` XML.
    Xml,
}

/// Guesses the format from the first bytes of a document (after any BOM and
/// white space). `None` when it is neither.
pub fn sniff(head: &[u8]) -> Option<CtgovFormat> {
    let text = strip_bom(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace())?;
    match text[start] {
        b'{' | b'[' => Some(CtgovFormat::Json),
        b'<' => {
            let lower = String::from_utf8_lossy(&text[start..]).to_ascii_lowercase();
            lower.contains("<clinical_study").then_some(CtgovFormat::Xml)
        }
        _ => None,
    }
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)
}
