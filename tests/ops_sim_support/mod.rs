//! The lab of the end-to-end operation tests: a simulated Asterisk, the real AMI client
//! and `AmiPbx`, a live `Switchboard` fed by the PBX events, and the operations service.
#![allow(dead_code)]

pub mod expect;
#[path = "../support/json_norm.rs"]
pub mod json_norm;

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
use nethcti_server::domain::operations::{Caller, Grants, OperationError, OpsConfig};
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use nethcti_server::ports::clock::{Clock, SystemClock};
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

/// An operator owning `ext` with every grant the flows need.
pub fn operator(ext: &str) -> Caller {
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

/// A running lab.
pub struct Lab {
    pub sim: SimHandle,
    pub pbx: Arc<AmiPbx>,
    pub sb: Arc<RwLock<Switchboard>>,
    pub svc: Arc<OperationsService>,
    pub cancel: CancellationToken,
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

/// Starts a lab: users alice 201, bob 202, carol 203; queue 401 (dynamic 202, 203).
pub async fn lab() -> Lab {
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
    pub fn ext(&self, e: &str) -> Value {
        let sb = self.sb.read().expect("lock");
        sb.extension_json(e, SystemClock.now_ms(), PrivacyView::Clear)
            .unwrap_or(Value::Null)
    }

    /// The single conversation of `e` (None when idle or several).
    pub fn conv(&self, e: &str) -> Option<Value> {
        let x = self.ext(e);
        let convs = x.get("conversations")?.as_object()?;
        (convs.len() == 1)
            .then(|| convs.values().next().cloned())
            .flatten()
    }

    /// Waits (bounded) until `cond` holds on the model.
    pub async fn until(&self, what: &str, cond: impl Fn(&Lab) -> bool) {
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
    pub async fn answer(&self, ext: &str) {
        for _ in 0..200 {
            if self.sim.answer(ext).is_ok() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        panic!("{ext} never rang; {}", self.ext(ext));
    }

    pub async fn op(&self, who: &str, req: OpRequest) -> Reply {
        self.svc
            .handle(&operator(who), req)
            .await
            .expect("operation succeeds")
    }
}

/// Field `k` of an optional conversation.
pub fn field(c: &Option<Value>, k: &str) -> Value {
    c.as_ref()
        .and_then(|c| c.get(k))
        .cloned()
        .unwrap_or(Value::Null)
}

/// True when `e`'s single conversation is connected with `other`.
pub fn connected_with(l: &Lab, e: &str, other: &str) -> bool {
    let c = l.conv(e);
    field(&c, "connected") == json!(true) && field(&c, "counterpartNum") == json!(other)
}

/// 201 calls 202 (`call`), both answer; returns the conversation id.
pub async fn call_201_to_202(l: &Lab) -> String {
    let call = l.op_in_background(
        "201",
        OpRequest::Call {
            endpoint: Some(Endpoint::Extension("201".into())),
            number: "202".into(),
        },
    );
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

impl Lab {
    /// Runs an operation of operator `who` in a task (for operations that answer only
    /// once a phone has answered).
    pub fn op_in_background(
        &self,
        who: &str,
        req: OpRequest,
    ) -> tokio::task::JoinHandle<Result<Reply, OperationError>> {
        let svc = self.svc.clone();
        let caller = operator(who);
        tokio::spawn(async move { svc.handle(&caller, req).await })
    }

    /// The normalised extension JSON of 201, 202 and 203, keyed by extension.
    pub fn exts(&self) -> Value {
        json!({
            "201": json_norm::normalise(&self.ext("201")),
            "202": json_norm::normalise(&self.ext("202")),
            "203": json_norm::normalise(&self.ext("203")),
        })
    }

    /// The normalised parkings JSON.
    pub fn parkings(&self) -> Value {
        let sb = self.sb.read().expect("lock");
        json_norm::normalise(&sb.parkings_json(SystemClock.now_ms(), false))
    }

    /// The queue member JSON of `member` in `queue` (`null` when unknown).
    pub fn member(&self, queue: &str, member: &str) -> Value {
        let sb = self.sb.read().expect("lock");
        json_norm::normalise(&sb.queue_member_json(queue, member).unwrap_or(Value::Null))
    }
}
