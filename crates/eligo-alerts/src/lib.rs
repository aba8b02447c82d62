//! Alerts: a person says once what they are looking for and hears when a fitting trial opens, a
//! site opens near them, or a trial they follow changes — by e-mail, webhook or Atom feed.
//!
//! The pieces, in the order a change meets them:
//!
//! * [`subscription`]: what a subscription follows (a search, a condition category with its
//!   descendants, or a pre-screen: the answers a person kept, [`prescreen`], sealed at rest by
//!   [`sealed`]), how often and by which channel; sign-up, confirmation (double opt-in), manage
//!   tokens, deletion of everything about the person.
//! * [`percolator`]: the subscriptions indexed by the terms, concepts and places they need, so
//!   that a changed trial selects the few subscriptions that could match it.
//! * [`evaluate`]: the store's change-sequence range since the last evaluation: what changed in
//!   each trial (new, starts recruiting, new site, eligibility changed, closing), candidates from
//!   the percolator confirmed with the real search query (and, for a pre-screen, screened by the
//!   matcher), and the notifications written to the outbox in the same transaction that advances
//!   the cursor.
//! * [`deliver`]: the worker that sends what is due (e-mail over SMTP with `lettre`, webhooks
//!   signed with HMAC-SHA256), with retries and exponential backoff; [`feed`] renders the Atom
//!   feed of a subscription.
//!
//! Nothing here logs an address, a token, a pre-screen answer or what a person follows.

pub mod address;
pub mod deliver;
pub mod evaluate;
pub mod feed;
pub mod keys;
mod message;
pub mod percolator;
pub mod prescreen;
pub mod sealed;
pub mod subscription;
pub mod webhook_target;

pub use address::{validate_address, AddressError};
pub use deliver::{Deliverer, DeliveryReport, SmtpSettings};
pub use evaluate::{evaluate, Evaluation};
pub use keys::SigningKey;
pub use prescreen::Answers;
pub use subscription::{Channel, Follows, Frequency, SignUp, Subscription};

/// Where the links in messages point and who sends them.
#[derive(Debug, Clone)]
pub struct AlertSettings {
    /// Public base URL of the web surface (`https://trials.example.org`), without a trailing `/`.
    pub base_url: String,
    /// The `From` of every e-mail.
    pub from: String,
    /// Signs manage links.
    pub key: SigningKey,
    /// Whether webhooks may target loopback, private and link-local addresses: the operator's own
    /// network, or tests. Off for a public server, where anyone can sign a webhook up
    /// ([`webhook_target`]).
    pub private_webhooks: bool,
}

/// Everything that can go wrong in this crate.
#[derive(Debug, thiserror::Error)]
pub enum AlertsError {
    #[error("{0}")]
    Address(#[from] AddressError),
    #[error("unknown category {0:?}: no condition of the vocabulary has this name")]
    UnknownCategory(String),
    #[error("category name is {0} characters long (at most {max})", max = subscription::MAX_CATEGORY_CHARS)]
    CategoryTooLong(usize),
    #[error("bad search for an alert: {0}")]
    Search(#[from] eligo_search::SearchError),
    #[error("{0}")]
    Invalid(String),
    /// The address already holds [`subscription::MAX_PER_ADDRESS`] subscriptions. A public
    /// surface answers it like a success, so that sign-up does not tell who is subscribed.
    #[error("too many alerts for one address (at most {max})", max = subscription::MAX_PER_ADDRESS)]
    AddressFull,
    #[error("reading or writing the store")]
    Store(#[from] eligo_store::StoreError),
    #[error("the signing key file {path}: {reason}")]
    Key { path: String, reason: String },
    #[error("composing a message: {0}")]
    Compose(String),
    /// A pre-screen's sealed answers did not open: the evaluation stops rather than skip the
    /// alert in silence.
    #[error("the pre-screen answers of alert {id} cannot be read: {reason}")]
    Sealed { id: i64, reason: String },
}

pub type Result<T> = std::result::Result<T, AlertsError>;
