//! Pre-screen alerts through the library: the answers are sealed at rest (the database's bytes
//! do not contain them, a wrong key fails loudly), the matcher decides what is sent, and
//! unsubscribing deletes them.

use chrono::{NaiveDate, Utc};
use eligo_alerts::evaluate::Notification;
use eligo_alerts::subscription::{self, SignUp};
use eligo_alerts::{evaluate, AlertSettings, AlertsError, Answers, Follows, Frequency, SigningKey};
use eligo_model::{GeoPoint, OverallStatus, PatientSex, Trial};

fn settings(key_byte: &str) -> AlertSettings {
    AlertSettings {
        base_url: "http://127.0.0.1:8080".into(),
        from: "Eligo alerts <alerts@example.org>".into(),
        key: SigningKey::from_hex(&key_byte.repeat(32)).unwrap(),
        private_webhooks: true, // the tests' webhook receivers listen on loopback
    }
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// A 54-year-old woman with breast cancer near Lyon.
fn answers() -> Answers {
    Answers {
        age: Some(54.0),
        age_on: Some(today()),
        sex: Some(PatientSex::Female),
        conditions: vec![Answers::condition("breast cancer").unwrap()],
        location: Some(GeoPoint { lat: 45.76, lon: 4.83 }),
        radius_km: Some(250.0),
    }
}

fn pre_screen_sign_up() -> SignUp {
    SignUp {
        follows: Follows::pre_screen(answers(), today()).unwrap(),
        frequency: Frequency::Immediately,
        address: Some("ana@example.org".into()),
        webhook_url: None,
        feed: false,
        confirmed: true,
    }
}

fn trial(id: &str, title: &str, condition: &str, criteria: &str) -> Trial {
    let mut trial = Trial {
        id: id.into(),
        nct_id: Some(id.into()),
        brief_title: Some(title.into()),
        conditions: vec![condition.into()],
        overall_status: Some(OverallStatus::Recruiting),
        ..Trial::default()
    };
    trial.eligibility.criteria_text = Some(criteria.into());
    trial.locations.push(eligo_model::Location {
        city: Some("Lyon".into()),
        country: Some("France".into()),
        geo: Some(GeoPoint { lat: 45.75, lon: 4.85 }),
        ..eligo_model::Location::default()
    });
    trial
}

/// Every byte SQLite holds for the database (main file and write-ahead log).
fn database_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[test]
fn the_answers_are_sealed_a_wrong_key_fails_loudly_and_unsubscribing_deletes_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = eligo_store::open_store(&dir.path().display().to_string()).unwrap();
    let created = subscription::sign_up(&*store, &settings("ab"), pre_screen_sign_up()).unwrap();

    let bytes = database_bytes(dir.path());
    for answer in ["breast", "ICD10CM:C50", "45.76", "female", "54.0"] {
        assert!(!contains(&bytes, answer), "{answer:?} is readable in the database");
    }
    let record = store.subscription(created.id).unwrap().unwrap();
    assert!(record.sealed_answers.as_ref().is_some_and(|sealed| sealed.len() > 16));
    assert!(record.spec.contains("pre_screen") && !record.spec.contains("C50"), "{}", record.spec);

    // Another key: evaluation stops with an error naming the alert, and the cursor stays put so
    // that nothing is lost once the right key is back.
    store
        .upsert_trials(&[trial("NCT00000001", "Abemaciclib", "Breast Cancer", "Inclusion Criteria:\n- Adults\n")])
        .unwrap();
    let failed = evaluate(&*store, &settings("cd").key, Utc::now()).unwrap_err();
    assert!(matches!(failed, AlertsError::Sealed { id, .. } if id == created.id), "{failed}");
    assert!(failed.to_string().contains("cannot be read"), "{failed}");
    assert_eq!(store.alerts_cursor().unwrap(), 0);
    assert_eq!(evaluate(&*store, &settings("ab").key, Utc::now()).unwrap().notifications, 1);

    assert!(subscription::remove(&*store, created.id).unwrap());
    assert!(store.subscription(created.id).unwrap().is_none());
    assert!(store.subscriptions().unwrap().iter().all(|s| s.sealed_answers.is_none()), "no answers are left");
}

#[test]
fn only_trials_the_matcher_finds_fitting_are_sent_with_their_open_questions() {
    let store = eligo_store::temporary_store().unwrap();
    let created = subscription::sign_up(&*store, &settings("ab"), pre_screen_sign_up()).unwrap();
    store
        .upsert_trials(&[
            trial(
                "NCT00000011",
                "Abemaciclib after surgery",
                "Breast Cancer",
                "Inclusion Criteria:\n- Women aged 18 years or older with breast cancer\n\nExclusion Criteria:\n- Prior chemotherapy\n",
            ),
            trial(
                "NCT00000012",
                "Tamoxifen before 45",
                "Breast Cancer",
                "Inclusion Criteria:\n- Breast cancer\n- Age between 18 and 45 years\n",
            ),
            trial("NCT00000013", "Dupilumab in asthma", "Asthma", "Inclusion Criteria:\n- Adults with asthma\n"),
        ])
        .unwrap();
    let evaluation = evaluate(&*store, &settings("ab").key, Utc::now()).unwrap();
    assert_eq!(evaluation.screened, 2, "the asthma trial never reaches the matcher: {evaluation:?}");
    let messages = store.recent_messages(created.id, 10).unwrap();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let notification: Notification = serde_json::from_str(&messages[0].payload).unwrap();
    assert_eq!(notification.trial_id, "NCT00000011");
    assert_eq!(notification.verdict.as_deref(), Some("possible"));
    assert!(
        notification.open_questions.iter().any(|q| q.to_lowercase().contains("chemotherapy")),
        "{:?}",
        notification.open_questions
    );
}
