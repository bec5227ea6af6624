//! Token checks: malformed headers, expiry and sliding refresh, logout, persistent and
//! phone-island tokens, limits on headers and bodies.

use crate::helpers::*;
use serde_json::{json, Value};

#[tokio::test]
async fn missing_empty_or_malformed_authorization_is_401() {
    let app = spawn_app().await;
    let auth = app.login("alice", ALICE_PW).await;
    let tok = auth.split(':').nth(1).expect("token").to_owned();
    let no_header = app
        .client
        .get(app.url("/user/me"))
        .send()
        .await
        .expect("req");
    assert_eq!(no_header.status(), 401);
    for bad in [
        "",
        "alice",
        ":",
        &format!(":{tok}"),
        "alice:",
        "bob:0000",
        &format!("bob:{tok}"),
        &format!("Alice:{tok}"),
    ] {
        let resp = app.get("/user/me", bad).await;
        assert_eq!(resp.status(), 401, "{bad:?}");
        assert!(resp.headers().get("access-control-allow-origin").is_none());
    }
    let v: Value = app
        .get("/user/me", "alice")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        v,
        json!({"code": "Unauthorized", "message": "unauthorized"})
    );
}

#[tokio::test]
async fn token_expires_after_the_lifetime_and_each_use_slides_it() {
    let app = spawn_app_with(TestOptions {
        lifetime_secs: 60,
        ..TestOptions::default()
    })
    .await;
    let auth = app.login("alice", ALICE_PW).await;
    app.clock.advance_ms(59_000);
    assert_eq!(app.get("/user/me", &auth).await.status(), 200);
    app.clock.advance_ms(59_000); // 118 s after login, 59 s after last use
    assert_eq!(app.get("/user/me", &auth).await.status(), 200);
    app.clock.advance_ms(60_001);
    assert_eq!(app.get("/user/me", &auth).await.status(), 401);
    // deleted: moving back does not revive it
    app.clock.advance_ms(-60_000);
    assert_eq!(app.get("/user/me", &auth).await.status(), 401);
}

#[tokio::test]
async fn a_huge_expiration_timeout_does_not_overflow() {
    let app = spawn_app_with(TestOptions {
        lifetime_secs: u64::MAX,
        ..TestOptions::default()
    })
    .await;
    let auth = app.login("alice", ALICE_PW).await;
    app.clock.advance_ms(i64::MAX / 2);
    assert_eq!(app.get("/user/me", &auth).await.status(), 200);
}

#[tokio::test]
async fn logout_revokes_the_presented_token_only() {
    let app = spawn_app().await;
    let a1 = app.login("alice", ALICE_PW).await;
    let a2 = app.login("alice", ALICE_PW).await;
    let resp = app
        .client
        .post(app.url("/authentication/logout"))
        .header("Authorization", &a1)
        .send()
        .await
        .expect("logout");
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.expect("body"), "");
    assert_eq!(app.get("/user/me", &a1).await.status(), 401);
    assert_eq!(app.get("/user/me", &a2).await.status(), 200);
}

#[tokio::test]
async fn persistent_token_survives_a_restart_and_is_stored_hashed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let opts = TestOptions {
        state_dir: Some(dir.path().to_path_buf()),
        ..TestOptions::default()
    };
    let app = spawn_app_with(opts.clone()).await;
    let resp = app.login_raw("alice", ALICE_PW, true).await;
    let nonce = nonce_of(&resp).expect("nonce");
    let tok = token("alice", ALICE_PW, &nonce);
    let auth = format!("alice:{tok}");
    assert_eq!(app.get("/user/me", &auth).await.status(), 200);
    app.stop().await;

    let file =
        std::fs::read_to_string(dir.path().join("persistent_tokens.json")).expect("state file");
    assert!(!file.contains(&tok));
    assert!(file.contains("\"alice\""));

    let app = spawn_app_with(opts).await;
    app.clock.advance_ms(10 * 365 * 86_400_000);
    assert_eq!(app.get("/user/me", &auth).await.status(), 200);
    // logout with Auth-Exp removes it, also from disk
    let out = app
        .client
        .post(app.url("/authentication/logout"))
        .header("Authorization", &auth)
        .header("Auth-Exp", "no-exp")
        .send()
        .await
        .expect("logout");
    assert_eq!(out.status(), 200);
    assert_eq!(app.get("/user/me", &auth).await.status(), 401);
    let file =
        std::fs::read_to_string(dir.path().join("persistent_tokens.json")).expect("state file");
    assert_eq!(file, r#"{"version":1,"tokens":{}}"#);
}

#[tokio::test]
async fn phone_island_token_authenticates_and_can_be_checked_and_removed() {
    let app = spawn_app().await;
    let auth = app.login("alice", ALICE_PW).await;
    let check = |a: String| {
        let app = &app;
        async move {
            app.get("/authentication/phone_island_token_check", &a)
                .await
                .json::<Value>()
                .await
                .expect("json")
        }
    };
    assert_eq!(check(auth.clone()).await, json!({"exists": false}));
    let resp = app
        .post_json(
            "/authentication/phone_island_token_login",
            &auth,
            json!({"subtype": "user"}),
        )
        .await;
    assert_eq!(resp.status(), 200);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["username"], "alice");
    let pi = v["token"].as_str().expect("token").to_owned();
    assert_eq!(pi.len(), 40);
    let pi_auth = format!("alice:{pi}");
    app.clock.advance_ms(100 * 86_400_000);
    assert_eq!(app.get("/user/me", &pi_auth).await.status(), 200);
    assert_eq!(
        app.get("/user/me", &auth).await.status(),
        401,
        "the login token expired"
    );
    assert_eq!(check(pi_auth.clone()).await, json!({"exists": true}));
    let bad = app
        .post_json(
            "/authentication/persistent_token_remove",
            &pi_auth,
            json!({"type": "x"}),
        )
        .await;
    assert_eq!(bad.status(), 400);
    let rm = app
        .post_json(
            "/authentication/persistent_token_remove",
            &pi_auth,
            json!({"type": "phone-island"}),
        )
        .await;
    assert_eq!(rm.status(), 200);
    assert_eq!(rm.json::<Value>().await.expect("json"), json!({}));
    assert_eq!(app.get("/user/me", &pi_auth).await.status(), 401);
}

#[tokio::test]
async fn persistent_token_login_mints_a_working_token() {
    let app = spawn_app().await;
    let auth = app.login("alice", ALICE_PW).await;
    let v: Value = app
        .post_json("/authentication/persistent_token_login", &auth, json!({}))
        .await
        .json()
        .await
        .expect("json");
    let t = v["token"].as_str().expect("token");
    assert_eq!(
        app.get("/user/me", &format!("alice:{t}")).await.status(),
        200
    );
}

#[tokio::test]
async fn huge_headers_and_bodies_get_a_clean_4xx() {
    let app = spawn_app().await;
    let huge_auth = format!("alice:{}", "a".repeat(8000));
    assert_eq!(app.get("/user/me", &huge_auth).await.status(), 401);
    let resp = app
        .client
        .post(app.url("/authentication/login"))
        .header("Content-Type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .expect("big body");
    assert_eq!(resp.status(), 413);
    let giant = app
        .client
        .get(app.url("/user/me"))
        .header("X-Big", "b".repeat(1024 * 1024))
        .send()
        .await;
    if let Ok(r) = giant {
        assert!(r.status().is_client_error(), "{}", r.status());
    }
}

#[tokio::test]
async fn unknown_routes_are_401_without_token_and_404_with_one() {
    let app = spawn_app().await;
    let auth = app.login("alice", ALICE_PW).await;
    assert_eq!(
        app.client
            .get(app.url("/user/nothing"))
            .send()
            .await
            .expect("r")
            .status(),
        401
    );
    let resp = app.get("/user/nothing", &auth).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.json::<Value>().await.expect("json")["code"],
        "ResourceNotFound"
    );
}

#[tokio::test]
async fn socket_logins_use_the_same_tokens_and_identity() {
    use nethcti_server::adapters::http::socket_auth::AppSocketAuthenticator;
    use nethcti_server::adapters::push::{PushPermissions, SocketAuthenticator};
    let app = spawn_app().await;
    let sockets = AppSocketAuthenticator::new(app.app.clone());
    let resp = app.login_raw("91201", ALICE_PW, false).await;
    let tok = token("91201", ALICE_PW, &nonce_of(&resp).expect("nonce"));
    let user = sockets.verify("91201", &tok).await.expect("valid token");
    assert_eq!(user.username, "alice");
    assert_eq!(
        user.permissions,
        PushPermissions {
            presence_panel: true,
            queues: true,
            admin_queues: true,
            trunks: true,
            parkings: true,
            qmanager: false,
            screen_sharing: false,
            privacy: false,
        }
    );
    assert_eq!(sockets.verify("alice", &tok).await, None);
    assert_eq!(sockets.verify("91201", "").await, None);
}
