//! Call flows: each function mutates the [`SimState`] and emits the event sequence a
//! real Asterisk 22 emits for the same step (see `fixtures/ami/*.ami`).

pub mod conference;
pub mod dial;
pub mod hangup;
pub mod hold;
pub mod originate;
pub mod park;
pub mod pickup;
pub mod queue;
pub mod reload;
pub mod transfer;

use crate::adapters::sim::model::SimState;

/// Why a flow step could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FlowError {
    /// No such channel.
    #[error("No such channel")]
    NoSuchChannel,
    /// No such endpoint / extension.
    #[error("no such extension `{0}`")]
    NoSuchExtension(String),
    /// The channel is not in a state that allows the step.
    #[error("{0}")]
    BadState(&'static str),
}

/// What a dialled extension is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// A phone endpoint.
    Phone(String),
    /// A queue.
    Queue(String),
    /// A ConfBridge room.
    Conference(String),
    /// A parking space (pickup).
    Pickup(u32),
    /// The pickup feature code + a phone: directed pickup of the call ringing there.
    DirectedPickup(String),
    /// An outside number through the trunk.
    Outbound(String),
    /// Nothing: congestion.
    Invalid,
}

/// Resolves an extension of context `internal` (DIDs of `from-trunk` map to queues or
/// phones as in the lab dialplan).
pub fn route(st: &SimState, exten: &str) -> Route {
    if st.endpoints.get(exten).is_some_and(|e| !e.trunk) {
        return Route::Phone(exten.to_owned());
    }
    if let Some(ext) = exten.strip_prefix(st.cfg.pickup_code.as_str()).filter(|e| {
        !st.cfg.pickup_code.is_empty() && st.endpoints.get(*e).is_some_and(|p| !p.trunk)
    }) {
        return Route::DirectedPickup(ext.to_owned());
    }
    if st.queues.contains_key(exten) {
        return Route::Queue(exten.to_owned());
    }
    if st.cfg.conference_rooms.iter().any(|r| r == exten) {
        return Route::Conference(exten.to_owned());
    }
    if let Ok(n) = exten.parse::<u32>() {
        if n >= st.lot.start && n <= st.lot.stop {
            return Route::Pickup(n);
        }
    }
    if exten.len() > 4 && exten.chars().all(|c| c.is_ascii_digit() || c == '+') {
        return Route::Outbound(exten.trim_start_matches('9').to_owned());
    }
    Route::Invalid
}

/// The trunk endpoint id, if any.
pub fn trunk_id(st: &SimState) -> Option<String> {
    st.endpoints
        .values()
        .find(|e| e.trunk)
        .map(|e| e.id.clone())
}

impl SimState {
    /// The channels newly set ringing on phones (drained by the driver for auto-answer).
    pub fn take_ringing(&mut self) -> Vec<String> {
        std::mem::take(&mut self.ringing)
    }
}
