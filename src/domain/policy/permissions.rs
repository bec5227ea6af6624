//! Permission predicates over a user's profile (auth.md §12.5). Every predicate is false
//! for a user without a profile, except `privacy_enabled`, which then fails safe to true.

use crate::domain::directory::{Profile, Profiles, User, Users};

/// The permissions of one caller.
#[derive(Debug, Clone, Copy)]
pub struct Permissions<'a> {
    profile: Option<&'a Profile>,
}

impl<'a> Permissions<'a> {
    /// Permissions of the user named `username` (none when unknown or without profile).
    pub fn of(username: &str, users: &'a Users, profiles: &'a Profiles) -> Self {
        let profile = users
            .get(username)
            .and_then(|u| u.profile_id.as_deref())
            .and_then(|id| profiles.get(id));
        Self { profile }
    }

    /// Permissions from a profile directly.
    pub fn from_profile(profile: Option<&'a Profile>) -> Self {
        Self { profile }
    }

    /// The profile, if any.
    pub fn profile(&self) -> Option<&'a Profile> {
        self.profile
    }

    fn on(&self, m: &str) -> bool {
        self.profile.is_some_and(|p| p.macro_on(m))
    }

    fn allows(&self, m: &str, p: &str) -> bool {
        self.profile.is_some_and(|pr| pr.allows(m, p))
    }

    /// settings.v ∧ settings.dnd
    pub fn dnd(&self) -> bool {
        self.allows("settings", "dnd")
    }
    /// settings.v ∧ settings.call_forward
    pub fn cf(&self) -> bool {
        self.allows("settings", "call_forward")
    }
    /// settings.v ∧ settings.recording
    pub fn recording(&self) -> bool {
        self.allows("settings", "recording")
    }
    /// settings.v ∧ settings.parkings
    pub fn op_parkings(&self) -> bool {
        self.allows("settings", "parkings")
    }
    /// settings.v ∧ settings.screen_sharing
    pub fn screen_sharing(&self) -> bool {
        self.allows("settings", "screen_sharing")
    }
    /// settings.v ∧ settings.phone_buttons
    pub fn phone_buttons(&self) -> bool {
        self.allows("settings", "phone_buttons")
    }
    /// settings.v ∧ settings.video_conference
    pub fn videoconf(&self) -> bool {
        self.allows("settings", "video_conference")
    }
    /// settings.v ∧ settings.privacy; true without a profile or `settings` macro.
    pub fn privacy_enabled(&self) -> bool {
        match self.profile.and_then(|p| p.macro_permission("settings")) {
            None => true,
            Some(_) => self.allows("settings", "privacy"),
        }
    }
    /// phonebook.v
    pub fn phonebook(&self) -> bool {
        self.on("phonebook")
    }
    /// phonebook.v ∧ ad_phonebook
    pub fn admin_phonebook(&self) -> bool {
        self.allows("phonebook", "ad_phonebook")
    }
    /// cdr.v
    pub fn cdr(&self) -> bool {
        self.on("cdr")
    }
    /// cdr.v ∧ ad_cdr
    pub fn admin_cdr(&self) -> bool {
        self.allows("cdr", "ad_cdr")
    }
    /// cdr.v ∧ group_cdr
    pub fn group_cdr(&self) -> bool {
        self.allows("cdr", "group_cdr")
    }
    /// customer_card.v
    pub fn customer_card(&self) -> bool {
        self.on("customer_card")
    }
    /// presence_panel.v
    pub fn presence_panel(&self) -> bool {
        self.on("presence_panel")
    }
    /// presence_panel.v ∧ ad_recording
    pub fn admin_recording(&self) -> bool {
        self.allows("presence_panel", "ad_recording")
    }
    /// presence_panel.v ∧ spy
    pub fn spy(&self) -> bool {
        self.allows("presence_panel", "spy")
    }
    /// presence_panel.v ∧ intrude
    pub fn intrude(&self) -> bool {
        self.allows("presence_panel", "intrude")
    }
    /// presence_panel.v ∧ pickup
    pub fn admin_pickup(&self) -> bool {
        self.allows("presence_panel", "pickup")
    }
    /// presence_panel.v ∧ transfer
    pub fn admin_transfer(&self) -> bool {
        self.allows("presence_panel", "transfer")
    }
    /// presence_panel.v ∧ ad_parking
    pub fn admin_parkings(&self) -> bool {
        self.allows("presence_panel", "ad_parking")
    }
    /// presence_panel.v ∧ hangup
    pub fn admin_hangup(&self) -> bool {
        self.allows("presence_panel", "hangup")
    }
    /// presence_panel.v ∧ trunks
    pub fn op_trunks(&self) -> bool {
        self.allows("presence_panel", "trunks")
    }
    /// presence_panel.v ∧ ad_phone
    pub fn admin_phone(&self) -> bool {
        self.allows("presence_panel", "ad_phone")
    }
    /// queue_agent.v
    pub fn queues(&self) -> bool {
        self.on("queue_agent")
    }
    /// queue_agent.v ∧ ad_queue_agent
    pub fn admin_queues(&self) -> bool {
        self.allows("queue_agent", "ad_queue_agent")
    }
    /// queue_agent.v ∧ lost_queue_call
    pub fn lost_queue_calls(&self) -> bool {
        self.allows("queue_agent", "lost_queue_call")
    }
    /// qmanager.v
    pub fn qmanager(&self) -> bool {
        self.on("qmanager")
    }
    /// operator_panel.v
    pub fn operator_panel(&self) -> bool {
        self.on("operator_panel")
    }
    /// off_hour.v
    pub fn offhour(&self) -> bool {
        self.on("off_hour")
    }
    /// off_hour.v ∧ ad_off_hour
    pub fn admin_offhour(&self) -> bool {
        self.allows("off_hour", "ad_off_hour")
    }
    /// off_hour.v ∧ advanced_off_hour
    pub fn advanced_offhour(&self) -> bool {
        self.allows("off_hour", "advanced_off_hour")
    }
    /// streaming.v
    pub fn streaming(&self) -> bool {
        self.on("streaming")
    }
    /// streaming.v ∧ the source's permission
    pub fn streaming_source(&self, id: &str) -> bool {
        self.allows("streaming", id)
    }
    /// Queue ids of enabled `qmanager_<q>` permissions (when qmanager is on).
    pub fn qmanager_queues(&self) -> Vec<String> {
        self.prefixed("qmanager", "qmanager_", true)
    }

    fn prefixed(&self, m: &str, prefix: &str, need_value: bool) -> Vec<String> {
        self.profile
            .and_then(|p| p.macro_permission(m))
            .filter(|mp| mp.value)
            .map(|mp| {
                mp.permissions
                    .iter()
                    .filter(|p| !need_value || p.value)
                    .filter_map(|p| p.name.strip_prefix(prefix).map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Operator panel queues: (`inQueue`, `waitingQueue`) from `in_queue_<q>` (enabled)
    /// and `waiting_queue_<q>` (value ignored → `ctiopqueue<q>`).
    pub fn operator_queues(&self) -> (Option<String>, Option<String>) {
        let inq = self.prefixed("operator_panel", "in_queue_", true).pop();
        let waitq = self
            .prefixed("operator_panel", "waiting_queue_", false)
            .pop()
            .map(|q| format!("ctiopqueue{q}"));
        (inq, waitq)
    }
}

/// True when `exten` is one of the user's device or main extensions.
pub fn owns_extension(user: &User, exten: &str) -> bool {
    user.all_extensions().any(|e| e == exten)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn profiles() -> Profiles {
        Profiles::from_json(&json!({
            "1": {"id": "1", "name": "Base", "macro_permissions": {
                "settings": {"value": true, "permissions": [
                    {"id": "2", "name": "dnd", "value": true},
                    {"id": "9", "name": "privacy", "value": false}]},
                "queue_agent": {"value": true, "permissions": [
                    {"id": "23", "name": "ad_queue_agent", "value": false}]},
                "operator_panel": {"value": true, "permissions": [
                    {"id": "60", "name": "in_queue_500", "value": true},
                    {"id": "61", "name": "waiting_queue_501", "value": false}]},
                "qmanager": {"value": true, "permissions": [
                    {"id": "50", "name": "qmanager_401", "value": true},
                    {"id": "51", "name": "qmanager_402", "value": false}]}
            }},
            "2": {"id": "2", "name": "Empty", "macro_permissions": {}}
        }))
        .expect("profiles")
    }

    #[test]
    fn predicates_follow_macro_and_permission() {
        let ps = profiles();
        let p = Permissions::from_profile(ps.get("1"));
        assert!(p.dnd());
        assert!(!p.cf());
        assert!(!p.privacy_enabled());
        assert!(p.queues());
        assert!(!p.admin_queues());
        assert_eq!(p.qmanager_queues(), vec!["401"]);
        assert_eq!(
            p.operator_queues(),
            (Some("500".into()), Some("ctiopqueue501".into()))
        );
    }

    #[test]
    fn privacy_fails_safe() {
        let ps = profiles();
        assert!(Permissions::from_profile(None).privacy_enabled());
        assert!(Permissions::from_profile(ps.get("2")).privacy_enabled());
        assert!(!Permissions::from_profile(None).dnd());
    }

    #[test]
    fn ownership_covers_main_and_devices() {
        let users = Users::from_json(&json!({"alice": {"name": "A", "endpoints": {
            "mainextension": {"201": {}}, "extension": {"91201": {"type": "physical"}}}}}))
        .expect("users");
        let a = users.get("alice").expect("alice");
        assert!(owns_extension(a, "201"));
        assert!(owns_extension(a, "91201"));
        assert!(!owns_extension(a, "202"));
    }
}
