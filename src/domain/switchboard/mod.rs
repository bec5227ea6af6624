//! The live switchboard: extensions, channels, conversations, trunks, queues, parkings and
//! conferences, updated incrementally from [`PbxEvent`]s.
//!
//! Channels are indexed by name, by owner (extension or trunk) and by bridge, so applying
//! one event costs the same whatever the number of extensions or live channels.
//! Conversations are derived from the channel table when serialized, with the same ids,
//! source/destination and counterpart rules as the original snapshot rebuild.

pub mod channel;
pub mod conference;
pub mod contacts;
pub mod conversation;
mod dial_links;
pub mod events;
pub mod extension;
pub mod fast_hash;
pub mod parking;
pub mod privacy;
pub mod queue;
pub mod render_rev;
pub mod resync;
mod touch;
pub mod trunk;

use crate::domain::change::Change;
use crate::domain::directory::{AstObjects, Users};
use crate::domain::pbx_event::PbxEvent;
use channel::Chan;
use conference::Conference;
use extension::Extension;
use fast_hash::{FastMap, FastSet};
use parking::Parking;
pub use privacy::PrivacyView;
use queue::Queue;
use render_rev::RenderRevs;
pub use render_rev::RenderStamp;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use trunk::Trunk;

/// Who a channel belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// A tracked extension.
    Exten(String),
    /// A trunk.
    Trunk(String),
}

/// The switchboard state.
#[derive(Debug, Clone, Default)]
pub struct Switchboard {
    privacy: String,
    names: FastMap<String, String>,
    usernames: FastMap<String, String>,
    macs: FastMap<String, String>,
    ast: AstObjects,
    trunk_by_ctx: FastMap<String, String>,
    conf_code: String,
    extens: BTreeMap<String, Extension>,
    /// Keys of `extens`, hashed: the per-event "is this a tracked extension" test.
    exten_set: FastSet<String>,
    trunks: BTreeMap<String, Trunk>,
    queues: BTreeMap<String, Queue>,
    parkings: BTreeMap<String, Parking>,
    conferences: BTreeMap<String, Conference>,
    chans: FastMap<String, Chan>,
    by_owner: FastMap<String, Vec<String>>,
    bridges: FastMap<String, Vec<String>>,
    /// Channel name -> channels whose `dialer`/`dialed` name it (see `dial_links`).
    dial_refs: FastMap<String, Vec<String>>,
    recording: FastMap<String, String>,
    seq: u64,
    shutdown_seen: bool,
    /// What render caches compare (see `render_rev`).
    revs: RenderRevs,
}

impl Switchboard {
    /// An empty switchboard for these users and PBX objects; `privacy` is the masking
    /// string (`"xxx"`). Entities appear with the first [`PbxEvent::Snapshot`].
    pub fn new(users: &Users, ast: &AstObjects, privacy: &str) -> Self {
        let mut sb = Switchboard {
            privacy: privacy.to_owned(),
            ast: ast.clone(),
            ..Switchboard::default()
        };
        for u in users.iter() {
            for e in u.all_extensions() {
                sb.names
                    .entry(e.to_owned())
                    .or_insert_with(|| u.name.clone());
                sb.usernames
                    .entry(e.to_owned())
                    .or_insert_with(|| u.username.clone());
            }
            for d in &u.devices {
                if !d.mac.is_empty() {
                    sb.macs.insert(d.id.clone(), d.mac.clone());
                }
            }
        }
        for t in ast.trunks.values() {
            if !t.usercontext.is_empty() {
                sb.trunk_by_ctx.insert(t.usercontext.clone(), t.id.clone());
            }
        }
        sb.conf_code = ast
            .feature_codes
            .get("confbridge_conf")
            .or_else(|| ast.feature_codes.get("meetme_conf"))
            .cloned()
            .unwrap_or_default();
        sb
    }

    /// Applies one event and returns what changed.
    pub fn apply(&mut self, event: PbxEvent, now_ms: i64) -> Vec<Change> {
        let snapshot = matches!(event, PbxEvent::Snapshot(_));
        let mut out = Vec::new();
        self.apply_into(event, now_ms, &mut out);
        self.revs.note(&out, snapshot);
        out
    }

    /// A number every mutation ([`apply`](Self::apply),
    /// [`set_recording`](Self::set_recording)) increases: equal generations, same state.
    pub fn generation(&self) -> u64 {
        self.revs.generation()
    }

    /// What extension `e`'s JSON is rendered from (`None` for unknown extensions): while
    /// the stamp stays equal, so does the JSON at any `now` before
    /// [`extension_json_until`](Self::extension_json_until).
    pub fn render_stamp(&self, e: &str) -> Option<RenderStamp> {
        if !self.extens.contains_key(e) {
            return None;
        }
        Some(self.revs.stamp(e, !self.channels_of(e).is_empty()))
    }

    /// The privacy string.
    pub fn privacy(&self) -> &str {
        &self.privacy
    }

    /// Owner of a channel name.
    pub fn owner_of(&self, name: &str) -> Option<Owner> {
        if channel::is_helper(name) {
            return None;
        }
        let e = channel::chan_exten(name);
        if self.exten_set.contains(e) {
            Some(Owner::Exten(e.to_owned()))
        } else if self.ast.trunks.contains_key(e) {
            Some(Owner::Trunk(e.to_owned()))
        } else {
            self.trunk_by_ctx.get(e).map(|t| Owner::Trunk(t.clone()))
        }
    }

    /// True when `e` is a tracked extension.
    pub fn is_extension(&self, e: &str) -> bool {
        self.exten_set.contains(e)
    }

    /// The extension entity.
    pub fn extension(&self, e: &str) -> Option<&Extension> {
        self.extens.get(e)
    }

    /// Tracked extension numbers, in order.
    pub fn extension_ids(&self) -> impl Iterator<Item = &str> {
        self.extens.keys().map(String::as_str)
    }

    /// Counts: (extensions, queues, trunks, parkings, channels).
    pub fn counts(&self) -> (usize, usize, usize, usize, usize) {
        (
            self.extens.len(),
            self.queues.len(),
            self.trunks.len(),
            self.parkings.len(),
            self.chans.len(),
        )
    }

    /// Extension JSON (`extenUpdate` / REST), `None` for unknown extensions.
    pub fn extension_json(&self, e: &str, now_ms: i64, view: PrivacyView) -> Option<Value> {
        let ext = self.extens.get(e)?;
        let convs = self.conversations_json(e, now_ms, view);
        Some(ext.to_json(convs, view.for_other(&self.privacy)))
    }

    /// All extensions keyed by number.
    pub fn extensions_json(&self, now_ms: i64, view: PrivacyView) -> Value {
        let m: Map<String, Value> = self
            .extens
            .keys()
            .filter_map(|e| Some((e.clone(), self.extension_json(e, now_ms, view)?)))
            .collect();
        Value::Object(m)
    }

    /// Queue JSON; `masked` obfuscates waiting callers.
    pub fn queue_json(&self, q: &str, now_ms: i64, masked: bool) -> Option<Value> {
        let p = masked.then_some(self.privacy.as_str());
        Some(self.queues.get(q)?.to_json(now_ms, p))
    }

    /// All queues.
    pub fn queues_json(&self, now_ms: i64, masked: bool) -> Value {
        let p = masked.then_some(self.privacy.as_str());
        Value::Object(
            self.queues
                .iter()
                .map(|(k, q)| (k.clone(), q.to_json(now_ms, p)))
                .collect(),
        )
    }

    /// QueueMember JSON.
    pub fn queue_member_json(&self, q: &str, member: &str) -> Option<Value> {
        Some(self.queues.get(q)?.members.get(member)?.to_json())
    }

    /// Parking JSON.
    pub fn parking_json(&self, p: &str, now_ms: i64, masked: bool) -> Option<Value> {
        let ps = masked.then_some(self.privacy.as_str());
        Some(self.parkings.get(p)?.to_json(now_ms, ps))
    }

    /// All parkings.
    pub fn parkings_json(&self, now_ms: i64, masked: bool) -> Value {
        let ps = masked.then_some(self.privacy.as_str());
        Value::Object(
            self.parkings
                .iter()
                .map(|(k, p)| (k.clone(), p.to_json(now_ms, ps)))
                .collect(),
        )
    }

    /// Conference JSON (`{}` when the extension owns none).
    pub fn conference_json(&self, id: &str) -> Value {
        self.conferences
            .get(id)
            .map(Conference::to_json)
            .unwrap_or_else(|| Value::Object(Map::new()))
    }

    /// The conference owned by an extension.
    pub fn conference(&self, id: &str) -> Option<&Conference> {
        self.conferences.get(id)
    }

    /// Channel names of an extension (or trunk), in creation order.
    pub fn channels_of(&self, owner: &str) -> &[String] {
        self.by_owner.get(owner).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Names of every live channel (any order).
    pub fn channel_names(&self) -> impl Iterator<Item = &str> {
        self.chans.keys().map(String::as_str)
    }

    /// A live channel by name.
    pub fn channel(&self, name: &str) -> Option<&Chan> {
        self.chans.get(name)
    }

    /// The channel of a caller waiting in a queue (`None` if not waiting there).
    pub fn queue_waiting_channel(&self, q: &str, channel: &str) -> Option<&str> {
        self.queues
            .get(q)?
            .waiting
            .iter()
            .find(|w| w.channel == channel)
            .map(|w| w.channel.as_str())
    }

    /// The parked channel of a slot.
    pub fn parked_channel(&self, slot: &str) -> Option<&str> {
        self.parkings
            .get(slot)?
            .caller
            .as_ref()
            .map(|c| c.channel.as_str())
    }

    /// Sets/clears the recording state of a conversation id (`"true"`, `"mute"`, `None`);
    /// returns the changes (every extension/trunk holding that conversation).
    pub fn set_recording(&mut self, conv_id: &str, state: Option<&str>) -> Vec<Change> {
        match state {
            Some(s) => {
                self.recording.insert(conv_id.to_owned(), s.to_owned());
            }
            None => {
                self.recording.remove(conv_id);
            }
        }
        let mut out = Vec::new();
        for side in conv_id.split('>') {
            if let Some(o) = self.owner_of(side) {
                push_owner_change(&mut out, o);
            }
        }
        self.revs.note(&out, false);
        out
    }
}

/// Pushes `ExtensionChanged`/`TrunkChanged` for an owner, without duplicates.
pub(crate) fn push_owner_change(out: &mut Vec<Change>, o: Owner) {
    push_owner_ref(out, &o);
}

/// Like [`push_owner_change`] but clones the key only when it is new.
pub(crate) fn push_owner_ref(out: &mut Vec<Change>, o: &Owner) {
    let dup = out.iter().any(|c| match (c, o) {
        (Change::ExtensionChanged(a), Owner::Exten(b)) => a == b,
        (Change::TrunkChanged(a), Owner::Trunk(b)) => a == b,
        _ => false,
    });
    if !dup {
        out.push(match o {
            Owner::Exten(e) => Change::ExtensionChanged(e.clone()),
            Owner::Trunk(t) => Change::TrunkChanged(t.clone()),
        });
    }
}
