//! Login rate limiting: failures counted per client IP and per username in a fixed window;
//! past the limit further attempts are refused until the window ends (answered 429 with
//! `Retry-After`). Memory is bounded: past `max_entries` ended windows are dropped first,
//! then the oldest window that is not locked. A lock is never forgotten: when every tracked
//! entry is locked, attempts from an untracked IP or username are refused until one ends.

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

impl Window {
    fn end(&self, p: &RateLimitPolicy) -> i64 {
        self.start_ms.saturating_add(p.window_ms)
    }

    fn locked(&self, p: &RateLimitPolicy, now: i64) -> bool {
        self.failures >= p.max_failures && now < self.end(p)
    }
}

fn blocked(map: &HashMap<String, Window>, key: &str, p: &RateLimitPolicy, now: i64) -> Option<i64> {
    let w = map.get(key)?;
    w.locked(p, now).then(|| w.end(p) - now)
}

/// When `key` is untracked and the map is full of locks: the wait until the first lock ends.
fn no_room(map: &HashMap<String, Window>, key: &str, p: &RateLimitPolicy, now: i64) -> Option<i64> {
    if map.len() < p.max_entries || map.contains_key(key) {
        return None;
    }
    let mut first_end = None::<i64>;
    for w in map.values() {
        if !w.locked(p, now) {
            return None;
        }
        first_end = Some(first_end.map_or(w.end(p), |e| e.min(w.end(p))));
    }
    first_end.map(|end| end - now)
}

/// Makes room for one more key: drops ended windows, then the oldest unlocked one.
/// Returns false when every entry is locked (nothing is dropped then).
fn make_room(map: &mut HashMap<String, Window>, p: &RateLimitPolicy, now: i64) -> bool {
    map.retain(|_, w| now < w.end(p));
    if map.len() < p.max_entries {
        return true;
    }
    let oldest_unlocked = map
        .iter()
        .filter(|(_, w)| !w.locked(p, now))
        .min_by_key(|(_, w)| w.start_ms)
        .map(|(k, _)| k.clone());
    match oldest_unlocked {
        Some(k) => {
            map.remove(&k);
            true
        }
        None => false,
    }
}

fn bump(map: &mut HashMap<String, Window>, key: &str, p: &RateLimitPolicy, now: i64) {
    if map.len() >= p.max_entries && !map.contains_key(key) && !make_room(map, p, now) {
        // Full of locks: the attempt was refused by `check` (or raced with the last lock).
        return;
    }
    let w = map.entry(key.to_owned()).or_insert(Window {
        start_ms: now,
        failures: 0,
    });
    if now >= w.end(p) {
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
    /// [`RetryAfter`] with the seconds left when the IP or the username is blocked, or
    /// when one of them is untracked and its map is full of locked entries (a failure could
    /// not be counted without forgetting a lock).
    pub fn check(&self, ip: Option<&str>, username: &str, now_ms: i64) -> Result<(), RetryAfter> {
        let p = &self.policy;
        let ip_wait = ip.and_then(|ip| {
            blocked(&self.by_ip, ip, p, now_ms).or_else(|| no_room(&self.by_ip, ip, p, now_ms))
        });
        let user_wait = blocked(&self.by_user, username, p, now_ms)
            .or_else(|| no_room(&self.by_user, username, p, now_ms));
        let wait = ip_wait.into_iter().chain(user_wait).max();
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
        assert_eq!(l.check(Some("a"), "x", 3), Err(RetryAfter(1)));
        assert_eq!(l.check(Some("c"), "x", 3), Err(RetryAfter(1)));
    }

    #[test]
    fn a_full_map_never_forgets_a_lock() {
        let p = RateLimitPolicy {
            max_failures: 2,
            window_ms: 10_000,
            max_entries: 2,
        };
        let mut l = LoginLimiter::new(p);
        // "victim" locked, "other" tracked with one failure (unlocked).
        l.record_failure(None, "victim", 0);
        l.record_failure(None, "victim", 1);
        l.record_failure(None, "other", 2);
        // A new name takes the unlocked slot, not the lock.
        assert_eq!(l.check(None, "new1", 3), Ok(()));
        l.record_failure(None, "new1", 3);
        assert_eq!(l.by_user.len(), 2);
        assert_eq!(l.check(None, "victim", 4), Err(RetryAfter(10)));
        assert_eq!(l.check(None, "other", 4), Ok(()));
        // Lock "new1" too: the map is full of locks, untracked names are refused
        // until the first lock ends, and the locks stay.
        l.record_failure(None, "new1", 5);
        assert_eq!(l.check(None, "new2", 6), Err(RetryAfter(10)));
        l.record_failure(None, "new2", 6);
        assert_eq!(l.check(None, "victim", 7), Err(RetryAfter(10)));
        assert_eq!(l.check(None, "new1", 7), Err(RetryAfter(10)));
        assert_eq!(l.by_user.len(), 2);
        // Once victim's window ends it is evicted first.
        assert_eq!(l.check(None, "new2", 10_000), Ok(()));
        l.record_failure(None, "new2", 10_000);
        assert_eq!(l.check(None, "victim", 10_001), Ok(()));
        assert_eq!(l.check(None, "new1", 10_001), Err(RetryAfter(1)));
    }

    #[test]
    fn a_full_ip_map_of_locks_refuses_new_addresses() {
        let mut l = LoginLimiter::new(RateLimitPolicy {
            max_failures: 1,
            window_ms: 5_000,
            max_entries: 1,
        });
        l.record_failure(Some("1.1.1.1"), "a", 0);
        assert_eq!(l.check(Some("2.2.2.2"), "b", 1_000), Err(RetryAfter(4)));
        l.record_failure(Some("2.2.2.2"), "b", 1_000);
        assert_eq!(l.check(Some("1.1.1.1"), "c", 1_000), Err(RetryAfter(4)));
    }
}
