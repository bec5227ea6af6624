//! Settings of the AMI client (address, credentials, timers, limits).

use super::codec::DEFAULT_MAX_FRAME_BYTES;
use secrecy::SecretString;
use std::time::Duration;

/// How the client proves its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMethod {
    /// `Login` with `Secret` in clear.
    #[default]
    Plain,
    /// `Challenge` (`AuthType: MD5`), then `Login` with `Key` = md5(challenge + secret).
    Md5,
}

/// Exponential reconnect delay: `initial` doubling (`factor`) up to `max`, each delay
/// multiplied by a random factor in `[1 - jitter, 1 + jitter]`; back to `initial` only
/// after a connection stayed up for `stable_after`.
#[derive(Debug, Clone, PartialEq)]
pub struct BackoffSettings {
    /// First delay (1 s).
    pub initial: Duration,
    /// Cap (30 s).
    pub max: Duration,
    /// Growth factor per failed attempt (2).
    pub factor: f64,
    /// Relative jitter, 0.0–1.0 (0.5 = ±50 %).
    pub jitter: f64,
    /// How long a logged-in connection must stay up before the delay goes back to
    /// `initial` (10 s): a PBX that accepts the login and then resets keeps backing off.
    pub stable_after: Duration,
}

impl Default for BackoffSettings {
    fn default() -> Self {
        Self {
            initial: Duration::from_secs(1),
            max: Duration::from_secs(30),
            factor: 2.0,
            jitter: 0.5,
            stable_after: Duration::from_secs(10),
        }
    }
}

/// Everything the AMI client needs. `Debug` never shows the secret.
#[derive(Debug, Clone)]
pub struct AmiSettings {
    /// Asterisk host name or address.
    pub host: String,
    /// AMI TCP port (5038).
    pub port: u16,
    /// AMI user.
    pub username: String,
    /// AMI password.
    pub secret: SecretString,
    /// Plain or MD5 login.
    pub auth: AuthMethod,
    /// Longest wait for an action's complete answer (10 s).
    pub action_timeout: Duration,
    /// Keepalive `Ping` period (30 s); an unanswered ping drops the connection.
    pub ping_interval: Duration,
    /// TCP connect + banner + login limit (10 s).
    pub connect_timeout: Duration,
    /// Largest accepted AMI message (1 MiB).
    pub max_frame_bytes: usize,
    /// Reconnect delays.
    pub backoff: BackoffSettings,
}

impl AmiSettings {
    /// Settings with the defaults above for the given address and credentials.
    pub fn new(
        host: impl Into<String>,
        port: u16,
        username: impl Into<String>,
        secret: SecretString,
    ) -> Self {
        Self {
            host: host.into(),
            port,
            username: username.into(),
            secret,
            auth: AuthMethod::Plain,
            action_timeout: Duration::from_secs(10),
            ping_interval: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_frame_bytes: DEFAULT_MAX_FRAME_BYTES,
            backoff: BackoffSettings::default(),
        }
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_contains_the_secret() {
        let s = AmiSettings::new("pbx", 5038, "cti", SecretString::from("hunter2"));
        let text = format!("{s:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("username: \"cti\""), "{text}");
    }
}
