//! Starts the real daemon (`run::start_with`) on the simulated PBX of `--demo` with the
//! fixture configuration, on random ports (REST and a separate socket.io listener), no
//! generated traffic, and logs users in over REST like a client does.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use nethcti_server::adapters::config::{self, Config};
use nethcti_server::adapters::logging::{LogLevel, LogSettings, LogTarget};
use nethcti_server::adapters::sim::SimHandle;
use nethcti_server::app::run::{start_with, Running, StartOptions};
use nethcti_server::app::settings::{PbxMode, Settings};
use nethcti_server::ports::clock::Clock;
use serde_json::Value;
use tokio_util::sync::CancellationToken;

/// A running daemon; everything stops when it is dropped.
pub struct Daemon {
    /// What `start_with` returned.
    pub running: Running,
    /// REST base URL, e.g. `http://127.0.0.1:40001`.
    pub rest: String,
    shutdown: CancellationToken,
    _state: tempfile::TempDir,
    http: reqwest::Client,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// The fixture configuration set (`fixtures/config`).
pub fn fixture_config() -> Config {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    config::load(&dir).expect("fixture config loads")
}

/// A free loopback port (bound then released), for the separate socket.io listener.
fn free_addr() -> SocketAddr {
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().expect("addr")
}

/// Starts the daemon; `clock` replaces the system clock when given. Returns once the
/// first PBX load is done (logins answer 503 before).
pub async fn start_daemon(clock: Option<Arc<dyn Clock>>) -> Daemon {
    let config = fixture_config();
    let state = tempfile::tempdir().expect("state dir");
    let settings = Settings {
        config_dir: config.dir.clone(),
        state_dir: state.path().to_owned(),
        http_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        ws_addr: free_addr(),
        log: LogSettings {
            target: LogTarget::Terminal,
            level: LogLevel::Warn,
            rotate_size: 0,
            rotate_keep: 0,
        },
        pbx: PbxMode::Demo {
            traffic_per_minute: 0,
        },
        check_only: false,
    };
    let mut options = StartOptions::default();
    if let Some(clock) = clock {
        options.clock = clock;
    }
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let shutdown = CancellationToken::new();
    let running = start_with(&settings, &config, &log, &shutdown, options)
        .await
        .expect("daemon starts");
    tokio::time::timeout(Duration::from_secs(15), async {
        while !running.ready.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("first PBX load within 15 s");
    Daemon {
        rest: format!("http://{}", running.http_addr),
        running,
        shutdown,
        _state: state,
        http: reqwest::Client::new(),
    }
}

/// The token of `user:password:nonce` (auth.md §3.3).
pub fn token_of(user: &str, password: &str, nonce: &str) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(password.as_bytes()).expect("hmac key");
    mac.update(format!("{user}:{password}:{nonce}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl Daemon {
    /// The simulated PBX.
    pub fn sim(&self) -> &SimHandle {
        self.running
            .sim
            .as_ref()
            .expect("demo mode has a simulator")
    }

    /// The separate socket.io listener.
    pub fn ws_addr(&self) -> SocketAddr {
        self.running.ws_addr
    }

    /// REST login (password = username, as in the fixtures); returns the token.
    pub async fn login(&self, user: &str) -> String {
        let resp = self
            .http
            .post(format!("{}/authentication/login", self.rest))
            .json(&serde_json::json!({"username": user, "password": user}))
            .send()
            .await
            .expect("login request");
        assert_eq!(resp.status().as_u16(), 401, "login answers 401 + nonce");
        let header = resp
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .expect("WWW-Authenticate header")
            .to_owned();
        let nonce = header.strip_prefix("Digest ").expect("Digest <nonce>");
        token_of(user, user, nonce)
    }

    /// `POST <path>` with `Authorization: user:token` and a JSON body; returns the status and body.
    pub async fn post(&self, user: &str, token: &str, path: &str, body: Value) -> (u16, String) {
        let resp = self
            .http
            .post(format!("{}{path}", self.rest))
            .header("Authorization", format!("{user}:{token}"))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap_or_default())
    }
}
