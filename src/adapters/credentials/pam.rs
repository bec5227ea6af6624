//! PAM credential checks, as the original does (service `system-auth` unless
//! authentication.json `pam.service` names another).
//!
//! Built with the `pam` cargo feature, each check is one PAM transaction (`pam_start`,
//! `pam_authenticate`, `pam_acct_mgmt`) run on the blocking pool, at most
//! [`MAX_IN_FLIGHT`] at once and bounded by a timeout. Without the feature the binary does
//! not link libpam and every check fails with a clear [`CredentialsError::Unavailable`],
//! so a deployment configured for PAM refuses logins instead of accepting them.

#[cfg(feature = "pam")]
mod transaction;

use crate::ports::credentials::{Credentials, CredentialsError};
use async_trait::async_trait;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// PAM service the original authenticates against.
pub const DEFAULT_SERVICE: &str = "system-auth";

/// Longest a check may take, waiting for a free slot included.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// PAM transactions running at once. A stack that hangs (an unreachable LDAP server, say)
/// keeps its blocking thread until PAM returns; the cap stops hung checks from piling up
/// threads, later checks time out waiting for a slot instead.
pub const MAX_IN_FLIGHT: usize = 8;

/// PAM checker for one service name.
#[derive(Debug, Clone)]
pub struct PamCredentials {
    service: String,
    timeout: Duration,
    // Only the `pam` build runs transactions; the stub keeps the same shape.
    #[cfg_attr(not(feature = "pam"), allow(dead_code))]
    slots: Arc<Semaphore>,
}

impl PamCredentials {
    /// A checker for PAM service `service` (e.g. `system-auth`), with [`DEFAULT_TIMEOUT`].
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            slots: Arc::new(Semaphore::new(MAX_IN_FLIGHT)),
        }
    }

    /// The same checker with another timeout per check.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The PAM service name.
    pub fn service(&self) -> &str {
        &self.service
    }
}

#[cfg(feature = "pam")]
#[async_trait]
impl Credentials for PamCredentials {
    async fn check(&self, username: &str, password: &str) -> Result<bool, CredentialsError> {
        // Names PAM cannot be given (a C string ends at NUL) belong to no account.
        if username.is_empty() || username.contains('\0') || password.contains('\0') {
            return Ok(false);
        }
        let service = self.service.clone();
        let (user, pass) = (username.to_owned(), password.to_owned());
        let slots = Arc::clone(&self.slots);
        let run = async move {
            let permit = slots.acquire_owned().await.map_err(|_| {
                CredentialsError::Unavailable(format!("PAM service `{service}`: checker closed"))
            })?;
            let svc = service.clone();
            tokio::task::spawn_blocking(move || {
                let _slot = permit;
                transaction::authenticate(&svc, &user, &pass)
            })
            .await
            .map_err(|e| {
                CredentialsError::Unavailable(format!("PAM service `{service}`: task failed: {e}"))
            })?
        };
        tokio::time::timeout(self.timeout, run)
            .await
            .unwrap_or_else(|_| {
                Err(CredentialsError::Timeout(format!(
                    "PAM service `{}` gave no answer within {} ms",
                    self.service,
                    self.timeout.as_millis()
                )))
            })
    }
}

#[cfg(not(feature = "pam"))]
#[async_trait]
impl Credentials for PamCredentials {
    async fn check(&self, _username: &str, _password: &str) -> Result<bool, CredentialsError> {
        Err(CredentialsError::Unavailable(format!(
            "PAM service `{}`: this build has no PAM support (build with `--features pam`, \
             needs libpam0g-dev); use the passwords.json file backend",
            self.service
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "pam"))]
    #[tokio::test]
    async fn without_the_feature_refuses_with_a_clear_error() {
        let err = PamCredentials::new("system-auth").check("a", "b").await;
        assert!(matches!(err, Err(CredentialsError::Unavailable(m))
            if m.contains("system-auth") && m.contains("--features pam")));
    }

    #[cfg(feature = "pam")]
    #[tokio::test]
    async fn names_pam_cannot_take_are_refused_without_asking_it() {
        let c = PamCredentials::new("nethcti-no-such-service");
        assert_eq!(c.check("", "x").await, Ok(false));
        assert_eq!(c.check("al\0ice", "x").await, Ok(false));
        assert_eq!(c.check("alice", "S3c\0ret").await, Ok(false));
    }

    #[test]
    fn defaults() {
        let c = PamCredentials::new(DEFAULT_SERVICE);
        assert_eq!(c.service(), "system-auth");
        assert_eq!(c.timeout, Duration::from_secs(10));
        let c = c.with_timeout(Duration::from_millis(5));
        assert_eq!(c.timeout, Duration::from_millis(5));
    }
}
