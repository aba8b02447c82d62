//! Test support only: a small HTTP/1.1 server on loopback that replays
//! scripted responses, and hand-written ClinicalTrials.gov API v2 pages.
//!
//! # The replay server
//!
//! [`ReplayServer`] listens on `127.0.0.1` (an OS-chosen port, never any other
//! address) and answers each request from a script. A script is a table of
//! [`Routes`] keyed by the request's `pageToken` query value (`None` when the
//! request has none, i.e. the first page of a listing), each key holding a
//! queue of [`Reply`]s:
//!
//! - each request to a key takes the next reply of its queue;
//! - the **last** reply of a queue is sticky: it answers every later request
//!   to that key (so `vec![Reply::drop()]` means "drop every time");
//! - a request whose key has no queue gets a `404` with a JSON message;
//! - [`Routes::any`] (or [`ReplayServer::sequence`]) instead answers every
//!   request from one queue, whatever its `pageToken`.
//!
//! A [`Reply`] is a full response ([`Reply::Full`]), a connection dropped
//! after part of a response was written ([`Reply::Drop`]), or either of those
//! after a delay ([`Reply::Delay`]). Every full response carries
//! `Connection: close` and a `Content-Length`, so each connection serves
//! exactly one request.
//!
//! [`ReplayServer::requests`] lists the request targets (path and query, as
//! sent) in arrival order, so a test can assert what a client asked for;
//! [`query_value`] decodes one query parameter from such a target.
//!
//! The server runs on a background thread that stops, together with its
//! connection threads, when the [`ReplayServer`] is dropped.
//!
//! ```
//! use eligo_testkit::{fixture, ReplayServer, Reply, Routes};
//!
//! let server = ReplayServer::start(
//!     Routes::new()
//!         .page(None, vec![Reply::status(500, "try again"), Reply::json(fixture("ctgov_page1.json"))])
//!         .page(Some("tok-page-2"), vec![Reply::json(fixture("ctgov_page2.json"))]),
//! );
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! assert!(server.requests().is_empty());
//! ```
//!
//! # Fixtures
//!
//! `fixtures/` holds three invented API v2 `/studies` pages (rheumatology and
//! autoimmune trials; none is a real record) that chain through
//! `nextPageToken`: `ctgov_page1.json` → `tok-page-2` → `ctgov_page2.json` →
//! `tok-page-3` → `ctgov_page3.json` (no `nextPageToken`). Only the first page
//! carries `totalCount` (7), as the real API does. Read them with [`fixture`].

pub mod postgres;
pub mod smtp;
pub mod webhook;

use std::collections::{HashMap, VecDeque};
use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Names of the bundled API pages, in `nextPageToken` order.
pub const CTGOV_PAGES: [&str; 3] = ["ctgov_page1.json", "ctgov_page2.json", "ctgov_page3.json"];

/// The `nextPageToken` values that chain the bundled pages: page 1 points to
/// `tok-page-2`, page 2 to `tok-page-3`.
pub const CTGOV_PAGE_TOKENS: [&str; 2] = ["tok-page-2", "tok-page-3"];

/// The full path of a file in this crate's `fixtures/` folder.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// The text of a file in this crate's `fixtures/` folder. Panics (naming the
/// path) if it cannot be read: a missing fixture is a bug in the test.
pub fn fixture(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// Routes serving the three bundled pages with `200`: no `pageToken` gets
/// page 1, `tok-page-2` page 2, `tok-page-3` page 3, as often as asked.
pub fn ctgov_pages_routes() -> Routes {
    Routes::new()
        .page(None, vec![Reply::json(fixture(CTGOV_PAGES[0]))])
        .page(Some(CTGOV_PAGE_TOKENS[0]), vec![Reply::json(fixture(CTGOV_PAGES[1]))])
        .page(Some(CTGOV_PAGE_TOKENS[1]), vec![Reply::json(fixture(CTGOV_PAGES[2]))])
}

/// One scripted answer to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A complete response. `Content-Length` and `Connection: close` are added
    /// unless `headers` already has them (names compared case-insensitively).
    Full { status: u16, headers: Vec<(String, String)>, body: Vec<u8> },
    /// Read the request, write these raw bytes (possibly none), then close
    /// the socket: a connection dropped mid-response.
    Drop { partial: Vec<u8> },
    /// Wait, then answer with `then`. The wait is cut short if the server is
    /// dropped.
    Delay { delay: Duration, then: Box<Reply> },
}

impl Reply {
    /// `200 OK` with `Content-Type: application/json`.
    pub fn json(body: impl Into<Vec<u8>>) -> Self {
        Reply::Full {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.into(),
        }
    }

    /// Any status with a plain-text body.
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Reply::Full { status, headers: vec![("Content-Type".into(), "text/plain".into())], body: body.into() }
    }

    /// A connection closed after the status line and half a header: the
    /// client sees an incomplete response.
    pub fn drop() -> Self {
        Reply::Drop { partial: b"HTTP/1.1 200 OK\r\nContent-Type: applica".to_vec() }
    }

    /// A connection closed after complete headers announcing `body` and only
    /// the first half of `body`: the client sees a truncated body.
    pub fn drop_mid_body(body: impl AsRef<[u8]>) -> Self {
        let body = body.as_ref();
        let mut partial = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        )
        .into_bytes();
        partial.extend_from_slice(&body[..body.len() / 2]);
        Reply::Drop { partial }
    }

    /// A connection accepted and closed without a byte written.
    pub fn drop_silently() -> Self {
        Reply::Drop { partial: Vec::new() }
    }

    /// Adds a header to a [`Reply::Full`] (also through a [`Reply::Delay`]);
    /// no effect on a [`Reply::Drop`].
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        match &mut self {
            Reply::Full { headers, .. } => headers.push((name.into(), value.into())),
            Reply::Delay { then, .. } => {
                let inner = std::mem::replace(then.as_mut(), Reply::drop_silently());
                **then = inner.with_header(name, value);
            }
            Reply::Drop { .. } => {}
        }
        self
    }

    /// This reply, sent after waiting `delay`.
    pub fn after(self, delay: Duration) -> Self {
        Reply::Delay { delay, then: Box::new(self) }
    }

    /// The bytes of a [`Reply::Full`] on the wire.
    fn to_wire(status: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
        let mut out = format!("HTTP/1.1 {status} {}\r\n", reason_phrase(status)).into_bytes();
        let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
        for (k, v) in headers {
            out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
        }
        if !has("content-length") {
            out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
        }
        if !has("connection") {
            out.extend_from_slice(b"Connection: close\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(body);
        out
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// The script: a queue of replies per `pageToken` value. See the crate docs
/// for how queues are consumed.
#[derive(Debug, Clone, Default)]
pub struct Routes {
    queues: HashMap<Option<String>, VecDeque<Reply>>,
    /// When set, answers every request whatever its `pageToken`.
    any: Option<VecDeque<Reply>>,
}

impl Routes {
    pub fn new() -> Self {
        Routes::default()
    }

    /// Appends `replies` to the queue for requests whose `pageToken` is
    /// `token` (`None`: requests without a `pageToken`).
    pub fn page(mut self, token: Option<&str>, replies: Vec<Reply>) -> Self {
        self.queues.entry(token.map(str::to_owned)).or_default().extend(replies);
        self
    }

    /// One queue for every request, whatever its `pageToken`; the per-token
    /// queues are then ignored.
    pub fn any(replies: Vec<Reply>) -> Self {
        Routes { queues: HashMap::new(), any: Some(replies.into()) }
    }

    /// The reply for a request with this `pageToken`.
    fn next(&mut self, token: Option<&str>) -> Reply {
        let queue = match &mut self.any {
            Some(queue) => Some(queue),
            None => self.queues.get_mut(&token.map(str::to_owned)),
        };
        match queue {
            Some(queue) if queue.len() > 1 => queue.pop_front().expect("queue has more than one reply"),
            Some(queue) if queue.len() == 1 => queue[0].clone(),
            _ => {
                let message = format!("no scripted reply for pageToken {token:?}");
                Reply::Full {
                    status: 404,
                    headers: vec![("Content-Type".into(), "application/json".into())],
                    body: json_message(&message).into_bytes(),
                }
            }
        }
    }
}

/// `{"message":"..."}` with the message's quotes and backslashes escaped.
fn json_message(message: &str) -> String {
    let escaped: String = message
        .chars()
        .flat_map(|c| match c {
            '"' => vec!['\\', '"'],
            '\\' => vec!['\\', '\\'],
            c if c.is_control() => vec![' '],
            c => vec![c],
        })
        .collect();
    format!("{{\"message\":\"{escaped}\"}}")
}

/// One request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    pub method: String,
    /// Path and query as sent, e.g. `/studies?pageSize=2&pageToken=tok-page-2`.
    pub target: String,
    /// Header names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
}

impl RecordedRequest {
    /// The first value of a header (name compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// A decoded query parameter of the target; see [`query_value`].
    pub fn query(&self, key: &str) -> Option<String> {
        query_value(&self.target, key)
    }
}

/// The first value of query parameter `key` in a request target, with
/// percent-escapes and `+` decoded. `None` when absent.
pub fn query_value(target: &str, key: &str) -> Option<String> {
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (percent_decode(k) == key).then(|| percent_decode(v))
    })
}

/// Decodes `%XX` escapes and `+` (as a space); invalid escapes are kept as
/// they are, invalid UTF-8 is replaced.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => match (hex_digit(bytes[i + 1]), hex_digit(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_digit(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// State shared between the handle, the accept thread and connection threads.
struct Shared {
    routes: Mutex<Routes>,
    requests: Mutex<Vec<RecordedRequest>>,
    stop: AtomicBool,
}

/// Locks a mutex, ignoring poisoning: a panicking test thread must not hide
/// what the server recorded.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A scripted HTTP/1.1 server on `127.0.0.1`. Stops when dropped.
pub struct ReplayServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

/// How long the accept loop sleeps when no connection is waiting.
const ACCEPT_POLL: Duration = Duration::from_millis(2);
/// How long a connection may take to send its request head.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// Largest request head accepted.
const MAX_HEAD: usize = 64 * 1024;

impl ReplayServer {
    /// Binds `127.0.0.1:0` and starts serving `routes` on a background thread.
    /// Panics if loopback cannot be bound (a broken test machine).
    pub fn start(routes: Routes) -> Self {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind 127.0.0.1:0");
        listener.set_nonblocking(true).expect("non-blocking listener");
        let addr = listener.local_addr().expect("listener address");
        let shared = Arc::new(Shared {
            routes: Mutex::new(routes),
            requests: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        });
        let thread_shared = Arc::clone(&shared);
        let thread = thread::Builder::new()
            .name(format!("replay-server-{}", addr.port()))
            .spawn(move || accept_loop(listener, thread_shared))
            .expect("spawn replay server thread");
        ReplayServer { addr, shared, thread: Some(thread) }
    }

    /// Serves every request, whatever its `pageToken`, from one queue of
    /// replies (in order, the last one sticky).
    pub fn sequence(replies: Vec<Reply>) -> Self {
        ReplayServer::start(Routes::any(replies))
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address (always on 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The targets (path and query, as sent) of the requests received so far,
    /// in arrival order.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.shared.requests).iter().map(|r| r.target.clone()).collect()
    }

    /// The requests received so far, with method and headers.
    pub fn recorded(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }
}

impl Drop for ReplayServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections: Vec<JoinHandle<()>> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let shared = Arc::clone(&shared);
                match thread::Builder::new().name("replay-conn".into()).spawn(move || serve(stream, &shared)) {
                    Ok(handle) => connections.push(handle),
                    Err(_) => continue,
                }
                connections.retain(|h| !h.is_finished());
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => thread::sleep(ACCEPT_POLL),
            Err(_) => thread::sleep(ACCEPT_POLL),
        }
    }
    for handle in connections {
        let _ = handle.join();
    }
}

/// Serves one request on one connection, then closes it.
fn serve(mut stream: TcpStream, shared: &Shared) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(READ_TIMEOUT));
    let Some(request) = read_request(&mut stream) else {
        return;
    };
    let token = query_value(&request.target, "pageToken");
    lock(&shared.requests).push(request);
    let reply = lock(&shared.routes).next(token.as_deref());
    send(&mut stream, reply, shared);
}

fn send(stream: &mut TcpStream, reply: Reply, shared: &Shared) {
    match reply {
        Reply::Full { status, headers, body } => {
            let _ = stream.write_all(&Reply::to_wire(status, &headers, &body));
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Write);
        }
        Reply::Drop { partial } => {
            let _ = stream.write_all(&partial);
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Both);
        }
        Reply::Delay { delay, then } => {
            let until = Instant::now() + delay;
            while Instant::now() < until {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                thread::sleep((until - Instant::now()).min(Duration::from_millis(10)));
            }
            send(stream, *then, shared);
        }
    }
}

/// Reads a request head (and skips any body it announces). `None` if the
/// client closed, timed out or sent something that is not HTTP.
fn read_request(stream: &mut TcpStream) -> Option<RecordedRequest> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    let head_end = loop {
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let content_length: usize =
        headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut remaining = content_length.saturating_sub(buf.len() - head_end - 4);
    while remaining > 0 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => remaining = remaining.saturating_sub(n),
        }
    }
    Some(RecordedRequest { method, target, headers })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bare-bones client: sends one GET and returns everything read until
    /// the server closes.
    fn get(server: &ReplayServer, target: &str) -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(server.addr())?;
        stream.set_read_timeout(Some(Duration::from_secs(5)))?;
        write!(stream, "GET {target} HTTP/1.1\r\nHost: {}\r\nUser-Agent: kit-test\r\n\r\n", server.addr())?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out)?;
        Ok(out)
    }

    fn text(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn fixtures_chain_through_page_tokens() {
        for (i, name) in CTGOV_PAGES.iter().enumerate() {
            let page = fixture(name);
            assert!(page.trim_start().starts_with('{'), "{name}");
            let has_token = page.contains("\"nextPageToken\"");
            assert_eq!(has_token, i < 2, "{name}: nextPageToken on all pages but the last");
            if i < 2 {
                assert!(page.contains(&format!("\"nextPageToken\": \"{}\"", CTGOV_PAGE_TOKENS[i])), "{name}");
            }
            assert_eq!(page.contains("\"totalCount\""), i == 0, "{name}: totalCount on the first page only");
            assert!(page.contains("\"protocolSection\""));
        }
    }

    #[test]
    fn routes_by_page_token_with_sticky_last_reply() {
        let server = ReplayServer::start(
            Routes::new()
                .page(None, vec![Reply::status(500, "boom"), Reply::json("{\"first\":true}")])
                .page(Some("a b/c"), vec![Reply::json("{\"second\":true}").with_header("X-Test", "1")]),
        );
        let r1 = text(get(&server, "/studies?pageSize=2").unwrap());
        assert!(r1.starts_with("HTTP/1.1 500 Internal Server Error\r\n"), "{r1}");
        assert!(r1.ends_with("\r\n\r\nboom"), "{r1}");
        let r2 = text(get(&server, "/studies?pageSize=2").unwrap());
        assert!(r2.starts_with("HTTP/1.1 200 OK\r\n") && r2.contains("Content-Length: 14\r\n"), "{r2}");
        let r3 = text(get(&server, "/studies?pageSize=2").unwrap());
        assert!(r3.ends_with("{\"first\":true}"), "sticky last reply: {r3}");
        let r4 = text(get(&server, "/studies?pageToken=a+b%2Fc").unwrap());
        assert!(r4.contains("X-Test: 1\r\n") && r4.ends_with("{\"second\":true}"), "{r4}");
        let r5 = text(get(&server, "/studies?pageToken=zzz").unwrap());
        assert!(r5.starts_with("HTTP/1.1 404") && r5.contains("no scripted reply"), "{r5}");
        assert_eq!(
            server.requests(),
            [
                "/studies?pageSize=2",
                "/studies?pageSize=2",
                "/studies?pageSize=2",
                "/studies?pageToken=a+b%2Fc",
                "/studies?pageToken=zzz"
            ]
        );
        let recorded = server.recorded();
        assert_eq!(recorded[0].method, "GET");
        assert_eq!(recorded[0].header("user-agent"), Some("kit-test"));
        assert_eq!(recorded[3].query("pageToken").as_deref(), Some("a b/c"));
    }

    #[test]
    fn drops_and_delays() {
        let server = ReplayServer::sequence(vec![
            Reply::drop(),
            Reply::drop_silently(),
            Reply::drop_mid_body("0123456789"),
            Reply::status(204, "").after(Duration::from_millis(50)),
        ]);
        let r1 = text(get(&server, "/x?pageToken=t").unwrap());
        assert_eq!(r1, "HTTP/1.1 200 OK\r\nContent-Type: applica");
        assert!(get(&server, "/x").unwrap_or_default().is_empty());
        let r3 = text(get(&server, "/x").unwrap());
        assert!(r3.contains("Content-Length: 10\r\n") && r3.ends_with("\r\n\r\n01234"), "{r3}");
        let start = Instant::now();
        let r4 = text(get(&server, "/x").unwrap());
        assert!(start.elapsed() >= Duration::from_millis(50));
        assert!(r4.starts_with("HTTP/1.1 204 No Content\r\n"), "{r4}");
        assert_eq!(server.requests().len(), 4);
    }

    #[test]
    fn stops_when_dropped() {
        let server = ReplayServer::start(ctgov_pages_routes());
        let addr = server.addr();
        assert_eq!(addr.ip(), std::net::Ipv4Addr::LOCALHOST);
        drop(server);
        // The listener is closed: connecting fails (or, if the port was
        // reused at once by someone else, at least nothing of ours answers).
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
            let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
            let mut out = Vec::new();
            let _ = s.read_to_end(&mut out);
            assert!(!String::from_utf8_lossy(&out).contains("studies"));
        }
    }

    #[test]
    fn drop_with_a_pending_delay_is_quick() {
        let server = ReplayServer::sequence(vec![Reply::json("{}").after(Duration::from_secs(30))]);
        let addr = server.addr();
        let client = thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut out = Vec::new();
            let _ = s.read_to_end(&mut out);
        });
        while server.requests().is_empty() {
            thread::sleep(Duration::from_millis(5));
        }
        let start = Instant::now();
        drop(server);
        assert!(start.elapsed() < Duration::from_secs(2));
        client.join().unwrap();
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%20b+c%2F%zz%4"), "a b c/%zz%4");
        assert_eq!(query_value("/s?x=1&filter.advanced=AREA%5BX%5D", "filter.advanced").as_deref(), Some("AREA[X]"));
        assert_eq!(query_value("/s?x=1", "y"), None);
        assert_eq!(query_value("/s", "x"), None);
        assert_eq!(query_value("/s?flag", "flag").as_deref(), Some(""));
    }
}
