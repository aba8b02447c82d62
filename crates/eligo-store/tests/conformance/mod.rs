//! What every store backend promises, one function per property, each run against a backend's
//! fresh stores ([`PROPERTIES`]; `tests/sqlite.rs` and `tests/postgres.rs` run them all).

use std::collections::HashMap;
use std::sync::Arc;

use eligo_model::{
    LinkReason, OverallStatus, PartialDate, Phase, Publication, PublicationLink, SecondaryId, SourceKind, SourceRecord,
    Trial,
};
use eligo_store::alerts::{NewMessage, NewSubscription, SubscriptionStatus};
use eligo_store::{NewApiToken, NewIngestJob, SharedStore, UpsertOutcome};

/// A backend under test: hands out the locations of new, empty stores.
pub trait Backend {
    /// The location of a store nobody has used (`open_store` takes it; opening it twice opens
    /// the same store).
    fn fresh(&self) -> String;
}

fn open(location: &str) -> SharedStore {
    eligo_store::open_store(location).unwrap_or_else(|e| panic!("opening {location}: {e}"))
}

pub fn trial(n: u32, status: OverallStatus) -> Trial {
    let id = format!("NCT{n:08}");
    Trial {
        id: id.clone(),
        nct_id: Some(id),
        org_study_id: Some(format!("ORG-{n}")),
        secondary_ids: vec![SecondaryId::new(format!("K{n}"))],
        brief_title: Some(format!("Trial number {n}")),
        overall_status: Some(status),
        phases: vec![Phase::Phase2, Phase::Phase3],
        ..Trial::default()
    }
}

pub fn reingest_is_a_no_op_and_a_change_keeps_history(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    let first = store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]);
    assert_eq!(first.unwrap(), vec![UpsertOutcome::New, UpsertOutcome::New]);
    let seq_after_first = store.max_seq().unwrap();

    let again = store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    assert_eq!(again, vec![UpsertOutcome::Unchanged]);
    assert_eq!(store.max_seq().unwrap(), seq_after_first, "an unchanged record must not be rewritten");

    let changed = store.upsert_trials(&[trial(1, OverallStatus::Completed)]).unwrap();
    assert_eq!(changed, vec![UpsertOutcome::Updated]);
    let current = store.get_trial("NCT00000001").unwrap().unwrap();
    assert_eq!(current.overall_status, Some(OverallStatus::Completed));
    let history = store.history("NCT00000001").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].trial.overall_status, Some(OverallStatus::Recruiting));
    assert!(history[0].replaced_at_seq > seq_after_first);
}

pub fn the_same_trial_twice_in_a_batch_is_applied_in_order(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    let outcomes =
        store.upsert_trials(&[trial(4, OverallStatus::Recruiting), trial(4, OverallStatus::Completed)]).unwrap();
    assert_eq!(outcomes, [UpsertOutcome::New, UpsertOutcome::Updated]);
    assert_eq!(store.get_trial("NCT00000004").unwrap().unwrap().overall_status, Some(OverallStatus::Completed));
    assert_eq!(store.history("NCT00000004").unwrap().len(), 1);
}

pub fn any_identifier_finds_the_trial(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.upsert_trials(&[trial(7, OverallStatus::Recruiting)]).unwrap();
    for id in ["NCT00000007", "nct00000007", "ORG-7", "org-7", "k7", " K7 "] {
        assert_eq!(store.resolve_id(id).unwrap().as_deref(), Some("NCT00000007"), "{id}");
        assert_eq!(store.get_trial(id).unwrap().map(|t| t.id).as_deref(), Some("NCT00000007"), "{id}");
    }
    assert_eq!(store.get_trial("NCT99999999").unwrap(), None);
    let hashes = store.content_hashes(&["NCT00000007", "NCT99999999"]).unwrap();
    assert_eq!(hashes.keys().collect::<Vec<_>>(), ["NCT00000007"]);
    assert_eq!(hashes["NCT00000007"], eligo_store::content_hash(&trial(7, OverallStatus::Recruiting)));
}

pub fn a_batch_of_many_writes_and_many_hash_lookups_keeps_every_trial(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    let first: Vec<Trial> = (1..=300).map(|n| trial(n, OverallStatus::Recruiting)).collect();
    store.upsert_trials(&first).unwrap();
    // Half of them changed, the other half as they were, and new ones, in one batch.
    let second: Vec<Trial> =
        (151..=450).map(|n| trial(n, OverallStatus::Completed)).chain(first[..10].to_vec()).collect();
    let outcomes = store.upsert_trials(&second).unwrap();
    let count = |wanted: UpsertOutcome| outcomes.iter().filter(|o| **o == wanted).count();
    assert_eq!(
        (count(UpsertOutcome::Updated), count(UpsertOutcome::New), count(UpsertOutcome::Unchanged)),
        (150, 150, 10)
    );
    assert_eq!(store.history("NCT00000200").unwrap().len(), 1);
    assert_eq!(store.resolve_id("k450").unwrap().as_deref(), Some("NCT00000450"));
    let ids: Vec<String> = (1..=500).map(|n| format!("NCT{n:08}")).chain(["nct00000001".into()]).collect();
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let hashes = store.content_hashes(&refs).unwrap();
    assert_eq!(hashes.len(), 450, "absent ids are left out and ids match exactly");
    assert_eq!(hashes["NCT00000001"], eligo_store::content_hash(&first[0]));
    assert_eq!(hashes["NCT00000300"], eligo_store::content_hash(&trial(300, OverallStatus::Completed)));
}

pub fn changed_since_lists_only_later_writes_in_order(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]).unwrap();
    let mark = store.max_seq().unwrap();
    store.upsert_trials(&[trial(3, OverallStatus::Recruiting), trial(1, OverallStatus::Withdrawn)]).unwrap();
    let mut seen = Vec::new();
    store
        .changed_since(mark, &mut |stored| {
            seen.push(stored.trial.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen, ["NCT00000003", "NCT00000001"]);
    let mut all = Vec::new();
    store
        .for_each_trial(&mut |stored| {
            all.push(stored.trial.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(all, ["NCT00000001", "NCT00000002", "NCT00000003"], "every trial, in id order");
}

/// Writers on several threads at once, a reader catching up from the change sequence as they
/// go: the reader sees every write once, however the writers' transactions interleave. A
/// backend that hands out sequence numbers before commit order is settled (a plain database
/// sequence) lets a reader pass a number whose transaction commits later, and fails here.
pub fn a_reader_catching_up_during_concurrent_writes_misses_nothing(backend: &dyn Backend) {
    const WRITERS: u32 = 4;
    const BATCHES: u32 = 25;
    const BATCH: u32 = 4;
    let store = open(&backend.fresh());
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (store, done) = (Arc::clone(&store), Arc::clone(&done));
        std::thread::spawn(move || {
            let (mut cursor, mut seen) = (0, HashMap::<String, u32>::new());
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                store
                    .changed_since(cursor, &mut |stored| {
                        cursor = cursor.max(stored.seq);
                        *seen.entry(stored.trial.id).or_default() += 1;
                        Ok(())
                    })
                    .unwrap();
                if finished {
                    return seen;
                }
            }
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                for batch in 0..BATCHES {
                    let first = (writer * BATCHES + batch) * BATCH;
                    let trials: Vec<Trial> =
                        (first..first + BATCH).map(|n| trial(n + 1, OverallStatus::Recruiting)).collect();
                    store.upsert_trials(&trials).unwrap();
                }
            })
        })
        .collect();
    writers.into_iter().for_each(|writer| writer.join().unwrap());
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = reader.join().unwrap();
    let written = (WRITERS * BATCHES * BATCH) as usize;
    assert_eq!(seen.len(), written, "the reader missed {} trials", written - seen.len());
    assert!(seen.values().all(|&times| times == 1), "a trial was seen twice");
    assert_eq!(store.max_seq().unwrap(), written as u64);
}

/// A long read (a match screening hundreds of trials, an export) holds one connection; other
/// readers and writers go on with others.
pub fn a_long_read_does_not_hold_up_other_requests(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
    let (inside_tx, inside_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let long_read = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            store
                .for_each_trial(&mut |_| {
                    inside_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    Ok(())
                })
                .unwrap()
        })
    };
    inside_rx.recv().unwrap();
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let others = {
        let store = Arc::clone(&store);
        std::thread::spawn(move || {
            for n in 2..6 {
                store.trial_count().unwrap();
                store.upsert_trials(&[trial(n, OverallStatus::Recruiting)]).unwrap();
            }
            done_tx.send(()).unwrap();
        })
    };
    let finished = done_rx.recv_timeout(std::time::Duration::from_secs(5));
    release_tx.send(()).unwrap();
    long_read.join().unwrap();
    others.join().unwrap();
    assert!(finished.is_ok(), "reads and writes waited for the long read");
}

pub fn stats_count_status_phase_and_source(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Completed)]).unwrap();
    store.upsert_trials(&[trial(2, OverallStatus::Terminated)]).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!((stats.trials, stats.history_versions), (2, 1));
    assert_eq!(stats.by_status["RECRUITING"], 1);
    assert_eq!(stats.by_status["TERMINATED"], 1);
    assert_eq!(stats.by_phase["PHASE2"], 2);
    assert_eq!(store.trial_count().unwrap(), 2);
}

pub fn state_survives_reopening(backend: &dyn Backend) {
    let location = backend.fresh();
    open(&location).set_state("sync:abc", "token-1").unwrap();
    open(&location).set_state("sync:abc", "token-2").unwrap();
    let store = open(&location);
    assert_eq!(store.get_state("sync:abc").unwrap().as_deref(), Some("token-2"));
    store.delete_state("sync:abc").unwrap();
    assert_eq!(store.get_state("sync:abc").unwrap(), None);
}

pub fn new_token(hash: &str, name: &str) -> NewApiToken {
    NewApiToken { hash: hash.into(), name: name.into(), scope: "ingest".into(), expires_at: None }
}

pub fn api_tokens_are_found_by_hash_after_reopening(backend: &dyn Backend) {
    let location = backend.fresh();
    let expires = chrono::Utc::now() + chrono::TimeDelta::days(90);
    let token = NewApiToken { expires_at: Some(expires), scope: "admin".into(), ..new_token("ab12", "ingest bot") };
    open(&location).add_api_token(&token).unwrap();
    let store = open(&location);
    let found = store.find_api_token("ab12").unwrap().expect("found by its hash");
    assert_eq!((found.name.as_str(), found.scope.as_str()), ("ingest bot", "admin"));
    assert_eq!(found.expires_at.map(|t| t.timestamp()), Some(expires.timestamp()));
    assert_eq!((found.last_used_at, found.revoked_at), (None, None));
    assert_eq!(store.find_api_token("AB12").unwrap(), None);
    assert_eq!(store.find_api_token("").unwrap(), None);
}

pub fn revoking_a_token_by_name_stamps_every_unrevoked_one_and_keeps_the_rows(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.add_api_token(&new_token("h1", "bot")).unwrap();
    store.add_api_token(&new_token("h2", "bot")).unwrap();
    store.add_api_token(&new_token("h3", "other")).unwrap();
    let now = chrono::Utc::now();
    store.touch_api_token("h3", now).unwrap();
    assert_eq!(store.revoke_api_tokens("bot", now).unwrap(), 2);
    assert_eq!(store.revoke_api_tokens("bot", now).unwrap(), 0, "already revoked");
    assert_eq!(store.revoke_api_tokens("nobody", now).unwrap(), 0);
    let listed = store.list_api_tokens().unwrap();
    assert_eq!(listed.len(), 3);
    assert!(listed.iter().filter(|t| t.name == "bot").all(|t| t.revoked_at.is_some()));
    let other = listed.iter().find(|t| t.name == "other").unwrap();
    assert_eq!((other.revoked_at, other.last_used_at.map(|t| t.timestamp())), (None, Some(now.timestamp())));
}

pub fn an_ingest_job_key_is_held_by_its_first_job_until_forgotten(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    let job = |id: &str| NewIngestJob {
        id: id.into(),
        idempotency_key: "bot:key-1".into(),
        body_hash: "b1".into(),
        token_name: "bot".into(),
    };
    let long_ago = chrono::Utc::now() - chrono::TimeDelta::hours(24);
    let (first, started) = store.start_ingest_job(&job("j1"), long_ago).unwrap();
    assert!(started);
    assert_eq!((first.id.as_str(), first.finished_at), ("j1", None));
    let (again, started) = store.start_ingest_job(&job("j2"), long_ago).unwrap();
    assert!(!started, "the key is taken");
    assert_eq!(again.id, "j1");
    store.finish_ingest_job("j1", "{\"new\":1}").unwrap();
    let finished = store.get_ingest_job("j1").unwrap().unwrap();
    assert!(finished.finished_at.is_some());
    assert_eq!(finished.result.as_deref(), Some("{\"new\":1}"));
    assert_eq!(store.get_ingest_job("j2").unwrap(), None);
    // Once the first job is older than the retention, the key is free again.
    let (later, started) =
        store.start_ingest_job(&job("j3"), chrono::Utc::now() + chrono::TimeDelta::seconds(1)).unwrap();
    assert!(started);
    assert_eq!(later.id, "j3");
    assert_eq!(store.get_ingest_job("j1").unwrap(), None);
    store.forget_ingest_job("j3").unwrap();
    assert_eq!(store.get_ingest_job("j3").unwrap(), None);
}

pub fn a_healthy_store_passes_its_integrity_check(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    store.upsert_trials(&[trial(1, OverallStatus::Recruiting), trial(2, OverallStatus::Recruiting)]).unwrap();
    store.upsert_trials(&[trial(1, OverallStatus::Completed)]).unwrap();
    assert_eq!(store.integrity_check().unwrap(), Vec::<String>::new());
}

fn subscription(n: u32) -> NewSubscription {
    NewSubscription {
        status: SubscriptionStatus::Active,
        address: Some("ana@example.org".into()),
        spec: "{}".into(),
        channel: "\"email\"".into(),
        frequency: "immediate".into(),
        salt: format!("salt-{n}"),
        manage_hash: format!("manage-{n}"),
        feed_token: None,
        since_seq: 0,
        sealed_answers: None,
    }
}

pub fn alert_subscriptions_are_capped_per_address_and_deleted_with_their_messages(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    let first = store.add_subscription(&subscription(1), &[], 2).unwrap().expect("under the limit");
    store.add_subscription(&subscription(2), &[], 2).unwrap().expect("reaches the limit");
    assert_eq!(store.add_subscription(&subscription(3), &[], 2).unwrap(), None, "past the limit");
    assert_eq!(store.subscriptions_to("ana@example.org").unwrap().len(), 2);
    assert_eq!(store.subscription_by_manage_hash("manage-2").unwrap().map(|s| s.salt).as_deref(), Some("salt-2"));

    let message = NewMessage {
        subscription_id: first,
        delivery_key: "new:NCT1".into(),
        kind: "new_trial".into(),
        trial_id: Some("NCT1".into()),
        payload: "{}".into(),
        due_at: chrono::Utc::now(),
        delivered: false,
    };
    store.record_evaluation(5, &[message.clone(), message]).unwrap();
    assert_eq!(store.alerts_cursor().unwrap(), 5);
    let due = store.due_messages(chrono::Utc::now(), 10).unwrap();
    assert_eq!(due.len(), 1, "one delivery key, one message");
    assert_eq!(store.followers(&["NCT1", "NCT2"]).unwrap(), [("NCT1".to_string(), first)]);
    store.mark_sent(&[due[0].id], chrono::Utc::now()).unwrap();
    assert!(store.due_messages(chrono::Utc::now(), 10).unwrap().is_empty());
    let later = chrono::Utc::now() + chrono::TimeDelta::hours(1);
    assert!(store.claim_messages(&[due[0].id], later, later).unwrap().is_empty(), "a sent message is not claimed");

    assert!(store.delete_subscription(first).unwrap());
    assert!(!store.delete_subscription(first).unwrap(), "already gone");
    assert!(store.followers(&["NCT1"]).unwrap().is_empty(), "its follows went with it");
    assert!(store.recent_messages(first, 10).unwrap().is_empty(), "its messages went with it");
}

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

pub fn publications_are_found_by_any_identifier_and_rewritten_only_when_changed(backend: &dyn Backend) {
    let store = open(&backend.fresh());
    assert_eq!(store.upsert_publications(&[article()]).unwrap(), [UpsertOutcome::New]);
    assert_eq!(store.upsert_publications(&[article()]).unwrap(), [UpsertOutcome::Unchanged]);
    let changed = Publication { volume: Some("70".into()), ..article() };
    assert_eq!(store.upsert_publications(&[changed]).unwrap(), [UpsertOutcome::Updated]);
    for id in ["PMID:29073351", "29073351", "doi:10.1002/art.40358", "10.1002/art.40358", "PMCID:pmc6590997"] {
        let found = store.get_publication(id).unwrap();
        assert_eq!(found.and_then(|p| p.volume).as_deref(), Some("70"), "{id}");
    }
    assert!(store.get_publication("PMID:1").unwrap().is_none());
    let mut keys = Vec::new();
    store
        .for_each_publication(&mut |publication| {
            keys.push(publication.key());
            Ok(())
        })
        .unwrap();
    assert_eq!(keys, [Some("PMID:29073351".to_string())]);
}

pub fn links_are_replaced_as_a_whole_and_read_best_first(backend: &dyn Backend) {
    let store = open(&backend.fresh());
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

pub fn trials_are_listed_by_the_kind_of_their_sources(backend: &dyn Backend) {
    let store = open(&backend.fresh());
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

fn queue_messages(store: &SharedStore, count: usize) {
    let subscription = store.add_subscription(&subscription(1), &[], 10).unwrap().expect("under the limit");
    let messages: Vec<NewMessage> = (0..count)
        .map(|n| NewMessage {
            subscription_id: subscription,
            delivery_key: format!("new:{n}"),
            kind: "new_trial".into(),
            trial_id: None,
            payload: "{}".into(),
            due_at: chrono::Utc::now(),
            delivered: false,
        })
        .collect();
    store.record_evaluation(1, &messages).unwrap();
}

/// Two deliverers (two server replicas) reading the due messages and claiming what they read, a
/// few at a time, until none is left: every message is claimed by exactly one of them. A claimed
/// message is due again only once its claim has run out.
pub fn two_claimers_never_get_the_same_message(backend: &dyn Backend) {
    const MESSAGES: usize = 200;
    let location = backend.fresh();
    let store = open(&location);
    queue_messages(&store, MESSAGES);
    let claimers: Vec<_> = (0..2)
        .map(|_| {
            let store = open(&location);
            std::thread::spawn(move || {
                let mut claimed = Vec::new();
                loop {
                    let now = chrono::Utc::now();
                    let due = store.due_messages(now, 7).unwrap();
                    if due.is_empty() {
                        return claimed;
                    }
                    let ids: Vec<i64> = due.iter().map(|message| message.id).collect();
                    let batch = store.claim_messages(&ids, now, now + chrono::TimeDelta::hours(1)).unwrap();
                    claimed.extend(batch.into_iter().map(|message| message.id));
                }
            })
        })
        .collect();
    let claimed: Vec<Vec<i64>> = claimers.into_iter().map(|claimer| claimer.join().unwrap()).collect();
    let mut all: Vec<i64> = claimed.concat();
    all.sort_unstable();
    let total = all.len();
    all.dedup();
    assert_eq!(total, all.len(), "{} messages were claimed twice", total - all.len());
    assert_eq!(all.len(), MESSAGES, "every message is claimed");

    let now = chrono::Utc::now();
    assert!(store.due_messages(now, 10).unwrap().is_empty(), "claims hold until they run out");
    let expired = now + chrono::TimeDelta::hours(2);
    let again = store.due_messages(expired, 1).unwrap();
    assert_eq!(again.len(), 1, "a claim that ran out is due again (its deliverer died)");
    assert_eq!(store.claim_messages(&[again[0].id], expired, expired).unwrap().len(), 1);
}

/// A follower waiting for changes wakes when a batch commits, long before its timeout, and a
/// waiter whose sequence is already behind returns at once.
pub fn a_waiter_wakes_when_a_change_commits(backend: &dyn Backend) {
    let location = backend.fresh();
    let store = open(&location);
    let long = std::time::Duration::from_secs(20);
    let started = std::time::Instant::now();
    assert_eq!(store.wait_for_change(0, std::time::Duration::from_millis(300)).unwrap(), 0, "nothing changed");
    assert!(started.elapsed() >= std::time::Duration::from_millis(250), "the wait lasts its timeout");
    let writer = {
        let store = open(&location);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            store.upsert_trials(&[trial(1, OverallStatus::Recruiting)]).unwrap();
        })
    };
    let started = std::time::Instant::now();
    let seq = store.wait_for_change(0, long).unwrap();
    writer.join().unwrap();
    assert_eq!(seq, 1);
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "woke after {:?}", started.elapsed());
    let started = std::time::Instant::now();
    assert_eq!(store.wait_for_change(0, long).unwrap(), 1, "already past: no wait");
    assert!(started.elapsed() < std::time::Duration::from_secs(1));
}

/// An allowance is one for every handle on the store (every replica): two handles taking from
/// one key share its burst, and other keys have their own.
pub fn rate_allowances_are_shared_by_every_handle(backend: &dyn Backend) {
    let location = backend.fresh();
    let (first, second) = (open(&location), open(&location));
    let allowance = eligo_store::Allowance { interval: std::time::Duration::from_secs(60), burst: 2 };
    let now = chrono::Utc::now();
    assert_eq!(first.take_allowance("inbox:a", allowance, now).unwrap(), None);
    assert_eq!(second.take_allowance("inbox:a", allowance, now).unwrap(), None);
    let wait = first.take_allowance("inbox:a", allowance, now).unwrap().expect("past the shared burst");
    assert_eq!(wait, std::time::Duration::from_secs(60));
    assert_eq!(second.take_allowance("inbox:b", allowance, now).unwrap(), None, "another key");
    let later = now + chrono::TimeDelta::seconds(61);
    assert_eq!(second.take_allowance("inbox:a", allowance, later).unwrap(), None, "one more after an interval");
}

/// A property: it panics, saying what, when the backend breaks it.
pub type Property = fn(&dyn Backend);

/// Every property above, by name, for a backend's test to run.
pub const PROPERTIES: &[(&str, Property)] = &[
    ("reingest_is_a_no_op_and_a_change_keeps_history", reingest_is_a_no_op_and_a_change_keeps_history),
    ("the_same_trial_twice_in_a_batch_is_applied_in_order", the_same_trial_twice_in_a_batch_is_applied_in_order),
    ("any_identifier_finds_the_trial", any_identifier_finds_the_trial),
    (
        "a_batch_of_many_writes_and_many_hash_lookups_keeps_every_trial",
        a_batch_of_many_writes_and_many_hash_lookups_keeps_every_trial,
    ),
    ("changed_since_lists_only_later_writes_in_order", changed_since_lists_only_later_writes_in_order),
    (
        "a_reader_catching_up_during_concurrent_writes_misses_nothing",
        a_reader_catching_up_during_concurrent_writes_misses_nothing,
    ),
    ("a_long_read_does_not_hold_up_other_requests", a_long_read_does_not_hold_up_other_requests),
    ("stats_count_status_phase_and_source", stats_count_status_phase_and_source),
    ("state_survives_reopening", state_survives_reopening),
    ("api_tokens_are_found_by_hash_after_reopening", api_tokens_are_found_by_hash_after_reopening),
    (
        "revoking_a_token_by_name_stamps_every_unrevoked_one_and_keeps_the_rows",
        revoking_a_token_by_name_stamps_every_unrevoked_one_and_keeps_the_rows,
    ),
    (
        "an_ingest_job_key_is_held_by_its_first_job_until_forgotten",
        an_ingest_job_key_is_held_by_its_first_job_until_forgotten,
    ),
    ("a_healthy_store_passes_its_integrity_check", a_healthy_store_passes_its_integrity_check),
    (
        "publications_are_found_by_any_identifier_and_rewritten_only_when_changed",
        publications_are_found_by_any_identifier_and_rewritten_only_when_changed,
    ),
    ("links_are_replaced_as_a_whole_and_read_best_first", links_are_replaced_as_a_whole_and_read_best_first),
    ("trials_are_listed_by_the_kind_of_their_sources", trials_are_listed_by_the_kind_of_their_sources),
    (
        "alert_subscriptions_are_capped_per_address_and_deleted_with_their_messages",
        alert_subscriptions_are_capped_per_address_and_deleted_with_their_messages,
    ),
    ("two_claimers_never_get_the_same_message", two_claimers_never_get_the_same_message),
    ("a_waiter_wakes_when_a_change_commits", a_waiter_wakes_when_a_change_commits),
    ("rate_allowances_are_shared_by_every_handle", rate_allowances_are_shared_by_every_handle),
];

/// Runs every property on `backend`, saying which one fails.
pub fn check_every_property(backend: &dyn Backend) {
    for (name, property) in PROPERTIES {
        eprintln!("property: {name}");
        property(backend);
    }
}
