//! The operations service's hooks: pushes to a user's sockets go to the push hub, model
//! effects (recording marks, AstDB writes) go to the live model.

use super::model::LiveModel;
use crate::adapters::push::{Audience, Broadcast, PushHub};
use crate::app::operations::OperationsHooks;
use crate::domain::operations::Effect;
use serde_json::Value;
use std::sync::Arc;

/// [`OperationsHooks`] wired to the live model and the push hub.
pub struct LiveHooks {
    model: Arc<LiveModel>,
    sink: Arc<LateSink>,
}

impl LiveHooks {
    /// Hooks applying effects to `model` and pushing through `sink` (whose hub is set once
    /// the socket.io layer, which wraps the routes using these hooks, is built).
    pub fn new(model: Arc<LiveModel>, sink: Arc<LateSink>) -> Self {
        Self { model, sink }
    }
}

impl OperationsHooks for LiveHooks {
    fn push_to_user(&self, username: &str, event: &str, payload: Value) {
        let b = Broadcast::new(
            event.to_owned(),
            Audience::Users(vec![username.to_owned()]),
            payload,
        );
        super::publisher::BroadcastSink::send(&*self.sink, &b);
    }

    fn apply(&self, effect: &Effect) {
        self.model.apply_effect(effect);
    }
}

impl super::publisher::BroadcastSink for PushHub {
    fn send(&self, broadcast: &Broadcast) {
        let _ = self.publish(broadcast);
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

impl super::publisher::BroadcastSink for LateSink {
    fn send(&self, broadcast: &Broadcast) {
        if let Some(hub) = self.hub.get() {
            let _ = hub.publish(broadcast);
        }
    }
}
