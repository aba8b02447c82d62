//! A polite, blocking client for the ClinicalTrials.gov API v2 `/studies`
//! endpoint.
//!
//! The client fetches **one page at a time** ([`SyncClient::fetch_page`]) and
//! keeps no cursor of its own: a resumable sync stores the page's
//! [`ApiPage::next_page_token`] after committing the page's records, keyed by
//! [`SyncQuery::fingerprint`], and passes it back on the next call.
//!
//! Politeness and robustness:
//!
//! - requests are spaced by at least [`ClientConfig::min_interval`] (retries
//!   included), which keeps the default client under 3 requests a second;
//! - connection failures, timeouts, dropped connections, truncated bodies and
//!   `5xx` answers are retried up to [`ClientConfig::max_retries`] times with
//!   a deterministic exponential backoff ([`ClientConfig::backoff`]);
//! - `429 Too Many Requests` is retried after the server's `Retry-After`
//!   (seconds or an HTTP date, capped by [`ClientConfig::max_retry_after`]),
//!   or after the backoff when there is none;
//! - any other `4xx` (and any other non-success status) fails at once with
//!   the status and the message of the answer's body;
//! - a `200` whose body is not an API page fails at once, naming the URL.
//!
//! TLS is rustls through `ureq`'s own feature, verifying servers against the
//! Mozilla root store bundled by `webpki-roots` (the same on every machine, no
//! system store needed). [`ClientConfig::ca_cert_pem`] replaces those roots
//! with certificates of the user's own (a private mirror, a test server). A
//! certificate that does not verify (unknown issuer, another host's name,
//! expired) fails at once with [`SyncError::Tls`]; it is never retried.
//!
//! ```no_run
//! use eligo_ctgov::sync::{ClientConfig, SyncClient, SyncQuery};
//!
//! let client = SyncClient::new(ClientConfig { base_url: "http://127.0.0.1:8080/api/v2".into(), ..Default::default() })?;
//! let query = SyncQuery { condition: Some("lupus nephritis".into()), status: vec!["RECRUITING".into()], ..Default::default() };
//! let mut token: Option<String> = None; // or the token stored for query.fingerprint()
//! loop {
//!     let page = client.fetch_page(&query, token.as_deref())?;
//!     // ... commit page.records, then store page.next_page_token under query.fingerprint() ...
//!     match page.next_page_token {
//!         Some(next) => token = Some(next),
//!         None => break,
//!     }
//! }
//! # Ok::<(), eligo_ctgov::sync::SyncError>(())
//! ```

use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use eligo_model::SourceKind;
use ureq::ResponseExt;

use crate::{Origin, RecordResult};

/// The public API's base URL.
pub const DEFAULT_BASE_URL: &str = "https://clinicaltrials.gov/api/v2";

/// Largest response body read (a page of 1000 full studies is tens of MB).
const MAX_PAGE_BYTES: u64 = 512 * 1024 * 1024;
/// Largest error body read for its message.
const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;
/// Longest message kept from an error body.
const MAX_MESSAGE_CHARS: usize = 500;

/// What to ask the `/studies` endpoint for. Empty or blank strings count as
/// absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncQuery {
    /// Free text over most fields: `query.term`.
    pub term: Option<String>,
    /// Condition or disease: `query.cond`.
    pub condition: Option<String>,
    /// Intervention or treatment: `query.intr`.
    pub intervention: Option<String>,
    /// Location terms (city, country, facility): `query.locn`.
    pub location: Option<String>,
    /// Overall statuses (`RECRUITING`, `NOT_YET_RECRUITING`, ...):
    /// `filter.overallStatus`, comma-joined. Sent trimmed, upper-cased,
    /// sorted and without duplicates.
    pub status: Vec<String>,
    /// Only studies whose last update was posted on or after this day:
    /// `filter.advanced=AREA[LastUpdatePostDate]RANGE[YYYY-MM-DD,MAX]`.
    pub updated_since: Option<NaiveDate>,
    /// Studies per page: `pageSize`, 1..=1000.
    pub page_size: u32,
}

impl Default for SyncQuery {
    /// Everything (no filters), 100 studies a page.
    fn default() -> Self {
        SyncQuery {
            term: None,
            condition: None,
            intervention: None,
            location: None,
            status: Vec::new(),
            updated_since: None,
            page_size: 100,
        }
    }
}

impl SyncQuery {
    /// Largest `pageSize` the API accepts.
    pub const MAX_PAGE_SIZE: u32 = 1000;

    /// The query parameters of one request, unencoded, in a fixed order:
    /// the search parameters, `pageSize`, then `countTotal=true` on the first
    /// page (`page_token` `None`) or `pageToken` on the others.
    pub fn params(&self, page_token: Option<&str>) -> Vec<(&'static str, String)> {
        let mut params = self.search_params();
        match page_token {
            None => params.push(("countTotal", "true".to_owned())),
            Some(token) => params.push(("pageToken", token.to_owned())),
        }
        params
    }

    /// The parameters that select the result set (everything but paging
    /// state), in a fixed order.
    fn search_params(&self) -> Vec<(&'static str, String)> {
        let mut params = Vec::new();
        let text = [
            ("query.term", &self.term),
            ("query.cond", &self.condition),
            ("query.intr", &self.intervention),
            ("query.locn", &self.location),
        ];
        for (key, value) in text {
            if let Some(value) = value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                params.push((key, value.to_owned()));
            }
        }
        let status = self.normalized_status();
        if !status.is_empty() {
            params.push(("filter.overallStatus", status.join(",")));
        }
        if let Some(since) = self.updated_since {
            params
                .push(("filter.advanced", format!("AREA[LastUpdatePostDate]RANGE[{},MAX]", since.format("%Y-%m-%d"))));
        }
        params.push(("pageSize", self.page_size.to_string()));
        params
    }

    fn normalized_status(&self) -> Vec<String> {
        let mut status: Vec<String> =
            self.status.iter().map(|s| s.trim().to_ascii_uppercase()).filter(|s| !s.is_empty()).collect();
        status.sort();
        status.dedup();
        status
    }

    /// The percent-encoded query string of one request (without `?`),
    /// encoded exactly as the client sends it.
    pub fn query_string(&self, page_token: Option<&str>) -> String {
        encode_pairs(&self.params(page_token))
    }

    /// The full URL of one request: `{base_url}/studies?{query_string}`.
    pub fn url(&self, base_url: &str, page_token: Option<&str>) -> String {
        format!("{}?{}", studies_endpoint(base_url), self.query_string(page_token))
    }

    /// A stable key naming this result set, for storing a resume token: the
    /// endpoint and the encoded search parameters (page size included, since
    /// a page token is only good for the page size it was issued for), e.g.
    /// `ctgov-v2:/studies?query.cond=lupus&pageSize=100`. Equal queries give
    /// equal fingerprints across runs and versions of this struct's field
    /// order; it does not include the base URL.
    pub fn fingerprint(&self) -> String {
        format!("ctgov-v2:/studies?{}", encode_pairs(&self.search_params()))
    }

    /// Checks what the API would reject anyway.
    pub fn validate(&self) -> Result<(), SyncError> {
        if !(1..=Self::MAX_PAGE_SIZE).contains(&self.page_size) {
            return Err(SyncError::InvalidQuery {
                reason: format!("page size {} is outside 1..={}", self.page_size, Self::MAX_PAGE_SIZE),
            });
        }
        Ok(())
    }
}

/// `{base}/studies`, whatever trailing slashes `base` has.
fn studies_endpoint(base_url: &str) -> String {
    format!("{}/studies", base_url.trim_end_matches('/'))
}

/// Percent-encodes query pairs the way `ureq`'s `query_pairs` does (the URL
/// standard's query set plus the characters that delimit pairs), so that the
/// URLs in messages are the URLs sent.
fn encode_pairs(pairs: &[(&str, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))).collect::<Vec<_>>().join("&")
}

fn encode_component(s: &str) -> String {
    const ESCAPED: &[u8] = b" \"#$%&'+,/:;<=>?@[\\]^`{|}";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_control() || !b.is_ascii() || ESCAPED.contains(&b) {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// How the client talks to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// API root without `/studies`, e.g. [`DEFAULT_BASE_URL`] or a local
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    /// Least time between the starts of two requests (retries included).
    pub min_interval: Duration,
    /// Retries after the first attempt; `0` tries once.
    pub max_retries: u32,
    /// Wait before the first retry; doubled for each further one.
    pub initial_backoff: Duration,
    /// Longest backoff wait.
    pub max_backoff: Duration,
    /// Longest wait honoured from a `Retry-After` header.
    pub max_retry_after: Duration,
    /// Budget for one attempt: connecting, sending, and reading the whole
    /// answer.
    pub timeout: Duration,
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// PEM certificates trusted as roots *instead of* the bundled Mozilla
    /// roots (`eligo sync --ca-cert FILE`): a private mirror's or a test
    /// server's CA. `None` trusts the bundled roots.
    pub ca_cert_pem: Option<Vec<u8>>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_BASE_URL.to_owned(),
            min_interval: Duration::from_millis(350),
            max_retries: 5,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            max_retry_after: Duration::from_secs(60),
            timeout: Duration::from_secs(30),
            user_agent: format!("eligo/{}", env!("CARGO_PKG_VERSION")),
            ca_cert_pem: None,
        }
    }
}

impl ClientConfig {
    /// The wait before retry number `retry` (1 for the first retry):
    /// `initial_backoff * 2^(retry-1)`, at most `max_backoff`. Deterministic,
    /// no jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.saturating_sub(1)).unwrap_or(u32::MAX);
        self.initial_backoff.checked_mul(factor).unwrap_or(Duration::MAX).min(self.max_backoff)
    }
}

/// One page of `/studies` results.
#[derive(Debug, Clone)]
pub struct ApiPage {
    /// The URL the page was fetched from (after any redirect); every record's
    /// origin names it.
    pub uri: String,
    /// One result per study on the page, in page order: a trial, or why the
    /// study could not be read.
    pub records: Vec<RecordResult>,
    /// The token for the next page; `None` on the last page.
    pub next_page_token: Option<String>,
    /// Number of studies in the whole result set; the API sends it on the
    /// first page only.
    pub total_count: Option<u64>,
}

/// Why one attempt failed, when it may be worth another.
#[derive(Debug, thiserror::Error)]
pub enum AttemptFailure {
    /// No answer, or an incomplete one: connection refused or reset,
    /// timeout, a connection closed mid-answer, a malformed answer.
    #[error("{0}")]
    Transport(#[source] ureq::Error),
    /// The server answered `5xx` or `429`.
    #[error("HTTP {status}: {message}")]
    Status { status: u16, message: String },
}

/// Why [`SyncClient::fetch_page`] failed.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The TLS handshake failed: the server's certificate does not verify
    /// against the trusted roots (unknown issuer, another host's name,
    /// expired) or the server speaks no TLS. Not retried.
    #[error("{url}: TLS failed (attempt {attempts}): {reason}")]
    Tls { url: String, attempts: u32, reason: String },
    /// [`ClientConfig::ca_cert_pem`] holds no usable certificate.
    #[error("CA certificate: {reason}")]
    CaCert { reason: String },
    /// The query cannot be sent as it is.
    #[error("invalid sync query: {reason}")]
    InvalidQuery { reason: String },
    /// Every attempt failed with a retryable failure; `last` is the last one.
    #[error("{url}: gave up after {attempts} attempts; last failure: {last}")]
    RetriesExhausted {
        url: String,
        attempts: u32,
        #[source]
        last: AttemptFailure,
    },
    /// The server refused the request (a `4xx` other than `429`, or another
    /// status that is neither success nor retryable). Not retried.
    #[error("{url}: HTTP {status} (attempt {attempts}): {message}")]
    Status { url: String, status: u16, message: String, attempts: u32 },
    /// The request could not be made at all (bad URL, redirect loop, ...).
    /// Not retried.
    #[error("{url}: request failed (attempt {attempts}): {source}")]
    Request {
        url: String,
        attempts: u32,
        #[source]
        source: ureq::Error,
    },
    /// A success status whose body is not an API `/studies` page.
    #[error("{url}: the answer is not a ClinicalTrials.gov API page (attempt {attempts}): {reason}")]
    InvalidPage { url: String, attempts: u32, reason: String },
}

impl SyncError {
    /// The URL asked for, when a request was made or planned.
    pub fn url(&self) -> Option<&str> {
        match self {
            SyncError::Tls { url, .. }
            | SyncError::RetriesExhausted { url, .. }
            | SyncError::Status { url, .. }
            | SyncError::Request { url, .. }
            | SyncError::InvalidPage { url, .. } => Some(url),
            SyncError::InvalidQuery { .. } | SyncError::CaCert { .. } => None,
        }
    }

    /// The HTTP status of the (last) answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            SyncError::Status { status, .. } => Some(*status),
            SyncError::RetriesExhausted { last: AttemptFailure::Status { status, .. }, .. } => Some(*status),
            _ => None,
        }
    }

    /// Attempts made before giving up (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            SyncError::RetriesExhausted { attempts, .. }
            | SyncError::Status { attempts, .. }
            | SyncError::Request { attempts, .. }
            | SyncError::Tls { attempts, .. }
            | SyncError::InvalidPage { attempts, .. } => *attempts,
            SyncError::InvalidQuery { .. } | SyncError::CaCert { .. } => 0,
        }
    }
}

/// The outcome of one attempt.
enum Attempt {
    Page(ApiPage),
    /// Worth another try, after `retry_after` if the server said so.
    Retry {
        failure: AttemptFailure,
        retry_after: Option<Duration>,
    },
    Fatal(SyncError),
}

/// A blocking client for the `/studies` endpoint. Cheap to share by
/// reference; requests through one client are spaced by
/// [`ClientConfig::min_interval`] even across threads.
pub struct SyncClient {
    config: ClientConfig,
    agent: ureq::Agent,
    /// When the last request was started.
    last_request: Mutex<Option<Instant>>,
}

impl std::fmt::Debug for SyncClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl SyncClient {
    /// A client for `config`; fails only when [`ClientConfig::ca_cert_pem`]
    /// holds no readable certificate.
    pub fn new(config: ClientConfig) -> Result<Self, SyncError> {
        let tls = ureq::tls::TlsConfig::builder().root_certs(root_certs(config.ca_cert_pem.as_deref())?).build();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .user_agent(config.user_agent.as_str())
            .accept("application/json")
            .timeout_global(Some(config.timeout))
            .tls_config(tls)
            .build()
            .new_agent();
        Ok(SyncClient { config, agent, last_request: Mutex::new(None) })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Fetches one page: the first when `page_token` is `None`, else the page
    /// that token names. Retries as the module docs describe; records are
    /// read with an [`Origin`] of kind [`SourceKind::CtgovApi`] naming the
    /// page's URL.
    pub fn fetch_page(&self, query: &SyncQuery, page_token: Option<&str>) -> Result<ApiPage, SyncError> {
        query.validate()?;
        let url = query.url(&self.config.base_url, page_token);
        let endpoint = studies_endpoint(&self.config.base_url);
        let params = query.params(page_token);
        let attempts = self.config.max_retries.saturating_add(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.pace();
            tracing::debug!(%url, attempt, "fetching API page");
            match self.attempt(&endpoint, &params, &url, attempt) {
                Attempt::Page(page) => return Ok(page),
                Attempt::Fatal(error) => return Err(error),
                Attempt::Retry { failure, retry_after } => {
                    if attempt >= attempts {
                        return Err(SyncError::RetriesExhausted { url, attempts: attempt, last: failure });
                    }
                    let wait = retry_after.unwrap_or_else(|| self.config.backoff(attempt));
                    tracing::warn!(%url, attempt, error = %failure, wait_ms = wait.as_millis() as u64, "retrying API page");
                    thread::sleep(wait);
                }
            }
        }
    }

    /// Waits until `min_interval` has passed since the last request started,
    /// and marks now as the start of the next.
    fn pace(&self) {
        let mut last = self.last_request.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(previous) = *last {
            let ready = previous + self.config.min_interval;
            let now = Instant::now();
            if ready > now {
                thread::sleep(ready - now);
            }
        }
        *last = Some(Instant::now());
    }

    fn attempt(&self, endpoint: &str, params: &[(&'static str, String)], url: &str, attempt: u32) -> Attempt {
        let response = match self.agent.get(endpoint).query_pairs(params.iter().map(|(k, v)| (*k, v.as_str()))).call() {
            Ok(response) => response,
            Err(error) => return transport_failure(error, url, attempt),
        };
        let status = response.status().as_u16();
        let final_url = response.get_uri().to_string();
        if response.status().is_success() {
            let mut body = response.into_body();
            let bytes = match body.with_config().limit(MAX_PAGE_BYTES).read_to_vec() {
                Ok(bytes) => bytes,
                Err(error) => return transport_failure(error, url, attempt),
            };
            let origin = Origin::new(final_url.clone(), SourceKind::CtgovApi);
            return match read_api_page(&bytes, &origin) {
                Ok(contents) => Attempt::Page(ApiPage {
                    uri: final_url,
                    records: contents.records,
                    next_page_token: contents.next_page_token.filter(|t| !t.is_empty()),
                    total_count: contents.total_count,
                }),
                Err(reason) => Attempt::Fatal(SyncError::InvalidPage { url: final_url, attempts: attempt, reason }),
            };
        }
        let retry_after = (status == 429)
            .then(|| response.headers().get("retry-after").and_then(|v| v.to_str().ok()))
            .flatten()
            .and_then(|v| parse_retry_after(v, chrono::Utc::now()))
            .map(|wait| wait.min(self.config.max_retry_after));
        let message = error_message(response.into_body());
        if status == 429 || (500..=599).contains(&status) {
            Attempt::Retry { failure: AttemptFailure::Status { status, message }, retry_after }
        } else {
            Attempt::Fatal(SyncError::Status { url: final_url, status, message, attempts: attempt })
        }
    }
}

/// The trusted roots: the bundled Mozilla roots, or every certificate in
/// `pem` (at least one).
fn root_certs(pem: Option<&[u8]>) -> Result<ureq::tls::RootCerts, SyncError> {
    let Some(pem) = pem else {
        return Ok(ureq::tls::RootCerts::WebPki);
    };
    let mut certs = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(cert)) => certs.push(cert),
            Ok(_) => {}
            Err(e) => return Err(SyncError::CaCert { reason: format!("unreadable PEM: {e}") }),
        }
    }
    if certs.is_empty() {
        return Err(SyncError::CaCert { reason: "no CERTIFICATE block in the PEM text".to_owned() });
    }
    Ok(ureq::tls::RootCerts::new_with_certs(&certs))
}

/// Whether an I/O error is rustls refusing the handshake (rustls reports
/// through the stream, so its error arrives wrapped in `io::Error`).
fn is_tls_refusal(error: &std::io::Error) -> bool {
    error.get_ref().is_some_and(|inner| inner.is::<rustls::Error>())
}

/// Classifies a `ureq` error: transient network trouble is retried, a
/// request that can never work is not.
fn transport_failure(error: ureq::Error, url: &str, attempt: u32) -> Attempt {
    use ureq::Error as E;
    match error {
        E::TlsRequired | E::Tls(_) | E::Rustls(_) => {
            Attempt::Fatal(SyncError::Tls { url: url.to_owned(), attempts: attempt, reason: error.to_string() })
        }
        E::Io(ref io) if is_tls_refusal(io) => {
            Attempt::Fatal(SyncError::Tls { url: url.to_owned(), attempts: attempt, reason: io.to_string() })
        }
        E::Io(_)
        | E::Timeout(_)
        | E::Protocol(_)
        | E::ConnectionFailed
        | E::HostNotFound
        | E::BodyStalled
        | E::ConnectProxyFailed(_) => Attempt::Retry { failure: AttemptFailure::Transport(error), retry_after: None },
        other => Attempt::Fatal(SyncError::Request { url: url.to_owned(), attempts: attempt, source: other }),
    }
}

/// A `Retry-After` value as a wait: delta-seconds, or an HTTP date (a date in
/// the past waits zero). `None` when unreadable.
fn parse_retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some((date.with_timezone(&chrono::Utc) - now).to_std().unwrap_or(Duration::ZERO))
}

/// The message of an error answer: the `message` field of a JSON body, else
/// the body's text, shortened; "(empty body)" when there is none.
fn error_message(mut body: ureq::Body) -> String {
    let bytes = body.with_config().limit(MAX_ERROR_BODY_BYTES).read_to_vec().unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let from_json = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| {
        ["message", "error", "detail"].iter().find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_owned))
    });
    let message = from_json.unwrap_or_else(|| text.split_whitespace().collect::<Vec<_>>().join(" "));
    if message.is_empty() {
        return "(empty body)".to_owned();
    }
    match message.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message,
    }
}

/// What one page body holds.
struct PageContents {
    records: Vec<RecordResult>,
    next_page_token: Option<String>,
    total_count: Option<u64>,
}

/// The envelope of a `/studies` page, checked in one cheap pass before the
/// studies are mapped: the body must be one well-formed JSON object with a
/// `studies` array, and the paging fields must have their types. This keeps a
/// broken or foreign body from passing as a page with a few record errors.
#[derive(serde::Deserialize)]
struct PageEnvelope {
    studies: Vec<serde::de::IgnoredAny>,
    #[serde(rename = "nextPageToken", default)]
    next_page_token: Option<String>,
    #[serde(rename = "totalCount", default)]
    total_count: Option<u64>,
}

/// Reads one `/studies` page body with [`crate::json::read`]. `Err` (a
/// reason) when the body is not an API page at all; a study that cannot be
/// read is a [`crate::RecordError`] in `records`.
fn read_api_page(body: &[u8], origin: &Origin) -> Result<PageContents, String> {
    let envelope: PageEnvelope = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => format!("not a /studies page: {e}"),
        serde_json::error::Category::Eof if body.iter().all(u8::is_ascii_whitespace) => "empty body".to_owned(),
        _ => format!("invalid JSON: {e}"),
    })?;
    let mut records = Vec::with_capacity(envelope.studies.len());
    let summary = crate::json::read(body, origin, &mut |record| records.push(record))
        .map_err(|e| format!("reading the page: {e}"))?;
    if summary.layout != crate::json::JsonLayout::Page {
        return Err(format!("read as {:?}, not as an API page", summary.layout));
    }
    Ok(PageContents { records, next_page_token: envelope.next_page_token, total_count: envelope.total_count })
}
