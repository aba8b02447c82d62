//! A real server on 127.0.0.1 over a real store filled with generated
//! trials, and a small blocking HTTP client for the tests.
#![allow(dead_code)]

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::mpsc;

use eligo_server::rate_limit::ClientRate;
use eligo_server::tokens::Scope;
use eligo_server::{AppState, Limits};

pub struct TestServer {
    pub base: String,
    pub token: String,
    /// The first generated trial's NCT ID.
    pub first_id: String,
    /// The store file the server reads.
    pub db: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

/// A response: status, content type, body.
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    /// Every header, names lower case.
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `error.code` of an error body (and checks its shape).
    pub fn error_code(&self) -> String {
        let json = self.json();
        assert!(json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "no message: {json}");
        json["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code: {json}")).to_string()
    }
}

impl TestServer {
    /// A server without the per-client rate limit: every test request comes from 127.0.0.1, and
    /// the tests of one file share a server. The rate limit has tests of its own (`limits.rs`).
    pub fn start(trials: usize) -> Self {
        Self::start_with(
            trials,
            Limits { client_rate: ClientRate { per_minute: 0, ..ClientRate::default() }, ..Limits::default() },
        )
    }

    pub fn start_with(trials: usize, limits: Limits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("eligo.db");
        let first_id = fill_store(&db, dir.path(), trials);
        let store = eligo_store::open_store(&format!("sqlite:{}", db.display())).unwrap();
        let token = eligo_server::tokens::create_token(&*store, "tests", Scope::Ingest, None).unwrap();
        let index = eligo_search::SearchIndex::open(&dir.path().join("search-index")).unwrap();
        index.catch_up(&*store).unwrap();
        let state = AppState::new(store, index, limits);
        let base = serve_in_background(state);
        TestServer { base, token, first_id, db, _dir: dir }
    }

    fn agent() -> ureq::Agent {
        agent()
    }

    pub fn get(&self, path: &str) -> Reply {
        get(&self.base, path)
    }

    /// POST with an explicit content type and optional bearer token.
    pub fn post(&self, path: &str, content_type: &str, body: &[u8], token: Option<&str>) -> Reply {
        let auth = token.map(|token| format!("Bearer {token}"));
        let headers: Vec<(&str, &str)> = auth.iter().map(|auth| ("Authorization", auth.as_str())).collect();
        self.post_with(path, content_type, body, &headers)
    }

    /// POST with extra headers.
    pub fn post_with(&self, path: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
        post_with(&self.base, path, content_type, body, headers)
    }

    /// GET with a bearer token.
    pub fn get_with_token(&self, path: &str, token: &str) -> Reply {
        let request =
            Self::agent().get(format!("{}{path}", self.base)).header("Authorization", format!("Bearer {token}"));
        read(request.call().expect("request sent"))
    }

    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.post(path, "application/json", body.to_string().as_bytes(), None)
    }
}

/// Serves `state` on a free loopback port from a thread of its own; returns `http://ADDR`.
pub fn serve_in_background(state: std::sync::Arc<AppState>) -> String {
    let (ready_tx, ready_rx) = mpsc::channel::<SocketAddr>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        runtime
            .block_on(eligo_server::serve(state, addr, move |bound| {
                let _ = ready_tx.send(bound);
            }))
            .unwrap();
    });
    let bound = ready_rx.recv().expect("the server starts");
    format!("http://{bound}")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).build().into()
}

/// GET `base` + `path`.
pub fn get(base: &str, path: &str) -> Reply {
    read(agent().get(format!("{base}{path}")).call().expect("request sent"))
}

/// POST `body` to `base` + `path` with a content type and extra headers.
pub fn post_with(base: &str, path: &str, content_type: &str, body: &[u8], headers: &[(&str, &str)]) -> Reply {
    let mut request = agent().post(format!("{base}{path}")).header("Content-Type", content_type);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    read(request.send(body).expect("request sent"))
}

fn read(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), value.to_str().unwrap_or_default().to_string()))
        .collect();
    let body = response.body_mut().with_config().limit(64 * 1024 * 1024).read_to_string().unwrap_or_default();
    Reply { status, content_type, body, headers }
}

/// Generated trials, ingested through the same reader path as real files.
fn fill_store(db: &Path, dir: &Path, count: usize) -> String {
    let path = dir.join("trials.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    for study in eligo_synth::studies(11, count) {
        writeln!(file, "{study}").unwrap();
    }
    drop(file);
    let store = eligo_store::open_store(&format!("sqlite:{}", db.display())).unwrap();
    let report = eligo_registry::ingest_paths(
        &*store,
        &[path],
        &eligo_registry::IngestOptions::default(),
        &mut |_| {},
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.new as usize, count);
    eligo_synth::Generator::nct_id(0)
}

/// One generated study as ClinicalTrials.gov JSON, for ingest tests.
pub fn generated_study(index: u64) -> serde_json::Value {
    eligo_synth::Generator::new(99).study(index)
}
