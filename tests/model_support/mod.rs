//! Shared helpers of the model tests: transcript reader, lab fixture, replay.
#![allow(dead_code)]

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::snapshot::build_snapshot;
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

fn parse_frame(body: &str) -> Option<Frame> {
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

/// Reads `fixtures/ami/<name>`.
pub fn transcript(name: &str) -> Vec<Rec> {
    let d = std::fs::read(root().join("fixtures/ami").join(name)).expect("transcript");
    let mut out = Vec::new();
    let mut i = 0;
    while i < d.len() {
        let j = i + d[i..].iter().position(|&b| b == b'\n').expect("header");
        let head = std::str::from_utf8(&d[i..j]).expect("utf8 header");
        let mut parts = head.split(' ');
        let dir = parts.next().expect("dir");
        let t: f64 = parts.next().expect("t")[1..].parse().expect("time");
        let n: usize = parts.next().expect("len")[4..].parse().expect("len");
        let body = String::from_utf8_lossy(&d[j + 1..j + 1 + n]).into_owned();
        match dir {
            "#<<" => {
                if let Some(f) = parse_frame(&body) {
                    out.push(Rec::In(t, f));
                }
            }
            "#==" => out.push(Rec::Note(t, body)),
            _ => {}
        }
        i = j + 1 + n + 1;
    }
    out
}

/// The lab switchboard (users 201-204, queue 401, trunk `trunk`, parking 701-720).
pub fn lab() -> Switchboard {
    let read = |f: &str| -> serde_json::Value {
        let s = std::fs::read_to_string(root().join("fixtures/lab").join(f)).expect("fixture");
        serde_json::from_str(&s).expect("json")
    };
    let users = Users::from_json(&read("users.json")).expect("users");
    let ast = AstObjects::from_json(&read("ast_objects.json")).expect("ast");
    Switchboard::new(&users, &ast, "xxx")
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

/// Fixed "now" of the model tests (shortly after the recordings).
pub const NOW: i64 = 1_796_322_900_000;

/// One line per conversation of an extension: id, direction, connected, counterpart,
/// queue, source/dest channel statuses.
pub fn convs(sb: &Switchboard, ext: &str) -> Vec<String> {
    use nethcti_server::domain::switchboard::PrivacyView;
    let j = sb
        .extension_json(ext, NOW, PrivacyView::Clear)
        .expect("extension");
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
