//! Builds this adapter's inputs from the loaded configuration set: the directory, the read
//! configuration, the auth settings and the credentials backend.

use super::auth_service::AuthSettings;
use super::state::{ApiConfig, Directory, PhoneUrlRule};
use crate::adapters::config::authentication::AuthBackend;
use crate::adapters::config::Config;
use crate::adapters::credentials::file::PasswordFileError;
use crate::adapters::credentials::{FileCredentials, PamCredentials};
use crate::domain::auth::ipnet::AllowedNetworks;
use crate::domain::auth::{RateLimitPolicy, TokenLifetime, UnautheCall};
use crate::ports::credentials::Credentials;
use std::sync::Arc;

/// Users, profiles and PBX objects.
pub fn directory(cfg: &Config) -> Directory {
    Directory {
        users: cfg.users.clone(),
        profiles: cfg.profiles.clone(),
        ast_objects: cfg.ast_objects.clone(),
    }
}

/// The static read configuration. `lkhash` comes from the subscription env, read by the
/// caller (the library never reads the environment).
pub fn api_config(cfg: &Config, lkhash: Option<String>) -> ApiConfig {
    let phone_urls = cfg
        .phone_urls
        .rules
        .iter()
        .map(|r| PhoneUrlRule {
            pattern: r.regex.clone(),
            dtmf: r.urls.contains_key("dtmf"),
            hold: r.urls.contains_key("hold_unhold"),
        })
        .collect();
    let mut pkg_ver = std::collections::BTreeMap::new();
    pkg_ver.insert(
        "nethcti-server3".to_owned(),
        env!("CARGO_PKG_VERSION").to_owned(),
    );
    ApiConfig {
        privacy_mask: cfg.nethcti.privacy_numbers.clone(),
        hostname: cfg.nethcti.hostname.clone(),
        publichost: cfg.nethcti.publichost.clone(),
        proxy_port: cfg.nethcti.proxy_port.map(u64::from),
        chat_url: cfg.chat.url.clone(),
        prefix: cfg.asterisk.prefix.clone(),
        recall_on_busy: cfg.recallonbusy.by_user.clone(),
        operator_groups: cfg.operator.groups.clone(),
        phone_urls,
        param_urls: Default::default(),
        sip_webrtc: None,
        lkhash,
        pkg_ver,
    }
}

/// authentication.json as the auth service wants it (absent `expiration_timeout`: the
/// default 3600 s).
pub fn auth_settings(cfg: &Config) -> AuthSettings {
    let a = &cfg.authentication;
    AuthSettings {
        enabled: a.enabled,
        lifetime: a
            .expiration_timeout
            .map(TokenLifetime::from_secs)
            .unwrap_or_default(),
        unauthe_call: UnautheCall {
            enabled: a.unauthe_call.enabled,
            allowed: AllowedNetworks::parse(&a.unauthe_call.allowed_ip.join(" ")),
        },
        rate_limit: RateLimitPolicy::default(),
    }
}

/// The credentials backend named by authentication.json `type`.
///
/// # Errors
/// [`PasswordFileError`] when the password file cannot be loaded.
pub fn credentials(cfg: &Config) -> Result<Arc<dyn Credentials>, PasswordFileError> {
    Ok(match &cfg.authentication.backend {
        AuthBackend::File(path) => Arc::new(FileCredentials::load(path)?),
        AuthBackend::Pam { service } => Arc::new(PamCredentials::new(service)),
    })
}

/// The ports and shared flags the HTTP adapter is built around.
pub struct HttpPorts {
    /// The live model.
    pub view: Arc<dyn super::SwitchboardView>,
    /// The PBX.
    pub pbx: Arc<dyn crate::ports::pbx::Pbx>,
    /// Time.
    pub clock: Arc<dyn crate::ports::clock::Clock>,
    /// Set by the app once the first PBX load is complete.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
    /// Connected-client counters (shared with the push adapter).
    pub counters: Arc<super::ClientCounters>,
}

/// Why the HTTP application could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// passwords.json unusable.
    #[error(transparent)]
    Passwords(#[from] PasswordFileError),
    /// The persistent-token file in the state directory is unreadable.
    #[error(transparent)]
    TokenFile(#[from] crate::adapters::credentials::token_file::TokenFileError),
}

/// Builds the whole HTTP application from the config set, the ports and the state dir.
///
/// # Errors
/// [`BuildError`] when the password file or the token file cannot be loaded.
pub fn build_app(
    cfg: &Config,
    ports: HttpPorts,
    state_dir: &std::path::Path,
    lkhash: Option<String>,
    log: slog::Logger,
) -> Result<Arc<super::HttpApp>, BuildError> {
    let auth = super::AuthService::new(
        auth_settings(cfg),
        credentials(cfg)?,
        Some(crate::adapters::credentials::TokenFile::in_dir(state_dir)),
        ports.clock.clone(),
        log.clone(),
    )?;
    Ok(Arc::new(super::HttpApp {
        auth,
        directory: std::sync::RwLock::new(Arc::new(directory(cfg))),
        config: std::sync::RwLock::new(Arc::new(api_config(cfg, lkhash))),
        started_ms: ports.clock.now_ms(),
        view: ports.view,
        pbx: ports.pbx,
        clock: ports.clock,
        ready: ports.ready,
        settings: Default::default(),
        counters: ports.counters,
        limits: super::HttpLimits::default(),
        push: Default::default(),
        log,
    }))
}
