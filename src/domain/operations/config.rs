//! Static settings operations depend on (from `asterisk.json`, `ast_objects.json`,
//! `nethcti.json`, `phone_urls.json`).

use super::phone_urls::PhoneUrls;
use crate::domain::directory::AstObjects;

/// Context used when an extension's own context is unknown.
pub const DEFAULT_CONTEXT: &str = "from-internal";

/// Click-to-call mode (`asterisk.json` `auto_c2c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum C2cMode {
    /// Drive the phone's HTTP API (`"automatic"`, and the NethServer default `"enabled"`).
    Automatic,
    /// Delegate to the desktop notifier (not supported by this server: treated as manual).
    Cloud,
    /// No phone HTTP API.
    #[default]
    Manual,
}

impl C2cMode {
    /// Parses `auto_c2c`: `automatic`/`enabled` → automatic, `cloud`, anything else manual.
    pub fn parse(s: &str) -> Self {
        match s.trim().to_ascii_lowercase().as_str() {
            "automatic" | "enabled" => Self::Automatic,
            "cloud" => Self::Cloud,
            _ => Self::Manual,
        }
    }
}

/// Static settings.
#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// Outgoing prefix prepended to external numbers (`asterisk.json` `prefix`).
    pub prefix: String,
    /// Context of blind transfers (`ast_objects.json` `transfer_context`).
    pub transfer_context: String,
    /// Directed pickup feature code (default `**`).
    pub pickup_code: String,
    /// ConfBridge feature code (prefix of room names), if configured.
    pub conference_code: Option<String>,
    /// Dynamic-queue login toggle feature code (default `*45`).
    pub queue_toggle_code: String,
    /// Click-to-call mode.
    pub c2c: C2cMode,
    /// PBX host name (`$SERVER` in phone URLs).
    pub server: String,
    /// Phone HTTP API URL templates.
    pub phone_urls: PhoneUrls,
}

impl Default for OpsConfig {
    /// No prefix, `from-internal` transfers, FreePBX default codes, manual click-to-call.
    fn default() -> Self {
        Self::new(
            &AstObjects::default(),
            "",
            C2cMode::Manual,
            "",
            PhoneUrls::default(),
        )
    }
}

impl OpsConfig {
    /// Settings from the parsed `ast_objects.json` plus the `asterisk.json` values.
    pub fn new(
        objects: &AstObjects,
        prefix: &str,
        c2c: C2cMode,
        server: &str,
        phone_urls: PhoneUrls,
    ) -> Self {
        let code = |k: &str, d: &str| {
            objects
                .feature_codes
                .get(k)
                .filter(|v| !v.is_empty())
                .cloned()
                .unwrap_or_else(|| d.to_owned())
        };
        let transfer_context = if objects.transfer_context.is_empty() {
            DEFAULT_CONTEXT.to_owned()
        } else {
            objects.transfer_context.clone()
        };
        Self {
            prefix: prefix.to_owned(),
            transfer_context,
            pickup_code: code("pickup", "**"),
            conference_code: objects.confbridge_code().map(str::to_owned),
            queue_toggle_code: code("que_toggle", "*45"),
            c2c,
            server: server.to_owned(),
            phone_urls,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_freepbx() {
        let c = OpsConfig::default();
        assert_eq!(c.transfer_context, "from-internal");
        assert_eq!(c.pickup_code, "**");
        assert_eq!(c.queue_toggle_code, "*45");
        assert_eq!(c.conference_code, None);
        assert_eq!(c.c2c, C2cMode::Manual);
        assert_eq!(C2cMode::parse("enabled"), C2cMode::Automatic);
        assert_eq!(C2cMode::parse("cloud"), C2cMode::Cloud);
        assert_eq!(C2cMode::parse("whatever"), C2cMode::Manual);
    }
}
