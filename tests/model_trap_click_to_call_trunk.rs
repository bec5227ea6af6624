//! Trap: an outgoing click-to-call has a conversation while the trunk leg is still ringing.
//!
//! No recording has an outbound click-to-call, so the AMI sequence is built from
//! scenarios.md (S1 through a trunk) with the exact header shapes Asterisk 22 sends in
//! transcript k: `Originate Channel=PJSIP/201 Context=internal Exten=90612345678
//! CallerID="Click2Dial" <0612345678>`; 201 rings and answers; the dialplan (`9X.` via trunk)
//! dials `PJSIP/0612345678@trunk`, whose leg rings (180) and then answers. The trunk endpoint
//! has no caller id of its own: its leg is created `<unknown>` and app_dial then gives it the
//! dialled extension as caller id (Dial without `o`); no connected-line update reaches 201,
//! whose connected line stays the one Originate set.
//!
//! The same frames are also pushed through the real AMI client and PBX link over TCP.

mod model_support;
#[path = "model_support/over_tcp.rs"]
mod over_tcp;
mod support;

use model_support::{conv_lines, lab_loaded, names, parse_frame, world, NOW};
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::switchboard::{PrivacyView, Switchboard};
use over_tcp::LiveLink;
use serde_json::json;

const IDLE: &str = "a-startup-queries-idle.ami";
const A: &str = "PJSIP/201-00000040";
const T: &str = "PJSIP/trunk-00000041";
const A_UID: &str = "labpbx-1796322890.80";
const T_UID: &str = "labpbx-1796322891.81";

/// The standard channel headers of an event (`prefix` `Dest` for the dialled side).
#[allow(clippy::too_many_arguments)]
fn channel(
    prefix: &str,
    chan: &str,
    state: u8,
    cid: (&str, &str),
    cl: (&str, &str),
    ctx: &str,
    exten: &str,
    uid: &str,
) -> String {
    let desc = match state {
        0 => "Down",
        5 => "Ringing",
        _ => "Up",
    };
    format!(
        "{prefix}Channel: {chan}\r\n{prefix}ChannelState: {state}\r\n\
         {prefix}ChannelStateDesc: {desc}\r\n{prefix}CallerIDNum: {}\r\n\
         {prefix}CallerIDName: {}\r\n{prefix}ConnectedLineNum: {}\r\n\
         {prefix}ConnectedLineName: {}\r\n{prefix}Language: en\r\n{prefix}AccountCode: \r\n\
         {prefix}Context: {ctx}\r\n{prefix}Exten: {exten}\r\n{prefix}Priority: 1\r\n\
         {prefix}Uniqueid: {uid}\r\n{prefix}Linkedid: {A_UID}\r\n",
        cid.0, cid.1, cl.0, cl.1
    )
}

/// 201's device state (`BUSY` from its first ring, as in transcript k; `NOT_INUSE` after)
/// and the hint state that follows it.
fn device(state: &str, hint: u8, text: &str) -> [String; 2] {
    let dev = format!("Device: PJSIP/201\r\nState: {state}\r\n");
    let ext = format!(
        "Exten: 201\r\nContext: internal\r\nHint: PJSIP/201\r\nStatus: {hint}\r\n\
         StatusText: {text}\r\n"
    );
    [
        event("DeviceStateChange", &[dev]),
        event("ExtensionStatus", &[ext]),
    ]
}

fn event(name: &str, body: &[String]) -> String {
    format!(
        "Event: {name}\r\nPrivilege: call,all\r\nSystemName: labpbx\r\n{}\r\n",
        body.concat()
    )
}

/// 201's channel: before the dialplan runs (`s`) and while it dials (`90612345678`).
fn a(state: u8, exten: &str) -> String {
    let c2d = ("0612345678", "Click2Dial");
    channel("", A, state, c2d, c2d, "internal", exten, A_UID)
}

const UNKNOWN: (&str, &str) = ("<unknown>", "<unknown>");

/// The trunk leg once app_dial set its caller id (the dialled extension) and connected line.
fn t(prefix: &str, state: u8) -> String {
    let cid = ("90612345678", "<unknown>");
    let cl = ("0612345678", "Click2Dial");
    channel(prefix, T, state, cid, cl, "from-trunk", "s", T_UID)
}

/// The event frames up to (and not including) each of the three moments: 201 rings,
/// the trunk leg rings, the call is up; then the hang-up.
fn steps() -> [Vec<String>; 4] {
    let a_new = channel(
        "",
        A,
        0,
        ("201", "Alice Agent"),
        UNKNOWN,
        "internal",
        "s",
        A_UID,
    );
    let c2d = ("0612345678", "Click2Dial");
    let a_dest = channel("Dest", A, 0, c2d, c2d, "internal", "s", A_UID);
    let pres = || "CID-CallingPres: 0 (Presentation Allowed, Not Screened)\r\n".to_owned();
    let cause = || "Cause: 16\r\nCause-txt: Normal Clearing\r\n".to_owned();
    let dial =
        "Extension: 90612345678\r\nApplication: Dial\r\nAppData: PJSIP/0612345678@trunk,60\r\n";
    let bridge = "BridgeUniqueid: 6d1c7a8e-0a41-4f0e-9d51-2b7f5d2f1c11\r\nBridgeType: basic\r\n";
    [
        vec![
            event("Newchannel", &[a_new]),
            event("NewCallerid", &[a(0, "s"), pres()]),
            event("NewConnectedLine", &[a(0, "s")]),
            event("DialBegin", &[a_dest, "DialString: 201\r\n".into()]),
            event("Newstate", &[a(5, "s")]),
        ]
        .into_iter()
        .chain(device("BUSY", 2, "Busy"))
        .collect(),
        vec![
            event("Newstate", &[a(6, "s")]),
            event("Newexten", &[a(6, "90612345678"), dial.into()]),
            event(
                "Newchannel",
                &[channel(
                    "",
                    T,
                    0,
                    UNKNOWN,
                    UNKNOWN,
                    "from-trunk",
                    "s",
                    T_UID,
                )],
            ),
            event("NewCallerid", &[t("", 0), pres()]),
            event("NewConnectedLine", &[t("", 0)]),
            event(
                "DialBegin",
                &[
                    a(6, "90612345678"),
                    t("Dest", 0),
                    "DialString: 0612345678@trunk\r\n".into(),
                ],
            ),
            event("Newstate", &[t("", 5)]),
            event(
                "DialState",
                &[
                    a(6, "90612345678"),
                    t("Dest", 5),
                    "DialStatus: RINGING\r\n".into(),
                ],
            ),
        ],
        vec![
            event("Newstate", &[t("", 6)]),
            event(
                "DialEnd",
                &[
                    a(6, "90612345678"),
                    t("Dest", 6),
                    "DialStatus: ANSWER\r\n".into(),
                ],
            ),
            event("BridgeCreate", &[bridge.into()]),
            event("BridgeEnter", &[t("", 6), bridge.into()]),
            event("BridgeEnter", &[a(6, "90612345678"), bridge.into()]),
        ],
        vec![
            event("BridgeLeave", &[t("", 6), bridge.into()]),
            event("BridgeLeave", &[a(6, "90612345678"), bridge.into()]),
            event("Hangup", &[t("", 6), cause()]),
            event("Hangup", &[a(6, "90612345678"), cause()]),
        ]
        .into_iter()
        .chain(device("NOT_INUSE", 0, "Idle"))
        .collect(),
    ]
}

fn apply(sb: &mut Switchboard, frames: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for text in frames {
        let f = parse_frame(text).expect("frame");
        if let Some(ev) = translate(&f) {
            out.extend(sb.apply(ev, NOW));
        }
    }
    names(&out)
}

fn ext(sb: &Switchboard) -> serde_json::Value {
    sb.extension_json("201", NOW, PrivacyView::Clear)
        .expect("201")
}

#[test]
fn outbound_click_to_call_has_a_conversation_while_the_trunk_leg_rings() {
    let (mut sb, _) = lab_loaded(IDLE, NOW);
    let [ring_201, ring_trunk, up, hangup] = steps();
    apply(&mut sb, &ring_201);
    assert_eq!(
        conv_lines(&ext(&sb)),
        ["PJSIP/201-00000040> out connected=false cp=0612345678/Click2Dial q=- ringing/-"]
    );
    assert_eq!(
        apply(&mut sb, &ring_trunk),
        [
            "ext 201",
            "trunk trunk",
            "trunk trunk",
            "ext 201",
            "trunk trunk",
            "trunk trunk",
            "ext 201"
        ]
    );
    let id = "PJSIP/201-00000040>PJSIP/trunk-00000041";
    let ch_dest = json!({
        "type": "dest", "channel": T, "callerNum": "90612345678",
        "startTime": 1_796_322_891_000_i64, "callerName": "<unknown>",
        "bridgedNum": "0612345678", "bridgedName": "Click2Dial", "inConference": false,
        "channelStatus": "ringing", "bridgedChannel": A
    });
    let ch_source = json!({
        "type": "source", "channel": A, "callerNum": "0612345678",
        "startTime": 1_796_322_890_000_i64, "callerName": "Click2Dial",
        "bridgedNum": "0612345678", "bridgedName": "Click2Dial", "inConference": false,
        "channelStatus": "up", "bridgedChannel": T
    });
    assert_eq!(
        ext(&sb)["conversations"],
        json!({ id: {
            "id": id, "owner": "201", "chDest": ch_dest, "linkedId": A_UID, "uniqueId": A_UID,
            "chSource": ch_source, "duration": 10, "startTime": 1_796_322_890_000_i64,
            "connected": false, "recording": "false", "direction": "out",
            "inConference": false, "throughQueue": false, "throughTrunk": true,
            "counterpartNum": "0612345678", "counterpartName": "Click2Dial"
        }})
    );
    assert_eq!(ext(&sb)["status"], "busy");
    // the trunk's own view (spec §5.3: internal = the trunk leg's connected line, external
    // = its caller id, which app_dial set to the dialled extension)
    assert_eq!(
        sb.trunk_json("trunk", NOW, false).expect("trunk"),
        json!({
            "ip": "", "port": "", "name": "Lab Carrier", "exten": "trunk", "codecs": [],
            "status": "offline", "registration": "unmonitored", "chanType": "pjsip",
            "maxChannels": 4,
            "conversations": { id: {
                "id": id, "owner": "trunk", "chDest": ch_dest, "chSource": ch_source,
                "duration": 10, "recording": "false", "direction": "out",
                "internalNum": "0612345678", "internalName": "Click2Dial",
                "externalNum": "90612345678", "externalName": "<unknown>",
                "throughQueue": false
            }}
        })
    );
    apply(&mut sb, &up);
    assert_eq!(
        conv_lines(&ext(&sb)),
        [format!(
            "{id} out connected=true cp=0612345678/Click2Dial q=- up/up"
        )]
    );
    apply(&mut sb, &hangup);
    assert_eq!(ext(&sb)["conversations"], json!({}));
    assert_eq!(ext(&sb)["status"], "online");
    assert_eq!(
        conv_lines(&sb.trunk_json("trunk", NOW, false).expect("trunk")),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn over_tcp_the_outbound_click_to_call_gives_the_same_changes_and_json() {
    let (mut direct, _) = lab_loaded(IDLE, NOW);
    let (mut link, _) = LiveLink::start(IDLE).await;
    for step in steps() {
        let want = apply(&mut direct, &step);
        let got = link.push(step.concat().as_bytes()).await;
        assert_eq!(names(&got), want);
        assert_eq!(link.world(), world(&direct));
    }
}
