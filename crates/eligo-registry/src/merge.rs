//! Records of the same trial from several sources become one trial.
//!
//! A listing page is matched to a stored trial by NCT ID, else by any
//! secondary ID, else by a scored fuzzy match ([`match_score`]: title,
//! sponsor, conditions, interventions, ages) above [`MATCH_THRESHOLD`].
//! Below it the page stays a separate, unlinked listing and the ingest
//! report says so.
//!
//! [`merge`] folds one record into another field by field. Where both
//! have a value and they differ, both are kept as a [`Conflict`] with their
//! sources, and the value shown is the one from the stronger source: a
//! registry record beats a listing page; between equals, the newer reading
//! wins. Provenance follows the value shown. Reading the same document
//! again replaces its earlier contribution instead of adding a source.

use std::collections::BTreeMap;

use eligo_model::provenance::ConflictValue;
use eligo_model::{Conflict, FieldSource, SourceKind, Trial};
use serde_json::{Map, Value};

/// A fuzzy match at or above this score is the same trial.
pub const MATCH_THRESHOLD: f64 = 0.8;

/// Fields that are bookkeeping, not trial facts.
const NOT_MERGED: [&str; 6] = ["id", "sources", "provenance", "conflicts", "criteria", "plain_language"];
/// Object fields merged one level down ("eligibility.sex").
const NESTED: [&str; 2] = ["eligibility", "design"];

/// The strength of a source's word on a field.
fn rank(kind: SourceKind) -> u8 {
    match kind {
        kind if kind.is_registry() => 2,
        SourceKind::Page => 1,
        _ => 0,
    }
}

/// One field's value and the source it came from.
struct Claim {
    value: Value,
    source: usize,
    confidence: f32,
}

/// Folds `incoming` (one source) into `existing`; returns the merged trial.
pub fn merge(existing: Trial, incoming: Trial) -> Trial {
    let incoming_source = incoming.sources.first().cloned();
    let mut sources = existing.sources.clone();
    // The same document read again takes its old slot.
    let slot = incoming_source
        .as_ref()
        .and_then(|s| sources.iter().position(|old| old.kind == s.kind && old.uri == s.uri))
        .unwrap_or(sources.len());
    match incoming_source {
        Some(source) if slot < sources.len() => sources[slot] = source,
        Some(source) => sources.push(source),
        None => {}
    }
    let rank_of = |index: usize| sources.get(index).map_or(0, |s| rank(s.kind));

    let (old_fields, old_provenance) = fields_of(&existing);
    let (new_fields, new_provenance) = fields_of(&incoming);
    let mut conflicts: BTreeMap<String, Vec<ConflictValue>> = existing
        .conflicts
        .iter()
        .map(|c| (c.field.clone(), c.values.iter().filter(|v| v.source != slot).cloned().collect()))
        .collect();
    let mut merged_fields = Map::new();
    let mut provenance = BTreeMap::new();
    let mut names: Vec<&String> = old_fields.keys().chain(new_fields.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let old = old_fields.get(name).map(|value| Claim {
            value: value.clone(),
            source: old_provenance.get(name).map_or(0, |p| p.source),
            confidence: old_provenance.get(name).map_or(1.0, |p| p.confidence),
        });
        let new = new_fields.get(name).map(|value| Claim {
            value: value.clone(),
            source: slot,
            confidence: new_provenance.get(name).map_or(1.0, |p| p.confidence),
        });
        let shown = match (old, new) {
            (Some(old), None) => old,
            (None, Some(new)) => new,
            (Some(old), Some(new)) if old.source == slot || same(&old.value, &new.value) => {
                if let Some(values) = conflicts.get_mut(name.as_str()) {
                    values.retain(|v| v.source != slot);
                }
                if old.source == slot || rank_of(slot) > rank_of(old.source) {
                    new
                } else {
                    old
                }
            }
            (Some(old), Some(new)) => {
                let values = conflicts.entry(name.clone()).or_default();
                for claim in [&old, &new] {
                    if !values.iter().any(|v| v.source == claim.source) {
                        values.push(ConflictValue { source: claim.source, value: claim.value.clone() });
                    }
                }
                if rank_of(old.source) > rank_of(slot) {
                    old
                } else {
                    new
                }
            }
            (None, None) => continue,
        };
        provenance.insert(name.clone(), FieldSource { source: shown.source, confidence: shown.confidence });
        merged_fields.insert(name.clone(), shown.value);
    }
    build(existing, incoming, slot, sources, merged_fields, provenance, conflicts)
}

/// Reassembles the trial from merged fields.
fn build(
    existing: Trial,
    incoming: Trial,
    slot: usize,
    sources: Vec<eligo_model::SourceRecord>,
    fields: Map<String, Value>,
    mut provenance: BTreeMap<String, FieldSource>,
    conflicts: BTreeMap<String, Vec<ConflictValue>>,
) -> Trial {
    let mut object = Map::new();
    for (name, value) in fields {
        match name.split_once('.') {
            Some((parent, child)) => {
                let entry = object.entry(parent.to_string()).or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(children) = entry {
                    children.insert(child.to_string(), value);
                }
            }
            None => {
                object.insert(name, value);
            }
        }
    }
    object.insert("id".into(), Value::String(existing.id.clone()));
    // Every merged value came from a trial that deserialized, so this holds;
    // should it not, the existing record is kept whole rather than lost.
    let mut trial: Trial = serde_json::from_value(Value::Object(object)).unwrap_or_else(|_| existing.clone());
    // A page lists the sponsor's protocol number among its IDs; the registry
    // calls the same number the org study ID. Say it once.
    let primary: Vec<String> = trial.nct_id.iter().chain(&trial.org_study_id).map(|id| id.to_uppercase()).collect();
    trial.secondary_ids.retain(|secondary| !primary.contains(&secondary.id.to_uppercase()));
    if trial.secondary_ids.is_empty() {
        provenance.remove("secondary_ids");
    }
    trial.sources = sources;
    trial.provenance = provenance;
    trial.conflicts = conflicts
        .into_iter()
        .filter(|(_, values)| values.len() > 1)
        .map(|(field, mut values)| {
            // In source order, so that folding the same documents again gives the same record.
            values.sort_by_key(|value| value.source);
            Conflict { field, values }
        })
        .collect();
    let text_from_incoming = trial.provenance.get("eligibility.criteria_text").is_some_and(|p| p.source == slot);
    trial.criteria = if text_from_incoming { incoming.criteria } else { existing.criteria };
    trial.plain_language = existing.plain_language.into_iter().filter(|item| item.source != slot).collect();
    trial.plain_language.extend(
        incoming.plain_language.into_iter().map(|item| eligo_model::PlainLanguageItem { source: slot, ..item }),
    );
    trial
}

/// The mergeable fields of a trial, nested objects flattened one level,
/// with the provenance of each.
fn fields_of(trial: &Trial) -> (Map<String, Value>, BTreeMap<String, FieldSource>) {
    let mut fields = Map::new();
    let mut provenance = BTreeMap::new();
    let Ok(Value::Object(object)) = serde_json::to_value(trial) else { return (fields, provenance) };
    for (name, value) in object {
        if NOT_MERGED.contains(&name.as_str()) || is_empty(&value) {
            continue;
        }
        let parent_source = trial.provenance.get(&name).cloned();
        match value {
            Value::Object(children) if NESTED.contains(&name.as_str()) => {
                for (child, value) in children.into_iter().filter(|(_, v)| !is_empty(v)) {
                    let key = format!("{name}.{child}");
                    let source = trial.provenance.get(&key).cloned().or(parent_source.clone());
                    provenance.extend(source.map(|s| (key.clone(), s)));
                    fields.insert(key, value);
                }
            }
            value => {
                provenance.extend(parent_source.map(|s| (name.clone(), s)));
                fields.insert(name, value);
            }
        }
    }
    (fields, provenance)
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        _ => false,
    }
}

/// Equal as a reader would judge: case and spacing do not matter.
fn same(a: &Value, b: &Value) -> bool {
    normalized(a) == normalized(b)
}

fn normalized(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Object(fields) => Value::Object(fields.iter().map(|(k, v)| (k.clone(), normalized(v))).collect()),
        other => other.clone(),
    }
}

/// How alike two records of possibly the same trial are, in 0..=1: the
/// weighted mean of title, sponsor, conditions, interventions and age
/// similarity, over the parts both records state. `None` when they share
/// too little to judge (a title and two more parts are needed).
pub fn match_score(page: &Trial, candidate: &Trial) -> Option<f64> {
    let title = similarity(page.brief_title.as_deref()?, candidate.title());
    let mut parts = vec![(0.4, title)];
    if let (Some(a), Some(b)) = (&page.lead_sponsor, &candidate.lead_sponsor) {
        parts.push((0.15, similarity(&a.name, &b.name)));
    }
    if !page.conditions.is_empty() && !candidate.conditions.is_empty() {
        parts.push((0.15, best_overlap(&page.conditions, &candidate.conditions)));
    }
    let names = |t: &Trial| t.intervention_names().map(str::to_string).collect::<Vec<_>>();
    let (page_drugs, candidate_drugs) = (names(page), names(candidate));
    if !page_drugs.is_empty() && !candidate_drugs.is_empty() {
        parts.push((0.2, best_overlap(&page_drugs, &candidate_drugs)));
    }
    let ages = |t: &Trial| (t.eligibility.minimum_age, t.eligibility.maximum_age);
    if ages(page) != (None, None) && ages(candidate) != (None, None) {
        parts.push((0.1, if ages(page) == ages(candidate) { 1.0 } else { 0.0 }));
    }
    if parts.len() < 3 {
        return None;
    }
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    Some(parts.iter().map(|(w, s)| w * s).sum::<f64>() / weight)
}

fn similarity(a: &str, b: &str) -> f64 {
    strsim::sorensen_dice(&a.to_lowercase(), &b.to_lowercase())
}

/// For each item of `a`, its best match in `b`; averaged.
fn best_overlap(a: &[String], b: &[String]) -> f64 {
    let best = |x: &String| b.iter().map(|y| similarity(x, y)).fold(0.0, f64::max);
    a.iter().map(best).sum::<f64>() / a.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{OverallStatus, SourceRecord};

    fn source(kind: SourceKind, uri: &str) -> SourceRecord {
        SourceRecord { kind, uri: Some(uri.into()), layout: None, retrieved_at: chrono::Utc::now() }
    }

    fn trial(kind: SourceKind, uri: &str, status: OverallStatus, title: &str) -> Trial {
        let mut trial = Trial {
            id: "NCT00000001".into(),
            nct_id: Some("NCT00000001".into()),
            brief_title: Some(title.into()),
            overall_status: Some(status),
            sources: vec![source(kind, uri)],
            ..Trial::default()
        };
        trial.attribute_present_fields(0, if kind.is_registry() { 1.0 } else { 0.8 });
        trial
    }

    #[test]
    fn registry_wins_conflicts_and_both_values_are_kept() {
        let registry = trial(SourceKind::CtgovJson, "ct.json", OverallStatus::Completed, "A trial");
        let mut page = trial(SourceKind::Page, "page.txt", OverallStatus::Recruiting, "a  TRIAL");
        page.lead_sponsor = Some(eligo_model::Sponsor { name: "Acme".into(), class: None });
        page.attribute_present_fields(0, 0.8);
        let merged = merge(registry, page);
        assert_eq!(merged.sources.len(), 2);
        assert_eq!(merged.overall_status, Some(OverallStatus::Completed));
        assert_eq!(merged.provenance["overall_status"].source, 0);
        assert_eq!(merged.provenance["lead_sponsor"].source, 1, "a field only the page has comes from the page");
        let conflicts: Vec<&str> = merged.conflicts.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(conflicts, ["overall_status"], "case and spacing differences are not conflicts");
        assert_eq!(merged.conflicts[0].values.len(), 2);
    }

    #[test]
    fn the_registry_arriving_after_the_page_still_wins() {
        let page = trial(SourceKind::Page, "page.txt", OverallStatus::Recruiting, "A trial");
        let registry = trial(SourceKind::CtgovJson, "ct.json", OverallStatus::Completed, "A trial");
        let merged = merge(page, registry);
        assert_eq!(merged.overall_status, Some(OverallStatus::Completed));
        assert_eq!(merged.conflicts.len(), 1);
    }

    #[test]
    fn reading_the_same_page_again_changes_nothing() {
        let registry = trial(SourceKind::CtgovJson, "ct.json", OverallStatus::Completed, "A trial");
        let page = trial(SourceKind::Page, "page.txt", OverallStatus::Recruiting, "A trial");
        let once = merge(registry, page.clone());
        let twice = merge(once.clone(), page);
        assert_eq!(twice.sources.len(), 2);
        assert_eq!(twice.conflicts, once.conflicts);
        assert_eq!(twice.overall_status, once.overall_status);
    }

    #[test]
    fn fuzzy_scores_separate_same_and_different_trials() {
        let mut a =
            trial(SourceKind::Page, "a", OverallStatus::Recruiting, "Belimumab Treatment for IgG4-related Disease");
        a.lead_sponsor =
            Some(eligo_model::Sponsor { name: "Peking Union Medical College Hospital".into(), class: None });
        a.conditions = vec!["IgG4-related Disease".into()];
        let mut same = a.clone();
        same.brief_title = Some("Belimumab treatment for IgG4 related disease".into());
        let mut other = a.clone();
        other.brief_title = Some("Rituximab in Maintaining Remission of Lupus".into());
        other.conditions = vec!["Systemic Lupus Erythematosus".into()];
        assert!(match_score(&a, &same).unwrap() >= MATCH_THRESHOLD);
        assert!(match_score(&a, &other).unwrap() < MATCH_THRESHOLD);
        let bare = Trial { brief_title: Some("x".into()), ..Trial::default() };
        assert_eq!(match_score(&bare, &a), None);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use eligo_model::{Enrollment, OverallStatus, SourceRecord};
    use proptest::prelude::*;

    fn record(kind: SourceKind, uri: &str, status: &str, enrollment: Option<u32>, title: &str) -> Trial {
        let mut trial = Trial {
            id: "NCT00000001".into(),
            nct_id: Some("NCT00000001".into()),
            brief_title: Some(title.into()),
            overall_status: Some(OverallStatus::parse(status)),
            enrollment: enrollment.map(|count| Enrollment { count, actuality: None }),
            sources: vec![SourceRecord { kind, uri: Some(uri.into()), layout: None, retrieved_at: chrono::Utc::now() }],
            ..Trial::default()
        };
        trial.attribute_present_fields(0, 1.0);
        trial
    }

    proptest! {
        /// Whatever the values and the order, the registry's value is shown,
        /// every disagreement is kept, and reading a page again adds nothing.
        #[test]
        fn registry_wins_in_any_order_and_pages_fold_idempotently(
            registry_status in "[A-Z_]{1,12}",
            page_status in "[A-Z_]{1,12}",
            registry_count in proptest::option::of(0u32..500),
            page_count in proptest::option::of(0u32..500),
            title in "[a-zA-Z ]{1,20}",
            page_first in any::<bool>(),
        ) {
            let registry = record(SourceKind::CtgovJson, "r.json", &registry_status, registry_count, &title);
            let page = record(SourceKind::Page, "p.html", &page_status, page_count, &title);
            let merged = if page_first { merge(page.clone(), registry.clone()) } else { merge(registry.clone(), page.clone()) };
            prop_assert_eq!(&merged.overall_status, &registry.overall_status);
            let conflicted = merged.conflicts.iter().any(|c| c.field == "overall_status");
            let shown = |t: &Trial| t.overall_status.as_ref().map(|s| s.as_api_str().to_lowercase());
            prop_assert_eq!(conflicted, shown(&registry) != shown(&page));
            if registry_count.is_some() {
                prop_assert_eq!(&merged.enrollment, &registry.enrollment);
            } else {
                prop_assert_eq!(&merged.enrollment, &page.enrollment);
            }
            let again = merge(merged.clone(), page);
            prop_assert_eq!(again.sources.len(), 2);
            prop_assert_eq!(&again.conflicts, &merged.conflicts);
            prop_assert_eq!(&again.overall_status, &merged.overall_status);
        }
    }
}
