//! The delivery worker: sends what is due, marks each message sent, retries with exponential
//! backoff.
//!
//! Each group of messages (one subscription's) is claimed before it is sent, so that no other
//! deliverer — another server replica, another `eligo alerts deliver` — sends it meanwhile; it is
//! marked after sending. A crash in between sends that group once more when its claim runs out
//! ([`CLAIM`]; at most one duplicate: an e-mail carries the same `Message-ID` and a webhook the
//! same delivery id both times, so receivers can drop it); the other groups, unclaimed, go out as
//! soon as a deliverer runs again. Permanent refusals (SMTP 5xx, webhook 410)
//! give the messages up and count against the subscription, which stops after a few.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use eligo_store::alerts::{DeliveryFailure, OutboxMessage, SubscriptionStatus};
use eligo_store::Store;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::evaluate::Notification;
use crate::keys::webhook_signature;
use crate::message::{confirmation, digest, WebhookBody, CONFIRM};
use crate::subscription::{Channel, Subscription};
use crate::{AlertSettings, AlertsError, Result};

/// Messages read per pass.
const PER_PASS: usize = 500;
/// How long a claimed group is held before another deliverer may take it: well past the longest a
/// delivery takes (an SMTP exchange times out within 30 s, a webhook call within 15 s), short
/// enough that the group of a deliverer that died goes out minutes later.
const CLAIM: TimeDelta = TimeDelta::minutes(2);
/// First retry delay; doubled per attempt up to [`MAX_RETRY_DELAY`].
const FIRST_RETRY_DELAY: Duration = Duration::from_secs(30);
const MAX_RETRY_DELAY: Duration = Duration::from_secs(6 * 3600);
/// Transient failures after which a message is given up.
const MAX_ATTEMPTS: u32 = 12;
/// Header carrying a webhook body's HMAC-SHA256 (`sha256=<hex>`).
pub const SIGNATURE_HEADER: &str = "X-Eligo-Signature";
/// Header carrying a webhook delivery's id.
pub const DELIVERY_HEADER: &str = "X-Eligo-Delivery";

/// Where and how to reach the SMTP server (from configuration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// Upgrade the connection with STARTTLS (required when set).
    pub starttls: bool,
    pub username: Option<String>,
    pub password: Option<String>,
}

impl SmtpSettings {
    /// `HOST:PORT`, plain (a relay on loopback or inside the network).
    pub fn parse_plain(host_port: &str) -> Result<SmtpSettings> {
        let (host, port) = host_port
            .rsplit_once(':')
            .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
            .filter(|(h, _)| !h.is_empty())
            .ok_or_else(|| AlertsError::Invalid(format!("SMTP server {host_port:?} is not HOST:PORT")))?;
        Ok(SmtpSettings { host: host.to_string(), port, starttls: false, username: None, password: None })
    }

    fn transport(&self) -> Result<SmtpTransport> {
        let builder = if self.starttls {
            SmtpTransport::starttls_relay(&self.host).map_err(|e| AlertsError::Invalid(format!("SMTP TLS: {e}")))?
        } else {
            SmtpTransport::builder_dangerous(&self.host)
        };
        let builder = builder.port(self.port).timeout(Some(Duration::from_secs(30)));
        let builder = match (&self.username, &self.password) {
            (Some(user), Some(password)) => builder.credentials(Credentials::new(user.clone(), password.clone())),
            _ => builder,
        };
        Ok(builder.build())
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeliveryReport {
    /// Messages (outbox rows) delivered.
    pub sent: usize,
    /// E-mails or webhook calls made for them.
    pub deliveries: usize,
    pub retrying: usize,
    pub given_up: usize,
}

/// Sends due messages by e-mail and webhook.
pub struct Deliverer {
    settings: AlertSettings,
    smtp: Option<SmtpTransport>,
    http: ureq::Agent,
}

/// How one delivery went.
enum Outcome {
    Sent,
    Failed { error: String, permanent: bool },
}

impl Deliverer {
    /// A worker for these settings; e-mail needs `smtp` (without it, e-mail messages wait).
    pub fn new(settings: AlertSettings, smtp: Option<&SmtpSettings>) -> Result<Deliverer> {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build();
        let http = if settings.private_webhooks {
            config.into()
        } else {
            // Connect only to the public addresses the name resolved to when the request is made.
            ureq::Agent::with_parts(
                config,
                ureq::unversioned::transport::DefaultConnector::new(),
                crate::webhook_target::PublicOnlyResolver::default(),
            )
        };
        Ok(Deliverer { settings, smtp: smtp.map(SmtpSettings::transport).transpose()?, http })
    }

    /// Sends everything due at `now`, one pass over at most a few hundred messages. Each group
    /// is claimed just before it is sent ([`eligo_store::AlertStore::claim_messages`]), so that
    /// deliverers running at once (one per server replica) never send one message twice.
    pub fn deliver_due(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<DeliveryReport> {
        let mut groups: BTreeMap<i64, Vec<OutboxMessage>> = BTreeMap::new();
        for message in store.due_messages(now, PER_PASS)? {
            groups.entry(message.subscription_id).or_default().push(message);
        }
        let mut report = DeliveryReport::default();
        for (subscription_id, messages) in groups {
            let Some(record) = store.subscription(subscription_id)? else { continue };
            let subscription = Subscription::from_record(record)?;
            let (confirms, notifications): (Vec<_>, Vec<_>) = messages.into_iter().partition(|m| m.kind == CONFIRM);
            for group in [confirms, notifications] {
                if group.is_empty() || !self.ready(&subscription, &group) {
                    continue;
                }
                let ids: Vec<i64> = group.iter().map(|m| m.id).collect();
                // What another deliverer claimed since it was read is left to that one.
                let claimed = store.claim_messages(&ids, now, Utc::now() + CLAIM)?;
                if !claimed.is_empty() {
                    self.deliver_group(store, &subscription, &claimed, now, &mut report)?;
                }
            }
        }
        Ok(report)
    }

    /// Whether this group can go now: notifications only to active subscriptions, e-mail only
    /// with an SMTP server.
    fn ready(&self, subscription: &Subscription, group: &[OutboxMessage]) -> bool {
        let confirming = group[0].kind == CONFIRM;
        let status_ok = match subscription.status {
            SubscriptionStatus::Active => !confirming,
            SubscriptionStatus::Pending => confirming,
            SubscriptionStatus::Stopped => false,
        };
        status_ok && (subscription.channel != Channel::Email || self.smtp.is_some())
    }

    fn deliver_group(
        &self,
        store: &dyn Store,
        subscription: &Subscription,
        group: &[OutboxMessage],
        now: DateTime<Utc>,
        report: &mut DeliveryReport,
    ) -> Result<()> {
        let ids: Vec<i64> = group.iter().map(|m| m.id).collect();
        let delivery_id = delivery_id(group);
        let outcome = match &subscription.channel {
            Channel::Email => self.send_email(subscription, group, &delivery_id),
            Channel::Webhook { url, secret } => self.post_webhook(subscription, group, &delivery_id, url, secret),
            // Feed entries are delivered when queued; nothing to send.
            Channel::Feed => Outcome::Sent,
        };
        report.deliveries += 1;
        match outcome {
            Outcome::Sent => {
                store.mark_sent(&ids, Utc::now())?;
                report.sent += ids.len();
            }
            Outcome::Failed { error, permanent } => {
                let attempts = group.iter().map(|m| m.attempts).max().unwrap_or(0) + 1;
                let failure = if permanent || attempts >= MAX_ATTEMPTS {
                    report.given_up += ids.len();
                    DeliveryFailure::Permanent { error }
                } else {
                    report.retrying += ids.len();
                    DeliveryFailure::Retry { error, next_attempt: now + retry_delay(attempts) }
                };
                store.mark_failed(&ids, &failure)?;
            }
        }
        Ok(())
    }

    fn send_email(&self, subscription: &Subscription, group: &[OutboxMessage], delivery_id: &str) -> Outcome {
        let Some(smtp) = &self.smtp else {
            return Outcome::Failed { error: "no SMTP server configured".into(), permanent: false };
        };
        let email = match self.compose_email(subscription, group, delivery_id) {
            Ok(email) => email,
            Err(e) => return Outcome::Failed { error: e.to_string(), permanent: true },
        };
        match smtp.send(&email) {
            Ok(_) => Outcome::Sent,
            Err(e) => Outcome::Failed { error: smtp_error(&e), permanent: e.is_permanent() },
        }
    }

    fn compose_email(
        &self,
        subscription: &Subscription,
        group: &[OutboxMessage],
        delivery_id: &str,
    ) -> Result<Message> {
        let composed = if group[0].kind == CONFIRM {
            confirmation(subscription, &self.settings)
        } else {
            digest(subscription, &self.settings, &notifications(group))
        };
        let bad = |e: &dyn std::fmt::Display| AlertsError::Compose(e.to_string());
        let to: Mailbox = subscription.address.as_deref().unwrap_or_default().parse().map_err(|e| bad(&e))?;
        let from: Mailbox = self.settings.from.parse().map_err(|e| bad(&e))?;
        let host = self.settings.base_url.split("://").nth(1).unwrap_or("eligo.invalid").split(['/', ':']).next();
        Message::builder()
            .from(from)
            .to(to)
            .subject(composed.subject)
            .message_id(Some(format!("<{delivery_id}@{}>", host.unwrap_or("eligo.invalid"))))
            .header(ListUnsubscribe(format!("<{}>", subscription.unsubscribe_url(&self.settings))))
            .header(ListUnsubscribePost)
            .multipart(MultiPart::alternative_plain_html(composed.text, composed.html))
            .map_err(|e| bad(&e))
    }

    fn post_webhook(
        &self,
        subscription: &Subscription,
        group: &[OutboxMessage],
        delivery_id: &str,
        url: &str,
        secret: &str,
    ) -> Outcome {
        if !self.settings.private_webhooks && crate::webhook_target::resolves_privately(url) {
            // The name pointed somewhere public at sign-up; now it does not.
            let error = "webhook host resolves to a private address; not sent".to_string();
            return Outcome::Failed { error, permanent: true };
        }
        let items = notifications(group);
        let body = WebhookBody { subscription: subscription.id, delivery: delivery_id, notifications: &items };
        let body = serde_json::to_vec(&body).unwrap_or_default();
        let response = self
            .http
            .post(url)
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, webhook_signature(secret, &body))
            .header(DELIVERY_HEADER, delivery_id)
            .send(&body[..]);
        match response.map(|r| r.status().as_u16()) {
            Ok(200..=299) => Outcome::Sent,
            Ok(status) => {
                Outcome::Failed { error: format!("webhook answered HTTP {status}"), permanent: status == 410 }
            }
            Err(e) => Outcome::Failed { error: format!("webhook: {e}"), permanent: false },
        }
    }
}

/// The notifications of a group (unreadable payloads are skipped).
fn notifications(group: &[OutboxMessage]) -> Vec<Notification> {
    group.iter().filter_map(|m| serde_json::from_str(&m.payload).ok()).collect()
}

/// A stable id for a group of messages: the same group gets the same id on every attempt.
fn delivery_id(group: &[OutboxMessage]) -> String {
    let mut hasher = Sha256::new();
    for message in group {
        hasher.update(message.delivery_key.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(&hasher.finalize()[..16])
}

fn retry_delay(attempts: u32) -> chrono::Duration {
    let delay = FIRST_RETRY_DELAY.saturating_mul(2u32.saturating_pow(attempts.saturating_sub(1))).min(MAX_RETRY_DELAY);
    chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(6))
}

/// An SMTP error without the recipient (lettre's messages can quote the server's reply, which
/// may name the address).
fn smtp_error(error: &lettre::transport::smtp::Error) -> String {
    match error.status() {
        Some(code) => format!("SMTP server refused with {code}"),
        None if error.is_permanent() => "SMTP server refused permanently".to_string(),
        None => "SMTP server unreachable or failed".to_string(),
    }
}

/// `List-Unsubscribe: <https://…/alerts/unsubscribe/TOKEN>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(text: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): a mail client may unsubscribe
/// with one POST to the `List-Unsubscribe` URL.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> std::result::Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}
