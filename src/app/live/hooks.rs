//! The operations service's hooks: pushes to a user's sockets go to the push hub, model
//! effects (recording marks, AstDB writes) go to the live model.

use super::model::LiveModel;
use super::publisher::BroadcastSink;
use crate::adapters::push::{Broadcast, PushHub};
use crate::app::operations::OperationsHooks;
use crate::domain::operations::Effect;
use serde_json::Value;
use std::sync::Arc;

/// [`OperationsHooks`] wired to the live model and the push hub.
pub struct LiveHooks {
    model: Arc<LiveModel>,
    sink: Arc<dyn BroadcastSink>,
}

impl LiveHooks {
    /// Hooks applying effects to `model` and pushing through `sink` (the push hub, or a
    /// [`LateSink`] when the hub is built after the operations routes).
    pub fn new(model: Arc<LiveModel>, sink: Arc<dyn BroadcastSink>) -> Self {
        Self { model, sink }
    }
}

impl OperationsHooks for LiveHooks {
    fn push_to_user(&self, username: &str, event: &str, payload: Value) {
        self.sink
            .send(&Broadcast::to_user(event.to_owned(), username, payload));
    }

    fn apply(&self, effect: &Effect) {
        self.model.apply_effect(effect);
    }
}

impl BroadcastSink for PushHub {
    fn send(&self, broadcast: &Broadcast) {
        let _ = self.publish(broadcast);
    }

    fn send_all(&self, broadcasts: &[Broadcast]) {
        let _ = self.publish_all(broadcasts);
    }

    fn wants_masked(&self) -> bool {
        self.has_privacy_sessions()
    }
}

/// A sink whose hub is set after construction (the hub is built after the model, because
/// the HTTP routes it wraps read the model). Broadcasts before that are dropped.
#[derive(Default)]
pub struct LateSink {
    hub: std::sync::OnceLock<PushHub>,
}

impl LateSink {
    /// Sets the hub (only the first call counts).
    pub fn set(&self, hub: PushHub) {
        let _ = self.hub.set(hub);
    }
}

impl BroadcastSink for LateSink {
    fn send(&self, broadcast: &Broadcast) {
        if let Some(hub) = self.hub.get() {
            let _ = hub.publish(broadcast);
        }
    }

    fn send_all(&self, broadcasts: &[Broadcast]) {
        if let Some(hub) = self.hub.get() {
            let _ = hub.publish_all(broadcasts);
        }
    }

    fn wants_masked(&self) -> bool {
        self.hub.get().is_some_and(PushHub::has_privacy_sessions)
    }
}
