//! The HTTP adapter's way to push an event to a user's sockets (`updateDefaultDevice`
//! after `POST /user/default_device`): a slot the integrator fills once the push hub exists.

use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// Receives `(username, event, payload)`; must not block.
pub type UserPushFn = Arc<dyn Fn(&str, &str, Value) + Send + Sync>;

/// Where handlers send pushes; empty (pushes dropped) until [`UserPush::set`].
#[derive(Default)]
pub struct UserPush {
    target: OnceLock<UserPushFn>,
}

impl UserPush {
    /// Sets the target (only the first call counts).
    pub fn set(&self, target: UserPushFn) {
        let _ = self.target.set(target);
    }

    /// Pushes `event` with `payload` to `username`'s sockets (dropped when no target is set).
    pub fn send(&self, username: &str, event: &str, payload: Value) {
        if let Some(target) = self.target.get() {
            target(username, event, payload);
        }
    }
}

impl std::fmt::Debug for UserPush {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserPush")
            .field("set", &self.target.get().is_some())
            .finish()
    }
}
