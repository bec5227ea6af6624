//! What the operations service tells the rest of the application: pushes to a user's
//! sockets (`callWebrtc`, `answerWebrtc`) and model effects the PBX does not report
//! (recording state, AstDB settings, mute). The integrator wires it to socket.io and to
//! the live `Switchboard`.

use crate::domain::operations::Effect;
use serde_json::Value;
use std::sync::Mutex;

/// Callbacks out of the operations service. Must not block.
pub trait OperationsHooks: Send + Sync {
    /// Emits `event` with `payload` to every socket of `username`.
    fn push_to_user(&self, username: &str, event: &str, payload: Value);
    /// Applies a model effect (e.g. marks a conversation as recording and re-emits it).
    fn apply(&self, effect: &Effect);
}

/// Hooks that do nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHooks;

impl OperationsHooks for NoHooks {
    fn push_to_user(&self, _username: &str, _event: &str, _payload: Value) {}
    fn apply(&self, _effect: &Effect) {}
}

/// One recorded hook call (tests).
#[derive(Debug, Clone, PartialEq)]
pub enum HookCall {
    /// A push.
    Push {
        /// Recipient.
        username: String,
        /// Event name.
        event: String,
        /// Payload.
        payload: Value,
    },
    /// An effect.
    Effect(Effect),
}

/// Hooks that record every call, for tests.
#[derive(Debug, Default)]
pub struct RecordingHooks {
    calls: Mutex<Vec<HookCall>>,
}

impl RecordingHooks {
    /// Every call so far, in order.
    pub fn calls(&self) -> Vec<HookCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }

    fn record(&self, call: HookCall) {
        if let Ok(mut c) = self.calls.lock() {
            c.push(call);
        }
    }
}

impl OperationsHooks for RecordingHooks {
    fn push_to_user(&self, username: &str, event: &str, payload: Value) {
        self.record(HookCall::Push {
            username: username.to_owned(),
            event: event.to_owned(),
            payload,
        });
    }

    fn apply(&self, effect: &Effect) {
        self.record(HookCall::Effect(effect.clone()));
    }
}

/// Receives pushes for a user's sockets.
pub type PushFn = dyn Fn(&str, &str, Value) + Send + Sync;
/// Receives the model changes an effect caused (to broadcast `extenUpdate`...).
pub type ChangesFn = dyn Fn(Vec<crate::domain::change::Change>) + Send + Sync;

/// Hooks applying effects to the shared live [`Switchboard`](crate::domain::switchboard::Switchboard)
/// and handing pushes and resulting changes to the integrator's callbacks.
pub struct SwitchboardHooks {
    model: std::sync::Arc<std::sync::RwLock<crate::domain::switchboard::Switchboard>>,
    clock: std::sync::Arc<dyn crate::ports::clock::Clock>,
    push: Box<PushFn>,
    changes: Box<ChangesFn>,
}

impl SwitchboardHooks {
    /// Hooks over `model`; `push` gets `(username, event, payload)`, `changes` the changes.
    pub fn new(
        model: std::sync::Arc<std::sync::RwLock<crate::domain::switchboard::Switchboard>>,
        clock: std::sync::Arc<dyn crate::ports::clock::Clock>,
        push: Box<PushFn>,
        changes: Box<ChangesFn>,
    ) -> Self {
        Self {
            model,
            clock,
            push,
            changes,
        }
    }
}

impl OperationsHooks for SwitchboardHooks {
    fn push_to_user(&self, username: &str, event: &str, payload: Value) {
        (self.push)(username, event, payload);
    }

    fn apply(&self, effect: &Effect) {
        let now = self.clock.now_ms();
        let changes = match self.model.write() {
            Ok(mut sb) => crate::domain::operations::effects::apply_effect(&mut sb, effect, now),
            Err(_) => return,
        };
        if !changes.is_empty() {
            (self.changes)(changes);
        }
    }
}
