//! Counters of the PBX link, readable while it runs (logs, tests, health views).

use std::sync::atomic::{AtomicU64, Ordering};

/// What the PBX link has seen of the AMI event stream.
#[derive(Debug, Default)]
pub struct LinkStats {
    received: AtomicU64,
    applied: AtomicU64,
    unknown: AtomicU64,
    batches: AtomicU64,
}

impl LinkStats {
    /// Event frames taken off the AMI connection (applied, ignored or unknown).
    pub fn received(&self) -> u64 {
        self.received.load(Ordering::Relaxed)
    }

    /// Batches applied (one model lock and one render of each changed entity each).
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }

    /// Frames translated to a domain event and applied to the model.
    pub fn applied(&self) -> u64 {
        self.applied.load(Ordering::SeqCst)
    }

    /// Events of a name the adapter does not know, dropped (logged at debug level).
    pub fn unknown(&self) -> u64 {
        self.unknown.load(Ordering::SeqCst)
    }

    pub(super) fn count_received(&self) {
        self.received.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn count_batch(&self) {
        self.batches.fetch_add(1, Ordering::Relaxed);
    }

    pub(super) fn count_applied(&self) {
        self.applied.fetch_add(1, Ordering::SeqCst);
    }

    pub(super) fn count_unknown(&self) -> u64 {
        self.unknown.fetch_add(1, Ordering::SeqCst) + 1
    }
}
