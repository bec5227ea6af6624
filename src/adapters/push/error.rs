//! Errors of the push channel.

/// What can go wrong when publishing.
#[derive(Debug, thiserror::Error)]
pub enum PushError {
    /// A payload could not be serialised to JSON.
    #[error("cannot encode push payload: {0}")]
    Encode(#[from] serde_json::Error),
}
