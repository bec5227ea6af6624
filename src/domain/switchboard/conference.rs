//! ConfBridge conferences owned by extensions (domain.md §8).

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A conference participant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfUser {
    /// Extension name or `""`.
    pub name: String,
    /// Caller number.
    pub exten_id: String,
    /// Muted.
    pub muted: bool,
    /// Channel.
    pub channel: String,
}

/// A conference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Conference {
    /// Conference id (owner extension).
    pub id: String,
    /// Users by number.
    pub users: BTreeMap<String, ConfUser>,
}

impl Conference {
    /// Conference JSON.
    pub fn to_json(&self) -> Value {
        let users: Map<String, Value> = self
            .users
            .iter()
            .map(|(k, u)| {
                (
                    k.clone(),
                    json!({
                        "id": format!("{}-{}", self.id, u.exten_id),
                        "name": u.name,
                        "owner": u.exten_id == self.id,
                        "muted": u.muted,
                        "extenId": u.exten_id,
                    }),
                )
            })
            .collect();
        json!({ "id": self.id, "users": users })
    }
}
