//! Login rate limiting: failures counted per client IP and per username in a fixed window;
//! past the limit further attempts are refused until the window ends (answered 429 with
//! `Retry-After`). Memory is bounded: past `max_entries` stale windows are dropped first,
//! then the oldest.

use std::collections::HashMap;

/// Limits of the login limiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitPolicy {
    /// Failures allowed per window before blocking.
    pub max_failures: u32,
    /// Window length in milliseconds.
    pub window_ms: i64,
    /// Most tracked IPs/usernames (each map).
    pub max_entries: usize,
}

impl Default for RateLimitPolicy {
    /// 10 failures a minute, 10 000 tracked entries.
    fn default() -> Self {
        Self {
            max_failures: 10,
            window_ms: 60_000,
            max_entries: 10_000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start_ms: i64,
    failures: u32,
}

/// A refused attempt: retry after this many whole seconds (at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub u64);

/// The limiter state.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    policy: RateLimitPolicy,
    by_ip: HashMap<String, Window>,
    by_user: HashMap<String, Window>,
}

fn blocked(map: &HashMap<String, Window>, key: &str, p: &RateLimitPolicy, now: i64) -> Option<i64> {
    let w = map.get(key)?;
    let end = w.start_ms.saturating_add(p.window_ms);
    (w.failures >= p.max_failures && now < end).then_some(end - now)
}

fn bump(map: &mut HashMap<String, Window>, key: &str, p: &RateLimitPolicy, now: i64) {
    if map.len() >= p.max_entries && !map.contains_key(key) {
        map.retain(|_, w| now < w.start_ms.saturating_add(p.window_ms));
        if map.len() >= p.max_entries {
            if let Some(oldest) = map
                .iter()
                .min_by_key(|(_, w)| w.start_ms)
                .map(|(k, _)| k.clone())
            {
                map.remove(&oldest);
            }
        }
    }
    let w = map.entry(key.to_owned()).or_insert(Window {
        start_ms: now,
        failures: 0,
    });
    if now >= w.start_ms.saturating_add(p.window_ms) {
        *w = Window {
            start_ms: now,
            failures: 0,
        };
    }
    w.failures = w.failures.saturating_add(1);
}

impl LoginLimiter {
    /// A limiter with the given policy.
    pub fn new(policy: RateLimitPolicy) -> Self {
        Self {
            policy,
            ..Self::default()
        }
    }

    /// Whether an attempt from `ip` for `username` may proceed now. An unknown IP
    /// (`None`) is not limited by address, so unattributed clients cannot lock each other out.
    ///
    /// # Errors
    /// [`RetryAfter`] with the seconds left when the IP or the username is blocked.
    pub fn check(&self, ip: Option<&str>, username: &str, now_ms: i64) -> Result<(), RetryAfter> {
        let p = &self.policy;
        let wait = ip
            .and_then(|ip| blocked(&self.by_ip, ip, p, now_ms))
            .into_iter()
            .chain(blocked(&self.by_user, username, p, now_ms))
            .max();
        match wait {
            Some(ms) => Err(RetryAfter(((ms + 999) / 1000).max(1) as u64)),
            None => Ok(()),
        }
    }

    /// Records a failed attempt.
    pub fn record_failure(&mut self, ip: Option<&str>, username: &str, now_ms: i64) {
        let p = self.policy;
        if let Some(ip) = ip {
            bump(&mut self.by_ip, ip, &p, now_ms);
        }
        bump(&mut self.by_user, username, &p, now_ms);
    }

    /// Records a success: the username's failures are forgotten.
    pub fn record_success(&mut self, username: &str) {
        self.by_user.remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_max_failures_until_window_end() {
        let mut l = LoginLimiter::new(RateLimitPolicy {
            max_failures: 3,
            window_ms: 60_000,
            max_entries: 100,
        });
        for t in 0..3 {
            assert_eq!(l.check(Some("1.2.3.4"), "alice", t), Ok(()));
            l.record_failure(Some("1.2.3.4"), "alice", t);
        }
        assert_eq!(
            l.check(Some("1.2.3.4"), "alice", 1_000),
            Err(RetryAfter(59))
        );
        // another IP, same user: blocked by the username
        assert_eq!(
            l.check(Some("5.6.7.8"), "alice", 1_000),
            Err(RetryAfter(59))
        );
        // same IP, other user: blocked by the IP
        assert_eq!(l.check(Some("1.2.3.4"), "bob", 59_500), Err(RetryAfter(1)));
        assert_eq!(l.check(Some("1.2.3.4"), "alice", 60_000), Ok(()));
        // an unknown address is limited by username only
        assert_eq!(l.check(None, "bob", 1_000), Ok(()));
    }

    #[test]
    fn success_clears_the_username() {
        let mut l = LoginLimiter::new(RateLimitPolicy {
            max_failures: 1,
            window_ms: 1_000,
            max_entries: 100,
        });
        l.record_failure(Some("ip"), "alice", 0);
        l.record_success("alice");
        assert_eq!(l.check(Some("ip2"), "alice", 1), Ok(()));
    }

    #[test]
    fn tracked_entries_are_bounded() {
        let mut l = LoginLimiter::new(RateLimitPolicy {
            max_failures: 1,
            window_ms: 1_000,
            max_entries: 2,
        });
        l.record_failure(Some("a"), "u1", 0);
        l.record_failure(Some("b"), "u2", 1);
        l.record_failure(Some("c"), "u3", 2);
        assert_eq!(l.by_ip.len(), 2);
        assert_eq!(l.check(Some("a"), "x", 3), Ok(()));
        assert!(l.check(Some("c"), "x", 3).is_err());
    }
}
