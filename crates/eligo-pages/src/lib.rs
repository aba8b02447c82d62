//! Listing pages and publications: the documents about trials that are not
//! registry records.
//!
//! Patients and coordinators meet trials on many services besides the
//! registry (patient-facing summaries, trial finders, other registries'
//! listings, ClinicalTrials.Veeva), and the evidence about a trial lives in
//! publications. This crate reads both into the model:
//!
//! - [`read_page`] takes a saved page, as HTML or as the text a browser or a
//!   scraper gives, and returns a [`Trial`] (or a [`Publication`] for a
//!   publication-profile page). The pipeline is
//!   bytes → lines ([`text`]: HTML is parsed with `scraper`, never with
//!   regular expressions) → cleaned lines ([`clean`]: citation digit runs,
//!   glued words and headings, repeats, boilerplate) → labelled sections
//!   ([`sections`]) → fields. Which labels mean which field depends on the
//!   service: [`layouts`] recognises the services Eligo knows by the labels
//!   they print and falls back to a generic reading of every known label.
//!   Every field records its source and a confidence: a layout's labels are
//!   trusted more than the generic fallback, inferred values less than both.
//! - [`pubmed`] reads PubMed/MEDLINE XML (`PubmedArticleSet`) one article at
//!   a time, so one corrupt article fails alone; [`medline`] reads the
//!   MEDLINE text format; [`profile`] reads publication-profile pages.
//!
//! Sources never touch the store: merging a page into the registry's record
//! of the same trial, and linking publications to trials, happen in
//! `eligo-registry`.

pub mod clean;
pub mod layouts;
pub mod medline;
pub mod profile;
pub mod pubmed;
pub mod sections;
pub mod text;
pub mod trial_page;
mod values;

use chrono::{DateTime, Utc};
use eligo_model::{FieldSource, Publication, SourceKind, SourceRecord, Trial};
use sha2::{Digest, Sha256};

use crate::layouts::{Field, Layout};
use crate::trial_page::{is_boilerplate, TrialBuilder};

/// Where a page or publication file came from.
#[derive(Debug, Clone)]
pub struct PageOrigin {
    /// The file (or archive entry) it was read from.
    pub uri: String,
    /// The address the page was saved from, when the user gave it.
    pub source_url: Option<String>,
    pub retrieved_at: DateTime<Utc>,
}

impl PageOrigin {
    pub fn new(uri: impl Into<String>) -> Self {
        PageOrigin { uri: uri.into(), source_url: None, retrieved_at: Utc::now() }
    }

    pub fn with_source_url(mut self, url: Option<String>) -> Self {
        self.source_url = url;
        self
    }

    pub fn source_record(&self, kind: SourceKind, layout: &str) -> SourceRecord {
        SourceRecord {
            kind,
            uri: Some(self.source_url.clone().unwrap_or_else(|| self.uri.clone())),
            layout: Some(layout.to_string()),
            retrieved_at: self.retrieved_at,
        }
    }
}

/// What a page turned out to be.
#[derive(Debug, Clone)]
// One value per page read, moved once: the size difference is harmless.
#[allow(clippy::large_enum_variant)]
pub enum PageContent {
    Trial(ExtractedTrial),
    Publication(Publication),
}

#[derive(Debug, Clone)]
pub struct ExtractedTrial {
    pub trial: Trial,
    /// The layout recognised ("veeva", "trial-finder", ..., "generic").
    pub layout: &'static str,
    /// Values the page states in a shape Eligo could not read.
    pub warnings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PageError {
    #[error("unreadable page: {0}")]
    Unreadable(String),
    #[error("not a trial page: {0}")]
    NotATrial(String),
    #[error("not a publication: {0}")]
    NotAPublication(String),
}

/// One publication read from a PubMed XML or MEDLINE file.
#[derive(Debug, Clone)]
pub struct PublicationRecord {
    /// "article 3".
    pub location: String,
    pub publication: Publication,
}

/// One article of a publication file that could not be read; the reader
/// goes on with the next.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{location}: {reason}")]
pub struct ItemError {
    pub location: String,
    pub reason: String,
}

impl ItemError {
    fn new(article: usize, reason: &str) -> Self {
        ItemError { location: format!("article {article}"), reason: reason.to_string() }
    }
}

/// Trial fields that, filled, show a page is about a trial.
const TRIAL_SIGNALS: usize = 3;

/// Reads one saved page (HTML or text).
pub fn read_page(bytes: &[u8], origin: &PageOrigin) -> Result<PageContent, PageError> {
    let text = text::decode(bytes)?;
    let raw = text::raw_lines(text);
    if profile::looks_like_profile(&raw) {
        return profile::read(&raw, origin).map(PageContent::Publication);
    }
    let generic = layouts::generic_labels();
    let lines: Vec<String> = text::clean_lines(&raw, |tail| sections::is_label(tail, &generic))
        .into_iter()
        .filter(|line| !is_boilerplate(line))
        .collect();
    let layout = layouts::recognise(&lines);
    let (name, labels, confidence) = match layout {
        Some(Layout { name, labels, confidence, .. }) => (*name, labels.to_vec(), *confidence),
        None => (layouts::GENERIC_NAME, generic, layouts::GENERIC_CONFIDENCE),
    };
    let extracted = extract_trial(&lines, &labels, name, confidence, origin)?;
    Ok(PageContent::Trial(extracted))
}

fn extract_trial(
    lines: &[String],
    labels: &[sections::Label<Field>],
    layout: &'static str,
    confidence: f32,
    origin: &PageOrigin,
) -> Result<ExtractedTrial, PageError> {
    let sections = sections::split(lines, labels);
    let mut builder = TrialBuilder::default();
    let content = sections.iter().take_while(|s| s.field != Some(Field::Boilerplate));
    for section in content {
        match section.field {
            None => builder.preamble(&section.body),
            Some(_) => builder.section(section),
        }
    }
    if layout == layouts::PATIENT_SUMMARY.name {
        builder.interventions_from_title();
    }
    let (mut trial, warnings) = builder.finish(confidence);
    if trial.nct_id.is_none() {
        // An NCT ID written outside any label (a footer, a link text).
        trial.nct_id = find_nct_id(lines);
        if trial.nct_id.is_some() {
            trial.provenance.insert("nct_id".into(), FieldSource { source: 0, confidence: confidence * 0.8 });
        }
    }
    check_is_trial(&trial)?;
    trial.id = trial.nct_id.clone().unwrap_or_else(|| listing_id(layout, trial.title()));
    trial.sources = vec![origin.source_record(SourceKind::Page, layout)];
    for item in &mut trial.plain_language {
        item.source = 0;
    }
    Ok(ExtractedTrial { trial, layout, warnings })
}

/// A page is about a trial when it names an NCT ID or fills enough trial
/// fields; a news article or a login page does neither.
fn check_is_trial(trial: &Trial) -> Result<(), PageError> {
    let signals = [
        trial.nct_id.is_some(),
        !trial.secondary_ids.is_empty(),
        trial.overall_status.is_some(),
        !trial.phases.is_empty(),
        !trial.conditions.is_empty(),
        !trial.interventions.is_empty(),
        trial.eligibility.criteria_text.is_some(),
        trial.enrollment.is_some(),
        trial.lead_sponsor.is_some(),
        trial.eligibility.minimum_age.is_some() || trial.eligibility.maximum_age.is_some(),
        !trial.plain_language.is_empty(),
    ];
    let found = signals.iter().filter(|s| **s).count();
    if trial.nct_id.is_some() || found >= TRIAL_SIGNALS {
        Ok(())
    } else {
        Err(PageError::NotATrial(format!(
            "no NCT ID and only {found} trial field(s) (other IDs, status, phase, conditions, treatments, \
             criteria, enrollment, sponsor, ages) found; at least {TRIAL_SIGNALS} are needed"
        )))
    }
}

/// The first NCT ID written anywhere on the page.
pub fn find_nct_id(lines: &[String]) -> Option<String> {
    lines.iter().find_map(|line| nct_ids_in(line).into_iter().next())
}

/// Every NCT ID in a text ("NCT" + 8 digits, as a word).
pub fn nct_ids_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let upper = text.to_ascii_uppercase();
    for (at, _) in upper.match_indices("NCT") {
        let before_ok = upper[..at].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
        let digits: String = upper[at + 3..].chars().take_while(|c| c.is_ascii_digit()).collect();
        if before_ok && digits.len() == 8 {
            let id = format!("NCT{digits}");
            if !found.contains(&id) {
                found.push(id);
            }
        }
    }
    found
}

/// A stable ID for a listing without a registry ID: the same page read
/// again gets the same ID, so re-ingest is idempotent.
fn listing_id(layout: &str, title: &str) -> String {
    let digest = Sha256::digest(format!("{layout}\n{}", title.trim().to_lowercase()).as_bytes());
    format!("LISTING-{}", &hex::encode(digest)[..12].to_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nct_ids_are_found_as_words() {
        assert_eq!(nct_ids_in("see NCT01234567, and nct07654321."), ["NCT01234567", "NCT07654321"]);
        assert!(nct_ids_in("XNCT01234567 NCT1234").is_empty());
    }

    #[test]
    fn listing_ids_are_stable() {
        assert_eq!(listing_id("veeva", "A Trial"), listing_id("veeva", " a trial "));
        assert_ne!(listing_id("veeva", "A Trial"), listing_id("veeva", "Another"));
        assert!(listing_id("veeva", "A Trial").starts_with("LISTING-"));
    }
}
