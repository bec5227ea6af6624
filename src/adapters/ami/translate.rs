//! AMI event frame → domain [`PbxEvent`]. Irrelevant events, list items (frames with an
//! `ActionID`), events missing a required header and events of unknown name give `None`
//! (see [`super::classify`] for telling the unknown ones apart); nothing here panics on bad
//! input.

use super::classify::classify;
use super::frame::Frame;
use crate::domain::pbx_event::{
    ChannelInfo, ConfUserInfo, ContactInfo, ForwardKind, ParkedCallInfo, PbxEvent, QueueCallerInfo,
    QueueMemberInfo, QueueParamsInfo,
};

/// Non-empty value of a header.
fn req<'a>(f: &'a Frame, name: &str) -> Option<&'a str> {
    f.get(name).filter(|v| !v.is_empty())
}

fn s(f: &Frame, name: &str) -> String {
    f.get_or_empty(name).to_owned()
}

fn num<T: std::str::FromStr + Default>(f: &Frame, name: &str) -> T {
    f.get_or_empty(name).trim().parse().unwrap_or_default()
}

/// Channel facts from the standard channel headers, optionally prefixed (`Dest`, `Parkee`).
pub fn channel_info(f: &Frame, prefix: &str) -> Option<ChannelInfo> {
    let h = |n: &str| format!("{prefix}{n}");
    Some(ChannelInfo {
        channel: req(f, &h("Channel"))?.to_owned(),
        uniqueid: s(f, &h("Uniqueid")),
        linkedid: s(f, &h("Linkedid")),
        state: num(f, &h("ChannelState")),
        caller_num: s(f, &h("CallerIDNum")),
        caller_name: s(f, &h("CallerIDName")),
        connected_num: s(f, &h("ConnectedLineNum")),
        connected_name: s(f, &h("ConnectedLineName")),
        context: s(f, &h("Context")),
        exten: s(f, &h("Exten")),
    })
}

fn truthy(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "1" | "yes" | "true" | "on")
}

/// A queue member from `QueueMemberAdded`/`QueueMemberStatus`/`QueueMember` headers.
pub fn queue_member(f: &Frame) -> Option<QueueMemberInfo> {
    let interface = req(f, "Interface").or_else(|| req(f, "Location"))?;
    Some(QueueMemberInfo {
        queue: req(f, "Queue")?.to_owned(),
        interface: interface.to_owned(),
        member_name: f
            .get("MemberName")
            .or_else(|| f.get("Name"))
            .unwrap_or("")
            .to_owned(),
        membership: s(f, "Membership"),
        status: num(f, "Status"),
        paused: truthy(f.get_or_empty("Paused")),
        paused_reason: pause_reason(f),
        calls_taken: num(f, "CallsTaken"),
        last_call: num(f, "LastCall"),
    })
}

/// `PausedReason` (Asterisk 18+), falling back to `Reason`.
fn pause_reason(f: &Frame) -> String {
    req(f, "PausedReason")
        .or_else(|| req(f, "Reason"))
        .unwrap_or("")
        .to_owned()
}

/// Queue statistics from `QueueParams`.
pub fn queue_params(f: &Frame) -> Option<QueueParamsInfo> {
    Some(QueueParamsInfo {
        queue: req(f, "Queue")?.to_owned(),
        hold_time: s(f, "Holdtime"),
        talk_time: s(f, "TalkTime"),
        completed: s(f, "Completed"),
        abandoned: s(f, "Abandoned"),
        service_level: s(f, "ServiceLevel"),
        service_level_perf: s(f, "ServicelevelPerf"),
    })
}

/// A parked call from `ParkedCall` headers.
pub fn parked_call(f: &Frame) -> Option<ParkedCallInfo> {
    Some(ParkedCallInfo {
        space: req(f, "ParkingSpace")?.to_owned(),
        channel: req(f, "ParkeeChannel")?.to_owned(),
        caller_num: s(f, "ParkeeCallerIDNum"),
        caller_name: s(f, "ParkeeCallerIDName"),
        parker_dial_string: s(f, "ParkerDialString"),
        timeout: num(f, "ParkingTimeout"),
    })
}

/// A conference participant from `Confbridge*` headers.
pub fn conf_user(f: &Frame) -> Option<ConfUserInfo> {
    Some(ConfUserInfo {
        conference: req(f, "Conference")?.to_owned(),
        channel: s(f, "Channel"),
        caller_num: s(f, "CallerIDNum"),
        caller_name: s(f, "CallerIDName"),
        muted: f
            .get("Muted")
            .is_some_and(|m| !m.eq_ignore_ascii_case("no")),
    })
}

/// DND/CF changes written by the FreePBX feature-code dialplan (`Newexten` AppData).
fn astdb_from_appdata(data: &str) -> Option<PbxEvent> {
    if let Some(rest) = data.strip_prefix("DB(") {
        let (key, value) = rest.split_once(")=")?;
        let (fam, exten) = key.split_once('/')?;
        return db_event(fam, exten, Some(value));
    }
    if let Some(rest) = data.strip_prefix("Deleting: ") {
        let key = rest.split_whitespace().next()?;
        let (fam, exten) = key.split_once('/')?;
        return db_event(fam, exten, None);
    }
    None
}

/// An AstDB write/delete (`family/key = value`) as a DND/forward event.
pub fn db_event(family: &str, key: &str, value: Option<&str>) -> Option<PbxEvent> {
    let exten = key.to_owned();
    if exten.is_empty() || exten.contains('/') {
        return None;
    }
    let kind = match family {
        "DND" => {
            return Some(PbxEvent::Dnd {
                exten,
                enabled: value.is_some_and(crate::domain::pbx_event::dnd_value_on),
            })
        }
        "CF" => ForwardKind::Cf,
        "CFB" => ForwardKind::Cfb,
        "CFU" => ForwardKind::Cfu,
        _ => return None,
    };
    Some(PbxEvent::Forward {
        kind,
        exten,
        value: value.filter(|v| !v.is_empty()).map(str::to_owned),
    })
}

/// Translates one unsolicited AMI event.
pub fn translate(f: &Frame) -> Option<PbxEvent> {
    classify(f).into_event()
}

/// The domain event of event `ev` in frame `f`; `None` for a known event that gives none
/// or lacks a header, and `None` with `unknown` set for an event name not handled here.
pub(super) fn event_of(f: &Frame, ev: &str, unknown: &mut bool) -> Option<PbxEvent> {
    let info = || channel_info(f, "");
    Some(match ev {
        "Newchannel" => PbxEvent::ChannelCreated(info()?),
        "Newstate" => PbxEvent::ChannelState(info()?),
        "NewCallerid" => PbxEvent::CallerId(info()?),
        "NewConnectedLine" => PbxEvent::ConnectedLine(info()?),
        "Newexten" => {
            let data = f.get_or_empty("AppData");
            if let Some(e) = astdb_from_appdata(data) {
                return Some(e);
            }
            PbxEvent::ChannelApp {
                info: info()?,
                application: s(f, "Application"),
            }
        }
        "Rename" => PbxEvent::ChannelRenamed {
            old: req(f, "Channel")?.to_owned(),
            new: req(f, "Newname")?.to_owned(),
        },
        "DialBegin" => PbxEvent::DialBegin {
            caller: info(),
            dest: channel_info(f, "Dest")?,
        },
        "DialEnd" => PbxEvent::DialEnd {
            caller: req(f, "Channel").map(str::to_owned),
            dest: req(f, "DestChannel")?.to_owned(),
            status: s(f, "DialStatus"),
        },
        "BridgeEnter" => PbxEvent::BridgeEnter {
            bridge: req(f, "BridgeUniqueid")?.to_owned(),
            info: info()?,
        },
        "BridgeLeave" => PbxEvent::BridgeLeave {
            bridge: req(f, "BridgeUniqueid")?.to_owned(),
            info: info()?,
        },
        "Hangup" => PbxEvent::Hangup {
            info: info()?,
            cause: num(f, "Cause"),
        },
        "Hold" => PbxEvent::Hold(info()?),
        "Unhold" => PbxEvent::Unhold(info()?),
        "LocalOptimizationEnd" => PbxEvent::LocalOptimized {
            local_one: req(f, "LocalOneChannel")?.to_owned(),
            local_two: req(f, "LocalTwoChannel")?.to_owned(),
        },
        "QueueCallerJoin" => PbxEvent::QueueCallerJoin(QueueCallerInfo {
            queue: req(f, "Queue")?.to_owned(),
            channel: req(f, "Channel")?.to_owned(),
            caller_num: s(f, "CallerIDNum"),
            caller_name: s(f, "CallerIDName"),
            position: s(f, "Position"),
            wait: 0,
        }),
        "QueueCallerLeave" => PbxEvent::QueueCallerLeave {
            queue: req(f, "Queue")?.to_owned(),
            channel: req(f, "Channel")?.to_owned(),
        },
        "QueueMemberAdded" => PbxEvent::QueueMemberAdded(queue_member(f)?),
        "QueueMemberStatus" => PbxEvent::QueueMemberStatus(queue_member(f)?),
        "QueueMemberPause" => PbxEvent::QueueMemberPause {
            queue: req(f, "Queue")?.to_owned(),
            interface: req(f, "Interface")?.to_owned(),
            paused: truthy(req(f, "Paused")?),
            reason: pause_reason(f),
        },
        "QueueMemberRemoved" => PbxEvent::QueueMemberRemoved {
            queue: req(f, "Queue")?.to_owned(),
            interface: req(f, "Interface")?.to_owned(),
        },
        "QueueParams" => PbxEvent::QueueParams(queue_params(f)?),
        "ParkedCall" => PbxEvent::Parked(parked_call(f)?),
        "UnParkedCall" | "ParkedCallTimeOut" | "ParkedCallGiveUp" => {
            let space = req(f, "ParkingSpace")?.to_owned();
            let channel = s(f, "ParkeeChannel");
            match ev {
                "UnParkedCall" => PbxEvent::Unparked { space, channel },
                "ParkedCallTimeOut" => PbxEvent::ParkedTimeout { space, channel },
                _ => PbxEvent::ParkedGiveUp { space, channel },
            }
        }
        "ConfbridgeStart" => PbxEvent::ConfStart {
            conference: req(f, "Conference")?.to_owned(),
        },
        "ConfbridgeEnd" => PbxEvent::ConfEnd {
            conference: req(f, "Conference")?.to_owned(),
        },
        "ConfbridgeJoin" => PbxEvent::ConfJoin(conf_user(f)?),
        "ConfbridgeLeave" => PbxEvent::ConfLeave(conf_user(f)?),
        "ConfbridgeMute" | "ConfbridgeUnmute" => PbxEvent::ConfMute {
            user: conf_user(f)?,
            muted: ev == "ConfbridgeMute",
        },
        "ConfbridgeTalking" => PbxEvent::ConfTalking {
            user: conf_user(f)?,
            talking: f.get_or_empty("TalkingStatus").eq_ignore_ascii_case("on"),
        },
        "DeviceStateChange" => PbxEvent::DeviceState {
            device: req(f, "Device")?.to_owned(),
            state: req(f, "State")?.to_owned(),
        },
        "ExtensionStatus" => PbxEvent::ExtensionState {
            exten: req(f, "Exten")?.to_owned(),
            status: req(f, "Status")?.trim().parse().ok()?,
        },
        "ContactStatus" => PbxEvent::ContactStatus(ContactInfo {
            endpoint: req(f, "EndpointName").or_else(|| req(f, "AOR"))?.to_owned(),
            uri: req(f, "URI")?.to_owned(),
            status: req(f, "ContactStatus")?.to_owned(),
            via_address: host_part(f.get_or_empty("ViaAddress")),
            via_port: port_part(f.get_or_empty("ViaAddress")),
            call_id: s(f, "CallID"),
            user_agent: s(f, "UserAgent"),
        }),
        "UserEvent" => {
            let family = f.get_or_empty("Family");
            let key = f.get_or_empty("Key");
            match f.get_or_empty("UserEvent") {
                "DBPut" => db_event(family, key, Some(f.get_or_empty("Val")))?,
                "DBDel" => db_event(family, key, None)?,
                _ => return None,
            }
        }
        "ChanSpyStart" => PbxEvent::SpyStart {
            spyer: req(f, "SpyerChannel")?.to_owned(),
            spyee: s(f, "SpyeeChannel"),
        },
        "ChanSpyStop" => PbxEvent::SpyStop {
            spyer: req(f, "SpyerChannel")?.to_owned(),
        },
        "Registry" => PbxEvent::Registry {
            username: s(f, "Username"),
            domain: req(f, "Domain")?.to_owned(),
            status: req(f, "Status")?.to_owned(),
        },
        "FullyBooted" => PbxEvent::FullyBooted,
        "Shutdown" => PbxEvent::Shutdown {
            restart: truthy(f.get_or_empty("Restart")),
        },
        "Reload" => PbxEvent::Reload {
            module: s(f, "Module"),
        },
        _ => {
            *unknown = true;
            return None;
        }
    })
}

/// Host of `host:port` (`1.2.3.4:5060` → `1.2.3.4`).
pub fn host_part(v: &str) -> String {
    v.rsplit_once(':').map(|x| x.0).unwrap_or(v).to_owned()
}

/// Port of `host:port`, `""` if none.
pub fn port_part(v: &str) -> String {
    v.rsplit_once(':')
        .map(|x| x.1.to_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(pairs: &[(&str, &str)]) -> Frame {
        Frame::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn pause_reason_prefers_paused_reason_then_reason() {
        let modern = ev(&[
            ("Event", "QueueMemberPause"),
            ("Queue", "401"),
            ("Interface", "PJSIP/203"),
            ("Paused", "1"),
            ("PausedReason", "lunch"),
        ]);
        let legacy = ev(&[
            ("Event", "QueueMemberPause"),
            ("Queue", "401"),
            ("Interface", "PJSIP/203"),
            ("Paused", "1"),
            ("Reason", "coffee"),
        ]);
        let reason = |f: &Frame| match translate(f) {
            Some(PbxEvent::QueueMemberPause { reason, paused, .. }) => (reason, paused),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(reason(&modern), ("lunch".to_owned(), true));
        assert_eq!(reason(&legacy), ("coffee".to_owned(), true));
    }

    #[test]
    fn missing_headers_and_unknown_events_give_none() {
        assert_eq!(translate(&ev(&[("Event", "Hangup")])), None);
        assert_eq!(
            translate(&ev(&[("Event", "VarSet"), ("Channel", "x")])),
            None
        );
        assert_eq!(translate(&ev(&[("Response", "Success")])), None);
        assert_eq!(
            translate(&ev(&[
                ("Event", "ExtensionStatus"),
                ("Exten", "201"),
                ("Status", "x")
            ])),
            None
        );
        // list items carry an ActionID and are not unsolicited events
        assert_eq!(
            translate(&ev(&[
                ("Event", "DeviceStateChange"),
                ("ActionID", "1"),
                ("Device", "PJSIP/201"),
                ("State", "INUSE")
            ])),
            None
        );
    }

    #[test]
    fn newexten_appdata_gives_dnd_and_forward_events() {
        let f = |d: &str| {
            ev(&[
                ("Event", "Newexten"),
                ("Channel", "PJSIP/201-1"),
                ("AppData", d),
            ])
        };
        assert_eq!(
            translate(&f("DB(DND/201)=YES")),
            Some(PbxEvent::Dnd {
                exten: "201".into(),
                enabled: true
            })
        );
        assert_eq!(
            translate(&f("Deleting: DND/201 YES")),
            Some(PbxEvent::Dnd {
                exten: "201".into(),
                enabled: false
            })
        );
        assert_eq!(
            translate(&f("DB(CF/201)=vmu201")),
            Some(PbxEvent::Forward {
                kind: ForwardKind::Cf,
                exten: "201".into(),
                value: Some("vmu201".into())
            })
        );
        assert_eq!(
            translate(&f("Deleting: CFB/201 333")),
            Some(PbxEvent::Forward {
                kind: ForwardKind::Cfb,
                exten: "201".into(),
                value: None
            })
        );
    }

    #[test]
    fn dial_begin_of_originate_has_no_caller() {
        let f = ev(&[
            ("Event", "DialBegin"),
            ("DestChannel", "PJSIP/201-00000001"),
            ("DestChannelState", "5"),
            ("DestUniqueid", "labpbx-1796322494.17"),
        ]);
        match translate(&f) {
            Some(PbxEvent::DialBegin { caller: None, dest }) => {
                assert_eq!(dest.channel, "PJSIP/201-00000001");
                assert_eq!(dest.state, 5);
                assert_eq!(dest.uniqueid, "labpbx-1796322494.17");
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn repeated_variable_headers_are_all_kept_by_the_frame() {
        let f = ev(&[
            ("Event", "OriginateResponse"),
            ("Variable", "A=1"),
            ("Variable", "B=2"),
        ]);
        assert_eq!(
            f.get_all("Variable").collect::<Vec<_>>(),
            vec!["A=1", "B=2"]
        );
        assert_eq!(translate(&f), None);
    }
}
