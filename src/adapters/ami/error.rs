//! Errors of the AMI client.

use std::time::Duration;

/// Why an AMI action did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmiError {
    /// No live, logged-in connection right now; the action was not sent (never queued).
    #[error("AMI not connected")]
    Unavailable,
    /// The connection dropped (or the keepalive failed) while the action was pending.
    #[error("AMI connection lost: {0}")]
    Disconnected(String),
    /// No complete answer within the action's time limit.
    #[error("AMI action timed out after {0:?}")]
    Timeout(Duration),
    /// Asterisk answered `Response: Error` (or a failed `OriginateResponse`).
    #[error("AMI action {action} refused: {message}")]
    Rejected {
        /// The `Action` name.
        action: String,
        /// Asterisk's `Message` (or the originate failure reason).
        message: String,
    },
    /// The action cannot be written (a field contains a line break).
    #[error("AMI action is invalid: {0}")]
    InvalidAction(String),
    /// The client was shut down.
    #[error("AMI client shut down")]
    ShutDown,
}

/// Why a connection attempt or session ended (logged, reported as `Disconnected`).
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// TCP connect failed or timed out.
    #[error("connect to {addr} failed: {reason}")]
    Connect {
        /// `host:port`.
        addr: String,
        /// Cause.
        reason: String,
    },
    /// The peer did not greet with an AMI banner.
    #[error("no AMI banner: {0}")]
    NoBanner(String),
    /// Login refused or unanswered.
    #[error("login failed: {0}")]
    Login(String),
    /// Framing or socket error.
    #[error(transparent)]
    Codec(#[from] crate::adapters::ami::codec::CodecError),
    /// The peer closed the connection.
    #[error("connection closed by peer")]
    Closed,
    /// The keepalive `Ping` was not answered in time.
    #[error("keepalive ping unanswered after {0:?}")]
    Keepalive(Duration),
}
