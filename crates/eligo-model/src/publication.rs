//! Publications: the evidence about trials.

use serde::{Deserialize, Serialize};

use crate::provenance::SourceRecord;
use crate::trial::PartialDate;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Author {
    /// Display name as printed ("Gordon JK").
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
}

/// A journal article, identified by any of PMID, PMCID, DOI or Scopus ID.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Publication {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmcid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopus_id: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abstract_text: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Author>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<PartialDate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mesh_terms: Vec<String>,
    /// NCT IDs the article names (databank list or text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nct_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceRecord>,
}

impl Publication {
    /// The store key: `PMID:n`, else `DOI:x`, else `PMC:x`, else none.
    pub fn key(&self) -> Option<String> {
        if let Some(pmid) = &self.pmid {
            return Some(format!("PMID:{pmid}"));
        }
        if let Some(doi) = &self.doi {
            return Some(format!("DOI:{}", doi.to_ascii_lowercase()));
        }
        self.pmcid.as_ref().map(|pmc| format!("PMCID:{pmc}"))
    }
}

/// Why a publication is attached to a trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkReason {
    /// The article names the trial's NCT ID.
    NamesNctId,
    /// The trial's registry record lists the PMID among its references.
    ListedInReferences,
    /// A scored match on intervention, condition, design, sponsor and dates.
    Related,
}

/// A link between a trial and a publication, with its reason and score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicationLink {
    pub trial_id: String,
    pub publication_key: String,
    pub reason: LinkReason,
    /// 1.0 for identifier links; the match score for `Related`.
    pub score: f32,
    /// Whether the article reports this trial's results (true) or is related work.
    pub reports_results: bool,
}
