//! The server's signing key and the tokens derived from it.
//!
//! A manage token is `HMAC-SHA256(key, salt)` for a random per-subscription salt: unguessable
//! without the key, recomputable by the delivery worker for every message (the store keeps only
//! its SHA-256, to look it up by), and dead once the subscription is deleted.

use std::path::Path;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{AlertsError, Result};

/// Bytes of a key, a salt or a random token.
const SECRET_BYTES: usize = 32;

/// The secret manage tokens are signed with.
#[derive(Clone)]
pub struct SigningKey(Vec<u8>);

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningKey(…)")
    }
}

impl SigningKey {
    /// A key from configuration (hex, at least 32 bytes).
    pub fn from_hex(text: &str) -> Result<SigningKey> {
        let bytes = hex::decode(text.trim()).map_err(|e| AlertsError::Invalid(format!("alerts key: {e}")))?;
        if bytes.len() < SECRET_BYTES {
            return Err(AlertsError::Invalid(format!("alerts key: {} bytes, at least {SECRET_BYTES}", bytes.len())));
        }
        Ok(SigningKey(bytes))
    }

    /// Reads the key file, creating it with a fresh random key (owner-only permissions) when
    /// absent.
    pub fn load_or_create(path: &Path) -> Result<SigningKey> {
        let failed = |reason: String| AlertsError::Key { path: path.display().to_string(), reason };
        match std::fs::read_to_string(path) {
            Ok(text) => SigningKey::from_hex(&text).map_err(|e| failed(e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = random_hex();
                write_private(path, &key).map_err(|e| failed(e.to_string()))?;
                SigningKey::from_hex(&key)
            }
            Err(e) => Err(failed(e.to_string())),
        }
    }

    /// A 32-byte key for another use (`purpose` names it), derived from this one: one secret to
    /// configure and keep, independent keys per use.
    pub fn derive(&self, purpose: &str) -> [u8; SECRET_BYTES] {
        let mut mac = hmac_sha256(&self.0);
        mac.update(b"derive:");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The token signed for this salt (hex).
    pub fn token(&self, purpose: &str, salt: &str) -> String {
        let mut mac = hmac_sha256(&self.0);
        mac.update(purpose.as_bytes());
        mac.update(b":");
        mac.update(salt.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

fn hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    // HMAC hashes long keys and pads short ones: no key length is refused.
    <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC-SHA256 takes keys of any length")
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

/// 32 random bytes, hex.
pub fn random_hex() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// SHA-256 of a token, hex: what the store keeps to look a token up by.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// HMAC-SHA256 of a webhook body with the subscription's secret, as sent in the signature header.
pub fn webhook_signature(secret: &str, body: &[u8]) -> String {
    let mut mac = hmac_sha256(secret.as_bytes());
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}
