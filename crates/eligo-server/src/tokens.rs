//! API tokens for the write endpoints.
//!
//! A token is 32 random bytes from the operating system's generator, shown
//! once to whoever creates it. The store keeps only its SHA-256 hash, so a
//! copied database does not give write access. Requests present the token as
//! `Authorization: Bearer <token>`.

use eligo_store::TrialStore;
use rand::TryRngCore;
use sha2::{Digest, Sha256};

/// Every token starts with this, so that a leaked one is easy to recognise.
const PREFIX: &str = "eligo_";

/// Creates a token, stores its hash under `name`, and returns the secret.
pub fn create_token(store: &mut dyn TrialStore, name: &str) -> Result<String, TokenError> {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.try_fill_bytes(&mut secret).map_err(|e| TokenError::Randomness(e.to_string()))?;
    let token = format!("{PREFIX}{}", hex::encode(secret));
    store.add_api_token(&hash_token(&token), name)?;
    Ok(token)
}

/// The hex SHA-256 of a token: what the store keeps and looks up.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` is one the store knows.
pub fn is_valid(store: &dyn TrialStore, token: &str) -> Result<bool, eligo_store::StoreError> {
    if !token.starts_with(PREFIX) {
        return Ok(false);
    }
    store.has_api_token(&hash_token(token))
}

#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error("the operating system's random generator failed: {0}")]
    Randomness(String),
    #[error(transparent)]
    Store(#[from] eligo_store::StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_token_is_valid_and_only_its_hash_is_stored() {
        let mut store = eligo_store::SqliteStore::in_memory().unwrap();
        let token = create_token(&mut store, "test").unwrap();
        assert!(is_valid(&store, &token).unwrap());
        assert!(!store.has_api_token(&token).unwrap(), "the secret itself must not be stored");
        assert!(!is_valid(&store, &format!("{token}x")).unwrap());
        assert!(!is_valid(&store, "").unwrap());
        let other = create_token(&mut store, "test").unwrap();
        assert_ne!(token, other);
    }
}
