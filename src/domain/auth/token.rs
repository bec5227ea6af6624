//! Nonces, login tokens and token hashes (auth.md §3.3, §6): pure functions, no randomness
//! and no clock of their own (the caller passes random bytes and the time in).

use hmac::{Hmac, Mac};
use sha1::{Digest as _, Sha1};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Builds a 40-character lowercase hex nonce from caller-supplied random bytes and the
/// current time (SHA-1 of both, as the original does). Any unpredictable 40-hex value is
/// equivalent for clients; the randomness is what makes it unpredictable.
pub fn nonce_from(random: &[u8], now_ms: i64) -> String {
    let mut h = Sha1::new();
    h.update(random);
    h.update(now_ms.to_string().as_bytes());
    hex::encode(h.finalize())
}

/// The token both sides compute: lowercase hex of HMAC-SHA1 keyed by `secret` over
/// `key:secret:nonce` (for a login the secret is the password).
pub fn compute_token(key: &str, secret: &str, nonce: &str) -> String {
    // HMAC accepts keys of any length, so this cannot fail; fall back to an impossible
    // token (not 40 hex) rather than panicking if it ever did.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(key.as_bytes());
    mac.update(b":");
    mac.update(secret.as_bytes());
    mac.update(b":");
    mac.update(nonce.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The SHA-256 digest of a token: the only form in which tokens are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct TokenHash([u8; 32]);

impl std::fmt::Debug for TokenHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenHash(..)")
    }
}

impl TokenHash {
    /// Hashes a presented token.
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    /// Constant-time equality.
    pub fn ct_eq(&self, other: &TokenHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }

    /// Base64 (standard alphabet) of the digest, the original's storage format.
    pub fn to_base64(&self) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(self.0)
    }

    /// Parses the base64 storage format; `None` when it is not a 32-byte digest.
    pub fn from_base64(s: &str) -> Option<Self> {
        use base64::Engine as _;
        let bytes = base64::engine::general_purpose::STANDARD.decode(s).ok()?;
        let arr: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(arr))
    }
}

/// True when `s` is a 40-character lowercase hex string (nonce/token shape).
pub fn is_hex40(s: &str) -> bool {
    s.len() == 40
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_test_vector() {
        let t = compute_token(
            "alice",
            "S3cret!",
            "6e4fed102e96e9f408d53ebfab889c5ded22acb3",
        );
        assert_eq!(t, "a3cbf7ab9bb3872095eed3c5da31bcf07897fff8");
    }

    #[test]
    fn nonce_is_40_lowercase_hex_and_depends_on_inputs() {
        let a = nonce_from(&[1, 2, 3], 1000);
        assert!(is_hex40(&a));
        assert_ne!(a, nonce_from(&[1, 2, 4], 1000));
        assert_ne!(a, nonce_from(&[1, 2, 3], 1001));
    }

    #[test]
    fn hash_round_trips_through_base64() {
        let h = TokenHash::of("abc");
        let back = TokenHash::from_base64(&h.to_base64()).expect("valid");
        assert!(h.ct_eq(&back));
        assert!(!h.ct_eq(&TokenHash::of("abd")));
        assert_eq!(TokenHash::from_base64("bm9wZQ=="), None);
        assert_eq!(format!("{h:?}"), "TokenHash(..)");
    }

    #[test]
    fn hex40_shape() {
        assert!(is_hex40("a3cbf7ab9bb3872095eed3c5da31bcf07897fff8"));
        assert!(!is_hex40("A3cbf7ab9bb3872095eed3c5da31bcf07897fff8"));
        assert!(!is_hex40("a3cb"));
    }
}
