//! [`OperationsView`] over the live [`Switchboard`] plus the `users.json` directory.
//!
//! Reads go through the switchboard's public JSON views (clear, no privacy), so this file
//! depends only on the documented entity shapes (domain.md §2-8), not on internals.

use super::view::{
    ChannelInfo, ConfUserInfo, ConferenceInfo, ConversationInfo, ExtensionInfo, OperationsView,
    Recording,
};
use crate::domain::directory::Users;
use crate::domain::switchboard::{PrivacyView, Switchboard};
use serde_json::Value;

/// A borrowed view of the model at `now_ms`.
#[derive(Clone, Copy)]
pub struct SwitchboardView<'a> {
    sb: &'a Switchboard,
    users: &'a Users,
    now_ms: i64,
}

impl<'a> SwitchboardView<'a> {
    /// Views `sb` with the directory `users`.
    pub fn new(sb: &'a Switchboard, users: &'a Users, now_ms: i64) -> Self {
        Self { sb, users, now_ms }
    }

    fn conversations_value(&self, exten: &str) -> Option<Value> {
        let mut ext = self
            .sb
            .extension_json(exten, self.now_ms, PrivacyView::Clear)?;
        Some(ext.get_mut("conversations")?.take())
    }
}

fn s(v: &Value, k: &str) -> String {
    v.get(k)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn channel(v: &Value) -> Option<ChannelInfo> {
    v.as_object()?;
    Some(ChannelInfo {
        channel: s(v, "channel"),
        caller_num: s(v, "callerNum"),
        bridged_channel: s(v, "bridgedChannel"),
        bridged_num: s(v, "bridgedNum"),
    })
}

/// A conversation from its JSON (domain.md §4).
pub fn conversation_from_json(v: &Value) -> ConversationInfo {
    let null = Value::Null;
    ConversationInfo {
        id: s(v, "id"),
        owner: s(v, "owner"),
        source: channel(v.get("chSource").unwrap_or(&null)),
        dest: channel(v.get("chDest").unwrap_or(&null)),
        incoming: s(v, "direction") == "in",
        connected: v.get("connected").and_then(Value::as_bool).unwrap_or(false),
        counterpart_num: s(v, "counterpartNum"),
        recording: match s(v, "recording").as_str() {
            "true" => Recording::On,
            "mute" => Recording::Muted,
            _ => Recording::Off,
        },
    }
}

impl OperationsView for SwitchboardView<'_> {
    fn extension(&self, exten: &str) -> Option<ExtensionInfo> {
        let e = self.sb.extension(exten)?;
        let (ip, _, ua) = e.contact_view();
        let owner = self.users.owner_of(exten).and_then(|u| self.users.get(u));
        let device = owner.and_then(|u| u.devices.iter().find(|d| d.id == exten));
        Some(ExtensionInfo {
            exten: exten.to_owned(),
            context: e.context.clone(),
            status: e.status.to_owned(),
            user_agent: ua.unwrap_or_default(),
            ip,
            kind: device.map(|d| d.kind),
            name: e.name.clone(),
            username: e
                .username
                .clone()
                .or_else(|| owner.map(|u| u.username.clone())),
            web_user: device.map(|d| d.web_user.clone()).unwrap_or_default(),
            web_password: device.map(|d| d.web_password.clone()).unwrap_or_default(),
        })
    }

    fn user_extensions(&self, exten: &str) -> Vec<String> {
        self.users
            .owner_of(exten)
            .and_then(|u| self.users.get(u))
            .map(|u| u.all_extensions().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    fn conversation(&self, exten: &str, convid: &str) -> Option<ConversationInfo> {
        self.conversations_value(exten)?
            .get(convid)
            .map(conversation_from_json)
    }

    fn conversations(&self, exten: &str) -> Vec<ConversationInfo> {
        self.conversations_value(exten)
            .as_ref()
            .and_then(Value::as_object)
            .map(|m| m.values().map(conversation_from_json).collect())
            .unwrap_or_default()
    }

    fn parked_channel(&self, parking: &str) -> Option<Option<String>> {
        self.sb.parking_json(parking, self.now_ms, false)?;
        Some(self.sb.parked_channel(parking).map(str::to_owned))
    }

    fn queue_waiting_callers(&self, queue: &str) -> Option<Vec<String>> {
        let q = self.sb.queue_json(queue, self.now_ms, false)?;
        Some(
            q.get("waitingCallers")
                .and_then(Value::as_object)
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default(),
        )
    }

    fn queues_of_member(&self, exten: &str) -> Vec<String> {
        let all = self.sb.queues_json(self.now_ms, false);
        all.as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, q)| q.get("members").and_then(|ms| ms.get(exten)).is_some())
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn conference(&self, conf_id: &str) -> Option<ConferenceInfo> {
        let c = self.sb.conference(conf_id)?;
        Some(ConferenceInfo {
            id: c.id.clone(),
            users: c
                .users
                .values()
                .map(|u| ConfUserInfo {
                    id: format!("{}-{}", c.id, u.exten_id),
                    exten_id: u.exten_id.clone(),
                    channel: u.channel.clone(),
                })
                .collect(),
        })
    }
}
