//! Route tests: every operation through warp with a recording fake PBX and fake phone;
//! exact PBX commands, each permission denial, each validation error (exact JSON).

use super::*;
use crate::app::operations::{Bounds, HookCall, OperationsDeps, RecordingHooks};
use crate::domain::directory::DeviceType;
use crate::domain::operations::memory_view::MemoryView;
use crate::domain::operations::phone_urls::PhoneUrls;
use crate::domain::operations::{
    C2cMode, ChannelInfo, ConfUserInfo, ConferenceInfo, ConversationInfo, Effect, ExtensionInfo,
    Grants, OpsConfig, Recording,
};
use crate::ports::clock::ManualClock;
use crate::ports::pbx::{AudioDirection, Pbx, PbxCommand, PbxError, PbxReply};
use crate::ports::phone_api::{PhoneApi, PhoneApiError};
use async_trait::async_trait;
use serde_json::json;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// Recording fake PBX: scripted replies first, then defaults.
#[derive(Default)]
struct FakePbx {
    commands: Mutex<Vec<PbxCommand>>,
    replies: Mutex<VecDeque<Result<PbxReply, PbxError>>>,
    hang: bool,
}

#[async_trait]
impl Pbx for FakePbx {
    async fn execute(&self, command: PbxCommand) -> Result<PbxReply, PbxError> {
        self.commands.lock().expect("lock").push(command.clone());
        if self.hang {
            std::future::pending::<()>().await;
        }
        if let Some(r) = self.replies.lock().expect("lock").pop_front() {
            return r;
        }
        Ok(match command {
            PbxCommand::DbGet { .. } => PbxReply::Value(None),
            PbxCommand::Originate {
                wait_answer: true, ..
            } => PbxReply::Originated {
                uniqueid: "1712051000.55".into(),
            },
            _ => PbxReply::Done,
        })
    }
}

/// Fake phones: records URLs, answers a scripted status.
struct FakePhone {
    urls: Mutex<Vec<String>>,
    answer: Result<u16, PhoneApiError>,
}

#[async_trait]
impl PhoneApi for FakePhone {
    async fn get(&self, url: &str) -> Result<u16, PhoneApiError> {
        self.urls.lock().expect("lock").push(url.to_owned());
        self.answer.clone()
    }
}

/// A test identity filter yielding a fixed caller.
fn as_identity(
    caller: Caller,
) -> impl Filter<Extract = (Caller,), Error = Rejection> + Clone + Send + Sync + 'static {
    warp::any().and_then(move || {
        let c = caller.clone();
        async move { Ok::<_, Rejection>(c) }
    })
}

/// A gate letting everything through.
fn open_gate() -> impl Filter<Extract = (), Error = Rejection> + Clone + Send + Sync + 'static {
    warp::any()
        .and_then(|| async { Ok::<_, Rejection>(()) })
        .untuple_one()
}

const TRUNK_CONV: &str = "PJSIP/voip_provider-00000020>PJSIP/201-00000021";
const INTERNAL_CONV: &str = "PJSIP/202-00000070>PJSIP/203-00000071";
const RINGING_CONV: &str = "PJSIP/201-00000030>";

fn ch(channel: &str, num: &str, bridged: &str) -> Option<ChannelInfo> {
    Some(ChannelInfo {
        channel: channel.into(),
        caller_num: num.into(),
        bridged_channel: bridged.into(),
        bridged_num: String::new(),
    })
}

fn ext(n: &str, kind: Option<DeviceType>, ua: &str, status: &str) -> ExtensionInfo {
    ExtensionInfo {
        exten: n.into(),
        context: "from-internal".into(),
        status: status.into(),
        user_agent: ua.into(),
        ip: "192.168.5.163".into(),
        kind,
        name: format!("User {n}"),
        username: Some(if n.ends_with("201") { "alice" } else { "bob" }.into()),
        web_user: "admin".into(),
        web_password: "pw".into(),
    }
}

fn view() -> MemoryView {
    let mut v = MemoryView::default();
    for e in ["201", "202", "203"] {
        v.extensions.insert(e.into(), ext(e, None, "", "busy"));
    }
    v.extensions.insert(
        "91201".into(),
        ext(
            "91201",
            Some(DeviceType::Physical),
            "Yealink SIP-T46U 108.86.0.45",
            "online",
        ),
    );
    v.extensions.insert(
        "92201".into(),
        ext("92201", Some(DeviceType::Webrtc), "", "online"),
    );
    v.user_extensions.insert(
        "201".into(),
        vec!["201".into(), "91201".into(), "92201".into()],
    );
    v.add_conversation(ConversationInfo {
        id: TRUNK_CONV.into(),
        owner: "201".into(),
        source: ch(
            "PJSIP/voip_provider-00000020",
            "0721405516",
            "PJSIP/201-00000021",
        ),
        dest: ch("PJSIP/201-00000021", "201", "PJSIP/voip_provider-00000020"),
        incoming: true,
        connected: true,
        counterpart_num: "0721405516".into(),
        recording: Recording::Off,
    });
    v.add_conversation(ConversationInfo {
        id: RINGING_CONV.into(),
        owner: "201".into(),
        source: ch("PJSIP/201-00000030", "201", ""),
        ..Default::default()
    });
    for owner in ["202", "203"] {
        v.add_conversation(ConversationInfo {
            id: INTERNAL_CONV.into(),
            owner: owner.into(),
            source: ch("PJSIP/202-00000070", "202", "PJSIP/203-00000071"),
            dest: ch("PJSIP/203-00000071", "203", "PJSIP/202-00000070"),
            incoming: owner == "203",
            connected: true,
            counterpart_num: if owner == "202" { "203" } else { "202" }.into(),
            recording: Recording::On,
        });
    }
    v.parkings
        .insert("71".into(), Some("PJSIP/voip_provider-00000022".into()));
    v.parkings.insert("72".into(), None);
    v.queues
        .insert("401".into(), vec!["PJSIP/voip_provider-00000020".into()]);
    v.members
        .insert("401".into(), vec!["201".into(), "203".into()]);
    v.conferences.insert(
        "202".into(),
        ConferenceInfo {
            id: "202".into(),
            users: vec![
                ConfUserInfo {
                    id: "202-202".into(),
                    exten_id: "202".into(),
                    channel: "PJSIP/202-00000080".into(),
                },
                ConfUserInfo {
                    id: "202-203".into(),
                    exten_id: "203".into(),
                    channel: "PJSIP/203-00000071".into(),
                },
            ],
        },
    );
    v
}

fn all_grants() -> Grants {
    Grants {
        admin_hangup: true,
        admin_pickup: true,
        admin_transfer: true,
        admin_parkings: true,
        admin_phone: true,
        admin_recording: true,
        spy: true,
        intrude: true,
        recording: true,
        dnd: true,
        call_forward: true,
        op_parkings: true,
        queues: true,
        admin_queues: true,
        qmanager: true,
        qmanager_queues: vec!["401".into()],
    }
}

fn alice(grants: Grants) -> Caller {
    Caller {
        username: "alice".into(),
        extensions: vec!["201".into(), "91201".into(), "92201".into()],
        cellphones: vec!["3331234567".into()],
        voicemails: vec!["201".into()],
        default_extension: Some("201".into()),
        grants,
        recall_on_busy: true,
    }
}

fn phone_urls() -> PhoneUrls {
    PhoneUrls::from_json(&json!({"yealink": {"urls": {
        "call": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/servlet?key=number=$NUMBER&outgoing_uri=$ACCOUNT@$SERVER",
        "answer": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/servlet?key=OK",
        "hold_unhold": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/servlet?key=F_HOLD",
        "dtmf": "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/servlet?key=$TONE"}}}))
    .expect("urls")
}

struct World {
    pbx: Arc<FakePbx>,
    phone: Arc<FakePhone>,
    hooks: Arc<RecordingHooks>,
    svc: Arc<OperationsService>,
}

struct Setup {
    pbx: FakePbx,
    phone: Result<u16, PhoneApiError>,
    c2c: C2cMode,
    view: MemoryView,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            pbx: FakePbx::default(),
            phone: Ok(200),
            c2c: C2cMode::Automatic,
            view: view(),
        }
    }
}

fn world(s: Setup) -> World {
    let pbx = Arc::new(s.pbx);
    let phone = Arc::new(FakePhone {
        urls: Mutex::new(Vec::new()),
        answer: s.phone,
    });
    let hooks = Arc::new(RecordingHooks::default());
    let config = OpsConfig {
        prefix: "0039".into(),
        transfer_context: "from-internal-xfer".into(),
        pickup_code: "**".into(),
        conference_code: Some("*88".into()),
        queue_toggle_code: "*45".into(),
        c2c: s.c2c,
        server: "pbx.example.com".into(),
        phone_urls: phone_urls(),
    };
    let svc = Arc::new(OperationsService::new(OperationsDeps {
        pbx: pbx.clone(),
        phone: phone.clone(),
        view: Arc::new(s.view),
        hooks: hooks.clone(),
        clock: Arc::new(ManualClock::new(1_712_051_000_123)),
        config: Arc::new(config),
        bounds: Bounds {
            command: Duration::from_secs(2),
            call: Duration::from_secs(3),
            phone: Duration::from_secs(1),
            route: Duration::from_secs(5),
        },
        log: slog::Logger::root(slog::Discard, slog::o!()),
    }));
    World {
        pbx,
        phone,
        hooks,
        svc,
    }
}

impl World {
    fn commands(&self) -> Vec<PbxCommand> {
        self.pbx.commands.lock().expect("lock").clone()
    }

    fn urls(&self) -> Vec<String> {
        self.phone.urls.lock().expect("lock").clone()
    }

    async fn post(
        &self,
        grants: Grants,
        name: &str,
        body: serde_json::Value,
    ) -> (u16, String, Option<String>) {
        let caller = alice(grants);
        let f = operations_filter(self.svc.clone(), as_identity(caller));
        let resp = warp::test::request()
            .method("POST")
            .path(&format!("/astproxy/{name}"))
            .header("content-type", "application/json;charset=UTF-8")
            .body(body.to_string())
            .reply(&f)
            .await;
        let err = resp
            .headers()
            .get("error")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (
            resp.status().as_u16(),
            String::from_utf8_lossy(resp.body()).into_owned(),
            err,
        )
    }

    /// Posts with every permission and asserts a 200 with `body`.
    async fn ok(&self, name: &str, req: serde_json::Value, body: &str) -> Vec<PbxCommand> {
        let (status, got, _) = self.post(all_grants(), name, req).await;
        assert_eq!((status, got.as_str()), (200, body), "route {name}");
        self.commands()
    }
}

async fn run_ok(name: &str, req: serde_json::Value) -> Vec<PbxCommand> {
    world(Setup::default()).ok(name, req, "").await
}

fn originate(channel: &str, exten: &str, caller: &str) -> PbxCommand {
    PbxCommand::Originate {
        channel: channel.into(),
        context: "from-internal".into(),
        exten: exten.into(),
        priority: "1".into(),
        caller_id: Some(caller.into()),
        timeout_ms: Some(15_000),
        variables: vec![],
        wait_answer: true,
    }
}

fn redirect(channel: &str, exten: &str) -> PbxCommand {
    PbxCommand::Redirect {
        channel: channel.into(),
        extra_channel: None,
        context: "from-internal".into(),
        exten: exten.into(),
        priority: "1".into(),
    }
}

fn hangup(channel: &str) -> PbxCommand {
    PbxCommand::Hangup {
        channel: channel.into(),
        cause: None,
    }
}

const UNIQUEID: &str = r#"{"uniqueid":"1712051000.55"}"#;

// ---------------------------------------------------------------- calls

#[tokio::test]
async fn call_from_a_plain_extension_originates_with_prefix_and_answers_the_uniqueid() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "call",
            json!({"number": "+39 06-1234", "endpointId": "201"}),
            UNIQUEID,
        )
        .await;
    assert_eq!(cmds, vec![originate("PJSIP/201", "0039061234", "201")]);
}

#[tokio::test]
async fn call_accepts_the_misspelt_endpoint_tpe_and_defaults_to_the_default_extension() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "call",
            json!({"number": "202", "endpointId": "201", "endpointTpe": "extension"}),
            UNIQUEID,
        )
        .await;
    assert_eq!(cmds, vec![originate("PJSIP/201", "202", "201")]);
    let w = world(Setup::default());
    let cmds = w.ok("call", json!({"number": "0612345"}), UNIQUEID).await;
    assert_eq!(cmds, vec![originate("PJSIP/201", "00390612345", "201")]);
}

#[tokio::test]
async fn call_from_a_cellphone_uses_a_local_channel() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "call",
            json!({"number": "202", "endpointId": "3331234567", "endpointType": "cellphone"}),
            UNIQUEID,
        )
        .await;
    assert_eq!(
        cmds,
        vec![originate(
            "Local/3331234567@from-internal",
            "202",
            "3331234567"
        )]
    );
}

#[tokio::test]
async fn call_from_a_supported_phone_uses_its_http_api() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "call",
            json!({"number": "202", "endpointId": "91201"}),
            r#"{"phoneRespStatusCode":200}"#,
        )
        .await;
    assert_eq!(cmds, vec![]);
    assert_eq!(
        w.urls(),
        vec!["http://admin:pw@192.168.5.163/servlet?key=number=202&outgoing_uri=91201@pbx.example.com".to_owned()]
    );
}

#[tokio::test]
async fn call_falls_back_to_originate_when_the_phone_refuses() {
    let w = world(Setup {
        phone: Ok(401),
        ..Setup::default()
    });
    let cmds = w
        .ok(
            "call",
            json!({"number": "202", "endpointId": "91201"}),
            UNIQUEID,
        )
        .await;
    assert_eq!(cmds, vec![originate("PJSIP/91201", "202", "91201")]);
}

#[tokio::test]
async fn call_from_a_webrtc_extension_pushes_call_webrtc() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "call",
            json!({"number": "+39 02", "endpointId": "92201"}),
            "",
        )
        .await;
    assert_eq!(cmds, vec![]);
    assert_eq!(
        w.hooks.calls(),
        vec![HookCall::Push {
            username: "alice".into(),
            event: "callWebrtc".into(),
            payload: json!("003902")
        }]
    );
}

#[tokio::test]
async fn call_from_an_offline_webrtc_extension_is_a_conflict() {
    let mut v = view();
    if let Some(e) = v.extensions.get_mut("92201") {
        e.status = "offline".into();
    }
    let w = world(Setup {
        view: v,
        ..Setup::default()
    });
    let (status, body, _) = w
        .post(
            all_grants(),
            "call",
            json!({"number": "202", "endpointId": "92201"}),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        body,
        r#"{"code":"ExtensionUnavailable","message":"exten 92201 is offline"}"#
    );
}

#[tokio::test]
async fn call_echo_and_join_myconf_dial_their_codes() {
    assert_eq!(
        world(Setup::default())
            .ok("call_echo", json!({"endpointId": "201"}), UNIQUEID)
            .await,
        vec![originate("PJSIP/201", "*43", "201")]
    );
    assert_eq!(
        world(Setup::default())
            .ok("join_myconf", json!({"endpointId": "201"}), UNIQUEID)
            .await,
        vec![originate("PJSIP/201", "*88", "201")]
    );
}

#[tokio::test]
async fn call_is_answered_with_503_when_the_pbx_is_down_and_500_when_rejected() {
    let pbx = FakePbx::default();
    pbx.replies
        .lock()
        .expect("lock")
        .push_back(Err(PbxError::Unavailable));
    let w = world(Setup {
        pbx,
        ..Setup::default()
    });
    let (status, body, err) = w.post(all_grants(), "call", json!({"number": "202"})).await;
    assert_eq!(
        (status, body.as_str()),
        (
            503,
            r#"{"code":"PbxUnavailable","message":"PBX not connected"}"#
        )
    );
    assert_eq!(err.as_deref(), Some("PBX not connected"));

    let pbx = FakePbx::default();
    pbx.replies
        .lock()
        .expect("lock")
        .push_back(Err(PbxError::Rejected("Originate failed: busy".into())));
    let w = world(Setup {
        pbx,
        ..Setup::default()
    });
    let (status, body, err) = w.post(all_grants(), "call", json!({"number": "202"})).await;
    assert_eq!(status, 500);
    assert_eq!(
        body,
        r#"{"code":"PbxRejected","message":"PBX refused the command: Originate failed: busy"}"#
    );
    assert_eq!(
        err.as_deref(),
        Some("PBX refused the command: Originate failed: busy")
    );
}

#[tokio::test(start_paused = true)]
async fn a_pbx_that_never_answers_gives_504_within_the_bound() {
    let w = world(Setup {
        pbx: FakePbx {
            hang: true,
            ..FakePbx::default()
        },
        ..Setup::default()
    });
    let (status, body, _) = w.post(all_grants(), "call", json!({"number": "202"})).await;
    assert_eq!(status, 504);
    assert_eq!(
        body,
        r#"{"code":"PbxTimeout","message":"PBX did not answer within 3s"}"#
    );
    let (status, _, _) = w
        .post(
            all_grants(),
            "hangup",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 504);
}

#[tokio::test]
async fn unauthe_call_originates_behind_the_gate() {
    let w = world(Setup::default());
    let f = unauthe_call_filter(w.svc.clone(), open_gate());
    let resp = warp::test::request()
        .method("POST")
        .path("/astproxy/unauthe_call")
        .header("content-type", "application/json")
        .body(r#"{"endpointId":"202","number":"201"}"#)
        .reply(&f)
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.body().as_ref(), UNIQUEID.as_bytes());
    assert_eq!(w.commands(), vec![originate("PJSIP/202", "201", "202")]);
    let resp = warp::test::request()
        .method("POST")
        .path("/astproxy/unauthe_call")
        .header("content-type", "application/json")
        .body(r#"{"endpointId":"999","number":"201"}"#)
        .reply(&f)
        .await;
    assert_eq!(resp.status(), 404);
    assert_eq!(
        resp.body().as_ref(),
        br#"{"code":"UnknownExtension","message":"unknown extension 999"}"#
    );
}

#[tokio::test]
async fn pickup_conv_originates_the_directed_pickup() {
    assert_eq!(
        world(Setup::default())
            .ok(
                "pickup_conv",
                json!({"endpointId": "202", "destId": "201"}),
                UNIQUEID
            )
            .await,
        vec![originate("PJSIP/201", "**202", "201")]
    );
}

// ---------------------------------------------------------------- phone HTTP API

#[tokio::test]
async fn answer_hold_and_dtmf_drive_the_phone() {
    let w = world(Setup::default());
    w.ok(
        "answer",
        json!({"endpointId": "91201"}),
        r#"{"phoneRespStatusCode":200}"#,
    )
    .await;
    w.ok(
        "toggle_hold",
        json!({"endpointId": "91201", "convid": "x"}),
        r#"{"phoneRespStatusCode":200}"#,
    )
    .await;
    w.ok(
        "dtmf",
        json!({"endpointId": "91201", "tone": "#"}),
        r#"{"phoneRespStatusCode":200}"#,
    )
    .await;
    assert_eq!(
        w.urls(),
        vec![
            "http://admin:pw@192.168.5.163/servlet?key=OK".to_owned(),
            "http://admin:pw@192.168.5.163/servlet?key=F_HOLD".to_owned(),
            "http://admin:pw@192.168.5.163/servlet?key=POUND".to_owned(),
        ]
    );
    assert_eq!(w.commands(), vec![]);
}

#[tokio::test]
async fn phone_api_failures_and_unsupported_phones_are_answered() {
    let w = world(Setup::default());
    let (status, body, _) = w
        .post(all_grants(), "answer", json!({"endpointId": "201"}))
        .await;
    assert_eq!(status, 501);
    assert_eq!(
        body,
        r#"{"code":"Unsupported","message":"unsupported: phone `` of extension 201 has no `answer` URL"}"#
    );
    let w = world(Setup {
        c2c: C2cMode::Manual,
        ..Setup::default()
    });
    let (status, body, _) = w
        .post(all_grants(), "toggle_hold", json!({"endpointId": "91201"}))
        .await;
    assert_eq!(status, 501);
    assert_eq!(
        body,
        r#"{"code":"Unsupported","message":"unsupported: phone HTTP API disabled: click-to-call mode is not automatic"}"#
    );
    let w = world(Setup {
        phone: Ok(401),
        ..Setup::default()
    });
    let (status, body, _) = w
        .post(all_grants(), "answer", json!({"endpointId": "91201"}))
        .await;
    assert_eq!(
        (status, body.as_str()),
        (
            502,
            r#"{"code":"PhoneRejected","message":"phone answered HTTP 401"}"#
        )
    );
    let w = world(Setup {
        phone: Err(PhoneApiError::Timeout),
        ..Setup::default()
    });
    let (status, body, _) = w
        .post(
            all_grants(),
            "dtmf",
            json!({"endpointId": "91201", "tone": "5"}),
        )
        .await;
    assert_eq!(
        (status, body.as_str()),
        (
            504,
            r#"{"code":"PhoneTimeout","message":"phone did not answer in time"}"#
        )
    );
}

#[tokio::test]
async fn answer_webrtc_pushes_to_the_owner() {
    let w = world(Setup::default());
    w.ok("answer_webrtc", json!({"endpointId": "92201"}), "")
        .await;
    assert_eq!(
        w.hooks.calls(),
        vec![HookCall::Push {
            username: "alice".into(),
            event: "answerWebrtc".into(),
            payload: json!("92201")
        }]
    );
    let (status, _, _) = w
        .post(
            all_grants(),
            "answer_webrtc",
            json!({"endpointId": "91201"}),
        )
        .await;
    assert_eq!(status, 501);
}

// ---------------------------------------------------------------- hangups

#[tokio::test]
async fn hangups_target_the_right_channels() {
    assert_eq!(
        run_ok("hangup", json!({"convid": TRUNK_CONV, "endpointId": "201"})).await,
        vec![hangup("PJSIP/201-00000021")]
    );
    assert_eq!(
        run_ok("cancel", json!({"endpointId": "201"})).await,
        vec![hangup("PJSIP/201-00000030")]
    );
    assert_eq!(
        run_ok("cancel", json!({"endpointId": "201", "convid": TRUNK_CONV})).await,
        vec![hangup("PJSIP/201-00000021")]
    );
    assert_eq!(
        run_ok(
            "force_hangup",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "endpointType": "extension"})
        )
        .await,
        vec![redirect("PJSIP/voip_provider-00000020", "xyzw")]
    );
    assert_eq!(
        run_ok("hangup_channel", json!({"channel": "PJSIP/201-00000021", "endpointId": "201", "endpointType": "extension"}))
            .await,
        vec![hangup("PJSIP/201-00000021")]
    );
    assert_eq!(
        run_ok("hangup_mainexten", json!({"exten": "201"})).await,
        vec![hangup("/^PJSIP/(201|91201|92201)-/")]
    );
}

/// A world in which nobody has a conversation.
fn idle_world() -> World {
    let mut v = view();
    v.conversations.clear();
    world(Setup {
        view: v,
        ..Setup::default()
    })
}

/// `route` with `body` on an idle world: 404 naming extension 201, and no PBX command.
async fn assert_nothing_to_do_for_201(route: &str, body: Value) {
    let w = idle_world();
    let (status, reply, _) = w.post(all_grants(), route, body).await;
    assert_eq!(
        (status, reply.as_str()),
        (
            404,
            r#"{"code":"ConversationNotFound","message":"extension 201 has no conversation"}"#
        ),
        "{route}"
    );
    assert_eq!(w.commands(), vec![], "{route}");
}

#[tokio::test]
async fn hangup_mainexten_of_a_user_without_channels_is_a_404_and_sends_nothing() {
    assert_nothing_to_do_for_201("hangup_mainexten", json!({"exten": "201"})).await;
}

#[tokio::test]
async fn hangup_mainexten_with_a_channel_on_a_secondary_device_hangs_up_every_device() {
    let mut v = view();
    v.conversations.clear();
    v.add_conversation(ConversationInfo {
        id: "PJSIP/91201-00000040>".into(),
        owner: "91201".into(),
        source: ch("PJSIP/91201-00000040", "91201", ""),
        ..Default::default()
    });
    let w = world(Setup {
        view: v,
        ..Setup::default()
    });
    let (status, body, _) = w
        .post(all_grants(), "hangup_mainexten", json!({"exten": "201"}))
        .await;
    assert_eq!((status, body.as_str()), (200, ""));
    assert_eq!(w.commands(), vec![hangup("/^PJSIP/(201|91201|92201)-/")]);
}

#[tokio::test]
async fn cancel_with_nothing_to_cancel_names_the_extension() {
    assert_nothing_to_do_for_201("cancel", json!({"endpointId": "201"})).await;
}

#[tokio::test]
async fn an_ended_conversation_is_a_404() {
    let w = world(Setup::default());
    let (status, body, _) = w
        .post(
            all_grants(),
            "hangup",
            json!({"convid": "PJSIP/201-00000099>", "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        body,
        r#"{"code":"ConversationNotFound","message":"conversation PJSIP/201-00000099> of extension 201 not found"}"#
    );
    assert_eq!(w.commands(), vec![]);
}

// ---------------------------------------------------------------- transfers, park

#[tokio::test]
async fn transfers_send_blindtransfer_atxfer_and_redirects() {
    assert_eq!(
        run_ok(
            "blindtransfer",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "to": "202"})
        )
        .await,
        vec![PbxCommand::BlindTransfer {
            channel: "PJSIP/201-00000021".into(),
            context: "from-internal-xfer".into(),
            exten: "202".into()
        }]
    );
    assert_eq!(
        run_ok(
            "atxfer",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "to": "202"})
        )
        .await,
        vec![PbxCommand::Atxfer {
            channel: "PJSIP/201-00000021".into(),
            context: "from-internal".into(),
            exten: "202#".into()
        }]
    );
    assert_eq!(
        run_ok(
            "blindtransfer_queue",
            json!({"queue": "401", "waitingCallerId": "PJSIP/voip_provider-00000020", "to": "203"})
        )
        .await,
        vec![redirect("PJSIP/voip_provider-00000020", "203")]
    );
    assert_eq!(
        run_ok(
            "blindtransfer_parking",
            json!({"parking": "71", "to": "203"})
        )
        .await,
        vec![redirect("PJSIP/voip_provider-00000022", "203")]
    );
}

#[tokio::test]
async fn park_and_pickups() {
    assert_eq!(
        run_ok(
            "park",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "applicantId": "201"})
        )
        .await,
        vec![PbxCommand::Park {
            channel: "PJSIP/voip_provider-00000020".into(),
            timeout_channel: "PJSIP/201-00000021".into(),
            parkinglot: None
        }]
    );
    assert_eq!(
        run_ok("pickup_parking", json!({"parking": "71", "destId": "201"})).await,
        vec![redirect("PJSIP/voip_provider-00000022", "201")]
    );
    assert_eq!(
        run_ok(
            "pickup_qwaitcaller",
            json!({"queue": "401", "waitCallerId": "PJSIP/voip_provider-00000020", "destId": "201"})
        )
        .await,
        vec![redirect("PJSIP/voip_provider-00000020", "201")]
    );
}

#[tokio::test]
async fn empty_or_unknown_parkings_and_waiting_callers_are_404() {
    let w = world(Setup::default());
    let cases = [
        (
            "pickup_parking",
            json!({"parking": "72", "destId": "201"}),
            r#"{"code":"EmptyParking","message":"parking 72 is empty"}"#,
        ),
        (
            "pickup_parking",
            json!({"parking": "99", "destId": "201"}),
            r#"{"code":"UnknownParking","message":"unknown parking 99"}"#,
        ),
        (
            "pickup_qwaitcaller",
            json!({"queue": "401", "waitCallerId": "PJSIP/x-1", "destId": "201"}),
            r#"{"code":"WaitingCallerNotFound","message":"no waiting caller PJSIP/x-1 in queue 401"}"#,
        ),
        (
            "blindtransfer_queue",
            json!({"queue": "499", "waitingCallerId": "PJSIP/x-1", "to": "201"}),
            r#"{"code":"UnknownQueue","message":"unknown queue 499"}"#,
        ),
    ];
    for (name, req, expected) in cases {
        let (status, body, _) = w.post(all_grants(), name, req).await;
        assert_eq!((status, body.as_str()), (404, expected), "{name}");
    }
    assert_eq!(w.commands(), vec![]);
}

// ---------------------------------------------------------------- mute

#[tokio::test]
async fn mute_unmute_and_toggle_mute() {
    let w = world(Setup::default());
    let mute = |state: bool, direction| PbxCommand::MuteAudio {
        channel: "PJSIP/201-00000021".into(),
        direction,
        state,
    };
    w.ok(
        "mute",
        json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        "",
    )
    .await;
    w.ok(
        "unmute",
        json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        "",
    )
    .await;
    w.ok(
        "toggle_mute",
        json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        "",
    )
    .await;
    w.ok(
        "toggle_mute",
        json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        "",
    )
    .await;
    assert_eq!(
        w.commands(),
        vec![
            mute(true, AudioDirection::In),
            mute(false, AudioDirection::All),
            mute(true, AudioDirection::In),
            mute(false, AudioDirection::All),
        ]
    );
}

// ---------------------------------------------------------------- recording

#[tokio::test]
async fn start_record_sets_the_variables_then_mixmonitor() {
    let w = world(Setup::default());
    let cmds = w
        .ok(
            "start_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
            "",
        )
        .await;
    let file = "exten-201-0721405516-20240402-094320-1712051000123.wav";
    let set = |variable: &str, value: &str| PbxCommand::Setvar {
        channel: Some("PJSIP/voip_provider-00000020".into()),
        variable: variable.into(),
        value: value.into(),
    };
    assert_eq!(
        cmds,
        vec![
            set("MASTER_CHANNEL(ONETOUCH_REC)", "RECORDING"),
            set("MASTER_CHANNEL(REC_STATUS)", "RECORDING"),
            set("MASTER_CHANNEL(CDR(recordingfile))", file),
            set("MASTER_CHANNEL(ONETOUCH_RECFILE)", file),
            PbxCommand::MixMonitor {
                channel: "PJSIP/voip_provider-00000020".into(),
                file: format!("2024/04/02/{file}"),
                options: Some("a".into())
            },
        ]
    );
    assert_eq!(
        w.hooks.calls(),
        vec![HookCall::Effect(Effect::Recording {
            convid: TRUNK_CONV.into(),
            state: Recording::On
        })]
    );
}

#[tokio::test]
async fn stop_mute_and_unmute_record() {
    let conv = json!({"convid": INTERNAL_CONV, "endpointId": "202"});
    let grants = Grants {
        admin_recording: true,
        ..Grants::default()
    };
    let w = world(Setup::default());
    for name in ["mute_record", "stop_record"] {
        let (status, _, _) = w.post(grants.clone(), name, conv.clone()).await;
        assert_eq!(status, 200, "{name}");
    }
    // unmute of a conversation that is recording (not muted in the view): nothing to do
    let (status, _, _) = w.post(grants.clone(), "unmute_record", conv.clone()).await;
    assert_eq!(status, 200);
    assert_eq!(
        w.commands(),
        vec![
            PbxCommand::MixMonitorMute {
                channel: "PJSIP/202-00000070".into(),
                direction: AudioDirection::All,
                state: true
            },
            PbxCommand::StopMixMonitor {
                channel: "PJSIP/202-00000070".into()
            },
        ]
    );
    let (status, body, _) = w
        .post(
            all_grants(),
            "stop_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        body,
        format!(
            r#"{{"code":"NotRecording","message":"conversation {TRUNK_CONV} is not recording"}}"#
        )
    );
}

// ---------------------------------------------------------------- spy

#[tokio::test]
async fn spy_and_intrude_originate_chanspy() {
    let spy = |data: &str| PbxCommand::OriginateApp {
        channel: "PJSIP/201".into(),
        application: "ChanSpy".into(),
        data: data.into(),
        caller_id: Some("<unknown>".into()),
        timeout_ms: None,
        variables: vec![],
    };
    assert_eq!(
        run_ok(
            "start_spy",
            json!({"convid": INTERNAL_CONV, "endpointId": "203", "destId": "201"})
        )
        .await,
        vec![spy("PJSIP/203-00000071,qS")]
    );
    assert_eq!(
        run_ok(
            "intrude",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "destId": "201"})
        )
        .await,
        vec![spy("PJSIP/202-00000070,wqS")]
    );
}

#[tokio::test]
async fn a_qmanager_of_the_spied_members_queue_may_spy_without_the_spy_permission() {
    let w = world(Setup::default());
    let grants = Grants {
        qmanager: true,
        qmanager_queues: vec!["401".into()],
        ..Grants::default()
    };
    let (status, _, _) = w
        .post(
            grants.clone(),
            "start_spy",
            json!({"convid": INTERNAL_CONV, "endpointId": "203", "destId": "201"}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _, _) = w
        .post(
            grants,
            "start_spy",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "destId": "201"}),
        )
        .await;
    assert_eq!(status, 403, "202 is in no queue");
}

// ---------------------------------------------------------------- DND, forwards, ROB

#[tokio::test]
async fn dnd_and_forwards_write_astdb() {
    let put = |family: &str, value: &str| PbxCommand::DbPut {
        family: family.into(),
        key: "201".into(),
        value: value.into(),
    };
    let del = |family: &str| PbxCommand::DbDel {
        family: family.into(),
        key: "201".into(),
    };
    assert_eq!(
        run_ok("dnd", json!({"endpoint": "201", "status": "on"})).await,
        vec![put("DND", "YES")]
    );
    assert_eq!(
        run_ok("dnd", json!({"endpoint": "201", "status": "off"})).await,
        vec![del("DND")]
    );
    assert_eq!(
        run_ok(
            "cfcall",
            json!({"endpoint": "201", "type": "unconditional", "status": "on", "to": "3331234567"})
        )
        .await,
        vec![put("CF", "3331234567")]
    );
    assert_eq!(
        run_ok(
            "cfcall",
            json!({"endpoint": "201", "type": "busy", "status": "off"})
        )
        .await,
        vec![del("CFB")]
    );
    assert_eq!(
        run_ok(
            "cfvm",
            json!({"endpoint": "201", "type": "unavailable", "status": "on", "to": "201"})
        )
        .await,
        vec![put("CFU", "vmu201")]
    );
    let w = world(Setup::default());
    w.ok("dnd", json!({"endpoint": "201", "status": "on"}), "")
        .await;
    assert_eq!(
        w.hooks.calls(),
        vec![HookCall::Effect(Effect::Db {
            family: "DND".into(),
            key: "201".into(),
            value: Some("YES".into())
        })]
    );
}

#[tokio::test]
async fn recall_on_busy_appends_to_the_waiting_list() {
    let pbx = FakePbx::default();
    pbx.replies
        .lock()
        .expect("lock")
        .push_back(Ok(PbxReply::Value(Some("203".into()))));
    let w = world(Setup {
        pbx,
        ..Setup::default()
    });
    let cmds = w
        .ok(
            "recall_on_busy",
            json!({"caller": "201", "called": "202"}),
            r#"{"waitingExtensions":2}"#,
        )
        .await;
    assert_eq!(
        cmds,
        vec![
            PbxCommand::DbGet {
                family: "ROB".into(),
                key: "202".into()
            },
            PbxCommand::DbPut {
                family: "ROB".into(),
                key: "202".into(),
                value: "203&201".into()
            },
        ]
    );
}

// ---------------------------------------------------------------- queues

#[tokio::test]
async fn queue_member_add_reads_the_penalty_then_adds() {
    let pbx = FakePbx::default();
    pbx.replies
        .lock()
        .expect("lock")
        .push_back(Ok(PbxReply::Value(Some("2".into()))));
    let w = world(Setup {
        pbx,
        ..Setup::default()
    });
    let cmds = w
        .ok(
            "queuemember_add",
            json!({"endpointId": "201", "queueId": "401", "paused": true}),
            "",
        )
        .await;
    assert_eq!(
        cmds,
        vec![
            PbxCommand::DbGet {
                family: "QPENALTY".into(),
                key: "401/agents/201".into()
            },
            PbxCommand::QueueAdd {
                queue: "401".into(),
                interface: "Local/201@from-queue/n".into(),
                member_name: Some("User 201".into()),
                paused: true,
                penalty: Some(2),
                state_interface: Some("hint:201@ext-local".into())
            },
        ]
    );
    let (status, body, _) = world(Setup::default())
        .post(
            all_grants(),
            "queuemember_add",
            json!({"endpointId": "201", "queueId": "401"}),
        )
        .await;
    assert_eq!(status, 409);
    assert_eq!(
        body,
        r#"{"code":"NotDynamicMember","message":"extension 201 is not a dynamic member of queue 401"}"#
    );
}

#[tokio::test]
async fn queue_member_remove_pause_unpause_and_toggle() {
    let iface = "Local/201@from-queue/n".to_owned();
    assert_eq!(
        run_ok(
            "queuemember_remove",
            json!({"endpointId": "201", "queueId": "401"})
        )
        .await,
        vec![PbxCommand::QueueRemove {
            queue: "401".into(),
            interface: iface.clone()
        }]
    );
    assert_eq!(
        run_ok(
            "queuemember_pause",
            json!({"endpointId": "201", "queueId": "401", "reason": "lunch"})
        )
        .await,
        vec![PbxCommand::QueuePause {
            queue: Some("401".into()),
            interface: iface.clone(),
            paused: true,
            reason: Some("lunch".into())
        }]
    );
    assert_eq!(
        run_ok("queuemember_unpause", json!({"endpointId": "201"})).await,
        vec![PbxCommand::QueuePause {
            queue: None,
            interface: iface,
            paused: false,
            reason: None
        }]
    );
    assert_eq!(
        run_ok("inout_dyn_queues", json!({"endpointId": "201"})).await,
        vec![PbxCommand::Originate {
            channel: "Local/*45@from-internal".into(),
            context: "app-blackhole".into(),
            exten: "ring".into(),
            priority: "1".into(),
            caller_id: Some("\"CTI\" <201>".into()),
            timeout_ms: None,
            variables: vec![],
            wait_answer: false
        }]
    );
}

// ---------------------------------------------------------------- conferences

fn own_202() -> Caller {
    Caller {
        username: "bob".into(),
        extensions: vec!["202".into()],
        default_extension: Some("202".into()),
        ..Caller::default()
    }
}

async fn post_as(w: &World, caller: Caller, name: &str, req: serde_json::Value) -> (u16, String) {
    let f = operations_filter(w.svc.clone(), as_identity(caller));
    let resp = warp::test::request()
        .method("POST")
        .path(&format!("/astproxy/{name}"))
        .header("content-type", "application/json")
        .body(req.to_string())
        .reply(&f)
        .await;
    (
        resp.status().as_u16(),
        String::from_utf8_lossy(resp.body()).into_owned(),
    )
}

#[tokio::test]
async fn conference_routes_send_redirect_kicks_and_mutes() {
    let mut v = view();
    v.conferences.clear();
    let w = world(Setup {
        view: v,
        ..Setup::default()
    });
    let (status, _) = post_as(
        &w,
        own_202(),
        "start_conf",
        json!({"convid": INTERNAL_CONV, "ownerEndpointId": "202", "addEndpointId": "203"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(w.commands(), vec![redirect("PJSIP/203-00000071", "*88202")]);

    let w = world(Setup::default());
    let conf = "*88202".to_owned();
    for (name, req) in [
        (
            "start_conf",
            json!({"convid": INTERNAL_CONV, "ownerEndpointId": "202", "addEndpointId": "203"}),
        ),
        (
            "hangup_userconf",
            json!({"confId": "202", "extenId": "203"}),
        ),
        (
            "mute_userconf",
            json!({"confId": "202", "userId": "202-203"}),
        ),
        (
            "mute_userconf",
            json!({"confId": "202", "userId": "202-203", "direction": "all"}),
        ),
        (
            "unmute_userconf",
            json!({"confId": "202", "userId": "202-203", "onlyListen": true}),
        ),
        (
            "unmute_userconf",
            json!({"confId": "202", "userId": "202-203"}),
        ),
        ("end_conf", json!({"confId": "202"})),
    ] {
        let (status, body) = post_as(&w, own_202(), name, req).await;
        assert_eq!(status, 200, "{name}: {body}");
    }
    let ch = "PJSIP/203-00000071".to_owned();
    let cmute = |muted| PbxCommand::ConfbridgeMute {
        conference: conf.clone(),
        channel: ch.clone(),
        muted,
    };
    let hear = |state| PbxCommand::MuteAudio {
        channel: ch.clone(),
        direction: AudioDirection::Out,
        state,
    };
    assert_eq!(
        w.commands(),
        vec![
            // owner already in the room: hang up its leg, then call the added party
            hangup("PJSIP/202-00000070"),
            originate("PJSIP/202", "203", "202"),
            PbxCommand::ConfbridgeKick {
                conference: conf.clone(),
                channel: ch.clone()
            },
            cmute(true),
            cmute(true),
            hear(true),
            hear(false),
            cmute(false),
            hear(false),
            PbxCommand::ConfbridgeKick {
                conference: conf.clone(),
                channel: "all".into()
            },
        ]
    );
}

#[tokio::test]
async fn a_conference_member_may_mute_itself_but_not_kick() {
    let w = world(Setup::default());
    let carla = Caller {
        username: "carla".into(),
        extensions: vec!["203".into()],
        ..Caller::default()
    };
    let (status, _) = post_as(
        &w,
        carla.clone(),
        "mute_userconf",
        json!({"confId": "202", "userId": "203"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, body) = post_as(
        &w,
        carla,
        "hangup_userconf",
        json!({"confId": "202", "extenId": "203"}),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (403, r#"{"code":"Forbidden","message":"permission denied"}"#)
    );
    let (status, body) = post_as(&w, own_202(), "end_conf", json!({"confId": "202"})).await;
    assert_eq!(status, 200, "{body}");
    let mut v = view();
    v.conferences.clear();
    let w = world(Setup {
        view: v,
        ..Setup::default()
    });
    let (status, body) = post_as(&w, own_202(), "end_conf", json!({"confId": "202"})).await;
    assert_eq!(
        (status, body.as_str()),
        (
            404,
            r#"{"code":"ConferenceNotFound","message":"conference 202 not found"}"#
        )
    );
}

// ---------------------------------------------------------------- permissions

#[tokio::test]
async fn every_route_denies_a_caller_without_rights() {
    let w = world(Setup::default());
    // alice owns 201/91201/92201; each request targets someone else's or needs a grant.
    let cases = [
        ("call", json!({"number": "201", "endpointId": "202"})),
        (
            "call",
            json!({"number": "201", "endpointId": "3330000000", "endpointType": "cellphone"}),
        ),
        ("call_echo", json!({"endpointId": "202"})),
        ("answer", json!({"endpointId": "202"})),
        ("answer_webrtc", json!({"endpointId": "202"})),
        (
            "hangup",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
        (
            "force_hangup",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
        (
            "hangup_channel",
            json!({"channel": "PJSIP/202-00000070", "endpointId": "202"}),
        ),
        (
            "hangup_channel",
            json!({"channel": "PJSIP/202-00000070", "endpointId": "201"}),
        ),
        ("hangup_mainexten", json!({"exten": "202"})),
        ("cancel", json!({"endpointId": "202"})),
        (
            "blindtransfer",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "to": "201"}),
        ),
        (
            "atxfer",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "to": "201"}),
        ),
        (
            "blindtransfer_queue",
            json!({"queue": "401", "waitingCallerId": "PJSIP/voip_provider-00000020", "to": "201"}),
        ),
        (
            "blindtransfer_parking",
            json!({"parking": "71", "to": "201"}),
        ),
        (
            "park",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "applicantId": "202"}),
        ),
        ("pickup_parking", json!({"parking": "71", "destId": "201"})),
        ("pickup_conv", json!({"endpointId": "202", "destId": "201"})),
        (
            "pickup_qwaitcaller",
            json!({"queue": "401", "waitCallerId": "PJSIP/voip_provider-00000020", "destId": "201"}),
        ),
        ("toggle_hold", json!({"endpointId": "202"})),
        (
            "toggle_mute",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
        (
            "mute",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
        (
            "unmute",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
        ("dtmf", json!({"endpointId": "202", "tone": "1"})),
        (
            "start_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        ),
        (
            "stop_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        ),
        (
            "mute_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        ),
        (
            "unmute_record",
            json!({"convid": TRUNK_CONV, "endpointId": "201"}),
        ),
        (
            "start_spy",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "destId": "201"}),
        ),
        (
            "intrude",
            json!({"convid": INTERNAL_CONV, "endpointId": "202", "destId": "201"}),
        ),
        ("dnd", json!({"endpoint": "201", "status": "on"})),
        (
            "cfcall",
            json!({"endpoint": "201", "type": "unconditional", "status": "on", "to": "202"}),
        ),
        (
            "cfvm",
            json!({"endpoint": "201", "type": "unconditional", "status": "on", "to": "201"}),
        ),
        (
            "queuemember_add",
            json!({"endpointId": "201", "queueId": "401"}),
        ),
        (
            "queuemember_remove",
            json!({"endpointId": "201", "queueId": "401"}),
        ),
        ("queuemember_pause", json!({"endpointId": "201"})),
        ("queuemember_unpause", json!({"endpointId": "201"})),
        ("inout_dyn_queues", json!({"endpointId": "201"})),
        (
            "start_conf",
            json!({"convid": INTERNAL_CONV, "ownerEndpointId": "202", "addEndpointId": "203"}),
        ),
        ("join_myconf", json!({"endpointId": "202"})),
        ("end_conf", json!({"confId": "202"})),
        (
            "hangup_userconf",
            json!({"confId": "202", "extenId": "203"}),
        ),
        (
            "mute_userconf",
            json!({"confId": "202", "userId": "202-203"}),
        ),
        (
            "unmute_userconf",
            json!({"confId": "202", "userId": "202-203"}),
        ),
        ("recall_on_busy", json!({"caller": "202", "called": "203"})),
    ];
    let mut covered: Vec<&str> = cases.iter().map(|(n, _)| *n).collect();
    covered.dedup();
    assert_eq!(
        covered,
        dto::ROUTES.to_vec(),
        "every route has a denial case, in ROUTES order"
    );
    for (name, req) in cases {
        let (status, body, _) = w.post(Grants::default(), name, req.clone()).await;
        assert_eq!(
            (status, body.as_str()),
            (403, r#"{"code":"Forbidden","message":"permission denied"}"#),
            "{name} {req}"
        );
    }
    assert_eq!(w.commands(), vec![], "nothing reaches the PBX");
    assert_eq!(w.urls(), Vec::<String>::new());
}

#[tokio::test]
async fn grants_alone_are_not_enough_where_ownership_is_also_required() {
    let w = world(Setup::default());
    let cases = [
        ("pickup_conv", json!({"endpointId": "201", "destId": "202"})),
        (
            "start_spy",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "destId": "202"}),
        ),
        ("dnd", json!({"endpoint": "202", "status": "on"})),
        (
            "cfcall",
            json!({"endpoint": "202", "type": "unconditional", "status": "off"}),
        ),
        ("recall_on_busy", json!({"caller": "202", "called": "203"})),
        (
            "mute",
            json!({"convid": INTERNAL_CONV, "endpointId": "202"}),
        ),
    ];
    for (name, req) in cases {
        let (status, _, _) = w.post(all_grants(), name, req).await;
        assert_eq!(status, 403, "{name}");
    }
    let mut no_rob = alice(all_grants());
    no_rob.recall_on_busy = false;
    let (status, _) = post_as(
        &w,
        no_rob,
        "recall_on_busy",
        json!({"caller": "201", "called": "202"}),
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(w.commands(), vec![]);
}

// ---------------------------------------------------------------- validation

fn bad(field: &str, reason: &str) -> String {
    format!(r#"{{"code":"BadRequest","message":"invalid or missing field `{field}`: {reason}"}}"#)
}

#[tokio::test]
async fn every_route_names_its_missing_field() {
    let w = world(Setup::default());
    let first_required = [
        ("call", "number"),
        ("call_echo", "endpointId"),
        ("answer", "endpointId"),
        ("answer_webrtc", "endpointId"),
        ("hangup", "convid"),
        ("force_hangup", "convid"),
        ("hangup_channel", "channel"),
        ("hangup_mainexten", "exten"),
        ("cancel", "endpointId"),
        ("blindtransfer", "convid"),
        ("atxfer", "convid"),
        ("blindtransfer_queue", "queue"),
        ("blindtransfer_parking", "parking"),
        ("park", "convid"),
        ("pickup_parking", "parking"),
        ("pickup_conv", "endpointId"),
        ("pickup_qwaitcaller", "queue"),
        ("toggle_hold", "endpointId"),
        ("toggle_mute", "convid"),
        ("mute", "convid"),
        ("unmute", "convid"),
        ("dtmf", "tone"),
        ("start_record", "convid"),
        ("stop_record", "convid"),
        ("mute_record", "convid"),
        ("unmute_record", "convid"),
        ("start_spy", "convid"),
        ("intrude", "convid"),
        ("dnd", "endpoint"),
        ("cfcall", "endpoint"),
        ("cfvm", "endpoint"),
        ("queuemember_add", "endpointId"),
        ("queuemember_remove", "endpointId"),
        ("queuemember_pause", "endpointId"),
        ("queuemember_unpause", "endpointId"),
        ("inout_dyn_queues", "endpointId"),
        ("start_conf", "convid"),
        ("join_myconf", "endpointId"),
        ("end_conf", "confId"),
        ("hangup_userconf", "confId"),
        ("mute_userconf", "confId"),
        ("unmute_userconf", "confId"),
        ("recall_on_busy", "caller"),
    ];
    let names: Vec<&str> = first_required.iter().map(|(n, _)| *n).collect();
    assert_eq!(names, dto::ROUTES.to_vec());
    for (name, field) in first_required {
        let (status, body, _) = w.post(all_grants(), name, json!({})).await;
        assert_eq!((status, body), (400, bad(field, "required")), "{name}");
    }
    assert_eq!(w.commands(), vec![]);
}

#[tokio::test]
async fn invalid_values_are_400_naming_the_field() {
    let w = world(Setup::default());
    let cases = [
        (
            "call",
            json!({"number": "abc"}),
            bad("number", "no dialable digits"),
        ),
        (
            "call",
            json!({"number": "1", "endpointType": "extension"}),
            bad("endpointId", "required with endpointType"),
        ),
        (
            "call",
            json!({"number": "1", "endpointId": "201", "endpointType": "fax"}),
            bad("endpointType", "must be extension or cellphone"),
        ),
        (
            "dtmf",
            json!({"endpointId": "201", "tone": "12"}),
            bad("tone", "must be one of 0-9 * #"),
        ),
        (
            "dnd",
            json!({"endpoint": "201", "status": "maybe"}),
            bad("status", "must be on or off"),
        ),
        (
            "cfcall",
            json!({"endpoint": "201", "type": "sometimes", "status": "on"}),
            bad("type", "must be unconditional, busy or unavailable"),
        ),
        (
            "cfcall",
            json!({"endpoint": "201", "type": "busy", "status": "on"}),
            bad("to", "required"),
        ),
        (
            "blindtransfer",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "to": "20;2"}),
            bad("to", "must be a phone number (digits, * # +)"),
        ),
        (
            "force_hangup",
            json!({"convid": TRUNK_CONV, "endpointId": "201", "endpointType": "cellphone"}),
            bad("endpointType", "must be extension"),
        ),
        (
            "hangup_channel",
            json!({"channel": "x", "endpointId": "201", "endpointType": "trunk"}),
            bad("endpointType", "must be extension"),
        ),
        (
            "mute_userconf",
            json!({"confId": "202", "userId": "202-203", "direction": "up"}),
            bad("direction", "must be in, out or all"),
        ),
        (
            "unmute_userconf",
            json!({"confId": "202", "userId": "202-203", "onlyListen": "yes"}),
            bad("onlyListen", "must be a boolean"),
        ),
        (
            "queuemember_add",
            json!({"endpointId": "201", "queueId": "401", "paused": 3}),
            bad("paused", "must be a boolean"),
        ),
        (
            "hangup",
            json!({"convid": {"a": 1}, "endpointId": "201"}),
            bad("convid", "must be a string"),
        ),
    ];
    for (name, req, expected) in cases {
        let (status, body, _) = w.post(all_grants(), name, req).await;
        assert_eq!((status, body), (400, expected), "{name}");
    }
    assert_eq!(w.commands(), vec![]);
}

#[tokio::test]
async fn malformed_bodies_and_unknown_routes() {
    let w = world(Setup::default());
    let caller = alice(all_grants());
    let f = operations_filter(w.svc.clone(), as_identity(caller));
    let resp = warp::test::request()
        .method("POST")
        .path("/astproxy/hangup")
        .header("content-type", "application/json")
        .body("{not json")
        .reply(&f)
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.body().as_ref(),
        br#"{"code":"InvalidContent","message":"Invalid JSON: key must be a string at line 1 column 2"}"#
    );
    let resp = warp::test::request()
        .method("POST")
        .path("/astproxy/hangup?endpointId=201")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "convid={}",
            TRUNK_CONV.replace('>', "%3E").replace('/', "%2F")
        ))
        .reply(&f)
        .await;
    assert_eq!(resp.status(), 200, "form body + query");
    let resp = warp::test::request()
        .method("POST")
        .path("/astproxy/extensions")
        .reply(&f)
        .await;
    assert_eq!(resp.status(), 404, "not an operation: left to other routes");
    assert_eq!(w.commands(), vec![hangup("PJSIP/201-00000021")]);
}
