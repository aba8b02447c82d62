//! Eligo's web surface: the JSON API under `/api/v1` and the server-rendered
//! pages, from one axum router over the store and the engines.
//!
//! Design:
//! - **Thin handlers.** A handler validates its input, runs the store or an
//!   engine on tokio's blocking pool ([`state::BlockingStore`]) and serializes.
//!   SQLite work never blocks the async workers.
//! - **Errors are data.** Every API failure is an [`ApiError`] and leaves as
//!   `{"error":{"code","message"}}` with the fitting status; rejections of
//!   axum's extractors are mapped too, so no plain-text error escapes.
//! - **Limits first.** Query length, body size, paging window and request
//!   time are checked before any work ([`state::Limits`]).
//! - **No patient data in logs.** Nothing logs a request body or query
//!   string; metrics are labelled by route template, not by path.
//! - **Pages without a CDN.** Templates are `maud` macros compiled into the
//!   binary; one small stylesheet is embedded; pages work without JavaScript.

pub mod alerts;
pub mod answers;
pub mod api;
pub mod error;
pub mod fhir;
pub mod ingest_jobs;
pub mod listen;
pub mod matching;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod plain;
pub mod rate_limit;
pub mod request_id;
pub mod search;
pub mod state;
pub mod tokens;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub use error::ApiError;
pub use state::{AppState, BlockingStore, CpuPool, Limits};

/// Every API route and its method: the JSON API under `/api/v1` (besides
/// `/api/v1/openapi.json` itself) and the FHIR routes ([`fhir`]). The OpenAPI test checks each one is
/// documented; add a route here when you add it to [`router`].
pub const API_ROUTES: &[(&str, &str)] = &[
    ("/api/v1/trials/{id}", "get"),
    ("/api/v1/search", "get"),
    ("/api/v1/match", "post"),
    ("/api/v1/questions", "post"),
    ("/api/v1/criteria/parse", "post"),
    ("/api/v1/ingest", "post"),
    ("/api/v1/jobs/{id}", "get"),
    ("/api/v1/healthz", "get"),
    ("/api/v1/metrics", "get"),
    ("/api/v1/alerts", "post"),
    ("/api/v1/alerts/{token}", "get"),
    ("/api/v1/alerts/{token}", "patch"),
    ("/api/v1/alerts/{token}", "delete"),
    ("/fhir/ResearchStudy/{id}", "get"),
    ("/fhir/ResearchStudy", "get"),
    ("/getClinicalTrial", "post"),
];

/// The whole application: API, pages, static assets, with limits, timeout
/// and metrics around every route.
pub fn router(state: Arc<AppState>) -> Router {
    let limits = state.limits.clone();
    let expensive = Router::new()
        .route("/match", post(api::match_patient))
        .route("/questions", post(api::questions))
        .route("/criteria/parse", post(api::parse_criteria))
        .route("/ingest", post(api::ingest).layer(DefaultBodyLimit::max(limits.max_ingest_bytes)));
    let api = Router::new()
        .route("/trials/{id}", get(api::get_trial))
        .route("/search", get(api::search))
        .merge(rate_limit::throttled(expensive, &state, IntoResponse::into_response))
        .route("/jobs/{id}", get(api::ingest_job))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/alerts", post(alerts::api::create))
        .route("/alerts/{token}", get(alerts::api::show).patch(alerts::api::change).delete(alerts::api::delete))
        .route("/openapi.json", get(|| async { Json(openapi::document()) }))
        .fallback(api::unknown_route)
        .method_not_allowed_fallback(api::method_not_allowed);
    Router::new()
        .nest("/api/v1", api)
        .merge(pages::routes(&state))
        .merge(fhir::routes(&state))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), enforce_limits))
        .layer(middleware::from_fn(request_id::with_request_id))
        .layer(middleware::from_fn(security_headers))
        .layer(middleware::from_fn_with_state(Arc::clone(&state), record_metrics))
        .with_state(state)
}

/// The policy every page is held to: scripts, styles and images from this server only (no
/// inline script or style), forms post here, no framing, no plugins.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Headers on every response: the content security policy, no MIME sniffing, no framing, no
/// referrer, and `Cache-Control: no-store` unless the route chose its own caching (only static
/// assets do): pages and API answers may show a patient's facts, which no cache may keep.
async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CONTENT_SECURITY_POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Refuses over-long query strings (414) and abandons requests that run
/// past the time limit (503).
async fn enforce_limits(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let query_len = request.uri().query().map_or(0, str::len);
    if query_len > state.limits.max_query_bytes {
        return ApiError::new(
            StatusCode::URI_TOO_LONG,
            "query_too_long",
            format!("the query string is longer than {} bytes", state.limits.max_query_bytes),
        )
        .into_response();
    }
    match tokio::time::timeout(state.limits.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long and was stopped")
                .into_response()
        }
    }
}

/// Counts every request by method, route template and status, and times it. Every label comes
/// from a closed set (see [`metrics`]), so made-up methods or paths cannot grow the series.
async fn record_metrics(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = metrics::method_label(request.method());
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_string();
    let response = next.run(request).await;
    state.metrics.observe(method, &route, response.status().as_u16(), started.elapsed());
    response
}

/// Serves plain HTTP until Ctrl-C (or SIGTERM). Calls `ready` with the bound address once the
/// socket listens (port 0 picks a free port).
pub async fn serve(state: Arc<AppState>, addr: SocketAddr, ready: impl FnOnce(SocketAddr)) -> std::io::Result<()> {
    serve_with_tls(state, addr, None, ready).await
}

/// [`serve`], over TLS when `tls` is given ([`listen::tls_acceptor`] makes one from PEM files).
pub async fn serve_with_tls(
    state: Arc<AppState>,
    addr: SocketAddr,
    tls: Option<tokio_rustls::TlsAcceptor>,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    request_id::install_panic_hook();
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    let limits = state.limits.connections();
    listen::serve_connections(listener, router(state), limits, tls, shutdown_signal()).await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
