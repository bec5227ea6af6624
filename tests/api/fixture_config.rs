//! The same API over the repository's `fixtures/config` set (loaded by the config
//! adapter, real argon2 hashes from passwords.json): exact JSON for its users.

use crate::helpers::*;
use nethcti_server::adapters::http::{ExtenState, MemorySwitchboard};
use serde_json::{json, Value};

const YEALINK: &str = "Yealink SIP-T46U 108.86.0.45";

fn fill(view: &MemorySwitchboard) {
    let st = |status: &str, ua: &str| ExtenState {
        status: status.into(),
        user_agent: ua.into(),
        ..ExtenState::default()
    };
    view.set_extension(
        "201",
        ext_json("201", "Alice Rossi", "online", ""),
        st("online", ""),
    );
    view.set_extension(
        "211",
        ext_json("211", "Mallory Costa", "online", ""),
        st("online", ""),
    );
    view.set_extension(
        "91211",
        ext_json("91211", "Mallory Costa", "busy", ""),
        st("busy", YEALINK),
    );
    view.set_queue(
        "401",
        json!({"name": "Support", "queue": "401", "members": {}, "waitingCallers": {}}),
    );
}

async fn fixture_app() -> TestApp {
    spawn_app_from(TestOptions::default(), fixture_inputs(), fill).await
}

#[tokio::test]
async fn fixture_users_log_in_by_name_domain_and_extension() {
    let app = fixture_app().await;
    for name in ["alice", "alice@example.com", "201", "91201"] {
        let auth = app.login(name, "alice").await;
        let v: Value = app.get("/user/me", &auth).await.json().await.expect("json");
        assert_eq!(v["username"], "alice", "{name}");
        assert_eq!(v["recallOnBusy"], "enabled");
    }
    assert!(nonce_of(&app.login_raw("alice", "bob", false).await).is_none());
}

#[tokio::test]
async fn user_me_of_a_basic_profile_user_is_exact() {
    let app = fixture_app().await;
    let auth = app.login("mallory", "mallory").await;
    let text = app.get("/user/me", &auth).await.text().await.expect("text");
    let phys = json!({"id": "91211", "type": "physical", "description": YEALINK,
        "actions": {"answer": true, "dtmf": true, "hold": true}, "proxy_port": null});
    let profile: Value = serde_json::from_str(r#"{"id":"3","name":"Basic","macro_permissions":{"settings":{"value":true,"permissions":{"call_waiting":{"id":"1","name":"call_waiting","value":true},"dnd":{"id":"2","name":"dnd","value":true},"call_forward":{"id":"3","name":"call_forward","value":true},"recording":{"id":"4","name":"recording","value":false},"conference":{"id":"5","name":"conference","value":false},"parkings":{"id":"6","name":"parkings","value":false},"chat":{"id":"7","name":"chat","value":false},"privacy":{"id":"9","name":"privacy","value":true},"screen_sharing":{"id":"27","name":"screen_sharing","value":false},"phone_buttons":{"id":"30","name":"phone_buttons","value":false},"video_conference":{"id":"31","name":"video_conference","value":false}}},"phonebook":{"value":true,"permissions":{"ad_phonebook":{"id":"12","name":"ad_phonebook","value":false}}},"cdr":{"value":true,"permissions":{"ad_cdr":{"id":"13","name":"ad_cdr","value":false},"group_cdr":{"id":"32","name":"group_cdr","value":false}}},"customer_card":{"value":false,"permissions":{"14":{"id":"14","name":"identity","value":false}}},"presence_panel":{"value":true,"permissions":{"spy":{"id":"15","name":"spy","value":false},"intrude":{"id":"16","name":"intrude","value":false},"ad_recording":{"id":"17","name":"ad_recording","value":false},"pickup":{"id":"18","name":"pickup","value":false},"transfer":{"id":"19","name":"transfer","value":false},"ad_parking":{"id":"20","name":"ad_parking","value":false},"hangup":{"id":"21","name":"hangup","value":false},"trunks":{"id":"22","name":"trunks","value":false},"ad_phone":{"id":"26","name":"ad_phone","value":false}}},"queue_agent":{"value":false,"permissions":{"ad_queue_agent":{"id":"23","name":"ad_queue_agent","value":false},"lost_queue_call":{"id":"24","name":"lost_queue_call","value":false}}},"streaming":{"value":false,"permissions":{"vs_gate1":{"id":"40","name":"vs_gate1","value":false},"vs_door2":{"id":"41","name":"vs_door2","value":false}}},"off_hour":{"value":false,"permissions":{"ad_off_hour":{"id":"25","name":"ad_off_hour","value":false},"advanced_off_hour":{"id":"28","name":"advanced_off_hour","value":false}}},"qmanager":{"value":false,"permissions":{"qmanager_401":{"id":"50","name":"qmanager_401","value":false},"qmanager_402":{"id":"51","name":"qmanager_402","value":false}}},"operator_panel":{"value":false,"permissions":{"in_queue_401":{"id":"60","name":"in_queue_401","value":false},"waiting_queue_1":{"id":"61","name":"waiting_queue_1","value":false}}}}}"#).expect("profile");
    let expected = json!({
        "name": "Mallory Costa", "username": "mallory", "mainPresence": "busy", "presence": "online",
        "presenceOnBusy": "online", "presenceOnUnavailable": "online", "recallOnBusy": "disabled",
        "endpoints": {"email": [{"id": "mallory@example.com"}], "jabber": [], "extension": [phys.clone()],
            "cellphone": [], "voicemail": [{"id": "211"}], "mainextension": [{"id": "211", "description": ""}]},
        "profile": profile,
        "default_device": phys,
        "settings": {}
    });
    assert_eq!(text, expected.to_string());
}

#[tokio::test]
async fn fixture_permissions_and_small_reads() {
    let app = fixture_app().await;
    let mallory = app.login("mallory", "mallory").await;
    let bob = app.login("bob", "bob").await;
    assert_eq!(
        app.get("/user/presencelist", &mallory)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!(["online", "dnd", "callforward", "voicemail"])
    );
    for path in [
        "/astproxy/queues",
        "/astproxy/trunks",
        "/astproxy/parkings",
        "/astproxy/opdata",
    ] {
        assert_eq!(app.get(path, &mallory).await.status(), 403, "{path}");
    }
    assert_eq!(
        app.get("/astproxy/queues", &bob)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"401": {"name": "Support", "queue": "401", "members": {}, "waitingCallers": {}}})
    );
    assert_eq!(
        app.get("/astproxy/opgroups", &bob)
            .await
            .text()
            .await
            .expect("t"),
        json!({"Support team": {"users": ["alice", "bob", "carol", "dave"]},
               "Sales team": {"users": ["erin", "frank", "grace", "heidi"]},
               "Management": {"users": ["alice", "walter"]}})
        .to_string()
    );
    assert_eq!(
        app.get("/astproxy/prefix", &bob)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"prefix": ""})
    );
    assert_eq!(
        app.get("/astproxy/feature_codes", &bob)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"confbridge_conf": "*88", "dnd_toggle": "*76", "incall_audio": "*77", "meetme_conf": "*88",
               "pickup": "*8", "que_toggle": "*45"})
    );
    let all: Value = app
        .get("/user/endpoints/all", &bob)
        .await
        .json()
        .await
        .expect("j");
    assert_eq!(all.as_object().map(|m| m.len()), Some(20));
    assert_eq!(
        all["alice"]["endpoints"]["extension"][1],
        json!({"id": "92201", "type": "webrtc", "secret": "", "username": "92201", "description": ""})
    );
}

fn fixture_ports(
    clock: std::sync::Arc<nethcti_server::ports::clock::ManualClock>,
) -> nethcti_server::adapters::http::from_config::HttpPorts {
    use std::sync::Arc;
    let view = Arc::new(MemorySwitchboard::new());
    fill(&view);
    nethcti_server::adapters::http::from_config::HttpPorts {
        view,
        pbx: Arc::new(nethcti_server::adapters::fake_pbx::FakePbx::new()),
        clock,
        ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
        counters: Default::default(),
    }
}

#[tokio::test]
async fn build_app_and_serve_from_the_fixture_set() {
    use nethcti_server::adapters::http::{from_config, serve};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    let cfg = nethcti_server::adapters::config::load(&dir).expect("config");
    let state = tempfile::tempdir().expect("state");
    let clock = std::sync::Arc::new(nethcti_server::ports::clock::ManualClock::new(T0));
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let app =
        from_config::build_app(&cfg, fixture_ports(clock), state.path(), None, log).expect("build");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve(app, listener, async {
        let _ = rx.await;
    }));
    let client = reqwest::Client::new();
    let resp = client
        .post(format!("{base}/authentication/login"))
        .json(&json!({"username": "walter", "password": "walter"}))
        .send()
        .await
        .expect("login");
    let nonce = nonce_of(&resp).expect("nonce");
    let me: Value = client
        .get(format!("{base}/user/me"))
        .header(
            "Authorization",
            format!("walter:{}", token("walter", "walter", &nonce)),
        )
        .send()
        .await
        .expect("me")
        .json()
        .await
        .expect("json");
    assert_eq!(me["name"], "Walter Mancini");
    let _ = tx.send(());
    server.await.expect("server stopped");
}

#[tokio::test(start_paused = true)]
async fn the_sweeper_drops_expired_tokens() {
    use nethcti_server::adapters::http::auth_service::LoginRequest;
    use nethcti_server::adapters::http::{from_config, run_sweeper};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    let cfg = nethcti_server::adapters::config::load(&dir).expect("config");
    let state = tempfile::tempdir().expect("state");
    let clock = std::sync::Arc::new(nethcti_server::ports::clock::ManualClock::new(T0));
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let app = from_config::build_app(&cfg, fixture_ports(clock.clone()), state.path(), None, log)
        .expect("build");
    let req = LoginRequest {
        username: "zoe".into(),
        password: "zoe".into(),
        persistent: false,
        client_ip: None,
    };
    app.auth
        .login(&app.directory(), true, &req)
        .await
        .expect("login");
    clock.advance_ms(3_600_001);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let sweeper = tokio::spawn(run_sweeper(
        app.clone(),
        std::time::Duration::from_secs(60),
        async {
            let _ = rx.await;
        },
    ));
    tokio::time::sleep(std::time::Duration::from_secs(61)).await;
    assert_eq!(app.auth.sweep(), 0, "the sweeper already removed it");
    let _ = tx.send(());
    sweeper.await.expect("sweeper stopped");
}
