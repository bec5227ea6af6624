//! Turns the domain's [`Change`]s into socket.io [`Broadcast`]s: entity JSON rendered once
//! per privacy variant (the masked variants only while a privacy socket is logged in), call
//! events to the owning user's sockets, and the user presence events derived from extension
//! changes (de-duplicated: a presence is pushed only when it actually changed).

use crate::adapters::push::Broadcast;
#[cfg(test)]
use crate::adapters::push::Variant;
use crate::domain::change::Change;
use crate::domain::directory::{User, Users};
use crate::domain::policy::presence::{main_presence, presence_of, Forwarding, PresenceValue};
use crate::domain::switchboard::{PrivacyView, Switchboard};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Where broadcasts go (the push hub in production, a recorder in tests).
pub trait BroadcastSink: Send + Sync {
    /// Sends one broadcast; must not block.
    fn send(&self, broadcast: &Broadcast);

    /// Sends broadcasts in order (one model batch); must not block.
    fn send_all(&self, broadcasts: &[Broadcast]) {
        for b in broadcasts {
            self.send(b);
        }
    }

    /// Whether any recipient may need a masked variant right now. When false the publisher
    /// renders the clear payload only and withholds the masked ones
    /// ([`Broadcast::withhold_masked`]), so a privacy socket logging in meanwhile gets
    /// nothing rather than clear data.
    fn wants_masked(&self) -> bool {
        true
    }
}

/// Which payload variants the publisher renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Render {
    /// Clear and masked variants.
    AllVariants,
    /// The clear payload only; masked recipients get nothing.
    ClearOnly,
}

impl Render {
    /// What `sink` needs now.
    pub fn for_sink(sink: &dyn BroadcastSink) -> Self {
        if sink.wants_masked() {
            Self::AllVariants
        } else {
            Self::ClearOnly
        }
    }
}

/// Remembers the last presence pushed per user, so unchanged presences are not re-sent.
///
/// Keeps the values (a static status and the forward target), not their JSON: two JSON
/// objects per user were 11 MB at 10,000 users.
#[derive(Debug, Default)]
pub struct PresenceMemory {
    main: HashMap<String, PresenceValue>,
    presence: HashMap<String, PresenceValue>,
}

/// The DND/forward state of an extension, as the presence policy sees it.
pub fn forwarding_of(sb: &Switchboard, exten: &str) -> Forwarding {
    sb.extension(exten)
        .map(|e| Forwarding {
            dnd: e.dnd,
            cf: e.cf.clone(),
            cf_vm: e.cf_vm.clone(),
            cfb: e.cfb.clone(),
            cfb_vm: e.cfb_vm.clone(),
            cfu: e.cfu.clone(),
            cfu_vm: e.cfu_vm.clone(),
        })
        .unwrap_or_default()
}

fn presence_json(username: &str, p: &PresenceValue) -> Value {
    let mut v = json!({ "username": username, "status": p.status });
    if let (Some(to), Some(m)) = (&p.to, v.as_object_mut()) {
        m.insert("to".into(), to.clone().into());
    }
    v
}

/// The `(presence, mainPresence)` of a user from the live model.
pub fn user_presences(sb: &Switchboard, user: &User) -> (PresenceValue, PresenceValue) {
    let main_fw = user
        .main_extension()
        .map(|e| forwarding_of(sb, e))
        .unwrap_or_default();
    let presence = presence_of(user, &main_fw);
    let statuses: Vec<&str> = user
        .all_extensions()
        .filter_map(|e| sb.extension(e).map(|x| x.status))
        .collect();
    let main = main_presence(&presence, statuses);
    (presence, main)
}

impl PresenceMemory {
    /// Presence broadcasts for `username` if its presence or main presence changed.
    fn updates(&mut self, sb: &Switchboard, user: &User) -> Vec<Broadcast> {
        let (presence, main) = user_presences(sb, user);
        let mut out = Vec::new();
        if self.presence.get(&user.username) != Some(&presence) {
            let p = presence_json(&user.username, &presence);
            self.presence.insert(user.username.clone(), presence);
            out.push(Broadcast::user_presence_update(json!({ "presence": p })));
        }
        if self.main.get(&user.username) != Some(&main) {
            let m = presence_json(&user.username, &main);
            self.main.insert(user.username.clone(), main);
            out.push(Broadcast::user_main_presence_update(
                json!({ "mainPresence": m }),
            ));
        }
        out
    }

    /// Records the current presences of every user without pushing (after the first load).
    pub fn prime(&mut self, sb: &Switchboard, users: &Users) {
        for u in users.iter() {
            let _ = self.updates(sb, u);
        }
    }
}

fn exten_update(
    sb: &Switchboard,
    users: &Users,
    exten: &str,
    now: i64,
    render: Render,
) -> Option<Broadcast> {
    let clear = sb.extension_json(exten, now, PrivacyView::Clear)?;
    let owner = users.owner_of(exten);
    if render == Render::ClearOnly {
        return Some(Broadcast::exten_update_clear_only(clear, owner));
    }
    let masked = sb.extension_json(exten, now, PrivacyView::All)?;
    let outside = sb.extension_json(exten, now, PrivacyView::NonQueue)?;
    Some(Broadcast::exten_update(clear, masked, outside, owner))
}

/// A room broadcast from its clear payload and, when rendered, its masked one.
fn topic_update(
    render: Render,
    clear_json: impl FnOnce() -> Option<Value>,
    masked_json: impl FnOnce() -> Option<Value>,
    build: impl FnOnce(Value, Value) -> Broadcast,
) -> Vec<Broadcast> {
    let Some(clear) = clear_json() else {
        return Vec::new();
    };
    match render {
        // The masked slot is dropped by `withhold_masked`: no need for a copy of `clear`.
        Render::ClearOnly => vec![build(clear, Value::Null).withhold_masked()],
        Render::AllVariants => match masked_json() {
            Some(masked) => vec![build(clear, masked)],
            None => Vec::new(),
        },
    }
}

fn conference_audience(sb: &Switchboard, users: &Users, id: &str) -> Vec<String> {
    let mut out: Vec<String> = users.owner_of(id).map(str::to_owned).into_iter().collect();
    if let Some(conf) = sb.conference(id) {
        for u in conf.users.values() {
            if let Some(owner) = users.owner_of(&u.exten_id) {
                if !out.iter().any(|o| o == owner) {
                    out.push(owner.to_owned());
                }
            }
        }
    }
    out
}

/// Every broadcast one change causes (after the model applied it).
pub fn broadcasts_for(
    change: &Change,
    sb: &Switchboard,
    users: &Users,
    presence: &mut PresenceMemory,
    now: i64,
    render: Render,
) -> Vec<Broadcast> {
    let owner = |exten: &str| users.owner_of(exten).map(str::to_owned);
    let presence_of_owner = |exten: &str, presence: &mut PresenceMemory| {
        users
            .owner_of(exten)
            .and_then(|u| users.get(u))
            .map(|u| presence.updates(sb, u))
            .unwrap_or_default()
    };
    match change {
        Change::ExtensionChanged(e) => {
            let mut out: Vec<Broadcast> = exten_update(sb, users, e, now, render)
                .into_iter()
                .collect();
            out.extend(presence_of_owner(e, presence));
            out
        }
        Change::DndChanged { exten, .. } | Change::ForwardChanged { exten, .. } => {
            presence_of_owner(exten, presence)
        }
        Change::ExtensionHangup(h) => owner(&h.channel_exten)
            .map(|u| vec![Broadcast::exten_hangup(&u, h.to_json())])
            .unwrap_or_default(),
        // The original turns astproxy's `extenDialing` into `extenRinging`; the issue also
        // asks for `extenDialing` itself, to the same user (README compatibility notes).
        Change::Dialing(d) => owner(&d.dialing_exten)
            .map(|u| {
                vec![
                    Broadcast::exten_ringing(&u, d.ringing_json()),
                    Broadcast::exten_dialing(&u, d.dialing_json()),
                ]
            })
            .unwrap_or_default(),
        Change::Connected(c) => owner(&c.num1)
            .map(|u| {
                vec![
                    Broadcast::exten_connected(&u, &c.num1),
                    Broadcast::exten_conv_connected(&u, c.conv_connected_json()),
                ]
            })
            .unwrap_or_default(),
        Change::QueueChanged(q) => topic_update(
            render,
            || sb.queue_json(q, now, false),
            || sb.queue_json(q, now, true),
            Broadcast::queue_update,
        ),
        Change::QueueMemberChanged(q, m) => sb
            .queue_member_json(q, m)
            .map(|v| vec![Broadcast::queue_member_update(v.clone(), v)])
            .unwrap_or_default(),
        Change::TrunkChanged(t) => topic_update(
            render,
            || sb.trunk_json(t, now, false),
            || sb.trunk_json(t, now, true),
            Broadcast::trunk_update,
        ),
        Change::ParkingChanged(p) => topic_update(
            render,
            || sb.parking_json(p, now, false),
            || sb.parking_json(p, now, true),
            Broadcast::parking_update,
        ),
        Change::ConferenceChanged(id) => {
            Broadcast::conf_update(conference_audience(sb, users, id), sb.conference_json(id))
                .into()
        }
        Change::ConferenceEnded(id) => {
            Broadcast::conf_end(conference_audience(sb, users, id), id).into()
        }
        Change::ResyncRequested => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::change::HangupInfo;
    use crate::domain::directory::AstObjects;
    use crate::domain::pbx_event::{EndpointInfo, PbxEvent, Snapshot};

    fn fixture() -> (Switchboard, Users) {
        let users = Users::from_json(&json!({
            "alice": {"name": "Alice", "endpoints": {"mainextension": {"201": {}}}}
        }))
        .expect("users");
        let ast = AstObjects::from_json(&json!({"trunks": {}, "queues": {}})).expect("ast");
        let mut sb = Switchboard::new(&users, &ast, "xxx");
        let snapshot = Snapshot {
            endpoints: vec![EndpointInfo {
                id: "201".into(),
                device_state: "Unavailable".into(),
                ..EndpointInfo::default()
            }],
            ..Snapshot::default()
        };
        sb.apply(PbxEvent::Snapshot(Box::new(snapshot)), 0);
        (sb, users)
    }

    /// Every broadcast of `change` with fresh presence memory, all variants rendered.
    fn all_variants(change: &Change, sb: &Switchboard, users: &Users) -> Vec<Broadcast> {
        let mut presence = PresenceMemory::default();
        broadcasts_for(change, sb, users, &mut presence, 0, Render::AllVariants)
    }

    #[test]
    fn hangup_goes_to_the_owner_only() {
        let (sb, users) = fixture();
        let change = Change::ExtensionHangup(HangupInfo {
            cause: Some("normal_clearing"),
            caller_num: "201".into(),
            channel_exten: "201".into(),
            called_num: "202".into(),
        });
        let out = all_variants(&change, &sb, &users);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].event(), "extenHangup");
        assert_eq!(
            out[0].payload(Variant::Clear),
            Some(
                &json!({"cause": "normal_clearing", "callerNum": "201", "channelExten": "201", "calledNum": "202"})
            )
        );
    }

    #[test]
    fn dialing_sends_exten_ringing_then_exten_dialing_to_the_owner() {
        let (sb, users) = fixture();
        let change = Change::Dialing(crate::domain::change::DialingInfo {
            dialing_exten: "201".into(),
            num_called: "201".into(),
            caller_num: "202".into(),
            caller_name: "Bob".into(),
            channel: "PJSIP/202-00000001".into(),
            caller_has_conf: false,
            dest_uniqueid: "1700000000.2".into(),
        });
        let out = all_variants(&change, &sb, &users);
        let names: Vec<&str> = out.iter().map(|b| b.event()).collect();
        assert_eq!(names, vec!["extenRinging", "extenDialing"]);
        let alice = crate::adapters::push::Audience::Users(vec!["alice".into()]);
        assert!(out.iter().all(|b| b.audience() == &alice));
        assert_eq!(
            out[0].payload(Variant::Clear),
            Some(
                &json!({"numCalled": "201", "callerNum": "202", "callerName": "Bob", "callerHasConf": false})
            )
        );
        assert_eq!(
            out[1].payload(Variant::Clear),
            Some(&json!({
                "dialingExten": "201",
                "callerIdentity": {"numCalled": "201", "callerNum": "202", "callerName": "Bob"},
                "channel": "PJSIP/202-00000001", "callerHasConf": false,
                "destUniqueId": "1700000000.2"
            }))
        );
    }

    #[test]
    fn main_presence_is_pushed_once_per_real_change() {
        let (sb, users) = fixture();
        let mut mem = PresenceMemory::default();
        let change = Change::ExtensionChanged("201".into());
        let first = broadcasts_for(&change, &sb, &users, &mut mem, 0, Render::AllVariants);
        let names: Vec<&str> = first.iter().map(|b| b.event()).collect();
        assert_eq!(
            names,
            vec![
                "extenUpdate",
                "userPresenceUpdate",
                "userMainPresenceUpdate"
            ]
        );
        assert_eq!(
            first[2].payload(Variant::Clear),
            Some(&json!({"mainPresence": {"username": "alice", "status": "offline"}}))
        );
        let second = broadcasts_for(&change, &sb, &users, &mut mem, 0, Render::AllVariants);
        let names: Vec<&str> = second.iter().map(|b| b.event()).collect();
        assert_eq!(names, vec!["extenUpdate"]);
    }
}
