//! Benchmark of the alerts engine (run by `scripts/bench_alerts.sh`):
//!
//! 1. Evaluation: `SUBSCRIPTIONS` subscriptions (searches by condition names and words taken from
//!    another generated registry, with status, age and place filters; categories; place-only
//!    searches; `PRE_SCREEN_PERCENT` % pre-screens: age, sex, a condition, half with a place)
//!    against a batch of `TRIALS` new generated trials: percolator + confirmation + the matcher
//!    for pre-screens.
//! 2. Delivery: `MESSAGES` immediate notifications to as many confirmed e-mail subscriptions,
//!    sent to an SMTP server on loopback; messages per second.

use std::time::Instant;

use chrono::Utc;
use eligo_alerts::evaluate::evaluate_new_trials;
use eligo_alerts::subscription::{self, SignUp};
use eligo_alerts::{AlertSettings, Answers, Deliverer, Follows, Frequency, SigningKey, SmtpSettings, Subscription};
use eligo_ctgov::Origin;
use eligo_model::{GeoPoint, PatientSex, SourceKind, Trial};
use eligo_search::SearchRequest;
use eligo_store::alerts::{SubscriptionRecord, SubscriptionStatus};
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

/// Subscription `i`, drawn deterministically from the conditions and sites of `pool`; one in a
/// hundred per `pre_screen_percent` is a pre-screen.
fn follows(i: usize, pool: &[Trial], pre_screen_percent: usize) -> Follows {
    let trial = &pool[(i * 7919) % pool.len()];
    let condition = trial.conditions.first().cloned().unwrap_or_else(|| "cancer".into());
    let site = trial.locations.iter().find_map(|l| l.geo).unwrap_or(GeoPoint { lat: 40.7, lon: -74.0 });
    if (i * 37) % 100 < pre_screen_percent {
        if let Some(follows) = pre_screen(i, &condition, site) {
            return follows;
        }
    }
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

/// A pre-screen of a person with this condition: an age, a sex, and every other one a place.
fn pre_screen(i: usize, condition: &str, site: GeoPoint) -> Option<Follows> {
    let answers = Answers {
        age: Some(25.0 + (i % 50) as f64),
        age_on: Some(Utc::now().date_naive()),
        sex: Some(if i.is_multiple_of(2) { PatientSex::Female } else { PatientSex::Male }),
        conditions: vec![Answers::condition(condition).ok()?],
        location: (i % 4 < 2).then_some(site),
        radius_km: Some(200.0),
    };
    Follows::pre_screen(answers, Utc::now().date_naive()).ok()
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
        sealed_answers: None,
        failures: 0,
        stop_reason: None,
        created_at: Utc::now(),
    }
}

fn main() {
    let (n_subscriptions, n_trials, n_messages) =
        (count("SUBSCRIPTIONS", 100_000), count("TRIALS", 1_000), count("MESSAGES", 2_000));
    let pre_screen_percent = count("PRE_SCREEN_PERCENT", 10);
    let pool = generated(7, 5_000);
    let subscriptions: Vec<Subscription> = (0..n_subscriptions)
        .map(|i| {
            let follows = follows(i, &pool, pre_screen_percent);
            let mut subscription = Subscription::from_record(record(i as i64 + 1, &follows)).unwrap();
            // The answers as evaluation has them once opened (they are never in `spec`).
            subscription.follows = follows;
            subscription
        })
        .collect();
    let pre_screens = subscriptions.iter().filter(|s| s.follows.answers().is_some()).count();
    let batch = generated(42, n_trials);
    let store = eligo_store::temporary_store().unwrap();
    let started = Instant::now();
    let evaluation = evaluate_new_trials(&*store, &subscriptions, batch).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "evaluation: {} subscriptions ({pre_screens} pre-screens) x {} changed trials in {seconds:.2} s ({} candidate pairs, {} distinct queries, {} pre-screen pairs screened, {} notifications)",
        evaluation.subscriptions, evaluation.trials, evaluation.candidates, evaluation.queries, evaluation.screened, evaluation.notifications
    );
    deliver(n_messages);
}

fn deliver(n_messages: usize) {
    let smtp = SmtpServer::start();
    let settings = AlertSettings {
        base_url: "http://127.0.0.1:8080".into(),
        from: "Eligo alerts <alerts@example.org>".into(),
        key: SigningKey::from_hex(&"ab".repeat(32)).unwrap(),
        private_webhooks: true, // the tests' webhook receivers listen on loopback
    };
    let store = eligo_store::temporary_store().unwrap();
    for i in 0..n_messages {
        let sign_up = SignUp {
            follows: Follows::Search { request: SearchRequest::text("melanoma") },
            frequency: Frequency::Immediately,
            address: Some(format!("person{i}@example.org")),
            webhook_url: None,
            feed: false,
            confirmed: true,
        };
        subscription::sign_up(&*store, &settings, sign_up).unwrap();
    }
    let mut trial = generated(3, 1).remove(0);
    trial.conditions = vec!["Melanoma".into()];
    trial.brief_title = Some("Melanoma vaccine".into());
    store.upsert_trials(&[trial]).unwrap();
    eligo_alerts::evaluate(&*store, &settings.key, Utc::now()).unwrap();
    let deliverer = Deliverer::new(settings, Some(&SmtpSettings::parse_plain(&smtp.host_port()).unwrap())).unwrap();
    let started = Instant::now();
    let mut sent = 0;
    loop {
        let report = deliverer.deliver_due(&*store, Utc::now()).unwrap();
        if report.deliveries == 0 {
            break;
        }
        sent += report.deliveries;
    }
    let seconds = started.elapsed().as_secs_f64();
    let received = smtp.received().len();
    println!("delivery: {sent} e-mails ({received} received by the loopback SMTP server) in {seconds:.2} s = {:.0} messages/s", sent as f64 / seconds);
}
