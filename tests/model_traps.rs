//! The traps taken from real reports, one test each.

mod model_support;

use model_support::*;
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::snapshot::build_snapshot;
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::change::Change;
use nethcti_server::domain::pbx_event::{ChannelInfo, ContactInfo, PbxEvent, QueueCallerInfo};
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use serde_json::json;

const IDLE: &str = "a-startup-queries-idle.ami";

fn ch(
    name: &str,
    uid: &str,
    state: u8,
    num: &str,
    cname: &str,
    cl: &str,
    cln: &str,
) -> ChannelInfo {
    ChannelInfo {
        channel: name.into(),
        uniqueid: uid.into(),
        linkedid: uid.into(),
        state,
        caller_num: num.into(),
        caller_name: cname.into(),
        connected_num: cl.into(),
        connected_name: cln.into(),
        ..ChannelInfo::default()
    }
}

fn member_after_each_change(name: &str) -> Vec<serde_json::Value> {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut out = Vec::new();
    for r in transcript(name) {
        if let Rec::In(t, f) = r {
            if let Some(ev) = translate(&f) {
                for c in sb.apply(ev, NOW + (t * 1000.0) as i64) {
                    if let Change::QueueMemberChanged(q, m) = c {
                        out.push(sb.queue_member_json(&q, &m).expect("member"));
                    }
                }
            }
        }
    }
    out
}

/// Modern Asterisk sends `PausedReason`; unpausing clears it; logging out is not paused.
#[test]
fn queue_member_add_pause_unpause_remove() {
    let m = |paused: bool, logged: bool, reason: &str, pin: i64, pout: i64| {
        json!({"type": "dynamic", "name": "Carol Desk", "queue": "401", "member": "203",
            "paused": paused, "loggedIn": logged, "callsTakenCount": 0, "lastCallTimestamp": 0,
            "lastPausedInReason": reason, "lastPausedInTimestamp": pin,
            "lastPausedOutTimestamp": pout})
    };
    let pin = NOW + 1020;
    let pout = NOW + 2024;
    assert_eq!(
        member_after_each_change("i-queue-member-add-pause-remove.ami"),
        vec![
            m(false, true, "", 0, 0),
            m(true, true, "lunch", pin, 0),
            m(false, true, "", pin, pout),
            m(false, false, "", pin, NOW + 4028),
        ]
    );
}

#[test]
fn a_member_logging_out_while_paused_is_not_shown_paused() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let pause = Frame::from_pairs([
        ("Event", "QueueMemberPause"),
        ("Queue", "401"),
        ("Interface", "PJSIP/202"),
        ("Paused", "1"),
        ("PausedReason", "break"),
    ]);
    sb.apply(translate(&pause).expect("pause"), NOW);
    assert_eq!(
        sb.queue_member_json("401", "202").expect("202")["lastPausedInReason"],
        json!("break")
    );
    let removed = Frame::from_pairs([
        ("Event", "QueueMemberRemoved"),
        ("Queue", "401"),
        ("Interface", "PJSIP/202"),
    ]);
    let ch = sb.apply(translate(&removed).expect("removed"), NOW + 5000);
    assert_eq!(
        ch,
        vec![Change::QueueMemberChanged("401".into(), "202".into())]
    );
    let j = sb.queue_member_json("401", "202").expect("202");
    assert_eq!(
        (j["paused"].clone(), j["loggedIn"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(j["lastPausedInReason"], json!(""));
    assert_eq!(j["lastPausedOutTimestamp"], json!(NOW + 5000));
}

/// The member's conversation starts with its own leg, not when the caller joined.
#[test]
fn queue_wait_is_not_member_talk_time() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let caller = ch(
        "PJSIP/trunk-00000100",
        "labpbx-1796322000.100",
        6,
        "0301234567",
        "Ext",
        "<unknown>",
        "<unknown>",
    );
    sb.apply(PbxEvent::ChannelCreated(caller.clone()), NOW);
    sb.apply(
        PbxEvent::QueueCallerJoin(QueueCallerInfo {
            queue: "401".into(),
            channel: caller.channel.clone(),
            caller_num: "0301234567".into(),
            caller_name: "Ext".into(),
            position: "1".into(),
            wait: 0,
        }),
        NOW,
    );
    let mut agent = ch(
        "PJSIP/202-00000101",
        "labpbx-1796322090.101",
        5,
        "202",
        "Bob Agent",
        "0301234567",
        "Ext",
    );
    agent.linkedid = caller.uniqueid.clone();
    sb.apply(
        PbxEvent::DialBegin {
            caller: Some(caller.clone()),
            dest: agent.clone(),
        },
        NOW,
    );
    sb.apply(
        PbxEvent::QueueCallerLeave {
            queue: "401".into(),
            channel: caller.channel.clone(),
        },
        NOW,
    );
    agent.state = 6;
    sb.apply(
        PbxEvent::BridgeEnter {
            bridge: "b1".into(),
            info: caller.clone(),
        },
        NOW,
    );
    sb.apply(
        PbxEvent::BridgeEnter {
            bridge: "b1".into(),
            info: agent,
        },
        NOW,
    );
    let j = sb
        .extension_json("202", 1_796_322_100_000, PrivacyView::Clear)
        .expect("202");
    let c = &j["conversations"]["PJSIP/trunk-00000100>PJSIP/202-00000101"];
    assert_eq!(c["startTime"], json!(1_796_322_090_000_i64));
    assert_eq!(c["duration"], json!(10));
    assert_eq!(c["queueId"], json!("401"));
    assert_eq!(c["throughQueue"], json!(true));
    assert_eq!(c["throughTrunk"], json!(true));
    // queue calls keep their numbers for queue-privileged viewers only
    let masked = sb
        .extension_json("202", NOW, PrivacyView::NonQueue)
        .expect("202");
    assert_eq!(
        masked["conversations"]["PJSIP/trunk-00000100>PJSIP/202-00000101"]["counterpartNum"],
        json!("0301234567")
    );
    let all = sb
        .extension_json("202", NOW, PrivacyView::All)
        .expect("202");
    assert_eq!(
        all["conversations"]["PJSIP/trunk-00000100>PJSIP/202-00000101"]["counterpartNum"],
        json!("0301234xxx")
    );
}

/// After a transfer of an external call, the target sees the external caller.
#[test]
fn transfer_target_counterpart_is_the_external_caller() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let ext = ch(
        "PJSIP/trunk-00000200",
        "labpbx-1796322000.200",
        6,
        "0721405516",
        "ACME",
        "203",
        "Carol Desk",
    );
    let mut tgt = ch(
        "PJSIP/203-00000201",
        "labpbx-1796322005.201",
        6,
        "203",
        "Carol Desk",
        "201",
        "Alice Agent",
    );
    tgt.linkedid = ext.uniqueid.clone();
    sb.apply(PbxEvent::ChannelCreated(ext.clone()), NOW);
    sb.apply(PbxEvent::ChannelCreated(tgt.clone()), NOW);
    sb.apply(
        PbxEvent::BridgeEnter {
            bridge: "b2".into(),
            info: ext,
        },
        NOW,
    );
    sb.apply(
        PbxEvent::BridgeEnter {
            bridge: "b2".into(),
            info: tgt.clone(),
        },
        NOW,
    );
    // Asterisk updates the connected line of the target after the transfer
    tgt.connected_num = "0721405516".into();
    tgt.connected_name = "ACME".into();
    let ch = sb.apply(PbxEvent::ConnectedLine(tgt), NOW);
    assert_eq!(
        ch,
        vec![
            Change::ExtensionChanged("203".into()),
            Change::TrunkChanged("trunk".into())
        ]
    );
    assert_eq!(
        convs(&sb, "203"),
        ["PJSIP/trunk-00000200>PJSIP/203-00000201 in connected=true cp=0721405516/ACME q=- up/up"]
    );
}

/// `<unknown>` connected line: the counterpart comes from the peer channel's caller id.
#[test]
fn counterpart_is_never_unknown_when_the_peer_number_is_known() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let a = ch(
        "PJSIP/201-00000300",
        "labpbx-1796322000.300",
        4,
        "201",
        "Alice Agent",
        "<unknown>",
        "<unknown>",
    );
    let mut b = ch(
        "PJSIP/trunk-00000301",
        "labpbx-1796322000.301",
        5,
        "0721405516",
        "ACME",
        "<unknown>",
        "<unknown>",
    );
    b.linkedid = a.uniqueid.clone();
    sb.apply(PbxEvent::ChannelCreated(a.clone()), NOW);
    sb.apply(
        PbxEvent::DialBegin {
            caller: Some(a),
            dest: b,
        },
        NOW,
    );
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-00000300>PJSIP/trunk-00000301 out connected=false cp=0721405516/ACME q=- ring/ringing"]
    );
}

#[test]
fn the_anonymous_endpoint_is_not_an_extension() {
    let users_json: serde_json::Value = json!({
        "anon": {"name": "Anon", "endpoints": {"mainextension": {"anonymous": {}}}},
        "alice": {"name": "Alice Agent", "endpoints": {"mainextension": {"201": {}}}}
    });
    let users = nethcti_server::domain::directory::Users::from_json(&users_json).expect("users");
    let ast = nethcti_server::domain::directory::AstObjects::from_json(
        &json!({"trunks": {}, "queues": {}}),
    )
    .expect("ast");
    let mut sb = Switchboard::new(&users, &ast, "xxx");
    let frames = vec![
        Frame::from_pairs([
            ("Event", "EndpointList"),
            ("ObjectName", "anonymous"),
            ("DeviceState", "Unavailable"),
        ]),
        Frame::from_pairs([
            ("Event", "EndpointList"),
            ("ObjectName", "201"),
            ("DeviceState", "Unavailable"),
        ]),
    ];
    sb.apply(PbxEvent::Snapshot(Box::new(build_snapshot(&frames))), NOW);
    assert_eq!(sb.extension_ids().collect::<Vec<_>>(), ["201"]);
}

/// DND from the phone (feature code dialplan) and from the server (AstDB write) end in the
/// same state; DND off leaves an unregistered extension offline.
#[test]
fn dnd_from_phone_and_server_agree_and_off_keeps_offline() {
    let (mut phone, _) = lab_loaded(IDLE, NOW);
    let (mut server, _) = lab_loaded(IDLE, NOW);
    let newexten = |d: &str| {
        Frame::from_pairs([
            ("Event", "Newexten"),
            ("Channel", "PJSIP/204-00000001"),
            ("AppData", d),
        ])
    };
    let c1 = phone.apply(translate(&newexten("DB(DND/204)=YES")).expect("dnd"), NOW);
    let c2 = server.apply(
        PbxEvent::Dnd {
            exten: "204".into(),
            enabled: true,
        },
        NOW,
    );
    assert_eq!(c1, c2);
    assert_eq!(
        c1,
        vec![
            Change::ExtensionChanged("204".into()),
            Change::DndChanged {
                exten: "204".into(),
                enabled: true
            }
        ]
    );
    let j = |sb: &Switchboard| {
        sb.extension_json("204", NOW, PrivacyView::Clear)
            .expect("204")
    };
    assert_eq!(j(&phone), j(&server));
    assert_eq!(j(&phone)["dnd"], json!(true));
    phone.apply(
        translate(&newexten("Deleting: DND/204 YES")).expect("off"),
        NOW,
    );
    server.apply(
        PbxEvent::Dnd {
            exten: "204".into(),
            enabled: false,
        },
        NOW,
    );
    assert_eq!(j(&phone), j(&server));
    assert_eq!(
        (j(&phone)["dnd"].clone(), j(&phone)["status"].clone()),
        (json!(false), json!("offline"))
    );
    // the hint reports "idle" for the custom DND device: 204 stays offline without a contact
    phone.apply(
        PbxEvent::DeviceState {
            device: "PJSIP/204".into(),
            state: "NOT_INUSE".into(),
        },
        NOW,
    );
    assert_eq!(status(&phone, "204"), "offline");
}

/// Prefixed uniqueids: times use the numeric part.
#[test]
fn prefixed_uniqueids_give_epoch_start_times() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let a = ch(
        "PJSIP/201-00000400",
        "labpbx-1796322494.17",
        4,
        "201",
        "Alice Agent",
        "",
        "",
    );
    sb.apply(PbxEvent::ChannelCreated(a), NOW);
    let j = sb
        .extension_json("201", 1_796_322_500_000, PrivacyView::Clear)
        .expect("201");
    let c = &j["conversations"]["PJSIP/201-00000400>"];
    assert_eq!(c["startTime"], json!(1_796_322_494_000_i64));
    assert_eq!(c["duration"], json!(6));
}

/// j: reload and restart request a resync; after the restart the contacts restored from
/// the database are `NonQualified` and the extensions are registered (online).
#[test]
fn reload_and_restart_resync_with_nonqualified_contacts() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let recs = transcript("j-reload-and-restart.ami");
    let mut changes = Vec::new();
    let mut contact_frames = Vec::new();
    for r in &recs {
        if let Rec::In(_, f) = r {
            if f.event() == Some("ContactList") {
                contact_frames.push(f.clone());
            }
            if let Some(ev) = translate(f) {
                changes.extend(sb.apply(ev, NOW));
            }
        }
    }
    assert_eq!(names(&changes), ["resync", "resync", "resync", "resync"]);
    // resync: the idle lists, but with the contacts as restored after the restart
    let mut frames: Vec<Frame> = transcript(IDLE)
        .into_iter()
        .filter_map(|r| match r {
            Rec::In(_, f) if f.event() != Some("ContactList") => Some(f),
            _ => None,
        })
        .collect();
    frames.extend(contact_frames);
    let snap = build_snapshot(&frames);
    assert_eq!(snap.contacts.len(), 3);
    assert!(snap.contacts.iter().all(|c| c.status == "NonQualified"));
    let ch = sb.apply(PbxEvent::Snapshot(Box::new(snap)), NOW);
    // same ip/port/user agent: nothing visible changed, nothing reported
    assert_eq!(ch, vec![]);
    for e in ["201", "202", "203"] {
        assert_eq!(status(&sb, e), "online");
    }
    assert_eq!(status(&sb, "204"), "offline");
}

/// A stale conversation does not survive a restart: the resync drops it and reports it.
#[test]
fn resync_removes_stale_conversations_and_reports_only_them() {
    let (mut sb, _) = lab_loaded("a-startup-queries-busy.ami", NOW);
    let (idle, _) = lab_loaded(IDLE, NOW);
    let frames: Vec<Frame> = transcript(IDLE)
        .into_iter()
        .filter_map(|r| match r {
            Rec::In(_, f) => Some(f),
            Rec::Note(..) => None,
        })
        .collect();
    let ch = sb.apply(PbxEvent::Snapshot(Box::new(build_snapshot(&frames))), NOW);
    assert_eq!(
        names(&ch),
        [
            "ext 201",
            "ext 202",
            "ext 203",
            "trunk trunk",
            "queue 401",
            "parking 701",
            "conf-end 801"
        ]
    );
    assert_eq!(
        sb.extensions_json(NOW, PrivacyView::Clear),
        idle.extensions_json(NOW, PrivacyView::Clear)
    );
    assert_eq!(sb.counts().4, 0);
}

#[test]
fn contact_status_events_update_registration() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let f = Frame::from_pairs([
        ("Event", "ContactStatus"),
        ("URI", "sip:204@192.168.1.44:5062"),
        ("ContactStatus", "NonQualified"),
        ("AOR", "204"),
        ("EndpointName", "204"),
        ("UserAgent", "Yealink"),
    ]);
    let c = sb.apply(translate(&f).expect("contact"), NOW);
    assert_eq!(c, vec![Change::ExtensionChanged("204".into())]);
    let j = sb
        .extension_json("204", NOW, PrivacyView::Clear)
        .expect("204");
    assert_eq!(
        (
            j["ip"].clone(),
            j["port"].clone(),
            j["status"].clone(),
            j["sipuseragent"].clone()
        ),
        (
            json!("192.168.1.44"),
            json!("5062"),
            json!("online"),
            json!("Yealink")
        )
    );
    let gone = ContactInfo {
        endpoint: "204".into(),
        uri: "sip:204@192.168.1.44:5062".into(),
        status: "Removed".into(),
        ..ContactInfo::default()
    };
    sb.apply(PbxEvent::ContactStatus(gone), NOW);
    assert_eq!(status(&sb, "204"), "offline");
}

/// Events for channels the model never saw (bad or partial AMI input) leave no phantom
/// conversation behind, and a uniqueid without a timestamp never gives an epoch-long
/// duration.
#[test]
fn bridge_leave_of_an_unknown_channel_and_a_timeless_uniqueid() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let before = world(&sb);
    let ghost = ch("PJSIP/202-0000eeee", "nope.3", 6, "202", "", "", "");
    let changes = sb.apply(
        PbxEvent::BridgeLeave {
            bridge: "x".into(),
            info: ghost.clone(),
        },
        NOW,
    );
    assert_eq!(changes, vec![]);
    assert_eq!(world(&sb), before);

    sb.apply(PbxEvent::ChannelCreated(ghost), NOW);
    let x = sb
        .extension_json("202", NOW, PrivacyView::Clear)
        .expect("202");
    let conv = &x["conversations"]["PJSIP/202-0000eeee>"];
    assert_eq!(conv["startTime"], json!(0));
    assert_eq!(conv["duration"], json!(0));
}
