//! Initial load: the fixed list of AMI list actions that give the whole PBX state
//! (whatever the number of extensions), and a pure builder turning their replies into a
//! domain [`Snapshot`].
//!
//! The builder accepts the item events of all replies together, in any order: every list
//! item kind has its own event name. `ConfbridgeList` needs a conference name, so the
//! caller first sends [`list_actions`], then [`conference_actions`] for the rooms found.

use super::frame::Frame;
use super::translate::{
    channel_info, conf_user, host_part, parked_call, queue_member, queue_params,
};
use crate::domain::pbx_event::{
    ChannelSnapshot, ContactInfo, EndpointInfo, ParkingLotInfo, QueueCallerInfo, Snapshot,
};

/// The AstDB families read at start-up.
pub const DB_FAMILIES: [&str; 4] = ["DND", "CF", "CFB", "CFU"];

/// The list actions of the initial load (no ActionID; the client adds one).
pub fn list_actions() -> Vec<Frame> {
    let a = |name: &str| Frame::new().with("Action", name);
    let mut v = vec![
        a("PJSIPShowEndpoints"),
        a("PJSIPShowContacts"),
        a("PJSIPShowRegistrationsOutbound"),
        a("DeviceStateList"),
        a("ExtensionStateList"),
        a("CoreShowChannels"),
        a("QueueStatus"),
        a("Parkinglots"),
        a("ParkedCalls"),
        a("ConfbridgeListRooms"),
    ];
    for fam in DB_FAMILIES {
        v.push(a("DBGetTree").with("Family", fam));
    }
    v
}

/// `ConfbridgeList` actions for the rooms listed in a `ConfbridgeListRooms` reply.
pub fn conference_actions(rooms_reply: &[Frame]) -> Vec<Frame> {
    rooms_reply
        .iter()
        .filter(|f| f.event() == Some("ConfbridgeListRooms"))
        .filter_map(|f| f.get("Conference").filter(|c| !c.is_empty()))
        .map(|c| {
            Frame::new()
                .with("Action", "ConfbridgeList")
                .with("Conference", c)
        })
        .collect()
}

/// `PJSIPShowEndpoint` for one endpoint (optional: gives context and codecs).
pub fn endpoint_detail_action(endpoint: &str) -> Frame {
    Frame::new()
        .with("Action", "PJSIPShowEndpoint")
        .with("Endpoint", endpoint)
}

fn codecs(allow: &str) -> Vec<String> {
    allow
        .trim_matches(|c| c == '(' || c == ')')
        .split('|')
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
        .collect()
}

/// AstDB key of a tree item: `Key: /DND/201` or `Family: DND` + `Key: 201`.
fn db_entry(f: &Frame) -> Option<(String, String, String)> {
    let key = f.get("Key")?.trim_start_matches('/');
    let val = f.get_or_empty("Val").to_owned();
    match key.split_once('/') {
        Some((fam, k)) if super::snapshot::DB_FAMILIES.contains(&fam) => {
            Some((fam.to_owned(), k.to_owned(), val))
        }
        _ => {
            let fam = f.get("Family")?.trim_matches('/');
            Some((fam.to_owned(), key.to_owned(), val))
        }
    }
}

/// Builds the snapshot from the replies (item events of every list action).
pub fn build_snapshot<'a>(replies: impl IntoIterator<Item = &'a Frame>) -> Snapshot {
    let mut s = Snapshot::default();
    for f in replies {
        let Some(ev) = f.event() else { continue };
        match ev {
            "EndpointList" => {
                let Some(id) = f.get("ObjectName").filter(|x| !x.is_empty()) else {
                    continue;
                };
                if id == "anonymous" {
                    continue;
                }
                if let Some(e) = s.endpoints.iter_mut().find(|e| e.id == id) {
                    e.device_state = f.get_or_empty("DeviceState").to_owned();
                } else {
                    s.endpoints.push(EndpointInfo {
                        id: id.to_owned(),
                        device_state: f.get_or_empty("DeviceState").to_owned(),
                        ..EndpointInfo::default()
                    });
                }
            }
            "EndpointDetail" => {
                let Some(id) = f.get("ObjectName").filter(|x| !x.is_empty()) else {
                    continue;
                };
                if id == "anonymous" {
                    continue;
                }
                let pos = s.endpoints.iter().position(|e| e.id == id);
                let e = match pos {
                    Some(i) => &mut s.endpoints[i],
                    None => {
                        s.endpoints.push(EndpointInfo {
                            id: id.to_owned(),
                            device_state: f.get_or_empty("DeviceState").to_owned(),
                            ..EndpointInfo::default()
                        });
                        let last = s.endpoints.len() - 1;
                        &mut s.endpoints[last]
                    }
                };
                e.context = f.get_or_empty("Context").to_owned();
                e.codecs = codecs(f.get_or_empty("Allow"));
            }
            "ContactList" => s.contacts.push(ContactInfo {
                endpoint: f.get_or_empty("Endpoint").to_owned(),
                uri: f.get_or_empty("Uri").to_owned(),
                status: f.get_or_empty("Status").to_owned(),
                via_address: f.get_or_empty("ViaAddr").to_owned(),
                via_port: f.get_or_empty("ViaPort").to_owned(),
                call_id: f.get_or_empty("CallId").to_owned(),
                user_agent: f.get_or_empty("UserAgent").to_owned(),
            }),
            "ContactStatusDetail" => {
                let via = f.get_or_empty("ViaAddress");
                let endpoint = f
                    .get("EndpointName")
                    .filter(|x| !x.is_empty())
                    .or_else(|| f.get("AOR"))
                    .unwrap_or("")
                    .to_owned();
                let uri = f.get_or_empty("URI").to_owned();
                if s.contacts
                    .iter()
                    .any(|c| c.endpoint == endpoint && c.uri == uri)
                {
                    continue;
                }
                s.contacts.push(ContactInfo {
                    endpoint,
                    uri,
                    status: f.get_or_empty("Status").to_owned(),
                    via_address: host_part(via),
                    via_port: super::translate::port_part(via),
                    call_id: f.get_or_empty("CallID").to_owned(),
                    user_agent: f.get_or_empty("UserAgent").to_owned(),
                })
            }
            "OutboundRegistrationDetail" => s.registrations.push((
                f.get_or_empty("Endpoint").to_owned(),
                f.get_or_empty("Status").to_owned(),
            )),
            "DeviceStateChange" => {
                if let (Some(d), Some(st)) = (f.get("Device"), f.get("State")) {
                    s.device_states.push((d.to_owned(), st.to_owned()));
                }
            }
            "ExtensionStatus" => {
                if let (Some(e), Some(Ok(st))) =
                    (f.get("Exten"), f.get("Status").map(|x| x.trim().parse()))
                {
                    s.extension_states.push((e.to_owned(), st));
                }
            }
            "CoreShowChannel" => {
                let Some(info) = channel_info(f, "") else {
                    continue;
                };
                s.channels.push(ChannelSnapshot {
                    info,
                    bridge_id: f
                        .get("BridgeId")
                        .filter(|b| !b.is_empty())
                        .map(str::to_owned),
                    application: f.get_or_empty("Application").to_owned(),
                });
            }
            "QueueParams" => s.queue_params.extend(queue_params(f)),
            "QueueMember" => s.queue_members.extend(queue_member(f)),
            "QueueEntry" => {
                let (Some(q), Some(ch)) = (f.get("Queue"), f.get("Channel")) else {
                    continue;
                };
                s.queue_callers.push(QueueCallerInfo {
                    queue: q.to_owned(),
                    channel: ch.to_owned(),
                    caller_num: f.get_or_empty("CallerIDNum").to_owned(),
                    caller_name: f.get_or_empty("CallerIDName").to_owned(),
                    position: f.get_or_empty("Position").to_owned(),
                    wait: f.get_or_empty("Wait").trim().parse().unwrap_or(0),
                });
            }
            "Parkinglot" => {
                let n = |h: &str| f.get_or_empty(h).trim().parse().ok();
                if let (Some(start), Some(stop)) = (n("StartSpace"), n("StopSpace")) {
                    s.parking_lots.push(ParkingLotInfo {
                        name: f.get_or_empty("Name").to_owned(),
                        start,
                        stop,
                        timeout: f.get_or_empty("Timeout").trim().parse().unwrap_or(0),
                    });
                }
            }
            "ParkedCall" => s.parked_calls.extend(parked_call(f)),
            "ConfbridgeList" => s.conference_users.extend(conf_user(f)),
            "DBGetTreeResponse" | "DBGetResponse" => s.astdb.extend(db_entry(f)),
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_are_a_fixed_handful() {
        let names: Vec<String> = list_actions()
            .iter()
            .map(|f| f.get_or_empty("Action").to_owned())
            .collect();
        assert_eq!(names.len(), 14);
        assert!(names.contains(&"CoreShowChannels".to_owned()));
        let rooms = vec![Frame::new()
            .with("Event", "ConfbridgeListRooms")
            .with("Conference", "801")];
        assert_eq!(
            conference_actions(&rooms)[0].to_wire(),
            "Action: ConfbridgeList\r\nConference: 801\r\n\r\n"
        );
    }

    #[test]
    fn anonymous_endpoint_and_db_paths() {
        let frames = vec![
            Frame::new()
                .with("Event", "EndpointList")
                .with("ObjectName", "anonymous"),
            Frame::new()
                .with("Event", "EndpointList")
                .with("ObjectName", "201")
                .with("DeviceState", "Not in use"),
            Frame::new()
                .with("Event", "DBGetTreeResponse")
                .with("Key", "/DND/201")
                .with("Val", "YES"),
            Frame::new()
                .with("Event", "DBGetResponse")
                .with("Family", "CF")
                .with("Key", "201")
                .with("Val", "vmu201"),
            Frame::new()
                .with("Event", "EndpointDetail")
                .with("ObjectName", "201")
                .with("Context", "from-internal")
                .with("Allow", "(ulaw|alaw|g722)"),
        ];
        let s = build_snapshot(&frames);
        assert_eq!(s.endpoints.len(), 1);
        assert_eq!(s.endpoints[0].codecs, vec!["ulaw", "alaw", "g722"]);
        assert_eq!(s.endpoints[0].context, "from-internal");
        assert_eq!(
            s.astdb,
            vec![
                ("DND".into(), "201".into(), "YES".into()),
                ("CF".into(), "201".into(), "vmu201".into())
            ]
        );
    }
}
