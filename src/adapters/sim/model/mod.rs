//! The simulated PBX state: endpoints, channels, bridges, queues, parking, rooms, AstDB.
//!
//! Every mutation goes through a method that also appends the AMI events a real
//! Asterisk 22 would emit to [`SimState::out`]; the server drains and broadcasts them.

pub mod bridge;
pub mod channel;
pub mod conference;
pub mod endpoint;
pub mod local;
pub mod parking;
pub mod queue;
mod state_events;

use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::config::SimConfig;
use bridge::{Bridge, BridgeKind};
use channel::{ChanState, Channel};
use conference::Room;
use endpoint::Endpoint;
use parking::Lot;
use queue::{Member, Queue};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::time::Instant;

/// The whole simulated PBX.
pub struct SimState {
    /// Configuration.
    pub cfg: SimConfig,
    /// Endpoints by id.
    pub endpoints: BTreeMap<String, Endpoint>,
    /// Live channels by name, plus creation order.
    pub channels: BTreeMap<String, Channel>,
    /// Channel names in creation order.
    pub order: Vec<String>,
    /// Bridges by id.
    pub bridges: BTreeMap<String, Bridge>,
    /// Queues by number.
    pub queues: BTreeMap<String, Queue>,
    /// Parking lot.
    pub lot: Lot,
    /// Active conference rooms.
    pub rooms: BTreeMap<String, Room>,
    /// AstDB `(family, key) -> value`.
    pub db: BTreeMap<(String, String), String>,
    /// Custom device states (`Custom:DND201`).
    pub custom: BTreeMap<String, String>,
    /// Events produced since the last drain.
    pub out: Vec<Frame>,
    /// Last `Queue:<n>_avail` state per queue.
    pub(crate) avail: BTreeMap<String, &'static str>,
    /// Calls processed.
    pub processed: u64,
    /// Attended transfers in progress.
    pub atxfers: Vec<Atxfer>,
    /// Phone channels that started ringing since the last drain.
    pub ringing: Vec<String>,
    /// Queue calls by caller channel (answered or waiting).
    pub queue_calls: BTreeMap<String, QueueCall>,
    /// Async originates waiting for an answer: channel -> (ActionID, context, exten, target).
    pub originates: BTreeMap<String, PendingOriginate>,
    /// Caller ids of Local `;2` channels published when they hang up.
    pub local_cids: local::LocalCids,
    rng: StdRng,
    uid_seq: u64,
    chan_seq: u64,
    local_seq: u64,
    start: Instant,
    /// Offset added to the clock (tests and traffic can advance time).
    pub skew_ms: u64,
}

impl SimState {
    /// Builds the PBX from its configuration (phones registered, members logged in).
    pub fn new(cfg: SimConfig) -> Self {
        let mut rng = StdRng::seed_from_u64(cfg.seed);
        let mut endpoints = BTreeMap::new();
        for (i, e) in cfg.endpoints.iter().enumerate() {
            let hash: String = (0..32)
                .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16)]))
                .collect();
            endpoints.insert(
                e.id.clone(),
                Endpoint {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    trunk: e.trunk,
                    registered: e.registered,
                    channels: 0,
                    contact_hash: hash,
                    port: 5170 + 100 * (i as u16 % 300),
                    qualified: true,
                },
            );
        }
        let login = cfg.epoch + 1;
        let mut queues = BTreeMap::new();
        for q in &cfg.queues {
            let mut members = Vec::new();
            let mk = |ext: &String, dynamic: bool| Member {
                interface: format!("PJSIP/{ext}"),
                name: endpoints
                    .get(ext)
                    .map(|e: &Endpoint| e.name.clone())
                    .unwrap_or_default(),
                endpoint: ext.clone(),
                dynamic,
                penalty: 0,
                calls_taken: 0,
                last_call: 0,
                last_pause: 0,
                login_time: login,
                paused: false,
                paused_reason: String::new(),
            };
            // Asterisk lists dynamic (realtime/added) members first, as in the transcripts.
            for m in &q.dynamic_members {
                members.push(mk(m, true));
            }
            for m in &q.static_members {
                members.push(mk(m, false));
            }
            queues.insert(
                q.id.clone(),
                Queue {
                    id: q.id.clone(),
                    members,
                    callers: Vec::new(),
                    completed: 0,
                    abandoned: 0,
                    holdtime: 0,
                    talktime: 0,
                },
            );
        }
        let lot = Lot {
            start: cfg.parking.0,
            stop: cfg.parking.1,
            timeout: cfg.parking_timeout,
            spaces: BTreeMap::new(),
            bridge: None,
        };
        let mut st = Self {
            cfg,
            endpoints,
            channels: BTreeMap::new(),
            order: Vec::new(),
            bridges: BTreeMap::new(),
            queues,
            lot,
            rooms: BTreeMap::new(),
            db: BTreeMap::new(),
            custom: BTreeMap::new(),
            out: Vec::new(),
            avail: BTreeMap::new(),
            processed: 0,
            ringing: Vec::new(),
            atxfers: Vec::new(),
            queue_calls: BTreeMap::new(),
            originates: BTreeMap::new(),
            local_cids: local::LocalCids::default(),
            rng,
            uid_seq: 0,
            chan_seq: 0,
            local_seq: 0,
            start: Instant::now(),
            skew_ms: 0,
        };
        let ids: Vec<String> = st.queues.keys().cloned().collect();
        for q in ids {
            let a = st.queue_avail(&q);
            st.avail.insert(q, a);
        }
        st
    }

    /// Milliseconds since the PBX started.
    pub fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64 + self.skew_ms
    }

    /// Unix seconds now.
    pub fn unix(&self) -> u64 {
        self.cfg.epoch + self.now_ms() / 1000
    }

    /// A random number in `0..n` (deterministic for a seed).
    pub fn random(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.rng.random_range(0..n)
        }
    }

    /// A fresh uuid for a bridge.
    pub fn uuid(&mut self) -> String {
        let b: [u8; 16] = self.rng.random();
        let h = hex::encode(b);
        format!(
            "{}-{}-4{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[13..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// Takes the pending events.
    pub fn drain(&mut self) -> Vec<Frame> {
        std::mem::take(&mut self.out)
    }

    /// An event frame with `Privilege` and `SystemName`.
    pub fn event(&self, name: &str, privilege: &str) -> Frame {
        Frame::new()
            .with("Event", name)
            .with("Privilege", privilege)
            .with("SystemName", self.cfg.system_name.clone())
    }

    /// A `call,all` event carrying the channel block of `ch`.
    pub fn chan_event(&self, name: &str, ch: &str) -> Frame {
        let mut f = self.event(name, "call,all");
        if let Some(c) = self.channels.get(ch) {
            channel::push_block(&mut f, "", c);
        }
        f
    }

    /// A `call,all` event carrying the channel blocks of `blocks` (prefix, channel).
    pub fn chans_event(&self, name: &str, blocks: &[(&str, &str)]) -> Frame {
        let mut f = self.event(name, "call,all");
        for (prefix, ch) in blocks {
            if let Some(c) = self.channels.get(*ch) {
                channel::push_block(&mut f, prefix, c);
            }
        }
        f
    }

    /// Emits a `call,all` channel event.
    pub fn emit_chan(&mut self, name: &str, ch: &str) {
        let f = self.chan_event(name, ch);
        self.out.push(f);
    }

    /// Emits a channel event plus extra headers.
    pub fn emit_chan_with(&mut self, name: &str, ch: &str, extra: &[(&str, String)]) {
        let mut f = self.chan_event(name, ch);
        for (k, v) in extra {
            f.push(*k, v.clone());
        }
        self.out.push(f);
    }

    /// The channel by name.
    pub fn chan(&self, name: &str) -> Option<&Channel> {
        self.channels.get(name)
    }

    /// Mutable channel by name.
    pub fn chan_mut(&mut self, name: &str) -> Option<&mut Channel> {
        self.channels.get_mut(name)
    }

    /// A channel name by case-insensitive match.
    pub fn find_chan(&self, name: &str) -> Option<String> {
        if self.channels.contains_key(name) {
            return Some(name.to_owned());
        }
        self.channels
            .keys()
            .find(|k| k.eq_ignore_ascii_case(name))
            .cloned()
    }

    /// The live channel of an endpoint (the most recent).
    pub fn chan_of(&self, endpoint: &str) -> Option<String> {
        self.order
            .iter()
            .rev()
            .find(|n| {
                self.channels
                    .get(*n)
                    .is_some_and(|c| c.endpoint == endpoint)
            })
            .cloned()
    }

    fn next_uid(&mut self) -> String {
        let u = format!("{}-{}.{}", self.cfg.system_name, self.unix(), self.uid_seq);
        self.uid_seq += 1;
        u
    }

    /// Creates a PJSIP channel on `endpoint` and emits `Newchannel` (plus device state
    /// events when the endpoint was idle). `linked` is the call's linkedid.
    pub fn new_pjsip(
        &mut self,
        endpoint: &str,
        state: ChanState,
        context: &str,
        exten: &str,
        linked: Option<&str>,
    ) -> String {
        let name = format!("PJSIP/{endpoint}-{:08x}", self.chan_seq);
        self.chan_seq += 1;
        let (cid_num, cid_name) = match self.endpoints.get(endpoint) {
            Some(e) if !e.trunk => (e.id.clone(), e.name.clone()),
            _ => (String::new(), String::new()),
        };
        self.insert_channel(
            name.clone(),
            endpoint,
            state,
            context,
            exten,
            linked,
            cid_num,
            cid_name,
        );
        self.emit_chan("Newchannel", &name);
        if self
            .endpoints
            .get(endpoint)
            .is_some_and(|e| e.channels == 1)
        {
            self.endpoint_changed(endpoint);
        }
        name
    }

    /// Creates a Local channel pair `Local/<exten>@<context>-N;1/;2` without emitting.
    pub fn new_local_pair(
        &mut self,
        exten: &str,
        context: &str,
        linked: Option<&str>,
    ) -> (String, String) {
        let base = format!("Local/{exten}@{context}-{:08x}", self.local_seq);
        self.local_seq += 1;
        let one = format!("{base};1");
        let two = format!("{base};2");
        self.insert_channel(
            one.clone(),
            "",
            ChanState::Down,
            context,
            exten,
            linked,
            String::new(),
            String::new(),
        );
        let l = self.chan(&one).map(|c| c.linkedid.clone());
        self.insert_channel(
            two.clone(),
            "",
            ChanState::Ring,
            context,
            exten,
            l.as_deref(),
            String::new(),
            String::new(),
        );
        if let Some(c) = self.chan_mut(&two) {
            c.pbx = true;
        }
        let dev = format!("Local/{exten}@{context}");
        self.device_state_event(&dev, "INUSE");
        self.device_state_event(&dev, "INUSE");
        (one, two)
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_channel(
        &mut self,
        name: String,
        endpoint: &str,
        state: ChanState,
        context: &str,
        exten: &str,
        linked: Option<&str>,
        cid_num: String,
        cid_name: String,
    ) {
        let uid = self.next_uid();
        let linkedid = linked.map(str::to_owned).unwrap_or_else(|| uid.clone());
        let c = Channel {
            name: name.clone(),
            endpoint: endpoint.to_owned(),
            uniqueid: uid,
            linkedid,
            state,
            cid_num,
            cid_name,
            conn_num: String::new(),
            conn_name: String::new(),
            context: context.to_owned(),
            exten: exten.to_owned(),
            priority: 1,
            app: String::new(),
            app_data: String::new(),
            dnid: String::new(),
            bridge: None,
            pbx: false,
            created_ms: self.now_ms(),
            peer: None,
            vars: Vec::new(),
            recording: false,
        };
        self.channels.insert(name.clone(), c);
        self.order.push(name);
        if let Some(e) = self.endpoints.get_mut(endpoint) {
            e.channels += 1;
        }
    }

    /// Sets the channel state and emits `Newstate`.
    pub fn set_state(&mut self, ch: &str, state: ChanState) {
        if let Some(c) = self.chan_mut(ch) {
            c.state = state;
        }
        self.emit_chan("Newstate", ch);
        if state == ChanState::Ringing && ch.starts_with("Local/") {
            if let Some((base, _)) = ch.trim_start_matches("Local/").rsplit_once('-') {
                self.device_state_event(&format!("Local/{base}"), "INUSE");
            }
        }
    }

    /// Sets the connected line and emits `NewConnectedLine`.
    pub fn set_connected(&mut self, ch: &str, num: &str, name: &str) {
        if let Some(c) = self.chan_mut(ch) {
            c.conn_num = num.to_owned();
            c.conn_name = name.to_owned();
        }
        self.emit_chan("NewConnectedLine", ch);
    }

    /// Connected line = the caller id of `other`.
    pub fn connect_to(&mut self, ch: &str, other: &str) {
        let (n, m) = self
            .chan(other)
            .map(|o| (o.cid_num.clone(), o.cid_name.clone()))
            .unwrap_or_default();
        self.set_connected(ch, &n, &m);
    }

    /// Sets the caller id and emits `NewCallerid`.
    pub fn set_callerid(&mut self, ch: &str, num: &str, name: &str) {
        if let Some(c) = self.chan_mut(ch) {
            c.cid_num = num.to_owned();
            c.cid_name = name.to_owned();
        }
        self.emit_chan_with(
            "NewCallerid",
            ch,
            &[(
                "CID-CallingPres",
                "0 (Presentation Allowed, Not Screened)".into(),
            )],
        );
    }

    /// Moves a channel in the dialplan without an event.
    pub fn goto(&mut self, ch: &str, context: &str, exten: &str, priority: u32) {
        if let Some(c) = self.chan_mut(ch) {
            c.context = context.to_owned();
            c.exten = exten.to_owned();
            c.priority = priority;
        }
    }

    /// Sets the running application without an event.
    pub fn set_app(&mut self, ch: &str, app: &str, data: &str) {
        if let Some(c) = self.chan_mut(ch) {
            c.app = app.to_owned();
            c.app_data = data.to_owned();
        }
    }

    /// Destroys a channel: emits `Hangup` with cause (and `TechCause` when given), then
    /// the device state events of its endpoint.
    pub fn destroy(&mut self, ch: &str, cause: u32, tech: Option<u32>) {
        if !self.channels.contains_key(ch) {
            return;
        }
        let mut extra = vec![
            ("Cause", cause.to_string()),
            ("Cause-txt", cause_text(cause).to_owned()),
        ];
        if let Some(t) = tech {
            extra.push(("TechCause", t.to_string()));
        }
        self.emit_chan_with("Hangup", ch, &extra);
        let removed = self.channels.remove(ch);
        self.order.retain(|n| n != ch);
        if let Some(dev) = ch
            .strip_prefix("Local/")
            .and_then(|r| r.rsplit_once('-'))
            .map(|(base, _)| format!("Local/{base}"))
        {
            self.device_state_event(&dev, "NOT_INUSE");
        }
        self.processed += 1;
        self.local_one_gone(ch);
        if let Some(c) = removed {
            if let Some(e) = self.endpoints.get_mut(&c.endpoint) {
                e.channels = e.channels.saturating_sub(1);
                if e.channels == 0 {
                    let id = e.id.clone();
                    self.endpoint_changed(&id);
                }
            }
        }
    }

    /// Creates a bridge and emits `BridgeCreate`.
    pub fn bridge_create(&mut self, kind: BridgeKind, name: &str) -> String {
        let id = self.uuid();
        self.bridges.insert(
            id.clone(),
            Bridge {
                id: id.clone(),
                kind,
                name: name.to_owned(),
                channels: Vec::new(),
            },
        );
        self.emit_bridge("BridgeCreate", &id, None, &[]);
        id
    }

    /// A bridge event frame (bridge block, then the channel block if given).
    pub fn bridge_frame(&self, name: &str, bridge: &str, ch: Option<&str>) -> Frame {
        let mut f = self.event(name, "call,all");
        if let Some(b) = self.bridges.get(bridge) {
            bridge::push_block(&mut f, "", b);
        }
        if let Some(c) = ch.and_then(|c| self.channels.get(c)) {
            channel::push_block(&mut f, "", c);
        }
        f
    }

    /// Emits a bridge event with extra headers.
    pub fn emit_bridge(
        &mut self,
        name: &str,
        bridge: &str,
        ch: Option<&str>,
        extra: &[(&str, String)],
    ) {
        let mut f = self.bridge_frame(name, bridge, ch);
        for (k, v) in extra {
            f.push(*k, v.clone());
        }
        self.out.push(f);
    }

    /// Puts a channel in a bridge and emits `BridgeEnter`.
    pub fn bridge_enter(&mut self, bridge: &str, ch: &str) {
        if let Some(b) = self.bridges.get_mut(bridge) {
            b.channels.push(ch.to_owned());
        }
        if let Some(c) = self.channels.get_mut(ch) {
            c.bridge = Some(bridge.to_owned());
        }
        self.emit_bridge("BridgeEnter", bridge, Some(ch), &[]);
    }

    /// Takes a channel out of its bridge and emits `BridgeLeave`.
    pub fn bridge_leave(&mut self, ch: &str) -> Option<String> {
        let bridge = self.chan(ch).and_then(|c| c.bridge.clone())?;
        if let Some(b) = self.bridges.get_mut(&bridge) {
            b.channels.retain(|c| c != ch);
        }
        if let Some(c) = self.channels.get_mut(ch) {
            c.bridge = None;
        }
        self.emit_bridge("BridgeLeave", &bridge, Some(ch), &[]);
        Some(bridge)
    }

    /// Destroys an empty bridge and emits `BridgeDestroy`.
    pub fn bridge_destroy(&mut self, bridge: &str) {
        if self.bridges.contains_key(bridge) {
            self.emit_bridge("BridgeDestroy", bridge, None, &[]);
            self.bridges.remove(bridge);
        }
    }

    /// Other channels in the same bridge as `ch`.
    pub fn bridge_peers(&self, ch: &str) -> Vec<String> {
        self.chan(ch)
            .and_then(|c| c.bridge.as_ref())
            .and_then(|b| self.bridges.get(b))
            .map(|b| b.channels.iter().filter(|c| *c != ch).cloned().collect())
            .unwrap_or_default()
    }
}

/// An attended transfer in progress (AMI `Atxfer`).
#[derive(Debug, Clone)]
pub struct Atxfer {
    /// The channel that asked for the transfer.
    pub transferer: String,
    /// Its partner, waiting on hold in the original bridge.
    pub transferee: String,
    /// The original bridge.
    pub orig_bridge: String,
    /// Consultation bridge (transferer + `;1`).
    pub cons_bridge: String,
    /// `Local/<exten>@<ctx>-N;1`.
    pub local1: String,
    /// `Local/<exten>@<ctx>-N;2` (dials the target).
    pub local2: String,
    /// Target channel once dialled.
    pub target: Option<String>,
}

/// A caller handled by a queue.
#[derive(Debug, Clone)]
pub struct QueueCall {
    /// Queue number.
    pub queue: String,
    /// Agent channel once connected.
    pub agent: Option<String>,
    /// Member interface once connected.
    pub interface: String,
    /// Member name once connected.
    pub member_name: String,
    /// Join time (ms).
    pub joined_ms: u64,
    /// Connect time (ms).
    pub connected_ms: u64,
}

/// What an originated channel does once answered.
#[derive(Debug, Clone)]
pub enum OriginateTarget {
    /// Dial `exten` in `context`.
    Exten {
        /// Context.
        context: String,
        /// Extension.
        exten: String,
    },
    /// Run an application.
    App {
        /// Application name.
        app: String,
        /// Its data.
        data: String,
    },
}

/// An originate waiting for the channel to answer.
#[derive(Debug)]
pub struct PendingOriginate {
    /// Resolved with the outcome for a synchronous Originate.
    pub waiter: Option<tokio::sync::oneshot::Sender<bool>>,
    /// Caller id given in the action (`num`, `name`).
    pub callerid: (String, String),
    /// ActionID of the Originate (echoed in `OriginateResponse`).
    pub action_id: Option<String>,
    /// True for `Async: true` (sends `OriginateResponse`).
    pub is_async: bool,
    /// Destination.
    pub target: OriginateTarget,
}

/// `Cause-txt` for a hangup cause.
pub fn cause_text(cause: u32) -> &'static str {
    match cause {
        1 => "Unallocated (unassigned) number",
        3 => "No route to destination",
        16 => "Normal Clearing",
        17 => "User busy",
        18 => "No user responding",
        19 => "User alerting, no answer",
        20 => "Subscriber absent",
        21 => "Call Rejected",
        26 => "Answered elsewhere",
        34 => "Circuit/channel congestion",
        _ => "Unknown",
    }
}
