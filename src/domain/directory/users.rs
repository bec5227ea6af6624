//! Users from `users.json`: identity, devices (extensions) and forwarding endpoints.

use super::lenient;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Kind of a user's device extension (`users.json` `extension.type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceType {
    /// A desk phone.
    Physical,
    /// The browser phone.
    Webrtc,
    /// The mobile app.
    Mobile,
}

impl DeviceType {
    /// Parses the `type` string; other values are not devices.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "physical" => Some(Self::Physical),
            "webrtc" => Some(Self::Webrtc),
            "mobile" => Some(Self::Mobile),
            _ => None,
        }
    }

    /// The `users.json` spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Webrtc => "webrtc",
            Self::Mobile => "mobile",
        }
    }
}

/// One device extension of a user.
#[derive(Clone, PartialEq, Eq)]
pub struct Device {
    /// Extension number.
    pub id: String,
    /// Device kind.
    pub kind: DeviceType,
    /// MAC address normalised to lower case with `-` separators, `""` if none.
    pub mac: String,
    /// SIP username.
    pub sip_user: String,
    /// SIP password (exposed only for webrtc/mobile in `/user/me`).
    pub sip_password: String,
    /// Phone web UI user (`$PHONE_USER`).
    pub web_user: String,
    /// Phone web UI password (`$PHONE_PASS`).
    pub web_password: String,
}

impl std::fmt::Debug for Device {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Device")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("mac", &self.mac)
            .finish_non_exhaustive()
    }
}

/// One CTI user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// Username, lower case.
    pub username: String,
    /// Display name.
    pub name: String,
    /// Profile id, if the user has one.
    pub profile_id: Option<String>,
    /// Main extensions in file order; the first is *the* main extension.
    pub main_extensions: Vec<String>,
    /// Device extensions in file order.
    pub devices: Vec<Device>,
    /// Cellphone numbers in file order.
    pub cellphones: Vec<String>,
    /// Voicemail boxes in file order.
    pub voicemails: Vec<String>,
    /// E-mail addresses.
    pub emails: Vec<String>,
    /// Jabber ids.
    pub jabbers: Vec<String>,
}

impl User {
    /// The main extension, if any.
    pub fn main_extension(&self) -> Option<&str> {
        self.main_extensions.first().map(String::as_str)
    }

    /// Every extension number of the user: main ones, then devices.
    pub fn all_extensions(&self) -> impl Iterator<Item = &str> {
        self.main_extensions
            .iter()
            .map(String::as_str)
            .chain(self.devices.iter().map(|d| d.id.as_str()))
    }
}

/// Why `users.json` could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsersError {
    /// The top level is not an object.
    #[error("users.json: top level must be an object of users")]
    NotAnObject,
    /// A user entry is not an object.
    #[error("users.json: user `{0}` must be an object")]
    BadUser(String),
}

/// All users, keyed by lower-case username, plus the extension → owner index.
///
/// Cloning is cheap: clones share one copy (the daemon holds the users in the loaded
/// configuration, the live model and the HTTP directory: three copies of 6.5 MB each
/// with 10,000 users before), and [`Users::insert`] copies it first if it is shared.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Users {
    index: Arc<Index>,
}

#[derive(Clone, Default, PartialEq, Eq)]
struct Index {
    by_name: BTreeMap<String, User>,
    owner_of: BTreeMap<String, String>,
}

impl std::fmt::Debug for Users {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Users")
            .field("by_name", &self.index.by_name)
            .field("owner_of", &self.index.owner_of)
            .finish()
    }
}

fn normalise_mac(mac: &str) -> String {
    mac.trim().to_ascii_lowercase().replace(':', "-")
}

fn parse_device(id: &str, v: &Value) -> Option<Device> {
    let kind = DeviceType::parse(v.get("type").and_then(Value::as_str)?)?;
    Some(Device {
        id: id.to_owned(),
        kind,
        mac: normalise_mac(&lenient::field_string(v, "mac")),
        sip_user: lenient::field_string(v, "user"),
        sip_password: lenient::field_string(v, "password"),
        web_user: lenient::field_string(v, "web_user"),
        web_password: lenient::field_string(v, "web_password"),
    })
}

fn parse_user(username: String, v: &Value) -> Result<User, UsersError> {
    if !v.is_object() {
        return Err(UsersError::BadUser(username));
    }
    let eps = v.get("endpoints");
    let ep = |k: &str| lenient::keys(eps.and_then(|e| e.get(k)));
    let devices = eps
        .and_then(|e| e.get("extension"))
        .and_then(Value::as_object)
        .map(|m| m.iter().filter_map(|(id, d)| parse_device(id, d)).collect())
        .unwrap_or_default();
    Ok(User {
        name: lenient::field_string(v, "name"),
        profile_id: v.get("profile_id").and_then(lenient::string),
        main_extensions: ep("mainextension"),
        devices,
        cellphones: ep("cellphone"),
        voicemails: ep("voicemail"),
        emails: ep("email"),
        jabbers: ep("jabber"),
        username,
    })
}

impl Users {
    /// Parses the whole `users.json` document. Usernames are lower-cased; device entries
    /// whose `type` is not physical/webrtc/mobile are skipped.
    ///
    /// # Errors
    /// [`UsersError`] when the document or a user entry is not an object.
    pub fn from_json(doc: &Value) -> Result<Self, UsersError> {
        let obj = doc.as_object().ok_or(UsersError::NotAnObject)?;
        let mut users = Users::default();
        for (name, v) in obj {
            let user = parse_user(name.to_lowercase(), v)?;
            users.insert(user);
        }
        Ok(users)
    }

    /// Adds (or replaces) a user and indexes its extensions.
    pub fn insert(&mut self, user: User) {
        let index = Arc::make_mut(&mut self.index);
        for e in user.all_extensions() {
            index
                .owner_of
                .entry(e.to_owned())
                .or_insert_with(|| user.username.clone());
        }
        index.by_name.insert(user.username.clone(), user);
    }

    /// A user by username (case-insensitive).
    pub fn get(&self, username: &str) -> Option<&User> {
        let by_name = &self.index.by_name;
        by_name
            .get(username)
            .or_else(|| by_name.get(&username.to_lowercase()))
    }

    /// The username owning an extension number.
    pub fn owner_of(&self, exten: &str) -> Option<&str> {
        self.index.owner_of.get(exten).map(String::as_str)
    }

    /// The display name of the user owning an extension.
    pub fn name_of_extension(&self, exten: &str) -> Option<&str> {
        self.owner_of(exten)
            .and_then(|u| self.index.by_name.get(u))
            .map(|u| u.name.as_str())
    }

    /// Every user, ordered by username.
    pub fn iter(&self) -> impl Iterator<Item = &User> {
        self.index.by_name.values()
    }

    /// Every tracked extension number with its owner, ordered by number.
    pub fn extensions(&self) -> impl Iterator<Item = (&str, &str)> {
        self.index
            .owner_of
            .iter()
            .map(|(e, u)| (e.as_str(), u.as_str()))
    }

    /// Number of users.
    pub fn len(&self) -> usize {
        self.index.by_name.len()
    }

    /// True when there is no user.
    pub fn is_empty(&self) -> bool {
        self.index.by_name.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_users_and_indexes_extensions() {
        let doc = json!({
            "Alice": {"name": "Alice Rossi", "profile_id": 3, "endpoints": {
                "mainextension": {"201": {}},
                "extension": {
                    "91201": {"type": "physical", "mac": "00:15:65:AA:BB:CC", "user": "91201"},
                    "92201": {"type": "webrtc"},
                    "99201": {"type": "fax"}
                },
                "cellphone": {"3331234567": {}}
            }}
        });
        let users = Users::from_json(&doc).expect("valid users");
        let alice = users.get("ALICE").expect("alice");
        assert_eq!(alice.username, "alice");
        assert_eq!(alice.profile_id.as_deref(), Some("3"));
        assert_eq!(alice.main_extension(), Some("201"));
        assert_eq!(alice.devices.len(), 2);
        assert_eq!(alice.devices[0].mac, "00-15-65-aa-bb-cc");
        assert_eq!(users.owner_of("92201"), Some("alice"));
        assert_eq!(users.name_of_extension("201"), Some("Alice Rossi"));
        assert_eq!(users.owner_of("99201"), None);
    }

    #[test]
    fn clones_share_one_copy_until_one_is_changed() {
        let doc = json!({"alice": {"endpoints": {"mainextension": {"201": {}}}}});
        let users = Users::from_json(&doc).expect("valid users");
        let mut copy = users.clone();
        assert!(Arc::ptr_eq(&users.index, &copy.index));
        let bob = parse_user(
            "bob".into(),
            &json!({"endpoints": {"mainextension": {"202": {}}}}),
        )
        .expect("bob");
        copy.insert(bob);
        assert!(!Arc::ptr_eq(&users.index, &copy.index));
        assert_eq!(users.len(), 1);
        assert_eq!(users.owner_of("202"), None);
        assert_eq!(copy.len(), 2);
        assert_eq!(copy.owner_of("202"), Some("bob"));
        assert_eq!(copy.owner_of("201"), Some("alice"));
    }

    #[test]
    fn debug_lists_both_maps() {
        let doc = json!({"alice": {"name": "A", "endpoints": {"mainextension": {"201": {}}}}});
        let text = format!("{:?}", Users::from_json(&doc).expect("valid users"));
        assert!(
            text.starts_with("Users { by_name: {\"alice\": User { username: \"alice\""),
            "{text}"
        );
        assert!(text.ends_with("owner_of: {\"201\": \"alice\"} }"), "{text}");
    }

    #[test]
    fn rejects_a_non_object_user() {
        let err = Users::from_json(&json!({"bob": 3})).expect_err("bad");
        assert_eq!(err, UsersError::BadUser("bob".into()));
    }
}
