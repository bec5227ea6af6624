//! The whole daemon as `nethcti-server --demo` starts it: settings from the command line
//! through `Cli` and `Settings::resolve` (exactly as the binary builds them), the simulated
//! PBX without generated traffic, random ports, a temporary state directory; REST login as
//! a client does it. Optionally on a manual clock. Unlike `support/daemon.rs` (the push
//! tests' harness, fixture configuration), this is the demo configuration.
#![allow(dead_code)]

use clap::Parser;
use nethcti_server::adapters::logging;
use nethcti_server::app::run::{start_with, Running, StartOptions};
use nethcti_server::app::{Cli, Settings};
use nethcti_server::ports::clock::ManualClock;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// A running demo daemon; it stops when dropped.
pub struct Demo {
    /// What `start_with` returned.
    pub running: Running,
    /// REST base URL.
    pub base: String,
    /// Keep-alive HTTP client.
    pub http: reqwest::Client,
    stop: CancellationToken,
    _state: tempfile::TempDir,
}

impl Drop for Demo {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Starts the demo daemon (on `clock` when given) and waits for its first PBX load.
pub async fn demo(clock: Option<Arc<ManualClock>>) -> Demo {
    let state = tempfile::tempdir().expect("tempdir");
    let state_dir = state.path().display().to_string();
    let cli = Cli::parse_from([
        "nethcti-server",
        "--demo",
        "--demo-traffic",
        "0",
        "--http-addr",
        "127.0.0.1:0",
        "--ws-addr",
        "127.0.0.1:0",
        "--state-dir",
        &state_dir,
    ]);
    let dir = cli
        .config_dir
        .clone()
        .unwrap_or_else(|| std::path::PathBuf::from(nethcti_server::app::cli::DEMO_CONFIG_DIR));
    let config = nethcti_server::adapters::config::load(&dir).expect("demo config");
    let settings = Settings::resolve(&cli, &config);
    let stop = CancellationToken::new();
    let mut options = StartOptions::default();
    if let Some(clock) = clock {
        options.clock = clock;
    }
    let running = start_with(&settings, &config, &logging::discard(), &stop, options)
        .await
        .expect("daemon starts");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !running.ready.load(Ordering::SeqCst) {
        assert!(Instant::now() < deadline, "PBX state not loaded in 10 s");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Demo {
        base: format!("http://{}", running.http_addr),
        running,
        http: reqwest::Client::new(),
        stop,
        _state: state,
    }
}

impl Demo {
    /// Logs in as the spec describes (401 + nonce, HMAC-SHA1 token); returns the
    /// `Authorization` header value `user:token`.
    pub async fn login(&self, user: &str, password: &str) -> String {
        let resp = self
            .http
            .post(format!("{}/authentication/login", self.base))
            .json(&json!({"username": user, "password": password}))
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), 401);
        let www = resp
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .expect("WWW-Authenticate")
            .to_owned();
        let nonce = www.strip_prefix("Digest ").expect("Digest nonce");
        format!("{user}:{}", super::daemon::token_of(user, password, nonce))
    }
}
