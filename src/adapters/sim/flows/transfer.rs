//! Transfers: AMI `BlindTransfer`, `Redirect` (with `ExtraChannel`) and `Atxfer`.

use super::dial::{dial, dial_event, dispatch};
use super::FlowError;
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::bridge::{self, BridgeKind};
use crate::adapters::sim::model::channel::{push_block, ChanState};
use crate::adapters::sim::model::{Atxfer, SimState};

/// AMI `BlindTransfer` of `transferer`: its bridge partner is sent to `exten`.
///
/// # Errors
/// [`FlowError`] when the channel is unknown or not bridged.
pub fn blind(
    st: &mut SimState,
    transferer: &str,
    context: &str,
    exten: &str,
) -> Result<(), FlowError> {
    let x = st.chan(transferer).ok_or(FlowError::NoSuchChannel)?;
    let bridge_id = x
        .bridge
        .clone()
        .ok_or(FlowError::BadState("Channel is not bridged"))?;
    let transferee = st
        .bridge_peers(transferer)
        .into_iter()
        .next()
        .ok_or(FlowError::BadState("Channel is not bridged"))?;
    st.emit_chan("Unhold", transferer);
    let mut f = st
        .event("BlindTransfer", "call,all")
        .with("Result", "Success");
    if let Some(c) = st.chan(transferer) {
        push_block(&mut f, "Transferer", c);
    }
    if let Some(c) = st.chan(&transferee) {
        push_block(&mut f, "Transferee", c);
    }
    if let Some(b) = st.bridges.get(&bridge_id) {
        bridge::push_block(&mut f, "", b);
    }
    f.push("IsExternal", "Yes");
    f.push("Context", context);
    f.push("Extension", exten);
    st.out.push(f);
    st.goto(&transferee, context, exten, 1);
    st.bridge_leave(&transferee);
    st.bridge_leave(transferer);
    st.bridge_destroy(&bridge_id);
    if st.chan(transferer).is_some_and(|c| c.pbx) {
        st.emit_chan_with("SoftHangupRequest", transferer, &[("Cause", "16".into())]);
    }
    st.destroy(transferer, 16, None);
    if let Some(c) = st.chan_mut(&transferee) {
        c.pbx = true;
    }
    dispatch(st, &transferee, exten);
    Ok(())
}

/// AMI `Redirect` of `ch` (and `extra`) to `exten`; their bridge partners hang up (a
/// parked channel leaves the lot instead: `ParkedCallGiveUp`, see [`super::park::abandon`]).
///
/// # Errors
/// [`FlowError::NoSuchChannel`] when a channel is unknown.
pub fn redirect(
    st: &mut SimState,
    ch: &str,
    extra: Option<(&str, &str)>,
    context: &str,
    exten: &str,
) -> Result<(), FlowError> {
    st.chan(ch).ok_or(FlowError::NoSuchChannel)?;
    if let Some((e, _)) = extra {
        st.chan(e).ok_or(FlowError::NoSuchChannel)?;
    }
    let mut moved = vec![(ch.to_owned(), exten.to_owned())];
    if let Some((e, x)) = extra {
        moved.push((e.to_owned(), x.to_owned()));
    }
    for (c, x) in &moved {
        st.goto(c, context, x, 1);
    }
    let mut dropped = Vec::new();
    for (c, _) in &moved {
        if st.lot.space_of(c).is_some() {
            // the other parked calls share the lot's bridge: they stay parked
            super::park::abandon(st, c);
            continue;
        }
        let Some(b) = st.chan(c).and_then(|cc| cc.bridge.clone()) else {
            continue;
        };
        let peers: Vec<String> = st
            .bridge_peers(c)
            .into_iter()
            .filter(|p| !moved.iter().any(|(m, _)| m == p))
            .collect();
        st.bridge_leave(c);
        for p in &peers {
            st.bridge_leave(p);
        }
        if st.bridges.get(&b).is_some_and(|bb| bb.channels.is_empty()) {
            st.bridge_destroy(&b);
        }
        dropped.extend(peers);
    }
    for p in &dropped {
        if st.chan(p).is_some_and(|c| c.pbx) {
            st.emit_chan_with("SoftHangupRequest", p, &[("Cause", "16".into())]);
        }
        st.destroy(p, 16, None);
    }
    for (c, x) in &moved {
        if let Some(cc) = st.chan_mut(c) {
            cc.pbx = true;
        }
        dispatch(st, c, x);
    }
    Ok(())
}

fn local_frame(st: &SimState, name: &str, a: &Atxfer) -> Frame {
    let mut f = st.event(name, "call,all");
    if let Some(c) = st.chan(&a.local1) {
        push_block(&mut f, "LocalOne", c);
    }
    if let Some(c) = st.chan(&a.local2) {
        push_block(&mut f, "LocalTwo", c);
    }
    f
}

/// AMI `Atxfer` of `transferer` to `exten`: consultation call through a Local channel,
/// the partner waits on hold music.
///
/// # Errors
/// [`FlowError`] when the channel is unknown or not bridged.
pub fn atxfer(
    st: &mut SimState,
    transferer: &str,
    context: &str,
    exten: &str,
) -> Result<(), FlowError> {
    let x = st.chan(transferer).ok_or(FlowError::NoSuchChannel)?.clone();
    let orig = x
        .bridge
        .clone()
        .ok_or(FlowError::BadState("Channel is not bridged"))?;
    let transferee = st
        .bridge_peers(transferer)
        .into_iter()
        .next()
        .ok_or(FlowError::BadState("Channel is not bridged"))?;
    let super::Route::Phone(target_ep) = super::route(st, exten) else {
        return Err(FlowError::NoSuchExtension(exten.to_owned()));
    };
    st.emit_chan("Hold", transferer);
    st.emit_chan_with(
        "MusicOnHoldStart",
        &transferee,
        &[("Class", "default".into())],
    );
    let (l1, l2) = st.new_local_pair(exten, context, None);
    st.emit_chan("Newchannel", &l1);
    st.emit_chan("Newchannel", &l2);
    let cons = st.bridge_create(BridgeKind::Basic, "<unknown>");
    st.set_callerid(&l2, &x.cid_num, "");
    let a = Atxfer {
        transferer: transferer.to_owned(),
        transferee: transferee.clone(),
        orig_bridge: orig,
        cons_bridge: cons.clone(),
        local1: l1.clone(),
        local2: l2.clone(),
        target: None,
    };
    let f = local_frame(st, "LocalBridge", &a)
        .with("Context", context)
        .with("Exten", exten)
        .with("LocalOptimization", "Yes");
    st.out.push(f);
    st.set_connected(&l1, &x.cid_num, &x.cid_name);
    st.bridge_enter(&cons, &l1);
    st.bridge_leave(transferer);
    st.bridge_enter(&cons, transferer);
    st.set_connected(transferer, "", "");
    let target = dial(st, &l2, &target_ep, exten, exten);
    st.connect_to(transferer, &target);
    let (tn, tm) = st
        .chan(&target)
        .map(|c| (c.cid_num.clone(), c.cid_name.clone()))
        .unwrap_or_default();
    st.set_callerid(&l1, &tn, &tm);
    st.set_state(&l1, ChanState::Ringing);
    let f = dial_event(st, "DialState", None, &l1, &[("DialStatus", "RINGING")]);
    st.out.push(f);
    st.atxfers.push(Atxfer {
        target: Some(target),
        ..a
    });
    Ok(())
}

/// True when `caller` is the `;2` Local channel of a consultation call.
pub fn is_consultation(st: &SimState, caller: &str) -> bool {
    st.atxfers.iter().any(|a| a.local2 == caller)
}

/// The consultation target answered: it is bridged with `;2`, `;1` goes up.
pub fn consultation_answered(st: &mut SimState, local2: &str, target: &str) {
    let Some(a) = st.atxfers.iter().find(|a| a.local2 == local2).cloned() else {
        return;
    };
    let b = st.bridge_create(BridgeKind::Basic, "<unknown>");
    st.set_state(&a.local1, ChanState::Up);
    let f = dial_event(st, "DialEnd", None, &a.local1, &[("DialStatus", "ANSWER")]);
    st.out.push(f);
    st.bridge_enter(&b, target);
    st.bridge_enter(&b, local2);
}

/// True when `ch` waits on hold for a consultation (not to be hung up with its bridge).
pub fn held_by_consultation(st: &SimState, ch: &str) -> bool {
    st.atxfers.iter().any(|a| a.transferee == ch)
}

/// True when `ch` is the transferer of an answered consultation.
pub fn is_transferer(st: &SimState, ch: &str) -> bool {
    st.atxfers.iter().any(|a| a.transferer == ch)
}

/// Cleans up transfer state when a channel goes away.
pub fn channel_gone(st: &mut SimState, ch: &str) {
    st.atxfers
        .retain(|a| a.transferer != ch && a.local1 != ch && a.local2 != ch && a.transferee != ch);
}

/// The transferer hangs up: the transfer completes, the Local pair optimises away and
/// the transferee ends up bridged with the target.
pub fn complete(st: &mut SimState, transferer: &str) {
    let Some(pos) = st.atxfers.iter().position(|a| a.transferer == transferer) else {
        return;
    };
    let a = st.atxfers.remove(pos);
    let Some(target) = a.target.clone() else {
        return;
    };
    st.emit_chan_with("HangupRequest", transferer, &[("Cause", "16".into())]);
    st.bridge_leave(transferer);
    let mut f = st.event("BridgeMerge", "call,all");
    if let Some(b) = st.bridges.get(&a.orig_bridge) {
        bridge::push_block(&mut f, "To", b);
    }
    if let Some(b) = st.bridges.get(&a.cons_bridge) {
        bridge::push_block(&mut f, "From", b);
    }
    st.out.push(f);
    st.bridge_leave(&a.local1);
    st.bridge_enter(&a.orig_bridge, &a.local1);
    st.emit_chan("MusicOnHoldStop", &a.transferee);
    let mut f = st
        .event("AttendedTransfer", "call,all")
        .with("Result", "Success");
    if let Some(c) = st.chan(transferer) {
        push_block(&mut f, "OrigTransferer", c);
    }
    if let Some(b) = st.bridges.get(&a.orig_bridge) {
        bridge::push_block(&mut f, "Orig", b);
    }
    if let Some(c) = st.chan(transferer) {
        push_block(&mut f, "SecondTransferer", c);
    }
    if let Some(b) = st.bridges.get(&a.cons_bridge) {
        bridge::push_block(&mut f, "Second", b);
    }
    if let Some(c) = st.chan(&a.transferee) {
        push_block(&mut f, "Transferee", c);
    }
    f.push("IsExternal", "No");
    f.push("DestType", "Bridge");
    f.push("DestBridgeUniqueid", a.orig_bridge.clone());
    st.out.push(f);
    st.bridge_destroy(&a.cons_bridge);
    st.destroy(transferer, 16, None);
    st.connect_to(&a.local1, &a.transferee);
    st.connect_to(&a.transferee, &target);
    st.connect_to(&target, &a.transferee);
    let (n, m) = st
        .chan(&a.transferee)
        .map(|c| (c.cid_num.clone(), c.cid_name.clone()))
        .unwrap_or_default();
    st.set_callerid(&a.local2, &n, &m);
    let mut f = local_frame(st, "LocalOptimizationBegin", &a);
    if let Some(c) = st.chan(&a.transferee) {
        push_block(&mut f, "Source", c);
    }
    let dest_uid = st
        .chan(&a.local2)
        .map(|c| c.uniqueid.clone())
        .unwrap_or_default();
    f.push("DestUniqueId", dest_uid.clone());
    f.push("Id", "0");
    st.out.push(f);
    let target_bridge = st
        .chan(&a.local2)
        .and_then(|c| c.bridge.clone())
        .unwrap_or_default();
    st.bridge_leave(&a.transferee);
    st.bridge_leave(&a.local2);
    if let Some(b) = st.bridges.get_mut(&target_bridge) {
        b.channels.push(a.transferee.clone());
    }
    if let Some(c) = st.chan_mut(&a.transferee) {
        c.bridge = Some(target_bridge.clone());
        c.peer = Some(target.clone());
    }
    st.emit_bridge(
        "BridgeEnter",
        &target_bridge,
        Some(&a.transferee),
        &[("SwapUniqueid", dest_uid)],
    );
    let f = local_frame(st, "LocalOptimizationEnd", &a)
        .with("Success", "No")
        .with("Id", "0");
    st.out.push(f);
    st.emit_chan_with("SoftHangupRequest", &a.local2, &[("Cause", "16".into())]);
    st.emit_chan_with("HangupRequest", &a.local1, &[("Cause", "16".into())]);
    st.destroy(&a.local2, 16, None);
    st.bridge_leave(&a.local1);
    st.bridge_destroy(&a.orig_bridge);
    st.destroy(&a.local1, 16, None);
    if let Some(c) = st.chan_mut(&target) {
        c.peer = Some(a.transferee.clone());
    }
}
