//! Credentials port: checks a username/password pair (PAM in production, a file of argon2
//! hashes for the demo and the tests). Passwords never reach a log line.

use async_trait::async_trait;

/// Why a credential check could not be carried out (a wrong password is `Ok(false)`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    /// The backend is not usable (file unreadable, PAM not built or failing).
    #[error("credentials backend unavailable: {0}")]
    Unavailable(String),
    /// The backend did not answer in time (a hung PAM stack, say).
    #[error("credentials backend timed out: {0}")]
    Timeout(String),
}

/// Checks credentials.
#[async_trait]
pub trait Credentials: Send + Sync {
    /// True when `password` is right for `username` (the name as resolved at login: as
    /// typed, or the owner's username for an extension login).
    ///
    /// # Errors
    /// [`CredentialsError::Unavailable`] when the backend cannot answer,
    /// [`CredentialsError::Timeout`] when it does not answer in time; never for a wrong
    /// password or an unknown user (those are `Ok(false)`).
    async fn check(&self, username: &str, password: &str) -> Result<bool, CredentialsError>;
}
