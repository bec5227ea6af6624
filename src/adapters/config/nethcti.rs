//! `nethcti.json`: log file and level, host names, privacy string, SIP proxy port.

use super::doc::Doc;
use super::error::ConfigError;
use crate::adapters::logging::LogLevel;
use std::path::PathBuf;

/// General server settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NethctiConfig {
    /// `logfile`, if set (the CLI's `--log-file` wins).
    pub logfile: Option<PathBuf>,
    /// `loglevel`, default `warn` (the CLI's `--log-level` wins).
    pub loglevel: LogLevel,
    /// `hostname` (FQDN), `""` when absent; its domain part builds `user@domain` logins.
    pub hostname: String,
    /// `publichost`, `""` when absent.
    pub publichost: String,
    /// `privacy_numbers`, the obfuscation string, default `"xxx"`.
    pub privacy_numbers: String,
    /// `proxy_port`: SIP proxy port reported for mobile extensions, `None` when null/absent.
    pub proxy_port: Option<u16>,
}

impl NethctiConfig {
    /// The domain part of `hostname` (after the first dot), `None` without a dot.
    pub fn domain(&self) -> Option<&str> {
        self.hostname
            .split_once('.')
            .map(|(_, d)| d)
            .filter(|d| !d.is_empty())
    }

    /// Reads the document; every key is optional.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] for a wrong type or an unknown `loglevel`.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        doc.top()?;
        let loglevel = match doc.string("loglevel")? {
            None => LogLevel::Warn,
            Some(s) => s.parse().map_err(|e: String| doc.bad("loglevel", e))?,
        };
        Ok(Self {
            logfile: doc
                .string("logfile")?
                .filter(|s| !s.is_empty())
                .map(PathBuf::from),
            loglevel,
            hostname: doc.string("hostname")?.unwrap_or_default(),
            publichost: doc.string("publichost")?.unwrap_or_default(),
            privacy_numbers: doc
                .string("privacy_numbers")?
                .unwrap_or_else(|| "xxx".into()),
            proxy_port: doc.port("proxy_port")?,
        })
    }
}
