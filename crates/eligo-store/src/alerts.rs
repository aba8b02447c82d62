//! Alert subscriptions, the trials they follow and the outbox of their notifications.
//!
//! The store keeps what it must query by (status, address, tokens, due times) in columns and
//! what only the alerts engine reads (what a subscription follows, its channel, a message's
//! content) as opaque text. Personal data (the address, a pre-screen's answers in
//! `sealed_answers`, encrypted by the alerts engine, a webhook secret inside `channel`) lives only
//! in the subscription's row, so deleting the row
//! deletes it; follows and outbox rows go with it (`ON DELETE CASCADE`).
//!
//! Exactly-once: [`AlertStore::record_evaluation`] writes the notifications of a change range and
//! advances the evaluation cursor in one transaction, and every notification has a unique
//! `delivery_key`, so evaluating a range twice cannot queue a second copy; a message is handed to
//! one deliverer at a time ([`AlertStore::claim_messages`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::Result;

/// The `state` key of the last change sequence the alerts engine has evaluated.
pub(crate) const CURSOR_KEY: &str = "alerts.evaluated_seq";
/// Permanent delivery failures after which a subscription is stopped.
pub const MAX_PERMANENT_FAILURES: u32 = 3;

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Waiting for its confirmation link to be followed; nothing but the confirmation is sent.
    Pending,
    Active,
    /// Stopped after permanent delivery failures (`stop_reason` says which).
    Stopped,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Stopped => "stopped",
        }
    }

    pub(crate) fn parse(text: &str) -> SubscriptionStatus {
        match text {
            "active" => SubscriptionStatus::Active,
            "pending" => SubscriptionStatus::Pending,
            _ => SubscriptionStatus::Stopped,
        }
    }
}

/// A subscription as the caller creates it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSubscription {
    pub status: SubscriptionStatus,
    /// E-mail address, for e-mail subscriptions.
    pub address: Option<String>,
    /// What it follows (the alerts engine's JSON).
    pub spec: String,
    /// How it is delivered (the alerts engine's JSON).
    pub channel: String,
    pub frequency: String,
    /// Random; the alerts engine signs it into the manage token.
    pub salt: String,
    /// SHA-256 of the manage token, to look the token up by.
    pub manage_hash: String,
    pub feed_token: Option<String>,
    /// Changes up to this sequence are older than the subscription and never notified.
    pub since_seq: u64,
    /// A pre-screen's answers, encrypted (the store never sees them in the clear).
    pub sealed_answers: Option<Vec<u8>>,
}

/// A stored subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub status: SubscriptionStatus,
    pub address: Option<String>,
    pub spec: String,
    pub channel: String,
    pub frequency: String,
    pub salt: String,
    pub manage_hash: String,
    pub feed_token: Option<String>,
    pub since_seq: u64,
    pub sealed_answers: Option<Vec<u8>>,
    /// Permanent delivery failures so far.
    pub failures: u32,
    pub stop_reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewMessage {
    pub subscription_id: i64,
    /// Unique per message: queueing the same key twice keeps the first.
    pub delivery_key: String,
    /// `confirm`, or the event that triggered a notification (`new_trial`, `closed`, …).
    pub kind: String,
    pub trial_id: Option<String>,
    pub payload: String,
    pub due_at: DateTime<Utc>,
    /// Already delivered when queued (a feed entry is delivered by being in the feed).
    pub delivered: bool,
}

/// A queued or sent message.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub subscription_id: i64,
    pub delivery_key: String,
    pub kind: String,
    pub trial_id: Option<String>,
    pub payload: String,
    pub created_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub attempts: u32,
    /// When it was sent, or given up (then `last_error` says why).
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

/// How a delivery attempt failed.
#[derive(Debug, Clone, PartialEq)]
pub enum DeliveryFailure {
    /// Try again at this time.
    Retry { error: String, next_attempt: DateTime<Utc> },
    /// The receiver refused for good (SMTP 5xx, webhook 410): the messages are dropped and the
    /// subscription counts a failure; at [`MAX_PERMANENT_FAILURES`] it is stopped with `error`.
    Permanent { error: String },
}

/// Storage for alerts. The alerts engine evaluates the trials' change sequence, so it works over
/// a whole [`crate::Store`]; this is the alerts' own part of it.
pub trait AlertStore: Send + Sync {
    /// Adds a subscription and, in the same transaction, its first messages (a confirmation),
    /// unless its address already has `max_per_address` subscriptions: then nothing is written and
    /// the answer is `None`. The count is taken in the writing transaction, so sign-ups running at
    /// once cannot pass the limit together.
    fn add_subscription(
        &self,
        subscription: &NewSubscription,
        messages: &[NewMessage],
        max_per_address: u64,
    ) -> Result<Option<i64>>;

    /// Every subscription, by id.
    fn subscriptions(&self) -> Result<Vec<SubscriptionRecord>>;

    fn subscription(&self, id: i64) -> Result<Option<SubscriptionRecord>>;

    fn subscription_by_manage_hash(&self, manage_hash: &str) -> Result<Option<SubscriptionRecord>>;

    fn subscription_by_feed_token(&self, feed_token: &str) -> Result<Option<SubscriptionRecord>>;

    /// Every subscription to this address, by id (the manage page lists what a person follows).
    fn subscriptions_to(&self, address: &str) -> Result<Vec<SubscriptionRecord>>;

    fn set_subscription_status(&self, id: i64, status: SubscriptionStatus) -> Result<()>;

    /// Replaces what a subscription follows (with its sealed answers, `None` deleting them) and
    /// how often.
    fn update_subscription(&self, id: i64, spec: &str, sealed_answers: Option<&[u8]>, frequency: &str) -> Result<()>;

    /// Deletes a subscription with everything about it (follows, messages). False when absent.
    fn delete_subscription(&self, id: i64) -> Result<bool>;

    /// The last change sequence evaluated (0 before the first evaluation).
    fn alerts_cursor(&self) -> Result<u64>;

    /// Queues the messages of an evaluated change range, records the trials they make their
    /// subscriptions follow, and moves the cursor to `to_seq`, in one transaction.
    fn record_evaluation(&self, to_seq: u64, messages: &[NewMessage]) -> Result<()>;

    /// `(trial_id, subscription_id)` for every follower of these trials.
    fn followers(&self, trial_ids: &[&str]) -> Result<Vec<(String, i64)>>;

    /// Unsent messages due at `now`, oldest first, at most `limit` (messages another deliverer
    /// has claimed are not due until their claim runs out).
    fn due_messages(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxMessage>>;

    /// Claims those of `message_ids` that are still unsent and due at `now`, and returns them:
    /// their due time moves to `claimed_until`, so that every other deliverer (another replica,
    /// another `eligo alerts deliver`) passes them by until this one marks them sent or failed,
    /// or the claim runs out (a deliverer that died: they are sent again then). Claimers running
    /// at once never receive the same message.
    fn claim_messages(
        &self,
        message_ids: &[i64],
        now: DateTime<Utc>,
        claimed_until: DateTime<Utc>,
    ) -> Result<Vec<OutboxMessage>>;

    fn mark_sent(&self, message_ids: &[i64], at: DateTime<Utc>) -> Result<()>;

    fn mark_failed(&self, message_ids: &[i64], failure: &DeliveryFailure) -> Result<()>;

    /// The newest messages of a subscription, newest first (its feed, its manage page).
    fn recent_messages(&self, subscription_id: i64, limit: usize) -> Result<Vec<OutboxMessage>>;
}
