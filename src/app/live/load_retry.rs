//! When to retry a PBX state load that failed while the AMI session stays up: 1 s doubling
//! to 30 s, without jitter (one client, nothing to spread), until a load succeeds or the
//! session ends (the next `Connected` loads anyway).

use super::reload_notice::LoadCause;
use crate::adapters::ami::backoff::Backoff;
use crate::adapters::ami::settings::BackoffSettings;
use std::time::Duration;
use tokio::time::Instant;

/// The retry schedule of the PBX link.
#[derive(Debug)]
pub struct LoadRetry {
    backoff: Backoff,
    pending: Option<Pending>,
    attempt: u32,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    at: Instant,
    cause: LoadCause,
}

impl Default for LoadRetry {
    fn default() -> Self {
        Self::new(BackoffSettings {
            jitter: 0.0,
            ..BackoffSettings::default()
        })
    }
}

impl LoadRetry {
    /// A schedule with these delays (the default: 1 s doubling to 30 s, no jitter).
    pub fn new(settings: BackoffSettings) -> Self {
        Self {
            backoff: Backoff::new(settings),
            pending: None,
            attempt: 0,
        }
    }

    /// A load for `cause` failed at `now`: schedules the next attempt and returns its delay
    /// and the number of that attempt (1 for the first retry). A pending `Requested` cause
    /// is kept, so the reload notice is not lost when a later attempt was for a reconnect.
    pub fn failed(&mut self, now: Instant, cause: LoadCause) -> (Duration, u32) {
        let cause = match self.pending {
            Some(p) if p.cause == LoadCause::Requested => LoadCause::Requested,
            _ => cause,
        };
        let delay = self.backoff.next_delay(&mut rand::rng());
        self.attempt += 1;
        self.pending = Some(Pending {
            at: now + delay,
            cause,
        });
        (delay, self.attempt)
    }

    /// A load succeeded or the session ended: nothing to retry, delays start over.
    pub fn clear(&mut self) {
        self.pending = None;
        self.attempt = 0;
        self.backoff.reset();
    }

    /// Whether an attempt is scheduled.
    pub fn is_pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Waits for the scheduled attempt (forever when none) and returns its cause, leaving
    /// the schedule to [`LoadRetry::failed`] / [`LoadRetry::clear`].
    pub async fn due(&self) -> LoadCause {
        match self.pending {
            Some(p) => {
                tokio::time::sleep_until(p.at).await;
                p.cause
            }
            None => std::future::pending().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn delays_double_to_thirty_seconds_and_start_over_after_clear() {
        let mut r = LoadRetry::default();
        let now = Instant::now();
        let delays: Vec<(u64, u32)> = (0..7)
            .map(|_| {
                let (d, n) = r.failed(now, LoadCause::Connected);
                (d.as_secs(), n)
            })
            .collect();
        assert_eq!(
            delays,
            vec![(1, 1), (2, 2), (4, 3), (8, 4), (16, 5), (30, 6), (30, 7)]
        );
        assert!(r.is_pending());
        r.clear();
        assert!(!r.is_pending());
        assert_eq!(
            r.failed(now, LoadCause::Connected),
            (Duration::from_secs(1), 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn the_attempt_is_due_after_its_delay_with_the_requested_cause_kept() {
        let mut r = LoadRetry::default();
        let start = Instant::now();
        r.failed(start, LoadCause::Requested);
        r.failed(start, LoadCause::Connected);
        assert_eq!(r.due().await, LoadCause::Requested);
        assert_eq!(Instant::now() - start, Duration::from_secs(2));
    }
}
