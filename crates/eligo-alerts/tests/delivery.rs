//! Alerts end to end against real servers on loopback: an SMTP server (eligo-testkit) whose
//! messages are parsed as MIME, a webhook receiver that fails before it accepts, the Atom feed.

use chrono::{Duration, Utc};
use eligo_alerts::subscription::{self, SignUp, TokenError};
use eligo_alerts::{evaluate, AlertSettings, Deliverer, Follows, Frequency, SigningKey, SmtpSettings};
use eligo_model::{OverallStatus, Trial};
use eligo_search::SearchRequest;
use eligo_testkit::smtp::SmtpServer;
use eligo_testkit::webhook::WebhookReceiver;
use mail_parser::MessageParser;

fn settings() -> AlertSettings {
    AlertSettings {
        base_url: "http://127.0.0.1:8080".into(),
        from: "Eligo alerts <alerts@example.org>".into(),
        key: SigningKey::from_hex(&"ab".repeat(32)).unwrap(),
        private_webhooks: true, // the tests' webhook receivers listen on loopback
    }
}

fn trial(id: &str, title: &str, condition: &str, status: OverallStatus) -> Trial {
    Trial {
        id: id.into(),
        nct_id: Some(id.into()),
        brief_title: Some(title.into()),
        conditions: vec![condition.into()],
        overall_status: Some(status),
        ..Trial::default()
    }
}

fn email_alert(address: &str, query: &str, confirmed: bool) -> SignUp {
    SignUp {
        follows: Follows::Search { request: SearchRequest::text(query) },
        frequency: Frequency::Immediately,
        address: Some(address.into()),
        webhook_url: None,
        feed: false,
        confirmed,
    }
}

fn mails_to(server: &SmtpServer, address: &str) -> Vec<mail_parser::Message<'static>> {
    server
        .received()
        .into_iter()
        .filter(|m| m.to.iter().any(|t| t == address))
        .map(|m| MessageParser::default().parse(&m.data).unwrap().into_owned())
        .collect()
}

fn link_with<'a>(text: &'a str, path: &str) -> &'a str {
    let start = text.find(path).expect("link in the message");
    let token = &text[start + path.len()..];
    &token[..token.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(token.len())]
}

#[test]
fn subscribe_confirm_ingest_gets_exactly_one_email_naming_the_trial() {
    let smtp = SmtpServer::start();
    let store = eligo_store::temporary_store().unwrap();
    store.upsert_trials(&[trial("NCT00000001", "Inhaled budesonide", "Asthma", OverallStatus::Recruiting)]).unwrap();
    let deliverer = Deliverer::new(settings(), Some(&SmtpSettings::parse_plain(&smtp.host_port()).unwrap())).unwrap();

    subscription::sign_up(&*store, &settings(), email_alert("ana@example.org", "melanoma", false)).unwrap();
    subscription::sign_up(&*store, &settings(), email_alert("ben@example.org", "psoriasis", true)).unwrap();
    deliverer.deliver_due(&*store, Utc::now()).unwrap();
    let confirmation = mails_to(&smtp, "ana@example.org");
    assert_eq!(confirmation.len(), 1, "one confirmation, none for the operator-confirmed alert");
    assert!(confirmation[0].subject().unwrap().contains("Confirm"));
    let text = confirmation[0].body_text(0).unwrap().into_owned();
    let token = link_with(&text, "/alerts/confirm/").to_string();

    // Nothing is sent before the link is followed.
    store
        .upsert_trials(&[trial("NCT00000002", "Pembrolizumab in melanoma", "Melanoma", OverallStatus::Recruiting)])
        .unwrap();
    evaluate(&*store, &settings().key, Utc::now()).unwrap();
    deliverer.deliver_due(&*store, Utc::now()).unwrap();
    assert_eq!(mails_to(&smtp, "ana@example.org").len(), 1);

    let pending = subscription::by_token(&*store, &settings(), &token).unwrap().unwrap();
    subscription::confirm(&*store, &pending).unwrap();
    store
        .upsert_trials(&[trial(
            "NCT00000003",
            "Nivolumab for advanced melanoma",
            "Melanoma",
            OverallStatus::Recruiting,
        )])
        .unwrap();
    let evaluation = evaluate(&*store, &settings().key, Utc::now()).unwrap();
    assert_eq!(evaluation.notifications, 1, "{evaluation:?}");
    deliverer.deliver_due(&*store, Utc::now()).unwrap();

    let mails = mails_to(&smtp, "ana@example.org");
    assert_eq!(mails.len(), 2);
    let alert = &mails[1];
    let body = alert.body_text(0).unwrap();
    assert!(body.contains("NCT00000003") && body.contains("Nivolumab"), "{body}");
    assert!(!body.contains("NCT00000002"), "a trial from before the confirmation is not news to it");
    assert!(alert.body_html(0).unwrap().contains("NCT00000003"));
    let unsubscribe = alert.header_raw("List-Unsubscribe").unwrap();
    assert!(unsubscribe.contains(&format!("/alerts/unsubscribe/{token}")), "{unsubscribe}");
    assert_eq!(alert.header_raw("List-Unsubscribe-Post").unwrap().trim(), "List-Unsubscribe=One-Click");
    assert!(alert.message_id().is_some());
    assert!(mails_to(&smtp, "ben@example.org").is_empty(), "an unrelated alert gets nothing");

    // A second run sends nothing new.
    assert_eq!(evaluate(&*store, &settings().key, Utc::now()).unwrap().notifications, 0);
    assert_eq!(deliverer.deliver_due(&*store, Utc::now()).unwrap().deliveries, 0);
    assert_eq!(smtp.received().len(), 2);

    // A followed trial closing is news; unsubscribing deletes the address and everything else.
    store
        .upsert_trials(&[trial("NCT00000003", "Nivolumab for advanced melanoma", "Melanoma", OverallStatus::Completed)])
        .unwrap();
    evaluate(&*store, &settings().key, Utc::now()).unwrap();
    deliverer.deliver_due(&*store, Utc::now()).unwrap();
    let mails = mails_to(&smtp, "ana@example.org");
    assert_eq!(mails.len(), 3);
    assert!(mails[2].subject().unwrap().contains("No longer recruiting"));
    let subscription = subscription::by_token(&*store, &settings(), &token).unwrap().unwrap();
    assert!(subscription::remove(&*store, subscription.id).unwrap());
    assert_eq!(store.subscriptions_to("ana@example.org").unwrap().len(), 0);
    assert!(store.recent_messages(subscription.id, 10).unwrap().is_empty());
    assert_eq!(subscription::by_token(&*store, &settings(), &token).unwrap(), Err(TokenError::Unknown));
}

#[test]
fn bad_sign_ups_are_refused_whole_and_send_nothing() {
    let smtp = SmtpServer::start();
    let store = eligo_store::temporary_store().unwrap();
    let attempts = [
        email_alert("ana@example.org\r\nBcc: all@example.org", "melanoma", false),
        email_alert("not-an-address", "melanoma", false),
        SignUp {
            follows: Follows::Search { request: SearchRequest::text("(".repeat(100)) },
            ..email_alert("ana@example.org", "", false)
        },
    ];
    for attempt in attempts {
        assert!(subscription::sign_up(&*store, &settings(), attempt).is_err());
    }
    let unknown = Follows::category("no such disease at all", SearchRequest::default()).unwrap_err();
    assert!(unknown.to_string().contains("unknown category"), "{unknown}");
    assert!(Follows::category(&"x".repeat(500), SearchRequest::default()).unwrap_err().to_string().contains("at most"));
    assert!(store.subscriptions().unwrap().is_empty());
    let forged = "0".repeat(64);
    assert_eq!(subscription::by_token(&*store, &settings(), &forged).unwrap(), Err(TokenError::Unknown));
    assert_eq!(subscription::by_token(&*store, &settings(), "../etc").unwrap(), Err(TokenError::Unknown));
    let deliverer = Deliverer::new(settings(), Some(&SmtpSettings::parse_plain(&smtp.host_port()).unwrap())).unwrap();
    deliverer.deliver_due(&*store, Utc::now()).unwrap();
    assert!(smtp.received().is_empty());
}

#[test]
fn permanent_smtp_refusals_stop_the_subscription_and_say_why() {
    let smtp = SmtpServer::start();
    smtp.refuse_recipients();
    let store = eligo_store::temporary_store().unwrap();
    let deliverer = Deliverer::new(settings(), Some(&SmtpSettings::parse_plain(&smtp.host_port()).unwrap())).unwrap();
    let created = subscription::sign_up(&*store, &settings(), email_alert("gone@example.org", "asthma", true)).unwrap();
    for n in 0..3 {
        let id = format!("NCT1000000{n}");
        store.upsert_trials(&[trial(&id, "Asthma study", "Asthma", OverallStatus::Recruiting)]).unwrap();
        evaluate(&*store, &settings().key, Utc::now()).unwrap();
        let report = deliverer.deliver_due(&*store, Utc::now()).unwrap();
        assert_eq!(report.given_up, 1, "{report:?}");
    }
    let stopped = store.subscription(created.id).unwrap().unwrap();
    assert_eq!(stopped.status, eligo_store::alerts::SubscriptionStatus::Stopped);
    assert!(stopped.stop_reason.unwrap().contains("550"));
}

#[test]
fn a_webhook_into_the_servers_own_network_is_refused_on_a_public_server() {
    let public = AlertSettings { private_webhooks: false, ..settings() };
    let store = eligo_store::temporary_store().unwrap();
    for url in ["http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data", "http://[::1]/x"] {
        let sign_up = SignUp { address: None, webhook_url: Some(url.into()), ..email_alert("", "melanoma", true) };
        let refused = subscription::sign_up(&*store, &public, sign_up).unwrap_err();
        assert!(refused.to_string().contains("private network"), "{url}: {refused}");
    }
    assert!(store.subscriptions().unwrap().is_empty(), "nothing is written for a refused webhook");
}

#[test]
fn a_failing_webhook_is_retried_with_backoff_then_delivered_signed() {
    let receiver = WebhookReceiver::start(vec![500, 503, 200]);
    let store = eligo_store::temporary_store().unwrap();
    let sign_up =
        SignUp { address: None, webhook_url: Some(receiver.url.clone()), ..email_alert("", "melanoma", true) };
    let created = subscription::sign_up(&*store, &settings(), sign_up).unwrap();
    let secret = created.webhook_secret.unwrap();
    store.upsert_trials(&[trial("NCT00000009", "Melanoma vaccine", "Melanoma", OverallStatus::Recruiting)]).unwrap();
    evaluate(&*store, &settings().key, Utc::now()).unwrap();
    let deliverer = Deliverer::new(settings(), None).unwrap();
    let now = Utc::now();
    assert_eq!(deliverer.deliver_due(&*store, now).unwrap().retrying, 1);
    assert_eq!(deliverer.deliver_due(&*store, now).unwrap().deliveries, 0, "not due again before the backoff");
    assert_eq!(deliverer.deliver_due(&*store, now + Duration::minutes(1)).unwrap().retrying, 1);
    assert_eq!(deliverer.deliver_due(&*store, now + Duration::minutes(1)).unwrap().deliveries, 0, "backoff doubled");
    assert_eq!(deliverer.deliver_due(&*store, now + Duration::minutes(3)).unwrap().sent, 1);
    assert_eq!(deliverer.deliver_due(&*store, now + Duration::hours(24)).unwrap().deliveries, 0);

    let requests = receiver.received();
    assert_eq!(requests.len(), 3);
    let body = &requests[2].body;
    let signature = requests[2].header("x-eligo-signature").unwrap().to_string();
    assert_eq!(signature, eligo_alerts::keys::webhook_signature(&secret, body));
    assert_ne!(signature, eligo_alerts::keys::webhook_signature("another secret", body));
    let json: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert_eq!(json["notifications"][0]["trial_id"], "NCT00000009");
    assert_eq!(json["notifications"][0]["event"], "new_trial");
    let delivery = |i: usize| requests[i].header("x-eligo-delivery");
    assert_eq!(delivery(0), delivery(2), "every attempt carries the same delivery id");
}

#[test]
fn a_feed_subscription_reads_as_atom_with_the_new_trial() {
    let store = eligo_store::temporary_store().unwrap();
    let filters = SearchRequest { statuses: vec!["RECRUITING".into()], ..SearchRequest::default() };
    let sign_up = SignUp {
        follows: Follows::category("malignancy", filters).unwrap(),
        address: None,
        feed: true,
        ..email_alert("", "", true)
    };
    let created = subscription::sign_up(&*store, &settings(), sign_up).unwrap();
    store
        .upsert_trials(&[
            trial("NCT00000011", "Abemaciclib after surgery", "Breast Cancer", OverallStatus::Recruiting),
            trial("NCT00000012", "Ribociclib, closed", "Breast Cancer", OverallStatus::Completed),
            trial("NCT00000013", "Dupilumab in asthma", "Asthma", OverallStatus::Recruiting),
        ])
        .unwrap();
    evaluate(&*store, &settings().key, Utc::now()).unwrap();
    let record = store.subscription_by_feed_token(created.feed_token.as_deref().unwrap()).unwrap().unwrap();
    let subscription = eligo_alerts::Subscription::from_record(record).unwrap();
    let xml = eligo_alerts::feed::render(&*store, &settings(), &subscription).unwrap();
    let feed: atom_syndication::Feed = xml.parse().unwrap();
    let links: Vec<&str> = feed.entries().iter().map(|e| e.links()[0].href()).collect();
    assert_eq!(links, vec!["http://127.0.0.1:8080/trials/NCT00000011"]);
}
