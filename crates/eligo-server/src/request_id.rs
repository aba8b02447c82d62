//! Request ids, and panics that never reach the log with what the request carried.
//!
//! Every request gets a random id, sent back as `X-Request-Id`. Internal errors log it, and
//! their response quotes it, so an operator can find the log line a user reports without the
//! log holding anything the user sent. A panic inside a request is caught
//! ([`with_request_id`]): it answers 500 with the id, and the panic hook logs the id and the code
//! location only, never the panic's message (which may quote a note or a profile).

use std::cell::Cell;
use std::fmt;
use std::panic::AssertUnwindSafe;

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;

use crate::error::ApiError;

/// The header that carries a request's id back to the client.
pub const HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// A request's id: 64 random bits, shown as 16 hex digits (0 is "no request").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestId(u64);

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("-"),
            id => write!(f, "{id:016x}"),
        }
    }
}

tokio::task_local! {
    /// The id of the request an async task is answering.
    static TASK_REQUEST: RequestId;
}

thread_local! {
    /// The id of the request a blocking thread is working for (see [`scope`]).
    static THREAD_REQUEST: Cell<RequestId> = const { Cell::new(RequestId(0)) };
}

/// The id of the request being answered here, on its async task or on a blocking thread
/// working for it; `-` outside any request.
pub fn current() -> RequestId {
    TASK_REQUEST.try_with(|id| *id).unwrap_or_else(|_| THREAD_REQUEST.with(Cell::get))
}

/// Runs `work` (on a blocking thread) as part of request `id`, so that what it logs, and a panic
/// in it, carry the id.
pub fn scope<R>(id: RequestId, work: impl FnOnce() -> R) -> R {
    let outer = THREAD_REQUEST.with(|cell| cell.replace(id));
    let result = work();
    THREAD_REQUEST.with(|cell| cell.set(outer));
    result
}

/// A blocking job that did not finish: it panicked (the hook logged where) or was cancelled at
/// shutdown. Its message, which may quote request data, is dropped.
pub fn join_error(error: tokio::task::JoinError) -> ApiError {
    let what = if error.is_panic() { "a worker panicked" } else { "a worker was cancelled" };
    ApiError::internal(what)
}

/// Middleware: gives the request an id, answers a panic in its handler with a 500 carrying the
/// id, and sends the id back as `X-Request-Id`.
pub async fn with_request_id(request: Request, next: Next) -> Response {
    let id = RequestId(rand::random::<u64>().max(1));
    let answered = AssertUnwindSafe(TASK_REQUEST.scope(id, next.run(request))).catch_unwind().await;
    let mut response = match answered {
        Ok(response) => response,
        // The payload is dropped unread: the hook has logged the id and the location.
        Err(_payload) => TASK_REQUEST.sync_scope(id, || ApiError::internal("a handler panicked")).into_response(),
    };
    if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
        response.headers_mut().insert(HEADER, value);
    }
    response
}

/// Installs (once) the panic hook that logs a panic inside a request as its id and code location,
/// without its message. Panics outside requests go to the hook that was there before.
pub fn install_panic_hook() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let id = current();
            if id == RequestId(0) {
                return previous(info);
            }
            let location =
                info.location().map_or_else(|| "unknown".to_string(), |l| format!("{}:{}", l.file(), l.line()));
            tracing::error!(request_id = %id, %location, "panic while answering a request (message withheld)");
        }));
    });
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    use super::*;

    /// A log sink the test can read back.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    const SECRET: &str = "58-year-old woman with HER2-positive breast cancer";

    async fn panicking_handler() -> &'static str {
        panic!("could not read note: {SECRET}");
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_its_id_and_the_log_has_no_payload() {
        install_panic_hook();
        let log = Captured::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let _guard = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route("/boom", get(panicking_handler))
            .route("/fine", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn(with_request_id));

        let response = app.clone().oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), 500);
        let id = response.headers().get(HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        assert_eq!(id.len(), 16, "a 16-hex-digit id: {id:?}");
        let body = axum::body::to_bytes(response.into_body(), 1 << 16).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains(&id), "the response quotes the id: {body}");
        assert!(!body.contains(SECRET));

        let logged = String::from_utf8_lossy(&log.0.lock().unwrap()).to_string();
        assert!(logged.contains(&id), "the log names the request: {logged}");
        assert!(logged.contains("request_id.rs:"), "the log names the code location: {logged}");
        assert!(!logged.contains(SECRET) && !logged.contains("HER2"), "the payload stays out of the log: {logged}");

        // The server still answers.
        let response = app.oneshot(Request::get("/fine").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key(HEADER));
    }
}
