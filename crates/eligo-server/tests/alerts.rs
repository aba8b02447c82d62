//! Alerts through the server, end to end: a real server on loopback with its delivery worker, a
//! real SMTP server on loopback (eligo-testkit) whose messages are parsed as MIME, trials
//! ingested through the API.

use std::net::SocketAddr;
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use eligo_alerts::{AlertSettings, SigningKey, SmtpSettings};
use eligo_server::rate_limit::ClientRate;
use eligo_server::tokens::Scope;
use eligo_server::{AppState, Limits};
use eligo_store::SharedStore;
use eligo_testkit::smtp::SmtpServer;
use eligo_testkit::webhook::WebhookReceiver;
use hmac::{Hmac, Mac};
use mail_parser::MessageParser;
use serde_json::{json, Value};

struct Server {
    base: String,
    ingest_token: String,
    smtp: SmtpServer,
    db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: u16,
    body: String,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn code(&self) -> String {
        self.json()["error"]["code"].as_str().unwrap_or_default().to_string()
    }
}

/// No limit but the sign-up ones under test.
fn open_limits() -> Limits {
    let off = ClientRate { per_minute: 0, ..ClientRate::default() };
    Limits { client_rate: off, sign_up_rate: off, sign_up_address_rate: off, ..Limits::default() }
}

impl Server {
    fn start(limits: Limits) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("eligo.db");
        let store = eligo_store::open_store(&format!("sqlite:{}", db.display())).unwrap();
        let ingest_token = eligo_server::tokens::create_token(&*store, "tests", Scope::Ingest, None).unwrap();
        let index = eligo_search::SearchIndex::open(&dir.path().join("search-index")).unwrap();
        let state = AppState::new(store, index, limits);
        let smtp = SmtpServer::start();
        let smtp_settings = SmtpSettings::parse_plain(&smtp.host_port()).unwrap();
        let (ready_tx, ready_rx) = mpsc::channel::<SocketAddr>();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().unwrap();
            let served = Arc::clone(&state);
            runtime
                .block_on(eligo_server::serve(state, "127.0.0.1:0".parse().unwrap(), move |bound| {
                    let settings = AlertSettings {
                        base_url: format!("http://{bound}"),
                        from: "Eligo alerts <alerts@example.org>".into(),
                        key: SigningKey::from_hex(&"cd".repeat(32)).unwrap(),
                        private_webhooks: true, // the tests' webhook receivers listen on loopback
                    };
                    let service = served.enable_alerts(settings);
                    service.start_delivery(&smtp_settings, Duration::from_millis(200)).unwrap();
                    let _ = ready_tx.send(bound);
                }))
                .unwrap();
        });
        let bound = ready_rx.recv().expect("the server starts");
        Server { base: format!("http://{bound}"), ingest_token, smtp, db, _dir: dir }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::config_builder().http_status_as_error(false).build().into()
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    fn get(&self, path: &str) -> Reply {
        read(Self::agent().get(self.url(path)).call().expect("request sent"))
    }

    fn send(&self, method: &str, path: &str, content_type: &str, body: &str) -> Reply {
        let request = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path))
            .header("Content-Type", content_type)
            .body(body.to_string())
            .unwrap();
        read(Self::agent().run(request).expect("request sent"))
    }

    fn json(&self, method: &str, path: &str, body: &Value) -> Reply {
        self.send(method, path, "application/json", &body.to_string())
    }

    fn form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect();
        self.send("POST", path, "application/x-www-form-urlencoded", &body.join("&"))
    }

    fn ingest(&self, studies: &[Value]) {
        let body: String = studies.iter().map(|s| format!("{s}\n")).collect();
        let request = Self::agent()
            .post(self.url("/api/v1/ingest"))
            .header("Authorization", format!("Bearer {}", self.ingest_token))
            .header("Content-Type", "application/json");
        let reply = read(request.send(body.as_bytes()).expect("request sent"));
        assert_eq!(reply.status, 200, "{}", reply.body);
    }

    /// Mails received for `address`, parsed, waiting up to 10 s for at least `count`.
    fn mails_to(&self, address: &str, count: usize) -> Vec<mail_parser::Message<'static>> {
        let started = Instant::now();
        loop {
            let mails: Vec<_> = self
                .smtp
                .received()
                .into_iter()
                .filter(|m| m.to.iter().any(|t| t == address))
                .map(|m| MessageParser::default().parse(&m.data).unwrap().into_owned())
                .collect();
            if mails.len() >= count || started.elapsed() > Duration::from_secs(10) {
                return mails;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn store(&self) -> SharedStore {
        eligo_store::open_store(&format!("sqlite:{}", self.db.display())).unwrap()
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap_or_default().to_string()))
        .collect();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Reply { status, body, headers }
}

/// A ClinicalTrials.gov study about `condition`.
fn study(n: u32, title: &str, condition: &str) -> Value {
    json!({"protocolSection": {
        "identificationModule": {"nctId": format!("NCT{n:08}"), "briefTitle": title},
        "statusModule": {"overallStatus": "RECRUITING"},
        "conditionsModule": {"conditions": [condition]},
        "designModule": {"studyType": "INTERVENTIONAL", "phases": ["PHASE2"]},
        "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Adults\n", "sex": "ALL", "minimumAge": "18 Years"}
    }})
}

/// The link in `text` that starts with `base` + `path`.
fn link(text: &str, path: &str) -> String {
    let start = text.find(path).unwrap_or_else(|| panic!("no {path} link in {text}"));
    let head = &text[..start];
    let from = head.rfind("http").unwrap();
    let tail = &text[start + path.len()..];
    let token_len = tail.find(|c: char| !c.is_ascii_hexdigit()).unwrap_or(tail.len());
    format!("{}{path}{}", &head[from..], &tail[..token_len])
}

fn sign_up(server: &Server, address: &str, query: &str) -> Reply {
    let reply = server.json("POST", "/api/v1/alerts", &json!({"email": address, "search": {"q": query}}));
    assert_eq!(reply.status, 202, "{}", reply.body);
    reply
}

/// Follows the confirmation link of the only mail to `address` and presses its button.
fn confirm(server: &Server, address: &str) -> String {
    let mails = server.mails_to(address, 1);
    assert_eq!(mails.len(), 1, "one confirmation to {address}");
    assert!(mails[0].subject().unwrap().contains("Confirm"));
    let confirm_url = link(&mails[0].body_text(0).unwrap(), "/alerts/confirm/");
    let page = server.get(&confirm_url);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Confirm your alert"), "{}", page.body);
    let manage = server.send("POST", &confirm_url, "application/x-www-form-urlencoded", "");
    assert_eq!(manage.status, 200, "{}", manage.body);
    assert!(manage.body.contains("Your alerts") && manage.body.contains("active"), "{}", manage.body);
    confirm_url.rsplit('/').next().unwrap().to_string()
}

#[test]
fn subscribe_confirm_ingest_then_exactly_one_email_naming_the_trial_and_unsubscribe_deletes_it() {
    let server = Server::start(open_limits());
    let first = sign_up(&server, "ana@example.org", "melanoma");
    sign_up(&server, "ben@example.org", "psoriasis");
    let token = confirm(&server, "ana@example.org");
    confirm(&server, "ben@example.org");
    // A second sign-up for a known address answers exactly as the first did.
    assert_eq!(sign_up(&server, "ana@example.org", "nivolumab").body, first.body);

    server.ingest(&[study(7, "Nivolumab for advanced melanoma", "Melanoma")]);
    let mails = server.mails_to("ana@example.org", 3);
    let alerts: Vec<_> = mails.iter().filter(|m| !m.subject().unwrap_or_default().contains("Confirm")).collect();
    assert_eq!(alerts.len(), 1, "{:?}", mails.iter().map(|m| m.subject()).collect::<Vec<_>>());
    let alert = alerts[0];
    let text = alert.body_text(0).unwrap();
    assert!(text.contains("NCT00000007") && text.contains("Nivolumab"), "{text}");
    assert!(alert.body_html(0).unwrap().contains("NCT00000007"));
    assert_eq!(alert.header_raw("List-Unsubscribe-Post").unwrap().trim(), "List-Unsubscribe=One-Click");
    let unsubscribe = alert.header_raw("List-Unsubscribe").unwrap().trim().trim_matches(['<', '>']).to_string();
    assert!(unsubscribe.ends_with(&format!("/alerts/unsubscribe/{token}")), "{unsubscribe}");

    // Nothing more: not for the unrelated alert, not on a second ingest of the same trial.
    server.ingest(&[study(7, "Nivolumab for advanced melanoma", "Melanoma")]);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.mails_to("ben@example.org", 0).len(), 1, "the unrelated alert got only its confirmation");
    assert_eq!(server.mails_to("ana@example.org", 0).len(), 3);

    // The manage API sees it; the one-click POST of a mail client deletes it with the address.
    let shown = server.get(&format!("/api/v1/alerts/{token}"));
    assert_eq!(shown.status, 200);
    assert_eq!(shown.json()["status"], "active");
    assert!(!shown.body.contains("ana@example.org"), "the manage answer never shows the address");
    let done = server.send("POST", &unsubscribe, "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click");
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("unsubscribed"));
    assert_eq!(server.get(&format!("/api/v1/alerts/{token}")).code(), "unknown_token");
    let store = server.store();
    let left: Vec<_> = store.subscriptions_to("ana@example.org").unwrap();
    assert_eq!(left.len(), 1, "the pending second sign-up is the only row with the address left");
    assert!(store.subscriptions().unwrap().iter().all(|s| s.manage_hash != eligo_alerts::keys::token_hash(&token)));
}

#[test]
fn the_manage_api_changes_and_deletes_and_the_feed_reads_as_atom() {
    let server = Server::start(open_limits());
    let created = server.json(
        "POST",
        "/api/v1/alerts",
        &json!({"feed": true, "category": "asthma", "search": {"status": "open"}}),
    );
    assert_eq!(created.status, 202, "{}", created.body);
    let feed_url = created.json()["feed_url"].as_str().unwrap().to_string();
    let manage_url = created.json()["manage_url"].as_str().unwrap().to_string();
    let token = manage_url.rsplit('/').next().unwrap().to_string();
    server.ingest(&[
        study(21, "Dupilumab in severe asthma", "Asthma"),
        study(22, "A knee brace", "Osteoarthritis, Knee"),
    ]);
    let feed = server.get(&feed_url);
    assert_eq!(feed.status, 200);
    assert!(feed.headers.iter().any(|(k, v)| k == "content-type" && v.starts_with("application/atom+xml")));
    assert!(feed.body.contains("<feed") && feed.body.contains("NCT00000021"), "{}", feed.body);
    assert!(!feed.body.contains("NCT00000022"));

    let path = format!("/api/v1/alerts/{token}");
    let changed = server.json("PATCH", &path, &json!({"every": "weekly"}));
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.json()["every"], "weekly");
    assert_eq!(changed.json()["channel"], "feed");
    let refused = server.json("PATCH", &path, &json!({"category": "no such illness whatsoever"}));
    assert_eq!((refused.status, refused.code()), (400, "unknown_category".to_string()));
    assert_eq!(server.get(&path).json()["follows"].as_str().unwrap(), changed.json()["follows"].as_str().unwrap());
    assert_eq!(server.send("DELETE", &path, "application/json", "").status, 204);
    assert_eq!(server.get(&path).status, 404);
    assert_eq!(server.get(&feed_url).status, 404);
}

#[test]
fn bad_sign_ups_get_the_right_status_write_nothing_and_send_nothing() {
    let server = Server::start(open_limits());
    let cases = [
        (
            json!({"email": "ana@example.org\r\nBcc: everyone@example.org", "search": {"q": "melanoma"}}),
            400,
            "invalid_address",
        ),
        (json!({"email": "not-an-address", "search": {"q": "melanoma"}}), 400, "invalid_address"),
        (json!({"email": "ana@example.org", "category": "no such illness whatsoever"}), 400, "unknown_category"),
        (json!({"email": "ana@example.org", "category": "x".repeat(500)}), 400, "category_too_long"),
        (json!({"email": "ana@example.org", "category": "asthma", "search": {"q": "dupilumab"}}), 400, "invalid_alert"),
        (json!({"email": "ana@example.org", "feed": true}), 400, "bad_channel"),
        (
            json!({"email": "ana@example.org", "search": {"q": "melanoma", "near": "Atlantis, Nowhere"}}),
            400,
            "unknown_place",
        ),
        (json!({"email": "ana@example.org", "pre_screen": {"conditions": []}}), 400, "invalid_alert"),
        (
            json!({"email": "ana@example.org", "pre_screen": {"conditions": ["no such illness whatsoever"]}}),
            400,
            "unknown_category",
        ),
        (
            json!({"email": "ana@example.org", "pre_screen": {"age": 40, "conditions": ["asthma"]}, "search": {"q": "x"}}),
            400,
            "invalid_alert",
        ),
        (json!({"webhook": "ftp://hooks.example.org/x", "search": {"q": "melanoma"}}), 400, "invalid_alert"),
        (json!({"webhook": "https://hooks.example.org/x", "email": "ana@example.org"}), 400, "bad_channel"),
        (json!({"email": "ana@example.org", "every": "hourly"}), 422, "invalid_body"),
        (json!({"email": "ana@example.org", "password": "x"}), 422, "invalid_body"),
    ];
    for (body, status, code) in cases {
        let reply = server.json("POST", "/api/v1/alerts", &body);
        assert_eq!((reply.status, reply.code()), (status, code.to_string()), "{body}: {}", reply.body);
        assert!(!reply.body.contains("ana@example.org"), "an error never repeats the address: {}", reply.body);
    }
    let page = server.form(
        "/alerts/new",
        &[("step", "sign-up"), ("email", "ana@example.org\r\nBcc: x@example.org"), ("category", "asthma")],
    );
    assert_eq!(page.status, 400);
    assert!(page.body.contains("line break"), "{}", page.body);
    for token in ["0".repeat(64), "not-a-token".into(), "../../etc/passwd".into()] {
        let reply = server.get(&format!("/api/v1/alerts/{token}"));
        assert_eq!(reply.status, 404, "{token}");
        assert_eq!(server.get(&format!("/alerts/manage/{token}")).status, 404);
        assert_eq!(server.form(&format!("/alerts/unsubscribe/{token}"), &[]).status, 404);
    }
    std::thread::sleep(Duration::from_millis(600));
    assert!(server.store().subscriptions().unwrap().is_empty(), "nothing half-written");
    assert!(server.smtp.received().is_empty(), "no e-mail sent");
}

#[test]
fn a_flood_of_sign_ups_is_throttled_per_client_and_one_inbox_gets_few_confirmations() {
    let limits = Limits {
        sign_up_rate: ClientRate { per_minute: 1, burst: 4, ..ClientRate::default() },
        sign_up_address_rate: ClientRate { per_minute: 1, burst: 2, ..ClientRate::default() },
        ..open_limits()
    };
    let server = Server::start(limits);
    let answers: Vec<String> = (0..3).map(|_| sign_up(&server, "flooded@example.org", "melanoma").body).collect();
    assert!(answers.iter().all(|a| *a == answers[0]), "the answer never tells an address is limited");
    sign_up(&server, "someone@example.org", "lupus");
    let refused =
        server.json("POST", "/api/v1/alerts", &json!({"email": "third@example.org", "search": {"q": "asthma"}}));
    assert_eq!((refused.status, refused.code()), (429, "rate_limited".to_string()));
    assert!(refused.headers.iter().any(|(k, _)| k == "retry-after"));
    assert_eq!(server.mails_to("flooded@example.org", 3).len(), 2, "two confirmations, the third sign-up dropped");
    assert_eq!(server.store().subscriptions_to("flooded@example.org").unwrap().len(), 2);
    assert!(server.store().subscriptions_to("third@example.org").unwrap().is_empty());
}

#[test]
fn the_pages_offer_alerts_and_sign_up_works_without_javascript() {
    let server = Server::start(open_limits());
    server.ingest(&[study(31, "Dupilumab in severe asthma", "Asthma")]);
    let find = server.form("/", &[("q", "asthma")]);
    assert!(find.body.contains("Alert me to new trials like these"), "{}", find.body);
    let trial = server.get("/trials/NCT00000031");
    assert!(trial.body.contains("Tell me about trials like this"));
    let prefilled = server.form("/alerts/new", &[("category", "Asthma"), ("status", "open")]);
    assert_eq!(prefilled.status, 200);
    assert!(
        prefilled.body.contains("value=\"Asthma\"") && prefilled.body.contains("name=\"status\""),
        "{}",
        prefilled.body
    );
    let signed = server.form(
        "/alerts/new",
        &[
            ("step", "sign-up"),
            ("category", "Asthma"),
            ("status", "open"),
            ("near", "Lyon, France"),
            ("radius_km", "100"),
            ("age", "34"),
            ("sex", "female"),
            ("every", "weekly"),
            ("email", "vol@example.org"),
        ],
    );
    assert_eq!(signed.status, 200, "{}", signed.body);
    assert!(signed.body.contains("Check your inbox"));
    let token = confirm(&server, "vol@example.org");
    let manage = server.get(&format!("/alerts/manage/{token}"));
    assert!(manage.body.to_lowercase().contains("asthma") && manage.body.contains("within 100 km"), "{}", manage.body);
    let changed = server.form(&format!("/alerts/manage/{token}"), &[("every", "daily")]);
    assert_eq!(changed.status, 200);
    assert_eq!(server.get(&format!("/api/v1/alerts/{token}")).json()["every"], "daily");
    let unsubscribe = server.get(&format!("/alerts/unsubscribe/{token}"));
    assert!(unsubscribe.body.contains("Unsubscribe and delete"));
    assert_eq!(server.store().subscriptions_to("vol@example.org").unwrap().len(), 1, "a GET deletes nothing");
    server.form(&format!("/alerts/unsubscribe/{token}"), &[]);
    assert!(server.store().subscriptions_to("vol@example.org").unwrap().is_empty());
}

/// A study about `condition` with these eligibility criteria.
fn study_with_criteria(n: u32, title: &str, condition: &str, criteria: &str) -> Value {
    let mut study = study(n, title, condition);
    study["protocolSection"]["eligibilityModule"]["eligibilityCriteria"] = json!(criteria);
    study
}

/// The text part of the mails to `address` that are not its confirmation.
fn alerts_to(server: &Server, address: &str, at_least: usize) -> Vec<String> {
    let mails = server.mails_to(address, at_least + 1);
    mails
        .iter()
        .filter(|m| !m.subject().unwrap_or_default().contains("Confirm"))
        .map(|m| m.body_text(0).unwrap().into_owned())
        .collect()
}

#[test]
fn a_pre_screen_hears_only_of_trials_the_matcher_finds_fitting_with_their_open_questions() {
    let server = Server::start(open_limits());
    let answers = json!({"age": 54, "sex": "female", "conditions": ["breast cancer"]});
    let reply = server.json("POST", "/api/v1/alerts", &json!({"email": "cara@example.org", "pre_screen": answers}));
    assert_eq!((reply.status, reply.json()["status"].as_str()), (202, Some("pending")), "{}", reply.body);
    let token = confirm(&server, "cara@example.org");
    let shown = server.get(&format!("/api/v1/alerts/{token}"));
    assert_eq!(shown.json()["spec"]["kind"], "pre_screen");
    for answer in ["breast", "C50", "54.0", "female"] {
        assert!(!shown.body.contains(answer), "the answers are never shown: {}", shown.body);
    }

    server.ingest(&[
        study_with_criteria(
            41,
            "Abemaciclib after surgery",
            "Breast Cancer",
            "Inclusion Criteria:\n\n* Women aged 18 years or older with breast cancer\n\nExclusion Criteria:\n\n* Prior chemotherapy\n",
        ),
        study_with_criteria(
            42,
            "Tamoxifen before 45",
            "Breast Cancer",
            "Inclusion Criteria:\n\n* Breast cancer\n* Age between 18 and 45 years\n",
        ),
    ]);
    let alerts = alerts_to(&server, "cara@example.org", 1);
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(alerts_to(&server, "cara@example.org", 0).len(), 1, "exactly one alert");
    let text = &alerts[0];
    assert!(text.contains("NCT00000041") && text.contains("Abemaciclib"), "{text}");
    assert!(!text.contains("NCT00000042"), "the trial the person cannot join is not sent: {text}");
    assert!(text.contains("qualify") && text.to_lowercase().contains("chemotherapy"), "{text}");
}

#[test]
fn a_webhook_created_through_the_api_receives_a_post_signed_with_the_secret_given_once() {
    let server = Server::start(open_limits());
    let receiver = WebhookReceiver::start(vec![200]);
    let reply = server.json("POST", "/api/v1/alerts", &json!({"webhook": receiver.url, "search": {"q": "melanoma"}}));
    assert_eq!(reply.status, 202, "{}", reply.body);
    let answer = reply.json();
    assert_eq!(answer["status"], "active");
    let secret = answer["webhook_secret"].as_str().expect("the secret, once").to_string();
    let manage = answer["manage_url"].as_str().unwrap().replace("/alerts/manage/", "/api/v1/alerts/");
    assert!(!server.get(&manage).body.contains(&secret), "the manage answer never shows the secret");

    server.ingest(&[study(51, "Melanoma vaccine", "Melanoma"), study(52, "Dupilumab in asthma", "Asthma")]);
    let hooks = receiver.wait_for(1, Duration::from_secs(10));
    assert_eq!(hooks.len(), 1, "{hooks:?}");
    let hook = &hooks[0];
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(&hook.body);
    let expected = format!("sha256={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(hook.header("x-eligo-signature"), Some(expected.as_str()), "the signature verifies");
    let body: Value = serde_json::from_slice(&hook.body).unwrap();
    let trials: Vec<&str> =
        body["notifications"].as_array().unwrap().iter().map(|n| n["trial_id"].as_str().unwrap()).collect();
    assert_eq!(trials, vec!["NCT00000051"]);
}

#[test]
fn an_expired_confirmation_link_answers_410_with_a_message_and_the_sign_up_is_gone() {
    let server = Server::start(open_limits());
    for address in ["page@example.org", "api@example.org"] {
        sign_up(&server, address, "melanoma");
    }
    let token_of = |address: &str| {
        let mails = server.mails_to(address, 1);
        link(&mails[0].body_text(0).unwrap(), "/alerts/confirm/").rsplit('/').next().unwrap().to_string()
    };
    let (page_token, api_token) = (token_of("page@example.org"), token_of("api@example.org"));
    // Eight days pass: the links were good for seven.
    let eight_days_ago = (chrono::Utc::now() - chrono::Duration::days(8)).to_rfc3339();
    rusqlite::Connection::open(&server.db)
        .unwrap()
        .execute("UPDATE alert_subscriptions SET created_at = ?1", [eight_days_ago])
        .unwrap();

    let page = server.get(&format!("/alerts/confirm/{page_token}"));
    assert_eq!(page.status, 410, "{}", page.body);
    assert!(page.body.contains("expired") && page.body.contains("sign up again"), "{}", page.body);
    let api = server.get(&format!("/api/v1/alerts/{api_token}"));
    assert_eq!((api.status, api.code()), (410, "expired_token".to_string()), "{}", api.body);
    assert!(api.json()["error"]["message"].as_str().unwrap().contains("expired"));
    // Expired sign-ups are deleted: the links are now simply unknown.
    assert_eq!(server.get(&format!("/api/v1/alerts/{api_token}")).code(), "unknown_token");
    assert!(server.store().subscriptions().unwrap().is_empty());
}
