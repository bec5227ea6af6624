//! `asterisk.json`: AMI credentials and the telephony switches that live with them.

use super::doc::Doc;
use super::error::ConfigError;
use secrecy::SecretString;

/// Click-to-call mode (`auto_c2c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClickToCall {
    /// Drive the phone's HTTP API (`"automatic"`, or the NethServer default `"enabled"`).
    Automatic,
    /// Ring the caller's phone first (any other value, including absent).
    Manual,
    /// Delegate to the desktop notifier (`"cloud"`).
    Cloud,
}

impl ClickToCall {
    /// Maps the file's string.
    pub fn parse(s: &str) -> Self {
        match s {
            "automatic" | "enabled" => Self::Automatic,
            "cloud" => Self::Cloud,
            _ => Self::Manual,
        }
    }
}

/// The AMI connection and PBX-wide switches.
#[derive(Debug, Clone)]
pub struct AsteriskConfig {
    /// AMI username.
    pub user: String,
    /// AMI password; never printed (`Debug` shows `[REDACTED]`).
    pub pass: SecretString,
    /// AMI host name or address.
    pub host: String,
    /// AMI TCP port.
    pub port: u16,
    /// Outgoing prefix (`GET /astproxy/prefix`), `""` when absent.
    pub prefix: String,
    /// `auto_c2c` exactly as in the file, `""` when absent.
    pub auto_c2c: String,
    /// Click-to-call mode derived from `auto_c2c`.
    pub click_to_call: ClickToCall,
    /// Trunk conversation tracking (`trunks_events` not `"disabled"`).
    pub trunks_events: bool,
    /// `qm_alarms_notifications`, echoed by `GET /astproxy/qalarms` (default false).
    pub qm_alarms_notifications: bool,
    /// `null_call_period` seconds, if set.
    pub null_call_period: Option<u64>,
}

impl AsteriskConfig {
    /// `host:port` of the AMI, for connecting and for logs.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }

    /// Reads the document. `user`, `pass`, `host`, `port` are required; they and `prefix`,
    /// `auto_c2c` must be JSON strings, as in the original.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming the first bad field.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        doc.top()?;
        let user = doc.required("user", doc.strict_string("user")?)?;
        let pass = doc.required("pass", doc.strict_string("pass")?)?;
        let host = doc.required("host", doc.strict_string("host")?)?;
        let port_s = doc.required("port", doc.strict_string("port")?)?;
        let port = doc.port("port")?.ok_or_else(|| {
            doc.bad(
                "port",
                format!("expected a port number 1-65535, found {port_s:?}"),
            )
        })?;
        if host.trim().is_empty() {
            return Err(doc.bad("host", "must not be empty"));
        }
        let prefix = doc.strict_string("prefix")?.unwrap_or_default();
        let auto_c2c = doc.strict_string("auto_c2c")?.unwrap_or_default();
        let trunks_events = doc.string("trunks_events")?.as_deref() != Some("disabled");
        Ok(Self {
            user,
            pass: SecretString::from(pass),
            host,
            port,
            prefix,
            click_to_call: ClickToCall::parse(&auto_c2c),
            auto_c2c,
            trunks_events,
            qm_alarms_notifications: doc.boolean("qm_alarms_notifications")?.unwrap_or(false),
            null_call_period: doc.unsigned("null_call_period")?,
        })
    }
}
