//! `recallonbusy.json`: per-user "recall on busy" switch.

use super::doc::Doc;
use super::error::ConfigError;
use std::collections::BTreeMap;

/// Users with recall-on-busy enabled; everyone else is `"disabled"`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecallOnBusy {
    /// Lower-case username → enabled.
    pub by_user: BTreeMap<String, bool>,
}

impl RecallOnBusy {
    /// `"enabled"` or `"disabled"` for a user, as `/user/me` shows it.
    pub fn status(&self, username: &str) -> &'static str {
        if self
            .by_user
            .get(&username.to_lowercase())
            .copied()
            .unwrap_or(false)
        {
            "enabled"
        } else {
            "disabled"
        }
    }

    /// Reads `{ "<username>": { "recallonbusy": "enabled" | "disabled" } }`.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming a user whose value is not a boolean-like string.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        let mut by_user = BTreeMap::new();
        for user in doc.top()?.keys() {
            let on = match doc.child(user) {
                Some(entry) => {
                    entry.top()?;
                    entry.boolean("recallonbusy")?.unwrap_or(false)
                }
                None => false,
            };
            by_user.insert(user.to_lowercase(), on);
        }
        Ok(Self { by_user })
    }
}
