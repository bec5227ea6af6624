//! Credentials from `passwords.json` in the config directory:
//! `{ "<username>": "<argon2 PHC hash>" }`. Usernames are matched lower-case with any
//! `@domain` removed. Verification runs on the backend's own small pool of argon2 threads
//! ([`VerifyPool`], so a login burst cannot grow the memory); an unknown user is checked
//! against a dummy hash so the answer time does not reveal which users exist.

use super::verify_pool::{SpawnError, VerifyPool, VerifyPoolError};
use crate::domain::auth::identity::strip_domain;
use crate::ports::credentials::{Credentials, CredentialsError};
use argon2::password_hash::PasswordHash;
use argon2::Argon2;
use async_trait::async_trait;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A PHC hash of a random password, verified when the user is unknown.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$pH3fDqxZ3Ob2n6VJ+O9ZbbJUP8TnCYw0tRmDiJm8b7w";

/// Why `passwords.json` could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PasswordFileError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// Not a JSON object of strings.
    #[error("{0}: must be a JSON object of username -> argon2 hash")]
    Format(String),
    /// A hash is not a PHC string.
    #[error("{path}: hash of `{user}` is not a valid PHC string")]
    BadHash {
        /// File path.
        path: String,
        /// User whose hash is bad.
        user: String,
    },
    /// The verifier threads could not be started.
    #[error(transparent)]
    Verifier(#[from] SpawnError),
}

/// Credentials checked against argon2 hashes.
#[derive(Clone)]
pub struct FileCredentials {
    hashes: Arc<HashMap<String, String>>,
    pool: VerifyPool,
}

impl std::fmt::Debug for FileCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileCredentials")
            .field("users", &self.hashes.len())
            .field("pool", &self.pool)
            .finish()
    }
}

impl FileCredentials {
    /// Parses the document.
    ///
    /// # Errors
    /// [`PasswordFileError`] when it is not an object of valid PHC strings, or when the
    /// verifier threads cannot be started.
    pub fn from_json(doc: &serde_json::Value, origin: &str) -> Result<Self, PasswordFileError> {
        let obj = doc
            .as_object()
            .ok_or_else(|| PasswordFileError::Format(origin.to_owned()))?;
        let mut hashes = HashMap::new();
        for (user, v) in obj {
            let h = v
                .as_str()
                .ok_or_else(|| PasswordFileError::Format(origin.to_owned()))?;
            if PasswordHash::new(h).is_err() {
                return Err(PasswordFileError::BadHash {
                    path: origin.to_owned(),
                    user: user.clone(),
                });
            }
            hashes.insert(user.to_lowercase(), h.to_owned());
        }
        Ok(Self {
            hashes: Arc::new(hashes),
            pool: VerifyPool::with_defaults()?,
        })
    }

    /// The verifier pool (its thread count, for tests and diagnostics).
    pub fn pool(&self) -> &VerifyPool {
        &self.pool
    }

    /// Reads `passwords.json`.
    ///
    /// # Errors
    /// [`PasswordFileError`] when the file is missing, unreadable or malformed.
    pub fn load(path: &Path) -> Result<Self, PasswordFileError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| PasswordFileError::Io {
            path: shown.clone(),
            source,
        })?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|_| PasswordFileError::Format(shown.clone()))?;
        Self::from_json(&doc, &shown)
    }

    /// Hashes a password with a random salt (for tools and tests that write the file).
    ///
    /// # Errors
    /// [`CredentialsError::Unavailable`] if hashing fails.
    pub fn hash_password(password: &str) -> Result<String, CredentialsError> {
        use argon2::password_hash::{PasswordHasher, SaltString};
        use rand::RngCore as _;
        let mut raw = [0u8; 16];
        rand::rng().fill_bytes(&mut raw);
        let salt = SaltString::encode_b64(&raw)
            .map_err(|e| CredentialsError::Unavailable(e.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| CredentialsError::Unavailable(e.to_string()))
    }
}

#[async_trait]
impl Credentials for FileCredentials {
    async fn check(&self, username: &str, password: &str) -> Result<bool, CredentialsError> {
        let key = strip_domain(username).to_lowercase();
        let (hash, known) = match self.hashes.get(&key) {
            Some(h) => (h.as_str(), true),
            None => (DUMMY_HASH, false),
        };
        let ok = self
            .pool
            .verify(hash, password)
            .await
            .map_err(|e| match e {
                VerifyPoolError::Timeout(_) => CredentialsError::Timeout(e.to_string()),
                VerifyPoolError::Saturated(_) | VerifyPoolError::Closed => {
                    CredentialsError::Unavailable(e.to_string())
                }
            })?;
        Ok(known && ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[tokio::test]
    async fn checks_hashes_case_and_domain_insensitively() {
        let h = FileCredentials::hash_password("S3cret!").expect("hash");
        let c = FileCredentials::from_json(&json!({"Alice": h}), "mem").expect("valid");
        assert_eq!(c.check("alice", "S3cret!").await, Ok(true));
        assert_eq!(c.check("ALICE@example.com", "S3cret!").await, Ok(true));
        assert_eq!(c.check("alice", "wrong").await, Ok(false));
        assert_eq!(c.check("bob", "S3cret!").await, Ok(false));
    }

    #[tokio::test]
    async fn concurrent_checks_beyond_the_pool_size_all_answer_on_the_pool_threads() {
        use argon2::password_hash::{PasswordHasher, SaltString};
        // Cheap parameters (m=64 KiB) keep the debug build fast; the file accepts any PHC.
        let params = argon2::Params::new(64, 1, 1, None).expect("params");
        let salt = SaltString::encode_b64(b"fixed-test-salt!").expect("salt");
        let h = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .expect("hash")
            .to_string();
        let c = FileCredentials::from_json(&json!({"alice": h}), "mem").expect("valid");
        assert_eq!(
            c.pool().threads(),
            super::super::verify_pool::DEFAULT_THREADS
        );
        let checks = (0..12).map(|i| {
            let c = c.clone();
            async move {
                let (user, password) = match i % 3 {
                    0 => ("alice", "pw"),
                    1 => ("alice", "nope"),
                    _ => ("mallory", "pw"),
                };
                c.check(user, password).await
            }
        });
        let results = futures::future::join_all(checks).await;
        let expected: Vec<_> = (0..12).map(|i| Ok(i % 3 == 0)).collect();
        assert_eq!(results, expected);
        assert_eq!(c.pool().threads(), 2);
    }

    #[test]
    fn rejects_bad_files() {
        assert!(matches!(
            FileCredentials::from_json(&json!({"a": "plain"}), "mem"),
            Err(PasswordFileError::BadHash { .. })
        ));
        assert!(matches!(
            FileCredentials::from_json(&json!([1]), "mem"),
            Err(PasswordFileError::Format(_))
        ));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
