//! Queue calls (strategy ringall): join, ring every free member, agent answers,
//! complete, abandon.

use super::dial::dial_event;
use crate::adapters::sim::model::bridge::BridgeKind;
use crate::adapters::sim::model::channel::{push_block, ChanState};
use crate::adapters::sim::model::queue::Waiting;
use crate::adapters::sim::model::{QueueCall, SimState};

/// An outside caller arrives on the trunk dialling `did`; returns the trunk channel.
pub fn trunk_inbound(
    st: &mut SimState,
    cli: &str,
    cli_name: &str,
    did: &str,
    target: &str,
) -> Option<String> {
    let trunk = super::trunk_id(st)?;
    let ch = st.new_pjsip(&trunk, ChanState::Ring, "from-trunk", did, None);
    if let Some(c) = st.chan_mut(&ch) {
        c.cid_num = cli.to_owned();
        c.cid_name = cli_name.to_owned();
        c.pbx = true;
        c.dnid = did.to_owned();
    }
    // The Newchannel above was built before the caller id was known: rebuild it.
    if let Some(pos) = st.out.iter().rposition(|f| f.event() == Some("Newchannel")) {
        let f = st.chan_event("Newchannel", &ch);
        st.out[pos] = f;
    }
    st.goto(&ch, "internal", target, 1);
    super::dial::dispatch(st, &ch, target);
    Some(ch)
}

fn agent_frame(
    st: &SimState,
    name: &str,
    caller: &str,
    agent: &str,
    extra: &[(&str, String)],
) -> crate::adapters::ami::frame::Frame {
    let mut f = st.event(name, "agent,all");
    if let Some(c) = st.chan(caller) {
        push_block(&mut f, "", c);
    }
    if let Some(a) = st.chan(agent) {
        push_block(&mut f, "Dest", a);
    }
    for (k, v) in extra {
        f.push(*k, v.clone());
    }
    f
}

/// `caller` runs `Queue(<q>)`.
pub fn enter(st: &mut SimState, caller: &str, q: &str) {
    st.goto(caller, "internal", q, 2);
    if st.chan(caller).is_some_and(|c| c.state != ChanState::Up) {
        st.set_state(caller, ChanState::Up);
    }
    st.goto(caller, "internal", q, 3);
    st.set_app(caller, "Queue", &format!("{q},tT,,,120"));
    let now = st.now_ms();
    let count = {
        let Some(queue) = st.queues.get_mut(q) else {
            return;
        };
        queue.callers.push(Waiting {
            channel: caller.to_owned(),
            joined_ms: now,
            ringing: Vec::new(),
        });
        queue.callers.len()
    };
    if count == 1 {
        st.device_state_event(&format!("Queue:{q}"), "RINGING");
    }
    st.emit_chan_with(
        "QueueCallerJoin",
        caller,
        &[
            ("Queue", q.to_owned()),
            ("Position", count.to_string()),
            ("Count", count.to_string()),
        ],
    );
    st.emit_chan_with("MusicOnHoldStart", caller, &[("Class", "default".into())]);
    st.queue_calls.insert(
        caller.to_owned(),
        QueueCall {
            queue: q.to_owned(),
            agent: None,
            interface: String::new(),
            member_name: String::new(),
            joined_ms: now,
            connected_ms: 0,
        },
    );
    ring_members(st, caller, q);
}

/// Rings every free, unpaused member for `caller` (ringall).
pub fn ring_members(st: &mut SimState, caller: &str, q: &str) {
    let Some(queue) = st.queues.get(q) else {
        return;
    };
    let free: Vec<(String, String, String)> = queue
        .members
        .iter()
        .filter(|m| !m.paused && st.member_status(m) == 1)
        .map(|m| (m.endpoint.clone(), m.interface.clone(), m.name.clone()))
        .collect();
    let linked = st.chan(caller).map(|c| c.linkedid.clone());
    let (cnum, cname) = st
        .chan(caller)
        .map(|c| (c.cid_num.clone(), c.cid_name.clone()))
        .unwrap_or_default();
    let mut legs = Vec::new();
    for (ep, iface, name) in free {
        let leg = st.new_pjsip(&ep, ChanState::Down, "internal", "s", linked.as_deref());
        let f = agent_frame(
            st,
            "AgentCalled",
            caller,
            &leg,
            &[
                ("Queue", q.to_owned()),
                ("Interface", iface.clone()),
                ("MemberName", name),
            ],
        );
        st.out.push(f);
        let f = dial_event(
            st,
            "DialBegin",
            Some(caller),
            &leg,
            &[("DialString", &iface)],
        );
        st.out.push(f);
        if let Some(c) = st.chan_mut(&leg) {
            c.exten = q.to_owned();
            c.conn_num = cnum.clone();
            c.conn_name = cname.clone();
            // app_queue's member legs run `AppQueue` (their hang-up request has no cause)
            c.app = "AppQueue".into();
            c.app_data = "(Outgoing Line)".into();
            c.peer = Some(caller.to_owned());
        }
        st.set_state(&leg, ChanState::Ringing);
        st.emit_chan("NewConnectedLine", &leg);
        st.ringing.push(leg.clone());
        legs.push(leg);
    }
    for leg in &legs {
        let f = dial_event(
            st,
            "DialState",
            Some(caller),
            leg,
            &[("DialStatus", "RINGING")],
        );
        st.out.push(f);
    }
    if let Some(w) = st
        .queues
        .get_mut(q)
        .and_then(|qq| qq.callers.iter_mut().find(|w| w.channel == caller))
    {
        w.ringing.extend(legs);
    }
}

fn waiting_legs(st: &SimState, q: &str, caller: &str) -> (usize, Vec<String>) {
    st.queues
        .get(q)
        .and_then(|qq| {
            qq.callers
                .iter()
                .position(|w| w.channel == caller)
                .map(|p| (p + 1, qq.callers[p].ringing.clone()))
        })
        .unwrap_or((1, Vec::new()))
}

fn leave_queue(st: &mut SimState, q: &str, caller: &str, position: usize) {
    let remaining = match st.queues.get_mut(q) {
        Some(qq) => {
            qq.callers.retain(|w| w.channel != caller);
            qq.callers.len()
        }
        None => 0,
    };
    if remaining == 0 {
        st.device_state_event(&format!("Queue:{q}"), "NOT_INUSE");
    }
    st.emit_chan_with(
        "QueueCallerLeave",
        caller,
        &[
            ("Queue", q.to_owned()),
            ("Position", position.to_string()),
            ("Count", remaining.to_string()),
        ],
    );
}

/// A member's phone answers: the other legs are cancelled and the caller is bridged.
pub fn agent_answer(st: &mut SimState, caller: &str, agent: &str) {
    let Some(qc) = st.queue_calls.get(caller).cloned() else {
        return;
    };
    let q = qc.queue.clone();
    let (position, legs) = waiting_legs(st, &q, caller);
    let others: Vec<String> = legs.into_iter().filter(|l| l != agent).collect();
    st.set_state(agent, ChanState::Up);
    let f = dial_event(
        st,
        "DialEnd",
        Some(caller),
        agent,
        &[("DialStatus", "ANSWER")],
    );
    st.out.push(f);
    for o in &others {
        let f = dial_event(st, "DialEnd", Some(caller), o, &[("DialStatus", "CANCEL")]);
        st.out.push(f);
    }
    st.connect_to(caller, agent);
    let (num, name) = super::dial::callee_id(st, agent);
    st.local_connected(caller, &num, &name, true);
    for o in &others {
        let f = dial_event(st, "DialEnd", Some(caller), o, &[("DialStatus", "CANCEL")]);
        st.out.push(f);
        st.destroy(o, 26, None);
    }
    st.emit_chan("MusicOnHoldStop", caller);
    leave_queue(st, &q, caller, position);
    let agent_ep = st
        .chan(agent)
        .map(|c| c.endpoint.clone())
        .unwrap_or_default();
    let (iface, name) = st
        .queues
        .get(&q)
        .and_then(|qq| qq.members.iter().find(|m| m.endpoint == agent_ep))
        .map(|m| (m.interface.clone(), m.name.clone()))
        .unwrap_or_default();
    let now = st.now_ms();
    let hold = (now.saturating_sub(qc.joined_ms) / 1000).to_string();
    let ring = st
        .chan(agent)
        .map(|c| (now.saturating_sub(c.created_ms) / 1000).to_string())
        .unwrap_or_default();
    let f = agent_frame(
        st,
        "AgentConnect",
        caller,
        agent,
        &[
            ("Queue", q.clone()),
            ("Interface", iface.clone()),
            ("MemberName", name.clone()),
            ("HoldTime", hold),
            ("RingTime", ring),
        ],
    );
    st.out.push(f);
    if let Some(e) = st.queue_calls.get_mut(caller) {
        e.agent = Some(agent.to_owned());
        e.interface = iface;
        e.member_name = name;
        e.connected_ms = now;
    }
    if let Some(c) = st.chan_mut(caller) {
        c.peer = Some(agent.to_owned());
    }
    let b = st.bridge_create(BridgeKind::Basic, "<unknown>");
    st.bridge_enter(&b, agent);
    st.bridge_enter(&b, caller);
}

/// Emits `AgentComplete` when `ch` (caller or agent) ends an answered queue call.
pub fn complete_if_queue_call(st: &mut SimState, ch: &str) {
    let found = st
        .queue_calls
        .iter()
        .find(|(caller, qc)| {
            qc.agent.is_some() && (caller.as_str() == ch || qc.agent.as_deref() == Some(ch))
        })
        .map(|(c, qc)| (c.clone(), qc.clone()));
    let Some((caller, qc)) = found else {
        return;
    };
    let agent = qc.agent.clone().unwrap_or_default();
    let now = st.now_ms();
    let hold = (qc.connected_ms.saturating_sub(qc.joined_ms) / 1000).to_string();
    let talk = (now.saturating_sub(qc.connected_ms) / 1000).to_string();
    let reason = if caller == ch { "caller" } else { "agent" };
    let f = agent_frame(
        st,
        "AgentComplete",
        &caller,
        &agent,
        &[
            ("Queue", qc.queue.clone()),
            ("Interface", qc.interface.clone()),
            ("MemberName", qc.member_name.clone()),
            ("HoldTime", hold),
            ("TalkTime", talk),
            ("Reason", reason.into()),
        ],
    );
    st.out.push(f);
    let unix = st.unix();
    if let Some(q) = st.queues.get_mut(&qc.queue) {
        q.completed += 1;
        if let Some(m) = q.member_mut(&qc.interface) {
            m.calls_taken += 1;
            m.last_call = unix;
        }
    }
    st.queue_calls.remove(&caller);
}

/// The waiting caller hangs up.
pub fn abandon(st: &mut SimState, caller: &str) {
    let Some(qc) = st.queue_calls.remove(caller) else {
        return;
    };
    let q = qc.queue;
    let (position, legs) = waiting_legs(st, &q, caller);
    for leg in &legs {
        let f = dial_event(
            st,
            "DialEnd",
            Some(caller),
            leg,
            &[("DialStatus", "CANCEL")],
        );
        st.out.push(f);
        st.destroy(leg, 16, None);
    }
    let hold = (st.now_ms().saturating_sub(qc.joined_ms) / 1000).to_string();
    st.emit_chan_with(
        "QueueCallerAbandon",
        caller,
        &[
            ("Queue", q.clone()),
            ("Position", position.to_string()),
            ("OriginalPosition", position.to_string()),
            ("HoldTime", hold),
        ],
    );
    st.emit_chan("MusicOnHoldStop", caller);
    leave_queue(st, &q, caller, position);
    if let Some(qq) = st.queues.get_mut(&q) {
        qq.abandoned += 1;
    }
}

/// A ringing member leg went away (declined).
pub fn leg_gone(st: &mut SimState, caller: &str, leg: &str) {
    let Some(q) = st.queue_calls.get(caller).map(|qc| qc.queue.clone()) else {
        return;
    };
    if let Some(w) = st
        .queues
        .get_mut(&q)
        .and_then(|qq| qq.callers.iter_mut().find(|w| w.channel == caller))
    {
        w.ringing.retain(|l| l != leg);
    }
}
