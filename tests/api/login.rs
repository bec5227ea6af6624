//! Login: the 401-with-nonce success, the failure modes, rate limiting.

use crate::helpers::*;
use nethcti_server::domain::auth::RateLimitPolicy;
use serde_json::{json, Value};

#[tokio::test]
async fn json_login_answers_401_with_a_digest_nonce_and_the_token_works() {
    let app = spawn_app().await;
    let resp = app.login_raw("alice", ALICE_PW, false).await;
    assert_eq!(resp.status(), 401);
    let nonce = nonce_of(&resp).expect("WWW-Authenticate: Digest <nonce>");
    assert_eq!(nonce.len(), 40);
    assert!(nonce
        .bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    assert_eq!(resp.text().await.expect("body"), "");
    let auth = format!("alice:{}", token("alice", ALICE_PW, &nonce));
    let me = app.get("/user/me", &auth).await;
    assert_eq!(me.status(), 200);
    let v: Value = me.json().await.expect("json");
    assert_eq!(v["username"], "alice");
}

#[tokio::test]
async fn form_charset_json_and_query_string_logins_work() {
    let app = spawn_app().await;
    let form = app
        .client
        .post(app.url("/authentication/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("username=alice&password=S3cret%21")
        .send()
        .await
        .expect("form");
    assert!(nonce_of(&form).is_some());
    let charset = app
        .client
        .post(app.url("/authentication/login"))
        .header("Content-Type", "application/json;charset=UTF-8")
        .body(r#"{"username":"alice","password":"S3cret!","extra":1}"#)
        .send()
        .await
        .expect("charset");
    assert!(nonce_of(&charset).is_some());
    let query = app
        .client
        .post(app.url("/authentication/login?username=alice&password=S3cret%21"))
        .send()
        .await
        .expect("query");
    assert_eq!(query.status(), 401);
    assert!(nonce_of(&query).is_some());
}

#[tokio::test]
async fn extension_number_login_files_the_token_under_the_extension() {
    let app = spawn_app().await;
    let resp = app.login_raw("91201", ALICE_PW, false).await;
    let nonce = nonce_of(&resp).expect("nonce");
    let auth = format!("91201:{}", token("91201", ALICE_PW, &nonce));
    let v: Value = app.get("/user/me", &auth).await.json().await.expect("json");
    assert_eq!(v["username"], "alice");
    // the same token under the username is not valid: the key is the extension
    let wrong = format!("alice:{}", token("91201", ALICE_PW, &nonce));
    assert_eq!(app.get("/user/me", &wrong).await.status(), 401);
}

#[tokio::test]
async fn user_at_domain_login_in_any_case_works() {
    let app = spawn_app().await;
    let auth = app.login("Alice@example.com", ALICE_PW).await;
    let v: Value = app.get("/user/me", &auth).await.json().await.expect("json");
    assert_eq!(v["username"], "alice");
}

#[tokio::test]
async fn wrong_password_is_401_without_www_authenticate() {
    let app = spawn_app().await;
    let resp = app.login_raw("alice", "nope", false).await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().get("www-authenticate").is_none());
    let v: Value = resp.json().await.expect("json");
    assert_eq!(
        v,
        json!({"code": "Unauthorized", "message": "unauthorized"})
    );
}

#[tokio::test]
async fn missing_fields_are_401_without_nonce() {
    let app = spawn_app().await;
    for body in [
        json!({}),
        json!({"username": "alice"}),
        json!({"username": "", "password": "x"}),
        json!({"username": 5, "password": ALICE_PW}),
    ] {
        let resp = app
            .client
            .post(app.url("/authentication/login"))
            .json(&body)
            .send()
            .await
            .expect("login");
        assert_eq!(resp.status(), 401, "{body}");
        assert!(resp.headers().get("www-authenticate").is_none());
    }
}

#[tokio::test]
async fn user_without_profile_gets_401_with_code_header() {
    let app = spawn_app().await;
    let resp = app.login_raw("carol", "c", false).await;
    assert_eq!(resp.status(), 401);
    assert_eq!(resp.headers()["message"], "user carol is not configured");
    assert_eq!(resp.headers()["code"], "1");
    assert!(resp.headers().get("www-authenticate").is_none());
}

#[tokio::test]
async fn login_before_the_first_pbx_load_is_503() {
    let app = spawn_app_with(TestOptions {
        ready: false,
        ..TestOptions::default()
    })
    .await;
    let resp = app.login_raw("alice", ALICE_PW, false).await;
    assert_eq!(resp.status(), 503);
    assert_eq!(
        resp.headers()["error"],
        "service not ready: user component not configured - possible asterisk delay"
    );
}

#[tokio::test]
async fn repeated_failures_are_rate_limited_with_retry_after() {
    let app = spawn_app_with(TestOptions {
        rate_limit: RateLimitPolicy {
            max_failures: 3,
            window_ms: 60_000,
            max_entries: 100,
        },
        ..TestOptions::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.login_raw("alice", "bad", false).await.status(), 401);
    }
    app.clock.advance_ms(10_000);
    let resp = app.login_raw("alice", ALICE_PW, false).await;
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["retry-after"], "50");
    assert!(resp.headers().get("www-authenticate").is_none());
    app.clock.advance_ms(50_000);
    assert!(nonce_of(&app.login_raw("alice", ALICE_PW, false).await).is_some());
}

#[tokio::test]
async fn malformed_json_body_is_400_with_json_error() {
    let app = spawn_app().await;
    let resp = app
        .client
        .post(app.url("/authentication/login"))
        .header("Content-Type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .expect("login");
    assert_eq!(resp.status(), 400);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["code"], "InvalidContent");
    assert!(v["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("Invalid JSON")));
}
