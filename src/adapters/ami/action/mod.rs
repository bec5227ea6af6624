//! Typed AMI actions: the frame to send plus how its answer completes.
//!
//! The client adds the `ActionID` (right after `Action`). Completion rules:
//! - [`Expect::Response`]: the first response decides; when it carries `EventList: start`
//!   the client gathers the events with the same `ActionID` until the list-complete event
//!   (`EventList: Complete` or an event name ending in `Complete`).
//! - [`Expect::OriginateResponse`]: an `Async` originate answered by the
//!   `OriginateResponse` event (`Response: Error` first fails at once).
//! - [`Expect::ResponseThenOriginate`]: an `Async` originate answered by its immediate
//!   response; the later `OriginateResponse` is absorbed quietly.

mod pbx;

use crate::adapters::ami::frame::Frame;
use md5::{Digest, Md5};
use secrecy::{ExposeSecret, SecretString};
use std::time::Duration;

pub use pbx::from_command;

/// How the answer of an action completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// The first response (and its event list, if it announces one).
    Response,
    /// The `OriginateResponse` event with the same `ActionID`.
    OriginateResponse,
    /// The first response; the later `OriginateResponse` is absorbed.
    ResponseThenOriginate,
}

/// One action to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The fields to send (without `ActionID`).
    pub frame: Frame,
    /// How its answer completes.
    pub expect: Expect,
    /// A longer time limit than the client's default (async originates wait for a phone).
    pub timeout: Option<Duration>,
}

impl Action {
    /// An action named `name` with no other field, completed by its response.
    pub fn new(name: &str) -> Self {
        Self {
            frame: Frame::new().with("Action", name),
            expect: Expect::Response,
            timeout: None,
        }
    }

    /// Adds a field.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Self {
        self.frame.push(name, value);
        self
    }

    /// Adds a field when `value` is `Some`.
    pub fn with_opt(self, name: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.with(name, v),
            None => self,
        }
    }

    /// Adds one field per value (repeated headers such as `Variable`).
    pub fn with_each<'a>(
        mut self,
        name: &str,
        values: impl IntoIterator<Item = &'a String>,
    ) -> Self {
        for v in values {
            self.frame.push(name, v.as_str());
        }
        self
    }

    /// Sets the completion rule.
    pub fn expecting(mut self, expect: Expect) -> Self {
        self.expect = expect;
        self
    }

    /// Sets a specific time limit.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `Action` name.
    pub fn name(&self) -> &str {
        self.frame.get_or_empty("Action")
    }

    /// `Ping` (keepalive).
    pub fn ping() -> Self {
        Self::new("Ping")
    }

    /// `Logoff`.
    pub fn logoff() -> Self {
        Self::new("Logoff")
    }

    /// A list action (`CoreShowChannels`, `QueueStatus`, …); its events are gathered.
    pub fn list(name: &str) -> Self {
        Self::new(name)
    }

    /// Plain `Login` with `Events: on`.
    pub fn login_plain(username: &str, secret: &SecretString) -> Self {
        Self::new("Login")
            .with("Username", username)
            .with("Secret", secret.expose_secret())
            .with("Events", "on")
    }

    /// `Challenge` with `AuthType: MD5` (its response has `Challenge`).
    pub fn challenge() -> Self {
        Self::new("Challenge").with("AuthType", "MD5")
    }

    /// MD5 `Login`: `Key` = hex md5 of challenge followed by secret.
    pub fn login_md5(username: &str, challenge: &str, secret: &SecretString) -> Self {
        Self::new("Login")
            .with("AuthType", "MD5")
            .with("Username", username)
            .with("Key", md5_key(challenge, secret))
            .with("Events", "on")
    }
}

/// Lower-case hex md5 of `challenge` + `secret`, as Asterisk computes it.
pub fn md5_key(challenge: &str, secret: &SecretString) -> String {
    let mut h = Md5::new();
    h.update(challenge.as_bytes());
    h.update(secret.expose_secret().as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_key_is_hex_md5_of_challenge_then_secret() {
        let key = md5_key("123456789", &SecretString::from("ctisecret"));
        assert_eq!(key, "194f5c642aa1cb070b28716dd6573c99");
    }

    #[test]
    fn plain_login_sends_username_secret_and_events_on() {
        let a = Action::login_plain("cti", &SecretString::from("pw"));
        assert_eq!(
            a.frame,
            Frame::from_pairs([
                ("Action", "Login"),
                ("Username", "cti"),
                ("Secret", "pw"),
                ("Events", "on")
            ])
        );
    }
}
