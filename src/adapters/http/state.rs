//! What the HTTP adapter is built from: the directory (users, profiles, PBX objects), the
//! static configuration the reads need, the ports, and the readiness flag.

use super::auth_service::AuthService;
use super::settings_store::SettingsStore;
use super::switchboard_view::SwitchboardView;
use crate::domain::directory::{AstObjects, Profiles, Users};
use crate::domain::policy::user_json::PhoneCaps;
use crate::ports::clock::Clock;
use crate::ports::pbx::Pbx;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// The configured users, profiles and PBX objects (swapped whole on reload).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// users.json.
    pub users: Users,
    /// profiles.json.
    pub profiles: Profiles,
    /// ast_objects.json.
    pub ast_objects: AstObjects,
}

/// One phone_urls.json entry: a case-insensitive User-Agent pattern and its URLs.
#[derive(Debug, Clone)]
pub struct PhoneUrlRule {
    /// Compiled pattern.
    pub pattern: regex::Regex,
    /// Has a `dtmf` URL.
    pub dtmf: bool,
    /// Has a `hold_unhold` URL.
    pub hold: bool,
}

/// Static configuration the reads need (from nethcti.json, chat.json, asterisk.json,
/// recallonbusy.json, operator.json, phone_urls.json, env).
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// `privacy_numbers` mask.
    pub privacy_mask: String,
    /// nethcti.json `hostname`.
    pub hostname: String,
    /// nethcti.json `publichost`.
    pub publichost: String,
    /// nethcti.json `proxy_port`.
    pub proxy_port: Option<u64>,
    /// chat.json `url`.
    pub chat_url: String,
    /// asterisk.json `prefix`.
    pub prefix: String,
    /// recallonbusy.json: users with `enabled`.
    pub recall_on_busy: BTreeMap<String, bool>,
    /// operator.json groups, in file order.
    pub operator_groups: Vec<(String, Vec<String>)>,
    /// phone_urls.json, first match wins.
    pub phone_urls: Vec<PhoneUrlRule>,
    /// CRM parameterised URL per profile id (`GET /user/paramurl`).
    pub param_urls: BTreeMap<String, Value>,
    /// `GET /astproxy/sip_webrtc` body (empty reply when `None`).
    pub sip_webrtc: Option<Value>,
    /// `lkhash` for `/user/me` (from the subscription env), if set.
    pub lkhash: Option<String>,
    /// Version strings for `/profiling/all` `pkg_ver`.
    pub pkg_ver: BTreeMap<String, String>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            privacy_mask: "xxx".into(),
            hostname: String::new(),
            publichost: String::new(),
            proxy_port: None,
            chat_url: String::new(),
            prefix: String::new(),
            recall_on_busy: BTreeMap::new(),
            operator_groups: Vec::new(),
            phone_urls: Vec::new(),
            param_urls: BTreeMap::new(),
            sip_webrtc: None,
            lkhash: None,
            pkg_ver: BTreeMap::new(),
        }
    }
}

impl ApiConfig {
    /// Capabilities of a phone with this User-Agent.
    pub fn phone_caps(&self, user_agent: &str) -> PhoneCaps {
        if user_agent.is_empty() {
            return PhoneCaps::default();
        }
        self.phone_urls
            .iter()
            .find(|r| r.pattern.is_match(user_agent))
            .map(|r| PhoneCaps {
                answer: true,
                dtmf: r.dtmf,
                hold: r.hold,
            })
            .unwrap_or_default()
    }
}

/// Limits every request is held to.
#[derive(Debug, Clone, Copy)]
pub struct HttpLimits {
    /// Largest accepted body in bytes.
    pub max_body: u64,
    /// Longest a handler may take before a 504.
    pub handler_timeout: Duration,
}

impl Default for HttpLimits {
    /// 64 KiB bodies, 10 s per handler.
    fn default() -> Self {
        Self {
            max_body: 64 * 1024,
            handler_timeout: Duration::from_secs(10),
        }
    }
}

/// Connected client counters (`/profiling/all`), updated by the push adapter.
#[derive(Debug, Default)]
pub struct ClientCounters {
    /// Websocket clients.
    pub ws: AtomicUsize,
    /// TCP notifier clients.
    pub tcp: AtomicUsize,
}

/// Everything the HTTP adapter needs, shared by all requests.
pub struct HttpApp {
    /// Logins and tokens.
    pub auth: AuthService,
    /// Users, profiles, PBX objects.
    pub directory: RwLock<Arc<Directory>>,
    /// Static read configuration.
    pub config: RwLock<Arc<ApiConfig>>,
    /// The live model.
    pub view: Arc<dyn SwitchboardView>,
    /// The PBX.
    pub pbx: Arc<dyn Pbx>,
    /// Time.
    pub clock: Arc<dyn Clock>,
    /// Set by the app once the first PBX load is complete (logins answer 503 before).
    pub ready: Arc<AtomicBool>,
    /// Per-user settings.
    pub settings: SettingsStore,
    /// Connected clients.
    pub counters: Arc<ClientCounters>,
    /// Process start, epoch ms.
    pub started_ms: i64,
    /// Request limits.
    pub limits: HttpLimits,
    /// Pushes to a user's sockets (set by the integrator once the push hub exists).
    pub push: super::user_push::UserPush,
    /// Logger.
    pub log: slog::Logger,
}

impl HttpApp {
    /// The current directory.
    pub fn directory(&self) -> Arc<Directory> {
        self.directory
            .read()
            .map(|d| d.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// The current configuration.
    pub fn config(&self) -> Arc<ApiConfig> {
        self.config
            .read()
            .map(|c| c.clone())
            .unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Replaces the directory (config reload).
    pub fn set_directory(&self, dir: Directory) {
        match self.directory.write() {
            Ok(mut d) => *d = Arc::new(dir),
            Err(p) => *p.into_inner() = Arc::new(dir),
        }
    }

    /// True once the first PBX load is complete.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }
}
