//! Pages and publications through the ingest pipeline: one trial per trial
//! whatever the order, conflicts kept with their sources, unlinked listings
//! reported, publications linked with a reason and a score.

use std::path::PathBuf;

use eligo_model::{LinkReason, OverallStatus, SourceKind};
use eligo_registry::{ingest_paths, IngestOptions, IngestReport};
use eligo_store::Store;

fn fixture(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn page(name: &str) -> PathBuf {
    fixture(&format!("../eligo-pages/tests/fixtures/{name}"))
}

fn registry(name: &str) -> PathBuf {
    fixture(&format!("tests/fixtures/{name}"))
}

fn ingest(store: &dyn Store, paths: &[PathBuf]) -> IngestReport {
    let options = IngestOptions { keep_going: true, ..IngestOptions::default() };
    ingest_paths(store, paths, &options, &mut |_| {}, &mut |_, _| {}).expect("the store works")
}

#[test]
fn a_registry_record_and_a_listing_page_become_one_trial_in_either_order() {
    for order in
        [[registry("NCT09000001.json"), page("veeva.html")], [page("veeva.html"), registry("NCT09000001.json")]]
    {
        let store = eligo_store::temporary_store().unwrap();
        let report = ingest(&*store, &order);
        assert_eq!((report.failed, store.trial_count().unwrap()), (0, 1), "{report:?}");
        let trial = store.get_trial("NCT09000001").unwrap().unwrap();
        let kinds: Vec<SourceKind> = trial.sources.iter().map(|s| s.kind).collect();
        assert!(kinds.contains(&SourceKind::CtgovJson) && kinds.contains(&SourceKind::Page), "{kinds:?}");
        // The registry wins: active, not recruiting (the page says recruiting).
        assert_eq!(trial.overall_status, Some(OverallStatus::ActiveNotRecruiting));
        let registry_index = trial.sources.iter().position(|s| s.kind == SourceKind::CtgovJson).unwrap();
        assert_eq!(trial.provenance["overall_status"].source, registry_index);
        let status = trial.conflicts.iter().find(|c| c.field == "overall_status").expect("status conflict kept");
        assert_eq!(status.values.len(), 2);
        assert!(trial.conflicts.iter().any(|c| c.field == "enrollment"), "58 actual vs 60 estimated");
        // What only the page has is kept, attributed to the page.
        assert_eq!(trial.central_contacts[0].name.as_deref(), Some("Ana Lima"));
        assert_ne!(trial.provenance["central_contacts"].source, registry_index);
        assert!(trial.secondary_ids.is_empty(), "the page's EUH-2025-17 is the registry's org study ID");
    }
}

#[test]
fn ingesting_the_same_page_again_changes_nothing() {
    let store = eligo_store::temporary_store().unwrap();
    ingest(&*store, &[registry("NCT09000001.json"), page("veeva.html")]);
    let before = store.get_trial("NCT09000001").unwrap().unwrap();
    let again = ingest(&*store, &[page("veeva.html")]);
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 1), "{again:?}");
    let after = store.get_trial("NCT09000001").unwrap().unwrap();
    assert_eq!(after.sources.len(), before.sources.len());
    assert_eq!(after.conflicts, before.conflicts);
}

#[test]
fn a_page_without_an_id_and_without_a_match_stays_a_separate_listing() {
    let store = eligo_store::temporary_store().unwrap();
    let report = ingest(&*store, &[registry("NCT09000001.json"), page("generic.txt")]);
    assert_eq!(store.trial_count().unwrap(), 2);
    assert_eq!(report.unlinked_listings.len(), 1, "{report:?}");
    assert!(report.unlinked_listings[0].contains("kept as separate listing LISTING-"), "{report:?}");
    assert!(report.unlinked_listings[0].contains("closest: NCT09000001"), "{report:?}");
}

#[test]
fn a_page_matching_by_secondary_id_joins_that_trial() {
    let store = eligo_store::temporary_store().unwrap();
    ingest(&*store, &[registry("NCT09000001.json")]);
    let dir = tempfile::tempdir().unwrap();
    let text = "Some Listing Of The Tocilizumab Study\nIdentifiers\nEUH-2025-17\nStatus and phase\nRecruiting\n\
                Phase 2\nFunder types\nOther\nTrial design\nCentral trial contact\nAna Lima\n";
    let path = dir.path().join("listing.txt");
    std::fs::write(&path, text).unwrap();
    let report = ingest(&*store, &[path]);
    assert_eq!((report.failed, report.merged_pages), (0, 1), "{report:?}");
    assert_eq!(store.trial_count().unwrap(), 1);
    assert_eq!(store.get_trial("EUH-2025-17").unwrap().unwrap().sources.len(), 2);
}

#[test]
fn publications_link_to_the_trials_they_name_and_bad_articles_are_reported() {
    let store = eligo_store::temporary_store().unwrap();
    let report = ingest(&*store, &[page("pubmed-set.xml"), registry("NCT04127747.json")]);
    assert_eq!(report.publications.new, 2, "{report:?}");
    assert_eq!(report.failed, 2, "the corrupt article and the one without a PMID: {report:?}");
    assert!(report.errors.iter().any(|e| e.contains("pubmed-set.xml: article 2: malformed XML")), "{report:?}");
    let links = store.links_for_trial("NCT04127747").unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!((links[0].publication_key.as_str(), links[0].reason), ("PMID:35000002", LinkReason::NamesNctId));
    assert!(links[0].reports_results);
    assert!(store.get_publication("PMID:35000004").unwrap().is_some());
}

#[test]
fn seed_pages_and_the_publication_profile_link_as_related_work() {
    let seeds = fixture("../../../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("skipping: {} is absent", seeds.display());
        return;
    }
    let store = eligo_store::temporary_store().unwrap();
    let report = ingest(&*store, &[seeds]);
    assert_eq!(report.failed, 0, "{report:?}");
    assert_eq!((store.trial_count().unwrap(), report.publications.new), (4, 1), "{report:?}");
    // The belimumab + rituximab summary page (000) and the belimumab pilot
    // trial publication (002): the same drug in the same disease, not the same trial.
    let summary = store.ids_with_source_kind(SourceKind::Page).unwrap();
    let links: Vec<_> = summary.iter().flat_map(|id| store.links_for_trial(id).unwrap()).collect();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!((links[0].publication_key.as_str(), links[0].reason), ("PMID:29073351", LinkReason::Related));
    assert!(!links[0].reports_results);
    assert!(links[0].score < 1.0);
    let linked = store.get_trial(&links[0].trial_id).unwrap().unwrap();
    assert_eq!(linked.title(), "Belimumab + Rituximab for Systemic Sclerosis");
}
