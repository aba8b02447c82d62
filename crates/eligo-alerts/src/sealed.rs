//! Pre-screen answers sealed at rest.
//!
//! A pre-screen alert keeps what a person told us about their health (age, sex, conditions,
//! place). The store only ever holds it encrypted with ChaCha20-Poly1305 (an AEAD: a changed byte
//! or another key fails to open rather than yielding garbage), under a key derived from the alerts
//! key (`ELIGO_ALERTS_KEY` or the owner-only `alerts.key`), with the subscription's random salt as
//! associated data so that a sealed blob copied into another row does not open there either.
//!
//! Layout: one format byte, the 12-byte random nonce, the ciphertext with its 16-byte tag.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;

use crate::keys::SigningKey;

/// What the key derivation is for (changing it would orphan every sealed answer).
const PURPOSE: &str = "pre-screen answers v1";
/// The layout's version.
const FORMAT: u8 = 1;
const NONCE_BYTES: usize = 12;

/// Why sealed answers did not open: another key, or bytes that were changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("sealed answers do not open with this key (the alerts key was replaced, or the bytes were changed)")]
pub struct Unopenable;

/// The cipher for pre-screen answers under the server's alerts key.
pub struct AnswersCipher(ChaCha20Poly1305);

impl AnswersCipher {
    pub fn new(key: &SigningKey) -> AnswersCipher {
        AnswersCipher(ChaCha20Poly1305::new(Key::from_slice(&key.derive(PURPOSE))))
    }

    /// Encrypts `plain`, bound to the subscription's `salt`.
    pub fn seal(&self, salt: &str, plain: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload { msg: plain, aad: salt.as_bytes() };
        // Encryption fails only for messages beyond 256 GiB; answers are a few hundred bytes.
        let sealed = self.0.encrypt(Nonce::from_slice(&nonce), payload).expect("answers fit one AEAD message");
        let mut out = Vec::with_capacity(1 + NONCE_BYTES + sealed.len());
        out.push(FORMAT);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        out
    }

    /// Decrypts what [`AnswersCipher::seal`] wrote for this `salt`.
    pub fn open(&self, salt: &str, sealed: &[u8]) -> Result<Vec<u8>, Unopenable> {
        let [FORMAT, rest @ ..] = sealed else { return Err(Unopenable) };
        if rest.len() < NONCE_BYTES {
            return Err(Unopenable);
        }
        let (nonce, cipher_text) = rest.split_at(NONCE_BYTES);
        self.0
            .decrypt(Nonce::from_slice(nonce), Payload { msg: cipher_text, aad: salt.as_bytes() })
            .map_err(|_| Unopenable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cipher(byte: &str) -> AnswersCipher {
        AnswersCipher::new(&SigningKey::from_hex(&byte.repeat(32)).unwrap())
    }

    #[test]
    fn sealed_bytes_open_only_with_the_same_key_and_salt() {
        let plain = br#"{"conditions":[{"id":"MESH:D001943","name":"breast cancer"}]}"#;
        let sealed = cipher("ab").seal("salt-1", plain);
        assert!(!sealed.windows(6).any(|w| w == b"breast"), "the answers are not readable in the sealed bytes");
        assert_eq!(cipher("ab").open("salt-1", &sealed).unwrap(), plain);
        assert_eq!(cipher("cd").open("salt-1", &sealed), Err(Unopenable), "another key");
        assert_eq!(cipher("ab").open("salt-2", &sealed), Err(Unopenable), "another row's salt");
        let mut changed = sealed.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert_eq!(cipher("ab").open("salt-1", &changed), Err(Unopenable), "a changed byte");
        assert_eq!(cipher("ab").open("salt-1", &sealed[..5]), Err(Unopenable), "truncated");
        assert_ne!(cipher("ab").seal("salt-1", plain), sealed, "a fresh nonce every time");
    }
}
