//! Alerts on the web surface: the service behind the alert API, pages and feeds (a store
//! connection of its own, the link settings, the sign-up limits), the evaluation after an API
//! ingest, and the delivery worker `eligo serve` runs when SMTP is configured. What alerts are
//! and do is `eligo_alerts`; this module translates requests into it and its errors into
//! [`ApiError`]s, which the API and the pages both show.

use std::net::IpAddr;
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use eligo_alerts::subscription::{self, Created, SignUp, Subscription, TokenError};
use eligo_alerts::{AlertSettings, AlertsError, Answers, Channel, Deliverer, Follows, Frequency, SmtpSettings};
use eligo_model::PatientSex;
use eligo_search::{SearchRequest, SexFilter};
use eligo_store::{SharedStore, Store};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::rate_limit::{rate_limited, ClientLimiter};
use crate::search::request_from_pairs;
use crate::state::{AppState, BlockingStore, DatabaseHealth, Limits};

pub mod api;

/// Search parameters that shape a page of results, not what an alert follows.
const PAGING_PARAMETERS: &[&str] = &["limit", "offset", "sort", "facets"];

/// The alerts of a running server.
pub struct AlertsService {
    /// The server's store (its pool): alerts read trials and write their own tables.
    store: SharedStore,
    /// Whether the store's database answers (requests are refused at once while it does not).
    health: Arc<DatabaseHealth>,
    pub settings: AlertSettings,
    per_client: ClientLimiter,
    /// Sign-ups per e-mail address, counted in the store so that the limit holds however many
    /// replicas serve sign-ups (a promise to the inbox's owner, not a guard of this process).
    per_address: Option<eligo_store::Allowance>,
    limits: Limits,
    /// Wakes the delivery worker, when there is one.
    wake: Mutex<Option<mpsc::Sender<()>>>,
}

/// A sign-up as a surface read it, before anything is checked. Exactly one channel: `email`,
/// `webhook` or `feed`.
#[derive(Debug, Clone, Default)]
pub struct SignUpInput {
    pub email: Option<String>,
    /// A URL to POST notifications to, signed with a secret the answer gives once.
    pub webhook: Option<String>,
    pub feed: bool,
    /// A condition of the vocabulary by name; otherwise the search in `search`.
    pub category: Option<String>,
    /// The answers a person kept for a pre-screen; `search` then holds only its place (`near`,
    /// `radius_km`).
    pub pre_screen: Option<PreScreenInput>,
    /// The Find page's parameters (`q`, `status`, `near`, `radius_km`, `age`, `sex`, …).
    pub search: Vec<(String, String)>,
    pub every: Option<String>,
}

/// The answers a person kept for a pre-screen alert, as a surface read them (never logged).
#[derive(Debug, Clone, Default)]
pub struct PreScreenInput {
    pub age: Option<String>,
    pub sex: Option<String>,
    /// Conditions by vocabulary id or name.
    pub conditions: Vec<String>,
}

/// What a sign-up answers.
#[derive(Debug, Clone, PartialEq)]
pub enum SignedUp {
    /// An e-mail sign-up: the same answer whether the subscription was written or not (a known
    /// address, a full address, an address past its rate), so the answer tells nobody who is
    /// subscribed. The links go only to the address.
    ConfirmationSent,
    /// A feed: its address and manage token, for the one who asked.
    Feed { feed_token: String, manage_token: String },
    /// A webhook: its manage token and the secret its deliveries are signed with, shown once.
    Webhook { manage_token: String, secret: String },
}

/// One subscription as its manage link shows it (never the address: the link may be forwarded).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertView {
    /// `pending` (waiting for its confirmation link), `active` or `stopped`.
    pub status: String,
    /// What it follows, in words.
    pub follows: String,
    /// What it follows: `{"kind":"search","request":{…}}`, `{"kind":"category",…}` or
    /// `{"kind":"pre_screen","kept":[…]}` (which answers were kept, never their values).
    #[schema(value_type = Object)]
    pub spec: serde_json::Value,
    /// `immediately`, `daily` or `weekly`.
    pub every: String,
    /// `email`, `webhook` or `feed`.
    pub channel: String,
    /// The feed's path, for a feed.
    pub feed_url: Option<String>,
    /// Why it was stopped (permanent delivery failures).
    pub stop_reason: Option<String>,
    pub created_at: String,
}

impl AlertView {
    pub fn of(subscription: &Subscription) -> AlertView {
        AlertView {
            status: subscription.status.as_str().to_string(),
            follows: subscription.follows.describe(),
            spec: serde_json::to_value(&subscription.follows).unwrap_or_default(),
            every: subscription.frequency.as_str().to_string(),
            channel: channel_name(&subscription.channel).to_string(),
            feed_url: subscription.feed_token.as_ref().map(|t| format!("/feeds/{t}.atom")),
            stop_reason: subscription.stop_reason.clone(),
            created_at: subscription.created_at.to_rfc3339(),
        }
    }
}

pub fn channel_name(channel: &Channel) -> &'static str {
    match channel {
        Channel::Email => "email",
        Channel::Webhook { .. } => "webhook",
        Channel::Feed => "feed",
    }
}

impl AlertsService {
    pub fn new(stores: &BlockingStore, settings: AlertSettings, limits: &Limits) -> AlertsService {
        AlertsService {
            store: stores.shared(),
            health: Arc::clone(&stores.health),
            settings,
            per_client: ClientLimiter::new(limits.sign_up_rate),
            per_address: limits.sign_up_address_rate.allowance(),
            limits: limits.clone(),
            wake: Mutex::new(None),
        }
    }

    /// Runs `work` with the alert store on tokio's blocking pool (503 at once while the database
    /// is out of reach).
    pub async fn run<R, F>(self: &Arc<Self>, work: F) -> Result<R, ApiError>
    where
        R: Send + 'static,
        F: FnOnce(&dyn Store, &AlertSettings) -> Result<R, ApiError> + Send + 'static,
    {
        if self.health.unreachable_since().is_some() {
            return Err(ApiError::store_unavailable());
        }
        let service = Arc::clone(self);
        let request_id = crate::request_id::current();
        tokio::task::spawn_blocking(move || {
            crate::request_id::scope(request_id, || work(service.store.as_ref(), &service.settings))
        })
        .await
        .map_err(crate::request_id::join_error)?
    }

    /// Tells the delivery worker there is something to send.
    pub fn wake_worker(&self) {
        if let Some(wake) = self.wake.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).as_ref() {
            let _ = wake.send(());
        }
    }

    /// Checks and creates a subscription. Bad input is refused whole before anything is written
    /// (400 naming the field and why; an address is never repeated); a client past its rate gets
    /// 429.
    pub async fn sign_up(self: &Arc<Self>, client: IpAddr, input: SignUpInput) -> Result<SignedUp, ApiError> {
        let request = self.sign_up_request(input)?;
        self.per_client.check(client).map_err(rate_limited)?;
        if let Some(address) = &request.address {
            if !self.address_allows(address).await? {
                return Ok(SignedUp::ConfirmationSent);
            }
        }
        let channel = match (&request.webhook_url, request.feed) {
            (_, true) => "feed",
            (Some(_), false) => "webhook",
            (None, false) => "email",
        };
        let created = self
            .run(move |store, settings| match subscription::sign_up(store, settings, request) {
                Ok(created) => Ok(Some(created)),
                Err(AlertsError::AddressFull) => Ok(None),
                Err(error) => Err(alerts_error(error)),
            })
            .await?;
        self.wake_worker();
        match (created, channel) {
            (Some(Created { feed_token: Some(feed_token), manage_token, .. }), "feed") => {
                Ok(SignedUp::Feed { feed_token, manage_token })
            }
            (Some(Created { webhook_secret: Some(secret), manage_token, .. }), "webhook") => {
                Ok(SignedUp::Webhook { manage_token, secret })
            }
            _ => Ok(SignedUp::ConfirmationSent),
        }
    }

    /// Whether one more sign-up to `address` is within its allowance (taking it). The store keeps
    /// the SHA-256 of the address, never the address.
    async fn address_allows(self: &Arc<Self>, address: &str) -> Result<bool, ApiError> {
        let Some(allowance) = self.per_address else { return Ok(true) };
        let key = format!("alerts.sign_up:{}", hex::encode(Sha256::digest(address.trim().to_lowercase().as_bytes())));
        let wait = self
            .run(move |store, _| {
                store.take_allowance(&key, allowance, chrono::Utc::now()).map_err(ApiError::from_store)
            })
            .await?;
        Ok(wait.is_none())
    }

    /// The library's sign-up for this input, with the address checked first (CR/LF, shape).
    fn sign_up_request(&self, input: SignUpInput) -> Result<SignUp, ApiError> {
        let address = match (&input.email, &input.webhook, input.feed) {
            (Some(email), None, false) => Some(eligo_alerts::validate_address(email).map_err(address_error)?),
            (None, Some(_), false) | (None, None, true) => None,
            _ => {
                return Err(ApiError::bad_request(
                    "bad_channel",
                    "give exactly one channel: an e-mail address (`email`), a webhook URL (`webhook`) or a feed \
                     (`feed: true`)",
                ))
            }
        };
        let follows = match &input.pre_screen {
            Some(answers) => self.pre_screen(input.category.as_deref(), answers, &input.search)?,
            None => self.follows(input.category.as_deref(), &input.search)?,
        };
        Ok(SignUp {
            follows,
            frequency: frequency(input.every.as_deref())?,
            address,
            webhook_url: input.webhook,
            feed: input.feed,
            confirmed: false,
        })
    }

    /// A pre-screen from the answers kept, its place (`near`, `radius_km`) in `place`. Age, sex
    /// and place are read as a search reads them, with the same errors.
    pub fn pre_screen(
        &self,
        category: Option<&str>,
        input: &PreScreenInput,
        place: &[(String, String)],
    ) -> Result<Follows, ApiError> {
        if category.is_some() || place.iter().any(|(key, _)| !matches!(key.as_str(), "near" | "radius_km")) {
            return Err(ApiError::bad_request(
                "invalid_alert",
                "a pre-screen alert follows the answers kept and a place (`near`, `radius_km`); not a category \
                 or other search parameters",
            ));
        }
        let mut pairs = place.to_vec();
        pairs.extend(input.age.iter().map(|age| ("age".to_string(), age.clone())));
        pairs.extend(input.sex.iter().map(|sex| ("sex".to_string(), sex.clone())));
        let read = request_from_pairs(&pairs, &self.limits)?;
        let conditions = input.conditions.iter().map(|c| Answers::condition(c)).collect::<Result<Vec<_>, _>>();
        let answers = Answers {
            age: read.age,
            age_on: read.age.map(|_| chrono::Utc::now().date_naive()),
            sex: read.sex.map(|sex| match sex {
                SexFilter::Female => PatientSex::Female,
                SexFilter::Male => PatientSex::Male,
            }),
            conditions: conditions.map_err(alerts_error)?,
            location: read.near,
            radius_km: read.radius_km,
        };
        Follows::pre_screen(answers, chrono::Utc::now().date_naive()).map_err(alerts_error)
    }

    /// What a subscription follows: a category by name narrowed by the search filters, or the
    /// search itself. Checked whole, as a search would be.
    pub fn follows(&self, category: Option<&str>, search: &[(String, String)]) -> Result<Follows, ApiError> {
        if let Some((key, _)) = search.iter().find(|(key, _)| PAGING_PARAMETERS.contains(&key.as_str())) {
            return Err(ApiError::bad_request(
                "unknown_parameter",
                format!("`{key}` shapes a page of results; an alert does not take it"),
            ));
        }
        let request = request_from_pairs(search, &self.limits)?;
        let request = SearchRequest { limit: None, offset: 0, skip_facets: true, ..request };
        let follows = match category.map(str::trim).filter(|c| !c.is_empty()) {
            Some(name) => Follows::category(name, request).map_err(alerts_error)?,
            None => Follows::Search { request },
        };
        Ok(follows)
    }

    /// The subscription a manage token names: 404 when unknown or forged, 410 when its
    /// confirmation window passed (it is deleted then).
    pub fn by_token(store: &dyn Store, settings: &AlertSettings, token: &str) -> Result<Subscription, ApiError> {
        match subscription::by_token(store, settings, token).map_err(alerts_error)? {
            Ok(subscription) => Ok(subscription),
            Err(TokenError::Unknown) => {
                Err(ApiError::new(StatusCode::NOT_FOUND, "unknown_token", TokenError::Unknown.to_string()))
            }
            Err(TokenError::Expired) => {
                Err(ApiError::new(StatusCode::GONE, "expired_token", TokenError::Expired.to_string()))
            }
        }
    }

    /// Evaluates the store's new changes against the subscriptions (after an API ingest) and
    /// wakes the worker when something was queued. A failure is logged, never the ingest's.
    pub async fn evaluate_changes(self: &Arc<Self>) {
        let evaluated = self
            .run(|store, settings| {
                eligo_alerts::evaluate(store, &settings.key, chrono::Utc::now()).map_err(ApiError::internal)
            })
            .await;
        match evaluated {
            Ok(evaluation) if evaluation.notifications > 0 => self.wake_worker(),
            Ok(_) => {}
            Err(error) => tracing::warn!("alerts were not evaluated after an ingest: {}", error.code),
        }
    }

    /// Starts the delivery worker on a thread of its own, over the service's store (a pool: sending
    /// holds one connection while sign-ups take others). It sends what is due,
    /// then waits for a wake-up (a sign-up, an ingest) or `poll`, whichever comes first.
    pub fn start_delivery(
        self: &Arc<Self>,
        smtp: &SmtpSettings,
        poll: Duration,
    ) -> Result<std::thread::JoinHandle<()>, AlertsError> {
        let deliverer = Deliverer::new(self.settings.clone(), Some(smtp))?;
        let (wake, woken) = mpsc::channel();
        *self.wake.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(wake);
        let store = Arc::clone(&self.store);
        let worker = std::thread::Builder::new().name("alerts-delivery".into()).spawn(move || loop {
            match deliverer.deliver_due(store.as_ref(), chrono::Utc::now()) {
                Ok(report) if report.deliveries > 0 => {
                    tracing::info!(
                        sent = report.sent,
                        retrying = report.retrying,
                        given_up = report.given_up,
                        "alerts delivered"
                    );
                    continue;
                }
                Ok(_) => {}
                Err(error) => tracing::warn!("alert delivery failed: {error}"),
            }
            if let Err(mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(poll) {
                return;
            }
        });
        worker.map_err(|e| AlertsError::Invalid(format!("starting the delivery worker: {e}")))
    }
}

/// The alerts of this server, or 503 when it runs without them.
pub fn service(state: &AppState) -> Result<&Arc<AlertsService>, ApiError> {
    state.alerts.get().ok_or_else(|| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "alerts_disabled", "alerts are not turned on on this server")
    })
}

pub fn frequency(every: Option<&str>) -> Result<Frequency, ApiError> {
    every.map_or(Ok(Frequency::Immediately), |text| {
        Frequency::parse(text).map_err(|e| ApiError::bad_request("bad_frequency", e.to_string()))
    })
}

fn address_error(error: eligo_alerts::AddressError) -> ApiError {
    ApiError::bad_request("invalid_address", error.to_string())
}

/// The library's errors as the API states them; the store's are the server's fault (or 503 while
/// its database is out of reach).
pub fn alerts_error(error: AlertsError) -> ApiError {
    match error {
        AlertsError::Address(e) => address_error(e),
        AlertsError::UnknownCategory(_) => ApiError::bad_request("unknown_category", error.to_string()),
        AlertsError::CategoryTooLong(_) => ApiError::bad_request("category_too_long", error.to_string()),
        AlertsError::Search(_) => ApiError::bad_request("bad_search", error.to_string()),
        AlertsError::Invalid(_) | AlertsError::AddressFull => ApiError::bad_request("invalid_alert", error.to_string()),
        AlertsError::Store(store) => ApiError::from_store(store),
        AlertsError::Key { .. } | AlertsError::Compose(_) | AlertsError::Sealed { .. } => ApiError::internal(error),
    }
}
