//! Hang-ups: a phone's BYE/CANCEL, or the AMI `Hangup` action.

use super::{conference, dial::dial_event, park, queue, FlowError};
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::ChanState;
use crate::adapters::sim::model::SimState;

/// Who ends the channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    /// The phone (SIP BYE/CANCEL): `HangupRequest` first.
    Phone,
    /// The AMI `Hangup` action: no `HangupRequest` on the target.
    Ami,
}

/// The phone of `ext` hangs up its most recent channel.
///
/// # Errors
/// [`FlowError::NoSuchChannel`] when the phone has no channel.
pub fn phone_hangup(st: &mut SimState, ext: &str) -> Result<(), FlowError> {
    let ch = st.chan_of(ext).ok_or(FlowError::NoSuchChannel)?;
    hangup(st, &ch, By::Phone)
}

fn request(st: &mut SimState, ch: &str, by: By) {
    if by == By::Ami {
        return;
    }
    let dial_party = st
        .chan(ch)
        .is_some_and(|c| c.app == "Dial" || c.app == "AppDial");
    if dial_party {
        st.emit_chan_with("HangupRequest", ch, &[("Cause", "16".into())]);
    } else {
        st.emit_chan("HangupRequest", ch);
    }
}

fn soft(st: &mut SimState, ch: &str) {
    if st.chan(ch).is_some_and(|c| c.pbx) {
        st.emit_chan_with("SoftHangupRequest", ch, &[("Cause", "16".into())]);
    }
}

/// Ends channel `ch` and whatever depends on it.
///
/// # Errors
/// [`FlowError::NoSuchChannel`] when `ch` does not exist.
pub fn hangup(st: &mut SimState, ch: &str, by: By) -> Result<(), FlowError> {
    let c = st.chan(ch).ok_or(FlowError::NoSuchChannel)?.clone();
    if super::transfer::is_transferer(st, ch) && by == By::Phone {
        super::transfer::complete(st, ch);
        return Ok(());
    }
    // A ringing callee that hangs up declines the call.
    if c.state == ChanState::Ringing && c.peer.is_some() && !c.pbx {
        return super::dial::reject(st, ch);
    }
    if st.originates.contains_key(ch) {
        return super::originate::failed(st, ch);
    }
    let bridge = c.bridge.clone().and_then(|b| st.bridges.get(&b).cloned());
    match bridge.as_ref().map(|b| b.kind) {
        Some(BridgeKind::Conference) => {
            request(st, ch, by);
            conference::leave(st, ch);
            return Ok(());
        }
        Some(BridgeKind::Parking) => {
            request(st, ch, by);
            park::give_up(st, ch);
            return Ok(());
        }
        _ => {}
    }
    // Caller still dialling (callee ringing): cancel.
    if c.bridge.is_none() {
        request(st, ch, by);
        if st.queue_calls.contains_key(ch) {
            queue::abandon(st, ch);
        } else if let Some(peer) = c.peer.clone().filter(|p| {
            st.chan(p)
                .is_some_and(|pc| pc.state == ChanState::Ringing && !pc.pbx)
        }) {
            let f = dial_event(st, "DialEnd", Some(ch), &peer, &[("DialStatus", "CANCEL")]);
            st.out.push(f);
            st.destroy(&peer, 16, None);
        }
        soft(st, ch);
        st.destroy(ch, 16, None);
        super::transfer::channel_gone(st, ch);
        return Ok(());
    }
    // Two-party bridge.
    request(st, ch, by);
    queue::complete_if_queue_call(st, ch);
    let bridge_id = c.bridge.clone().unwrap_or_default();
    let others = st.bridge_peers(ch);
    st.bridge_leave(ch);
    for o in &others {
        st.bridge_leave(o);
    }
    st.bridge_destroy(&bridge_id);
    soft(st, ch);
    for o in &others {
        soft(st, o);
    }
    st.destroy(ch, 16, None);
    for o in &others {
        if super::transfer::held_by_consultation(st, o) {
            continue;
        }
        st.destroy(o, 16, None);
    }
    super::transfer::channel_gone(st, ch);
    Ok(())
}
