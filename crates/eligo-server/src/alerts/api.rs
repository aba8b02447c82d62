//! The alert API: `POST /api/v1/alerts` and `GET`/`PATCH`/`DELETE /api/v1/alerts/{token}`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use eligo_alerts::{subscription, Frequency};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{service, AlertView, AlertsService, PreScreenInput, SignUpInput, SignedUp};
use crate::api::JsonBody;
use crate::error::{ApiError, ErrorBody};
use crate::rate_limit::ClientIp;
use crate::state::AppState;

/// How often notifications go out.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Every {
    Immediately,
    /// One message a day (00:00 UTC).
    Daily,
    /// One message a week (Monday 00:00 UTC).
    Weekly,
}

impl Every {
    fn as_str(self) -> &'static str {
        match self {
            Every::Immediately => "immediately",
            Every::Daily => "daily",
            Every::Weekly => "weekly",
        }
    }
}

impl From<Every> for Frequency {
    fn from(every: Every) -> Frequency {
        match every {
            Every::Immediately => Frequency::Immediately,
            Every::Daily => Frequency::Daily,
            Every::Weekly => Frequency::Weekly,
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
}

impl Sex {
    fn as_str(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
        }
    }
}

/// What an alert follows: the Find page's parameters, as `GET /api/v1/search` takes them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertSearch {
    /// Words, phrases, `condition:` prefixes, AND/OR/NOT. Not with `category`.
    #[schema(max_length = 500)]
    pub q: Option<String>,
    /// Recruitment statuses, comma-separated (`RECRUITING`, `open`, …).
    pub status: Option<String>,
    pub phase: Option<String>,
    pub study_type: Option<String>,
    pub intervention_type: Option<String>,
    pub std_age: Option<String>,
    /// Country name or ISO code of a site.
    pub country: Option<String>,
    pub sponsor_class: Option<String>,
    /// Age in years of the person.
    #[schema(minimum = 0, maximum = 130)]
    pub age: Option<f64>,
    pub sex: Option<Sex>,
    /// A city (`Lyon, France`) or `lat,lon`.
    pub near: Option<String>,
    /// Radius around `near` in km (default 100).
    #[schema(exclusive_minimum = 0, maximum = 20038)]
    pub radius_km: Option<f64>,
}

impl AlertSearch {
    /// The search as `key=value` pairs, the one form the server reads searches in.
    fn pairs(&self) -> Vec<(String, String)> {
        let text = [
            ("q", &self.q),
            ("status", &self.status),
            ("phase", &self.phase),
            ("study_type", &self.study_type),
            ("intervention_type", &self.intervention_type),
            ("std_age", &self.std_age),
            ("country", &self.country),
            ("sponsor_class", &self.sponsor_class),
            ("near", &self.near),
        ];
        let mut pairs: Vec<(String, String)> =
            text.into_iter().filter_map(|(k, v)| Some((k.to_string(), v.clone()?))).collect();
        pairs.extend(self.age.map(|age| ("age".to_string(), age.to_string())));
        pairs.extend(self.radius_km.map(|km| ("radius_km".to_string(), km.to_string())));
        pairs.extend(self.sex.map(|sex| ("sex".to_string(), sex.as_str().to_string())));
        pairs
    }
}

/// The answers a person kept for a pre-screen alert: new trials are screened against them by the
/// matcher, and only those found eligible or possibly eligible are sent, with the questions still
/// open. Stored encrypted; never shown back, logged or put in a link.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreScreenRequest {
    /// Age in years.
    #[schema(minimum = 0, maximum = 130)]
    pub age: Option<f64>,
    pub sex: Option<Sex>,
    /// Conditions the person has, by vocabulary name ("type 2 diabetes") or id (`MESH:D003924`).
    #[schema(min_items = 1, max_items = 20)]
    pub conditions: Vec<String>,
    /// Where the person is: a city (`Lyon, France`) or `lat,lon`.
    pub near: Option<String>,
    /// Radius around `near` in km (default 100).
    #[schema(exclusive_minimum = 0, maximum = 20038)]
    pub radius_km: Option<f64>,
}

impl PreScreenRequest {
    /// The answers, and the place as search parameters.
    fn input(self) -> (PreScreenInput, Vec<(String, String)>) {
        let mut place: Vec<(String, String)> = self.near.map(|near| ("near".to_string(), near)).into_iter().collect();
        place.extend(self.radius_km.map(|km| ("radius_km".to_string(), km.to_string())));
        let input = PreScreenInput {
            age: self.age.map(|age| age.to_string()),
            sex: self.sex.map(|sex| sex.as_str().to_string()),
            conditions: self.conditions,
        };
        (input, place)
    }
}

/// A sign-up: an address (double opt-in), a webhook or a feed; a category, a search or a
/// pre-screen; how often.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertRequest {
    /// Where to send notifications. Not with `webhook` or `feed`.
    #[schema(format = "email", max_length = 254)]
    pub email: Option<String>,
    /// POST notifications as JSON to this http(s) URL, signed with HMAC-SHA256 (header
    /// `X-Eligo-Signature: sha256=<hex>`) under a secret the answer gives once.
    #[schema(format = "uri", max_length = 2000)]
    pub webhook: Option<String>,
    /// An Atom feed instead of e-mail: the answer gives its address.
    #[serde(default)]
    pub feed: bool,
    /// A condition by its name in the vocabulary ("breast cancer"), with everything narrower.
    #[schema(min_length = 1, max_length = 200)]
    pub category: Option<String>,
    /// A search, or the filters of a category (its `q` must then be empty).
    #[serde(default)]
    pub search: AlertSearch,
    /// The answers of a pre-screen, instead of a category or a search.
    pub pre_screen: Option<PreScreenRequest>,
    pub every: Option<Every>,
}

/// A change to an alert: how often, or what it follows (a `category` or a `search` replaces it).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertChange {
    pub every: Option<Every>,
    #[schema(min_length = 1, max_length = 200)]
    pub category: Option<String>,
    pub search: Option<AlertSearch>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignUpResponse {
    /// `pending` (an e-mail: follow the link it brings) or `active` (a feed, a webhook).
    pub status: String,
    pub message: String,
    /// The feed's path, for a feed.
    pub feed_url: Option<String>,
    /// The manage link of a feed or a webhook (keep it: it is the only way to change or delete it).
    pub manage_url: Option<String>,
    /// A webhook's signing secret: shown this once, never again.
    pub webhook_secret: Option<String>,
}

/// Subscribes an address (after it confirms), a webhook or a feed, to a search, a category or a
/// pre-screen.
///
/// An e-mail sign-up answers the same whether or not the address is already subscribed, and
/// nothing about it is written or sent when one address gets too many sign-ups. The confirmation
/// e-mail carries the manage link; nothing else is sent until its link is followed. A webhook is
/// active at once; the answer carries its manage link and signing secret, shown only this once.
#[utoipa::path(
    post, path = "/api/v1/alerts", tag = "alerts",
    request_body = AlertRequest,
    responses(
        (status = 202, description = "A confirmation e-mail is on its way, or the feed or webhook exists", body = SignUpResponse),
        (status = 400, description = "Bad address, webhook URL, category, search, pre-screen answers or frequency; nothing was written", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "JSON of the wrong shape", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this client; see `Retry-After`", body = ErrorBody),
        (status = 503, description = "Alerts are not turned on on this server", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<Arc<AppState>>,
    ClientIp(client): ClientIp,
    JsonBody(request): JsonBody<AlertRequest>,
) -> Result<Response, ApiError> {
    let alerts = service(&state)?;
    let (pre_screen, search) = match request.pre_screen {
        Some(answers) if request.search.pairs().is_empty() => {
            let (input, place) = answers.input();
            (Some(input), place)
        }
        Some(_) => {
            return Err(ApiError::bad_request(
                "invalid_alert",
                "a pre-screen alert takes its place inside `pre_screen`, not a `search`",
            ))
        }
        None => (None, request.search.pairs()),
    };
    let input = SignUpInput {
        email: request.email,
        webhook: request.webhook,
        feed: request.feed,
        category: request.category,
        pre_screen,
        search,
        every: request.every.map(|e| e.as_str().to_string()),
    };
    let answer = match alerts.sign_up(client, input).await? {
        SignedUp::ConfirmationSent => SignUpResponse {
            status: "pending".into(),
            message: "If the address can receive mail, a confirmation link is on its way; nothing is sent until it is followed.".into(),
            feed_url: None,
            manage_url: None,
            webhook_secret: None,
        },
        SignedUp::Feed { feed_token, manage_token } => SignUpResponse {
            status: "active".into(),
            message: "The feed exists; keep the manage link to change or delete it.".into(),
            feed_url: Some(format!("/feeds/{feed_token}.atom")),
            manage_url: Some(format!("/alerts/manage/{manage_token}")),
            webhook_secret: None,
        },
        SignedUp::Webhook { manage_token, secret } => SignUpResponse {
            status: "active".into(),
            message: "The webhook is active; keep the secret (it is not shown again) and the manage link.".into(),
            feed_url: None,
            manage_url: Some(format!("/alerts/manage/{manage_token}")),
            webhook_secret: Some(secret),
        },
    };
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

/// One alert, by the token of its manage link.
#[utoipa::path(
    get, path = "/api/v1/alerts/{token}", tag = "alerts",
    params(("token" = String, Path, description = "The token of the manage link", pattern = "^[0-9a-f]{64}$")),
    responses(
        (status = 200, description = "The alert", body = AlertView),
        (status = 404, description = "No alert has this token (forged, or unsubscribed)", body = ErrorBody),
        (status = 410, description = "The confirmation link expired; the sign-up was deleted", body = ErrorBody),
        (status = 503, description = "Alerts are not turned on on this server", body = ErrorBody),
    )
)]
pub async fn show(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<Json<AlertView>, ApiError> {
    let view = service(&state)?
        .run(move |store, settings| Ok(AlertView::of(&AlertsService::by_token(store, settings, &token)?)))
        .await?;
    Ok(Json(view))
}

/// Changes how often an alert is sent, or what it follows.
#[utoipa::path(
    patch, path = "/api/v1/alerts/{token}", tag = "alerts",
    params(("token" = String, Path, description = "The token of the manage link", pattern = "^[0-9a-f]{64}$")),
    request_body = AlertChange,
    responses(
        (status = 200, description = "The alert as changed", body = AlertView),
        (status = 400, description = "Bad category, search or frequency; nothing was changed", body = ErrorBody),
        (status = 404, description = "No alert has this token", body = ErrorBody),
        (status = 410, description = "The confirmation link expired", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "JSON of the wrong shape", body = ErrorBody),
        (status = 503, description = "Alerts are not turned on on this server", body = ErrorBody),
    )
)]
pub async fn change(
    State(state): State<Arc<AppState>>,
    Path(token): Path<String>,
    JsonBody(change): JsonBody<AlertChange>,
) -> Result<Json<AlertView>, ApiError> {
    let alerts = Arc::clone(service(&state)?);
    let checker = Arc::clone(&alerts);
    let view = alerts
        .run(move |store, settings| {
            // The token first: a change to an alert that does not exist is a 404 whatever it says.
            let current = AlertsService::by_token(store, settings, &token)?;
            let follows = match (&change.category, &change.search) {
                (None, None) => current.follows.clone(),
                (category, search) => {
                    checker.follows(category.as_deref(), &search.clone().unwrap_or_default().pairs())?
                }
            };
            let frequency = change.every.map_or(current.frequency, Frequency::from);
            subscription::update(store, &settings.key, &current, &follows, frequency).map_err(super::alerts_error)?;
            Ok(AlertView::of(&AlertsService::by_token(store, settings, &token)?))
        })
        .await?;
    Ok(Json(view))
}

/// Deletes an alert and everything about its subscriber (address, what it followed, messages).
#[utoipa::path(
    delete, path = "/api/v1/alerts/{token}", tag = "alerts",
    params(("token" = String, Path, description = "The token of the manage link", pattern = "^[0-9a-f]{64}$")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No alert has this token", body = ErrorBody),
        (status = 410, description = "The confirmation link expired; the sign-up was deleted", body = ErrorBody),
        (status = 503, description = "Alerts are not turned on on this server", body = ErrorBody),
    )
)]
pub async fn delete(State(state): State<Arc<AppState>>, Path(token): Path<String>) -> Result<StatusCode, ApiError> {
    service(&state)?
        .run(move |store, settings| {
            let subscription = AlertsService::by_token(store, settings, &token)?;
            subscription::remove(store, subscription.id).map_err(super::alerts_error)
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
