//! Actions waiting for their answer, keyed by `ActionID`: correlation, event-list gathering,
//! async-originate completion and deadlines.

use crate::adapters::ami::action::Expect;
use crate::adapters::ami::error::AmiError;
use crate::adapters::ami::frame::Frame;
use crate::adapters::ami::reply::{
    classify, is_list_end, originate_reason, AmiReply, Incoming, ResponseKind,
};
use std::collections::{HashMap, VecDeque};
use std::time::Duration;
use tokio::sync::oneshot;
use tokio::time::Instant;

/// Where the answer of a pending action goes.
pub(super) type ReplyTx = oneshot::Sender<Result<AmiReply, AmiError>>;

/// How long an acknowledged async originate keeps absorbing its `OriginateResponse`.
const ABSORB_WINDOW: Duration = Duration::from_secs(120);
/// How many expired ActionIDs are remembered to tell late answers from unknown ones.
const EXPIRED_MEMORY: usize = 64;

struct Entry {
    action: String,
    expect: Expect,
    deadline: Instant,
    timeout: Duration,
    /// `None` for the keepalive ping and for acknowledged originates.
    reply: Option<ReplyTx>,
    keepalive: bool,
    response: Option<Frame>,
    gathering: bool,
    events: Vec<Frame>,
}

/// What the session should do with an incoming frame.
#[derive(Debug, PartialEq)]
pub(super) enum Routed {
    /// Not an answer to us: forward it to the application.
    Forward(Frame),
    /// Used by a pending action.
    Consumed,
    /// Carries one of our ActionIDs but nothing waits for it (`late`: it timed out before).
    Unmatched { action_id: String, late: bool },
}

/// Result of [`Pending::expire`].
#[derive(Debug, Default, PartialEq)]
pub(super) struct Expired {
    /// ActionIDs of actions failed with a timeout.
    pub timed_out: Vec<String>,
    /// The keepalive ping went unanswered.
    pub keepalive_failed: bool,
}

/// The table of actions in flight on one connection.
#[derive(Default)]
pub(super) struct Pending {
    entries: HashMap<String, Entry>,
    expired: VecDeque<String>,
}

impl Pending {
    /// Registers an action sent with `action_id`.
    pub fn insert(
        &mut self,
        action_id: String,
        action: &str,
        expect: Expect,
        timeout: Duration,
        reply: Option<ReplyTx>,
        keepalive: bool,
    ) {
        let entry = Entry {
            action: action.to_owned(),
            expect,
            deadline: Instant::now() + timeout,
            timeout,
            reply,
            keepalive,
            response: None,
            gathering: false,
            events: Vec::new(),
        };
        self.entries.insert(action_id, entry);
    }

    /// Number of actions in flight.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// The earliest deadline, if anything is pending.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.entries.values().map(|e| e.deadline).min()
    }

    /// Routes an incoming frame; `ours` tells whether an ActionID is in our namespace.
    pub fn route(&mut self, frame: Frame, ours: impl Fn(&str) -> bool) -> Routed {
        let Some(id) = frame.action_id().map(str::to_owned) else {
            return Routed::Forward(frame);
        };
        let Some(entry) = self.entries.get_mut(&id) else {
            let is_event = matches!(classify(&frame), Incoming::Event(_));
            if is_event && !ours(&id) {
                return Routed::Forward(frame);
            }
            let late = self.expired.contains(&id);
            return Routed::Unmatched {
                action_id: id,
                late,
            };
        };
        let done = match classify(&frame) {
            Incoming::Event(name) => {
                on_event(entry, name.eq_ignore_ascii_case("OriginateResponse"), frame)
            }
            Incoming::Response(kind) => on_response(entry, kind, frame),
            Incoming::Unknown => {
                entry.events.push(frame);
                None
            }
        };
        if let Some(result) = done {
            if let Some(entry) = self.entries.remove(&id) {
                if let Some(tx) = entry.reply {
                    let _ = tx.send(result);
                }
            }
        }
        Routed::Consumed
    }

    /// Fails every action whose deadline passed.
    pub fn expire(&mut self, now: Instant) -> Expired {
        let due: Vec<String> = self
            .entries
            .iter()
            .filter(|(_, e)| e.deadline <= now)
            .map(|(id, _)| id.clone())
            .collect();
        let mut out = Expired::default();
        for id in due {
            let Some(entry) = self.entries.remove(&id) else {
                continue;
            };
            out.keepalive_failed |= entry.keepalive;
            if let Some(tx) = entry.reply {
                let _ = tx.send(Err(AmiError::Timeout(entry.timeout)));
                out.timed_out.push(id.clone());
            }
            if self.expired.len() == EXPIRED_MEMORY {
                self.expired.pop_front();
            }
            self.expired.push_back(id);
        }
        out
    }

    /// Fails every pending action at once with `error`.
    pub fn fail_all(&mut self, error: &AmiError) {
        for (_, entry) in self.entries.drain() {
            if let Some(tx) = entry.reply {
                let _ = tx.send(Err(error.clone()));
            }
        }
    }
}

fn rejected(entry: &Entry, message: String) -> Option<Result<AmiReply, AmiError>> {
    Some(Err(AmiError::Rejected {
        action: entry.action.clone(),
        message,
    }))
}

fn on_response(
    entry: &mut Entry,
    kind: ResponseKind,
    frame: Frame,
) -> Option<Result<AmiReply, AmiError>> {
    if kind == ResponseKind::Error {
        let message = frame.get_or_empty("Message").to_owned();
        return rejected(entry, message);
    }
    match entry.expect {
        Expect::OriginateResponse => {
            entry.response = Some(frame);
            None
        }
        Expect::ResponseThenOriginate => {
            if let Some(tx) = entry.reply.take() {
                let reply = AmiReply {
                    response: frame,
                    events: Vec::new(),
                    complete: None,
                };
                let _ = tx.send(Ok(reply));
            }
            entry.deadline = Instant::now() + ABSORB_WINDOW;
            None
        }
        Expect::Response => {
            let list = frame
                .get("EventList")
                .is_some_and(|v| v.eq_ignore_ascii_case("start"));
            if list {
                entry.response = Some(frame);
                entry.gathering = true;
                return None;
            }
            let events = std::mem::take(&mut entry.events);
            Some(Ok(AmiReply {
                response: frame,
                events,
                complete: None,
            }))
        }
    }
}

fn on_event(
    entry: &mut Entry,
    originate_response: bool,
    frame: Frame,
) -> Option<Result<AmiReply, AmiError>> {
    if originate_response && entry.expect != Expect::Response {
        if !frame
            .get_or_empty("Response")
            .eq_ignore_ascii_case("Success")
        {
            return rejected(entry, originate_reason(frame.get_or_empty("Reason")));
        }
        let response = entry.response.take().unwrap_or_default();
        return Some(Ok(AmiReply {
            response,
            events: Vec::new(),
            complete: Some(frame),
        }));
    }
    if entry.gathering && is_list_end(&frame) {
        let response = entry.response.take().unwrap_or_default();
        let events = std::mem::take(&mut entry.events);
        return Some(Ok(AmiReply {
            response,
            events,
            complete: Some(frame),
        }));
    }
    entry.events.push(frame);
    None
}
