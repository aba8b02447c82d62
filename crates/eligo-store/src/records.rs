//! What every backend does the same way with the records it stores: the lookup keys of a
//! trial's identifiers, the lists kept in columns, the stored times, the checks of a record.

use chrono::{DateTime, Utc};
use eligo_model::{normalize_nct_id, LinkReason, Publication, Trial};

use crate::{codec, content_hash, StoreStats};

/// The lookup key of an identifier: NCT IDs in canonical form, anything
/// else trimmed and upper-cased, so `nct06410833` and `k3926` resolve.
pub fn alias_key(raw: &str) -> String {
    normalize_nct_id(raw).unwrap_or_else(|| raw.trim().to_uppercase())
}

/// Every lookup key of a trial, once each.
pub fn aliases(trial: &Trial) -> Vec<String> {
    let mut keys: Vec<String> = trial.all_ids().filter(|id| !id.trim().is_empty()).map(alias_key).collect();
    keys.sort();
    keys.dedup();
    keys
}

/// A list kept in one column: its items joined by commas.
pub fn joined<T: ToString>(items: impl Iterator<Item = T>) -> String {
    items.map(|item| item.to_string()).collect::<Vec<_>>().join(",")
}

/// The columns a trial is counted by: status, phases and source kinds.
pub fn count_columns(trial: &Trial) -> (Option<String>, String, String) {
    (
        trial.overall_status.as_ref().map(|s| s.as_api_str().to_string()),
        joined(trial.phases.iter().map(|p| p.as_api_str())),
        joined(trial.sources.iter().map(|s| s.kind.as_str())),
    )
}

/// Adds one trial's count columns to `stats`.
pub fn count_trial(stats: &mut StoreStats, status: Option<String>, phases: &str, source_kinds: &str) {
    *stats.by_status.entry(status.unwrap_or_else(|| "NONE".into())).or_default() += 1;
    for (list, counts) in [(phases, &mut stats.by_phase), (source_kinds, &mut stats.by_source)] {
        let mut seen: Vec<&str> = list.split(',').filter(|s| !s.is_empty()).collect();
        seen.dedup();
        for item in seen {
            *counts.entry(item.to_string()).or_default() += 1;
        }
    }
}

/// A time the store wrote itself (RFC 3339); an unreadable one reads as the epoch rather than
/// failing the lookup (it can only come from editing the database by hand).
pub fn time(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).unwrap_or_default()
}

/// What is wrong with one stored trial row, if anything: its body must decode, carry its own id,
/// match its content hash, and its change number must be one the counter has reached.
pub fn check_trial_row(id: &str, seq: i64, hash: &str, body: &[u8], max_seq: i64) -> Vec<String> {
    let mut problems = Vec::new();
    if seq > max_seq {
        problems.push(format!("{id}: change number {seq} is ahead of the counter {max_seq}"));
    }
    match codec::decode::<Trial>(id, body) {
        Err(error) => problems.push(format!("{id}: does not decode: {error}")),
        Ok(trial) if trial.id != id => problems.push(format!("{id}: stored record says its id is {}", trial.id)),
        Ok(trial) if content_hash(&trial) != hash => problems.push(format!("{id}: content does not match its hash")),
        Ok(_) => {}
    }
    problems
}

/// Equal apart from where and when it was read.
pub fn same_publication(a: &Publication, b: &Publication) -> bool {
    Publication { sources: Vec::new(), ..a.clone() } == Publication { sources: Vec::new(), ..b.clone() }
}

/// What a publication lookup names: a PMID, a DOI, a PMCID, or any of them (a bare identifier).
pub enum PublicationId<'a> {
    Pmid(&'a str),
    Doi(String),
    Pmcid(String),
    Any { pmid: &'a str, doi: String, pmcid: String },
}

impl PublicationId<'_> {
    /// `PMID:…`, `DOI:…`, `PMCID:…`/`PMC:…` or a bare identifier; DOIs compare in lower case and
    /// PMCIDs in upper case, as stored.
    pub fn parse(any_id: &str) -> PublicationId<'_> {
        let raw = any_id.trim();
        let (prefix, rest) = raw.split_once(':').unwrap_or(("", raw));
        let rest = rest.trim();
        match prefix.to_ascii_uppercase().as_str() {
            "PMID" => PublicationId::Pmid(rest),
            "DOI" => PublicationId::Doi(rest.to_lowercase()),
            "PMCID" | "PMC" => PublicationId::Pmcid(rest.to_uppercase()),
            _ => PublicationId::Any { pmid: raw, doi: raw.to_lowercase(), pmcid: raw.to_uppercase() },
        }
    }
}

pub fn reason_str(reason: LinkReason) -> &'static str {
    match reason {
        LinkReason::NamesNctId => "names_nct_id",
        LinkReason::ListedInReferences => "listed_in_references",
        LinkReason::Related => "related",
    }
}

pub fn parse_reason(raw: &str) -> LinkReason {
    match raw {
        "names_nct_id" => LinkReason::NamesNctId,
        "listed_in_references" => LinkReason::ListedInReferences,
        _ => LinkReason::Related,
    }
}
