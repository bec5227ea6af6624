//! `authentication.json`: whether logins are checked, against what, and token lifetime.

use super::doc::Doc;
use super::error::ConfigError;
use std::path::{Path, PathBuf};

/// Where passwords are checked (`type`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthBackend {
    /// The system's PAM stack (`"pam"`, the original's only value and the default), with
    /// the service name from `pam.service` (default `system-auth`, as the original).
    Pam {
        /// PAM service name.
        service: String,
    },
    /// A JSON file `{ "<username>": "<argon2id PHC hash>" }` (`"file"`); the path is
    /// `file.path` resolved against the configuration directory, default
    /// `<config dir>/passwords.json`.
    File(PathBuf),
}

/// Calls allowed without a token (`unauthe_call`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnauthenticatedCalls {
    /// `status` is `"enabled"`.
    pub enabled: bool,
    /// `allowed_ip` split on whitespace: `ip`, `ip/bits` or `ip/mask` entries, unparsed.
    pub allowed_ip: Vec<String>,
}

/// The authentication settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticationConfig {
    /// `enabled`: when false no credential or token is checked.
    pub enabled: bool,
    /// Password backend.
    pub backend: AuthBackend,
    /// Token lifetime in seconds (sliding); `None` = never expires (the original's
    /// behaviour when the key is absent).
    pub expiration_timeout: Option<u64>,
    /// Unauthenticated calls.
    pub unauthe_call: UnauthenticatedCalls,
}

/// Default PAM service for `type: "pam"` (the original's).
pub const PAM_SERVICE: &str = "system-auth";

/// Default name of the password file for `type: "file"`.
pub const PASSWORDS_FILE: &str = "passwords.json";

impl AuthenticationConfig {
    /// Reads the document. `enabled` is required (a missing key would silently disable
    /// authentication in the original). For `type: "file"` the password file must exist.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming the first bad field.
    pub fn from_doc(doc: &Doc, dir: &Path) -> Result<Self, ConfigError> {
        doc.top()?;
        let enabled = doc.required("enabled", doc.boolean("enabled")?)?;
        let backend = match doc.strict_string("type")?.as_deref() {
            None | Some("pam") => AuthBackend::Pam {
                service: match doc.strict_string("pam.service")? {
                    Some(s) if s.trim().is_empty() || s.contains(['/', '\0']) => {
                        return Err(doc.bad("pam.service", format!("bad PAM service name {s:?}")))
                    }
                    Some(s) => s,
                    None => PAM_SERVICE.into(),
                },
            },
            Some("file") => {
                let rel = doc
                    .strict_string("file.path")?
                    .unwrap_or_else(|| PASSWORDS_FILE.into());
                let path = dir.join(rel);
                if !path.is_file() {
                    return Err(doc.bad(
                        "file.path",
                        format!("password file {} not found", path.display()),
                    ));
                }
                AuthBackend::File(path)
            }
            Some(other) => {
                return Err(doc.bad(
                    "type",
                    format!("unknown type {other:?} (expected \"pam\" or \"file\")"),
                ))
            }
        };
        let status = doc.strict_string("unauthe_call.status")?;
        let enabled_calls = match status.as_deref() {
            None | Some("disabled") => false,
            Some("enabled") => true,
            Some(other) => {
                return Err(doc.bad(
                    "unauthe_call.status",
                    format!("expected \"enabled\" or \"disabled\", found {other:?}"),
                ))
            }
        };
        let allowed_ip = doc
            .string("unauthe_call.allowed_ip")?
            .map(|s| s.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Ok(Self {
            enabled,
            backend,
            expiration_timeout: doc.unsigned("expiration_timeout")?,
            unauthe_call: UnauthenticatedCalls {
                enabled: enabled_calls,
                allowed_ip,
            },
        })
    }
}
