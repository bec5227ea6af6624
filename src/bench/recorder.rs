//! What the bench clients observed, shared by all of them: latency samples of tagged
//! events, message and disconnect counts, and the newest tag seen.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Most samples one client keeps per run (bounds memory at 10,000 clients).
pub const MAX_SAMPLES_PER_CLIENT: usize = 20_000;

/// Shared observations of the bench clients.
#[derive(Debug, Default)]
pub struct Recorder {
    recording: AtomicBool,
    samples: Mutex<Vec<u64>>,
    messages: AtomicU64,
    newest_tag_ns: AtomicU64,
    closed: AtomicUsize,
}

impl Recorder {
    /// Starts (`true`) or stops keeping latency samples and counting messages.
    pub fn set_recording(&self, on: bool) {
        self.recording.store(on, Ordering::SeqCst);
    }

    /// True while samples are kept.
    pub fn recording(&self) -> bool {
        self.recording.load(Ordering::Relaxed)
    }

    /// Adds one client's samples (µs).
    pub fn add_samples(&self, v: &[u64]) {
        self.samples
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(v);
    }

    /// Takes every sample recorded so far.
    pub fn take_samples(&self) -> Vec<u64> {
        std::mem::take(&mut *self.samples.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Counts `n` received socket.io event messages.
    pub fn count_messages(&self, n: u64) {
        self.messages.fetch_add(n, Ordering::Relaxed);
    }

    /// Event messages counted.
    pub fn messages(&self) -> u64 {
        self.messages.load(Ordering::Relaxed)
    }

    /// Notes a tag (ns since the Unix epoch) received by some client.
    pub fn saw_tag(&self, tag_ns: u64) {
        self.newest_tag_ns.fetch_max(tag_ns, Ordering::Relaxed);
    }

    /// The newest tag any client received (0: none yet).
    pub fn newest_tag_ns(&self) -> u64 {
        self.newest_tag_ns.load(Ordering::Relaxed)
    }

    /// Notes that a client's connection ended before the run did.
    pub fn client_closed(&self) {
        self.closed.fetch_add(1, Ordering::Relaxed);
    }

    /// Clients whose connection ended early.
    pub fn closed(&self) -> usize {
        self.closed.load(Ordering::Relaxed)
    }
}
