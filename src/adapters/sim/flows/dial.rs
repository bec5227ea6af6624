//! Phone calls: dialling, ringing, answer, reject (486), unavailable and DND busy.

use super::{conference, park, queue, route, trunk_id, FlowError, Route};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::{push_block, ChanState};
use crate::adapters::sim::model::SimState;

/// A phone goes off-hook and dials `exten`; returns the caller channel.
///
/// # Errors
/// [`FlowError::NoSuchExtension`] when `ext` is not a registered phone.
pub fn phone_dial(st: &mut SimState, ext: &str, exten: &str) -> Result<String, FlowError> {
    match st.endpoints.get(ext) {
        Some(e) if !e.trunk && e.registered => {}
        _ => return Err(FlowError::NoSuchExtension(ext.to_owned())),
    }
    let caller = st.new_pjsip(ext, ChanState::Ring, "internal", exten, None);
    if let Some(c) = st.chan_mut(&caller) {
        c.pbx = true;
        c.dnid = exten.to_owned();
    }
    dispatch(st, &caller, exten);
    Ok(caller)
}

/// Runs the lab dialplan of context `internal` for `caller` at `exten`.
pub fn dispatch(st: &mut SimState, caller: &str, exten: &str) {
    match route(st, exten) {
        Route::Phone(t) => {
            let dnd = st
                .db
                .get(&("DND".to_owned(), t.clone()))
                .is_some_and(|v| v.eq_ignore_ascii_case("YES"));
            let registered = st.endpoints.get(&t).is_some_and(|e| e.registered);
            if dnd {
                busy_app(st, caller);
            } else if !registered {
                unavailable(st, caller);
            } else {
                dial(st, caller, &t, &t, &t);
            }
        }
        Route::Queue(q) => queue::enter(st, caller, &q),
        Route::Conference(r) => conference::join(st, caller, &r),
        Route::Pickup(space) => park::pickup(st, caller, space),
        Route::DirectedPickup(ext) => super::pickup::directed(st, caller, &ext),
        Route::Outbound(n) => match trunk_id(st) {
            Some(t) => {
                dial(st, caller, &t, &n, &format!("{t}/sip:{n}@127.0.0.2:5080"));
            }
            None => unavailable(st, caller),
        },
        Route::Invalid => unavailable(st, caller),
    }
}

/// A dial event: optional caller block, `Dest` block, extra headers.
pub fn dial_event(
    st: &SimState,
    name: &str,
    caller: Option<&str>,
    dest: &str,
    extra: &[(&str, &str)],
) -> Frame {
    let mut f = st.event(name, "call,all");
    if let Some(c) = caller.and_then(|c| st.chan(c)) {
        push_block(&mut f, "", c);
    }
    if let Some(d) = st.chan(dest) {
        push_block(&mut f, "Dest", d);
    }
    for (k, v) in extra {
        f.push(*k, *v);
    }
    f
}

/// `caller` runs `Dial(PJSIP/<endpoint>)`: the callee channel is created and rings.
/// Returns the callee channel.
pub fn dial(
    st: &mut SimState,
    caller: &str,
    endpoint: &str,
    exten: &str,
    dialstring: &str,
) -> String {
    let context = st
        .chan(caller)
        .map(|c| c.context.clone())
        .unwrap_or_default();
    let linked = st.chan(caller).map(|c| c.linkedid.clone());
    if let Some(c) = st.chan_mut(caller) {
        c.priority = 4;
        c.app = "Dial".into();
        c.app_data = format!("PJSIP/{endpoint},25,tTkK");
    }
    let callee = st.new_pjsip(endpoint, ChanState::Down, &context, "s", linked.as_deref());
    let trunk = st.endpoints.get(endpoint).is_some_and(|e| e.trunk);
    if let Some(c) = st.chan_mut(&callee) {
        c.app = "AppDial".into();
        c.app_data = "(Outgoing Line)".into();
        c.peer = Some(caller.to_owned());
        c.exten = exten.to_owned();
        if trunk {
            c.cid_num = exten.to_owned();
        }
    }
    if let Some(c) = st.chan_mut(caller) {
        c.peer = Some(callee.clone());
    }
    st.connect_to(&callee, caller);
    st.set_state(&callee, ChanState::Ringing);
    let f = dial_event(
        st,
        "DialBegin",
        Some(caller),
        &callee,
        &[("DialString", dialstring)],
    );
    st.out.push(f);
    st.connect_to(caller, &callee);
    let f = dial_event(
        st,
        "DialState",
        Some(caller),
        &callee,
        &[("DialStatus", "RINGING")],
    );
    st.out.push(f);
    let (num, name) = callee_id(st, &callee);
    st.local_connected(caller, &num, &name, false);
    st.ringing.push(callee.clone());
    callee
}

/// The caller id of channel `ch`.
pub fn callee_id(st: &SimState, ch: &str) -> (String, String) {
    st.chan(ch)
        .map(|c| (c.cid_num.clone(), c.cid_name.clone()))
        .unwrap_or_default()
}

/// The phone of a ringing channel answers (200 OK).
///
/// # Errors
/// [`FlowError::NoSuchChannel`] or [`FlowError::BadState`] when it is not ringing.
pub fn answer(st: &mut SimState, callee: &str) -> Result<(), FlowError> {
    let c = st.chan(callee).ok_or(FlowError::NoSuchChannel)?;
    if c.state != ChanState::Ringing {
        return Err(FlowError::BadState("channel is not ringing"));
    }
    if st.originates.contains_key(callee) {
        super::originate::answered(st, callee);
        return Ok(());
    }
    let caller = c.peer.clone().ok_or(FlowError::BadState("no caller"))?;
    if st.queue_calls.contains_key(&caller) {
        queue::agent_answer(st, &caller, callee);
        return Ok(());
    }
    st.set_state(callee, ChanState::Up);
    if let Some(c) = st.chan_mut(callee) {
        c.exten.clear();
    }
    answered_by(st, &caller, callee);
    if super::transfer::is_consultation(st, &caller) {
        super::transfer::consultation_answered(st, &caller, callee);
        return Ok(());
    }
    let b = st.bridge_create(BridgeKind::Basic, "<unknown>");
    st.bridge_enter(&b, callee);
    st.bridge_enter(&b, &caller);
    Ok(())
}

/// `caller`'s dial is answered by `callee`: `DialEnd` ANSWER, `caller` goes up.
pub fn answered_by(st: &mut SimState, caller: &str, callee: &str) {
    let f = dial_event(
        st,
        "DialEnd",
        Some(caller),
        callee,
        &[("DialStatus", "ANSWER")],
    );
    st.out.push(f);
    if st.chan(caller).is_some_and(|c| c.state != ChanState::Up) {
        st.set_state(caller, ChanState::Up);
    }
}

/// The phone of a ringing channel rejects it (486 Busy Here); the caller gets `Busy()`.
///
/// # Errors
/// [`FlowError::NoSuchChannel`] when the channel does not exist.
pub fn reject(st: &mut SimState, callee: &str) -> Result<(), FlowError> {
    if st.originates.contains_key(callee) {
        return super::originate::failed(st, callee);
    }
    let caller = st
        .chan(callee)
        .ok_or(FlowError::NoSuchChannel)?
        .peer
        .clone();
    let busy = [("Cause", "17".to_owned()), ("TechCause", "486".to_owned())];
    st.emit_chan_with("HangupRequest", callee, &busy);
    if let Some(caller) = &caller {
        let f = dial_event(
            st,
            "DialEnd",
            Some(caller),
            callee,
            &[("DialStatus", "BUSY")],
        );
        st.out.push(f);
    }
    st.destroy(callee, 17, Some(486));
    let Some(caller) = caller else {
        return Ok(());
    };
    if st.queue_calls.contains_key(&caller) {
        queue::leg_gone(st, &caller, callee);
        return Ok(());
    }
    if st.originates.contains_key(callee) {
        return Ok(());
    }
    if let Some(c) = st.chan_mut(&caller) {
        c.priority = 8;
        c.peer = None;
    }
    st.set_state(&caller, ChanState::Busy);
    st.emit_chan_with("HangupRequest", &caller, &busy);
    st.emit_chan_with(
        "SoftHangupRequest",
        &caller,
        &[("Cause", "16".into()), ("TechCause", "486".into())],
    );
    st.destroy(&caller, 17, Some(486));
    Ok(())
}

/// Dialled phone has no contact: `CHANUNAVAIL`, no `DialBegin`.
pub fn unavailable(st: &mut SimState, caller: &str) {
    if let Some(c) = st.chan_mut(caller) {
        c.priority = 7;
    }
    st.emit_chan_with("SoftHangupRequest", caller, &[("Cause", "16".into())]);
    let ep = st
        .chan(caller)
        .map(|c| c.endpoint.clone())
        .unwrap_or_default();
    st.destroy(caller, 3, Some(404));
    st.coalesce_state(&ep);
}

/// Dialled phone is in DND: the dialplan runs `Busy()`.
pub fn busy_app(st: &mut SimState, caller: &str) {
    if let Some(c) = st.chan_mut(caller) {
        c.priority = 11;
        c.app = "Busy".into();
    }
    st.set_state(caller, ChanState::Busy);
    st.emit_chan_with(
        "HangupRequest",
        caller,
        &[("Cause", "17".into()), ("TechCause", "486".into())],
    );
    st.emit_chan_with(
        "SoftHangupRequest",
        caller,
        &[("Cause", "16".into()), ("TechCause", "486".into())],
    );
    st.destroy(caller, 17, Some(486));
}
