//! Who is behind a socket: the identity and permissions the [`SocketAuthenticator`] returns.

use async_trait::async_trait;

/// The user agent type a client declares at login (`uaType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UaType {
    /// `"desktop"`: the CTI web/desktop application.
    Desktop,
    /// `"mobile"`: the mobile application.
    Mobile,
}

impl UaType {
    /// Parses the wire value; only `desktop` and `mobile` are valid.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "desktop" => Some(Self::Desktop),
            "mobile" => Some(Self::Mobile),
            _ => None,
        }
    }

    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Desktop => "desktop",
            Self::Mobile => "mobile",
        }
    }
}

/// The permission bits the push channel needs (websocket.md §4.5 and §6, auth.md §12.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PushPermissions {
    /// `presence_panel`: the extension (and trunk) event rooms.
    pub presence_panel: bool,
    /// `queues`: the queue event rooms.
    pub queues: bool,
    /// `admin_queues`: queue rooms in clear even with privacy; extension numbers clear inside queues.
    pub admin_queues: bool,
    /// `op_trunks` / presence_panel.trunks: the (unused by emitters) trunk rooms.
    pub trunks: bool,
    /// `op_parkings`: the parking event rooms.
    pub parkings: bool,
    /// `qmanager`: the queue-manager alarm room.
    pub qmanager: bool,
    /// `screen_sharing`: may relay `message` with `screenSharingStart`.
    pub screen_sharing: bool,
    /// `privacy`: numbers and names of others are masked for this user.
    pub privacy: bool,
}

/// A verified socket user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketUser {
    /// The canonical username (permission identity): per-user events and take-over match on it.
    pub username: String,
    /// What the user may see.
    pub permissions: PushPermissions,
}

/// Checks the `(accessKeyId, token)` pair of a socket `login`.
///
/// Implemented by the integrator over the auth domain: normal, persistent and phone-island
/// tokens are all the implementor's business, as is mapping an extension number or
/// `user@domain` key to the canonical username.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait SocketAuthenticator: Send + Sync {
    /// Returns the user when the token is valid for that key, `None` otherwise.
    async fn verify(&self, access_key_id: &str, token: &str) -> Option<SocketUser>;

    /// Keeps the token of a logged-in socket alive (spec §9: the original refreshes each
    /// logged-in socket's token every `expiration_timeout / 2`). Called every
    /// [`PushConfig::token_keepalive`](super::PushConfig::token_keepalive) for each session;
    /// the default does nothing.
    async fn keep_alive(&self, access_key_id: &str, token: &str) {
        let _ = (access_key_id, token);
    }
}
