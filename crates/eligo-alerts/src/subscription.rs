//! Subscriptions: what a person follows, how often, by which channel; sign-up with double
//! opt-in, manage tokens, changes and deletion.
//!
//! The address lives only in the store row's `address` column, the webhook secret only in its
//! channel and a pre-screen's answers only in its sealed column; deleting the subscription deletes
//! them, with its follows and messages.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use eligo_search::SearchRequest;
use eligo_store::alerts::{NewMessage, NewSubscription, SubscriptionRecord, SubscriptionStatus};
use eligo_store::Store;
use eligo_vocab::{Category, Vocabulary};
use serde::{Deserialize, Serialize};

use crate::keys::{random_hex, token_hash, SigningKey};
use crate::prescreen::Answers;
use crate::sealed::AnswersCipher;
use crate::{validate_address, AlertSettings, AlertsError, Result};

/// Longest category name accepted.
pub const MAX_CATEGORY_CHARS: usize = 200;
/// Subscriptions one address may hold (pending or active): a sign-up flood aimed at one inbox
/// stops here.
pub const MAX_PER_ADDRESS: u64 = 20;
/// A confirmation link not followed within this many days is dead, and its pending subscription
/// is deleted.
pub const CONFIRM_DAYS: i64 = 7;
/// What the manage token is signed for.
const MANAGE_PURPOSE: &str = "manage";

/// What a subscription follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Follows {
    /// A saved search: the Find page's text and filters (near/radius, age, sex, status, …).
    Search { request: SearchRequest },
    /// A condition concept and everything under it in the vocabulary, narrowed by the search
    /// filters in `filters` (place and radius, age, sex, status; its text is empty).
    Category { concept: String, name: String, filters: SearchRequest },
    /// The trials the matcher finds a person `eligible` or `possible` for, from the answers they
    /// kept. The answers and the filters they imply are never serialised here (they are sealed
    /// in their own column): a subscription read from the store has them only once opened
    /// ([`Subscription::open_answers`]).
    PreScreen {
        /// Which kinds of answer were kept ("age", "2 conditions", …), without their values.
        kept: Vec<String>,
        #[serde(skip)]
        answers: Option<Box<Answers>>,
        #[serde(skip)]
        filters: SearchRequest,
    },
}

impl Follows {
    /// A category by its name in the vocabulary (any synonym), as a condition concept.
    pub fn category(name: &str, filters: SearchRequest) -> Result<Follows> {
        let chars = name.chars().count();
        if chars > MAX_CATEGORY_CHARS {
            return Err(AlertsError::CategoryTooLong(chars));
        }
        let concept = Vocabulary::embedded()
            .lookup(name)
            .into_iter()
            .find(|c| c.category == Category::Condition)
            .ok_or_else(|| AlertsError::UnknownCategory(name.trim().to_string()))?;
        Ok(Follows::Category { concept: concept.id.clone(), name: concept.name.clone(), filters })
    }

    /// A pre-screen from the answers a person kept, checked.
    pub fn pre_screen(answers: Answers, today: chrono::NaiveDate) -> Result<Follows> {
        answers.check()?;
        Ok(Follows::PreScreen {
            kept: answers.kinds(),
            filters: answers.filters(today),
            answers: Some(Box::new(answers)),
        })
    }

    /// The search request whose filters (and, for a search, text) a trial must match.
    pub fn request(&self) -> &SearchRequest {
        match self {
            Follows::Search { request } => request,
            Follows::Category { filters, .. } | Follows::PreScreen { filters, .. } => filters,
        }
    }

    /// A pre-screen's answers, when opened.
    pub fn answers(&self) -> Option<&Answers> {
        match self {
            Follows::PreScreen { answers, .. } => answers.as_deref(),
            _ => None,
        }
    }

    /// Refuses what a search would refuse, before anything is stored.
    fn check(&self) -> Result<()> {
        match self {
            Follows::Category { filters, .. } if !filters.query.is_empty() => {
                return Err(AlertsError::Invalid("a category alert takes filters, not search text".into()));
            }
            Follows::PreScreen { answers: Some(answers), .. } => answers.check()?,
            Follows::PreScreen { answers: None, .. } => {
                return Err(AlertsError::Invalid("a pre-screen alert needs its answers".into()));
            }
            _ => {}
        }
        eligo_search::percolate::anchor_terms(self.request())?;
        eligo_search::SearchIndex::in_ram(&[])?.matching_ids(self.request())?;
        Ok(())
    }

    /// A short human description ("lupus near 48.85,2.35 within 50 km").
    pub fn describe(&self) -> String {
        let (what, request) = match self {
            Follows::Search { request } if request.query.is_empty() => ("all trials".to_string(), request),
            Follows::Search { request } => (format!("“{}”", request.query), request),
            Follows::Category { name, filters, .. } => (format!("{name} (and narrower conditions)"), filters),
            // Never the answers themselves: a description goes into e-mails and manage pages.
            Follows::PreScreen { kept, .. } => {
                return format!("trials you may qualify for, from the answers you kept ({})", kept.join(", "));
            }
        };
        let mut parts = vec![what];
        if let Some(near) = request.near {
            let radius = request.radius_km.unwrap_or(eligo_search::DEFAULT_RADIUS_KM);
            parts.push(format!("within {radius} km of {:.2},{:.2}", near.lat, near.lon));
        }
        if let Some(age) = request.age {
            parts.push(format!("age {age}"));
        }
        if !request.statuses.is_empty() {
            parts.push(format!("status {}", request.statuses.join("/")));
        }
        parts.join(", ")
    }
}

/// How often notifications go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    #[default]
    Immediately,
    /// One message a day with everything since the last (due at 00:00 UTC).
    Daily,
    /// One message a week (due Monday 00:00 UTC).
    Weekly,
}

impl Frequency {
    pub fn parse(text: &str) -> Result<Frequency> {
        match text.trim().to_ascii_lowercase().as_str() {
            "immediately" | "immediate" => Ok(Frequency::Immediately),
            "daily" => Ok(Frequency::Daily),
            "weekly" => Ok(Frequency::Weekly),
            other => Err(AlertsError::Invalid(format!(
                "unknown frequency {other:?}; known values: immediately, daily, weekly"
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Immediately => "immediately",
            Frequency::Daily => "daily",
            Frequency::Weekly => "weekly",
        }
    }

    /// When a notification created at `now` is due.
    pub fn due_at(self, now: DateTime<Utc>) -> DateTime<Utc> {
        let midnight = |d: chrono::NaiveDate| Utc.from_utc_datetime(&d.and_time(chrono::NaiveTime::MIN));
        let today = now.date_naive();
        match self {
            Frequency::Immediately => now,
            Frequency::Daily => midnight(today + Duration::days(1)),
            Frequency::Weekly => {
                midnight(today + Duration::days(7 - i64::from(today.weekday().num_days_from_monday())))
            }
        }
    }
}

/// How notifications reach the person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Channel {
    /// To the subscription's address (kept apart, in the store row).
    Email,
    /// POST JSON to `url`, signed with `secret` (HMAC-SHA256 of the body).
    Webhook { url: String, secret: String },
    /// An Atom feed at `/feeds/{token}.atom`.
    Feed,
}

/// A sign-up as a surface receives it.
#[derive(Debug, Clone, PartialEq)]
pub struct SignUp {
    pub follows: Follows,
    pub frequency: Frequency,
    /// Required for e-mail; absent for webhook and feed.
    pub address: Option<String>,
    /// `None` means e-mail.
    pub webhook_url: Option<String>,
    pub feed: bool,
    /// The operator's path: active at once, no confirmation e-mail.
    pub confirmed: bool,
}

/// What a sign-up hands back to the one who made it (never put in a log).
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub id: i64,
    /// Manages (and deletes) the subscription.
    pub manage_token: String,
    pub feed_token: Option<String>,
    pub webhook_secret: Option<String>,
}

/// A subscription read back from the store.
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    pub id: i64,
    pub status: SubscriptionStatus,
    pub address: Option<String>,
    pub follows: Follows,
    pub channel: Channel,
    pub frequency: Frequency,
    pub feed_token: Option<String>,
    pub since_seq: u64,
    pub stop_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    salt: String,
    /// A pre-screen's answers as stored (encrypted).
    sealed_answers: Option<Vec<u8>>,
}

impl Subscription {
    /// Decodes a store row; a row this build cannot read is an error naming it.
    pub fn from_record(record: SubscriptionRecord) -> Result<Subscription> {
        let bad = |what: &str, e: serde_json::Error| {
            AlertsError::Invalid(format!("stored subscription {} has an unreadable {what}: {e}", record.id))
        };
        Ok(Subscription {
            follows: serde_json::from_str(&record.spec).map_err(|e| bad("spec", e))?,
            channel: serde_json::from_str(&record.channel).map_err(|e| bad("channel", e))?,
            frequency: Frequency::parse(&record.frequency)?,
            id: record.id,
            status: record.status,
            address: record.address,
            feed_token: record.feed_token,
            since_seq: record.since_seq,
            stop_reason: record.stop_reason,
            created_at: record.created_at,
            salt: record.salt,
            sealed_answers: record.sealed_answers,
        })
    }

    /// Opens a pre-screen's sealed answers with the alerts key (nothing to do for other kinds).
    /// A key that does not open them is an error naming the subscription, never a silent skip:
    /// the alert would otherwise stop notifying without anyone knowing.
    pub fn open_answers(&mut self, key: &SigningKey, today: chrono::NaiveDate) -> Result<()> {
        let Follows::PreScreen { answers, filters, .. } = &mut self.follows else { return Ok(()) };
        let unreadable = |why: String| AlertsError::Sealed { id: self.id, reason: why };
        let sealed = self.sealed_answers.as_deref().ok_or_else(|| unreadable("no answers stored".into()))?;
        let plain = AnswersCipher::new(key).open(&self.salt, sealed).map_err(|e| unreadable(e.to_string()))?;
        let opened: Answers = serde_json::from_slice(&plain).map_err(|e| unreadable(e.to_string()))?;
        *filters = opened.filters(today);
        *answers = Some(Box::new(opened));
        Ok(())
    }

    /// The token of its manage, confirm and unsubscribe links.
    pub fn manage_token(&self, settings: &AlertSettings) -> String {
        settings.key.token(MANAGE_PURPOSE, &self.salt)
    }

    pub fn manage_url(&self, settings: &AlertSettings) -> String {
        format!("{}/alerts/manage/{}", settings.base_url, self.manage_token(settings))
    }

    pub fn confirm_url(&self, settings: &AlertSettings) -> String {
        format!("{}/alerts/confirm/{}", settings.base_url, self.manage_token(settings))
    }

    pub fn unsubscribe_url(&self, settings: &AlertSettings) -> String {
        format!("{}/alerts/unsubscribe/{}", settings.base_url, self.manage_token(settings))
    }
}

/// Every subscription the store holds, decoded (unreadable rows are skipped with a warning that
/// names only their id).
pub fn all(store: &dyn Store) -> Result<Vec<Subscription>> {
    Ok(store
        .subscriptions()?
        .into_iter()
        .filter_map(|record| {
            let id = record.id;
            Subscription::from_record(record).map_err(|e| tracing::warn!("subscription {id}: {e}")).ok()
        })
        .collect())
}

/// The subscriptions that deliver to the same place as `subscription`: every one of its address
/// for e-mail (what the person follows), itself alone for a webhook or a feed.
pub fn siblings(store: &dyn Store, subscription: &Subscription) -> Result<Vec<Subscription>> {
    let Some(address) = &subscription.address else { return Ok(vec![subscription.clone()]) };
    store.subscriptions_to(address)?.into_iter().map(Subscription::from_record).collect()
}

/// Creates a subscription: checked whole before anything is written; an e-mail subscription is
/// pending with its confirmation queued in the same transaction, unless `confirmed`.
pub fn sign_up(store: &dyn Store, settings: &AlertSettings, request: SignUp) -> Result<Created> {
    request.follows.check()?;
    let (channel, address, webhook_secret) = channel_of(&request, settings.private_webhooks)?;
    let salt = random_hex();
    let sealed_answers = seal_answers(&settings.key, &salt, &request.follows)?;
    let manage_token = settings.key.token(MANAGE_PURPOSE, &salt);
    let feed_token = request.feed.then(random_hex);
    let needs_confirmation = address.is_some() && !request.confirmed;
    let status = if needs_confirmation { SubscriptionStatus::Pending } else { SubscriptionStatus::Active };
    let new = NewSubscription {
        status,
        address,
        spec: serde_json::to_string(&request.follows).map_err(|e| AlertsError::Compose(e.to_string()))?,
        channel: serde_json::to_string(&channel).map_err(|e| AlertsError::Compose(e.to_string()))?,
        frequency: request.frequency.as_str().to_string(),
        salt: salt.clone(),
        manage_hash: token_hash(&manage_token),
        feed_token: feed_token.clone(),
        since_seq: store.max_seq()?,
        sealed_answers,
    };
    let confirmation = needs_confirmation.then(|| NewMessage {
        subscription_id: 0,
        delivery_key: format!("confirm-{salt}"),
        kind: crate::message::CONFIRM.to_string(),
        trial_id: None,
        payload: "{}".to_string(),
        due_at: Utc::now(),
        delivered: false,
    });
    let id = store.add_subscription(&new, confirmation.as_slice(), MAX_PER_ADDRESS)?.ok_or(AlertsError::AddressFull)?;
    Ok(Created { id, manage_token, feed_token, webhook_secret })
}

/// A pre-screen's answers sealed for the row with this salt; `None` for other kinds.
fn seal_answers(key: &SigningKey, salt: &str, follows: &Follows) -> Result<Option<Vec<u8>>> {
    let Some(answers) = follows.answers() else { return Ok(None) };
    let plain = serde_json::to_vec(answers).map_err(|e| AlertsError::Compose(e.to_string()))?;
    Ok(Some(AnswersCipher::new(key).seal(salt, &plain)))
}

fn channel_of(request: &SignUp, private_webhooks: bool) -> Result<(Channel, Option<String>, Option<String>)> {
    match (&request.address, &request.webhook_url, request.feed) {
        (Some(address), None, false) => Ok((Channel::Email, Some(validate_address(address)?), None)),
        (None, Some(url), false) => {
            let url = url.trim();
            if !(url.starts_with("https://") || url.starts_with("http://")) || url.chars().any(char::is_control) {
                return Err(AlertsError::Invalid("webhook URL must be an http(s) URL".into()));
            }
            crate::webhook_target::check_url(url, private_webhooks)?;
            let secret = random_hex();
            Ok((Channel::Webhook { url: url.to_string(), secret: secret.clone() }, None, Some(secret)))
        }
        (None, None, true) => Ok((Channel::Feed, None, None)),
        _ => Err(AlertsError::Invalid(
            "an alert needs exactly one channel: an e-mail address, a webhook or a feed".into(),
        )),
    }
}

/// Why a manage token was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("this link is not valid (it may have been used to unsubscribe already)")]
    Unknown,
    #[error("this confirmation link has expired; please sign up again")]
    Expired,
}

/// The subscription a manage token belongs to. A pending subscription whose confirmation
/// window has passed is deleted and reported as expired.
pub fn by_token(
    store: &dyn Store,
    settings: &AlertSettings,
    token: &str,
) -> Result<std::result::Result<Subscription, TokenError>> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(Err(TokenError::Unknown));
    }
    let Some(record) = store.subscription_by_manage_hash(&token_hash(token))? else {
        return Ok(Err(TokenError::Unknown));
    };
    let subscription = Subscription::from_record(record)?;
    // The hash matched; the signature check makes a token minted without the key worthless even
    // against a copied database.
    if subscription.manage_token(settings) != token {
        return Ok(Err(TokenError::Unknown));
    }
    let expired = Utc::now() - subscription.created_at > Duration::days(CONFIRM_DAYS);
    if subscription.status == SubscriptionStatus::Pending && expired {
        store.delete_subscription(subscription.id)?;
        return Ok(Err(TokenError::Expired));
    }
    Ok(Ok(subscription))
}

/// Follows the confirmation link: a pending subscription becomes active.
pub fn confirm(store: &dyn Store, subscription: &Subscription) -> Result<()> {
    if subscription.status == SubscriptionStatus::Pending {
        store.set_subscription_status(subscription.id, SubscriptionStatus::Active)?;
    }
    Ok(())
}

/// Changes what a subscription follows or how often. A pre-screen kept as it is keeps its sealed
/// answers; new answers are sealed anew; following something else deletes them.
pub fn update(
    store: &dyn Store,
    key: &SigningKey,
    subscription: &Subscription,
    follows: &Follows,
    frequency: Frequency,
) -> Result<()> {
    let unchanged_pre_screen = matches!(follows, Follows::PreScreen { answers: None, .. })
        && matches!(subscription.follows, Follows::PreScreen { .. });
    let sealed = match unchanged_pre_screen {
        true => subscription.sealed_answers.clone(),
        false => {
            follows.check()?;
            seal_answers(key, &subscription.salt, follows)?
        }
    };
    let spec = serde_json::to_string(follows).map_err(|e| AlertsError::Compose(e.to_string()))?;
    store.update_subscription(subscription.id, &spec, sealed.as_deref(), frequency.as_str())?;
    Ok(())
}

/// Deletes a subscription and everything about the person in it.
pub fn remove(store: &dyn Store, id: i64) -> Result<bool> {
    Ok(store.delete_subscription(id)?)
}
