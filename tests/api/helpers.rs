//! `spawn_app()`: the HTTP adapter on a random port with a fake PBX, an in-memory
//! switchboard, a manual clock, a temp state dir and a minimal config set.

use argon2::password_hash::{PasswordHasher, SaltString};
use hmac::{Hmac, Mac};
use nethcti_server::adapters::credentials::{FileCredentials, TokenFile};
use nethcti_server::adapters::fake_pbx::FakePbx;
use nethcti_server::adapters::http::auth_service::AuthSettings;
use nethcti_server::adapters::http::{
    routes, ApiConfig, AuthService, ClientCounters, Directory, ExtenState, HttpApp, HttpLimits,
    MemorySwitchboard,
};
use nethcti_server::domain::auth::{RateLimitPolicy, TokenLifetime};
use nethcti_server::domain::directory::{AstObjects, Profiles, Users};
use nethcti_server::domain::policy::Forwarding;
use nethcti_server::ports::clock::ManualClock;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

pub const ALICE_PW: &str = "S3cret!";
pub const BOB_PW: &str = "b0bpass";
pub const T0: i64 = 1_700_000_000_000;

pub fn users_json() -> Value {
    json!({
        "alice": {"name": "Alice Rossi", "profile_id": "3", "endpoints": {
            "mainextension": {"201": {}},
            "extension": {
                "91201": {"type": "physical", "mac": "00:15:65:aa:bb:cc", "user": "91201", "password": "sipSecret1"},
                "92201": {"type": "webrtc", "user": "92201", "password": "sipSecret2"}},
            "cellphone": {"3331234567": {}},
            "voicemail": {"201": {}},
            "email": {"alice@example.com": {}},
            "jabber": {"alice@example.com": {}}}},
        "bob": {"name": "Bob Bianchi", "profile_id": "1", "endpoints": {
            "mainextension": {"202": {}},
            "extension": {"92202": {"type": "webrtc", "user": "92202", "password": "bobSip"}}}},
        "carol": {"name": "Carol", "endpoints": {"mainextension": {"203": {}}}}
    })
}

pub fn profiles_json() -> Value {
    json!({
        "3": {"id": "3", "name": "Advanced", "macro_permissions": {
            "settings": {"value": true, "permissions": [
                {"id": "2", "name": "dnd", "value": true},
                {"id": "3", "name": "call_forward", "value": true},
                {"id": "6", "name": "parkings", "value": true},
                {"id": "9", "name": "privacy", "value": false}]},
            "queue_agent": {"value": true, "permissions": [
                {"id": "23", "name": "ad_queue_agent", "value": true}]},
            "presence_panel": {"value": true, "permissions": [
                {"id": "22", "name": "trunks", "value": true}]},
            "operator_panel": {"value": true, "permissions": [
                {"id": "60", "name": "in_queue_500", "value": true},
                {"id": "61", "name": "waiting_queue_501", "value": true}]},
            "customer_card": {"value": true, "permissions": [
                {"id": "17", "name": "identity", "value": true}]},
            "remote_sites": {"value": false, "permissions": []}}},
        "1": {"id": "1", "name": "Base", "macro_permissions": {
            "settings": {"value": true, "permissions": [
                {"id": "2", "name": "dnd", "value": true},
                {"id": "9", "name": "privacy", "value": true}]},
            "queue_agent": {"value": false, "permissions": []},
            "presence_panel": {"value": false, "permissions": []},
            "operator_panel": {"value": false, "permissions": []}}}
    })
}

pub fn ast_objects_json() -> Value {
    json!({"trunks": {"2001": {"tech": "pjsip", "name": "provider"}},
           "queues": {"401": {"name": "Support", "dynmembers": ["201"]}},
           "feature_codes": {"pickup": "*8", "audio_test": "*43"},
           "transfer_context": "from-internal"})
}

fn cheap_hash(pw: &str) -> String {
    let params = argon2::Params::new(256, 1, 1, None).expect("params");
    let a = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let salt = SaltString::encode_b64(b"fixed-test-salt!").expect("salt");
    a.hash_password(pw.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

fn passwords() -> &'static Value {
    static P: OnceLock<Value> = OnceLock::new();
    P.get_or_init(|| json!({"alice": cheap_hash(ALICE_PW), "bob": cheap_hash(BOB_PW), "carol": cheap_hash("c")}))
}

/// The extension JSON the fake model holds.
pub fn ext_json(exten: &str, name: &str, status: &str, cf: &str) -> Value {
    json!({"exten": exten, "name": name, "status": status, "dnd": false, "cf": cf, "cfVm": "",
           "cfb": "", "cfbVm": "", "cfu": "", "cfuVm": "", "conversations": {}})
}

fn fill_view(view: &MemorySwitchboard) {
    let st = |status: &str, ua: &str, cf: &str| ExtenState {
        status: status.into(),
        user_agent: ua.into(),
        forwarding: Forwarding {
            cf: cf.into(),
            ..Forwarding::default()
        },
    };
    view.set_extension(
        "201",
        ext_json("201", "Alice Rossi", "online", ""),
        st("online", "", ""),
    );
    view.set_extension(
        "91201",
        ext_json("91201", "Alice Rossi", "ringing", ""),
        st("ringing", "Yealink SIP-T46S 66.86.0.15", ""),
    );
    view.set_extension(
        "92201",
        ext_json("92201", "Alice Rossi", "offline", ""),
        st("offline", "", ""),
    );
    view.set_extension(
        "202",
        ext_json("202", "Bob Bianchi", "online", "0721405516"),
        st("online", "", "0721405516"),
    );
    view.set_queue("401", json!({"name": "Support", "queue": "401", "members": {},
        "waitingCallers": {"PJSIP/t-1": {"id": "PJSIP/t-1", "num": "0721405516", "name": "ACME", "queue": "401"}}}));
    view.set_queue(
        "500",
        json!({"name": "Op", "queue": "500", "members": {}, "waitingCallers": {}}),
    );
    view.set_queue(
        "ctiopqueue501",
        json!({"name": "Wait", "queue": "ctiopqueue501", "members": {}, "waitingCallers": {}}),
    );
    view.set_trunk(
        "2001",
        json!({"name": "provider", "exten": "2001", "status": "online", "conversations": {}}),
    );
    view.set_parking("71", json!({"name": "71", "parking": "71", "timeout": 45, "parkedCaller": {
        "num": "0721405516", "name": "ACME Spa", "parking": "71", "parkeeNum": "201", "parkeeName": "Alice Rossi"}}));
}

/// Knobs of a test app.
#[derive(Clone)]
pub struct TestOptions {
    pub state_dir: Option<PathBuf>,
    pub lifetime_secs: u64,
    pub ready: bool,
    pub rate_limit: RateLimitPolicy,
    pub handler_timeout: Duration,
    /// Where the app logs (`None`: discarded).
    pub log: Option<slog::Logger>,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            state_dir: None,
            lifetime_secs: 3600,
            ready: true,
            rate_limit: RateLimitPolicy::default(),
            handler_timeout: Duration::from_secs(5),
            log: None,
        }
    }
}

pub struct TestApp {
    pub base: String,
    #[allow(dead_code)]
    pub addr: SocketAddr,
    pub pbx: Arc<FakePbx>,
    pub view: Arc<MemorySwitchboard>,
    pub clock: Arc<ManualClock>,
    #[allow(dead_code)]
    pub app: Arc<HttpApp>,
    #[allow(dead_code)]
    pub state_dir: PathBuf,
    pub client: reqwest::Client,
    _tmp: Option<Arc<tempfile::TempDir>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }

    /// POSTs a JSON login; returns the response.
    pub async fn login_raw(
        &self,
        username: &str,
        password: &str,
        persistent: bool,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .post(self.url("/authentication/login"))
            .json(&json!({"username": username, "password": password}));
        if persistent {
            req = req.header("Auth-Exp", "no-exp");
        }
        req.send().await.expect("login request")
    }

    /// Logs in and returns the `Authorization` header value `<key>:<token>`.
    pub async fn login(&self, username: &str, password: &str) -> String {
        let resp = self.login_raw(username, password, false).await;
        let nonce = nonce_of(&resp).expect("nonce");
        format!("{username}:{}", token(username, password, &nonce))
    }

    pub async fn get(&self, path: &str, auth: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("Authorization", auth)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_json(&self, path: &str, auth: &str, body: Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("Authorization", auth)
            .json(&body)
            .send()
            .await
            .expect("request")
    }
}

/// The nonce of a successful login reply (`WWW-Authenticate: Digest <nonce>`).
pub fn nonce_of(resp: &reqwest::Response) -> Option<String> {
    let v = resp.headers().get("www-authenticate")?.to_str().ok()?;
    v.strip_prefix("Digest ").map(str::to_owned)
}

/// The client's token formula, computed independently of the server code.
pub fn token(key: &str, password: &str, nonce: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(password.as_bytes()).expect("hmac key");
    mac.update(format!("{key}:{password}:{nonce}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

/// Where the directory, read config, auth settings and credentials come from.
pub struct Inputs {
    pub directory: Directory,
    pub config: ApiConfig,
    pub settings: AuthSettings,
    pub credentials: Arc<dyn nethcti_server::ports::credentials::Credentials>,
}

/// The in-test config set (small, with cheap password hashes).
pub fn test_inputs(opts: &TestOptions) -> Inputs {
    let creds = Arc::new(FileCredentials::from_json(passwords(), "test").expect("passwords"));
    let settings = AuthSettings {
        enabled: true,
        lifetime: TokenLifetime::from_secs(opts.lifetime_secs),
        unauthe_call: Default::default(),
        rate_limit: opts.rate_limit,
    };
    let directory = Directory {
        users: Users::from_json(&users_json()).expect("users"),
        profiles: Profiles::from_json(&profiles_json()).expect("profiles"),
        ast_objects: AstObjects::from_json(&ast_objects_json()).expect("ast objects"),
    };
    let groups = vec![(
        "Sales".to_owned(),
        vec!["alice".to_owned(), "bob".to_owned()],
    )];
    let config = ApiConfig {
        hostname: "pbx.example.com".into(),
        publichost: "voice.example.com".into(),
        chat_url: "https://pbx.example.com/http-bind".into(),
        prefix: "0039".into(),
        operator_groups: groups,
        phone_urls: vec![nethcti_server::adapters::http::PhoneUrlRule {
            pattern: regex::RegexBuilder::new("yealink")
                .case_insensitive(true)
                .build()
                .expect("re"),
            dtmf: true,
            hold: true,
        }],
        ..ApiConfig::default()
    };
    Inputs {
        directory,
        config,
        settings,
        credentials: creds,
    }
}

/// The repository's `fixtures/config` set, loaded by the config adapter.
pub fn fixture_inputs() -> Inputs {
    use nethcti_server::adapters::http::from_config;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    let cfg = nethcti_server::adapters::config::load(&dir).expect("fixtures/config loads");
    Inputs {
        directory: from_config::directory(&cfg),
        config: from_config::api_config(&cfg, None),
        settings: from_config::auth_settings(&cfg),
        credentials: from_config::credentials(&cfg).expect("passwords.json"),
    }
}

pub async fn spawn_app_with(opts: TestOptions) -> TestApp {
    let inputs = test_inputs(&opts);
    spawn_from(opts, inputs, fill_view).await
}

pub async fn spawn_app_from(
    opts: TestOptions,
    inputs: Inputs,
    fill: fn(&MemorySwitchboard),
) -> TestApp {
    spawn_from(opts, inputs, fill).await
}

async fn spawn_from(opts: TestOptions, inputs: Inputs, fill: fn(&MemorySwitchboard)) -> TestApp {
    let log = opts
        .log
        .clone()
        .unwrap_or_else(|| slog::Logger::root(slog::Discard, slog::o!()));
    let (tmp, state_dir) = match &opts.state_dir {
        Some(d) => (None, d.clone()),
        None => {
            let t = tempfile::tempdir().expect("tempdir");
            let p = t.path().to_path_buf();
            (Some(Arc::new(t)), p)
        }
    };
    let clock = Arc::new(ManualClock::new(T0));
    let Inputs {
        directory,
        config,
        settings,
        credentials,
    } = inputs;
    let auth = AuthService::new(
        settings,
        credentials,
        Some(TokenFile::in_dir(&state_dir)),
        clock.clone(),
        log.clone(),
    )
    .expect("auth service");
    let pbx = Arc::new(FakePbx::new());
    let view = Arc::new(MemorySwitchboard::new());
    fill(&view);
    let app = Arc::new(HttpApp {
        auth,
        directory: RwLock::new(Arc::new(directory)),
        config: RwLock::new(Arc::new(config)),
        view: view.clone(),
        pbx: pbx.clone(),
        clock: clock.clone(),
        ready: Arc::new(AtomicBool::new(opts.ready)),
        settings: Default::default(),
        counters: Arc::new(ClientCounters::default()),
        started_ms: T0,
        limits: HttpLimits {
            max_body: 64 * 1024,
            handler_timeout: opts.handler_timeout,
        },
        push: Default::default(),
        log,
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = warp::serve(routes(app.clone()))
        .incoming(listener)
        .graceful(async {
            let _ = rx.await;
        });
    let task = tokio::spawn(server.run());
    TestApp {
        base: format!("http://{addr}"),
        addr,
        pbx,
        view,
        clock,
        app,
        state_dir,
        client: reqwest::Client::new(),
        _tmp: tmp,
        stop: Some(tx),
        task: Some(task),
    }
}
