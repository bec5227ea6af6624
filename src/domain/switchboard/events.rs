//! Incremental application of PBX events (everything but snapshots).

use super::channel::{chan_exten, is_helper, Chan, NameBuf};
use super::conference::{ConfUser, Conference};
use super::dial_links::Link;
use super::extension::{device_state_status, split_forward};
use super::parking::ParkedCaller;
use super::queue::{member_id, QueueMember, WaitingCaller};
use super::touch::InfoDelta;
use super::trunk::registration_value;
use super::{Owner, Switchboard};
use crate::domain::change::{cause_name, Change, ConnectedInfo, DialingInfo, HangupInfo};
use crate::domain::pbx_event::{ChannelInfo, ConfUserInfo, ForwardKind, PbxEvent, QueueMemberInfo};

impl Switchboard {
    /// Stores a channel's latest facts (creating the channel when new); tells what changed.
    fn upsert(&mut self, info: ChannelInfo) -> InfoDelta {
        if let Some(c) = self.chans.get_mut(info.channel.as_str()) {
            let delta = InfoDelta::between(&c.info, &info);
            if c.info != info {
                c.info = info;
            }
            return delta;
        }
        let name = info.channel.clone();
        self.seq += 1;
        let owner = self.owner_of(&name);
        if let Some(Owner::Exten(o) | Owner::Trunk(o)) = &owner {
            match self.by_owner.get_mut(o.as_str()) {
                Some(v) => v.push(name.clone()),
                None => {
                    self.by_owner.insert(o.clone(), vec![name.clone()]);
                }
            }
        }
        self.chans.insert(
            name,
            Chan {
                info,
                seq: self.seq,
                owner,
                ..Chan::default()
            },
        );
        InfoDelta::NEW
    }

    fn owner_key(&self, name: &str) -> Option<String> {
        match self.owner_of(name)? {
            Owner::Exten(e) => Some(e),
            Owner::Trunk(t) => Some(t),
        }
    }

    fn leave_bridge(&mut self, name: &str) {
        let Some(b) = self.chans.get_mut(name).and_then(|c| c.bridge.take()) else {
            return;
        };
        self.unlink_bridge(&b, name);
    }

    /// Drops `name` from the members of bridge `b` (and the bridge when it empties).
    fn unlink_bridge(&mut self, b: &str, name: &str) {
        if let Some(m) = self.bridges.get_mut(b) {
            m.retain(|x| x != name);
            if m.is_empty() {
                self.bridges.remove(b);
            }
        }
    }

    /// Removes a channel and its index entries; returns it (with its `bridge` still set).
    /// An owner's emptied channel list is kept: owners are configured extensions and
    /// trunks (a bounded set), and their next call then reuses the list.
    fn remove_chan(&mut self, name: &str) -> Option<Chan> {
        let c = self.chans.remove(name);
        if let Some(c) = &c {
            self.unindex_links(name, c);
            if let Some(b) = &c.bridge {
                self.unlink_bridge(b, name);
            }
            if let Some(Owner::Exten(o) | Owner::Trunk(o)) = &c.owner {
                if let Some(v) = self.by_owner.get_mut(o.as_str()) {
                    v.retain(|x| x != name);
                }
            }
        }
        if !self.recording.is_empty() {
            self.recording.retain(|id, _| !id.contains(name));
        }
        c
    }

    /// State / caller id / connected line: pairing is unchanged, so the owners before and
    /// after are the same — one touch when something they render actually changed.
    fn channel_event(&mut self, info: ChannelInfo, out: &mut Vec<Change>) {
        let name = NameBuf::new(&info.channel);
        let delta = self.upsert(info);
        self.touch_delta(name.as_str(), delta, out);
    }

    pub(super) fn apply_into(&mut self, ev: PbxEvent, now_ms: i64, out: &mut Vec<Change>) {
        match ev {
            PbxEvent::ChannelCreated(info) => {
                let name = NameBuf::new(&info.channel);
                self.upsert(info);
                self.touch(name.as_str(), out);
            }
            PbxEvent::ChannelState(info)
            | PbxEvent::CallerId(info)
            | PbxEvent::ConnectedLine(info) => self.channel_event(info, out),
            PbxEvent::ChannelApp { info, application } => {
                let name = NameBuf::new(&info.channel);
                let name = name.as_str();
                let conf = application.eq_ignore_ascii_case("ConfBridge");
                let was = self.chans.get(name).map(|c| c.in_conference);
                // A Newexten may carry new caller / connected-line facts: they count as
                // much as the conference flag; the dialplan position alone does not.
                let mut delta = self.upsert(info);
                if was != Some(conf) {
                    if let Some(c) = self.chans.get_mut(name) {
                        c.in_conference = conf;
                    }
                    delta.rendered = true;
                }
                self.touch_delta(name, delta, out);
            }
            PbxEvent::ChannelRenamed { old, new } => self.rename(&old, &new, out),
            PbxEvent::DialBegin { caller, dest } => self.dial_begin(caller, dest, out),
            PbxEvent::DialEnd { .. } => {}
            PbxEvent::BridgeEnter { bridge, info } => self.bridge_enter(bridge, info, out),
            PbxEvent::BridgeLeave { info, .. } => {
                let name = NameBuf::new(&info.channel);
                let name = name.as_str();
                // A channel never seen cannot leave a bridge it was never in: creating it
                // here would show a phantom conversation until some Hangup arrives.
                if !self.chans.contains_key(name) {
                    return;
                }
                self.touch(name, out);
                self.upsert(info);
                self.leave_bridge(name);
                self.touch(name, out);
            }
            PbxEvent::Hangup { info, cause } => self.hangup(info, cause, out),
            PbxEvent::Hold(info) => self.set_hold(&info.channel, "onhold", out),
            PbxEvent::Unhold(info) => self.set_hold(&info.channel, "busy", out),
            PbxEvent::LocalOptimized { .. } => {}
            PbxEvent::QueueCallerJoin(q) => {
                if let Some(c) = self.chans.get_mut(&q.channel) {
                    c.queue = Some(q.queue.clone());
                }
                if let Some(queue) = self.queues.get_mut(&q.queue) {
                    queue.waiting.retain(|w| w.channel != q.channel);
                    queue.waiting.push(WaitingCaller {
                        channel: q.channel.clone(),
                        num: q.caller_num.clone(),
                        name: q.caller_name.clone(),
                        queue: q.queue.clone(),
                        position: q.position.clone(),
                        waiting_since: now_ms - (q.wait as i64) * 1000,
                    });
                    out.push(Change::QueueChanged(q.queue.clone()));
                }
                self.touch_facts(&q.channel, out);
            }
            PbxEvent::QueueCallerLeave { queue, channel } => {
                if self.remove_waiting(&queue, &channel) {
                    out.push(Change::QueueChanged(queue));
                }
            }
            PbxEvent::QueueMemberAdded(m) | PbxEvent::QueueMemberStatus(m) => {
                self.member_update(m, now_ms, out)
            }
            PbxEvent::QueueMemberPause {
                queue,
                interface,
                paused,
                reason,
            } => {
                let id = member_id(&interface).to_owned();
                if let Some(m) = self
                    .queues
                    .get_mut(&queue)
                    .and_then(|q| q.members.get_mut(&id))
                {
                    let before = m.clone();
                    pause_member(m, paused, &reason, now_ms);
                    if *m != before {
                        out.push(Change::QueueMemberChanged(queue, id));
                    }
                }
            }
            PbxEvent::QueueMemberRemoved { queue, interface } => {
                let id = member_id(&interface).to_owned();
                if let Some(m) = self
                    .queues
                    .get_mut(&queue)
                    .and_then(|q| q.members.get_mut(&id))
                {
                    m.logged_in = false;
                    m.paused = false;
                    m.last_paused_in_reason.clear();
                    m.last_paused_out = now_ms;
                    out.push(Change::QueueMemberChanged(queue, id));
                }
            }
            PbxEvent::QueueParams(p) => {
                if let Some(q) = self.queues.get_mut(&p.queue) {
                    let s = [
                        p.hold_time,
                        p.talk_time,
                        p.completed,
                        p.abandoned,
                        p.service_level,
                        p.service_level_perf,
                    ];
                    if q.stats != s {
                        q.stats = s;
                        out.push(Change::QueueChanged(p.queue));
                    }
                }
            }
            PbxEvent::Parked(pc) => {
                let parkee = pc
                    .parker_dial_string
                    .split('/')
                    .nth(1)
                    .unwrap_or("")
                    .to_owned();
                let parkee = chan_exten_of_dial(&parkee);
                let parkee_name = self
                    .extens
                    .get(&parkee)
                    .map(|e| e.name.clone())
                    .unwrap_or_default();
                if let Some(p) = self.parkings.get_mut(&pc.space) {
                    p.caller = Some(ParkedCaller {
                        num: pc.caller_num,
                        name: pc.caller_name,
                        channel: pc.channel,
                        timeout_at: now_ms + (pc.timeout as i64) * 1000,
                        parkee_num: parkee,
                        parkee_name,
                    });
                    out.push(Change::ParkingChanged(pc.space));
                }
            }
            PbxEvent::Unparked { space, .. }
            | PbxEvent::ParkedTimeout { space, .. }
            | PbxEvent::ParkedGiveUp { space, .. } => {
                if let Some(p) = self.parkings.get_mut(&space) {
                    if p.caller.take().is_some() {
                        out.push(Change::ParkingChanged(space));
                    }
                }
            }
            PbxEvent::ConfStart { .. } => {}
            PbxEvent::ConfJoin(u) => self.conf_join(u, out),
            PbxEvent::ConfLeave(u) => {
                let id = self.conf_id(&u.conference);
                if let Some(c) = self.conferences.get_mut(&id) {
                    c.users.remove(&u.caller_num);
                    if !c.users.is_empty() {
                        out.push(Change::ConferenceChanged(id));
                    }
                }
                if let Some(c) = self.chans.get_mut(&u.channel) {
                    c.in_conference = false;
                }
                self.touch_facts(&u.channel, out);
            }
            PbxEvent::ConfEnd { conference } => {
                let id = self.conf_id(&conference);
                if self.conferences.remove(&id).is_some() {
                    out.push(Change::ConferenceEnded(id));
                }
            }
            PbxEvent::ConfMute { user, muted } => {
                let id = self.conf_id(&user.conference);
                if let Some(u) = self
                    .conferences
                    .get_mut(&id)
                    .and_then(|c| c.users.get_mut(&user.caller_num))
                {
                    if u.muted != muted {
                        u.muted = muted;
                        out.push(Change::ConferenceChanged(id));
                    }
                }
            }
            PbxEvent::ConfTalking { .. } => {}
            PbxEvent::DeviceState { device, state } => {
                let Some(x) = device.strip_prefix("PJSIP/").filter(|x| !x.contains('/')) else {
                    return;
                };
                let Some(mut s) = device_state_status(&state) else {
                    return;
                };
                if let Some(e) = self.extens.get_mut(x) {
                    if s == "online" && e.contacts.is_empty() {
                        s = "offline";
                    }
                    if e.status != s {
                        e.status = s;
                        out.push(Change::ExtensionChanged(x.to_owned()));
                    }
                }
            }
            PbxEvent::ExtensionState { .. } => {}
            PbxEvent::ContactStatus(ci) => {
                let Some(e) = self.extens.get_mut(&ci.endpoint) else {
                    return;
                };
                let before = e.clone();
                match ci.status.as_str() {
                    "Removed" | "Unreachable" => {
                        e.contacts.remove(&ci.uri);
                    }
                    _ => {
                        let entry = e.contacts.entry_or_default(ci.uri.clone());
                        let ua = if ci.user_agent.is_empty() {
                            entry.user_agent.clone()
                        } else {
                            ci.user_agent.clone()
                        };
                        *entry = ContactMerge::merge(entry, ci);
                        entry.user_agent = ua;
                    }
                }
                if e.contacts.is_empty() {
                    e.status = "offline";
                } else if e.status == "offline" {
                    e.status = "online";
                }
                if *e != before {
                    out.push(Change::ExtensionChanged(e.exten.clone()));
                }
            }
            PbxEvent::Dnd { exten, enabled } => {
                if let Some(e) = self.extens.get_mut(&exten) {
                    if e.dnd != enabled {
                        e.dnd = enabled;
                        out.push(Change::ExtensionChanged(exten.clone()));
                        out.push(Change::DndChanged { exten, enabled });
                    }
                }
            }
            PbxEvent::Forward { kind, exten, value } => self.forward(kind, exten, value, out),
            PbxEvent::SpyStart { spyer, .. } => self.set_spy(&spyer, true, out),
            PbxEvent::SpyStop { spyer } => self.set_spy(&spyer, false, out),
            PbxEvent::Registry {
                username,
                domain,
                status,
            } => {
                let reg = registration_value(&status);
                for t in self.trunks.values_mut() {
                    if !t.host.is_empty()
                        && domain.contains(&t.host)
                        && username.contains(&t.username)
                        && t.registration != reg
                    {
                        t.registration = reg.clone();
                        out.push(Change::TrunkChanged(t.exten.clone()));
                    }
                }
            }
            PbxEvent::FullyBooted => out.push(Change::ResyncRequested),
            PbxEvent::Shutdown { .. } => self.shutdown_seen = true,
            PbxEvent::Reload { .. } => out.push(Change::ResyncRequested),
            PbxEvent::Snapshot(s) => self.apply_snapshot(*s, now_ms, out),
        }
    }

    fn rename(&mut self, old: &str, new: &str, out: &mut Vec<Change>) {
        self.touch(old, out);
        if !self.chans.contains_key(old) {
            return;
        }
        let Some(mut c) = self.remove_chan(old) else {
            return;
        };
        c.info.channel = new.to_owned();
        c.owner = self.owner_of(new);
        let bridge = c.bridge.clone();
        let seq = c.seq;
        self.index_links(new, &c);
        if let Some(prev) = self.chans.insert(new.to_owned(), c) {
            self.unindex_links(new, &prev);
        }
        if let Some(b) = bridge {
            self.bridges.entry(b).or_default().push(new.to_owned());
        }
        if let Some(o) = self.owner_key(new) {
            let v = self.by_owner.entry(o).or_default();
            v.push(new.to_owned());
            let chans = &self.chans;
            v.sort_by_key(|n| chans.get(n).map(|c| c.seq).unwrap_or(seq));
        }
        self.relink(old, new);
        self.touch(new, out);
    }

    fn dial_begin(
        &mut self,
        caller: Option<ChannelInfo>,
        dest: ChannelInfo,
        out: &mut Vec<Change>,
    ) {
        let dname = dest.channel.clone();
        // The ringing extension, when the destination is one (and there is a caller).
        let ringing = (caller.is_some() && !is_helper(&dname))
            .then(|| chan_exten(&dname))
            .filter(|de| self.is_extension(de))
            .map(|de| (de.to_owned(), dest.uniqueid.clone()));
        self.upsert(dest);
        if let Some(ci) = caller {
            let cname = ci.channel.clone();
            self.touch(&cname, out);
            let caller_id = ringing
                .is_some()
                .then(|| (ci.caller_num.clone(), ci.caller_name.clone()));
            self.upsert(ci);
            self.set_link(&cname, Link::Dialed, dname.clone());
            self.set_link(&dname, Link::Dialer, cname.clone());
            if let (Some((de, dest_uid)), Some((num, name))) = (ringing, caller_id) {
                out.insert(
                    0,
                    Change::Dialing(DialingInfo {
                        dialing_exten: de.clone(),
                        num_called: de,
                        caller_has_conf: self.conferences.contains_key(&num),
                        caller_num: num,
                        caller_name: name,
                        channel: cname.clone(),
                        dest_uniqueid: dest_uid,
                    }),
                );
            }
            self.touch(&cname, out);
        }
        self.touch(&dname, out);
    }

    fn bridge_enter(&mut self, bridge: String, info: ChannelInfo, out: &mut Vec<Change>) {
        let name = NameBuf::new(&info.channel);
        let name = name.as_str();
        // Local helper legs never belong to a user: no connected event for them.
        let conn = (!is_helper(name)).then(|| ConnectedInfo {
            num1: chan_exten(name).to_owned(),
            num2: info.connected_num.clone(),
            direction: if info.uniqueid == info.linkedid {
                "out"
            } else {
                "in"
            },
            uniqueid: info.uniqueid.clone(),
            linkedid: info.linkedid.clone(),
            through_trunk: false,
        });
        let member = info.channel.clone();
        self.touch(name, out);
        self.upsert(info);
        self.leave_bridge(name);
        match self.bridges.get_mut(bridge.as_str()) {
            Some(m) => m.push(member),
            None => {
                self.bridges.insert(bridge.clone(), vec![member]);
            }
        }
        if let Some(c) = self.chans.get_mut(name) {
            c.bridge = Some(bridge);
        }
        self.touch(name, out);
        let Some(conn) = conn else {
            return;
        };
        let through_trunk = !(self.is_extension(&conn.num1) && self.is_extension(&conn.num2));
        out.push(Change::Connected(ConnectedInfo {
            through_trunk,
            ..conn
        }));
    }

    fn hangup(&mut self, info: ChannelInfo, cause: u32, out: &mut Vec<Change>) {
        let ChannelInfo {
            channel: name,
            caller_num,
            connected_num,
            ..
        } = info;
        let ext = chan_exten(&name);
        if self.is_extension(ext) && !is_helper(&name) {
            out.push(Change::ExtensionHangup(HangupInfo {
                cause: cause_name(cause),
                caller_num,
                channel_exten: ext.to_owned(),
                called_num: connected_num,
            }));
        }
        self.touch(&name, out);
        let queue = self.remove_chan(&name).and_then(|c| c.queue);
        if let Some(q) = queue {
            if self.remove_waiting(&q, &name) {
                out.push(Change::QueueChanged(q));
            }
        }
        let parked: Vec<String> = self
            .parkings
            .iter()
            .filter(|(_, p)| p.caller.as_ref().is_some_and(|c| c.channel == name))
            .map(|(k, _)| k.clone())
            .take(1)
            .collect();
        for k in parked {
            if let Some(p) = self.parkings.get_mut(&k) {
                p.caller = None;
            }
            out.push(Change::ParkingChanged(k));
        }
    }

    fn remove_waiting(&mut self, queue: &str, channel: &str) -> bool {
        let Some(q) = self.queues.get_mut(queue) else {
            return false;
        };
        let Some(i) = q.waiting.iter().position(|w| w.channel == channel) else {
            return false;
        };
        let left: u64 = q.waiting[i].position.parse().unwrap_or(0);
        q.waiting.remove(i);
        for w in &mut q.waiting {
            if let Ok(p) = w.position.parse::<u64>() {
                if p > left && left > 0 {
                    w.position = (p - 1).to_string();
                }
            }
        }
        true
    }

    fn set_hold(&mut self, name: &str, status: &'static str, out: &mut Vec<Change>) {
        let e = chan_exten(name).to_owned();
        if let Some(x) = self.extens.get_mut(&e) {
            if x.status != status {
                x.status = status;
                out.push(Change::ExtensionChanged(e));
            }
        }
    }

    fn set_spy(&mut self, spyer: &str, on: bool, out: &mut Vec<Change>) {
        if let Some(c) = self.chans.get_mut(spyer) {
            if c.spy != on {
                c.spy = on;
                self.touch_facts(spyer, out);
            }
        }
    }

    pub(super) fn member_allowed(&self, queue: &str, member: &str, membership: &str) -> bool {
        self.is_extension(member)
            && (membership == "static"
                || self
                    .ast
                    .queues
                    .get(queue)
                    .is_some_and(|q| q.dynmembers.iter().any(|d| d == member)))
    }

    fn member_update(&mut self, m: QueueMemberInfo, now_ms: i64, out: &mut Vec<Change>) {
        let id = member_id(&m.interface).to_owned();
        if !self.member_allowed(&m.queue, &id, &m.membership) {
            return;
        }
        let name = self
            .extens
            .get(&id)
            .map(|e| e.name.clone())
            .unwrap_or_default();
        let Some(q) = self.queues.get_mut(&m.queue) else {
            return;
        };
        let entry = q.members.entry(id.clone()).or_insert_with(|| QueueMember {
            queue: m.queue.clone(),
            member: id.clone(),
            ..QueueMember::default()
        });
        let before = entry.clone();
        entry.kind = m.membership.clone();
        entry.name = name;
        entry.logged_in = true;
        entry.calls_taken = m.calls_taken;
        entry.last_call = m.last_call;
        pause_member(entry, m.paused, &m.paused_reason, now_ms);
        if *entry != before {
            out.push(Change::QueueMemberChanged(m.queue, id));
        }
    }

    pub(super) fn conf_id(&self, conference: &str) -> String {
        if !self.conf_code.is_empty() {
            if let Some(rest) = conference.strip_prefix(self.conf_code.as_str()) {
                if !rest.is_empty() {
                    return rest.to_owned();
                }
            }
        }
        conference.to_owned()
    }

    pub(super) fn conf_user(&self, u: &ConfUserInfo) -> ConfUser {
        ConfUser {
            name: self
                .extens
                .get(&u.caller_num)
                .map(|e| e.name.clone())
                .unwrap_or_default(),
            exten_id: u.caller_num.clone(),
            muted: u.muted,
            channel: u.channel.clone(),
        }
    }

    fn conf_join(&mut self, u: ConfUserInfo, out: &mut Vec<Change>) {
        let id = self.conf_id(&u.conference);
        let user = self.conf_user(&u);
        self.conferences
            .entry(id.clone())
            .or_insert_with(|| Conference {
                id: id.clone(),
                ..Conference::default()
            })
            .users
            .insert(u.caller_num.clone(), user);
        out.push(Change::ConferenceChanged(id));
        if let Some(c) = self.chans.get_mut(&u.channel) {
            if !c.in_conference {
                c.in_conference = true;
                self.touch_facts(&u.channel, out);
            }
        }
    }

    fn forward(
        &mut self,
        kind: ForwardKind,
        exten: String,
        value: Option<String>,
        out: &mut Vec<Change>,
    ) {
        let Some(e) = self.extens.get_mut(&exten) else {
            return;
        };
        let (num, vm) = value.as_deref().map(split_forward).unwrap_or_default();
        let (n, v) = match kind {
            ForwardKind::Cf => (&mut e.cf, &mut e.cf_vm),
            ForwardKind::Cfb => (&mut e.cfb, &mut e.cfb_vm),
            ForwardKind::Cfu => (&mut e.cfu, &mut e.cfu_vm),
        };
        let mut changes = Vec::new();
        if *n != num {
            *n = num.clone();
            changes.push(Change::ForwardChanged {
                exten: exten.clone(),
                kind,
                voicemail: false,
                enabled: !num.is_empty(),
                to: num,
            });
        }
        if *v != vm {
            *v = vm.clone();
            changes.push(Change::ForwardChanged {
                exten: exten.clone(),
                kind,
                voicemail: true,
                enabled: !vm.is_empty(),
                to: vm,
            });
        }
        if !changes.is_empty() {
            out.push(Change::ExtensionChanged(exten));
            out.extend(changes);
        }
    }
}

/// Applies a pause state: pausing records the reason and time; unpausing clears the reason.
fn pause_member(m: &mut QueueMember, paused: bool, reason: &str, now_ms: i64) {
    if paused {
        if !m.paused || m.last_paused_in_reason != reason {
            m.paused = true;
            m.last_paused_in_reason = reason.to_owned();
            m.last_paused_in = now_ms;
        }
    } else if m.paused {
        m.paused = false;
        m.last_paused_in_reason.clear();
        m.last_paused_out = now_ms;
    }
}

/// `201-000001` / `201` → `201` (a parker dial string may carry a channel suffix).
fn chan_exten_of_dial(s: &str) -> String {
    s.to_owned()
}

/// Merging of contact updates (keeps known fields when an update lacks them).
struct ContactMerge;

impl ContactMerge {
    fn merge(
        old: &crate::domain::pbx_event::ContactInfo,
        new: crate::domain::pbx_event::ContactInfo,
    ) -> crate::domain::pbx_event::ContactInfo {
        let pick = |a: &String, b: String| if b.is_empty() { a.clone() } else { b };
        crate::domain::pbx_event::ContactInfo {
            via_address: pick(&old.via_address, new.via_address),
            via_port: pick(&old.via_port, new.via_port),
            call_id: pick(&old.call_id, new.call_id),
            user_agent: pick(&old.user_agent, new.user_agent),
            endpoint: new.endpoint,
            uri: new.uri,
            status: new.status,
        }
    }
}
