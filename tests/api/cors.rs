//! CORS exactly as config.md §8.

use crate::helpers::*;

#[tokio::test]
async fn preflight_answers_any_path_and_method_with_the_exact_headers() {
    let app = spawn_app().await;
    for path in ["/user/me", "/nothing/at/all", "/authentication/login"] {
        let resp = app
            .client
            .request(reqwest::Method::OPTIONS, app.url(path))
            .header("Origin", "https://cti.example.com")
            .header("Access-Control-Request-Method", "DELETE")
            .send()
            .await
            .expect("preflight");
        assert_eq!(resp.status(), 200);
        let h = resp.headers();
        assert_eq!(h["access-control-allow-origin"], "*");
        assert_eq!(
            h["access-control-allow-methods"],
            "POST, GET, PUT, DELETE, OPTIONS"
        );
        assert_eq!(h["access-control-allow-credentials"], "true");
        assert_eq!(h["access-control-max-age"], "86400");
        assert_eq!(h["access-control-allow-headers"], "X-Requested-With, Access-Control-Allow-Origin, X-HTTP-Method-Override, Content-Type, Authorization, Accept, User, Secretkey, WWW-Authenticate");
        assert_eq!(resp.text().await.expect("t"), "");
    }
}

#[tokio::test]
async fn backend_replies_echo_the_origin_and_gate_refusals_do_not() {
    let app = spawn_app().await;
    let origin = "https://cti.example.com";
    let login = app
        .client
        .post(app.url("/authentication/login"))
        .header("Origin", origin)
        .json(&serde_json::json!({"username": "alice", "password": ALICE_PW}))
        .send()
        .await
        .expect("login");
    let nonce = nonce_of(&login).expect("nonce");
    assert_eq!(login.headers()["access-control-allow-origin"], origin);
    assert_eq!(login.headers()["access-control-allow-credentials"], "true");
    assert_eq!(login.headers()["access-control-expose-headers"],
        "WWW-Authenticate, api-version, content-length, content-md5, content-type, date, request-id, response-time");
    let auth = format!("alice:{}", token("alice", ALICE_PW, &nonce));
    let me = app
        .client
        .get(app.url("/user/me"))
        .header("Origin", origin)
        .header("Authorization", &auth)
        .send()
        .await
        .expect("me");
    assert_eq!(me.headers()["access-control-expose-headers"],
        "WWW-Authenticate, Authorization, api-version, content-length, content-md5, content-type, date, request-id, response-time");
    let prof = app
        .client
        .get(app.url("/profiling/all"))
        .header("Origin", origin)
        .send()
        .await
        .expect("p");
    assert_eq!(prof.headers()["access-control-expose-headers"],
        "Authorization, api-version, content-length, content-md5, content-type, date, request-id, response-time");
    let denied = app
        .client
        .get(app.url("/user/me"))
        .header("Origin", origin)
        .send()
        .await
        .expect("denied");
    assert_eq!(denied.status(), 401);
    assert!(denied
        .headers()
        .get("access-control-allow-origin")
        .is_none());
    let no_origin = app.get("/user/me", &auth).await;
    assert!(no_origin
        .headers()
        .get("access-control-allow-origin")
        .is_none());
}
