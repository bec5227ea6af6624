//! Per-user settings (`POST /user/settings`, `default_device`, avatars): key → JSON value
//! per user, in memory. (The original keeps them in MySQL `user_settings`.)

use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// Most keys kept per user.
pub const MAX_KEYS_PER_USER: usize = 256;

/// The settings of every user.
#[derive(Debug, Default)]
pub struct SettingsStore {
    inner: Mutex<BTreeMap<String, Map<String, Value>>>,
}

impl SettingsStore {
    fn lock(&self) -> MutexGuard<'_, BTreeMap<String, Map<String, Value>>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The settings of `user` (`{}` when none).
    pub fn get(&self, user: &str) -> Map<String, Value> {
        self.lock().get(user).cloned().unwrap_or_default()
    }

    /// Upserts keys; false (nothing stored) when it would exceed [`MAX_KEYS_PER_USER`].
    pub fn upsert(&self, user: &str, values: Map<String, Value>) -> bool {
        let mut all = self.lock();
        let entry = all.entry(user.to_owned()).or_default();
        let new_keys = values.keys().filter(|k| !entry.contains_key(*k)).count();
        if entry.len() + new_keys > MAX_KEYS_PER_USER {
            return false;
        }
        for (k, v) in values {
            entry.insert(k, v);
        }
        true
    }

    /// `avatar` of every user that has one.
    pub fn avatars(&self) -> Map<String, Value> {
        self.lock()
            .iter()
            .filter_map(|(u, s)| s.get("avatar").map(|a| (u.clone(), a.clone())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn upserts_and_lists_avatars() {
        let s = SettingsStore::default();
        let mut m = Map::new();
        m.insert("avatar".into(), json!("data:x"));
        assert!(s.upsert("alice", m));
        assert_eq!(
            s.get("alice"),
            json!({"avatar": "data:x"})
                .as_object()
                .cloned()
                .unwrap_or_default()
        );
        assert_eq!(Value::Object(s.avatars()), json!({"alice": "data:x"}));
        assert!(s.get("bob").is_empty());
    }
}
