//! The authenticated caller of an operation: what it owns and what its profile grants.
//!
//! Built by the inbound adapter from the auth identity (`users.json` user + profile); the
//! predicates are those of `auth.md` §12.5, plus the fixed `call_forward` rule for
//! `cfcall`/`cfvm` (the original's `phone_redirect` was never implemented).

use crate::domain::directory::{Profile, User};

/// The permission predicates operations check (all false without a profile).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    /// presence_panel + hangup.
    pub admin_hangup: bool,
    /// presence_panel + pickup.
    pub admin_pickup: bool,
    /// presence_panel + transfer.
    pub admin_transfer: bool,
    /// presence_panel + ad_parking.
    pub admin_parkings: bool,
    /// presence_panel + ad_phone.
    pub admin_phone: bool,
    /// presence_panel + ad_recording.
    pub admin_recording: bool,
    /// presence_panel + spy.
    pub spy: bool,
    /// presence_panel + intrude.
    pub intrude: bool,
    /// settings + recording.
    pub recording: bool,
    /// settings + dnd.
    pub dnd: bool,
    /// settings + call_forward.
    pub call_forward: bool,
    /// settings + parkings.
    pub op_parkings: bool,
    /// queue_agent.
    pub queues: bool,
    /// queue_agent + ad_queue_agent.
    pub admin_queues: bool,
    /// qmanager macro on.
    pub qmanager: bool,
    /// Queues allowed by `qmanager_<id>` permissions.
    pub qmanager_queues: Vec<String>,
}

impl Grants {
    /// The predicates of a profile (`None`: no profile, everything false).
    pub fn from_profile(profile: Option<&Profile>) -> Self {
        let Some(p) = profile else {
            return Self::default();
        };
        let pp = |perm: &str| p.allows("presence_panel", perm);
        let st = |perm: &str| p.allows("settings", perm);
        let qmanager_queues = p
            .macro_permission("qmanager")
            .map(|m| {
                m.permissions
                    .iter()
                    .filter(|perm| perm.value)
                    .filter_map(|perm| perm.name.strip_prefix("qmanager_"))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        Self {
            admin_hangup: pp("hangup"),
            admin_pickup: pp("pickup"),
            admin_transfer: pp("transfer"),
            admin_parkings: pp("ad_parking"),
            admin_phone: pp("ad_phone"),
            admin_recording: pp("ad_recording"),
            spy: pp("spy"),
            intrude: pp("intrude"),
            recording: st("recording"),
            dnd: st("dnd"),
            call_forward: st("call_forward"),
            op_parkings: st("parkings"),
            queues: p.macro_on("queue_agent"),
            admin_queues: p.allows("queue_agent", "ad_queue_agent"),
            qmanager: p.macro_on("qmanager"),
            qmanager_queues,
        }
    }

    /// True when the qmanager macro is on and `queue` is in its allowed list.
    pub fn qmanager_allows(&self, queue: &str) -> bool {
        self.qmanager && self.qmanager_queues.iter().any(|q| q == queue)
    }
}

/// Who is asking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    /// Username (lower case).
    pub username: String,
    /// Extension and main-extension numbers the user owns.
    pub extensions: Vec<String>,
    /// Cellphone numbers of the user.
    pub cellphones: Vec<String>,
    /// Voicemail boxes of the user.
    pub voicemails: Vec<String>,
    /// Default extension (user setting, else main extension).
    pub default_extension: Option<String>,
    /// Permission predicates.
    pub grants: Grants,
    /// The user's `recallOnBusy` setting is `enabled`.
    pub recall_on_busy: bool,
}

impl Caller {
    /// The caller for a `users.json` user with its profile; `default_extension` is the
    /// user setting (falls back to the main extension).
    pub fn from_user(
        user: &User,
        profile: Option<&Profile>,
        default_extension: Option<&str>,
    ) -> Self {
        Self {
            username: user.username.clone(),
            extensions: user.all_extensions().map(str::to_owned).collect(),
            cellphones: user.cellphones.clone(),
            voicemails: user.voicemails.clone(),
            default_extension: default_extension
                .map(str::to_owned)
                .or_else(|| user.main_extension().map(str::to_owned)),
            grants: Grants::from_profile(profile),
            recall_on_busy: false,
        }
    }

    /// `owns_extension`: the extension is one of the user's extension/mainextension endpoints.
    pub fn owns(&self, exten: &str) -> bool {
        self.extensions.iter().any(|e| e == exten)
    }

    /// `owns_cellphone`.
    pub fn owns_cellphone(&self, number: &str) -> bool {
        self.cellphones.iter().any(|c| c == number)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{Profiles, Users};
    use serde_json::json;

    #[test]
    fn builds_caller_and_grants_from_directory() {
        let users = Users::from_json(&json!({"alice": {"name": "Alice", "profile_id": "3",
            "endpoints": {"mainextension": {"201": {}}, "extension": {"91201": {"type": "physical"}},
            "cellphone": {"3331234567": {}}}}}))
        .expect("users");
        let profiles = Profiles::from_json(&json!({"3": {"id": "3", "name": "p", "macro_permissions": {
            "presence_panel": {"value": true, "permissions": [{"id": "1", "name": "spy", "value": true},
                {"id": "2", "name": "hangup", "value": false}]},
            "qmanager": {"value": true, "permissions": [{"id": "3", "name": "qmanager_401", "value": true},
                {"id": "4", "name": "qmanager_402", "value": false}]},
            "settings": {"value": false, "permissions": [{"id": "5", "name": "dnd", "value": true}]}
        }}}))
        .expect("profiles");
        let alice = users.get("alice").expect("alice");
        let c = Caller::from_user(alice, profiles.get("3"), None);
        assert_eq!(c.extensions, vec!["201".to_owned(), "91201".to_owned()]);
        assert_eq!(c.default_extension.as_deref(), Some("201"));
        assert!(c.owns("91201"));
        assert!(!c.owns("202"));
        assert!(c.owns_cellphone("3331234567"));
        assert!(c.grants.spy);
        assert!(!c.grants.admin_hangup);
        assert!(!c.grants.dnd, "settings macro off");
        assert!(c.grants.qmanager_allows("401"));
        assert!(!c.grants.qmanager_allows("402"));
    }
}
