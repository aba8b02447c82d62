//! Server-rendered pages: find, trial, check my eligibility (for one trial or a
//! page of search results), screen a patient, alerts (sign-up, confirm, manage, unsubscribe,
//! feeds).
//!
//! Templates are `maud` macros, compiled into the binary and escaped by
//! construction (any text from a record or a request is escaped when it is
//! interpolated). Every page works without JavaScript; forms use GET for
//! searches (so results can be bookmarked) and POST for patient data (so it
//! never lands in a URL, a history entry or an access log).

pub mod alerts;
mod check;
mod find;
mod layout;
mod prescreen;
mod screen;
mod steps;
mod trial;
mod verdict;

use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::Markup;

use crate::error::ApiError;
use crate::state::AppState;

pub use layout::page;

const STYLESHEET: &str = include_str!("../../assets/style.css");
/// The screening page's file picker (pages hold no inline script: see the CSP in `lib.rs`).
const SCREEN_SCRIPT: &str = include_str!("../../assets/screen.js");

/// The pages; those that screen (check, pre-screen, screen) are rate-limited per client.
pub fn routes(state: &Arc<AppState>) -> Router<Arc<AppState>> {
    let screening = Router::new()
        .route("/trials/{id}/check", get(check::form).post(check::answer))
        .route("/check", get(prescreen::form).post(prescreen::step))
        .route("/screen", get(screen::form).post(screen::results));
    Router::new()
        .route("/", get(find::show).post(find::post))
        .route("/trials/{id}", get(trial::show).post(trial::show_near))
        .route("/alerts/new", get(alerts::new_form).post(alerts::sign_up))
        .route("/alerts/confirm/{token}", get(alerts::confirm_form).post(alerts::confirm))
        .route("/alerts/manage/{token}", get(alerts::manage).post(alerts::change))
        .route("/alerts/unsubscribe/{token}", get(alerts::unsubscribe_form).post(alerts::unsubscribe))
        .route("/feeds/{file}", get(alerts::feed))
        .merge(crate::rate_limit::throttled(screening, state, |error| PageError(error).into_response()))
        .route("/static/style.css", get(|| static_asset("text/css; charset=utf-8", STYLESHEET)))
        .route("/static/screen.js", get(|| static_asset("text/javascript; charset=utf-8", SCREEN_SCRIPT)))
        .fallback(not_found)
}

/// A file compiled into the binary, which browsers may cache for an hour.
async fn static_asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body).into_response()
}

async fn not_found() -> PageError {
    PageError(ApiError::not_found("there is no page at this address"))
}

/// An [`ApiError`] shown as a page with the same status.
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(error: ApiError) -> Self {
        PageError(error)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = match self.0.status {
            StatusCode::NOT_FOUND => "Not found",
            status if status.is_client_error() => "That did not work",
            _ => "Something went wrong",
        };
        let body: Markup = maud::html! {
            h1 { (title) }
            p.error role="alert" { (self.0.message) }
            p { a href="/" { "Search for trials" } }
        };
        crate::error::with_retry_after((self.0.status, page(title, body)).into_response(), self.0.retry_after)
    }
}
