//! The configuration adapter: reads the original's JSON files from a directory
//! (`/etc/nethcti` by default) into one typed [`Config`].
//!
//! One file per concept, one module per file. Unknown keys are ignored. A missing required
//! file or a bad value is a [`ConfigError`] whose `Display` is one line naming the file and
//! the field. Secrets (AMI password, camera passwords) are `secrecy::SecretString`; SIP and
//! phone passwords are hidden by [`crate::domain::directory::Device`]'s `Debug`.
//!
//! | file | required | type |
//! |---|---|---|
//! | asterisk.json | yes | [`AsteriskConfig`] |
//! | authentication.json | yes | [`AuthenticationConfig`] |
//! | nethcti.json | yes | [`NethctiConfig`] |
//! | services.json | yes | [`ServicesConfig`] |
//! | users.json | yes | [`Users`] |
//! | profiles.json | yes | [`Profiles`] |
//! | ast_objects.json | yes | [`AstObjects`] |
//! | phone_urls.json | no (no phone has an HTTP API) | [`PhoneUrls`] |
//! | operator.json | no (no groups) | [`OperatorGroups`] |
//! | recallonbusy.json | no (everyone disabled) | [`RecallOnBusy`] |
//! | streaming.json | no (no sources) | [`Streaming`] |
//! | chat.json | no (empty url/domain) | [`ChatConfig`] |

pub mod asterisk;
pub mod authentication;
pub mod chat;
pub mod directory;
pub mod doc;
pub mod error;
pub mod nethcti;
pub mod operator;
pub mod phone_urls;
pub mod recallonbusy;
pub mod services;
pub mod streaming;

pub use asterisk::{AsteriskConfig, ClickToCall};
pub use authentication::{AuthBackend, AuthenticationConfig, UnauthenticatedCalls};
pub use chat::ChatConfig;
pub use doc::Doc;
pub use error::ConfigError;
pub use nethcti::NethctiConfig;
pub use operator::OperatorGroups;
pub use phone_urls::{PhoneUrlRule, PhoneUrls};
pub use recallonbusy::RecallOnBusy;
pub use services::{ServicesConfig, TlsService};
pub use streaming::{Streaming, StreamingSource};

use crate::domain::directory::{AstObjects, Profiles, Users};
use std::path::{Path, PathBuf};

/// Default configuration directory.
pub const DEFAULT_CONFIG_DIR: &str = "/etc/nethcti";

/// The whole configuration set.
#[derive(Debug, Clone)]
pub struct Config {
    /// The directory it was read from.
    pub dir: PathBuf,
    /// asterisk.json.
    pub asterisk: AsteriskConfig,
    /// authentication.json.
    pub authentication: AuthenticationConfig,
    /// nethcti.json.
    pub nethcti: NethctiConfig,
    /// services.json.
    pub services: ServicesConfig,
    /// users.json.
    pub users: Users,
    /// profiles.json.
    pub profiles: Profiles,
    /// ast_objects.json.
    pub ast_objects: AstObjects,
    /// phone_urls.json.
    pub phone_urls: PhoneUrls,
    /// operator.json.
    pub operator: OperatorGroups,
    /// recallonbusy.json.
    pub recallonbusy: RecallOnBusy,
    /// streaming.json.
    pub streaming: Streaming,
    /// chat.json.
    pub chat: ChatConfig,
}

fn optional<T: Default>(
    dir: &Path,
    name: &str,
    parse: impl FnOnce(&Doc) -> Result<T, ConfigError>,
) -> Result<T, ConfigError> {
    match Doc::load_optional(dir, name)? {
        Some(doc) => parse(&doc),
        None => Ok(T::default()),
    }
}

/// Reads every file of the set from `dir`, required ones first, in a fixed order so the
/// same broken set always reports the same error.
///
/// # Errors
/// The first [`ConfigError`] met.
pub fn load(dir: &Path) -> Result<Config, ConfigError> {
    if !dir.is_dir() {
        return Err(ConfigError::NoDirectory {
            dir: dir.to_path_buf(),
        });
    }
    Ok(Config {
        dir: dir.to_path_buf(),
        asterisk: AsteriskConfig::from_doc(&Doc::load(dir, "asterisk.json")?)?,
        authentication: AuthenticationConfig::from_doc(
            &Doc::load(dir, "authentication.json")?,
            dir,
        )?,
        nethcti: NethctiConfig::from_doc(&Doc::load(dir, "nethcti.json")?)?,
        services: ServicesConfig::from_doc(&Doc::load(dir, "services.json")?)?,
        users: directory::users(&Doc::load(dir, "users.json")?)?,
        profiles: directory::profiles(&Doc::load(dir, "profiles.json")?)?,
        ast_objects: directory::ast_objects(&Doc::load(dir, "ast_objects.json")?)?,
        phone_urls: optional(dir, "phone_urls.json", PhoneUrls::from_doc)?,
        operator: optional(dir, "operator.json", OperatorGroups::from_doc)?,
        recallonbusy: optional(dir, "recallonbusy.json", RecallOnBusy::from_doc)?,
        streaming: optional(dir, "streaming.json", Streaming::from_doc)?,
        chat: optional(dir, "chat.json", ChatConfig::from_doc)?,
    })
}

impl Config {
    /// Non-fatal inconsistencies worth a warning at start-up: users whose profile does not
    /// exist (they get no permissions), operator group members that are not users, queue
    /// dynamic members that are no user's extension.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = Vec::new();
        for u in self.users.iter() {
            match &u.profile_id {
                Some(p) if self.profiles.get(p).is_none() => out.push(format!(
                    "users.json: user {:?} has unknown profile_id {p:?}",
                    u.username
                )),
                None => out.push(format!(
                    "users.json: user {:?} has no profile_id",
                    u.username
                )),
                _ => {}
            }
        }
        for (group, members) in &self.operator.groups {
            for m in members.iter().filter(|m| self.users.get(m).is_none()) {
                out.push(format!(
                    "operator.json: group {group:?} member {m:?} is not a user"
                ));
            }
        }
        for q in self.ast_objects.queues.values() {
            for m in q
                .dynmembers
                .iter()
                .filter(|m| self.users.owner_of(m).is_none())
            {
                out.push(format!(
                    "ast_objects.json: queue {:?} dynamic member {m:?} is no user's extension",
                    q.id
                ));
            }
        }
        out
    }
}
