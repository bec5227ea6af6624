//! Trunk entity (domain.md §5); its conversations are derived in `conversation.rs`.

/// A trunk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trunk {
    /// Trunk id.
    pub exten: String,
    /// Display name.
    pub name: String,
    /// Technology.
    pub chan_type: String,
    /// Max channels.
    pub max_channels: u64,
    /// User context.
    pub user_context: String,
    /// Contact ip/port.
    pub ip: String,
    /// Port.
    pub port: String,
    /// Codecs.
    pub codecs: Vec<String>,
    /// Status.
    pub status: &'static str,
    /// Registration.
    pub registration: String,
    /// Registration host / username (for `Registry`).
    pub host: String,
    /// Registration username.
    pub username: String,
}

/// Registration status text → value.
pub fn registration_value(s: &str) -> String {
    match s.to_ascii_lowercase().as_str() {
        "auth. sent" | "request sent" => "sent".into(),
        "no authentication" => "noauth".into(),
        other => other.to_owned(),
    }
}
