//! The operation routes mounted behind the real auth gate: the caller is built from the
//! token's user, users.json and profiles.json; commands reach the PBX port.

use async_trait::async_trait;
use nethcti_server::adapters::fake_pbx::FakePbx;
use nethcti_server::adapters::http::operations::glue::operations_routes;
use nethcti_server::adapters::http::{
    api, finish, AuthService, AuthSettings, Directory, HttpApp, HttpLimits, MemorySwitchboard,
};
use nethcti_server::app::operations::{Bounds, NoHooks, OperationsDeps, OperationsService};
use nethcti_server::domain::directory::{AstObjects, Profiles, Users};
use nethcti_server::domain::operations::memory_view::MemoryView;
use nethcti_server::domain::operations::{ChannelInfo, ConversationInfo, ExtensionInfo, OpsConfig};
use nethcti_server::ports::clock::ManualClock;
use nethcti_server::ports::credentials::{Credentials, CredentialsError};
use nethcti_server::ports::pbx::PbxCommand;
use nethcti_server::ports::phone_api::{PhoneApi, PhoneApiError};
use serde_json::json;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};

struct NoCredentials;

#[async_trait]
impl Credentials for NoCredentials {
    async fn check(&self, _u: &str, _p: &str) -> Result<bool, CredentialsError> {
        Ok(false)
    }
}

struct NoPhone;

#[async_trait]
impl PhoneApi for NoPhone {
    async fn get(&self, _url: &str) -> Result<u16, PhoneApiError> {
        Err(PhoneApiError::Timeout)
    }
}

const CONV: &str = "PJSIP/201-00000012>PJSIP/202-00000013";

fn directory() -> Directory {
    Directory {
        users: Users::from_json(&json!({
            "alice": {"name": "Alice", "profile_id": "1", "endpoints": {"mainextension": {"201": {}}}},
            "bob": {"name": "Bob", "profile_id": "1", "endpoints": {"mainextension": {"202": {}}}}
        }))
        .expect("users"),
        profiles: Profiles::from_json(&json!({"1": {"id": "1", "name": "basic", "macro_permissions": {
            "settings": {"value": true, "permissions": [{"id": "1", "name": "dnd", "value": false}]}
        }}}))
        .expect("profiles"),
        ast_objects: AstObjects::default(),
    }
}

fn model() -> MemoryView {
    let mut v = MemoryView::default();
    for e in ["201", "202"] {
        v.extensions.insert(
            e.into(),
            ExtensionInfo {
                exten: e.into(),
                context: "from-internal".into(),
                status: "busy".into(),
                ..ExtensionInfo::default()
            },
        );
    }
    v.add_conversation(ConversationInfo {
        id: CONV.into(),
        owner: "201".into(),
        source: Some(ChannelInfo {
            channel: "PJSIP/201-00000012".into(),
            caller_num: "201".into(),
            bridged_channel: "PJSIP/202-00000013".into(),
            bridged_num: "202".into(),
        }),
        dest: Some(ChannelInfo {
            channel: "PJSIP/202-00000013".into(),
            caller_num: "202".into(),
            bridged_channel: "PJSIP/201-00000012".into(),
            bridged_num: "201".into(),
        }),
        connected: true,
        ..ConversationInfo::default()
    });
    v
}

struct Harness {
    routes: warp::filters::BoxedFilter<(warp::reply::Response,)>,
    pbx: Arc<FakePbx>,
    token: String,
}

async fn harness() -> Harness {
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let clock = Arc::new(ManualClock::new(1_712_051_000_000));
    let pbx = Arc::new(FakePbx::new());
    let auth = AuthService::new(
        AuthSettings::default(),
        Arc::new(NoCredentials),
        None,
        clock.clone(),
        log.clone(),
    )
    .expect("auth");
    let token = auth
        .mint_persistent("alice", "secret", None)
        .await
        .expect("token");
    let app = Arc::new(HttpApp {
        auth,
        directory: RwLock::new(Arc::new(directory())),
        config: RwLock::new(Arc::default()),
        view: Arc::new(MemorySwitchboard::new()),
        pbx: pbx.clone(),
        clock: clock.clone(),
        ready: Arc::new(AtomicBool::new(true)),
        settings: Default::default(),
        counters: Arc::default(),
        started_ms: 0,
        limits: HttpLimits::default(),
        push: Default::default(),
        log: log.clone(),
    });
    let svc = Arc::new(OperationsService::new(OperationsDeps {
        pbx: pbx.clone(),
        phone: Arc::new(NoPhone),
        view: Arc::new(model()),
        hooks: Arc::new(NoHooks),
        clock,
        config: Arc::new(OpsConfig::default()),
        bounds: Bounds::default(),
        log,
    }));
    let routes = finish(
        api(app.clone())
            .or(operations_routes(app.clone(), svc))
            .unify()
            .boxed(),
        app,
    )
    .boxed();
    Harness { routes, pbx, token }
}

use warp::Filter as _;

async fn post(
    h: &Harness,
    path: &str,
    auth: Option<&str>,
    body: serde_json::Value,
) -> (u16, String) {
    let mut req = warp::test::request()
        .method("POST")
        .path(path)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let resp = req.reply(&h.routes).await;
    (
        resp.status().as_u16(),
        String::from_utf8_lossy(resp.body()).into_owned(),
    )
}

#[tokio::test]
async fn an_authenticated_owner_hangs_up_through_the_gate() {
    let h = harness().await;
    let auth = format!("alice:{}", h.token);
    let (status, body) = post(
        &h,
        "/astproxy/hangup",
        Some(&auth),
        json!({"convid": CONV, "endpointId": "201"}),
    )
    .await;
    assert_eq!((status, body.as_str()), (200, ""));
    assert_eq!(
        h.pbx.commands(),
        vec![PbxCommand::Hangup {
            channel: "PJSIP/201-00000012".into(),
            cause: None
        }]
    );
}

#[tokio::test]
async fn the_gate_and_the_profile_still_apply() {
    let h = harness().await;
    let (status, _) = post(
        &h,
        "/astproxy/hangup",
        None,
        json!({"convid": CONV, "endpointId": "201"}),
    )
    .await;
    assert_eq!(status, 401, "no token");
    let (status, _) = post(
        &h,
        "/astproxy/hangup",
        Some("alice:0000"),
        json!({"convid": CONV, "endpointId": "201"}),
    )
    .await;
    assert_eq!(status, 401, "wrong token");
    let auth = format!("alice:{}", h.token);
    let (status, body) = post(
        &h,
        "/astproxy/hangup",
        Some(&auth),
        json!({"convid": CONV, "endpointId": "202"}),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (403, r#"{"code":"Forbidden","message":"permission denied"}"#)
    );
    let (status, body) = post(
        &h,
        "/astproxy/dnd",
        Some(&auth),
        json!({"endpoint": "201", "status": "on"}),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (403, r#"{"code":"Forbidden","message":"permission denied"}"#),
        "dnd permission off"
    );
    let (status, _) = post(
        &h,
        "/astproxy/unauthe_call",
        None,
        json!({"endpointId": "201", "number": "202"}),
    )
    .await;
    assert_eq!(status, 401, "unauthe_call disabled by default");
    assert_eq!(h.pbx.commands(), vec![]);
}
