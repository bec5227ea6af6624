//! Replays the real Asterisk 22 transcripts (fixtures/ami) through translate + apply and
//! checks the exact JSON and change sequences clients would see.

mod model_support;

use model_support::*;
use nethcti_server::domain::switchboard::PrivacyView;
use serde_json::json;

const IDLE: &str = "a-startup-queries-idle.ami";

fn conv_of(sb: &nethcti_server::domain::switchboard::Switchboard, e: &str) -> serde_json::Value {
    sb.extension_json(e, NOW, PrivacyView::Clear).expect("ext")["conversations"].clone()
}

#[allow(clippy::too_many_arguments)]
fn chan(
    kind: &str,
    channel: &str,
    num: &str,
    name: &str,
    bnum: &str,
    bname: &str,
    status: &str,
    bridged: &str,
) -> serde_json::Value {
    json!({
        "type": kind, "channel": channel, "callerNum": num, "startTime": 1_796_322_712_000_i64,
        "callerName": name, "bridgedNum": bnum, "bridgedName": bname, "inConference": false,
        "channelStatus": status, "bridgedChannel": bridged
    })
}

#[test]
fn idle_startup_builds_extensions_trunk_queue_and_parkings() {
    let (sb, ch) = lab_loaded(IDLE, NOW);
    assert_eq!(
        sb.extension_ids().collect::<Vec<_>>(),
        ["201", "202", "203", "204"]
    );
    assert_eq!(sb.counts(), (4, 1, 1, 20, 0));
    let n = names(&ch);
    assert_eq!(
        n[..9],
        [
            "ext 201",
            "ext 202",
            "ext 203",
            "ext 204",
            "trunk trunk",
            "member 401 201",
            "member 401 202",
            "member 401 203",
            "queue 401"
        ]
    );
    assert_eq!(n[9..].len(), 20);
    assert_eq!(
        sb.extension_json("201", NOW, PrivacyView::Clear)
            .expect("201"),
        json!({
            "ip": "127.0.0.1", "cf": "", "mac": "00-15-65-aa-bb-01", "cfb": "", "cfu": "",
            "dnd": false, "cfVm": "", "port": "5170", "name": "Alice Agent", "cfbVm": "",
            "cfuVm": "", "exten": "201", "codecs": [], "status": "online", "context": "",
            "chanType": "pjsip", "username": "alice",
            "sipuseragent": "baresip v1.0.0 (x86_64/linux)", "conversations": {}
        })
    );
    // 204 never registered: offline, no contact fields, no user agent key.
    assert_eq!(
        sb.extension_json("204", NOW, PrivacyView::Clear)
            .expect("204"),
        json!({
            "ip": "", "cf": "", "mac": "", "cfb": "", "cfu": "", "dnd": false, "cfVm": "",
            "port": "", "name": "Dave Desk", "cfbVm": "", "cfuVm": "", "exten": "204",
            "codecs": [], "status": "offline", "context": "", "chanType": "pjsip",
            "username": "dave", "conversations": {}
        })
    );
    assert_eq!(
        sb.trunks_json(NOW, false).to_string(),
        r#"{"trunk":{"ip":"","port":"","name":"Lab Carrier","exten":"trunk","codecs":[],"status":"offline","registration":"unmonitored","chanType":"pjsip","maxChannels":4,"conversations":{}}}"#
    );
    assert_eq!(
        sb.parking_json("720", NOW, false).expect("720"),
        json!({"name": "720", "parking": "720", "timeout": 45, "parkedCaller": {}})
    );
    assert_eq!(sb.conference_json("801"), json!({}));
}

#[test]
fn applying_the_same_snapshot_twice_reports_nothing() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let frames: Vec<_> = transcript(IDLE)
        .into_iter()
        .filter_map(|r| match r {
            Rec::In(_, f) => Some(f),
            Rec::Note(..) => None,
        })
        .collect();
    let snap = nethcti_server::adapters::ami::snapshot::build_snapshot(&frames);
    let ch = sb.apply(
        nethcti_server::domain::pbx_event::PbxEvent::Snapshot(Box::new(snap)),
        NOW,
    );
    assert_eq!(ch, vec![]);
}

#[test]
fn busy_startup_restores_calls_queue_caller_parking_and_conference() {
    let (sb, ch) = lab_loaded("a-startup-queries-busy.ami", NOW);
    assert_eq!(names(&ch).last().map(String::as_str), Some("conf 801"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-00000000>PJSIP/202-00000001 out connected=true cp=202/Bob Agent q=- up/up"]
    );
    assert_eq!(
        convs(&sb, "202"),
        ["PJSIP/201-00000000>PJSIP/202-00000001 in connected=true cp=201/Alice Agent q=- up/up"]
    );
    assert_eq!(
        convs(&sb, "203"),
        ["PJSIP/203-00000002> out connected=true cp=/ q=- up/-"]
    );
    assert_eq!(
        sb.queue_json("401", NOW, false).expect("401")["waitingCallers"],
        json!({"PJSIP/trunk-00000003": {
            "id": "PJSIP/trunk-00000003", "num": "0301234567", "name": "Carrier Caller",
            "queue": "401", "waiting": 1, "channel": "PJSIP/trunk-00000003", "position": "1",
            "waitingTime": NOW - 1000
        }})
    );
    assert_eq!(
        sb.parking_json("701", NOW, false).expect("701"),
        json!({"name": "701", "parking": "701", "timeout": 45, "parkedCaller": {
            "num": "5550700", "name": "Parked Virtual", "parking": "701",
            "channel": "Local/caller@cti-helpers-00000001;1", "timeout": 44,
            "parkeeNum": "caller@cti-helpers", "parkeeName": ""
        }})
    );
    assert_eq!(
        sb.conference_json("801"),
        json!({"id": "801", "users": {"203": {
            "id": "801-203", "name": "Carol Desk", "owner": false, "muted": false, "extenId": "203"
        }}})
    );
}

#[test]
fn internal_call_ringing_connected_hangup() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("b-internal-call-201-to-202.ami");
    let ring = r.until(&mut sb, Some("UA ua202 answers"));
    assert_eq!(
        names(&ring),
        [
            "resync",
            "ext 201",
            "ext 202",
            "ext 202",
            // Newexten of 202's new channel: its caller / connected line now read 202 / 201.
            "ext 202",
            "dialing 202 from 201",
            "ext 201",
            "ext 202",
            "ext 201",
            "ext 202",
            "ext 202",
            "ext 201"
        ]
    );
    let id = "PJSIP/201-00000004>PJSIP/202-00000005";
    let src = |st: &str| {
        chan(
            "source",
            "PJSIP/201-00000004",
            "201",
            "Alice Agent",
            "202",
            "Bob Agent",
            st,
            "PJSIP/202-00000005",
        )
    };
    let dst = |st: &str| {
        chan(
            "dest",
            "PJSIP/202-00000005",
            "202",
            "Bob Agent",
            "201",
            "Alice Agent",
            st,
            "PJSIP/201-00000004",
        )
    };
    let conv = |owner: &str,
                uid: &str,
                s: &str,
                d: &str,
                connected: bool,
                dir: &str,
                cp: (&str, &str)| {
        json!({ id: {
            "id": id, "owner": owner, "chDest": dst(d), "linkedId": "labpbx-1796322712.8",
            "uniqueId": uid, "chSource": src(s), "duration": 188, "startTime": 1_796_322_712_000_i64,
            "connected": connected, "recording": "false", "direction": dir,
            "inConference": false, "throughQueue": false, "throughTrunk": false,
            "counterpartNum": cp.0, "counterpartName": cp.1
        }})
    };
    assert_eq!(
        conv_of(&sb, "201"),
        conv(
            "201",
            "labpbx-1796322712.8",
            "ring",
            "ringing",
            false,
            "out",
            ("202", "Bob Agent")
        )
    );
    assert_eq!(
        conv_of(&sb, "202"),
        conv(
            "202",
            "labpbx-1796322712.9",
            "ring",
            "ringing",
            false,
            "in",
            ("201", "Alice Agent")
        )
    );
    let up = r.until(&mut sb, Some("hangs up"));
    assert_eq!(
        names(&up),
        [
            "ext 202",
            "ext 201",
            "ext 201",
            "ext 202",
            "ext 202",
            "ext 201",
            "connected 202 201 in",
            "ext 201",
            "ext 202",
            "connected 201 202 out"
        ]
    );
    assert_eq!(
        conv_of(&sb, "201"),
        conv(
            "201",
            "labpbx-1796322712.8",
            "up",
            "up",
            true,
            "out",
            ("202", "Bob Agent")
        )
    );
    assert_eq!(
        conv_of(&sb, "202"),
        conv(
            "202",
            "labpbx-1796322712.9",
            "up",
            "up",
            true,
            "in",
            ("201", "Alice Agent")
        )
    );
    let end = r.finish(&mut sb);
    assert_eq!(names(&end), B_HANGUP_CHANGES);
    for e in ["201", "202"] {
        assert_eq!(conv_of(&sb, e), json!({}));
        assert_eq!(status(&sb, e), "online");
    }
}

#[test]
fn queue_call_rings_both_members_and_is_answered_by_202() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("c-queue-401-answered-by-member.ami");
    r.until(&mut sb, Some("UA ua202 answers (200"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/trunk-00000006>PJSIP/201-00000007 in connected=false cp=0301234567/Carrier Caller q=401 up/ringing"]
    );
    assert_eq!(
        convs(&sb, "202"),
        ["PJSIP/trunk-00000006>PJSIP/202-00000008 in connected=false cp=0301234567/Carrier Caller q=401 up/ringing"]
    );
    assert_eq!(
        sb.queue_json("401", NOW, false).expect("401")["waitingCallers"],
        json!({"PJSIP/trunk-00000006": {
            "id": "PJSIP/trunk-00000006", "num": "0301234567", "name": "Carrier Caller",
            "queue": "401", "waiting": 0, "channel": "PJSIP/trunk-00000006", "position": "1",
            "waitingTime": NOW
        }})
    );
    assert_eq!(
        sb.queue_json("401", NOW, true).expect("401")["waitingCallers"]["PJSIP/trunk-00000006"]
            ["num"],
        json!("0301234xxx")
    );
    assert_eq!(
        sb.trunk_json("trunk", NOW, false).expect("trunk")["conversations"],
        json!({"PJSIP/trunk-00000006>PJSIP/202-00000008": {
            "id": "PJSIP/trunk-00000006>PJSIP/202-00000008", "owner": "trunk",
            "chDest": {"type": "dest", "channel": "PJSIP/202-00000008", "callerNum": "202",
                "startTime": 1_796_322_720_000_i64, "callerName": "Bob Agent",
                "bridgedNum": "0301234567", "bridgedName": "Carrier Caller",
                "inConference": false, "channelStatus": "ringing",
                "bridgedChannel": "PJSIP/trunk-00000006"},
            "chSource": {"type": "source", "channel": "PJSIP/trunk-00000006",
                "callerNum": "0301234567", "startTime": 1_796_322_720_000_i64,
                "callerName": "Carrier Caller", "bridgedNum": "<unknown>",
                "bridgedName": "<unknown>", "inConference": false, "channelStatus": "up",
                "bridgedChannel": "PJSIP/202-00000008"},
            "duration": 180, "recording": "false", "direction": "in", "internalNum": "...",
            "internalName": "...", "externalNum": "0301234567", "externalName": "Carrier Caller",
            "throughQueue": true
        }})
    );
    let up = r.until(&mut sb, Some("UA trunk hangs up"));
    assert!(names(&up).contains(&"hangup 201 answered_elsewhere 201>0301234567".to_owned()));
    assert!(names(&up).contains(&"queue 401".to_owned()));
    assert_eq!(convs(&sb, "201"), Vec::<String>::new());
    assert_eq!(
        convs(&sb, "202"),
        ["PJSIP/trunk-00000006>PJSIP/202-00000008 in connected=true cp=0301234567/Carrier Caller q=401 up/up"]
    );
    assert_eq!(
        sb.queue_json("401", NOW, false).expect("401")["waitingCallers"],
        json!({})
    );
    let end = r.finish(&mut sb);
    assert_eq!(
        names(&end).last().map(String::as_str),
        Some("member 401 202")
    );
    assert_eq!(
        sb.queue_member_json("401", "202").expect("202"),
        json!({"type": "dynamic", "name": "Bob Agent", "queue": "401", "member": "202",
            "paused": false, "loggedIn": true, "callsTakenCount": 1,
            "lastCallTimestamp": 1_796_322_727, "lastPausedInReason": "",
            "lastPausedInTimestamp": 0, "lastPausedOutTimestamp": 0})
    );
}

/// The transfer target's counterpart is the original caller in all three blind flavours.
#[test]
fn blind_transfers_leave_201_talking_with_203() {
    for (file, stops, tag) in [
        (
            "d-blind-transfer-amiblindtransfer.ami",
            ["ua203 answers", "ua203 hangs up"],
            "0b",
        ),
        (
            "d2-blind-transfer-redirect.ami",
            ["ua203 answers", "ua201 hangs up"],
            "0e",
        ),
        (
            "d3-blind-transfer-phone-refer.ami",
            ["ua203 answers", "ua203 hangs up"],
            "11",
        ),
    ] {
        let (mut sb, _) = lab_loaded(IDLE, NOW);
        let mut r = Replay::new(file);
        r.until(&mut sb, Some(stops[0]));
        let c201 = &convs(&sb, "201")[0];
        let id = c201.split(' ').next().expect("id").to_owned();
        assert!(
            id.ends_with(&format!(">PJSIP/203-000000{tag}")),
            "{file}: {id}"
        );
        assert_eq!(convs(&sb, "202"), Vec::<String>::new(), "{file}");
        assert_eq!(
            convs(&sb, "203"),
            [format!(
                "{id} in connected=false cp=201/Alice Agent q=- up/ringing"
            )],
            "{file}"
        );
        r.until(&mut sb, Some(stops[1]));
        assert_eq!(
            convs(&sb, "203"),
            [format!(
                "{id} in connected=true cp=201/Alice Agent q=- up/up"
            )],
            "{file}"
        );
        assert_eq!(
            convs(&sb, "201"),
            [format!(
                "{id} out connected=true cp=203/Carol Desk q=- up/up"
            )],
            "{file}"
        );
        r.finish(&mut sb);
        for e in ["201", "202", "203"] {
            assert_eq!(convs(&sb, e), Vec::<String>::new(), "{file} {e}");
        }
    }
}

#[test]
fn attended_transfer_consults_then_bridges_201_and_203() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("e-attended-transfer-atxfer.ami");
    r.until(&mut sb, Some("UA ua203 answers"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-00000012> out connected=false cp=202/Bob Agent q=- up/-"]
    );
    assert_eq!(
        convs(&sb, "202"),
        ["PJSIP/202-00000013>Local/203@internal-00000002;1 out connected=false cp=203/Carol Desk q=- up/ringing"]
    );
    assert_eq!(
        convs(&sb, "203"),
        ["Local/203@internal-00000002;2>PJSIP/203-00000014 in connected=false cp=202/Bob Agent q=- ring/ringing"]
    );
    r.until(&mut sb, Some("UA ua202 hangs up"));
    assert_eq!(
        convs(&sb, "203"),
        ["Local/203@internal-00000002;2>PJSIP/203-00000014 in connected=true cp=202/Bob Agent q=- up/up"]
    );
    let done = r.until(&mut sb, Some("UA ua203 hangs up"));
    assert_eq!(
        names(&done).last().map(String::as_str),
        Some("connected 201 203 out")
    );
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-00000012>PJSIP/203-00000014 out connected=true cp=203/Carol Desk q=- up/up"]
    );
    assert_eq!(
        convs(&sb, "203"),
        ["PJSIP/201-00000012>PJSIP/203-00000014 in connected=true cp=201/Alice Agent q=- up/up"]
    );
    assert_eq!(convs(&sb, "202"), Vec::<String>::new());
}

#[test]
fn park_and_pickup() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("f-park-and-pickup.ami");
    let parked = r.until(&mut sb, Some("UA ua203 dials 701"));
    assert!(names(&parked).contains(&"parking 701".to_owned()));
    assert_eq!(sb.parked_channel("701"), Some("PJSIP/201-00000015"));
    assert_eq!(
        sb.parking_json("701", NOW, false).expect("701"),
        json!({"name": "701", "parking": "701", "timeout": 45, "parkedCaller": {
            "num": "201", "name": "Alice Agent", "parking": "701",
            "channel": "PJSIP/201-00000015", "timeout": 45, "parkeeNum": "202",
            "parkeeName": "Bob Agent"}})
    );
    assert_eq!(
        sb.parking_json("701", NOW, true).expect("701")["parkedCaller"],
        json!({"num": "xxx", "name": "xxx", "parking": "701", "channel": "PJSIP/201-00000015",
            "timeout": 45, "parkeeNum": "xxx", "parkeeName": "xxx"})
    );
    let pick = r.until(&mut sb, Some("UA ua203 hangs up"));
    assert!(names(&pick).contains(&"parking 701".to_owned()));
    assert_eq!(sb.parked_channel("701"), None);
    assert_eq!(
        convs(&sb, "203"),
        ["PJSIP/201-00000015>PJSIP/203-00000017 in connected=true cp=201/Alice Agent q=- up/up"]
    );
}

#[test]
fn busy_and_unavailable_hangup_causes() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("g-busy-and-unavailable.ami");
    let p1 = r.until(&mut sb, Some("part 2"));
    assert_eq!(
        names(&p1),
        [
            "resync",
            "ext 201",
            "hangup 201 no_route_destination 201><unknown>",
            "ext 201"
        ]
    );
    let p2 = r.until(&mut sb, Some("part 3"));
    let hangups: Vec<_> = names(&p2)
        .into_iter()
        .filter(|n| n.starts_with("hangup"))
        .collect();
    assert_eq!(
        hangups,
        [
            "hangup 203 user_busy 203>201",
            "hangup 201 user_busy 201>203"
        ]
    );
    r.finish(&mut sb);
    assert_eq!(status(&sb, "204"), "offline");
    for e in ["201", "203"] {
        assert_eq!(convs(&sb, e), Vec::<String>::new());
    }
}

#[test]
fn conference_join_mute_leave_end() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("h-confbridge-801-join-leave.ami");
    r.until(&mut sb, Some("UA ua202 dials"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-0000001c> out connected=true cp=/ q=- up/-"]
    );
    let both = r.until(&mut sb, Some("UA ua201 hangs up"));
    assert_eq!(
        names(&both).iter().filter(|n| *n == "conf 801").count(),
        3,
        "join, mute, unmute"
    );
    assert_eq!(
        sb.conference_json("801"),
        json!({"id": "801", "users": {
            "201": {"id": "801-201", "name": "Alice Agent", "owner": false, "muted": false, "extenId": "201"},
            "202": {"id": "801-202", "name": "Bob Agent", "owner": false, "muted": false, "extenId": "202"}
        }})
    );
    assert_eq!(
        sb.extension_json("202", NOW, PrivacyView::Clear)
            .expect("202")["conversations"]["PJSIP/201-0000001c>PJSIP/202-0000001d"]
            ["inConference"],
        json!(true)
    );
    r.until(&mut sb, Some("UA ua202 hangs"));
    assert_eq!(sb.conference("801").map(|c| c.users.len()), Some(1));
    let end = r.finish(&mut sb);
    assert!(names(&end).contains(&"conf-end 801".to_owned()));
    assert_eq!(sb.conference_json("801"), json!({}));
}

#[test]
fn click_to_dial_has_a_conversation_while_legs_ring() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("k-originate-click-to-dial.ami");
    r.until(&mut sb, Some("UA ua201 answers"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-0000001e> out connected=false cp=202/Click2Dial q=- ringing/-"]
    );
    r.until(&mut sb, Some("UA ua202 answers"));
    assert_eq!(
        convs(&sb, "201"),
        ["PJSIP/201-0000001e>PJSIP/202-0000001f out connected=false cp=202/Bob Agent q=- up/ringing"]
    );
    r.finish(&mut sb);
    assert_eq!(convs(&sb, "201"), Vec::<String>::new());
}

#[test]
fn local_channel_originate_into_queue() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("k2-originate-local-channel.ami");
    r.until(&mut sb, Some("UA ua202 answers"));
    assert_eq!(
        convs(&sb, "202"),
        ["Local/caller@cti-helpers-00000004;1>PJSIP/202-00000020 in connected=false cp=5550100/Virtual Caller q=- up/ringing"]
    );
    r.until(&mut sb, Some("UA ua201 answers"));
    assert_eq!(
        convs(&sb, "201"),
        ["Local/caller@cti-helpers-00000005;1>PJSIP/201-00000021 in connected=false cp=5550101/Virtual Caller q=401 up/ringing"]
    );
    r.until(&mut sb, Some("UA ua201 hangs"));
    assert_eq!(
        convs(&sb, "201"),
        ["Local/caller@cti-helpers-00000005;1>PJSIP/201-00000021 in connected=true cp=5550101/Virtual Caller q=401 up/up"]
    );
    r.finish(&mut sb);
    assert_eq!(convs(&sb, "201"), Vec::<String>::new());
}

#[test]
fn hold_and_unhold_change_the_status() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let mut r = Replay::new("l-hold-unhold.ami");
    r.until(&mut sb, Some("UA 201 resumes"));
    assert_eq!(status(&sb, "201"), "onhold");
    assert_eq!(status(&sb, "202"), "busy");
    let resumed = r.until(&mut sb, Some("UA ua202 hangs"));
    assert_eq!(names(&resumed), ["ext 201"]);
    assert_eq!(status(&sb, "201"), "busy");
    r.finish(&mut sb);
    assert_eq!(status(&sb, "201"), "online");
}
