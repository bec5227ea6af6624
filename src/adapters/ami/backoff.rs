//! Exponential reconnect backoff with jitter.

use super::settings::BackoffSettings;
use rand::Rng;
use std::time::Duration;

/// Produces the delay before each reconnect attempt; `reset` once a connection has stayed
/// up for `stable_after`.
#[derive(Debug, Clone)]
pub struct Backoff {
    settings: BackoffSettings,
    /// Delay before jitter for the next attempt.
    base: Duration,
}

impl Backoff {
    /// A backoff starting at `settings.initial`.
    pub fn new(settings: BackoffSettings) -> Self {
        let base = settings.initial;
        Self { settings, base }
    }

    /// The un-jittered delay the next call to [`Backoff::next_delay`] is based on.
    pub fn base(&self) -> Duration {
        self.base
    }

    /// The next delay (jittered) and grows the base for the attempt after it.
    pub fn next_delay(&mut self, rng: &mut impl Rng) -> Duration {
        let jitter = self.settings.jitter.clamp(0.0, 1.0);
        let scale = if jitter > 0.0 {
            rng.random_range(1.0 - jitter..=1.0 + jitter)
        } else {
            1.0
        };
        let delay = self.base.mul_f64(scale);
        let grown = self.base.mul_f64(self.settings.factor.max(1.0));
        self.base = grown.min(self.settings.max);
        delay
    }

    /// Back to the initial delay.
    pub fn reset(&mut self) {
        self.base = self.settings.initial;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{rngs::StdRng, SeedableRng};

    fn secs(d: &[Duration]) -> Vec<f64> {
        d.iter().map(Duration::as_secs_f64).collect()
    }

    #[test]
    fn without_jitter_delays_double_from_one_second_up_to_thirty() {
        let mut b = Backoff::new(BackoffSettings {
            jitter: 0.0,
            ..BackoffSettings::default()
        });
        let mut rng = StdRng::seed_from_u64(1);
        let d: Vec<Duration> = (0..8).map(|_| b.next_delay(&mut rng)).collect();
        assert_eq!(secs(&d), vec![1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]);
        b.reset();
        assert_eq!(b.next_delay(&mut rng), Duration::from_secs(1));
    }

    #[test]
    fn jitter_keeps_each_delay_within_half_to_one_and_a_half_of_its_base() {
        let mut b = Backoff::new(BackoffSettings::default());
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let base = b.base();
            let d = b.next_delay(&mut rng);
            assert!(
                d >= base.mul_f64(0.5) && d <= base.mul_f64(1.5),
                "{d:?} vs {base:?}"
            );
        }
        assert_eq!(b.base(), Duration::from_secs(30));
    }
}
