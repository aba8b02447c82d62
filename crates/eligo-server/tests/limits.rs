//! Every limit the server promises, crossed: the status and message it answers with, and that
//! the server still answers afterwards.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::TestServer;
use eligo_server::rate_limit::ClientRate;
use eligo_server::Limits;
use serde_json::json;

fn still_answers(s: &TestServer) {
    let health = s.get("/api/v1/healthz");
    assert_eq!(health.status, 200, "healthz after the limit: {}", health.body);
}

#[test]
fn a_note_over_the_maximum_length_gets_413_with_the_limit() {
    let s = TestServer::start_with(3, Limits { max_note_bytes: 1024, ..Limits::default() });
    let note = "58-year-old woman with type 2 diabetes mellitus. ".repeat(40);
    let reply = s.post_json("/api/v1/match", &json!({ "note": note }));
    assert_eq!(reply.status, 413);
    assert_eq!(reply.error_code(), "note_too_long");
    assert!(reply.body.contains("up to 1 KB"), "{}", reply.body);
    let short = s.post_json("/api/v1/match", &json!({ "note": "58-year-old woman with type 2 diabetes mellitus." }));
    assert_eq!(short.status, 200, "{}", short.body);
    still_answers(&s);
}

#[test]
fn an_as_of_outside_the_sane_range_gets_422_never_a_panic() {
    let s = TestServer::start(3);
    for as_of in ["-262143-01-02", "+262142-12-31", "1066-10-14"] {
        let reply = s.post_json("/api/v1/match", &json!({ "note": "woman with asthma", "as_of": as_of }));
        assert_eq!(reply.status, 422, "{as_of}: {}", reply.body);
        assert_eq!(reply.error_code(), "bad_as_of");
        assert!(reply.body.contains("1900-01-01"), "{}", reply.body);
    }
    still_answers(&s);
}

#[test]
fn a_full_cpu_queue_sheds_load_with_503_and_retry_after_while_healthz_answers() {
    let limits = Limits { cpu_workers: 1, cpu_queue: 0, retry_after: Duration::from_secs(2), ..Limits::default() };
    let s = std::sync::Arc::new(TestServer::start_with(1, limits));
    // One long criteria parse holds the only worker.
    let text = "- Age 18 years or older with eGFR above 30 mL/min, no hepatitis B; history of stroke\n".repeat(6000);
    let busy = {
        let s = std::sync::Arc::clone(&s);
        let text = text.clone();
        std::thread::spawn(move || s.post_json("/api/v1/criteria/parse", &json!({ "text": text })).status)
    };
    let mut shed = None;
    let mut healthz_slowest = Duration::ZERO;
    while !busy.is_finished() && shed.is_none() {
        std::thread::sleep(Duration::from_millis(20));
        let reply = s.post_json("/api/v1/criteria/parse", &json!({ "text": "Age 18 or older" }));
        if reply.status == 503 {
            shed = Some(reply);
        }
        let started = Instant::now();
        still_answers(&s);
        healthz_slowest = healthz_slowest.max(started.elapsed());
    }
    let shed = shed.expect("a second job is refused while the only worker is busy");
    assert_eq!(shed.error_code(), "overloaded");
    assert_eq!(shed.header("retry-after"), Some("2"));
    assert!(healthz_slowest < Duration::from_secs(1), "healthz took {healthz_slowest:?} under load");
    assert_eq!(busy.join().unwrap(), 200, "the job that had the worker finishes");
    let after = s.post_json("/api/v1/criteria/parse", &json!({ "text": "Age 18 or older" }));
    assert_eq!(after.status, 200, "the freed worker takes the next job: {}", after.body);
}

#[test]
fn every_response_carries_the_security_headers_and_patient_answers_are_not_cached() {
    let s = TestServer::start(3);
    let first = s.first_id.clone();
    let pages = [
        s.get("/"),
        s.get(&format!("/trials/{first}")),
        s.get("/screen"),
        s.get("/no/such/page"),
        s.get("/api/v1/healthz"),
        s.post_json("/api/v1/match", &json!({ "note": "woman with asthma" })),
    ];
    for reply in &pages {
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
        assert_eq!(reply.header("cache-control"), Some("no-store"));
        assert_eq!(reply.header("x-request-id").map(str::len), Some(16));
    }
    // The pages hold no inline script or style for the policy to block.
    for reply in &pages[..3] {
        assert!(!reply.body.contains("<script>") && !reply.body.contains("<style"), "inline asset in a page");
        assert!(!reply.body.contains(" style=\""), "inline style attribute in a page");
    }
    let stylesheet = s.get("/static/style.css");
    assert!(stylesheet.header("cache-control").is_some_and(|c| c.contains("max-age")), "static assets may be cached");
    assert_eq!(stylesheet.header("x-content-type-options"), Some("nosniff"));
}

/// Sends one raw request line with a made-up method and reads the answer's status line.
fn raw_request(s: &TestServer, method: &str) -> String {
    let addr = s.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "{method} /api/v1/healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn made_up_methods_do_not_grow_the_metrics() {
    let s = TestServer::start(1);
    for i in 0..200 {
        let status = raw_request(&s, &format!("FLOOD{i}"));
        assert!(status.starts_with("HTTP/1.1 405"), "{status}");
    }
    let metrics = s.get("/api/v1/metrics").body;
    let series: Vec<&str> = metrics.lines().filter(|l| l.starts_with("eligo_http_requests_total{")).collect();
    assert!(series.len() <= 3, "200 made-up methods made {} series: {series:?}", series.len());
    assert!(metrics.contains("method=\"other\""), "{metrics}");
    assert!(!metrics.contains("FLOOD"));
    still_answers(&s);
}

/// Whether the server closes `stream` (EOF or reset) within `wait`.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut byte = [0u8; 256];
    loop {
        match stream.read(&mut byte) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {
                return false
            }
            Err(_) => return true,
        }
    }
}

#[test]
fn slow_headers_are_cut_off_and_connections_past_the_cap_are_closed() {
    let limits = Limits { max_connections: 2, header_read_timeout: Duration::from_millis(500), ..Limits::default() };
    let s = TestServer::start_with(1, limits);
    let addr = s.base.trim_start_matches("http://").to_string();
    // Two clients that start a request and never finish its headers hold both connections.
    let mut slow: Vec<TcpStream> = (0..2)
        .map(|_| {
            let mut stream = TcpStream::connect(&addr).unwrap();
            stream.write_all(b"GET /api/v1/healthz HTTP/1.1\r\nX-Slow: a").unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    let mut third = TcpStream::connect(&addr).unwrap();
    assert!(closed_within(&mut third, Duration::from_millis(400)), "a connection past the cap is closed at once");
    for stream in &mut slow {
        assert!(closed_within(stream, Duration::from_secs(3)), "a client too slow with its headers is cut off");
    }
    still_answers(&s);
}

#[test]
fn a_client_past_its_rate_gets_429_with_retry_after_on_the_api_and_the_pages() {
    let client_rate = ClientRate { per_minute: 1, burst: 2, ..ClientRate::default() };
    let s = TestServer::start_with(1, Limits { client_rate, ..Limits::default() });
    let parse = || s.post_json("/api/v1/criteria/parse", &json!({ "text": "Age 18 or older" }));
    assert_eq!(parse().status, 200);
    assert_eq!(parse().status, 200);
    let limited = parse();
    assert_eq!(limited.status, 429, "{}", limited.body);
    assert_eq!(limited.error_code(), "rate_limited");
    assert!(limited.json()["error"]["message"].as_str().unwrap().contains("try again in"), "{}", limited.body);
    let wait: u64 = limited.header("retry-after").expect("Retry-After").parse().unwrap();
    assert!((1..=60).contains(&wait), "one request a minute: {wait} s");
    // The screening pages share the client's bucket and answer with a page.
    let page = s.post("/screen", "application/x-www-form-urlencoded", b"patient=asthma", None);
    assert_eq!(page.status, 429);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    assert!(page.header("retry-after").is_some());
    // Cheap routes are not limited, and the server still answers.
    assert_eq!(s.get("/api/v1/search?q=asthma").status, 200);
    still_answers(&s);
}
