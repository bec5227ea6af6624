//! Profiles from `profiles.json`: macro permissions and permissions per profile.

use super::lenient;
use serde_json::Value;
use std::collections::BTreeMap;

/// One named permission inside a macro permission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permission {
    /// Permission id (string, as in the file).
    pub id: String,
    /// Permission name, e.g. `dnd`, `spy`, `qmanager_401`.
    pub name: String,
    /// Granted.
    pub value: bool,
}

/// A macro permission: an on/off switch with its permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroPermission {
    /// The macro is on.
    pub value: bool,
    /// Its permissions in file order.
    pub permissions: Vec<Permission>,
}

/// A CTI profile.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// Profile id.
    pub id: String,
    /// Profile name.
    pub name: String,
    /// Macro permissions by macro name (`settings`, `presence_panel`, ...), file order.
    pub macros: Vec<(String, MacroPermission)>,
    /// The profile object exactly as in the file (returned under `profile` by `/user/me`).
    pub raw: Value,
}

impl Profile {
    /// A macro permission by name.
    pub fn macro_permission(&self, name: &str) -> Option<&MacroPermission> {
        self.macros.iter().find(|(n, _)| n == name).map(|(_, m)| m)
    }

    /// True when the macro exists and is on.
    pub fn macro_on(&self, name: &str) -> bool {
        self.macro_permission(name).is_some_and(|m| m.value)
    }

    /// True when the macro is on and its permission `perm` is granted.
    pub fn allows(&self, macro_name: &str, perm: &str) -> bool {
        self.macro_permission(macro_name)
            .is_some_and(|m| m.value && m.permissions.iter().any(|p| p.name == perm && p.value))
    }
}

/// Why `profiles.json` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfilesError {
    /// The top level is not an object.
    #[error("profiles.json: top level must be an object of profiles")]
    NotAnObject,
    /// A profile is not an object.
    #[error("profiles.json: profile `{0}` must be an object")]
    BadProfile(String),
}

/// All profiles by id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profiles {
    by_id: BTreeMap<String, Profile>,
}

fn parse_macro(v: &Value) -> MacroPermission {
    let permissions = v
        .get("permissions")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|p| Permission {
                    id: lenient::field_string(p, "id"),
                    name: lenient::field_string(p, "name"),
                    value: p.get("value").and_then(lenient::boolean).unwrap_or(false),
                })
                .collect()
        })
        .unwrap_or_default();
    MacroPermission {
        value: v.get("value").and_then(lenient::boolean).unwrap_or(false),
        permissions,
    }
}

impl Profiles {
    /// Parses the whole `profiles.json` document.
    ///
    /// # Errors
    /// [`ProfilesError`] when the document or a profile is not an object.
    pub fn from_json(doc: &Value) -> Result<Self, ProfilesError> {
        let obj = doc.as_object().ok_or(ProfilesError::NotAnObject)?;
        let mut by_id = BTreeMap::new();
        for (key, v) in obj {
            if !v.is_object() {
                return Err(ProfilesError::BadProfile(key.clone()));
            }
            let macros = v
                .get("macro_permissions")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(n, mv)| (n.clone(), parse_macro(mv)))
                        .collect()
                })
                .unwrap_or_default();
            let id = v
                .get("id")
                .and_then(lenient::string)
                .unwrap_or_else(|| key.clone());
            by_id.insert(
                key.clone(),
                Profile {
                    id,
                    name: lenient::field_string(v, "name"),
                    macros,
                    raw: v.clone(),
                },
            );
        }
        Ok(Self { by_id })
    }

    /// A profile by id.
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.by_id.get(id)
    }

    /// Every profile by id order.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.by_id.values()
    }

    /// Number of profiles.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when there is no profile.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn permission_needs_macro_and_permission_on() {
        let doc = json!({"3": {"id": "3", "name": "Advanced", "macro_permissions": {
            "settings": {"value": true, "permissions": [{"id": "2", "name": "dnd", "value": true}]},
            "presence_panel": {"value": false, "permissions": [{"id": "15", "name": "spy", "value": true}]}
        }}});
        let profiles = Profiles::from_json(&doc).expect("valid");
        let p = profiles.get("3").expect("profile 3");
        assert!(p.allows("settings", "dnd"));
        assert!(!p.allows("presence_panel", "spy"));
        assert!(!p.allows("settings", "privacy"));
        assert!(p.macro_on("settings"));
        assert!(!p.macro_on("qmanager"));
    }
}
