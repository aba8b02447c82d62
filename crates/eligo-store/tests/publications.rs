//! Publications, their links to trials, and lookups by source kind.

use eligo_model::{LinkReason, PartialDate, Publication, PublicationLink, SourceKind, SourceRecord, Trial};
use eligo_store::{SqliteStore, TrialStore, UpsertOutcome};

fn article() -> Publication {
    Publication {
        pmid: Some("29073351".into()),
        pmcid: Some("PMC6590997".into()),
        doi: Some("10.1002/ART.40358".into()),
        title: "Belimumab for the Treatment of Early Diffuse Systemic Sclerosis".into(),
        published: Some(PartialDate::ymd(2017, 12, 29)),
        ..Publication::default()
    }
}

#[test]
fn publications_are_found_by_any_identifier_and_rewritten_only_when_changed() {
    let mut store = SqliteStore::in_memory().unwrap();
    assert_eq!(store.upsert_publications(&[article()]).unwrap(), [UpsertOutcome::New]);
    assert_eq!(store.upsert_publications(&[article()]).unwrap(), [UpsertOutcome::Unchanged]);
    let changed = Publication { volume: Some("70".into()), ..article() };
    assert_eq!(store.upsert_publications(&[changed]).unwrap(), [UpsertOutcome::Updated]);
    for id in ["PMID:29073351", "29073351", "doi:10.1002/art.40358", "10.1002/art.40358", "PMCID:pmc6590997"] {
        let found = store.get_publication(id).unwrap();
        assert_eq!(found.and_then(|p| p.volume).as_deref(), Some("70"), "{id}");
    }
    assert!(store.get_publication("PMID:1").unwrap().is_none());
}

#[test]
fn links_are_replaced_as_a_whole_and_read_best_first() {
    let mut store = SqliteStore::in_memory().unwrap();
    store.upsert_publications(&[article()]).unwrap();
    let link = |trial: &str, score: f32| PublicationLink {
        trial_id: trial.into(),
        publication_key: "PMID:29073351".into(),
        reason: LinkReason::Related,
        score,
        reports_results: false,
    };
    store.replace_publication_links(&[link("NCT1", 0.7), link("NCT2", 0.9)]).unwrap();
    let trials: Vec<String> =
        store.links_for_publication("PMID:29073351").unwrap().into_iter().map(|l| l.trial_id).collect();
    assert_eq!(trials, ["NCT2", "NCT1"]);
    store.replace_publication_links(&[link("NCT1", 0.7)]).unwrap();
    assert!(store.links_for_trial("NCT2").unwrap().is_empty());
    assert_eq!(store.links_for_trial("NCT1").unwrap()[0].reason, LinkReason::Related);
}

#[test]
fn trials_are_listed_by_the_kind_of_their_sources() {
    let mut store = SqliteStore::in_memory().unwrap();
    let with = |id: &str, kinds: &[SourceKind]| Trial {
        id: id.into(),
        sources: kinds
            .iter()
            .map(|kind| SourceRecord { kind: *kind, uri: None, layout: None, retrieved_at: chrono::Utc::now() })
            .collect(),
        ..Trial::default()
    };
    store
        .upsert_trials(&[
            with("A", &[SourceKind::CtgovJson]),
            with("B", &[SourceKind::CtgovJson, SourceKind::Page]),
            with("C", &[SourceKind::Page]),
        ])
        .unwrap();
    assert_eq!(store.ids_with_source_kind(SourceKind::Page).unwrap(), ["B", "C"]);
}
