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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{AstObjects, DeviceType};
    use crate::domain::operations::effects::apply_effect;
    use crate::domain::operations::Effect;
    use crate::domain::pbx_event::{
        ChannelInfo as Ci, ChannelSnapshot, ContactInfo, EndpointInfo, ParkedCallInfo,
        ParkingLotInfo, PbxEvent, QueueCallerInfo, QueueMemberInfo, QueueParamsInfo, Snapshot,
    };
    use serde_json::json;

    const NOW: i64 = 1_712_051_037_000;

    fn chan(name: &str, uid: &str, num: &str, other: &str, bridge: &str) -> ChannelSnapshot {
        ChannelSnapshot {
            info: Ci {
                channel: name.into(),
                uniqueid: uid.into(),
                linkedid: "1712051000.40".into(),
                state: 6,
                caller_num: num.into(),
                caller_name: String::new(),
                connected_num: other.into(),
                connected_name: String::new(),
                context: "from-internal".into(),
                exten: other.into(),
            },
            bridge_id: Some(bridge.into()),
            application: "Dial".into(),
        }
    }

    fn model() -> (Switchboard, Users) {
        let users = Users::from_json(&json!({
            "alice": {"name": "Alice Rossi", "endpoints": {"mainextension": {"201": {}},
                "extension": {"91201": {"type": "physical", "web_user": "admin", "web_password": "pw"}}}},
            "bob": {"name": "Bob Bianchi", "endpoints": {"mainextension": {"202": {}}}}
        }))
        .expect("users");
        let ast = AstObjects::from_json(&json!({
            "trunks": {"voip_provider": {"tech": "pjsip", "name": "provider"}},
            "queues": {"401": {"name": "Support", "dynmembers": ["201"]}},
            "feature_codes": {"confbridge_conf": "*88"}
        }))
        .expect("ast");
        let mut sb = Switchboard::new(&users, &ast, "xxx");
        let ep = |id: &str| EndpointInfo {
            id: id.into(),
            device_state: "Not in use".into(),
            context: "from-internal".into(),
            codecs: vec![],
        };
        let snap = Snapshot {
            endpoints: vec![ep("201"), ep("202"), ep("91201")],
            contacts: vec![ContactInfo {
                endpoint: "91201".into(),
                uri: "sip:91201@192.168.5.163:5062".into(),
                status: "Reachable".into(),
                user_agent: "Yealink SIP-T46U 108.86.0.45".into(),
                ..ContactInfo::default()
            }],
            channels: vec![
                chan("PJSIP/201-00000012", "1712051000.40", "201", "202", "b1"),
                chan("PJSIP/202-00000013", "1712051000.41", "202", "201", "b1"),
            ],
            queue_params: vec![QueueParamsInfo {
                queue: "401".into(),
                ..QueueParamsInfo::default()
            }],
            queue_members: vec![QueueMemberInfo {
                queue: "401".into(),
                interface: "Local/201@from-queue/n".into(),
                membership: "dynamic".into(),
                ..QueueMemberInfo::default()
            }],
            queue_callers: vec![QueueCallerInfo {
                queue: "401".into(),
                channel: "PJSIP/voip_provider-00000020".into(),
                caller_num: "0721405516".into(),
                position: "1".into(),
                ..QueueCallerInfo::default()
            }],
            parking_lots: vec![ParkingLotInfo {
                name: "default".into(),
                start: 71,
                stop: 72,
                timeout: 45,
            }],
            parked_calls: vec![ParkedCallInfo {
                space: "71".into(),
                channel: "PJSIP/voip_provider-00000021".into(),
                parker_dial_string: "PJSIP/201".into(),
                timeout: 40,
                ..ParkedCallInfo::default()
            }],
            ..Snapshot::default()
        };
        sb.apply(PbxEvent::Snapshot(Box::new(snap)), NOW);
        (sb, users)
    }

    #[test]
    fn reads_extensions_conversations_queues_and_parkings_from_the_live_model() {
        let (mut sb, users) = model();
        let v = SwitchboardView::new(&sb, &users, NOW);
        let e = v.extension("91201").expect("tracked");
        assert_eq!(e.kind, Some(DeviceType::Physical));
        assert_eq!(e.user_agent, "Yealink SIP-T46U 108.86.0.45");
        assert_eq!(e.ip, "192.168.5.163");
        assert_eq!(
            (e.web_user.as_str(), e.web_password.as_str()),
            ("admin", "pw")
        );
        assert_eq!(e.username.as_deref(), Some("alice"));
        assert_eq!(e.context, "from-internal");
        assert_eq!(v.extension("999"), None);
        assert_eq!(
            v.user_extensions("201"),
            vec!["201".to_owned(), "91201".to_owned()]
        );

        let id = "PJSIP/201-00000012>PJSIP/202-00000013";
        let c = v.conversation("201", id).expect("conversation");
        assert_eq!(
            c.source.as_ref().map(|s| s.channel.as_str()),
            Some("PJSIP/201-00000012")
        );
        assert_eq!(
            c.dest.as_ref().map(|s| s.channel.as_str()),
            Some("PJSIP/202-00000013")
        );
        assert!(!c.incoming);
        assert!(c.connected);
        assert_eq!(c.counterpart_num, "202");
        assert_eq!(c.recording, Recording::Off);
        assert_eq!(v.conversations("202").len(), 1);
        assert_eq!(v.conversation("201", "nope"), None);

        assert_eq!(
            v.parked_channel("71"),
            Some(Some("PJSIP/voip_provider-00000021".to_owned()))
        );
        assert_eq!(v.parked_channel("72"), Some(None));
        assert_eq!(v.parked_channel("99"), None);
        assert_eq!(
            v.queue_waiting_callers("401"),
            Some(vec!["PJSIP/voip_provider-00000020".to_owned()])
        );
        assert_eq!(v.queue_waiting_callers("499"), None);
        assert_eq!(v.queues_of_member("201"), vec!["401".to_owned()]);
        assert_eq!(v.queues_of_member("202"), Vec::<String>::new());

        let changes = apply_effect(
            &mut sb,
            &Effect::Recording {
                convid: id.into(),
                state: Recording::On,
            },
            NOW,
        );
        assert!(!changes.is_empty());
        let v = SwitchboardView::new(&sb, &users, NOW);
        assert_eq!(
            v.conversation("202", id).map(|c| c.recording),
            Some(Recording::On)
        );
    }
}
