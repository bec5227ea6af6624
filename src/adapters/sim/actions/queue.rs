//! Queue member actions: `QueueAdd`, `QueueRemove`, `QueuePause`, `QueuePenalty`.

use super::{err, ok, Reply};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::queue::Member;
use crate::adapters::sim::model::SimState;

fn truthy(s: &str) -> bool {
    matches!(s.to_ascii_lowercase().as_str(), "true" | "yes" | "1" | "on")
}

/// `QueueAdd`.
pub fn add(st: &mut SimState, f: &Frame) -> Reply {
    let q = f.get_or_empty("Queue").to_owned();
    let iface = f.get_or_empty("Interface").to_owned();
    if q.is_empty() || iface.is_empty() {
        return err(f, "'Queue' and 'Interface' not set.");
    }
    let endpoint = iface.split('/').nth(1).unwrap_or("").to_owned();
    let default_name = st
        .endpoints
        .get(&endpoint)
        .map(|e| e.name.clone())
        .unwrap_or_else(|| iface.clone());
    let unix = st.unix();
    let Some(queue) = st.queues.get_mut(&q) else {
        return err(f, "Unable to add interface to queue: No such queue");
    };
    if queue.member(&iface).is_some() {
        return err(f, "Unable to add interface: Already there");
    }
    let name = f
        .get("MemberName")
        .map(str::to_owned)
        .unwrap_or(default_name);
    let paused = truthy(f.get_or_empty("Paused"));
    let m = Member {
        interface: iface.clone(),
        name,
        endpoint,
        dynamic: true,
        penalty: f.get_or_empty("Penalty").parse().unwrap_or(0),
        calls_taken: 0,
        last_call: 0,
        last_pause: if paused { unix } else { 0 },
        login_time: unix,
        paused,
        paused_reason: String::new(),
    };
    queue.members.push(m.clone());
    let ev = st.member_event("QueueMemberAdded", &q, &m);
    st.out.push(ev);
    st.device_state_event(
        &format!("Queue:{q}_pause_{iface}"),
        if paused { "INUSE" } else { "NOT_INUSE" },
    );
    st.update_avail(&q);
    ok(f, "Added interface to queue")
}

/// `QueueRemove`.
pub fn remove(st: &mut SimState, f: &Frame) -> Reply {
    let q = f.get_or_empty("Queue").to_owned();
    let iface = f.get_or_empty("Interface").to_owned();
    if q.is_empty() || iface.is_empty() {
        return err(f, "Need 'Queue' and 'Interface' parameters.");
    }
    let Some(queue) = st.queues.get_mut(&q) else {
        return err(f, "Unable to remove interface from queue: No such queue");
    };
    let Some(pos) = queue
        .members
        .iter()
        .position(|m| m.interface.eq_ignore_ascii_case(&iface))
    else {
        return err(f, "Unable to remove interface: Not there");
    };
    if !queue.members[pos].dynamic {
        return err(f, "Unable to remove interface: Not dynamic");
    }
    let m = queue.members.remove(pos);
    let ev = st.member_event("QueueMemberRemoved", &q, &m);
    st.out.push(ev);
    st.update_avail(&q);
    ok(f, "Removed interface from queue")
}

/// `QueuePause` (one queue, or every queue when `Queue` is absent).
pub fn pause(st: &mut SimState, f: &Frame) -> Reply {
    let iface = f.get_or_empty("Interface").to_owned();
    let paused_raw = f.get_or_empty("Paused");
    if iface.is_empty() || paused_raw.is_empty() {
        return err(f, "Need 'Interface' and 'Paused' parameters.");
    }
    let paused = truthy(paused_raw);
    let reason = f.get_or_empty("Reason").to_owned();
    let want = f.get_or_empty("Queue").to_owned();
    let unix = st.unix();
    let mut changed = Vec::new();
    for q in st.queues.values_mut() {
        if !want.is_empty() && q.id != want {
            continue;
        }
        let qid = q.id.clone();
        if let Some(m) = q.member_mut(&iface) {
            m.paused = paused;
            m.paused_reason = if paused {
                reason.clone()
            } else {
                String::new()
            };
            if paused {
                m.last_pause = unix;
            }
            changed.push((qid, m.clone()));
        }
    }
    if changed.is_empty() {
        return err(f, "Interface not found");
    }
    for (q, m) in changed {
        let ev = st.member_event("QueueMemberPause", &q, &m);
        st.out.push(ev);
        st.device_state_event(
            &format!("Queue:{q}_pause_{}", m.interface),
            if paused { "INUSE" } else { "NOT_INUSE" },
        );
        st.update_avail(&q);
    }
    if paused {
        ok(f, "Interface paused successfully")
    } else {
        ok(f, "Interface unpaused successfully")
    }
}

/// `QueuePenalty`.
pub fn penalty(st: &mut SimState, f: &Frame) -> Reply {
    let iface = f.get_or_empty("Interface").to_owned();
    let Ok(p) = f.get_or_empty("Penalty").parse::<u32>() else {
        return err(f, "Invalid penalty");
    };
    let want = f.get_or_empty("Queue").to_owned();
    let mut changed = Vec::new();
    for q in st.queues.values_mut() {
        if !want.is_empty() && q.id != want {
            continue;
        }
        let qid = q.id.clone();
        if let Some(m) = q.member_mut(&iface) {
            m.penalty = p;
            changed.push((qid, m.clone()));
        }
    }
    if changed.is_empty() {
        return err(f, "Invalid interface, queuename or penalty");
    }
    for (q, m) in changed {
        let ev = st.member_event("QueueMemberPenalty", &q, &m);
        st.out.push(ev);
    }
    ok(f, "Interface penalty set successfully")
}
