//! The recorded flows replayed through the real AMI adapter over TCP: the fake AMI server
//! pushes each transcript's received bytes (cut at odd offsets) to the real `AmiClient`, the
//! application's `pbx_link` feeds a `LiveModel`. At every note of every transcript the
//! extension/queue/trunk/parking/conference JSON and the changes emitted since the previous
//! note are exactly those of the direct path (`translate` + `Switchboard::apply`, which
//! `model_flows`/`model_traps` pin with exact JSON). Between two notes an event of a name
//! the adapter does not know (`FutureThing`) is pushed as a barrier: it is dropped and
//! counted, and everything after it still comes out the same.

mod model_support;
#[path = "model_support/over_tcp.rs"]
mod over_tcp;
mod support;

use model_support::{
    conv_lines, lab_loaded, names, transcript, world, Rec, B_HANGUP_CHANGES, CALL_FLOWS, NOW,
};
use nethcti_server::adapters::ami::classify::{classify, Translation};
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::change::Change;
use over_tcp::{flow_segments, LiveLink};
use serde_json::{json, Value};

const IDLE: &str = "a-startup-queries-idle.ami";

/// Every flow transcript the model tests replay.
fn flows() -> impl Iterator<Item = &'static str> {
    CALL_FLOWS
        .into_iter()
        .chain(["i-queue-member-add-pause-remove.ami"])
}

/// The state at one note: the note, the changes since the previous one, everything visible.
#[derive(Debug, Clone, PartialEq)]
struct Moment {
    note: Option<String>,
    changes: Vec<Change>,
    world: Value,
}

/// A whole replay: the changes of the first load, then one moment per note (and the end).
#[derive(Debug, Clone, PartialEq)]
struct Run {
    load: Vec<Change>,
    moments: Vec<Moment>,
}

impl Run {
    fn at(&self, note: &str) -> &Moment {
        self.moments
            .iter()
            .find(|m| m.note.as_deref().is_some_and(|n| n.contains(note)))
            .unwrap_or_else(|| panic!("no note {note:?}"))
    }

    fn end(&self) -> &Moment {
        self.moments.last().expect("a last moment")
    }
}

fn direct(name: &str) -> Run {
    let (mut sb, load) = lab_loaded(IDLE, NOW);
    let mut moments = Vec::new();
    let mut changes = Vec::new();
    for r in transcript(name) {
        match r {
            Rec::In(_, f) => {
                if let Some(ev) = translate(&f) {
                    changes.extend(sb.apply(ev, NOW));
                }
            }
            Rec::Note(_, note) => moments.push(Moment {
                note: Some(note),
                changes: std::mem::take(&mut changes),
                world: world(&sb),
            }),
        }
    }
    moments.push(Moment {
        note: None,
        changes,
        world: world(&sb),
    });
    Run { load, moments }
}

async fn over_tcp(name: &str) -> Run {
    let (mut link, load) = LiveLink::start(IDLE).await;
    let mut moments = Vec::new();
    for seg in flow_segments(name) {
        let changes = link.push(&seg.bytes).await;
        moments.push(Moment {
            note: seg.until_note,
            changes,
            world: link.world(),
        });
    }
    Run { load, moments }
}

fn assert_same(name: &str, tcp: &Run, direct: &Run) {
    assert_eq!(tcp.load, direct.load, "{name}: first load");
    assert_eq!(tcp.moments.len(), direct.moments.len(), "{name}: moments");
    for (t, d) in tcp.moments.iter().zip(&direct.moments) {
        assert_eq!(t, d, "{name} at note {:?}", d.note);
    }
}

fn ext<'a>(m: &'a Moment, e: &str) -> &'a Value {
    &m.world["extensions"][e]
}

#[tokio::test]
async fn every_flow_over_tcp_gives_exactly_the_direct_changes_and_json_at_every_note() {
    for name in flows() {
        let tcp = over_tcp(name).await;
        let direct = direct(name);
        assert_same(name, &tcp, &direct);
        let changed: usize = tcp.moments.iter().map(|m| m.changes.len()).sum();
        assert!(changed > 0, "{name}: something changed");
    }
}

#[tokio::test]
async fn internal_call_201_to_202_over_tcp_ringing_connected_hangup() {
    let name = "b-internal-call-201-to-202.ami";
    let tcp = over_tcp(name).await;
    assert_same(name, &tcp, &direct(name));
    let id = "PJSIP/201-00000004>PJSIP/202-00000005";
    let ringing = tcp.at("UA ua202 answers");
    assert_eq!(
        ext(ringing, "201"),
        &json!({
            "ip": "127.0.0.1", "cf": "", "mac": "00-15-65-aa-bb-01", "cfb": "", "cfu": "",
            "dnd": false, "cfVm": "", "port": "5170", "name": "Alice Agent", "cfbVm": "",
            "cfuVm": "", "exten": "201", "codecs": [], "status": "busy", "context": "",
            "chanType": "pjsip", "username": "alice",
            "sipuseragent": "baresip v1.0.0 (x86_64/linux)",
            "conversations": { id: {
                "id": id, "owner": "201",
                "chDest": {
                    "type": "dest", "channel": "PJSIP/202-00000005", "callerNum": "202",
                    "startTime": 1_796_322_712_000_i64, "callerName": "Bob Agent",
                    "bridgedNum": "201", "bridgedName": "Alice Agent", "inConference": false,
                    "channelStatus": "ringing", "bridgedChannel": "PJSIP/201-00000004"
                },
                "linkedId": "labpbx-1796322712.8", "uniqueId": "labpbx-1796322712.8",
                "chSource": {
                    "type": "source", "channel": "PJSIP/201-00000004", "callerNum": "201",
                    "startTime": 1_796_322_712_000_i64, "callerName": "Alice Agent",
                    "bridgedNum": "202", "bridgedName": "Bob Agent", "inConference": false,
                    "channelStatus": "ring", "bridgedChannel": "PJSIP/202-00000005"
                },
                "duration": 188, "startTime": 1_796_322_712_000_i64, "connected": false,
                "recording": "false", "direction": "out", "inConference": false,
                "throughQueue": false, "throughTrunk": false,
                "counterpartNum": "202", "counterpartName": "Bob Agent"
            }}
        })
    );
    assert_eq!(
        conv_lines(ext(ringing, "202")),
        [format!(
            "{id} in connected=false cp=201/Alice Agent q=- ring/ringing"
        )]
    );
    // Asterisk itself reports the hint of a ringing 202 as Busy (ExtensionStatus 2)
    assert_eq!(ext(ringing, "202")["status"], "busy");
    let connected = tcp.at("UA ua201 hangs up");
    assert_eq!(
        conv_lines(ext(connected, "201")),
        [format!(
            "{id} out connected=true cp=202/Bob Agent q=- up/up"
        )]
    );
    assert_eq!(
        conv_lines(ext(connected, "202")),
        [format!(
            "{id} in connected=true cp=201/Alice Agent q=- up/up"
        )]
    );
    for e in ["201", "202"] {
        assert_eq!(ext(connected, e)["status"], "busy");
    }
    let hung_up = tcp.at("connection closed by peer");
    assert_eq!(names(&hung_up.changes), B_HANGUP_CHANGES);
    for e in ["201", "202"] {
        assert_eq!(ext(hung_up, e)["conversations"], json!({}));
        assert_eq!(ext(hung_up, e)["status"], "online");
    }
}

#[tokio::test]
async fn queue_call_over_tcp_ringing_connected_hangup() {
    let name = "c-queue-401-answered-by-member.ami";
    let tcp = over_tcp(name).await;
    assert_same(name, &tcp, &direct(name));
    let via_201 = "PJSIP/trunk-00000006>PJSIP/201-00000007";
    let via_202 = "PJSIP/trunk-00000006>PJSIP/202-00000008";
    let ringing = tcp.at("UA ua202 answers");
    assert_eq!(
        ringing.world["queues"]["401"]["waitingCallers"],
        json!({"PJSIP/trunk-00000006": {
            "id": "PJSIP/trunk-00000006", "num": "0301234567", "name": "Carrier Caller",
            "queue": "401", "waiting": 0, "channel": "PJSIP/trunk-00000006", "position": "1",
            "waitingTime": NOW
        }})
    );
    assert_eq!(
        conv_lines(ext(ringing, "201")),
        [format!(
            "{via_201} in connected=false cp=0301234567/Carrier Caller q=401 up/ringing"
        )]
    );
    assert_eq!(
        conv_lines(ext(ringing, "202")),
        [format!(
            "{via_202} in connected=false cp=0301234567/Carrier Caller q=401 up/ringing"
        )]
    );
    let connected = tcp.at("UA trunk hangs up");
    assert_eq!(
        connected.world["queues"]["401"]["waitingCallers"],
        json!({})
    );
    assert_eq!(conv_lines(ext(connected, "201")), Vec::<String>::new());
    assert_eq!(
        conv_lines(ext(connected, "202")),
        [format!(
            "{via_202} in connected=true cp=0301234567/Carrier Caller q=401 up/up"
        )]
    );
    assert_eq!(
        conv_lines(&connected.world["trunks"]["trunk"]),
        [format!("{via_202} in connected=null cp=/ q=- up/up")]
    );
    let hung_up = tcp.at("connection closed by peer");
    assert_eq!(
        names(&hung_up.changes),
        [
            "trunk trunk",
            "ext 202",
            "ext 202",
            "trunk trunk",
            "trunk trunk",
            "ext 202",
            "hangup 202 normal_clearing 202>0301234567",
            "ext 202",
            "ext 202",
            "member 401 202"
        ]
    );
    assert_eq!(
        hung_up.world["queues"]["401"]["members"]["202"],
        json!({
            "type": "dynamic", "name": "Bob Agent", "queue": "401", "member": "202",
            "paused": false, "loggedIn": true, "callsTakenCount": 1,
            "lastCallTimestamp": 1_796_322_727, "lastPausedInReason": "",
            "lastPausedInTimestamp": 0, "lastPausedOutTimestamp": 0
        })
    );
    assert_eq!(
        conv_lines(&hung_up.world["trunks"]["trunk"]),
        Vec::<String>::new()
    );
    for e in ["201", "202"] {
        assert_eq!(ext(hung_up, e)["status"], "online");
    }
}

/// Unknown events spliced between the frames of the internal call (one after each of its
/// first 40 frames, everything pushed in odd-sized pieces) change nothing: same changes,
/// same JSON.
#[tokio::test]
async fn unknown_events_between_frames_do_not_disturb_the_following_events() {
    let name = "b-internal-call-201-to-202.ami";
    let all: Vec<u8> = flow_segments(name)
        .into_iter()
        .flat_map(|s| s.bytes)
        .collect();
    let text = String::from_utf8(all).expect("utf-8 transcript");
    let mut spliced = String::new();
    let mut inserted = 0;
    for (i, frame) in text.split_inclusive("\r\n\r\n").enumerate() {
        spliced.push_str(frame);
        if i < 40 {
            inserted += 1;
            spliced.push_str(&format!(
                "Event: FutureThing\r\nPrivilege: call,all\r\nChannel: PJSIP/201-00000004\r\n\
                 Uniqueid: labpbx-1796322712.8\r\nSeq: {i}\r\n\r\n"
            ));
        }
    }
    let (mut link, _) = LiveLink::start(IDLE).await;
    let changes = link.push_counting(spliced.as_bytes(), inserted).await;
    let d = direct(name);
    let want: Vec<Change> = d.moments.iter().flat_map(|m| m.changes.clone()).collect();
    assert_eq!(changes, want);
    assert_eq!(link.world(), d.end().world);
    assert_eq!(link.unknown(), 41);
}

/// The barrier events are the only unknown ones: every event the real transcripts carry
/// is either used or deliberately ignored.
#[test]
fn the_recorded_transcripts_hold_no_event_of_unknown_name() {
    let mut unknown = Vec::new();
    let others = [
        IDLE,
        "a-startup-queries-busy.ami",
        "j-reload-and-restart.ami",
    ];
    for name in flows().chain(others) {
        for r in transcript(name) {
            if let Rec::In(_, f) = r {
                if let Translation::Unknown { name } = classify(&f) {
                    unknown.push(name);
                }
            }
        }
    }
    assert_eq!(unknown, Vec::<String>::new());
}
