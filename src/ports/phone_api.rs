//! The phone HTTP API port: one GET to a desk phone's web interface (answer, hold, DTMF,
//! click-to-call URLs built from `phone_urls.json`).

use async_trait::async_trait;

/// Why a phone could not be driven.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneApiError {
    /// Connection refused, DNS, bad URL, TLS... (the message says which).
    #[error("phone unreachable: {0}")]
    Unreachable(String),
    /// No answer within the adapter's short time limit.
    #[error("phone did not answer in time")]
    Timeout,
}

/// Sends requests to phones.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait PhoneApi: Send + Sync {
    /// GETs `url` (credentials may be embedded as user-info) and returns the HTTP status.
    ///
    /// # Errors
    /// - [`PhoneApiError::Unreachable`] when no HTTP answer could be obtained;
    /// - [`PhoneApiError::Timeout`] when the phone did not answer within the bound.
    async fn get(&self, url: &str) -> Result<u16, PhoneApiError>;
}
