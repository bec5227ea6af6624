//! Connection limits of the listeners: header-read timeout, a shared cap on open connections, shutdown grace.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::config::PushConfig;

/// What [`serve`](super::serve) enforces on a listener; clone it to share the connection
/// cap between listeners (the REST and the socket.io port draw from the same file descriptors).
#[derive(Debug, Clone)]
pub struct ServeLimits {
    /// Time given to plain HTTP connections to finish on shutdown before they are cut.
    pub grace: Duration,
    /// A connection that has not sent a complete request head within this time is closed.
    pub header_read_timeout: Duration,
    max_connections: usize,
    slots: Arc<Semaphore>,
}

impl ServeLimits {
    /// Limits from the push configuration, with a fresh connection cap.
    pub fn new(config: &PushConfig) -> Self {
        let max = config.max_connections.clamp(1, Semaphore::MAX_PERMITS);
        Self {
            grace: config.shutdown_grace,
            header_read_timeout: config.header_read_timeout,
            max_connections: max,
            slots: Arc::new(Semaphore::new(max)),
        }
    }

    /// The connection cap.
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Connections that may still be opened.
    pub fn available(&self) -> usize {
        self.slots.available_permits()
    }

    /// A slot for one more connection, `None` when the cap is reached.
    pub(crate) fn try_slot(&self) -> Option<OwnedSemaphorePermit> {
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_returned_on_drop() {
        let limits = ServeLimits::new(&PushConfig {
            max_connections: 2,
            ..PushConfig::default()
        });
        let shared = limits.clone();
        let a = limits.try_slot();
        let b = shared.try_slot();
        assert!(a.is_some() && b.is_some());
        assert!(limits.try_slot().is_none());
        assert_eq!(shared.available(), 0);
        drop(a);
        assert_eq!(limits.available(), 1);
        assert_eq!(limits.max_connections(), 2);
    }
}
