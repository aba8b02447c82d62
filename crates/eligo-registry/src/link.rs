//! Trials ↔ the publications about them.
//!
//! A publication is linked to a trial, with a reason and a score:
//!
//! 1. [`LinkReason::NamesNctId`] (score 1): the article names the trial's
//!    NCT ID (PubMed's databank list, or its text). It reports the trial.
//! 2. [`LinkReason::ListedInReferences`] (score 1): the trial's registry
//!    record lists the PMID; it reports results when the registry calls the
//!    reference a result.
//! 3. [`LinkReason::Related`] (score = the match): the article is about the
//!    same intervention and condition, weighted with design, sponsor or
//!    site, and dates. A scored match is *related work*, never "results of":
//!    the same drug in the same disease is often a different trial.
//!
//! Links are derived data: [`relink`] recomputes all of them from the store
//! after an ingest that changed anything, so the order in which trials and
//! publications arrive does not matter.

use std::collections::HashSet;

use eligo_model::{LinkReason, Publication, PublicationLink, Trial};
use eligo_store::{Store, StoreError};

/// A scored match at or above this is a "related" link.
pub const RELATED_THRESHOLD: f64 = 0.6;

/// What the scorer needs from a publication, prepared once.
struct Evidence {
    key: String,
    pmid: Option<String>,
    nct_ids: HashSet<String>,
    /// Title, abstract, keywords and MeSH terms, lower case.
    text: String,
    /// Author affiliations, lower case.
    affiliations: String,
    published: Option<chrono::NaiveDate>,
}

impl Evidence {
    fn of(publication: &Publication) -> Option<Evidence> {
        let text = [publication.title.as_str(), publication.abstract_text.as_deref().unwrap_or_default()]
            .into_iter()
            .chain(publication.keywords.iter().map(String::as_str))
            .chain(publication.mesh_terms.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        Some(Evidence {
            key: publication.key()?,
            pmid: publication.pmid.clone(),
            nct_ids: publication.nct_ids.iter().cloned().collect(),
            text,
            affiliations: publication
                .authors
                .iter()
                .filter_map(|a| a.affiliation.as_deref())
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase(),
            published: publication.published.and_then(|d| d.to_naive()),
        })
    }

    fn mentions(&self, phrase: &str) -> bool {
        let phrase = phrase.trim().to_lowercase();
        phrase.len() >= 3 && self.text.contains(&phrase)
    }
}

/// Recomputes every link; returns how many there are.
pub fn relink(store: &dyn Store) -> Result<usize, StoreError> {
    let mut evidence = Vec::new();
    store.for_each_publication(&mut |publication| {
        evidence.extend(Evidence::of(&publication));
        Ok(())
    })?;
    let mut links = Vec::new();
    if !evidence.is_empty() {
        store.for_each_trial(&mut |stored| {
            links.extend(evidence.iter().filter_map(|e| link(&stored.trial, e)));
            Ok(())
        })?;
    }
    store.replace_publication_links(&links)?;
    Ok(links.len())
}

fn link(trial: &Trial, evidence: &Evidence) -> Option<PublicationLink> {
    let new = |reason, score: f64, reports_results| PublicationLink {
        trial_id: trial.id.clone(),
        publication_key: evidence.key.clone(),
        reason,
        score: score as f32,
        reports_results,
    };
    if trial.nct_id.as_ref().is_some_and(|nct| evidence.nct_ids.contains(nct)) {
        return Some(new(LinkReason::NamesNctId, 1.0, true));
    }
    let listed = trial.references.iter().find(|r| r.pmid.is_some() && r.pmid == evidence.pmid);
    if let Some(reference) = listed {
        let result = reference.kind.as_ref().is_some_and(|k| *k == eligo_model::ReferenceType::Result);
        return Some(new(LinkReason::ListedInReferences, 1.0, result));
    }
    let score = related_score(trial, evidence)?;
    (score >= RELATED_THRESHOLD).then(|| new(LinkReason::Related, score, false))
}

/// Weighted agreement on intervention (0.35), condition (0.35), design
/// (0.1), sponsor or site (0.1) and dates (0.1), over the parts the trial
/// states. `None` unless the article names at least one of the trial's
/// interventions and one of its conditions.
fn related_score(trial: &Trial, evidence: &Evidence) -> Option<f64> {
    let drugs: Vec<&str> = trial.interventions.iter().map(|i| i.name.as_str()).collect();
    let drug_hits = drugs.iter().filter(|d| evidence.mentions(d)).count();
    let condition_hits = trial.conditions.iter().filter(|c| evidence.mentions(c)).count();
    if drug_hits == 0 || condition_hits == 0 {
        return None;
    }
    let mut parts = vec![(0.35, drug_hits as f64 / drugs.len() as f64), (0.35, 1.0)];
    if let Some(design) = design_agreement(trial, evidence) {
        parts.push((0.1, design));
    }
    let places: Vec<String> = trial
        .lead_sponsor
        .iter()
        .map(|s| s.name.to_lowercase())
        .chain(trial.locations.iter().filter_map(|l| l.facility.as_ref().map(|f| f.to_lowercase())))
        .collect();
    if !places.is_empty() && !evidence.affiliations.is_empty() {
        let named = places.iter().any(|p| evidence.affiliations.contains(p.as_str()));
        parts.push((0.1, if named { 1.0 } else { 0.0 }));
    }
    if let (Some(start), Some(published)) =
        (trial.start_date.as_ref().and_then(|d| d.date.to_naive()), evidence.published)
    {
        parts.push((0.1, if published >= start { 1.0 } else { 0.0 }));
    }
    let weight: f64 = parts.iter().map(|(w, _)| w).sum();
    Some(parts.iter().map(|(w, s)| w * s).sum::<f64>() / weight)
}

/// Whether the article describes the trial's allocation and masking.
fn design_agreement(trial: &Trial, evidence: &Evidence) -> Option<f64> {
    use eligo_model::{Allocation, Masking};
    let mut checks = Vec::new();
    if let Some(allocation) = &trial.design.allocation {
        let randomized = evidence.text.contains("randomi");
        checks.push(randomized == (*allocation == Allocation::Randomized));
    }
    if let Some(masking) = &trial.design.masking {
        let blinded = evidence.text.contains("blind") || evidence.text.contains("placebo");
        checks.push(blinded == (*masking != Masking::None));
    }
    (!checks.is_empty()).then(|| checks.iter().filter(|ok| **ok).count() as f64 / checks.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use eligo_model::{Intervention, PartialDate, Reference, TrialDate};

    fn trial(drugs: &[&str], conditions: &[&str]) -> Trial {
        Trial {
            id: "NCT00000001".into(),
            nct_id: Some("NCT00000001".into()),
            interventions: drugs.iter().map(|d| Intervention { name: d.to_string(), ..Default::default() }).collect(),
            conditions: conditions.iter().map(|c| c.to_string()).collect(),
            start_date: Some(TrialDate::new(PartialDate::ymd(2015, 1, 1), None)),
            ..Trial::default()
        }
    }

    fn article(title: &str, text: &str) -> Publication {
        Publication {
            pmid: Some("1".into()),
            title: title.into(),
            abstract_text: Some(text.into()),
            published: Some(PartialDate::ymd(2017, 12, 29)),
            ..Publication::default()
        }
    }

    #[test]
    fn naming_the_nct_id_reports_the_trial() {
        let mut publication = article("Results", "We report NCT00000001.");
        publication.nct_ids = vec!["NCT00000001".into()];
        let found = link(&trial(&["x"], &["y"]), &Evidence::of(&publication).unwrap()).unwrap();
        assert_eq!((found.reason, found.reports_results), (LinkReason::NamesNctId, true));
    }

    #[test]
    fn a_listed_pmid_links_with_the_registry_reference_type() {
        let mut t = trial(&["x"], &["y"]);
        t.references = vec![Reference { pmid: Some("1".into()), citation: None, kind: None }];
        let found = link(&t, &Evidence::of(&article("Background", "")).unwrap()).unwrap();
        assert_eq!((found.reason, found.reports_results), (LinkReason::ListedInReferences, false));
    }

    #[test]
    fn same_drug_and_disease_is_related_work_not_results() {
        let publication =
            article("Belimumab in systemic sclerosis", "belimumab with mycophenolate in systemic sclerosis");
        let evidence = Evidence::of(&publication).unwrap();
        let found = link(&trial(&["Belimumab", "Rituximab"], &["Systemic Sclerosis"]), &evidence).unwrap();
        assert_eq!((found.reason, found.reports_results), (LinkReason::Related, false));
        assert!(found.score < 1.0);
        assert!(link(&trial(&["Belimumab"], &["IgG4-related Disease"]), &evidence).is_none());
        assert!(link(&trial(&["Rituximab"], &["Systemic Sclerosis"]), &evidence).is_none());
    }
}
