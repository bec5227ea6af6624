//! Device and hint state events: `DeviceStateChange`, `ExtensionStatus`,
//! `QueueMemberStatus`, `Queue:<n>_avail`. Asterisk emits these asynchronously, so
//! their position relative to channel events is not significant.

use super::queue::Member;
use super::SimState;
use crate::adapters::ami::frame::Frame;

impl SimState {
    /// Emits the state events of an endpoint whose device state changed.
    pub fn endpoint_changed(&mut self, id: &str) {
        let Some(e) = self.endpoints.get(id) else {
            return;
        };
        let state = e.device_state();
        let trunk = e.trunk;
        let (code, text) = e.hint_status();
        let mut f = self.event("DeviceStateChange", "call,all");
        f.push("Device", format!("PJSIP/{id}"));
        f.push("State", state);
        self.out.push(f);
        if !trunk {
            let f = self
                .event("ExtensionStatus", "call,all")
                .with("Exten", id)
                .with("Context", "internal")
                .with("Hint", format!("PJSIP/{id}"))
                .with("Status", code.to_string())
                .with("StatusText", text);
            self.out.push(f);
        }
        let queues: Vec<String> = self.queues.keys().cloned().collect();
        for q in queues {
            let member = self
                .queues
                .get(&q)
                .and_then(|qq| qq.members.iter().find(|m| m.endpoint == id).cloned());
            if let Some(m) = member {
                let f = self.member_event("QueueMemberStatus", &q, &m);
                self.out.push(f);
            }
            self.update_avail(&q);
        }
    }

    /// A `QueueMember*` event (`Added`, `Removed`, `Pause`, `Penalty`, `Status`).
    pub fn member_event(&self, name: &str, queue: &str, m: &Member) -> Frame {
        self.event(name, "agent,all")
            .with("Queue", queue)
            .with("MemberName", m.name.clone())
            .with("Interface", m.interface.clone())
            .with("StateInterface", m.interface.clone())
            .with("Membership", if m.dynamic { "dynamic" } else { "static" })
            .with("Penalty", m.penalty.to_string())
            .with("CallsTaken", m.calls_taken.to_string())
            .with("LastCall", m.last_call.to_string())
            .with("LastPause", m.last_pause.to_string())
            .with("LoginTime", m.login_time.to_string())
            .with("InCall", "0")
            .with("Status", self.member_status(m).to_string())
            .with("Paused", if m.paused { "1" } else { "0" })
            .with("PausedReason", m.paused_reason.clone())
            .with("Ringinuse", "0")
            .with("Wrapuptime", "0")
    }

    /// Queue member `Status` from its endpoint.
    pub fn member_status(&self, m: &Member) -> u8 {
        self.endpoints
            .get(&m.endpoint)
            .map(|e| e.member_status())
            .unwrap_or(5)
    }

    /// `NOT_INUSE` when some member can take a call, else `INUSE`.
    pub fn queue_avail(&self, q: &str) -> &'static str {
        let free = self.queues.get(q).is_some_and(|qq| {
            qq.members
                .iter()
                .any(|m| !m.paused && self.member_status(m) == 1)
        });
        if free {
            "NOT_INUSE"
        } else {
            "INUSE"
        }
    }

    /// Emits `Queue:<n>_avail` when it changed.
    pub fn update_avail(&mut self, q: &str) {
        let now = self.queue_avail(q);
        if self.avail.get(q) != Some(&now) {
            self.avail.insert(q.to_owned(), now);
            self.device_state_event(&format!("Queue:{q}_avail"), now);
        }
    }

    /// Emits one `DeviceStateChange`.
    pub fn device_state_event(&mut self, device: &str, state: &str) {
        let f = self
            .event("DeviceStateChange", "call,all")
            .with("Device", device)
            .with("State", state);
        self.out.push(f);
    }
}
