//! The token store (auth.md §3.3, §4.1, §5, §6): temporary tokens with sliding expiry and
//! persistent tokens (`Auth-Exp: no-exp` and phone-island), all kept only as SHA-256
//! hashes and compared in constant time. Time is passed in as epoch milliseconds.

use super::token::TokenHash;
use std::collections::{BTreeMap, HashMap};

/// Suffix under which phone-island tokens are filed (`<user>_phone-island`).
pub const PHONE_ISLAND_SUFFIX: &str = "_phone-island";

/// Most temporary tokens kept per key; the oldest-expiring is dropped beyond it.
pub const MAX_GRANTS_PER_KEY: usize = 64;

/// How long a temporary token lives after its last use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime {
    ms: i64,
}

impl TokenLifetime {
    /// A lifetime of `secs` seconds; huge values saturate (a token then practically never
    /// expires) instead of overflowing.
    pub fn from_secs(secs: u64) -> Self {
        let ms = secs.saturating_mul(1000).min(i64::MAX as u64) as i64;
        Self { ms }
    }

    /// The lifetime in milliseconds.
    pub fn as_ms(self) -> i64 {
        self.ms
    }
}

impl Default for TokenLifetime {
    /// 3600 s, the shipped `expiration_timeout`.
    fn default() -> Self {
        Self::from_secs(3600)
    }
}

/// Which kind of token a successful check matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A login token with sliding expiry (now refreshed).
    Temporary,
    /// A persistent (`no-exp`) token of the key.
    Persistent,
    /// A phone-island token of the key.
    PhoneIsland,
}

#[derive(Debug, Clone)]
struct Grant {
    hash: TokenHash,
    expires_ms: i64,
}

/// The phone-island key of a user for a client subtype: `<user>_phone-island` for no
/// subtype (or `user`), else `<user>_phone-island_<subtype>`.
pub fn phone_island_key(user: &str, subtype: Option<&str>) -> String {
    match subtype {
        None | Some("") | Some("user") => format!("{user}{PHONE_ISLAND_SUFFIX}"),
        Some(s) => format!("{user}{PHONE_ISLAND_SUFFIX}_{s}"),
    }
}

/// All tokens of the process.
#[derive(Debug, Default)]
pub struct TokenStore {
    lifetime: TokenLifetime,
    grants: HashMap<String, Vec<Grant>>,
    persistent: BTreeMap<String, TokenHash>,
}

impl TokenStore {
    /// An empty store whose temporary tokens live `lifetime` after last use.
    pub fn new(lifetime: TokenLifetime) -> Self {
        Self {
            lifetime,
            ..Self::default()
        }
    }

    /// Changes the lifetime (config reload); running tokens keep their current expiry.
    pub fn set_lifetime(&mut self, lifetime: TokenLifetime) {
        self.lifetime = lifetime;
    }

    fn expiry(&self, now_ms: i64) -> i64 {
        now_ms.saturating_add(self.lifetime.as_ms())
    }

    /// Files a temporary token under `key`.
    pub fn issue(&mut self, key: &str, token: &str, now_ms: i64) {
        let expires_ms = self.expiry(now_ms);
        let list = self.grants.entry(key.to_owned()).or_default();
        list.push(Grant {
            hash: TokenHash::of(token),
            expires_ms,
        });
        if list.len() > MAX_GRANTS_PER_KEY {
            if let Some(idx) = list
                .iter()
                .enumerate()
                .min_by_key(|(_, g)| g.expires_ms)
                .map(|(i, _)| i)
            {
                list.remove(idx);
            }
        }
    }

    /// Checks `token` for `key` (§4.1): a live temporary token (whose expiry then slides),
    /// else the persistent token of `key`, else a phone-island token of `key`. An expired
    /// temporary token is deleted and fails.
    pub fn verify(&mut self, key: &str, token: &str, now_ms: i64) -> Option<TokenKind> {
        let hash = TokenHash::of(token);
        let new_expiry = self.expiry(now_ms);
        if let Some(list) = self.grants.get_mut(key) {
            let mut found = None;
            for (i, g) in list.iter().enumerate() {
                if g.hash.ct_eq(&hash) {
                    found = Some(i);
                }
            }
            if let Some(i) = found {
                if now_ms > list[i].expires_ms {
                    list.remove(i);
                    if list.is_empty() {
                        self.grants.remove(key);
                    }
                    return None;
                }
                list[i].expires_ms = new_expiry;
                return Some(TokenKind::Temporary);
            }
        }
        self.persistent_kind(key, &hash)
    }

    /// True when `verify` would accept `token` for `key` at `now_ms`, without sliding
    /// any expiry or deleting anything (checking whether a socket's login still holds).
    pub fn is_live(&self, key: &str, token: &str, now_ms: i64) -> bool {
        let hash = TokenHash::of(token);
        let temporary = self.grants.get(key).is_some_and(|list| {
            list.iter()
                .any(|g| g.hash.ct_eq(&hash) && now_ms <= g.expires_ms)
        });
        temporary || self.persistent_kind(key, &hash).is_some()
    }

    /// The persistent or phone-island token of `key` matching `hash`.
    fn persistent_kind(&self, key: &str, hash: &TokenHash) -> Option<TokenKind> {
        if self.persistent.get(key).is_some_and(|h| h.ct_eq(hash)) {
            return Some(TokenKind::Persistent);
        }
        let island = format!("{key}{PHONE_ISLAND_SUFFIX}");
        let island_sub = format!("{island}_");
        let mut matched = false;
        for (k, h) in self.persistent.range(island.clone()..) {
            if k != &island && !k.starts_with(&island_sub) {
                break;
            }
            matched |= h.ct_eq(hash);
        }
        matched.then_some(TokenKind::PhoneIsland)
    }

    /// Pushes the expiry of a live temporary token forward (socket keep-alive, §5).
    pub fn refresh(&mut self, key: &str, token: &str, now_ms: i64) -> bool {
        let hash = TokenHash::of(token);
        let new_expiry = self.expiry(now_ms);
        let Some(list) = self.grants.get_mut(key) else {
            return false;
        };
        let mut hit = false;
        for g in list.iter_mut() {
            if g.hash.ct_eq(&hash) && now_ms <= g.expires_ms {
                g.expires_ms = new_expiry;
                hit = true;
            }
        }
        hit
    }

    /// Removes one temporary token; true when it existed.
    pub fn revoke(&mut self, key: &str, token: &str) -> bool {
        let hash = TokenHash::of(token);
        let Some(list) = self.grants.get_mut(key) else {
            return false;
        };
        let before = list.len();
        list.retain(|g| !g.hash.ct_eq(&hash));
        let removed = list.len() != before;
        if list.is_empty() {
            self.grants.remove(key);
        }
        removed
    }

    /// Deletes every expired temporary token; returns how many were dropped.
    pub fn sweep(&mut self, now_ms: i64) -> usize {
        let mut dropped = 0;
        self.grants.retain(|_, list| {
            let before = list.len();
            list.retain(|g| now_ms <= g.expires_ms);
            dropped += before - list.len();
            !list.is_empty()
        });
        dropped
    }

    /// Files the persistent token of `key`, replacing any previous one (one per key).
    pub fn set_persistent(&mut self, key: &str, token: &str) {
        self.persistent.insert(key.to_owned(), TokenHash::of(token));
    }

    /// Removes the persistent token of `key`; true when it existed.
    pub fn remove_persistent(&mut self, key: &str) -> bool {
        self.persistent.remove(key).is_some()
    }

    /// True when a persistent token is filed under `key`.
    pub fn has_persistent(&self, key: &str) -> bool {
        self.persistent.contains_key(key)
    }

    /// The persistent hashes (what the state file holds).
    pub fn persistent_hashes(&self) -> BTreeMap<String, TokenHash> {
        self.persistent.clone()
    }

    /// Replaces the persistent hashes (loading the state file at start).
    pub fn load_persistent(&mut self, hashes: BTreeMap<String, TokenHash>) {
        self.persistent = hashes;
    }

    /// Number of live temporary tokens (all keys).
    pub fn temporary_count(&self) -> usize {
        self.grants.values().map(Vec::len).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(secs: u64) -> TokenStore {
        TokenStore::new(TokenLifetime::from_secs(secs))
    }

    #[test]
    fn temporary_token_slides_and_expires() {
        let mut s = store(10);
        s.issue("alice", "t1", 0);
        assert_eq!(s.verify("alice", "t1", 10_000), Some(TokenKind::Temporary));
        // refreshed at 10 s: still valid at 20 s, not at 20.001 s after no use
        assert_eq!(s.verify("alice", "t1", 20_000), Some(TokenKind::Temporary));
        assert_eq!(s.verify("alice", "t1", 30_001), None);
        // expired token was deleted
        assert_eq!(s.temporary_count(), 0);
        assert_eq!(s.verify("alice", "t1", 30_001), None);
    }

    #[test]
    fn wrong_key_or_token_fails() {
        let mut s = store(10);
        s.issue("alice", "t1", 0);
        assert_eq!(s.verify("bob", "t1", 1), None);
        assert_eq!(s.verify("alice", "t2", 1), None);
        assert_eq!(s.verify("Alice", "t1", 1), None);
    }

    #[test]
    fn huge_lifetime_saturates() {
        let mut s = store(u64::MAX);
        s.issue("alice", "t", i64::MAX - 5);
        assert_eq!(s.verify("alice", "t", i64::MAX), Some(TokenKind::Temporary));
        assert_eq!(TokenLifetime::from_secs(u64::MAX).as_ms(), i64::MAX);
    }

    #[test]
    fn persistent_and_phone_island_tokens() {
        let mut s = store(10);
        s.set_persistent("alice", "p1");
        s.set_persistent(&phone_island_key("alice", None), "pi");
        s.set_persistent(&phone_island_key("alice", Some("nethlink")), "pn");
        assert_eq!(
            s.verify("alice", "p1", i64::MAX),
            Some(TokenKind::Persistent)
        );
        assert_eq!(s.verify("alice", "pi", 5), Some(TokenKind::PhoneIsland));
        assert_eq!(s.verify("alice", "pn", 5), Some(TokenKind::PhoneIsland));
        assert_eq!(s.verify("alic", "pi", 5), None);
        // one persistent token per key: a new one revokes the old
        s.set_persistent("alice", "p2");
        assert_eq!(s.verify("alice", "p1", 5), None);
        assert!(s.remove_persistent(&phone_island_key("alice", None)));
        assert_eq!(s.verify("alice", "pi", 5), None);
        assert_eq!(s.verify("alice", "pn", 5), Some(TokenKind::PhoneIsland));
    }

    #[test]
    fn is_live_checks_without_sliding_or_deleting() {
        let mut s = store(10);
        s.issue("alice", "a", 0);
        s.set_persistent("bob", "p");
        assert!(s.is_live("alice", "a", 10_000));
        assert!(!s.is_live("alice", "a", 10_001));
        assert!(!s.is_live("alice", "b", 0));
        assert!(s.is_live("bob", "p", i64::MAX));
        // the peek neither slid the expiry nor removed the expired grant
        assert_eq!(s.verify("alice", "a", 10_001), None);
        assert_eq!(s.temporary_count(), 0);
    }

    #[test]
    fn revoke_refresh_and_sweep() {
        let mut s = store(10);
        s.issue("alice", "a", 0);
        s.issue("alice", "b", 0);
        assert!(s.refresh("alice", "b", 5_000));
        assert_eq!(s.sweep(12_000), 1);
        assert!(s.revoke("alice", "b"));
        assert!(!s.revoke("alice", "b"));
        assert_eq!(s.temporary_count(), 0);
    }

    #[test]
    fn grants_per_key_are_bounded() {
        let mut s = store(10);
        for i in 0..(MAX_GRANTS_PER_KEY + 5) {
            s.issue("alice", &format!("t{i}"), i as i64);
        }
        assert_eq!(s.temporary_count(), MAX_GRANTS_PER_KEY);
        assert_eq!(s.verify("alice", "t0", 100), None);
        assert_eq!(s.verify("alice", "t68", 100), Some(TokenKind::Temporary));
    }
}
