//! Starts the push channel (socket.io + a warp route) on a random port with a fake authenticator.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use nethcti_server::adapters::push::{
    build, serve, PushConfig, PushHub, PushPermissions, ServeLimits, SocketAuthenticator,
    SocketUser,
};
use slog::{o, Logger};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use warp::Filter;

/// Accepts `(key, "tok-<key>")` for every key it knows; the key is the username.
pub struct FakeAuth {
    users: HashMap<String, PushPermissions>,
    kept_alive: Arc<Mutex<Vec<String>>>,
}

#[async_trait]
impl SocketAuthenticator for FakeAuth {
    async fn verify(&self, access_key_id: &str, token: &str) -> Option<SocketUser> {
        let permissions = self.users.get(access_key_id)?;
        (token == format!("tok-{access_key_id}")).then(|| SocketUser {
            username: access_key_id.to_owned(),
            permissions: *permissions,
        })
    }

    async fn keep_alive(&self, access_key_id: &str, token: &str) {
        self.kept_alive
            .lock()
            .expect("lock")
            .push(format!("{access_key_id}:{token}"));
    }
}

/// A running push server.
pub struct TestServer {
    pub addr: SocketAddr,
    pub hub: PushHub,
    pub shutdown: CancellationToken,
    /// `key:token` of every keep-alive call, in order.
    pub kept_alive: Arc<Mutex<Vec<String>>>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Permissions helpers.
pub fn perms() -> PushPermissions {
    PushPermissions::default()
}

/// Starts a server knowing `users` with `config`.
pub async fn spawn_push(users: &[(&str, PushPermissions)], config: PushConfig) -> TestServer {
    spawn_push_logging(users, config, Logger::root(slog::Discard, o!())).await
}

/// [`spawn_push`] logging to `log`.
pub async fn spawn_push_logging(
    users: &[(&str, PushPermissions)],
    config: PushConfig,
    log: Logger,
) -> TestServer {
    let auth = FakeAuth {
        users: users
            .iter()
            .map(|(name, p)| ((*name).to_owned(), *p))
            .collect(),
        kept_alive: Arc::default(),
    };
    let kept_alive = Arc::clone(&auth.kept_alive);
    let routes = warp::path("hello").map(|| "hi from warp");
    let limits = ServeLimits::new(&config);
    let (svc, hub) = build(warp::service(routes), Arc::new(auth), config, log.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    let shutdown = CancellationToken::new();
    tokio::spawn(serve(listener, svc, shutdown.clone(), limits, log));
    TestServer {
        addr,
        hub,
        shutdown,
        kept_alive,
    }
}

/// Default test config: production values but a short login timeout.
pub fn config() -> PushConfig {
    PushConfig {
        login_timeout: Duration::from_secs(30),
        ..PushConfig::default()
    }
}
