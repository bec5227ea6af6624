//! A simulated queue with members and waiting callers (strategy `ringall`).

/// One queue member.
#[derive(Debug, Clone)]
pub struct Member {
    /// `PJSIP/201`.
    pub interface: String,
    /// Member name.
    pub name: String,
    /// Endpoint id behind the interface.
    pub endpoint: String,
    /// `static` or `dynamic`.
    pub dynamic: bool,
    /// Penalty.
    pub penalty: u32,
    /// Calls taken.
    pub calls_taken: u32,
    /// Unix time of the last call.
    pub last_call: u64,
    /// Unix time of the last pause.
    pub last_pause: u64,
    /// Unix login time.
    pub login_time: u64,
    /// Paused.
    pub paused: bool,
    /// Pause reason.
    pub paused_reason: String,
}

/// A caller waiting in the queue.
#[derive(Debug, Clone)]
pub struct Waiting {
    /// Caller channel name.
    pub channel: String,
    /// Join time (ms since start).
    pub joined_ms: u64,
    /// Member channels being rung.
    pub ringing: Vec<String>,
}

/// One queue.
#[derive(Debug, Clone)]
pub struct Queue {
    /// Number.
    pub id: String,
    /// Members in `QueueStatus` order.
    pub members: Vec<Member>,
    /// Callers in order.
    pub callers: Vec<Waiting>,
    /// Completed calls.
    pub completed: u32,
    /// Abandoned calls.
    pub abandoned: u32,
    /// Average hold time (s).
    pub holdtime: u64,
    /// Average talk time (s).
    pub talktime: u64,
}

impl Queue {
    /// The member for an interface (case-insensitive).
    pub fn member(&self, interface: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.interface.eq_ignore_ascii_case(interface))
    }

    /// Mutable member for an interface.
    pub fn member_mut(&mut self, interface: &str) -> Option<&mut Member> {
        self.members
            .iter_mut()
            .find(|m| m.interface.eq_ignore_ascii_case(interface))
    }
}
