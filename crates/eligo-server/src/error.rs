//! The one error type of the HTTP API and its wire form.
//!
//! Every failure leaves the server as `{"error":{"code","message"}}` with the
//! status code that fits: the code is a stable machine-readable word, the
//! message says what was wrong in plain words. Messages never echo a request
//! body back (it may hold patient data).

use axum::extract::rejection::{BytesRejection, JsonRejection};
use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// An API failure: status, stable code, readable message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// When to try again (`Retry-After`), for 503 and 429.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), retry_after: None }
    }

    /// The same error, telling the client when to try again.
    pub fn with_retry_after(self, wait: Duration) -> Self {
        ApiError { retry_after: Some(wait), ..self }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// A failure of the server itself (store, engine). The detail is logged with the request's
    /// id; the client only learns that it was not its fault, and the id to quote. Details are
    /// store and engine errors, never request bodies.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let id = crate::request_id::current();
        tracing::error!(request_id = %id, "internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("the server failed to answer; quote request id {id} to its operator"),
        )
    }

    /// Maps axum's body rejections onto our codes: wrong content type (415),
    /// too large (413), not JSON (400), JSON of the wrong shape (422).
    pub fn from_json_rejection(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::bad_request("malformed_json", format!("the body is not valid JSON: {}", e.body_text()))
            }
            JsonRejection::JsonDataError(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("the JSON does not have the expected shape: {}", e.body_text()),
            ),
            JsonRejection::BytesRejection(e) => ApiError::from_bytes_rejection(e),
            other => ApiError::bad_request("bad_body", other.body_text()),
        }
    }

    pub fn from_bytes_rejection(rejection: BytesRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large", "the request body is larger than allowed")
        } else {
            ApiError::bad_request("bad_body", rejection.body_text())
        }
    }
}

/// The wire form of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `not_found`, `malformed_json`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.to_string(), message: self.message } };
        let retry_after = self.retry_after;
        with_retry_after((self.status, Json(body)).into_response(), retry_after)
    }
}

/// `response` with a `Retry-After` header when `wait` is known: whole seconds, at least one
/// (RFC 9110 `delay-seconds`). Pages showing an [`ApiError`] add it the same way.
pub fn with_retry_after(mut response: Response, wait: Option<Duration>) -> Response {
    if let Some(wait) = wait {
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait.as_secs().max(1)));
    }
    response
}
