//! API tokens for the write endpoints.
//!
//! A token is 32 random bytes from the operating system's generator, shown
//! once to whoever creates it. The store keeps only its SHA-256 hash, so a
//! copied database does not give write access. Requests present the token as
//! `Authorization: Bearer <token>`.
//!
//! Each token has a name (recorded as the source of everything it writes), a scope, an optional
//! expiry, and may be revoked; every request looks the token up again, so a revocation or an
//! expiry takes effect on the next request. Tokens made before scopes existed are `ingest` tokens
//! without expiry.

use chrono::{DateTime, TimeDelta, Utc};
use eligo_store::{ApiToken, NewApiToken, Store, StoreError};
use rand::TryRngCore;
use sha2::{Digest, Sha256};

/// Every token starts with this, so that a leaked one is easy to recognise.
const PREFIX: &str = "eligo_";

/// Longest token name.
const MAX_NAME_CHARS: usize = 64;

/// What a token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Write trials (`POST /api/v1/ingest`) and read its jobs.
    Ingest,
    /// Everything a token can do, today the same as `ingest`; the scope for operators, kept apart
    /// so that endpoints only an operator should reach can require it.
    Admin,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Ingest => "ingest",
            Scope::Admin => "admin",
        }
    }

    pub fn parse(text: &str) -> Result<Scope, TokenError> {
        match text {
            "ingest" => Ok(Scope::Ingest),
            "admin" => Ok(Scope::Admin),
            other => Err(TokenError::UnknownScope(other.to_string())),
        }
    }

    /// Whether a token of this scope may do what needs `needed`.
    pub fn allows(self, needed: Scope) -> bool {
        self == Scope::Admin || self == needed
    }
}

/// Creates a token, stores its hash, and returns the secret. The name must not be held by
/// another token still in force (revoke that one first), so that a name says which token wrote.
pub fn create_token(
    store: &dyn Store,
    name: &str,
    scope: Scope,
    lifetime: Option<TimeDelta>,
) -> Result<String, TokenError> {
    let name = valid_name(name)?;
    let now = Utc::now();
    if store.list_api_tokens()?.iter().any(|token| token.name == name && in_force(token, now).is_ok()) {
        return Err(TokenError::NameTaken(name.to_string()));
    }
    let expires_at =
        lifetime.map(|lifetime| now.checked_add_signed(lifetime).ok_or(TokenError::LifetimeTooLong)).transpose()?;
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut secret).map_err(|e| TokenError::Randomness(e.to_string()))?;
    let token = format!("{PREFIX}{}", hex::encode(secret));
    store.add_api_token(&NewApiToken {
        hash: hash_token(&token),
        name: name.to_string(),
        scope: scope.as_str().to_string(),
        expires_at,
    })?;
    Ok(token)
}

fn valid_name(name: &str) -> Result<&str, TokenError> {
    let name = name.trim();
    let length = name.chars().count();
    if length == 0 || length > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(TokenError::BadName);
    }
    Ok(name)
}

/// A lifetime written as a number and a unit: `90d`, `12h`, `8w`.
pub fn parse_lifetime(text: &str) -> Result<TimeDelta, TokenError> {
    let bad = || TokenError::BadLifetime(text.to_string());
    let text = text.trim();
    let unit_at = text.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (count, unit) = text.split_at(unit_at);
    let count: i64 = count.parse().map_err(|_| bad())?;
    let lifetime = match unit {
        "h" => TimeDelta::try_hours(count),
        "d" => TimeDelta::try_days(count),
        "w" => TimeDelta::try_weeks(count),
        _ => None,
    };
    lifetime.filter(|lifetime| *lifetime > TimeDelta::zero()).ok_or_else(bad)
}

/// The hex SHA-256 of a token: what the store keeps and looks up.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The token behind `secret` if it is known, in force and allowed to do what needs `needed`;
/// its use is recorded (`token list` shows when each token was last used).
pub fn authenticate(store: &dyn Store, secret: &str, needed: Scope) -> Result<ApiToken, AuthError> {
    if !secret.starts_with(PREFIX) {
        return Err(AuthError::Unknown);
    }
    let hash = hash_token(secret);
    let token = store.find_api_token(&hash)?.ok_or(AuthError::Unknown)?;
    let now = Utc::now();
    in_force(&token, now)?;
    // A scope this build does not know (a newer eligo wrote it) allows nothing.
    let scope = Scope::parse(&token.scope).map_err(|_| AuthError::Scope(token.scope.clone()))?;
    if !scope.allows(needed) {
        return Err(AuthError::Scope(token.scope.clone()));
    }
    store.touch_api_token(&hash, now)?;
    Ok(token)
}

/// Whether `token` may still be used at `now`.
fn in_force(token: &ApiToken, now: DateTime<Utc>) -> Result<(), AuthError> {
    if let Some(at) = token.revoked_at {
        return Err(AuthError::Revoked(at));
    }
    match token.expires_at {
        Some(at) if at <= now => Err(AuthError::Expired(at)),
        _ => Ok(()),
    }
}

/// Why a token could not be made.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the operating system's random generator failed: {0}")]
    Randomness(String),
    #[error("a token name is 1 to {MAX_NAME_CHARS} characters without control characters")]
    BadName,
    #[error("a token named `{0}` is in force; revoke it first (`eligo token revoke {0}`) or choose another name")]
    NameTaken(String),
    #[error("unknown scope `{0}`: a token's scope is `ingest` or `admin`")]
    UnknownScope(String),
    #[error("cannot read the lifetime `{0}`: write a positive number and a unit, h, d or w (e.g. 90d)")]
    BadLifetime(String),
    #[error("the lifetime reaches past the calendar")]
    LifetimeTooLong,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a request's token was refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the API token is not known to this server")]
    Unknown,
    #[error("the API token was revoked at {0}")]
    Revoked(DateTime<Utc>),
    #[error("the API token expired at {0}")]
    Expired(DateTime<Utc>),
    #[error("the API token's scope `{0}` does not allow this")]
    Scope(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> eligo_store::SharedStore {
        eligo_store::temporary_store().unwrap()
    }

    #[test]
    fn a_created_token_authenticates_and_only_its_hash_is_stored() {
        let store = store();
        let token = create_token(&*store, "test", Scope::Ingest, None).unwrap();
        let found = authenticate(&*store, &token, Scope::Ingest).unwrap();
        assert_eq!(found.name, "test");
        assert!(store.find_api_token(&token).unwrap().is_none(), "the secret itself must not be stored");
        assert!(store.list_api_tokens().unwrap()[0].last_used_at.is_some(), "its use is recorded");
        assert!(matches!(authenticate(&*store, &format!("{token}x"), Scope::Ingest), Err(AuthError::Unknown)));
        assert!(matches!(authenticate(&*store, "", Scope::Ingest), Err(AuthError::Unknown)));
    }

    #[test]
    fn a_revoked_token_is_refused_on_its_next_use_and_its_name_is_free_again() {
        let store = store();
        let token = create_token(&*store, "bot", Scope::Ingest, None).unwrap();
        assert!(matches!(create_token(&*store, "bot", Scope::Ingest, None), Err(TokenError::NameTaken(_))));
        assert_eq!(store.revoke_api_tokens("bot", Utc::now()).unwrap(), 1);
        assert!(matches!(authenticate(&*store, &token, Scope::Ingest), Err(AuthError::Revoked(_))));
        let second = create_token(&*store, "bot", Scope::Ingest, None).unwrap();
        assert_eq!(authenticate(&*store, &second, Scope::Ingest).unwrap().name, "bot");
    }

    #[test]
    fn an_expired_token_is_refused() {
        let store = store();
        let token = create_token(&*store, "short", Scope::Ingest, Some(TimeDelta::hours(1))).unwrap();
        assert!(authenticate(&*store, &token, Scope::Ingest).is_ok());
        store
            .add_api_token(&NewApiToken {
                hash: hash_token("eligo_old"),
                name: "old".into(),
                scope: "ingest".into(),
                expires_at: Some(Utc::now() - TimeDelta::seconds(1)),
            })
            .unwrap();
        assert!(matches!(authenticate(&*store, "eligo_old", Scope::Ingest), Err(AuthError::Expired(_))));
    }

    #[test]
    fn admin_tokens_may_ingest_and_unknown_scopes_may_do_nothing() {
        let store = store();
        let admin = create_token(&*store, "ops", Scope::Admin, None).unwrap();
        assert!(authenticate(&*store, &admin, Scope::Ingest).is_ok());
        let ingest = create_token(&*store, "loader", Scope::Ingest, None).unwrap();
        assert!(matches!(authenticate(&*store, &ingest, Scope::Admin), Err(AuthError::Scope(_))));
        let hash = hash_token("eligo_future");
        let future = NewApiToken { hash, name: "future".into(), scope: "superuser".into(), expires_at: None };
        store.add_api_token(&future).unwrap();
        assert!(matches!(authenticate(&*store, "eligo_future", Scope::Ingest), Err(AuthError::Scope(_))));
    }

    #[test]
    fn lifetimes_and_names_are_checked() {
        assert_eq!(parse_lifetime("90d").unwrap(), TimeDelta::days(90));
        assert_eq!(parse_lifetime("12h").unwrap(), TimeDelta::hours(12));
        assert_eq!(parse_lifetime("2w").unwrap(), TimeDelta::weeks(2));
        for bad in ["", "d", "90", "0d", "-1d", "90 days", "99999999999999999999d", "9999999999999w"] {
            assert!(parse_lifetime(bad).is_err(), "{bad}");
        }
        let store = store();
        for bad in ["", "  ", "a\nb", &"x".repeat(65)] {
            assert!(matches!(create_token(&*store, bad, Scope::Ingest, None), Err(TokenError::BadName)), "{bad:?}");
        }
    }
}
