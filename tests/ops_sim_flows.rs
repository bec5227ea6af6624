//! End to end: the operations service drives the simulated Asterisk over real AMI (the AMI
//! client and `AmiPbx`), the PBX events flow back into a live `Switchboard`, and the
//! extension/conversation JSON is asserted after each step.

use nethcti_server::adapters::ami::action::Action;
use nethcti_server::adapters::ami::ami_pbx::AmiPbx;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::settings::AmiSettings;
use nethcti_server::adapters::ami::snapshot::{build_snapshot, conference_actions, list_actions};
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::adapters::sim::{SimConfig, SimHandle, SimPbx};
use nethcti_server::app::operations::{
    Bounds, LiveView, OpRequest, OperationsDeps, OperationsService, Reply, SharedModel,
    SwitchboardHooks,
};
use nethcti_server::domain::directory::{AstObjects, Users};
use nethcti_server::domain::operations::calls::Endpoint;
use nethcti_server::domain::operations::{Caller, Grants, OpsConfig};
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use nethcti_server::ports::clock::{Clock, SystemClock};
use nethcti_server::ports::pbx::{Pbx, PbxCommand};
use secrecy::SecretString;
use serde_json::{json, Value};
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

fn directory() -> (Users, AstObjects) {
    let users = Users::from_json(&json!({
        "alice": {"name": "Alice", "endpoints": {"mainextension": {"201": {}}}},
        "bob": {"name": "Bob", "endpoints": {"mainextension": {"202": {}}}},
        "carol": {"name": "Carol", "endpoints": {"mainextension": {"203": {}}}}
    }))
    .expect("users");
    let ast = AstObjects::from_json(&json!({
        "trunks": {}, "queues": {"401": {"name": "Support", "dynmembers": ["202", "203"]}},
        "feature_codes": {"pickup": "**"}, "transfer_context": "from-internal"
    }))
    .expect("ast");
    (users, ast)
}

fn operator(ext: &str) -> Caller {
    Caller {
        username: "op".into(),
        extensions: vec![ext.into()],
        default_extension: Some(ext.into()),
        grants: Grants {
            admin_transfer: true,
            admin_parkings: true,
            admin_recording: true,
            admin_pickup: true,
            op_parkings: true,
            admin_queues: true,
            queues: true,
            spy: true,
            ..Grants::default()
        },
        ..Caller::default()
    }
}

struct Lab {
    sim: SimHandle,
    pbx: Arc<AmiPbx>,
    sb: Arc<RwLock<Switchboard>>,
    svc: Arc<OperationsService>,
    cancel: CancellationToken,
}

async fn load(client: &AmiClient, sb: &RwLock<Switchboard>) {
    let mut frames = Vec::new();
    for f in list_actions() {
        let mut a = Action::list("");
        a.frame = f;
        if let Ok(r) = client.send(a).await {
            frames.extend(r.events);
        }
    }
    for f in conference_actions(&frames.clone()) {
        let mut a = Action::list("");
        a.frame = f;
        if let Ok(r) = client.send(a).await {
            frames.extend(r.events);
        }
    }
    let snap = build_snapshot(frames.iter());
    if let Ok(mut sb) = sb.write() {
        sb.apply(
            nethcti_server::domain::pbx_event::PbxEvent::Snapshot(Box::new(snap)),
            SystemClock.now_ms(),
        );
    }
}

async fn lab() -> Lab {
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let cancel = CancellationToken::new();
    let (users, ast) = directory();
    let mut cfg = SimConfig::from_directory(&users, &ast);
    // phones answer only when the test says so; queue members log in through the API
    cfg.answer_delay = None;
    for q in &mut cfg.queues {
        q.dynamic_members.clear();
    }
    let (user, secret) = (cfg.username.clone(), cfg.secret.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let sim = SimPbx::start(cfg, listener, log.clone(), cancel.clone());
    let settings = AmiSettings::new(
        addr.ip().to_string(),
        addr.port(),
        &user,
        SecretString::from(secret),
    );
    let (client, mut notices, _task) = AmiClient::spawn(settings, log.clone(), cancel.clone());
    let sb = Arc::new(RwLock::new(Switchboard::new(&users, &ast, "xxx")));
    let (loaded_tx, loaded_rx) = tokio::sync::oneshot::channel();
    let pump_sb = sb.clone();
    let pump_client = client.clone();
    tokio::spawn(async move {
        let mut loaded = Some(loaded_tx);
        while let Some(n) = notices.recv().await {
            match n {
                AmiNotice::Connected { .. } => {
                    load(&pump_client, &pump_sb).await;
                    if let Some(tx) = loaded.take() {
                        let _ = tx.send(());
                    }
                }
                AmiNotice::Event(f) => {
                    if let Some(ev) = translate(&f) {
                        if let Ok(mut sb) = pump_sb.write() {
                            sb.apply(ev, SystemClock.now_ms());
                        }
                    }
                }
                AmiNotice::Disconnected { .. } => {}
            }
        }
    });
    tokio::time::timeout(Duration::from_secs(10), loaded_rx)
        .await
        .expect("snapshot loaded in time")
        .expect("pump alive");
    let model = SharedModel {
        switchboard: sb.clone(),
        users: Arc::new(RwLock::new(users)),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let pbx = Arc::new(AmiPbx::new(client));
    let svc = Arc::new(OperationsService::new(OperationsDeps {
        pbx: pbx.clone(),
        phone: Arc::new(
            nethcti_server::adapters::phone_http::HttpPhoneApi::new(Duration::from_secs(1))
                .expect("phone"),
        ),
        view: Arc::new(LiveView::new(model, clock.clone())),
        hooks: Arc::new(SwitchboardHooks::new(
            sb.clone(),
            Arc::new(SystemClock),
            Box::new(|_, _, _| {}),
            Box::new(|_| {}),
        )),
        clock,
        config: Arc::new(OpsConfig::new(
            &ast,
            "",
            nethcti_server::domain::operations::C2cMode::Manual,
            "pbx",
            Default::default(),
        )),
        bounds: Bounds::default(),
        log,
    }));
    Lab {
        sim,
        pbx,
        sb,
        svc,
        cancel,
    }
}

impl Lab {
    fn ext(&self, e: &str) -> Value {
        let sb = self.sb.read().expect("lock");
        sb.extension_json(e, SystemClock.now_ms(), PrivacyView::Clear)
            .unwrap_or(Value::Null)
    }

    /// The single conversation of `e` (None when idle or several).
    fn conv(&self, e: &str) -> Option<Value> {
        let x = self.ext(e);
        let convs = x.get("conversations")?.as_object()?;
        (convs.len() == 1)
            .then(|| convs.values().next().cloned())
            .flatten()
    }

    /// Waits (bounded) until `cond` holds on the model.
    async fn until(&self, what: &str, cond: impl Fn(&Lab) -> bool) {
        for _ in 0..200 {
            if cond(self) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!(
            "model never reached: {what}; 201={} 202={} 203={}",
            self.ext("201"),
            self.ext("202"),
            self.ext("203")
        );
    }

    /// Answers `ext`'s ringing phone as soon as it rings (bounded).
    async fn answer(&self, ext: &str) {
        for _ in 0..200 {
            if self.sim.answer(ext).is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{ext} never rang; {}", self.ext(ext));
    }

    async fn op(&self, who: &str, req: OpRequest) -> Reply {
        self.svc
            .handle(&operator(who), req)
            .await
            .expect("operation succeeds")
    }
}

fn field(c: &Option<Value>, k: &str) -> Value {
    c.as_ref()
        .and_then(|c| c.get(k))
        .cloned()
        .unwrap_or(Value::Null)
}

fn connected_with(l: &Lab, e: &str, other: &str) -> bool {
    let c = l.conv(e);
    field(&c, "connected") == json!(true) && field(&c, "counterpartNum") == json!(other)
}

async fn call_201_to_202(l: &Lab) -> String {
    let svc = l.svc.clone();
    let call = tokio::spawn(async move {
        svc.handle(
            &operator("201"),
            OpRequest::Call {
                endpoint: Some(Endpoint::Extension("201".into())),
                number: "202".into(),
            },
        )
        .await
    });
    l.answer("201").await;
    let reply = call.await.expect("joined").expect("call ok");
    let Reply::Json(v) = reply else {
        panic!("uniqueid expected")
    };
    assert!(v["uniqueid"].as_str().is_some_and(|u| !u.is_empty()), "{v}");
    l.answer("202").await;
    l.until("201 talks with 202", |l| connected_with(l, "201", "202"))
        .await;
    l.conv("201")
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .expect("conv id")
}

#[tokio::test]
async fn call_then_blind_transfer_to_203() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    assert_eq!(
        l.conv("201").map(|c| c["direction"].clone()),
        Some(json!("out"))
    );
    l.op(
        "202",
        OpRequest::BlindTransfer {
            endpoint_id: "202".into(),
            convid: id,
            to: "203".into(),
        },
    )
    .await;
    l.answer("203").await;
    l.until("201 talks with 203", |l| connected_with(l, "203", "201"))
        .await;
    l.until("202 idle", |l| l.ext("202")["conversations"] == json!({}))
        .await;
    l.cancel.cancel();
}

#[tokio::test]
async fn park_then_pickup_from_another_extension() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    l.op(
        "202",
        OpRequest::Park {
            endpoint_id: "202".into(),
            convid: id,
            applicant_id: "202".into(),
        },
    )
    .await;
    let parked = |l: &Lab| {
        let sb = l.sb.read().expect("lock");
        let p = sb.parkings_json(SystemClock.now_ms(), false);
        p.as_object().and_then(|m| {
            m.values()
                .find(|v| v["parkedCaller"].get("channel").is_some())
                .cloned()
        })
    };
    l.until("201 parked", |l| parked(l).is_some()).await;
    let slot = parked(&l)
        .and_then(|p| p["parking"].as_str().map(str::to_owned))
        .expect("slot");
    assert_eq!(
        parked(&l).map(|p| p["parkedCaller"]["num"].clone()),
        Some(json!("201"))
    );
    l.op(
        "203",
        OpRequest::PickupParking {
            parking: slot,
            dest_id: "203".into(),
        },
    )
    .await;
    l.answer("203").await;
    l.until("201 talks with 203", |l| connected_with(l, "203", "201"))
        .await;
    // (the simulator does not free the slot when a parked channel is redirected out:
    // no ParkedCallGiveUp/UnParkedCall is emitted, so the slot is not asserted here)
    l.cancel.cancel();
}

#[tokio::test]
async fn recording_start_and_stop_mark_the_conversation() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    let rec = |l: &Lab| field(&l.conv("202"), "recording");
    l.op(
        "202",
        OpRequest::StartRecord {
            endpoint_id: "202".into(),
            convid: id.clone(),
        },
    )
    .await;
    // the PBX sends no event for it: the live model learns it through the hooks
    assert_eq!(rec(&l), json!("true"));
    assert_eq!(field(&l.conv("201"), "recording"), json!("true"));
    l.op(
        "202",
        OpRequest::MuteRecord {
            endpoint_id: "202".into(),
            convid: id.clone(),
            mute: true,
        },
    )
    .await;
    assert_eq!(rec(&l), json!("mute"));
    l.op(
        "202",
        OpRequest::StopRecord {
            endpoint_id: "202".into(),
            convid: id,
        },
    )
    .await;
    assert_eq!(rec(&l), json!("false"));
    l.cancel.cancel();
}

#[tokio::test]
async fn queue_member_pause_with_a_reason_and_unpause() {
    let l = lab().await;
    let member = |l: &Lab| {
        let sb = l.sb.read().expect("lock");
        sb.queue_member_json("401", "202").unwrap_or(Value::Null)
    };
    assert_eq!(member(&l)["loggedIn"], json!(false));
    // FreePBX writes the penalty of every dynamic member
    l.pbx
        .execute(PbxCommand::DbPut {
            family: "QPENALTY".into(),
            key: "401/agents/202".into(),
            value: "0".into(),
        })
        .await
        .expect("db put");
    l.op(
        "202",
        OpRequest::QueueMemberAdd {
            endpoint_id: "202".into(),
            queue_id: "401".into(),
            paused: false,
        },
    )
    .await;
    l.until("202 logged in", |l| member(l)["loggedIn"] == json!(true))
        .await;
    l.op(
        "202",
        OpRequest::QueueMemberPause {
            endpoint_id: "202".into(),
            queue_id: Some("401".into()),
            paused: true,
            reason: Some("lunch".into()),
        },
    )
    .await;
    l.until("202 paused", |l| member(l)["paused"] == json!(true))
        .await;
    assert_eq!(member(&l)["lastPausedInReason"], json!("lunch"));
    l.op(
        "202",
        OpRequest::QueueMemberPause {
            endpoint_id: "202".into(),
            queue_id: Some("401".into()),
            paused: false,
            reason: None,
        },
    )
    .await;
    l.until("202 unpaused", |l| member(l)["paused"] == json!(false))
        .await;
    l.cancel.cancel();
}

#[tokio::test]
async fn spy_calls_the_spier_and_connects_it_to_the_spied_channel() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    let svc = l.svc.clone();
    let spy = tokio::spawn(async move {
        svc.handle(
            &operator("203"),
            OpRequest::Spy {
                endpoint_id: "201".into(),
                convid: id,
                dest_id: "203".into(),
                whisper: false,
            },
        )
        .await
    });
    l.answer("203").await;
    assert_eq!(spy.await.expect("joined"), Ok(Reply::Empty));
    l.until("203 spies", |l| {
        field(&l.conv("203"), "connected") == json!(true)
    })
    .await;
    assert!(connected_with(&l, "201", "202"), "the spied call goes on");
    l.cancel.cancel();
}
