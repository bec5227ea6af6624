//! The daemon's listeners hand the peer address to the REST adapter: behind the local
//! proxy (loopback peer) the login limit is keyed by the address the proxy appended to
//! `X-Forwarded-For`, so failures from one client lock it out and not its neighbours.

#[path = "support/daemon.rs"]
mod daemon;

use std::sync::Arc;

use daemon::start_daemon;
use nethcti_server::ports::clock::ManualClock;
use serde_json::json;

async fn login(d: &daemon::Daemon, xff: &str, user: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/authentication/login", d.rest))
        .header("X-Forwarded-For", xff)
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .expect("login request")
}

#[tokio::test]
async fn the_proxy_appended_address_is_rate_limited_through_the_real_listener() {
    let d = start_daemon(Some(Arc::new(ManualClock::new(1_700_000_000_000)))).await;
    // the default policy: 10 failures a minute
    for i in 0..10 {
        let r = login(
            &d,
            &format!("10.0.0.{i}, 198.51.100.7"),
            &format!("nobody{i}"),
            "x",
        )
        .await;
        assert_eq!(r.status().as_u16(), 401);
    }
    let r = login(&d, "10.0.0.99, 198.51.100.7", "alice", "alice").await;
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("60")
    );
    let r = login(&d, "10.0.0.1, 198.51.100.8", "alice", "alice").await;
    assert_eq!(r.status().as_u16(), 401);
    assert!(r.headers().get("www-authenticate").is_some());
}
