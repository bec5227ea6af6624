//! Shared helpers of the model tests: transcript reader, lab fixture, replay.
#![allow(dead_code)]

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::snapshot::build_snapshot;
use nethcti_server::adapters::ami::transcript::{self, Direction, Record};
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::domain::change::Change;
use nethcti_server::domain::directory::{AstObjects, Users};
use nethcti_server::domain::pbx_event::PbxEvent;
use nethcti_server::domain::switchboard::Switchboard;
use std::path::PathBuf;

/// One record of a transcript.
#[derive(Debug, Clone)]
pub enum Rec {
    /// A message received from Asterisk.
    In(f64, Frame),
    /// A recorder note.
    Note(f64, String),
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fields of one received message body (`Name: value` lines).
pub fn parse_frame(body: &str) -> Option<Frame> {
    let mut f = Frame::new();
    for line in body.split("\r\n") {
        if let Some((n, v)) = line.split_once(": ") {
            f.push(n, v);
        } else if let Some(n) = line.strip_suffix(':') {
            f.push(n, "");
        }
    }
    (!f.is_empty()).then_some(f)
}

/// Reads `fixtures/ami/<name>`: its received frames and notes, in order.
pub fn transcript(name: &str) -> Vec<Rec> {
    raw_transcript(name)
        .into_iter()
        .filter_map(|r| {
            let body = String::from_utf8_lossy(&r.bytes);
            match r.direction {
                Direction::Received => parse_frame(&body).map(|f| Rec::In(r.seconds, f)),
                Direction::Note => Some(Rec::Note(r.seconds, body.into_owned())),
                Direction::Sent => None,
            }
        })
        .collect()
}

/// The raw records of `fixtures/ami/<name>`.
pub fn raw_transcript(name: &str) -> Vec<Record> {
    transcript::read(root().join("fixtures/ami").join(name)).expect("transcript")
}

fn lab_json(f: &str) -> serde_json::Value {
    let s = std::fs::read_to_string(root().join("fixtures/lab").join(f)).expect("fixture");
    serde_json::from_str(&s).expect("json")
}

/// The lab users (201-204).
pub fn lab_users() -> Users {
    Users::from_json(&lab_json("users.json")).expect("users")
}

/// The lab switchboard (users 201-204, queue 401, trunk `trunk`, parking 701-720).
pub fn lab() -> Switchboard {
    let ast = AstObjects::from_json(&lab_json("ast_objects.json")).expect("ast");
    Switchboard::new(&lab_users(), &ast, "xxx")
}

/// Everything a client can see: extensions, queues, trunks, parkings and conference 801,
/// unmasked, at [`NOW`].
pub fn world(sb: &Switchboard) -> serde_json::Value {
    use nethcti_server::domain::switchboard::PrivacyView;
    serde_json::json!({
        "extensions": sb.extensions_json(NOW, PrivacyView::Clear),
        "queues": sb.queues_json(NOW, false),
        "trunks": sb.trunks_json(NOW, false),
        "parkings": sb.parkings_json(NOW, false),
        "conference801": sb.conference_json("801"),
    })
}

/// Lab switchboard loaded with the idle (or busy) start-up snapshot.
pub fn lab_loaded(startup: &str, now_ms: i64) -> (Switchboard, Vec<Change>) {
    let mut sb = lab();
    let frames: Vec<Frame> = transcript(startup)
        .into_iter()
        .filter_map(|r| match r {
            Rec::In(_, f) => Some(f),
            Rec::Note(..) => None,
        })
        .collect();
    let ch = sb.apply(
        PbxEvent::Snapshot(Box::new(build_snapshot(&frames))),
        now_ms,
    );
    (sb, ch)
}

/// Replays the received events of `recs` whose note index is in range: stops before the
/// first note containing `until` (or at the end). Returns the changes and the rest.
pub fn replay_until(
    sb: &mut Switchboard,
    recs: &[Rec],
    until: Option<&str>,
    now_ms: i64,
) -> (Vec<Change>, usize) {
    let mut out = Vec::new();
    for (i, r) in recs.iter().enumerate() {
        match r {
            Rec::Note(_, n) => {
                if until.is_some_and(|u| n.contains(u)) {
                    return (out, i + 1);
                }
            }
            Rec::In(_, f) => {
                if let Some(ev) = translate(f) {
                    out.extend(sb.apply(ev, now_ms));
                }
            }
        }
    }
    (out, recs.len())
}

/// Compact text of changes for sequence assertions.
pub fn names(ch: &[Change]) -> Vec<String> {
    ch.iter()
        .map(|c| match c {
            Change::ExtensionChanged(e) => format!("ext {e}"),
            Change::ExtensionHangup(h) => format!(
                "hangup {} {} {}>{}",
                h.channel_exten,
                h.cause.unwrap_or("-"),
                h.caller_num,
                h.called_num
            ),
            Change::Dialing(d) => format!("dialing {} from {}", d.dialing_exten, d.caller_num),
            Change::Connected(c) => format!("connected {} {} {}", c.num1, c.num2, c.direction),
            Change::QueueChanged(q) => format!("queue {q}"),
            Change::QueueMemberChanged(q, m) => format!("member {q} {m}"),
            Change::TrunkChanged(t) => format!("trunk {t}"),
            Change::ParkingChanged(p) => format!("parking {p}"),
            Change::ConferenceChanged(c) => format!("conf {c}"),
            Change::ConferenceEnded(c) => format!("conf-end {c}"),
            Change::DndChanged { exten, enabled } => format!("dnd {exten} {enabled}"),
            Change::ForwardChanged {
                exten,
                kind,
                voicemail,
                to,
                ..
            } => {
                format!("fwd {exten} {kind:?} {voicemail} {to}")
            }
            Change::ResyncRequested => "resync".into(),
        })
        .collect()
}

/// The recorded call flows (every transcript but the start-up lists, the queue-member
/// actions and the restart).
pub const CALL_FLOWS: [&str; 12] = [
    "b-internal-call-201-to-202.ami",
    "c-queue-401-answered-by-member.ami",
    "d-blind-transfer-amiblindtransfer.ami",
    "d2-blind-transfer-redirect.ami",
    "d3-blind-transfer-phone-refer.ami",
    "e-attended-transfer-atxfer.ami",
    "f-park-and-pickup.ami",
    "g-busy-and-unavailable.ami",
    "h-confbridge-801-join-leave.ami",
    "k-originate-click-to-dial.ami",
    "k2-originate-local-channel.ami",
    "l-hold-unhold.ami",
];

/// The changes of transcript b from the caller's hang-up to the end.
pub const B_HANGUP_CHANGES: [&str; 11] = [
    "ext 201",
    "ext 202",
    "ext 202",
    "ext 201",
    "hangup 202 normal_clearing 202>201",
    "ext 202",
    "ext 201",
    "ext 202",
    "hangup 201 normal_clearing 201>202",
    "ext 201",
    "ext 201",
];

/// Fixed "now" of the model tests (shortly after the recordings).
pub const NOW: i64 = 1_796_322_900_000;

/// One line per conversation of an extension: id, direction, connected, counterpart,
/// queue, source/dest channel statuses.
pub fn convs(sb: &Switchboard, ext: &str) -> Vec<String> {
    use nethcti_server::domain::switchboard::PrivacyView;
    let j = sb
        .extension_json(ext, NOW, PrivacyView::Clear)
        .expect("extension");
    conv_lines(&j)
}

/// [`convs`] of an extension's (or trunk's) JSON.
pub fn conv_lines(j: &serde_json::Value) -> Vec<String> {
    let st = |v: &serde_json::Value| {
        v.get("channelStatus")
            .and_then(|s| s.as_str())
            .unwrap_or("-")
            .to_owned()
    };
    j["conversations"]
        .as_object()
        .expect("object")
        .values()
        .map(|c| {
            format!(
                "{} {} connected={} cp={}/{} q={} {}/{}",
                c["id"].as_str().unwrap_or(""),
                c["direction"].as_str().unwrap_or(""),
                c["connected"],
                c["counterpartNum"].as_str().unwrap_or(""),
                c["counterpartName"].as_str().unwrap_or(""),
                c.get("queueId").and_then(|q| q.as_str()).unwrap_or("-"),
                st(&c["chSource"]),
                st(&c["chDest"]),
            )
        })
        .collect()
}

/// Status string of an extension.
pub fn status(sb: &Switchboard, ext: &str) -> String {
    use nethcti_server::domain::switchboard::PrivacyView;
    sb.extension_json(ext, NOW, PrivacyView::Clear)
        .expect("extension")["status"]
        .as_str()
        .unwrap_or("")
        .to_owned()
}

/// Replays a whole transcript from a loaded lab switchboard, stopping at each note
/// matching one of `stops`; returns the changes of every segment.
pub fn segments(sb: &mut Switchboard, name: &str, stops: &[&str]) -> Vec<Vec<Change>> {
    let recs = transcript(name);
    let mut rest = &recs[..];
    let mut out = Vec::new();
    for s in stops.iter().map(|s| Some(*s)).chain([None]) {
        let (ch, n) = replay_until(sb, rest, s, NOW);
        rest = &rest[n..];
        out.push(ch);
    }
    out
}

/// A transcript being replayed step by step.
pub struct Replay {
    recs: Vec<Rec>,
    pos: usize,
}

impl Replay {
    /// Opens `fixtures/ami/<name>`.
    pub fn new(name: &str) -> Self {
        Replay {
            recs: transcript(name),
            pos: 0,
        }
    }

    /// Applies events up to the next note containing `stop` (or to the end with `None`).
    pub fn until(&mut self, sb: &mut Switchboard, stop: Option<&str>) -> Vec<Change> {
        let (ch, n) = replay_until(sb, &self.recs[self.pos..], stop, NOW);
        self.pos += n;
        ch
    }

    /// Applies the remaining events.
    pub fn finish(&mut self, sb: &mut Switchboard) -> Vec<Change> {
        self.until(sb, None)
    }
}
