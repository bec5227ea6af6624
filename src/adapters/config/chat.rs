//! `chat.json`: Jabber chat server URL and domain.

use super::doc::Doc;
use super::error::ConfigError;

/// Chat settings (`""` when the file or a key is absent).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatConfig {
    /// BOSH URL.
    pub url: String,
    /// Jabber domain.
    pub domain: String,
}

impl ChatConfig {
    /// Reads `{url, domain}`.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when a key is not a string.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        doc.top()?;
        Ok(Self {
            url: doc.strict_string("url")?.unwrap_or_default(),
            domain: doc.strict_string("domain")?.unwrap_or_default(),
        })
    }
}
