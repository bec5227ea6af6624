//! Directed pickup: a channel runs the pickup feature code followed by a ringing
//! extension (FreePBX `**<ext>`, app_directed_pickup's `Pickup()`).
//!
//! No transcript of a directed pickup was recorded, so this flow is not compared with
//! real Asterisk; it follows `ast_do_pickup`: a `Pickup` event (picker and target
//! blocks), the picker's connected line becomes the caller, and `ast_channel_move`
//! swaps the picker into the ringing leg (names and uniqueids are swapped with it), so
//! on AMI the picker's channel goes on, answered by the caller's `Dial`, and the leg
//! that was ringing hangs up with cause 26 (answered elsewhere).

use super::dial::answered_by;
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::ChanState;
use crate::adapters::sim::model::SimState;

/// The channel ringing on phone `ext` for a caller (not an originate), if any.
fn ringing_leg(st: &SimState, ext: &str) -> Option<(String, String)> {
    st.order.iter().find_map(|n| {
        let c = st.chan(n)?;
        let caller = c.peer.clone()?;
        (c.endpoint == ext && c.state == ChanState::Ringing && !st.originates.contains_key(n))
            .then(|| (n.clone(), caller))
    })
}

/// `picker` runs `Pickup(<ext>)`: takes the call ringing on `ext`, or hangs up when
/// nothing rings there.
pub fn directed(st: &mut SimState, picker: &str, ext: &str) {
    st.set_app(picker, "Pickup", ext);
    let Some((target, caller)) = ringing_leg(st, ext) else {
        st.emit_chan_with("SoftHangupRequest", picker, &[("Cause", "16".into())]);
        st.destroy(picker, 16, None);
        return;
    };
    let f = st.chans_event("Pickup", &[("", picker), ("Target", &target)]);
    st.out.push(f);
    st.connect_to(picker, &caller);
    if let Some(c) = st.chan_mut(picker) {
        c.peer = Some(caller.clone());
        c.app = "AppDial".into();
        c.app_data = "(Outgoing Line)".into();
    }
    if let Some(c) = st.chan_mut(&caller) {
        c.peer = Some(picker.to_owned());
    }
    st.ringing.retain(|r| r != &target);
    st.destroy(&target, 26, None);
    answered_by(st, &caller, picker);
    st.connect_to(&caller, picker);
    let b = st.bridge_create(BridgeKind::Basic, "<unknown>");
    st.bridge_enter(&b, picker);
    st.bridge_enter(&b, &caller);
}
