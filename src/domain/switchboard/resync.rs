//! Snapshot application: rebuilds the whole state from the start-up lists and reports only
//! what differs from before (initial load, reconnect, `FullyBooted`, reload).

use super::channel::Chan;
use super::conference::Conference;
use super::contacts::Contacts;
use super::extension::{device_state_status, endpoint_state_status, split_forward, Extension};
use super::parking::{ParkedCaller, Parking};
use super::queue::{member_id, Queue, QueueMember, WaitingCaller};
use super::trunk::{registration_value, Trunk};
use super::{PrivacyView, Switchboard};
use crate::domain::change::Change;
use crate::domain::pbx_event::Snapshot;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

struct Before {
    extens: BTreeMap<String, Value>,
    trunks: BTreeMap<String, Value>,
    queues: BTreeMap<String, Value>,
    members: BTreeMap<(String, String), Value>,
    parkings: BTreeMap<String, Value>,
    confs: BTreeMap<String, Value>,
}

impl Switchboard {
    /// The JSON of every entity; extensions only `with_extens` (the state after a rebuild
    /// is compared extension by extension instead, see [`Switchboard::diff_extensions`]).
    fn capture(&self, now_ms: i64, with_extens: bool) -> Before {
        Before {
            extens: if with_extens {
                self.extens
                    .keys()
                    .filter_map(|e| {
                        Some((
                            e.clone(),
                            self.extension_json(e, now_ms, PrivacyView::Clear)?,
                        ))
                    })
                    .collect()
            } else {
                BTreeMap::new()
            },
            trunks: self
                .trunks
                .keys()
                .filter_map(|t| Some((t.clone(), self.trunk_json(t, now_ms, false)?)))
                .collect(),
            queues: self
                .queues
                .iter()
                .map(|(k, q)| (k.clone(), q.to_json(now_ms, None)))
                .collect(),
            members: self
                .queues
                .iter()
                .flat_map(|(k, q)| {
                    q.members
                        .iter()
                        .map(move |(m, v)| ((k.clone(), m.clone()), v.to_json()))
                })
                .collect(),
            parkings: self
                .parkings
                .iter()
                .map(|(k, p)| (k.clone(), p.to_json(now_ms, None)))
                .collect(),
            confs: self
                .conferences
                .iter()
                .map(|(k, c)| (k.clone(), c.to_json()))
                .collect(),
        }
    }

    pub(super) fn apply_snapshot(&mut self, s: Snapshot, now_ms: i64, out: &mut Vec<Change>) {
        let before = self.capture(now_ms, true);
        self.rebuild_extensions(&s);
        self.rebuild_trunks(&s);
        self.rebuild_channels(&s);
        self.rebuild_queues(&s, now_ms);
        self.rebuild_parkings(&s, now_ms);
        self.rebuild_conferences(&s);
        let chans = &self.chans;
        self.recording.retain(|id, _| {
            id.split('>')
                .filter(|x| !x.is_empty())
                .all(|x| chans.contains_key(x))
        });
        self.shutdown_seen = false;
        let after = self.capture(now_ms, false);
        self.diff_extensions(&before.extens, now_ms, out);
        diff(&before.trunks, &after.trunks, out, Change::TrunkChanged);
        diff(&before.members, &after.members, out, |(q, m)| {
            Change::QueueMemberChanged(q, m)
        });
        diff(&before.queues, &after.queues, out, Change::QueueChanged);
        diff(
            &before.parkings,
            &after.parkings,
            out,
            Change::ParkingChanged,
        );
        for (k, v) in &after.confs {
            if before.confs.get(k) != Some(v) {
                out.push(Change::ConferenceChanged(k.clone()));
            }
        }
        for k in before.confs.keys() {
            if !after.confs.contains_key(k) {
                out.push(Change::ConferenceEnded(k.clone()));
            }
        }
    }

    fn rebuild_extensions(&mut self, s: &Snapshot) {
        let mut db: HashMap<(&str, &str), &str> = HashMap::new();
        for (f, k, v) in &s.astdb {
            db.insert((f.as_str(), k.as_str()), v.as_str());
        }
        let dev: HashMap<&str, &str> = s
            .device_states
            .iter()
            .filter_map(|(d, st)| Some((d.strip_prefix("PJSIP/")?, st.as_str())))
            .collect();
        let mut extens = BTreeMap::new();
        for ep in &s.endpoints {
            let Some(name) = self.names.get(&ep.id) else {
                continue;
            };
            if self.ast.trunks.contains_key(&ep.id) {
                continue;
            }
            let fw =
                |fam: &str| split_forward(db.get(&(fam, ep.id.as_str())).copied().unwrap_or(""));
            let (cf, cf_vm) = fw("CF");
            let (cfb, cfb_vm) = fw("CFB");
            let (cfu, cfu_vm) = fw("CFU");
            let mut e = Extension {
                exten: ep.id.clone(),
                name: name.clone(),
                mac: self.macs.get(&ep.id).cloned().unwrap_or_default(),
                username: self.usernames.get(&ep.id).cloned(),
                context: ep.context.clone(),
                codecs: ep.codecs.clone(),
                status: endpoint_state_status(&ep.device_state).unwrap_or("offline"),
                dnd: db
                    .get(&("DND", ep.id.as_str()))
                    .is_some_and(|v| crate::domain::pbx_event::dnd_value_on(v)),
                cf,
                cf_vm,
                cfb,
                cfb_vm,
                cfu,
                cfu_vm,
                contacts: Contacts::default(),
            };
            if let Some(st) = dev.get(ep.id.as_str()).and_then(|d| device_state_status(d)) {
                e.status = st;
            }
            extens.insert(ep.id.clone(), e);
        }
        for c in &s.contacts {
            if matches!(c.status.as_str(), "Removed" | "Unreachable") {
                continue;
            }
            if let Some(e) = extens.get_mut(&c.endpoint) {
                e.contacts.insert(c.uri.clone(), c.clone());
            }
        }
        for e in extens.values_mut() {
            if e.contacts.is_empty() && e.status == "online" {
                e.status = "offline";
            }
        }
        self.exten_set = extens.keys().cloned().collect();
        self.extens = extens;
    }

    fn rebuild_trunks(&mut self, s: &Snapshot) {
        let mut trunks = BTreeMap::new();
        for ep in &s.endpoints {
            let Some(tc) = self.ast.trunks.get(&ep.id) else {
                continue;
            };
            let status = endpoint_state_status(&ep.device_state)
                .filter(|st| matches!(*st, "online" | "offline" | "busy"))
                .unwrap_or("unmonitored");
            let registration = s
                .registrations
                .iter()
                .find(|(t, _)| *t == ep.id)
                .map(|(_, st)| registration_value(st))
                .unwrap_or_else(|| "unmonitored".into());
            let (ip, port) = s
                .contacts
                .iter()
                .find(|c| c.endpoint == ep.id)
                .map(|c| {
                    let x = Extension {
                        contacts: [(c.uri.clone(), c.clone())].into_iter().collect(),
                        ..Extension::default()
                    };
                    let (ip, port, _) = x.contact_view();
                    (ip, port)
                })
                .unwrap_or_default();
            trunks.insert(
                ep.id.clone(),
                Trunk {
                    exten: ep.id.clone(),
                    name: tc.name.clone(),
                    chan_type: tc.tech.clone(),
                    max_channels: tc.max_channels,
                    user_context: tc.usercontext.clone(),
                    ip,
                    port,
                    codecs: ep.codecs.clone(),
                    status,
                    registration,
                    host: tc.host.clone(),
                    username: tc.username.clone(),
                },
            );
        }
        self.trunks = trunks;
    }

    fn rebuild_channels(&mut self, s: &Snapshot) {
        let old = std::mem::take(&mut self.chans);
        self.by_owner.clear();
        self.bridges.clear();
        let queue_of: HashMap<&str, &str> = s
            .queue_callers
            .iter()
            .map(|q| (q.channel.as_str(), q.queue.as_str()))
            .collect();
        for cs in &s.channels {
            let name = cs.info.channel.clone();
            self.seq += 1;
            let prev = old.get(&name);
            let queue = queue_of
                .get(name.as_str())
                .map(|q| q.to_string())
                .or_else(|| prev.and_then(|p| p.queue.clone()))
                .or_else(|| (cs.info.context == "from-queue").then(|| cs.info.exten.clone()));
            let c = Chan {
                info: cs.info.clone(),
                bridge: cs.bridge_id.clone().filter(|b| !b.is_empty()),
                in_conference: cs.application == "ConfBridge",
                dialer: prev.and_then(|p| p.dialer.clone()),
                dialed: prev.and_then(|p| p.dialed.clone()),
                queue,
                spy: prev.is_some_and(|p| p.spy),
                seq: prev.map(|p| p.seq).unwrap_or(self.seq),
                owner: self.owner_of(&name),
            };
            if let Some(b) = &c.bridge {
                self.bridges
                    .entry(b.clone())
                    .or_default()
                    .push(name.clone());
            }
            self.chans.insert(name.clone(), c);
        }
        let mut order: Vec<(u64, String)> =
            self.chans.iter().map(|(n, c)| (c.seq, n.clone())).collect();
        order.sort();
        let mut groups: HashMap<String, Vec<String>> = HashMap::new();
        for (_, n) in &order {
            let c = &self.chans[n];
            if let Some(super::Owner::Exten(o) | super::Owner::Trunk(o)) = &c.owner {
                self.by_owner.entry(o.clone()).or_default().push(n.clone());
            }
            if c.bridge.is_none() && c.is_live() {
                groups
                    .entry(c.info.linkedid.clone())
                    .or_default()
                    .push(n.clone());
            }
        }
        // Drop dial links to vanished channels, then pair unbridged channels by linkedid.
        let names: Vec<String> = self.chans.keys().cloned().collect();
        for n in &names {
            let (d1, d2) = {
                let c = &self.chans[n];
                (c.dialer.clone(), c.dialed.clone())
            };
            let keep = |x: Option<String>| x.filter(|x| self.chans.contains_key(x));
            let (d1, d2) = (keep(d1), keep(d2));
            if let Some(c) = self.chans.get_mut(n) {
                c.dialer = d1;
                c.dialed = d2;
            }
        }
        for g in groups.values() {
            let Some((first, rest)) = g.split_first() else {
                continue;
            };
            for r in rest {
                if self.chans[r].dialer.is_none() {
                    if let Some(c) = self.chans.get_mut(r) {
                        c.dialer = Some(first.clone());
                    }
                    if let Some(c) = self.chans.get_mut(first) {
                        if c.dialed.is_none() {
                            c.dialed = Some(r.clone());
                        }
                    }
                }
            }
        }
        self.reindex_links();
    }

    fn rebuild_queues(&mut self, s: &Snapshot, now_ms: i64) {
        let old = std::mem::take(&mut self.queues);
        let mut queues = BTreeMap::new();
        for p in &s.queue_params {
            let Some(qc) = self.ast.queues.get(&p.queue) else {
                continue;
            };
            if p.queue == "default" {
                continue;
            }
            queues.insert(
                p.queue.clone(),
                Queue {
                    name: qc.name.clone(),
                    queue: p.queue.clone(),
                    members: BTreeMap::new(),
                    stats: [
                        p.hold_time.clone(),
                        p.talk_time.clone(),
                        p.completed.clone(),
                        p.abandoned.clone(),
                        p.service_level.clone(),
                        p.service_level_perf.clone(),
                    ],
                    waiting: Vec::new(),
                },
            );
        }
        for m in &s.queue_members {
            let id = member_id(&m.interface).to_owned();
            if !self.member_allowed(&m.queue, &id, &m.membership) {
                continue;
            }
            let name = self
                .extens
                .get(&id)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            let Some(q) = queues.get_mut(&m.queue) else {
                continue;
            };
            let prev = old.get(&m.queue).and_then(|q| q.members.get(&id));
            let mut qm = QueueMember {
                kind: m.membership.clone(),
                name,
                queue: m.queue.clone(),
                member: id.clone(),
                paused: m.paused,
                logged_in: true,
                calls_taken: m.calls_taken,
                last_call: m.last_call,
                last_paused_in_reason: if m.paused {
                    m.paused_reason.clone()
                } else {
                    String::new()
                },
                last_paused_in: 0,
                last_paused_out: 0,
            };
            if let Some(p) = prev {
                qm.last_paused_in = p.last_paused_in;
                qm.last_paused_out = p.last_paused_out;
                if p.paused != qm.paused {
                    if qm.paused {
                        qm.last_paused_in = now_ms;
                    } else {
                        qm.last_paused_out = now_ms;
                    }
                }
            }
            q.members.insert(id, qm);
        }
        for (qid, q) in queues.iter_mut() {
            let Some(qc) = self.ast.queues.get(qid) else {
                continue;
            };
            for d in &qc.dynmembers {
                if q.members.contains_key(d) || !self.extens.contains_key(d) {
                    continue;
                }
                let prev = old.get(qid).and_then(|q| q.members.get(d));
                q.members.insert(
                    d.clone(),
                    QueueMember {
                        kind: "dynamic".into(),
                        name: self.extens[d].name.clone(),
                        queue: qid.clone(),
                        member: d.clone(),
                        last_paused_in: prev.map(|p| p.last_paused_in).unwrap_or(0),
                        last_paused_out: prev.map(|p| p.last_paused_out).unwrap_or(0),
                        ..QueueMember::default()
                    },
                );
            }
        }
        for c in &s.queue_callers {
            let Some(q) = queues.get_mut(&c.queue) else {
                continue;
            };
            let since = old
                .get(&c.queue)
                .and_then(|o| o.waiting.iter().find(|w| w.channel == c.channel))
                .map(|w| w.waiting_since)
                .unwrap_or(now_ms - (c.wait as i64) * 1000);
            q.waiting.push(WaitingCaller {
                channel: c.channel.clone(),
                num: c.caller_num.clone(),
                name: c.caller_name.clone(),
                queue: c.queue.clone(),
                position: c.position.clone(),
                waiting_since: since,
            });
        }
        self.queues = queues;
    }

    fn rebuild_parkings(&mut self, s: &Snapshot, now_ms: i64) {
        let old = std::mem::take(&mut self.parkings);
        let mut parkings = BTreeMap::new();
        for lot in &s.parking_lots {
            for n in lot.start..=lot.stop.min(lot.start.saturating_add(10_000)) {
                parkings.insert(
                    n.to_string(),
                    Parking {
                        parking: n.to_string(),
                        timeout: lot.timeout,
                        caller: None,
                    },
                );
            }
        }
        for pc in &s.parked_calls {
            let Some(p) = parkings.get_mut(&pc.space) else {
                continue;
            };
            let parkee = pc
                .parker_dial_string
                .split('/')
                .nth(1)
                .unwrap_or("")
                .to_owned();
            let parkee_name = self
                .extens
                .get(&parkee)
                .map(|e| e.name.clone())
                .unwrap_or_default();
            let ch = self.chans.get(&pc.channel);
            let num = if pc.caller_num.is_empty() {
                ch.map(|c| c.info.caller_num.clone()).unwrap_or_default()
            } else {
                pc.caller_num.clone()
            };
            let name = if pc.caller_name.is_empty() {
                ch.map(|c| c.info.caller_name.clone()).unwrap_or_default()
            } else {
                pc.caller_name.clone()
            };
            let timeout_at = old
                .get(&pc.space)
                .and_then(|o| o.caller.as_ref())
                .filter(|c| c.channel == pc.channel)
                .map(|c| c.timeout_at)
                .unwrap_or(now_ms + (pc.timeout as i64) * 1000);
            p.caller = Some(ParkedCaller {
                num,
                name,
                channel: pc.channel.clone(),
                timeout_at,
                parkee_num: parkee,
                parkee_name,
            });
        }
        self.parkings = parkings;
    }

    fn rebuild_conferences(&mut self, s: &Snapshot) {
        let mut confs: BTreeMap<String, Conference> = BTreeMap::new();
        for u in &s.conference_users {
            let id = self.conf_id(&u.conference);
            let user = self.conf_user(u);
            confs
                .entry(id.clone())
                .or_insert_with(|| Conference {
                    id,
                    ..Conference::default()
                })
                .users
                .insert(u.caller_num.clone(), user);
        }
        self.conferences = confs;
    }
}

impl Switchboard {
    /// [`diff`] of the extensions' JSON `before` against the current state, rendering one
    /// current extension at a time and only those that existed before (a new one is a
    /// change whatever its JSON): the first load renders none, where holding the whole
    /// "after" map cost 24 MB at 10,000 extensions.
    fn diff_extensions(
        &self,
        before: &BTreeMap<String, Value>,
        now_ms: i64,
        out: &mut Vec<Change>,
    ) {
        for e in self.extens.keys() {
            let same = before.get(e).is_some_and(|old| {
                self.extension_json(e, now_ms, PrivacyView::Clear).as_ref() == Some(old)
            });
            if !same {
                out.push(Change::ExtensionChanged(e.clone()));
            }
        }
        for e in before.keys() {
            if !self.extens.contains_key(e) {
                out.push(Change::ExtensionChanged(e.clone()));
            }
        }
    }
}

fn diff<K: Ord + Clone>(
    before: &BTreeMap<K, Value>,
    after: &BTreeMap<K, Value>,
    out: &mut Vec<Change>,
    mk: impl Fn(K) -> Change,
) {
    for (k, v) in after {
        if before.get(k) != Some(v) {
            out.push(mk(k.clone()));
        }
    }
    for k in before.keys() {
        if !after.contains_key(k) {
            out.push(mk(k.clone()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{AstObjects, Users};
    use crate::domain::pbx_event::{EndpointInfo, PbxEvent};
    use serde_json::json;

    fn endpoint(id: &str, state: &str) -> EndpointInfo {
        EndpointInfo {
            id: id.into(),
            device_state: state.into(),
            ..EndpointInfo::default()
        }
    }

    fn snapshot(endpoints: &[(&str, &str)]) -> PbxEvent {
        PbxEvent::Snapshot(Box::new(Snapshot {
            endpoints: endpoints.iter().map(|(i, s)| endpoint(i, s)).collect(),
            ..Snapshot::default()
        }))
    }

    fn extension_changes(changes: &[Change]) -> Vec<&str> {
        changes
            .iter()
            .filter_map(|c| match c {
                Change::ExtensionChanged(e) => Some(e.as_str()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reload_reports_new_changed_and_gone_extensions_only() {
        let users = Users::from_json(&json!({
            "a": {"endpoints": {"mainextension": {"201": {}}}},
            "b": {"endpoints": {"mainextension": {"202": {}}}},
            "c": {"endpoints": {"mainextension": {"203": {}}}},
            "d": {"endpoints": {"mainextension": {"204": {}}}}
        }))
        .expect("users");
        let ast = AstObjects::from_json(&json!({"trunks": {}, "queues": {}})).expect("ast");
        let mut sb = Switchboard::new(&users, &ast, "xxx");
        let first = sb.apply(
            snapshot(&[
                ("201", "Unavailable"),
                ("202", "Unavailable"),
                ("204", "Unavailable"),
            ]),
            0,
        );
        assert_eq!(extension_changes(&first), vec!["201", "202", "204"]);
        let again = sb.apply(
            snapshot(&[
                ("201", "Unavailable"),
                ("202", "In use"),
                ("203", "Unavailable"),
            ]),
            0,
        );
        // 201 unchanged; 202 busy now; 203 new; 204 gone (after the current ones).
        assert_eq!(extension_changes(&again), vec!["202", "203", "204"]);
        assert_eq!(sb.extension("202").map(|e| e.status), Some("busy"));
        assert!(sb.extension("204").is_none());
    }
}
