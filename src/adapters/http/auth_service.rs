//! The authentication service: the token store and login limiter behind a lock, the
//! credentials port, the persistent-token file and the clock. Used by the HTTP adapter and
//! (for token checks) by the socket.io adapter. Passwords and tokens are never logged.

use super::state::Directory;
use crate::adapters::clip::clip;
use crate::adapters::credentials::token_file::{TokenFile, TokenFileError};
use crate::domain::auth::{
    compute_token, nonce_from, phone_island_key, resolve_login, LoginIdentity, LoginLimiter,
    LoginNameError, RateLimitPolicy, RetryAfter, TokenKind, TokenLifetime, TokenStore, UnautheCall,
};
use crate::ports::clock::Clock;
use crate::ports::credentials::Credentials;
use rand::RngCore as _;
use slog::{info, warn, Logger};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// authentication.json, as the service needs it.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// `enabled: false` skips credential and token checks (auth.md §2.2).
    pub enabled: bool,
    /// `expiration_timeout`.
    pub lifetime: TokenLifetime,
    /// `unauthe_call`.
    pub unauthe_call: UnautheCall,
    /// Login rate limits.
    pub rate_limit: RateLimitPolicy,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            lifetime: TokenLifetime::default(),
            unauthe_call: UnautheCall::default(),
            rate_limit: RateLimitPolicy::default(),
        }
    }
}

/// A login attempt.
#[derive(Debug, Clone)]
pub struct LoginRequest {
    /// `username` as sent.
    pub username: String,
    /// `password` as sent.
    pub password: String,
    /// `Auth-Exp: no-exp`.
    pub persistent: bool,
    /// Client IP for rate limiting (`None` when unknown).
    pub client_ip: Option<String>,
}

/// Why a login failed.
#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Username or password missing/empty.
    #[error("missing credentials")]
    MissingFields,
    /// The first PBX load is not complete.
    #[error("service not ready")]
    NotReady,
    /// Too many failures from this IP or for this user.
    #[error("too many failed logins")]
    RateLimited(RetryAfter),
    /// Unknown user or no profile.
    #[error("{0}")]
    NotConfigured(#[from] LoginNameError),
    /// Wrong password.
    #[error("wrong credentials")]
    BadCredentials,
    /// The credentials backend failed.
    #[error("credentials backend unavailable")]
    Backend(String),
    /// The persistent token could not be stored.
    #[error("cannot store persistent token: {0}")]
    Store(#[from] TokenFileError),
}

/// Which persistent token to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersistentKind {
    /// `no-exp`.
    NoExp,
    /// `phone-island` of a subtype.
    PhoneIsland(Option<String>),
}

/// The username key of the login limiter: the canonical user a login name resolves to
/// (so `218`, `Victor` and `victor@domain` share `victor`'s failures), else the name
/// itself, domain stripped and lower-cased.
fn limit_key(resolved: &Result<LoginIdentity, LoginNameError>) -> String {
    match resolved {
        Ok(identity) => identity.username.clone(),
        Err(LoginNameError::NotConfigured(name)) => name.clone(),
    }
}

fn ip_text(ip: &Option<String>) -> String {
    ip.clone().unwrap_or_else(|| "unknown".into())
}

struct Locked {
    store: TokenStore,
    limiter: LoginLimiter,
}

/// Most password verifications running at once: argon2 is deliberately expensive, so a
/// burst of logins queues here (bounded by the handler timeout) instead of taking every
/// core and blocking thread.
pub const MAX_CONCURRENT_CHECKS: usize = 4;

/// The service.
pub struct AuthService {
    settings: AuthSettings,
    checks: tokio::sync::Semaphore,
    state: Mutex<Locked>,
    save_lock: tokio::sync::Mutex<()>,
    credentials: Arc<dyn Credentials>,
    token_file: Option<TokenFile>,
    clock: Arc<dyn Clock>,
    log: Logger,
    revoked: OnceLock<RevokeListener>,
}

/// Called after tokens were removed (logout, expiry sweep, persistent token removal), so
/// the sockets opened with them can be closed. Must not block.
pub type RevokeListener = Arc<dyn Fn() + Send + Sync>;

impl AuthService {
    /// Builds the service and loads the persistent tokens from `token_file`.
    ///
    /// # Errors
    /// [`TokenFileError`] when the token file exists but cannot be read.
    pub fn new(
        settings: AuthSettings,
        credentials: Arc<dyn Credentials>,
        token_file: Option<TokenFile>,
        clock: Arc<dyn Clock>,
        log: Logger,
    ) -> Result<Self, TokenFileError> {
        let mut store = TokenStore::new(settings.lifetime);
        if let Some(f) = &token_file {
            let loaded = f.load()?;
            info!(log, "persistent tokens loaded"; "count" => loaded.len());
            store.load_persistent(loaded);
        }
        Ok(Self {
            state: Mutex::new(Locked {
                store,
                limiter: LoginLimiter::new(settings.rate_limit),
            }),
            settings,
            checks: tokio::sync::Semaphore::new(MAX_CONCURRENT_CHECKS),
            save_lock: tokio::sync::Mutex::new(()),
            credentials,
            token_file,
            clock,
            log,
            revoked: OnceLock::new(),
        })
    }

    /// Sets the listener told about removed tokens (only the first call counts).
    pub fn on_revoke(&self, listener: RevokeListener) {
        let _ = self.revoked.set(listener);
    }

    fn notify_revoked(&self) {
        if let Some(listener) = self.revoked.get() {
            listener();
        }
    }

    /// True when `key:token` still passes [`verify`](Self::verify), without sliding its
    /// expiry. Always true when authentication is disabled.
    pub fn is_live(&self, key: &str, token: &str) -> bool {
        if !self.settings.enabled {
            return true;
        }
        let now = self.clock.now_ms();
        self.lock().store.is_live(key, token, now)
    }

    fn lock(&self) -> MutexGuard<'_, Locked> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The settings in force.
    pub fn settings(&self) -> &AuthSettings {
        &self.settings
    }

    fn new_nonce(&self) -> String {
        let mut random = [0u8; 32];
        rand::rng().fill_bytes(&mut random);
        nonce_from(&random, self.clock.now_ms())
    }

    async fn persist(&self) -> Result<(), TokenFileError> {
        let Some(file) = self.token_file.clone() else {
            return Ok(());
        };
        let _guard = self.save_lock.lock().await;
        let snapshot = self.lock().store.persistent_hashes();
        tokio::task::spawn_blocking(move || file.save(&snapshot))
            .await
            .map_err(|e| TokenFileError::Io {
                path: "persistent token file".into(),
                source: std::io::Error::other(e.to_string()),
            })?
    }

    /// Performs a login (auth.md §3.2) and returns the nonce. With `persistent` the token
    /// is stored (hashed, on disk) before the nonce is returned.
    ///
    /// # Errors
    /// [`LoginError`] for every refusal; the HTTP layer maps them to 401/429/503.
    pub async fn login(
        &self,
        dir: &Directory,
        ready: bool,
        req: &LoginRequest,
    ) -> Result<String, LoginError> {
        if req.username.is_empty() || req.password.is_empty() {
            return Err(LoginError::MissingFields);
        }
        if !ready {
            return Err(LoginError::NotReady);
        }
        let resolved = resolve_login(&req.username, &dir.users, &dir.profiles);
        let limit_key = limit_key(&resolved);
        let now = self.clock.now_ms();
        self.lock()
            .limiter
            .check(req.client_ip.as_deref(), &limit_key, now)
            .map_err(LoginError::RateLimited)?;
        let identity = match resolved {
            Ok(i) => i,
            Err(e) => {
                self.lock()
                    .limiter
                    .record_failure(req.client_ip.as_deref(), &limit_key, now);
                warn!(self.log, "login refused: user not configured";
                    "user" => clip(&req.username), "ip" => ip_text(&req.client_ip));
                return Err(e.into());
            }
        };
        if self.settings.enabled {
            let _permit = self
                .checks
                .acquire()
                .await
                .map_err(|e| LoginError::Backend(e.to_string()))?;
            let ok = self
                .credentials
                .check(&identity.check_name, &req.password)
                .await
                .map_err(|e| LoginError::Backend(e.to_string()))?;
            if !ok {
                self.lock().limiter.record_failure(
                    req.client_ip.as_deref(),
                    &limit_key,
                    self.clock.now_ms(),
                );
                warn!(self.log, "login refused: wrong credentials";
                    "user" => &identity.username, "ip" => ip_text(&req.client_ip));
                return Err(LoginError::BadCredentials);
            }
        }
        let nonce = self.new_nonce();
        let token = compute_token(&identity.token_key, &req.password, &nonce);
        {
            let mut st = self.lock();
            st.limiter.record_success(&limit_key);
            if req.persistent {
                st.store.set_persistent(&identity.token_key, &token);
            } else {
                st.store
                    .issue(&identity.token_key, &token, self.clock.now_ms());
            }
        }
        if req.persistent {
            self.persist().await?;
        }
        info!(self.log, "login"; "user" => &identity.username, "persistent" => req.persistent);
        Ok(nonce)
    }

    /// Checks `key:token` (§4.1); sliding expiry on success. Always true when
    /// authentication is disabled.
    pub fn verify(&self, key: &str, token: &str) -> Option<TokenKind> {
        if !self.settings.enabled {
            return Some(TokenKind::Temporary);
        }
        let now = self.clock.now_ms();
        self.lock().store.verify(key, token, now)
    }

    /// Pushes a live token's expiry forward (socket keep-alive).
    pub fn refresh(&self, key: &str, token: &str) -> bool {
        let now = self.clock.now_ms();
        self.lock().store.refresh(key, token, now)
    }

    /// Drops expired temporary tokens; returns how many.
    pub fn sweep(&self) -> usize {
        let now = self.clock.now_ms();
        let dropped = self.lock().store.sweep(now);
        if dropped > 0 {
            self.notify_revoked();
        }
        dropped
    }

    /// Logout (§9): removes the presented temporary token of `key`, or with `persistent`
    /// the persistent token of `key` lower-cased (as the original).
    ///
    /// # Errors
    /// [`TokenFileError`] when the persistent file cannot be rewritten.
    pub async fn logout(
        &self,
        key: &str,
        token: &str,
        persistent: bool,
    ) -> Result<(), TokenFileError> {
        if persistent {
            let removed = {
                let mut st = self.lock();
                let a = st.store.remove_persistent(&key.to_lowercase());
                let b = st.store.remove_persistent(key);
                a || b
            };
            if removed {
                self.notify_revoked();
                self.persist().await?;
            }
        } else {
            self.lock().store.revoke(key, token);
            self.notify_revoked();
        }
        Ok(())
    }

    /// Mints a persistent token for `user` from the presented token (§6.2/§6.3); with
    /// `phone_island` it is filed under `<user>_phone-island[_<subtype>]`. Returns the token.
    ///
    /// # Errors
    /// [`TokenFileError`] when it cannot be stored; nothing is then kept.
    pub async fn mint_persistent(
        &self,
        user: &str,
        presented: &str,
        phone_island: Option<Option<&str>>,
    ) -> Result<String, TokenFileError> {
        let key = match phone_island {
            Some(sub) => phone_island_key(user, sub),
            None => user.to_owned(),
        };
        let nonce = self.new_nonce();
        let token = compute_token(&key, presented, &nonce);
        self.lock().store.set_persistent(&key, &token);
        if let Err(e) = self.persist().await {
            self.lock().store.remove_persistent(&key);
            return Err(e);
        }
        Ok(token)
    }

    /// True when a phone-island token exists for `user` and subtype.
    pub fn phone_island_exists(&self, user: &str, subtype: Option<&str>) -> bool {
        self.lock()
            .store
            .has_persistent(&phone_island_key(user, subtype))
    }

    /// Removes a persistent token of `user` (§6.5).
    ///
    /// # Errors
    /// [`TokenFileError`] when the file cannot be rewritten.
    pub async fn remove_persistent(
        &self,
        user: &str,
        kind: &PersistentKind,
    ) -> Result<(), TokenFileError> {
        let key = match kind {
            PersistentKind::NoExp => user.to_owned(),
            PersistentKind::PhoneIsland(sub) => phone_island_key(user, sub.as_deref()),
        };
        let removed = self.lock().store.remove_persistent(&key);
        if removed {
            self.notify_revoked();
            self.persist().await?;
        }
        Ok(())
    }
}
