//! Parking lot `default`: AMI `Park`, pickup by dialling the space, give-up.

use super::FlowError;
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::{push_block, ChanState};
use crate::adapters::sim::model::parking::Parked;
use crate::adapters::sim::model::SimState;

/// A `ParkedCall`-style frame for the call parked in `space`, or `None`.
pub fn parked_frame(st: &SimState, name: &str, space: u32, privileged: bool) -> Option<Frame> {
    let p = st.lot.spaces.get(&space)?;
    let c = st.chan(&p.channel)?;
    let mut f = if privileged {
        st.event(name, "call,all")
    } else {
        Frame::new().with("Event", name)
    };
    push_block(&mut f, "Parkee", c);
    let dur = st.now_ms().saturating_sub(p.parked_ms) / 1000;
    f.push("ParkerDialString", p.parker.clone());
    f.push("Parkinglot", "default");
    f.push("ParkingSpace", space.to_string());
    f.push(
        "ParkingTimeout",
        u64::from(st.lot.timeout).saturating_sub(dur).to_string(),
    );
    f.push("ParkingDuration", dur.to_string());
    Some(f)
}

/// AMI `Park`: parks `ch`; its bridge partner (the parker, `TimeoutChannel`) is released.
///
/// # Errors
/// [`FlowError`] when the channel is unknown or the lot is full.
pub fn park(st: &mut SimState, ch: &str, timeout_channel: Option<&str>) -> Result<u32, FlowError> {
    let c = st.chan(ch).ok_or(FlowError::NoSuchChannel)?;
    let old_bridge = c.bridge.clone();
    let space = st
        .lot
        .free_space()
        .ok_or(FlowError::BadState("Parking lot full"))?;
    let parker_ch = timeout_channel
        .and_then(|t| st.find_chan(t))
        .or_else(|| st.bridge_peers(ch).into_iter().next());
    let parker = parker_ch
        .as_ref()
        .and_then(|p| st.chan(p))
        .map(|p| format!("PJSIP/{}", p.endpoint))
        .unwrap_or_default();
    st.lot.spaces.insert(
        space,
        Parked {
            channel: ch.to_owned(),
            parker,
            parked_ms: st.now_ms(),
        },
    );
    if let Some(f) = parked_frame(st, "ParkedCall", space, true) {
        st.out.push(f);
    }
    st.hint_event(
        &space.to_string(),
        "parkedcalls",
        &format!("park:{space}@parkedcalls"),
        true,
    );
    st.bridge_leave(ch);
    let lot_bridge = match st.lot.bridge.clone() {
        Some(b) if st.bridges.contains_key(&b) => b,
        _ => {
            let b = st.bridge_create(BridgeKind::Parking, "default");
            st.lot.bridge = Some(b.clone());
            b
        }
    };
    st.bridge_enter(&lot_bridge, ch);
    st.set_app(ch, "Park", "");
    st.emit_chan_with("MusicOnHoldStart", ch, &[("Class", "default".into())]);
    if let Some(b) = old_bridge {
        let rest: Vec<String> = st
            .bridges
            .get(&b)
            .map(|bb| bb.channels.clone())
            .unwrap_or_default();
        for r in &rest {
            st.bridge_leave(r);
        }
        st.bridge_destroy(&b);
        for r in &rest {
            if st.chan(r).is_some_and(|c| c.pbx) {
                st.emit_chan_with("SoftHangupRequest", r, &[("Cause", "16".into())]);
            }
            st.destroy(r, 16, None);
        }
    }
    Ok(space)
}

/// `caller` dials a parking space: picks up the parked call, or hangs up if empty.
pub fn pickup(st: &mut SimState, caller: &str, space: u32) {
    st.set_app(caller, "ParkedCall", &format!("default,{space}"));
    if st.chan(caller).is_some_and(|c| c.state != ChanState::Up) {
        st.set_state(caller, ChanState::Up);
    }
    let Some(parked) = st.lot.spaces.get(&space).cloned() else {
        st.emit_chan_with("SoftHangupRequest", caller, &[("Cause", "16".into())]);
        st.destroy(caller, 16, None);
        return;
    };
    let b = st.bridge_create(BridgeKind::Basic, "<unknown>");
    if let Some(mut f) = parked_frame(st, "UnParkedCall", space, true) {
        // Retriever block goes before the parker fields.
        let pos = f
            .fields()
            .iter()
            .position(|(n, _)| n == "ParkerDialString")
            .unwrap_or(f.len());
        let mut g = Frame::new();
        for (n, v) in &f.fields()[..pos] {
            g.push(n.clone(), v.clone());
        }
        if let Some(r) = st.chan(caller) {
            push_block(&mut g, "Retriever", r);
        }
        for (n, v) in &f.fields()[pos..] {
            g.push(n.clone(), v.clone());
        }
        f = g;
        st.out.push(f);
    }
    st.lot.spaces.remove(&space);
    st.hint_event(
        &space.to_string(),
        "parkedcalls",
        &format!("park:{space}@parkedcalls"),
        false,
    );
    let p = parked.channel;
    st.emit_chan("MusicOnHoldStop", &p);
    st.bridge_leave(&p);
    st.bridge_enter(&b, &p);
    st.bridge_enter(&b, caller);
    st.connect_to(caller, &p);
    st.connect_to(&p, caller);
    if let Some(c) = st.chan_mut(&p) {
        c.peer = Some(caller.to_owned());
    }
}

/// A parked channel leaves the lot's bridge neither picked up nor timed out (it hangs
/// up, or AMI `Redirect` sends it elsewhere). res_parking's bridge pull marks such a
/// parked call abandoned and publishes `ParkedCallGiveUp`, frees the space (its hint goes
/// back to not in use), and the channel leaves the holding bridge.
pub fn abandon(st: &mut SimState, ch: &str) {
    if let Some(space) = st.lot.space_of(ch) {
        if let Some(f) = parked_frame(st, "ParkedCallGiveUp", space, true) {
            st.out.push(f);
        }
        st.lot.spaces.remove(&space);
        st.hint_event(
            &space.to_string(),
            "parkedcalls",
            &format!("park:{space}@parkedcalls"),
            false,
        );
    }
    st.emit_chan("MusicOnHoldStop", ch);
    st.bridge_leave(ch);
}

/// A parked channel hangs up while waiting.
pub fn give_up(st: &mut SimState, ch: &str) {
    abandon(st, ch);
    if st.chan(ch).is_some_and(|c| c.pbx) {
        st.emit_chan_with("SoftHangupRequest", ch, &[("Cause", "16".into())]);
    }
    st.destroy(ch, 16, None);
}

/// The parking timeout expired: the call hangs up (`ParkedCallTimeOut`).
pub fn time_out(st: &mut SimState, space: u32) {
    let Some(p) = st.lot.spaces.get(&space).cloned() else {
        return;
    };
    if let Some(f) = parked_frame(st, "ParkedCallTimeOut", space, true) {
        st.out.push(f);
    }
    st.lot.spaces.remove(&space);
    st.hint_event(
        &space.to_string(),
        "parkedcalls",
        &format!("park:{space}@parkedcalls"),
        false,
    );
    st.emit_chan("MusicOnHoldStop", &p.channel);
    st.bridge_leave(&p.channel);
    st.destroy(&p.channel, 16, None);
}
