//! Why a benchmark run failed.

/// A benchmark failure (set-up, network or child process).
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    /// A file or socket operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The generated configuration does not load.
    #[error("generated configuration: {0}")]
    Config(String),
    /// An HTTP request failed or got an unexpected answer.
    #[error("HTTP: {0}")]
    Http(String),
    /// The websocket / socket.io exchange failed.
    #[error("socket.io client: {0}")]
    Socket(String),
    /// The daemon did not become ready, or exited.
    #[error("daemon: {0}")]
    Daemon(String),
    /// A wait exceeded its bound.
    #[error("timed out: {0}")]
    Timeout(String),
}

impl BenchError {
    /// An [`BenchError::Io`] with a description.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}
