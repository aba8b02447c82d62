//! Search behaviour over a small store of fixture trials: filters, facets, synonyms, typos,
//! ranking, distance, pagination, crash recovery and bad input.

mod common;

use common::{fixture_trials, Fixture, TestData};
use eligo_model::{GeoPoint, OverallStatus, Trial};
use eligo_search::{RequestError, SearchError, SearchIndex, SearchRequest, SexFilter, SortOrder, FEED_COMMIT_EVERY};
use eligo_store::UpsertOutcome;

fn all(request: SearchRequest) -> SearchRequest {
    SearchRequest { limit: Some(100), ..request }
}

fn sorted(mut ids: Vec<String>) -> Vec<String> {
    ids.sort();
    ids
}

#[test]
fn empty_query_lists_every_trial_with_facet_counts() {
    let data = TestData::fixtures();
    let results = data.search(&all(SearchRequest::default()));
    assert_eq!(results.total, 9);
    let status = &results.facets["status"];
    assert_eq!(status["RECRUITING"], 4);
    assert_eq!(status["COMPLETED"], 3);
    assert_eq!(status["UNKNOWN"], 1);
    assert_eq!(status["NOT_YET_RECRUITING"], 1);
    assert_eq!(results.facets["phase"]["PHASE4"], 2);
    assert_eq!(results.facets["country"]["CN"], 3);
    assert_eq!(results.facets["sponsor_class"]["INDUSTRY"], 3);
    assert_eq!(results.facets["study_type"]["OBSERVATIONAL"], 1);
    // Facet counts follow the filters: within recruiting trials, two are in phase 4 or 3.
    let recruiting = data.search(&all(SearchRequest { statuses: vec!["recruiting".into()], ..Default::default() }));
    assert_eq!(recruiting.total, 4);
    assert_eq!(recruiting.facets["phase"].get("PHASE4"), Some(&1));
    assert_eq!(recruiting.facets["phase"].get("PHASE3"), Some(&1));
    assert_eq!(recruiting.facets["status"].len(), 1);
}

#[test]
fn each_facet_filter_selects_exactly_its_trials() {
    let data = TestData::fixtures();
    let ids = |request: SearchRequest| sorted(data.ids(&all(request)));
    assert_eq!(
        ids(SearchRequest { statuses: vec!["Not yet recruiting".into()], ..Default::default() }),
        ["NCT90000005"]
    );
    assert_eq!(ids(SearchRequest { statuses: vec!["open".into()], ..Default::default() }).len(), 5);
    assert_eq!(ids(SearchRequest { phases: vec!["4".into()], ..Default::default() }), ["NCT04127747", "NCT06410833"]);
    assert_eq!(ids(SearchRequest { phases: vec!["Phase 3".into(), "PHASE2".into()], ..Default::default() }).len(), 4);
    assert_eq!(ids(SearchRequest { study_types: vec!["observational".into()], ..Default::default() }), ["NCT90000005"]);
    assert_eq!(ids(SearchRequest { intervention_types: vec!["drug".into()], ..Default::default() }).len(), 6);
    assert_eq!(
        ids(SearchRequest { std_ages: vec!["child".into()], ..Default::default() }),
        ["NCT06410833", "NCT90000005"]
    );
    assert_eq!(
        ids(SearchRequest { countries: vec!["China".into()], ..Default::default() }),
        ["NCT04127747", "NCT06410833", "NCT90000003"]
    );
    assert_eq!(ids(SearchRequest { countries: vec!["ch".into()], ..Default::default() }), ["NCT90000004"]);
    assert_eq!(ids(SearchRequest { sponsor_classes: vec!["industry".into()], ..Default::default() }).len(), 3);
}

#[test]
fn sex_filter_keeps_trials_for_that_sex_or_all() {
    let data = TestData::fixtures();
    let male = sorted(data.ids(&all(SearchRequest { sex: Some(SexFilter::Male), ..Default::default() })));
    assert!(!male.contains(&"NCT90000001".to_string()), "female-only trial offered to a man");
    // No stated sex (NCT90000002) means no restriction.
    assert!(male.contains(&"NCT90000002".to_string()));
    assert_eq!(male.len(), 8);
    let female = data.ids(&all(SearchRequest { sex: Some(SexFilter::Female), ..Default::default() }));
    assert_eq!(female.len(), 9);
}

#[test]
fn age_filter_means_the_trial_accepts_that_age() {
    let data = TestData::fixtures();
    let at = |age: f64| sorted(data.ids(&all(SearchRequest { age: Some(age), ..SearchRequest::text("Sjogren") })));
    assert_eq!(at(12.0), ["NCT06410833"]);
    assert!(at(30.0).is_empty());
    // Limits are inclusive.
    assert_eq!(at(5.0), ["NCT06410833"]);
    assert_eq!(at(18.0), ["NCT06410833"]);
    assert!(at(4.9).is_empty());
    // Missing limits are open: the asthma trial (18 and over, no maximum) takes a 100-year-old,
    // the sarcoidosis trials (no limits) take anyone.
    let old = sorted(data.ids(&all(SearchRequest { age: Some(100.0), ..Default::default() })));
    assert_eq!(old, ["NCT90000002", "NCT90000006", "NCT90000007"]);
}

#[test]
fn synonyms_and_brand_names_are_expanded() {
    let data = TestData::fixtures();
    // SLE ↔ systemic lupus erythematosus (no fixture says "SLE").
    let sle = data.text_ids("SLE");
    assert!(sle.contains(&"NCT90000003".to_string()) && sle.contains(&"NCT04127747".to_string()), "{sle:?}");
    // Benlysta finds belimumab trials that never name the brand.
    let benlysta = data.text_ids("Benlysta");
    assert!(benlysta.contains(&"NCT06410833".to_string()), "{benlysta:?}");
    // Rituxan / MabThera ↔ rituximab, both ways.
    let rituxan = data.text_ids("Rituxan");
    assert!(rituxan.contains(&"NCT04127747".to_string()) && rituxan.contains(&"NCT90000004".to_string()));
    let rituximab = data.text_ids("rituximab");
    assert!(rituximab.contains(&"NCT90000004".to_string()), "MabThera trial not found by rituximab");
    let results = data.search(&SearchRequest::text("SLE rituximab"));
    assert_eq!(results.hits[0].id, "NCT04127747");
    assert!(results
        .expansions
        .iter()
        .any(|e| e.text == "SLE" && e.synonyms.contains(&"systemic lupus erythematosus".to_string())));
}

#[test]
fn typos_in_longer_words_are_tolerated_but_short_words_are_exact() {
    let data = TestData::fixtures();
    assert!(data.text_ids("rituxiamb").contains(&"NCT04127747".to_string()));
    assert!(data.text_ids("belimumb").contains(&"NCT90000001".to_string()));
    assert!(data.text_ids("sarcoidossis").contains(&"NCT90000006".to_string()));
    // A correctly spelt word does not drag in neighbours, and short words are never fuzzy.
    assert!(data.text_ids("asthma").iter().all(|id| id == "NCT90000002"));
    assert!(data.text_ids("SLX").is_empty());
}

#[test]
fn phrases_fields_and_operators() {
    let data = TestData::fixtures();
    assert_eq!(data.text_ids("\"lupus nephritis\""), ["NCT90000001"]);
    assert_eq!(data.text_ids("condition:asthma"), ["NCT90000002"]);
    // The asthma trial mentions lupus only in its criteria: a condition-scoped search skips it.
    assert!(!data.text_ids("condition:lupus").contains(&"NCT90000002".to_string()));
    assert_eq!(sorted(data.text_ids("asthma OR diabetes")), ["NCT90000002", "NCT90000005"]);
    let not = data.text_ids("lupus -nephritis");
    assert!(!not.contains(&"NCT90000001".to_string()) && not.contains(&"NCT90000003".to_string()));
    assert_eq!(data.text_ids("sponsor:AstraZeneca"), ["NCT90000003"]);
    assert_eq!(data.text_ids("NCT06410833"), ["NCT06410833"]);
    assert_eq!(data.text_ids("intervention:(budesonide OR anifrolumab)").len(), 2);
}

#[test]
fn trials_about_a_condition_outrank_trials_that_exclude_it() {
    let data = TestData::fixtures();
    let ids = data.text_ids("systemic lupus erythematosus");
    let about = ids.iter().position(|id| id == "NCT90000003").expect("lupus trial found");
    let excludes = ids.iter().position(|id| id == "NCT90000002").expect("asthma trial still matches");
    assert!(about < excludes, "{ids:?}");
    assert_eq!(ids.last().map(String::as_str), Some("NCT90000002"), "{ids:?}");
}

#[test]
fn recruiting_trials_come_first_when_scores_are_close() {
    let data = TestData::fixtures();
    // NCT90000006 (completed) and NCT90000007 (recruiting) have the same text.
    let default = data.text_ids("sarcoidosis");
    assert_eq!(default, ["NCT90000007", "NCT90000006"]);
    let no_boost = data.ids(&SearchRequest { recruiting_boost: Some(0.0), ..SearchRequest::text("sarcoidosis") });
    assert_eq!(no_boost, ["NCT90000006", "NCT90000007"]);
}

#[test]
fn distance_filter_and_sort_use_registered_and_gazetteer_coordinates() {
    let data = TestData::fixtures();
    let beijing = GeoPoint { lat: 39.9075, lon: 116.3972 };
    let near = |radius: f64| {
        sorted(data.ids(&all(SearchRequest { near: Some(beijing), radius_km: Some(radius), ..Default::default() })))
    };
    assert_eq!(near(50.0), ["NCT06410833"]);
    // Shanghai (≈1,070 km) and Hangzhou (≈1,130 km) were placed by the gazetteer.
    assert_eq!(near(1_100.0), ["NCT06410833", "NCT90000003"]);
    assert_eq!(near(1_200.0), ["NCT04127747", "NCT06410833", "NCT90000003"]);
    let by_distance = data.search(&all(SearchRequest {
        near: Some(beijing),
        radius_km: Some(20_000.0),
        sort: SortOrder::Distance,
        ..Default::default()
    }));
    let ids: Vec<&str> = by_distance.hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(&ids[..3], ["NCT06410833", "NCT90000003", "NCT04127747"]);
    let nearest = by_distance.hits[0].nearest_site.as_ref().expect("nearest site");
    assert!(nearest.distance_km < 5.0 && nearest.label.contains("Beijing"), "{nearest:?}");
    // Trials without any placeable site are not "near" anything.
    assert!(!ids.contains(&"NCT90000006"));
}

#[test]
fn sort_by_last_update() {
    let data = TestData::fixtures();
    let ids = data.ids(&all(SearchRequest { sort: SortOrder::Updated, ..SearchRequest::text("lupus") }));
    assert_eq!(ids.first().map(String::as_str), Some("NCT90000002"), "{ids:?}");
}

#[test]
fn pages_are_stable_and_do_not_overlap() {
    let data = TestData::fixtures();
    // "lupus rituximab" is two phrases, so the proximity boost rescores its top hits.
    for query in ["", "lupus", "sarcoidosis OR asthma OR diabetes OR rituximab", "lupus rituximab"] {
        let whole = data.ids(&all(SearchRequest::text(query)));
        let mut paged = Vec::new();
        for offset in (0..whole.len()).step_by(2) {
            paged.extend(data.ids(&SearchRequest { offset, limit: Some(2), ..SearchRequest::text(query) }));
        }
        assert_eq!(paged, whole, "query {query:?}");
        assert_eq!(data.ids(&all(SearchRequest::text(query))), whole, "same query, same order");
    }
}

#[test]
fn snippets_highlight_the_matched_words() {
    let data = TestData::fixtures();
    let results = data.search(&SearchRequest::text("anifrolumab"));
    let hit = &results.hits[0];
    let summary = hit.snippets.iter().find(|s| s.field == "summary").expect("summary snippet");
    let (start, end) = summary.highlights[0];
    assert_eq!(summary.text[start..end].to_lowercase(), "anifrolumab");
}

#[test]
fn store_writes_missed_by_the_index_are_repaired_at_start_up() {
    let mut data = TestData::fixtures();
    let seq_before = data.index.indexed_seq();
    assert_eq!(seq_before, data.store.max_seq().unwrap());
    // A "crash" between the store write and the index write: the store has a new trial and a
    // changed one, the index has neither.
    let new = Fixture::new("NCT90000099", "Tocilizumab in Giant Cell Arteritis").build();
    let mut changed = fixture_trials().into_iter().find(|t| t.id == "NCT90000002").unwrap();
    changed.brief_title = Some("Inhaled Fluticasone for Moderate Asthma".into());
    changed.interventions.clear();
    data.store.upsert_trials(&[new, changed]).unwrap();
    drop(data.index);

    let index = SearchIndex::open(&data.dir.path().join("search-index")).unwrap();
    assert_eq!(index.indexed_seq(), seq_before);
    let update = index.catch_up(&*data.store).unwrap();
    assert_eq!((update.indexed, update.rebuilt), (2, false));
    assert_eq!(index.indexed_seq(), data.store.max_seq().unwrap());
    data.index = index;
    assert_eq!(data.text_ids("tocilizumab"), ["NCT90000099"]);
    assert_eq!(data.text_ids("fluticasone"), ["NCT90000002"]);
    assert!(data.text_ids("title:budesonide").is_empty(), "the old version is still indexed");
    assert_eq!(data.search(&SearchRequest::default()).total, 10);
    // Nothing more to do the second time.
    assert_eq!(data.index.catch_up(&*data.store).unwrap().indexed, 0);
}

#[test]
fn a_feed_indexes_the_records_handed_over_and_replays_writes_it_was_not_given() {
    let data = TestData::fixtures();
    // An ingest that hands over what it wrote: a new trial and a changed one.
    let mut feed = data.index.feed(&*data.store).unwrap();
    let new = Fixture::new("NCT90000099", "Tocilizumab in Giant Cell Arteritis").build();
    let mut changed = fixture_trials().into_iter().find(|t| t.id == "NCT90000002").unwrap();
    changed.brief_title = Some("Inhaled Fluticasone for Moderate Asthma".into());
    changed.interventions.clear();
    let outcomes = data.store.upsert_trials(&[new.clone(), changed.clone()]).unwrap();
    assert_eq!(outcomes, [UpsertOutcome::New, UpsertOutcome::Updated]);
    feed.add(new, outcomes[0]);
    feed.add(changed, outcomes[1]);
    let update = feed.finish(&*data.store).unwrap();
    assert_eq!((update.indexed, update.to_seq), (2, data.store.max_seq().unwrap()));
    assert_eq!(data.index.indexed_seq(), data.store.max_seq().unwrap());
    assert_eq!(data.text_ids("tocilizumab"), ["NCT90000099"]);
    assert_eq!(data.text_ids("fluticasone"), ["NCT90000002"]);
    assert!(data.text_ids("title:budesonide").is_empty(), "the old version is still indexed");

    // Another writer stores a trial during the ingest: it is indexed too, from the store.
    let mut feed = data.index.feed(&*data.store).unwrap();
    let foreign = Fixture::new("NCT90000098", "Anakinra in Gout Flares").build();
    let fed = Fixture::new("NCT90000097", "Dupilumab in Eosinophilic Esophagitis").build();
    data.store.upsert_trials(&[foreign]).unwrap();
    let outcome = data.store.upsert_trials(std::slice::from_ref(&fed)).unwrap()[0];
    feed.add(fed, outcome);
    feed.finish(&*data.store).unwrap();
    assert_eq!(data.index.indexed_seq(), data.store.max_seq().unwrap());
    assert_eq!(data.text_ids("anakinra"), ["NCT90000098"]);
    assert_eq!(data.text_ids("dupilumab"), ["NCT90000097"]);
    assert_eq!(data.search(&SearchRequest::default()).total, 12);
}

#[test]
fn a_long_feed_commits_on_the_way_at_the_sequence_it_started_from() {
    let data = TestData::fixtures();
    let seq_before = data.index.indexed_seq();
    let mut feed = data.index.feed(&*data.store).unwrap();
    // A trial new in this run and written again later: the second write replaces the first.
    let first = Fixture::new("NCT91000000", "Sarilumab in Polymyalgia").build();
    let outcome = data.store.upsert_trials(std::slice::from_ref(&first)).unwrap()[0];
    feed.add(first, outcome);
    let trials: Vec<Trial> = (1..=FEED_COMMIT_EVERY)
        .map(|n| Fixture::new(&format!("NCT{:08}", 91_000_000 + n), "Upadacitinib in Arteritis").build())
        .collect();
    for (trial, outcome) in trials.iter().zip(data.store.upsert_trials(&trials).unwrap()) {
        feed.add(trial.clone(), outcome);
    }
    // Another reader of the directory sees the intermediate commit, which claims no store change.
    let dir = data.dir.path().join("search-index");
    let committed = || tantivy::Index::open_in_dir(&dir).unwrap().reader().unwrap().searcher().num_docs();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while committed() < 9 + FEED_COMMIT_EVERY && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(committed(), 9 + FEED_COMMIT_EVERY, "no commit after {FEED_COMMIT_EVERY} documents");
    assert_eq!(data.index.indexed_seq(), seq_before);

    let again = Fixture::new("NCT91000000", "Sarilumab in Giant Cell Arteritis").build();
    let outcome = data.store.upsert_trials(std::slice::from_ref(&again)).unwrap()[0];
    assert_eq!(outcome, UpsertOutcome::Updated);
    feed.add(again, outcome);
    feed.finish(&*data.store).unwrap();
    assert_eq!(data.index.indexed_seq(), data.store.max_seq().unwrap());
    assert_eq!(data.search(&SearchRequest::default()).total as u64, 9 + 1 + FEED_COMMIT_EVERY);
    assert_eq!(data.text_ids("sarilumab"), ["NCT91000000"]);
    assert!(data.text_ids("polymyalgia").is_empty(), "the first version is still indexed");
}

#[test]
fn rebuild_and_damaged_index_recovery() {
    let data = TestData::fixtures();
    let update = data.index.rebuild(&*data.store).unwrap();
    assert_eq!((update.indexed, update.rebuilt), (9, true));
    assert_eq!(data.search(&SearchRequest::default()).total, 9);
    let dir = data.dir.path().join("search-index");
    drop(data.index);
    std::fs::write(dir.join("meta.json"), b"{ not json").unwrap();
    let index = SearchIndex::open(&dir).unwrap();
    assert_eq!(index.len(), 0);
    assert!(index.catch_up(&*data.store).unwrap().rebuilt);
    assert_eq!(index.len(), 9);
}

#[test]
fn bad_requests_get_clear_errors() {
    let data = TestData::fixtures();
    let error = |request: SearchRequest| data.index.search(&request).expect_err("should be refused").to_string();
    assert!(error(SearchRequest::text("colour:red")).contains("unknown field \"colour\""));
    let long = "lupus ".repeat(20_000);
    let started = std::time::Instant::now();
    assert!(error(SearchRequest::text(long)).contains("too long"));
    assert!(started.elapsed().as_millis() < 500);
    assert!(error(SearchRequest { age: Some(-3.0), ..Default::default() }).contains("age -3"));
    assert!(error(SearchRequest { age: Some(f64::NAN), ..Default::default() }).contains("age"));
    assert!(error(SearchRequest { age: Some(400.0), ..Default::default() }).contains("out of range"));
    let beijing = Some(GeoPoint { lat: 39.9, lon: 116.4 });
    assert!(error(SearchRequest { near: beijing, radius_km: Some(0.0), ..Default::default() }).contains("radius"));
    assert!(error(SearchRequest { near: beijing, radius_km: Some(1e9), ..Default::default() }).contains("radius"));
    assert!(error(SearchRequest { radius_km: Some(10.0), ..Default::default() }).contains("near"));
    assert!(error(SearchRequest { sort: SortOrder::Distance, ..Default::default() }).contains("near"));
    assert!(error(SearchRequest { limit: Some(0), ..Default::default() }).contains("limit"));
    assert!(error(SearchRequest { offset: 1_000_000, ..Default::default() }).contains("deepest page"));
    let status = data.index.search(&SearchRequest { statuses: vec!["recruting".into()], ..Default::default() });
    match status {
        Err(SearchError::Request(RequestError::UnknownValue { filter, known, .. })) => {
            assert_eq!(filter, "status");
            assert!(known.contains("RECRUITING"));
        }
        other => panic!("{other:?}"),
    }
    // Sloppy but readable queries are answered.
    assert_eq!(data.text_ids("\"lupus nephritis"), ["NCT90000001"]);
    assert!(!data.text_ids("(lupus OR asthma").is_empty());
    assert!(data.index.search(&SearchRequest::text("))) AND OR NOT (((")).is_ok());
}

#[test]
fn unknown_statuses_in_the_store_do_not_break_indexing() {
    let odd =
        Fixture::new("NCT90000100", "Odd status trial").status(OverallStatus::Unrecognized("PAUSED".into())).build();
    let data = TestData::with(&[odd]);
    let results = data.search(&SearchRequest::default());
    assert_eq!(results.facets["status"]["PAUSED"], 1);
}

#[test]
fn words_side_by_side_outrank_words_apart() {
    let apart = Fixture::new("NCT90000201", "Symptom Diary During Sleep Restriction").conditions(&["Insomnia"]).build();
    let together = Fixture::new("NCT90000202", "Feedback on a Sleep Diary").conditions(&["Insomnia"]).build();
    let data = TestData::with(&[apart, together]);
    assert_eq!(data.text_ids("sleep diary"), ["NCT90000202", "NCT90000201"]);
}

#[test]
fn a_disease_the_vocabulary_names_is_searched_as_that_disease_not_as_its_words() {
    // "Pancreatic cancer" is a disease; a trial of pancreatic enzymes during cancer treatment has
    // both words and is not about it.
    let apart = Fixture::new("NCT90000201", "Pancreatic Enzymes During Treatment for Cancer")
        .conditions(&["Cancer", "Pancreatic Insufficiency"])
        .build();
    let together =
        Fixture::new("NCT90000202", "Gemcitabine in Advanced Disease").conditions(&["Pancreatic Cancer"]).build();
    let data = TestData::with(&[apart, together]);
    assert_eq!(data.text_ids("pancreatic cancer"), ["NCT90000202"]);
}

#[test]
fn the_generation_moves_when_the_index_changes_and_only_then() {
    let data = TestData::fixtures();
    let before = data.index.generation();
    assert_eq!(data.index.catch_up(&*data.store).unwrap().indexed, 0);
    assert_eq!(data.index.generation(), before, "nothing indexed, same generation");
    data.store.upsert_trials(&[Fixture::new("NCT90000099", "Tocilizumab in Giant Cell Arteritis").build()]).unwrap();
    data.index.catch_up(&*data.store).unwrap();
    assert!(data.index.generation() > before);
    assert_eq!(data.text_ids("tocilizumab"), ["NCT90000099"]);
}

#[test]
fn facets_can_be_skipped_without_changing_hits() {
    let data = TestData::fixtures();
    let with = data.search(&all(SearchRequest::text("lupus")));
    let without = data.search(&all(SearchRequest { skip_facets: true, ..SearchRequest::text("lupus") }));
    assert!(without.facets.is_empty() && !with.facets.is_empty());
    assert_eq!((with.total, with.hits), (without.total, without.hits));
}

#[test]
fn candidate_ids_are_the_hits_of_the_same_search_with_its_filters() {
    let data = TestData::fixtures();
    let requests = [
        all(SearchRequest::text("lupus")),
        all(SearchRequest { sex: Some(SexFilter::Female), age: Some(40.0), ..SearchRequest::text("SLE OR Sjogren") }),
        all(SearchRequest { statuses: vec!["recruiting".into()], ..SearchRequest::default() }),
        SearchRequest { limit: Some(2), offset: 1, ..SearchRequest::text("rituximab") },
    ];
    for request in requests {
        let ids = data.index.candidate_ids(&request).unwrap_or_else(|e| panic!("{request:?}: {e}"));
        assert!(!ids.is_empty(), "{request:?} finds nothing");
        // The same trials; the order may differ only by the proximity boost, which candidates skip.
        assert_eq!(sorted(ids), sorted(data.ids(&request)), "{request:?}");
    }
    let bad = SearchRequest { limit: Some(0), ..SearchRequest::text("lupus") };
    assert!(matches!(data.index.candidate_ids(&bad), Err(SearchError::Request(RequestError::BadLimit(0)))));
}

#[test]
fn a_patient_concept_finds_trials_about_it_a_narrower_or_a_broader_concept() {
    let data = TestData::with(&[
        Fixture::new("NCT70000001", "Hydroxychloroquine in adults").conditions(&["Sjögren syndrome"]).build(),
        Fixture::new("NCT70000002", "Salivary flow study")
            .conditions(&["Sjögren syndrome with lung involvement"])
            .build(),
        Fixture::new("NCT70000003", "Asthma inhaler study").conditions(&["Asthma"]).build(),
    ]);
    let by_concept =
        |id: &str| sorted(data.ids(&all(SearchRequest { concepts: vec![id.to_string()], ..Default::default() })));
    // More specific than the trial's concept: found through the patient's ancestor.
    assert_eq!(by_concept("ICD10CM:M35.02"), ["NCT70000001", "NCT70000002"]);
    // Broader than a trial's concept: found through the trial's ancestors.
    assert_eq!(by_concept("ICD10CM:M35.0"), ["NCT70000001", "NCT70000002"]);
    // A sibling under a distant shared ancestor is not found.
    assert!(by_concept("ICD10CM:M35.01").contains(&"NCT70000001".to_string()));
    assert!(!by_concept("ICD10CM:M35.01").contains(&"NCT70000002".to_string()));
    // Text and concepts are alternatives: the text alone still finds its trials.
    let both = SearchRequest { concepts: vec!["ICD10CM:M35.02".into()], ..SearchRequest::text("asthma") };
    assert_eq!(sorted(data.ids(&all(both))), ["NCT70000001", "NCT70000002", "NCT70000003"]);
    let too_many = SearchRequest { concepts: vec!["X".into(); 65], ..Default::default() };
    assert!(matches!(data.index.search(&too_many), Err(SearchError::Request(RequestError::TooManyConcepts(65)))));
}
