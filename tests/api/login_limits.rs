//! Login rate-limit bypasses closed: the username limit follows the canonical user, a full
//! limiter never forgets a lock, and the per-IP limit uses the peer address (or the address
//! a local proxy appended), not the client-controlled head of `X-Forwarded-For`.

use crate::helpers::*;
use nethcti_server::adapters::http::routes;
use nethcti_server::domain::auth::RateLimitPolicy;
use serde_json::json;
use std::net::SocketAddr;

fn limited(max_failures: u32, max_entries: usize) -> TestOptions {
    TestOptions {
        rate_limit: RateLimitPolicy {
            max_failures,
            window_ms: 60_000,
            max_entries,
        },
        ..TestOptions::default()
    }
}

/// A login through the routes as if it came from `peer`, with an optional `X-Forwarded-For`.
async fn login_from(
    app: &TestApp,
    peer: &str,
    xff: Option<&str>,
    username: &str,
    password: &str,
) -> http::Response<bytes::Bytes> {
    let peer: SocketAddr = peer.parse().expect("peer address");
    let mut req = warp::test::request()
        .method("POST")
        .path("/authentication/login")
        .extension(peer)
        .header("content-type", "application/json")
        .body(json!({"username": username, "password": password}).to_string());
    if let Some(xff) = xff {
        req = req.header("x-forwarded-for", xff);
    }
    req.reply(&routes(app.app.clone())).await
}

fn retry_after(resp: &http::Response<bytes::Bytes>) -> Option<&str> {
    resp.headers().get("retry-after")?.to_str().ok()
}

#[tokio::test]
async fn locking_a_user_also_locks_his_extension_and_domain_logins() {
    let app = spawn_app_with(limited(3, 100)).await;
    for _ in 0..3 {
        let r = login_from(&app, "203.0.113.1:1000", None, "alice", "bad").await;
        assert_eq!(r.status(), 401);
    }
    for (i, name) in ["201", "91201", "Alice", "alice@example.com"]
        .iter()
        .enumerate()
    {
        // a fresh IP each time: only the username limit can refuse
        let peer = format!("203.0.113.{}:1000", 10 + i);
        let r = login_from(&app, &peer, None, name, ALICE_PW).await;
        assert_eq!(r.status(), 429, "{name}");
        assert_eq!(retry_after(&r), Some("60"), "{name}");
    }
    // failures through the extension count for the user too
    app.clock.advance_ms(60_000);
    for _ in 0..3 {
        let r = login_from(&app, "203.0.113.2:1000", None, "201", "bad").await;
        assert_eq!(r.status(), 401);
    }
    let r = login_from(&app, "203.0.113.3:1000", None, "alice", ALICE_PW).await;
    assert_eq!(r.status(), 429);
    assert_eq!(retry_after(&r), Some("60"));
}

#[tokio::test]
async fn a_full_limiter_keeps_its_locks_and_refuses_new_names() {
    let app = spawn_app_with(limited(2, 2)).await;
    for _ in 0..2 {
        let r = login_from(&app, "203.0.113.1:1", None, "bob", "bad").await;
        assert_eq!(r.status(), 401);
    }
    // two more names from two more IPs: the unlocked entries make room, not bob's lock
    assert_eq!(
        login_from(&app, "203.0.113.2:1", None, "zed", "x")
            .await
            .status(),
        401
    );
    assert_eq!(
        login_from(&app, "203.0.113.3:1", None, "yan", "x")
            .await
            .status(),
        401
    );
    let r = login_from(&app, "203.0.113.4:1", None, "bob", BOB_PW).await;
    assert_eq!(r.status(), 429);
    assert_eq!(retry_after(&r), Some("60"));
    // lock yan (and its IP) too: both maps hold only locks now
    assert_eq!(
        login_from(&app, "203.0.113.3:1", None, "yan", "x")
            .await
            .status(),
        401
    );
    let r = login_from(&app, "203.0.113.5:1", None, "xavier", "x").await;
    assert_eq!(r.status(), 429);
    assert_eq!(retry_after(&r), Some("60"));
    let r = login_from(&app, "203.0.113.6:1", None, "bob", BOB_PW).await;
    assert_eq!(r.status(), 429);
    app.clock.advance_ms(60_000);
    let r = login_from(&app, "203.0.113.6:1", None, "bob", BOB_PW).await;
    assert_eq!(r.status(), 401);
    assert!(nonce_of_test(&r).is_some());
}

#[tokio::test]
async fn a_direct_client_is_limited_by_its_peer_address_whatever_it_forwards() {
    let app = spawn_app_with(limited(3, 100)).await;
    for (i, spoof) in ["1.1.1.1", "2.2.2.2", "3.3.3.3"].iter().enumerate() {
        let r = login_from(
            &app,
            "198.51.100.7:4000",
            Some(spoof),
            &format!("nobody{i}"),
            "x",
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = login_from(
        &app,
        "198.51.100.7:4001",
        Some("4.4.4.4"),
        "alice",
        ALICE_PW,
    )
    .await;
    assert_eq!(r.status(), 429);
    assert_eq!(retry_after(&r), Some("60"));
    // another peer is not affected
    let r = login_from(&app, "198.51.100.8:4000", None, "alice", ALICE_PW).await;
    assert_eq!(r.status(), 401);
    assert!(nonce_of_test(&r).is_some());
}

#[tokio::test]
async fn behind_the_local_proxy_the_appended_address_is_limited() {
    let app = spawn_app_with(limited(3, 100)).await;
    for (i, spoof) in ["1.1.1.1", "2.2.2.2", "3.3.3.3"].iter().enumerate() {
        let xff = format!("{spoof}, 198.51.100.7");
        let r = login_from(
            &app,
            "127.0.0.1:5000",
            Some(&xff),
            &format!("nobody{i}"),
            "x",
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = login_from(
        &app,
        "127.0.0.1:5000",
        Some("9.9.9.9, 198.51.100.7"),
        "alice",
        ALICE_PW,
    )
    .await;
    assert_eq!(r.status(), 429);
    assert_eq!(retry_after(&r), Some("60"));
    // the same forged head with another real client address passes
    let r = login_from(
        &app,
        "127.0.0.1:5000",
        Some("1.1.1.1, 198.51.100.9"),
        "alice",
        ALICE_PW,
    )
    .await;
    assert_eq!(r.status(), 401);
    assert!(nonce_of_test(&r).is_some());
}

fn nonce_of_test(resp: &http::Response<bytes::Bytes>) -> Option<String> {
    let v = resp.headers().get("www-authenticate")?.to_str().ok()?;
    v.strip_prefix("Digest ").map(str::to_owned)
}

#[tokio::test]
async fn a_huge_unknown_username_is_logged_clipped() {
    let (log, captured) = crate::log_capture::Captured::logger();
    let app = spawn_app_with(TestOptions {
        log: Some(log),
        ..TestOptions::default()
    })
    .await;
    let name = "u".repeat(10_000);
    let r = login_from(&app, "203.0.113.1:1", None, &name, "x").await;
    assert_eq!(r.status(), 401);
    let lines = captured.with_msg("login refused: user not configured");
    assert_eq!(lines.len(), 1);
    let expected = format!("{}…", "u".repeat(64));
    assert_eq!(lines[0].get("user"), Some(expected.as_str()));
    assert_eq!(lines[0].get("ip"), Some("203.0.113.1"));
}
