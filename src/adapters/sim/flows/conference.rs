//! ConfBridge rooms: join, leave, mute/unmute, kick.

use super::FlowError;
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::ChanState;
use crate::adapters::sim::model::conference::{Participant, Room};
use crate::adapters::sim::model::SimState;

fn conf_event(
    st: &mut SimState,
    name: &str,
    room: &str,
    ch: Option<&str>,
    extra: &[(&str, String)],
) {
    let Some(bridge) = st.rooms.get(room).map(|r| r.bridge.clone()) else {
        return;
    };
    let mut f = st.event(name, "call,all").with("Conference", room);
    let inner = st.bridge_frame("x", &bridge, ch);
    for (n, v) in inner.fields().iter().skip(3) {
        f.push(n.clone(), v.clone());
    }
    for (k, v) in extra {
        f.push(*k, v.clone());
    }
    st.out.push(f);
}

/// `caller` runs `ConfBridge(<room>)`.
pub fn join(st: &mut SimState, caller: &str, room: &str) {
    if st.chan(caller).is_some_and(|c| c.state != ChanState::Up) {
        st.set_state(caller, ChanState::Up);
    }
    st.goto(caller, "internal", room, 2);
    st.set_app(caller, "ConfBridge", &format!("{room},lab_bridge,lab_user"));
    let now = st.now_ms();
    let first = !st.rooms.contains_key(room);
    if first {
        let b = st.bridge_create(BridgeKind::Conference, room);
        st.rooms.insert(
            room.to_owned(),
            Room {
                id: room.to_owned(),
                bridge: b,
                users: Vec::new(),
            },
        );
    }
    let bridge = st
        .rooms
        .get(room)
        .map(|r| r.bridge.clone())
        .unwrap_or_default();
    let flags = [("Admin", "No".to_owned()), ("Muted", "No".to_owned())];
    if let Some(r) = st.rooms.get_mut(room) {
        r.users.push(Participant {
            channel: caller.to_owned(),
            muted: false,
            joined_ms: now,
        });
    }
    if first {
        st.emit_chan_with("MusicOnHoldStart", caller, &[("Class", "default".into())]);
        conf_event(st, "ConfbridgeStart", room, None, &[]);
        conf_event(st, "ConfbridgeJoin", room, Some(caller), &flags);
        st.bridge_enter(&bridge, caller);
    } else {
        let users: Vec<String> = st
            .rooms
            .get(room)
            .map(|r| r.users.iter().map(|u| u.channel.clone()).collect())
            .unwrap_or_default();
        if users.len() == 2 {
            st.emit_chan("MusicOnHoldStop", &users[0]);
        }
        st.bridge_enter(&bridge, caller);
        conf_event(st, "ConfbridgeJoin", room, Some(caller), &flags);
    }
}

/// The room a channel is in.
pub fn room_of(st: &SimState, ch: &str) -> Option<String> {
    st.rooms
        .values()
        .find(|r| r.users.iter().any(|u| u.channel == ch))
        .map(|r| r.id.clone())
}

/// A participant leaves (after its `HangupRequest`, if any).
pub fn leave(st: &mut SimState, ch: &str) {
    let Some(room) = room_of(st, ch) else {
        st.destroy(ch, 16, None);
        return;
    };
    let remaining: Vec<String> = st
        .rooms
        .get(&room)
        .map(|r| {
            r.users
                .iter()
                .filter(|u| u.channel != ch)
                .map(|u| u.channel.clone())
                .collect()
        })
        .unwrap_or_default();
    let admin = [("Admin", "No".to_owned())];
    if remaining.is_empty() {
        st.emit_chan("MusicOnHoldStop", ch);
        st.bridge_leave(ch);
        conf_event(st, "ConfbridgeLeave", &room, Some(ch), &admin);
        conf_event(st, "ConfbridgeEnd", &room, None, &[]);
        if let Some(r) = st.rooms.remove(&room) {
            st.bridge_destroy(&r.bridge);
        }
        st.emit_chan_with("SoftHangupRequest", ch, &[("Cause", "16".into())]);
    } else {
        st.bridge_leave(ch);
        if remaining.len() == 1 {
            st.emit_chan_with(
                "MusicOnHoldStart",
                &remaining[0],
                &[("Class", "default".into())],
            );
        }
        st.emit_chan_with("SoftHangupRequest", ch, &[("Cause", "16".into())]);
        conf_event(st, "ConfbridgeLeave", &room, Some(ch), &admin);
        if let Some(r) = st.rooms.get_mut(&room) {
            r.users.retain(|u| u.channel != ch);
        }
    }
    st.destroy(ch, 16, None);
}

/// `ConfbridgeMute` / `ConfbridgeUnmute`.
///
/// # Errors
/// [`FlowError`] when the room or the channel in it does not exist.
pub fn mute(st: &mut SimState, room: &str, ch: &str, on: bool) -> Result<(), FlowError> {
    let r = st
        .rooms
        .get_mut(room)
        .ok_or(FlowError::BadState("No Conference by that name found."))?;
    let u = r
        .users
        .iter_mut()
        .find(|u| u.channel.eq_ignore_ascii_case(ch) || ch.eq_ignore_ascii_case("all"))
        .ok_or(FlowError::BadState(
            "No Channel by that name found in Conference.",
        ))?;
    u.muted = on;
    let name = u.channel.clone();
    let ev = if on {
        "ConfbridgeMute"
    } else {
        "ConfbridgeUnmute"
    };
    conf_event(st, ev, room, Some(&name), &[("Admin", "No".into())]);
    Ok(())
}

/// `ConfbridgeKick`.
///
/// # Errors
/// [`FlowError`] when the room or the channel in it does not exist.
pub fn kick(st: &mut SimState, room: &str, ch: &str) -> Result<(), FlowError> {
    let r = st
        .rooms
        .get(room)
        .ok_or(FlowError::BadState("No Conference by that name found."))?;
    let name = r
        .users
        .iter()
        .find(|u| u.channel.eq_ignore_ascii_case(ch))
        .map(|u| u.channel.clone())
        .ok_or(FlowError::BadState(
            "No Channel by that name found in Conference.",
        ))?;
    leave(st, &name);
    Ok(())
}
