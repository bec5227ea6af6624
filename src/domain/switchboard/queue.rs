//! Queue, QueueMember and QueueWaitingCaller (domain.md §6).

use super::privacy::{mask_name, mask_num};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A queue member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueMember {
    /// `static`, `dynamic`, `realtime`.
    pub kind: String,
    /// Extension display name.
    pub name: String,
    /// Queue number.
    pub queue: String,
    /// Member extension.
    pub member: String,
    /// Paused.
    pub paused: bool,
    /// Logged in.
    pub logged_in: bool,
    /// Calls taken.
    pub calls_taken: u64,
    /// Last call, epoch s.
    pub last_call: u64,
    /// Last pause reason.
    pub last_paused_in_reason: String,
    /// Last pause, epoch ms.
    pub last_paused_in: i64,
    /// Last unpause/logout, epoch ms.
    pub last_paused_out: i64,
}

impl QueueMember {
    /// QueueMember JSON.
    pub fn to_json(&self) -> Value {
        json!({
            "type": self.kind,
            "name": self.name,
            "queue": self.queue,
            "member": self.member,
            "paused": self.paused,
            "loggedIn": self.logged_in,
            "callsTakenCount": self.calls_taken,
            "lastCallTimestamp": self.last_call,
            "lastPausedInReason": self.last_paused_in_reason,
            "lastPausedInTimestamp": self.last_paused_in,
            "lastPausedOutTimestamp": self.last_paused_out,
        })
    }
}

/// A waiting caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaitingCaller {
    /// Caller channel.
    pub channel: String,
    /// Caller number.
    pub num: String,
    /// Caller name.
    pub name: String,
    /// Queue.
    pub queue: String,
    /// Position (raw).
    pub position: String,
    /// Epoch ms when waiting started.
    pub waiting_since: i64,
}

impl WaitingCaller {
    /// QueueWaitingCaller JSON.
    pub fn to_json(&self, now_ms: i64, p: Option<&str>) -> Value {
        json!({
            "id": self.channel,
            "num": mask_num(&self.num, p),
            "name": mask_name(&self.name, p),
            "queue": self.queue,
            "waiting": ((now_ms - self.waiting_since).max(0)) / 1000,
            "channel": self.channel,
            "position": self.position,
            "waitingTime": self.waiting_since,
        })
    }
}

/// A tracked queue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Queue {
    /// Display name.
    pub name: String,
    /// Number.
    pub queue: String,
    /// Members by extension.
    pub members: BTreeMap<String, QueueMember>,
    /// Statistics (raw strings): hold, talk, completed, abandoned, sl period, sl perf.
    pub stats: [String; 6],
    /// Waiting callers by channel, in join order.
    pub waiting: Vec<WaitingCaller>,
}

impl Queue {
    /// Queue JSON; `p` masks waiting callers.
    pub fn to_json(&self, now_ms: i64, p: Option<&str>) -> Value {
        let members: Map<String, Value> = self
            .members
            .iter()
            .map(|(k, m)| (k.clone(), m.to_json()))
            .collect();
        let waiting: Map<String, Value> = self
            .waiting
            .iter()
            .map(|w| (w.channel.clone(), w.to_json(now_ms, p)))
            .collect();
        json!({
            "name": self.name,
            "queue": self.queue,
            "members": members,
            "avgHoldTime": self.stats[0],
            "avgTalkTime": self.stats[1],
            "waitingCallers": waiting,
            "completedCallsCount": self.stats[2],
            "abandonedCallsCount": self.stats[3],
            "serviceLevelTimePeriod": self.stats[4],
            "serviceLevelPercentage": self.stats[5],
        })
    }
}

/// Member id from an interface: after `/`, before `@` (`Local/201@from-queue/n` → `201`).
pub fn member_id(interface: &str) -> &str {
    let s = interface.split_once('/').map(|x| x.1).unwrap_or(interface);
    s.split('@').next().unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_ids() {
        assert_eq!(member_id("Local/201@from-queue/n"), "201");
        assert_eq!(member_id("PJSIP/203"), "203");
    }
}
