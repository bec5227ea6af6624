//! Configuration of the simulated PBX: endpoints, queues, parking, rooms, timing, traffic.

use crate::domain::directory::{AstObjects, Users};
use std::time::Duration;

/// One simulated SIP endpoint (an extension with a phone, or a trunk).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointConf {
    /// Endpoint id (`201`, `trunk`).
    pub id: String,
    /// Caller id name (`Alice Agent`); empty for trunks.
    pub name: String,
    /// True for a trunk (no hint, `In use` device state, no auth).
    pub trunk: bool,
    /// True when the phone has a registered contact.
    pub registered: bool,
}

/// One simulated queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueSimConf {
    /// Queue number.
    pub id: String,
    /// Static members (extensions).
    pub static_members: Vec<String>,
    /// Dynamic members logged in at start (extensions).
    pub dynamic_members: Vec<String>,
}

/// Flood mode for benchmarks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FloodConf {
    /// Number of extensions to create (`F0000`..), on top of the configured ones.
    pub extensions: usize,
    /// Concurrent calls kept up.
    pub concurrent_calls: usize,
    /// Target AMI events per second (0 = as fast as possible).
    pub events_per_sec: u64,
    /// Benchmarks: before each call the caller's caller id name becomes
    /// [`crate::adapters::sim::flood::tag_name`] of the wall-clock time (ns since the Unix
    /// epoch), so a client can tell how long the call's events took to reach it.
    pub tag_callers: bool,
    /// Pause between a call's dial, answer and hang-up (zero: the three back to back).
    /// With a pause each phase reaches the daemon as its own burst, as real calls do (the
    /// daemon renders each changed extension once per burst it receives).
    pub phase_gap: std::time::Duration,
    /// Dialplan events (`VarSet`, `Newexten`) per call on top of the call's own ≈ 25: a
    /// real Asterisk 22 sends ≈ 88 AMI events per internal call, ≈ 60 of them such noise
    /// (`fixtures/ami/b-internal-call-201-to-202.ami`: 46 `VarSet`, 6 `Newexten`, …).
    pub noise_per_call: usize,
}

/// Everything the simulator needs.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// `SystemName` (prefix of uniqueids).
    pub system_name: String,
    /// Endpoints (extensions then trunks).
    pub endpoints: Vec<EndpointConf>,
    /// Queues.
    pub queues: Vec<QueueSimConf>,
    /// First and last parking space (lot `default`).
    pub parking: (u32, u32),
    /// Parking timeout in seconds.
    pub parking_timeout: u32,
    /// ConfBridge room numbers.
    pub conference_rooms: Vec<String>,
    /// Directed pickup feature code (dialled before the ringing extension).
    pub pickup_code: String,
    /// Phones answer after this delay; `None` = phones never answer by themselves.
    pub answer_delay: Option<Duration>,
    /// Generated calls per minute (0 = off).
    pub traffic_per_min: u32,
    /// Flood mode, if on.
    pub flood: Option<FloodConf>,
    /// AMI username accepted.
    pub username: String,
    /// AMI secret accepted.
    pub secret: String,
    /// Seed of the deterministic randomness.
    pub seed: u64,
    /// Unix time used as the PBX start time and uniqueid base.
    pub epoch: u64,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            system_name: "labpbx".into(),
            endpoints: Vec::new(),
            queues: Vec::new(),
            parking: (701, 720),
            parking_timeout: 45,
            conference_rooms: vec!["801".into()],
            pickup_code: "**".into(),
            answer_delay: Some(Duration::from_secs(2)),
            traffic_per_min: 0,
            flood: None,
            username: "cti".into(),
            secret: "ctisecret".into(),
            seed: 1,
            epoch: 1_796_322_700,
        }
    }
}

impl SimConfig {
    /// The lab PBX of the recorded transcripts: 201-203 registered, 204 not, a trunk,
    /// queue 401 (static 201, dynamic 202), parking 701-720, room 801; phones do not
    /// answer by themselves.
    pub fn lab() -> Self {
        let ep = |id: &str, name: &str, reg: bool| EndpointConf {
            id: id.into(),
            name: name.into(),
            trunk: false,
            registered: reg,
        };
        Self {
            endpoints: vec![
                ep("201", "Alice Agent", true),
                ep("202", "Bob Agent", true),
                ep("203", "Carol Desk", true),
                ep("204", "Dave Desk", false),
                EndpointConf {
                    id: "trunk".into(),
                    name: String::new(),
                    trunk: true,
                    registered: true,
                },
            ],
            queues: vec![QueueSimConf {
                id: "401".into(),
                static_members: vec!["201".into()],
                dynamic_members: vec!["202".into()],
            }],
            answer_delay: None,
            ..Self::default()
        }
    }

    /// The `--demo` PBX: [`SimConfig::from_directory`], phones answering after 2 s,
    /// `traffic_per_min` generated calls, AMI account `username`/`secret`.
    pub fn demo(
        users: &Users,
        objects: &AstObjects,
        traffic_per_min: u32,
        username: &str,
        secret: &str,
    ) -> Self {
        let mut cfg = Self::from_directory(users, objects);
        cfg.traffic_per_min = traffic_per_min;
        cfg.username = username.to_owned();
        cfg.secret = secret.to_owned();
        cfg.epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(cfg.epoch);
        cfg.seed = cfg.epoch;
        cfg
    }

    /// Builds endpoints and queues from the directory: every main extension of a user
    /// becomes a registered phone named after the user, every trunk a trunk endpoint,
    /// every queue a ringall queue whose dynamic members are logged in at start; the pickup
    /// feature code is the directory's `pickup` one.
    pub fn from_directory(users: &Users, objects: &AstObjects) -> Self {
        let mut endpoints: Vec<EndpointConf> = Vec::new();
        for user in users.iter() {
            for ext in &user.main_extensions {
                if endpoints.iter().any(|e| &e.id == ext) {
                    continue;
                }
                endpoints.push(EndpointConf {
                    id: ext.clone(),
                    name: user.name.clone(),
                    trunk: false,
                    registered: true,
                });
            }
        }
        endpoints.sort_by(|a, b| a.id.cmp(&b.id));
        for trunk in objects.trunks.values() {
            endpoints.push(EndpointConf {
                id: trunk.id.clone(),
                name: String::new(),
                trunk: true,
                registered: true,
            });
        }
        let queues = objects
            .queues
            .values()
            .map(|q| QueueSimConf {
                id: q.id.clone(),
                static_members: Vec::new(),
                dynamic_members: q
                    .dynmembers
                    .iter()
                    .filter(|m| endpoints.iter().any(|e| &e.id == *m))
                    .cloned()
                    .collect(),
            })
            .collect();
        let defaults = Self::default();
        Self {
            endpoints,
            queues,
            pickup_code: objects
                .feature_codes
                .get("pickup")
                .cloned()
                .unwrap_or(defaults.pickup_code.clone()),
            ..defaults
        }
    }
}
