//! `streaming.json`: video sources (door cameras) with their snapshot URL and door opener.

use super::doc::Doc;
use super::error::ConfigError;
use secrecy::SecretString;

/// One video source.
#[derive(Debug, Clone)]
pub struct StreamingSource {
    /// Source id (the key, e.g. `vs_gate1`; also a `streaming` permission name).
    pub id: String,
    /// Description.
    pub descr: String,
    /// Snapshot URL.
    pub url: String,
    /// Extension the door opener is dialled at.
    pub exten: String,
    /// DTMF sequence that opens the door.
    pub open: String,
    /// Sampling period in milliseconds (`frame-rate`), default 1000.
    pub frame_rate_ms: u64,
    /// Camera user.
    pub user: String,
    /// Camera password; never printed.
    pub secret: SecretString,
}

/// All sources in file order.
#[derive(Debug, Clone, Default)]
pub struct Streaming {
    /// Sources.
    pub sources: Vec<StreamingSource>,
}

impl Streaming {
    /// Reads the document; every source must be an object.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming the bad source or field.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        let mut sources = Vec::new();
        for id in doc.top()?.keys() {
            let Some(src) = doc.child(id) else { continue };
            src.top()?;
            sources.push(StreamingSource {
                id: id.clone(),
                descr: src.string("descr")?.unwrap_or_default(),
                url: src.string("url")?.unwrap_or_default(),
                exten: src.string("exten")?.unwrap_or_default(),
                open: src.string("open")?.unwrap_or_default(),
                frame_rate_ms: src.unsigned("frame-rate")?.unwrap_or(1000),
                user: src.string("user")?.unwrap_or_default(),
                secret: SecretString::from(src.string("secret")?.unwrap_or_default()),
            });
        }
        Ok(Self { sources })
    }
}
