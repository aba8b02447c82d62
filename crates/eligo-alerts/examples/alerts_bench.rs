//! Benchmark of the alerts engine (run by `scripts/bench_alerts.sh`):
//!
//! 1. Evaluation: `SUBSCRIPTIONS` subscriptions (searches by condition names and words taken from
//!    another generated registry, with status, age and place filters; categories; place-only
//!    searches) against a batch of `TRIALS` new generated trials: percolator + confirmation.
//! 2. Delivery: `MESSAGES` immediate notifications to as many confirmed e-mail subscriptions,
//!    sent to an SMTP server on loopback; messages per second.

use std::time::Instant;

use chrono::Utc;
use eligo_alerts::evaluate::evaluate_new_trials;
use eligo_alerts::subscription::{self, SignUp};
use eligo_alerts::{AlertSettings, Deliverer, Follows, Frequency, SigningKey, SmtpSettings, Subscription};
use eligo_ctgov::Origin;
use eligo_model::{GeoPoint, SourceKind, Trial};
use eligo_search::SearchRequest;
use eligo_store::alerts::{SubscriptionRecord, SubscriptionStatus};
use eligo_store::{SqliteStore, TrialStore};
use eligo_testkit::smtp::SmtpServer;

fn count(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn generated(seed: u64, n: usize) -> Vec<Trial> {
    let origin = Origin { uri: "synth".into(), retrieved_at: Utc::now(), kind: SourceKind::Generated };
    eligo_synth::studies(seed, n)
        .filter_map(|study| eligo_ctgov::json::study_to_trial(&study, &origin).ok().map(|(t, _)| t))
        .collect()
}

/// Subscription `i`, drawn deterministically from the conditions and sites of `pool`.
fn follows(i: usize, pool: &[Trial]) -> Follows {
    let trial = &pool[(i * 7919) % pool.len()];
    let condition = trial.conditions.first().cloned().unwrap_or_else(|| "cancer".into());
    let site = trial.locations.iter().find_map(|l| l.geo).unwrap_or(GeoPoint { lat: 40.7, lon: -74.0 });
    let recruiting = SearchRequest { statuses: vec!["RECRUITING".into()], ..SearchRequest::default() };
    match i % 10 {
        0..=3 => Follows::Search { request: SearchRequest { query: condition, ..recruiting } },
        4 | 5 => Follows::Search {
            request: SearchRequest { query: condition, near: Some(site), radius_km: Some(100.0), ..recruiting },
        },
        6 => Follows::Search {
            request: SearchRequest { query: condition, age: Some(30.0 + (i % 40) as f64), ..recruiting },
        },
        7 | 8 => Follows::category(&condition, recruiting.clone())
            .unwrap_or(Follows::Search { request: SearchRequest { query: condition, ..recruiting } }),
        _ => Follows::Search { request: SearchRequest { near: Some(site), radius_km: Some(50.0), ..recruiting } },
    }
}

fn record(id: i64, follows: &Follows) -> SubscriptionRecord {
    SubscriptionRecord {
        id,
        status: SubscriptionStatus::Active,
        address: None,
        spec: serde_json::to_string(follows).unwrap(),
        channel: r#"{"type":"feed"}"#.into(),
        frequency: "immediately".into(),
        salt: String::new(),
        manage_hash: String::new(),
        feed_token: None,
        since_seq: 0,
        failures: 0,
        stop_reason: None,
        created_at: Utc::now(),
    }
}

fn main() {
    let (n_subscriptions, n_trials, n_messages) =
        (count("SUBSCRIPTIONS", 100_000), count("TRIALS", 1_000), count("MESSAGES", 2_000));
    let pool = generated(7, 5_000);
    let subscriptions: Vec<Subscription> = (0..n_subscriptions)
        .map(|i| Subscription::from_record(record(i as i64 + 1, &follows(i, &pool))).unwrap())
        .collect();
    let batch = generated(42, n_trials);
    let store = SqliteStore::in_memory().unwrap();
    let started = Instant::now();
    let evaluation = evaluate_new_trials(&store, &subscriptions, batch).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "evaluation: {} subscriptions x {} changed trials in {seconds:.2} s ({} candidate pairs, {} distinct queries, {} notifications)",
        evaluation.subscriptions, evaluation.trials, evaluation.candidates, evaluation.queries, evaluation.notifications
    );
    deliver(n_messages);
}

fn deliver(n_messages: usize) {
    let smtp = SmtpServer::start();
    let settings = AlertSettings {
        base_url: "http://127.0.0.1:8080".into(),
        from: "Eligo alerts <alerts@example.org>".into(),
        key: SigningKey::from_hex(&"ab".repeat(32)).unwrap(),
    };
    let mut store = SqliteStore::in_memory().unwrap();
    for i in 0..n_messages {
        let sign_up = SignUp {
            follows: Follows::Search { request: SearchRequest::text("melanoma") },
            frequency: Frequency::Immediately,
            address: Some(format!("person{i}@example.org")),
            webhook_url: None,
            feed: false,
            confirmed: true,
        };
        subscription::sign_up(&mut store, &settings, sign_up).unwrap();
    }
    let mut trial = generated(3, 1).remove(0);
    trial.conditions = vec!["Melanoma".into()];
    trial.brief_title = Some("Melanoma vaccine".into());
    store.upsert_trials(&[trial]).unwrap();
    eligo_alerts::evaluate(&mut store, Utc::now()).unwrap();
    let deliverer = Deliverer::new(settings, Some(&SmtpSettings::parse_plain(&smtp.host_port()).unwrap())).unwrap();
    let started = Instant::now();
    let mut sent = 0;
    loop {
        let report = deliverer.deliver_due(&mut store, Utc::now()).unwrap();
        if report.deliveries == 0 {
            break;
        }
        sent += report.deliveries;
    }
    let seconds = started.elapsed().as_secs_f64();
    let received = smtp.received().len();
    println!("delivery: {sent} e-mails ({received} received by the loopback SMTP server) in {seconds:.2} s = {:.0} messages/s", sent as f64 / seconds);
}
