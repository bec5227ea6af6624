//! AMI `Originate`: a PJSIP or Local channel is called; once it answers it dials an
//! extension or runs an application (e.g. `ChanSpy`).

use super::dial::{dial_event, dispatch};
use super::FlowError;
use crate::adapters::sim::model::channel::{push_block, ChanState};
use crate::adapters::sim::model::{OriginateTarget, PendingOriginate, SimState};

/// Parses `"Name" <num>` / `Name <num>` / `num`.
pub fn parse_callerid(s: &str) -> (String, String) {
    let s = s.trim();
    if let (Some(a), Some(b)) = (s.find('<'), s.rfind('>')) {
        if a < b {
            let name = s[..a].trim().trim_matches('"').to_owned();
            return (s[a + 1..b].trim().to_owned(), name);
        }
    }
    (s.to_owned(), String::new())
}

/// Starts an originate on `spec` (`PJSIP/201`, `Local/caller@cti-helpers`); returns the
/// channel created.
///
/// # Errors
/// [`FlowError::NoSuchExtension`] when the endpoint is unknown or unregistered.
pub fn originate(
    st: &mut SimState,
    spec: &str,
    mut pending: PendingOriginate,
) -> Result<String, FlowError> {
    let (num, name) = pending.callerid.clone();
    if let Some(rest) = spec.strip_prefix("Local/") {
        let (exten, context) = rest.split_once('@').unwrap_or((rest, "default"));
        let context = context.split('/').next().unwrap_or(context);
        let (l1, l2) = st.new_local_pair(exten, context, None);
        st.emit_chan("Newchannel", &l1);
        st.emit_chan("Newchannel", &l2);
        if !num.is_empty() {
            st.set_callerid(&l1, &num, "");
            st.set_connected(&l1, &num, "");
            st.set_callerid(&l2, &num, "");
            st.set_connected(&l2, &num, "");
        }
        let mut f = st.event("LocalBridge", "call,all");
        if let Some(c) = st.chan(&l1) {
            push_block(&mut f, "LocalOne", c);
        }
        if let Some(c) = st.chan(&l2) {
            push_block(&mut f, "LocalTwo", c);
        }
        f.push("Context", context);
        f.push("Exten", exten);
        f.push("LocalOptimization", "Yes");
        st.out.push(f);
        let ds = format!("{exten}@{context}");
        let f = dial_event(st, "DialBegin", None, &l1, &[("DialString", &ds)]);
        st.out.push(f);
        st.set_app(&l2, "Wait", "600");
        if let Some(c) = st.chan_mut(&l2) {
            c.priority = 2;
        }
        if let Some(c) = st.chan_mut(&l1) {
            c.state = ChanState::Ringing;
        }
        pending.callerid = (num, name);
        st.originates.insert(l1.clone(), pending);
        st.set_state(&l2, ChanState::Up);
        answered(st, &l1);
        return Ok(l1);
    }
    let ep = spec
        .strip_prefix("PJSIP/")
        .or_else(|| spec.strip_prefix("pjsip/"))
        .unwrap_or(spec)
        .to_owned();
    match st.endpoints.get(&ep) {
        Some(e) if e.registered => {}
        _ => return Err(FlowError::NoSuchExtension(ep)),
    }
    let ch = st.new_pjsip(&ep, ChanState::Down, "internal", "s", None);
    if !num.is_empty() {
        st.set_callerid(&ch, &num, &name);
        st.set_connected(&ch, &num, &name);
    }
    let f = dial_event(st, "DialBegin", None, &ch, &[("DialString", &ep)]);
    st.out.push(f);
    st.set_state(&ch, ChanState::Ringing);
    let f = dial_event(st, "DialState", None, &ch, &[("DialStatus", "RINGING")]);
    st.out.push(f);
    st.originates.insert(ch.clone(), pending);
    st.ringing.push(ch.clone());
    Ok(ch)
}

fn response(st: &mut SimState, ch: &str, p: &PendingOriginate, ok: bool, reason: &str) {
    if !p.is_async {
        return;
    }
    let (ctx, exten) = match &p.target {
        OriginateTarget::Exten { context, exten } => (context.clone(), exten.clone()),
        OriginateTarget::App { .. } => (String::new(), String::new()),
    };
    let mut f = st.event("OriginateResponse", "call,all");
    if let Some(id) = &p.action_id {
        f.push("ActionID", id.clone());
    }
    let uid = st.chan(ch).map(|c| c.uniqueid.clone()).unwrap_or_default();
    let or_unknown = |s: &str| {
        if s.is_empty() {
            "<unknown>".to_owned()
        } else {
            s.to_owned()
        }
    };
    f.push("Response", if ok { "Success" } else { "Failure" });
    f.push("Channel", ch);
    f.push("Context", ctx);
    f.push("Exten", exten);
    f.push("Reason", reason);
    f.push("Uniqueid", uid);
    f.push("CallerIDNum", or_unknown(&p.callerid.0));
    f.push("CallerIDName", or_unknown(&p.callerid.1));
    st.out.push(f);
}

/// The originated channel answered: `OriginateResponse`, then the target runs.
pub fn answered(st: &mut SimState, ch: &str) {
    let Some(mut p) = st.originates.remove(ch) else {
        return;
    };
    st.set_state(ch, ChanState::Up);
    let f = dial_event(st, "DialEnd", None, ch, &[("DialStatus", "ANSWER")]);
    st.out.push(f);
    response(st, ch, &p, true, "4");
    if let Some(w) = p.waiter.take() {
        let _ = w.send(true);
    }
    if let Some(c) = st.chan_mut(ch) {
        c.pbx = true;
    }
    match p.target {
        OriginateTarget::Exten { context, exten } => {
            st.goto(ch, &context, &exten, 1);
            dispatch(st, ch, &exten);
        }
        OriginateTarget::App { app, data } => {
            st.set_app(ch, &app, &data);
            if app.eq_ignore_ascii_case("ChanSpy") {
                let wanted = data.split(',').next().unwrap_or("").to_owned();
                let spyee = st
                    .order
                    .iter()
                    .find(|n| !wanted.is_empty() && n.starts_with(&wanted) && n.as_str() != ch)
                    .cloned();
                if let Some(spyee) = spyee {
                    let f = st.chans_event("ChanSpyStart", &[("Spyer", ch), ("Spyee", &spyee)]);
                    st.out.push(f);
                }
            }
        }
    }
}

/// The originated channel was declined or hung up before answering.
///
/// # Errors
/// Never; returns `Result` to fit the hang-up paths.
pub fn failed(st: &mut SimState, ch: &str) -> Result<(), FlowError> {
    let Some(mut p) = st.originates.remove(ch) else {
        return Ok(());
    };
    let f = dial_event(st, "DialEnd", None, ch, &[("DialStatus", "BUSY")]);
    st.out.push(f);
    response(st, ch, &p, false, "5");
    if let Some(w) = p.waiter.take() {
        let _ = w.send(false);
    }
    st.destroy(ch, 17, None);
    Ok(())
}
