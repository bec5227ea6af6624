//! The live model fed over real TCP: the fake AMI server answers the start-up lists from a
//! recorded transcript and pushes a flow transcript's received bytes to the real
//! `AmiClient`; the application's `pbx_link::run` feeds a `LiveModel`.
//!
//! Included (with `#[path]`) by test binaries that also have `mod support;` and
//! `mod model_support;`.
#![allow(dead_code)]

use crate::model_support::{lab, lab_users, parse_frame, raw_transcript, world, NOW};
use crate::support::fake_ami::{error, Answer, FakeAmi};
use crate::support::{quiet, settings};
use nethcti_server::adapters::ami::client::AmiClient;
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript::{Direction, Record};
use nethcti_server::adapters::push::Broadcast;
use nethcti_server::app::live::{pbx_link, BroadcastSink, ChangeObserver, LinkStats, LiveModel};
use nethcti_server::app::operations::SharedModel;
use nethcti_server::domain::change::Change;
use nethcti_server::ports::clock::ManualClock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Sizes the pushed bytes are cut into, in turn (odd, so cuts land inside lines, inside
/// `\r\n` pairs and inside the blank line that ends a frame).
const CUTS: [usize; 6] = [1, 3, 7, 13, 31, 97];

#[derive(Default)]
struct Recorder(Mutex<Vec<Change>>);

impl ChangeObserver for Recorder {
    fn observe(&self, changes: &[Change]) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(changes);
    }
}

struct Discard;

impl BroadcastSink for Discard {
    fn send(&self, _: &Broadcast) {}
}

/// A fake AMI, the real client and link, and the live model they feed.
pub struct LiveLink {
    /// The fake server.
    pub fake: FakeAmi,
    model: Arc<LiveModel>,
    stats: Arc<LinkStats>,
    changes: Arc<Recorder>,
    barriers: u64,
    expected_unknown: u64,
    shutdown: CancellationToken,
}

impl Drop for LiveLink {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// `DBGetTree` answers built from a transcript's `DBGetResponse` items (the recording asked
/// key by key with `DBGet`; the link asks family by family).
fn db_tree_answers(records: &[Record]) -> impl Fn(&Frame) -> Vec<Answer> + Send + Sync {
    let items: Vec<Frame> = records
        .iter()
        .filter(|r| r.direction == Direction::Received)
        .filter_map(|r| parse_frame(&String::from_utf8_lossy(&r.bytes)))
        .filter(|f| f.event() == Some("DBGetResponse"))
        .collect();
    move |req| {
        let family = req.get_or_empty("Family");
        let found: Vec<Answer> = items
            .iter()
            .filter(|f| f.get_or_empty("Family") == family)
            .map(|f| {
                let key = format!("/{family}/{}", f.get_or_empty("Key"));
                Answer::Frame(
                    Frame::new()
                        .with("Event", "DBGetTreeResponse")
                        .with("Key", &key)
                        .with("Val", f.get_or_empty("Val")),
                )
            })
            .collect();
        if found.is_empty() {
            return vec![error("Database entry not found")];
        }
        let n = found.len().to_string();
        let mut out = vec![Answer::Frame(
            Frame::new()
                .with("Response", "Success")
                .with("EventList", "start")
                .with("Message", "Result will follow"),
        )];
        out.extend(found);
        out.push(Answer::Frame(
            Frame::new()
                .with("Event", "DBGetTreeComplete")
                .with("EventList", "Complete")
                .with("ListItems", &n),
        ));
        out
    }
}

/// Waits (real time, at most 10 s) until `done` holds.
async fn wait_until(what: &str, done: impl Fn() -> bool) {
    let poll = async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), poll)
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
}

impl LiveLink {
    /// Starts everything on the lab configuration, the start-up lists answered from
    /// `fixtures/ami/<startup>`; returns once the first load is applied, with its changes.
    pub async fn start(startup: &str) -> (Self, Vec<Change>) {
        let fake = FakeAmi::start().await;
        let records = raw_transcript(startup);
        fake.answer_from_transcript_repeating(&records);
        fake.on("DBGetTree", db_tree_answers(&records));
        let changes = Arc::new(Recorder::default());
        let shared = SharedModel::new(lab(), lab_users());
        let model = Arc::new(
            LiveModel::new(shared, Arc::new(ManualClock::new(NOW)), Arc::new(Discard))
                .with_observer(changes.clone()),
        );
        let shutdown = CancellationToken::new();
        let (client, notices, _task) = AmiClient::spawn(settings(&fake), quiet(), shutdown.clone());
        let ready = Arc::new(AtomicBool::new(false));
        let stats = Arc::new(LinkStats::default());
        tokio::spawn(pbx_link::run(
            client,
            notices,
            model.clone(),
            ready.clone(),
            stats.clone(),
            quiet(),
            shutdown.clone(),
        ));
        wait_until("the first load", || ready.load(Ordering::SeqCst)).await;
        let mut link = LiveLink {
            fake,
            model,
            stats,
            changes,
            barriers: 0,
            expected_unknown: 0,
            shutdown,
        };
        let load = link.take_changes();
        (link, load)
    }

    fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(
            &mut *self
                .changes
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Pushes `bytes` in odd-sized pieces, then a barrier event of a name the adapter does
    /// not know; waits until the link has counted it (so everything before it is applied)
    /// and returns the changes the bytes caused. Only while no action is in flight (the
    /// fake would write its answers between the pieces): after a reconnect, `push(b"")`
    /// first, whose barrier comes out once the link's load is done.
    pub async fn push(&mut self, bytes: &[u8]) -> Vec<Change> {
        self.push_counting(bytes, 0).await
    }

    /// [`LiveLink::push`] of bytes that themselves hold `unknown` events of unknown name.
    pub async fn push_counting(&mut self, bytes: &[u8], unknown: u64) -> Vec<Change> {
        let mut rest = bytes;
        for cut in CUTS.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, tail) = rest.split_at((*cut).min(rest.len()));
            self.fake.push_raw(piece);
            rest = tail;
        }
        self.barriers += 1;
        self.expected_unknown += unknown + 1;
        let barrier = format!("Event: FutureThing\r\nBarrier: {}\r\n\r\n", self.barriers);
        self.fake.push_raw(barrier.as_bytes());
        let (stats, want) = (self.stats.clone(), self.expected_unknown);
        wait_until("the barrier event", move || stats.unknown() >= want).await;
        assert_eq!(
            self.stats.unknown(),
            want,
            "unknown events: the expected ones only"
        );
        self.take_changes()
    }

    /// Events of unknown name the link dropped so far (barriers included).
    pub fn unknown(&self) -> u64 {
        self.stats.unknown()
    }

    /// [`world`] of the live switchboard.
    pub fn world(&self) -> serde_json::Value {
        self.model.read(world)
    }
}

/// The received bytes of a transcript between two notes, and the note that ends them.
#[derive(Debug, Clone)]
pub struct Segment {
    /// Which connection of the transcript (0 for the first) the bytes came on.
    pub connection: usize,
    /// The note right after these bytes (`None` for the end of the transcript).
    pub until_note: Option<String>,
    /// The received bytes (banner and login answer left out).
    pub bytes: Vec<u8>,
}

/// The received bytes of a transcript's connections after the banner and the login answers,
/// cut at every note.
pub fn flow_segments(name: &str) -> Vec<Segment> {
    let records = raw_transcript(name);
    let login_answers: Vec<String> = records
        .iter()
        .filter(|r| r.direction == Direction::Sent)
        .filter_map(|r| {
            let text = String::from_utf8_lossy(&r.bytes);
            let id = text.lines().find_map(|l| l.strip_prefix("ActionID: "))?;
            text.contains("Action: Login")
                .then(|| format!("ActionID: {id}\r\n"))
        })
        .collect();
    assert!(!login_answers.is_empty(), "a login in {name}");
    let mut connection = 0;
    let mut out = Vec::new();
    let mut bytes = Vec::new();
    for r in &records {
        let text = String::from_utf8_lossy(&r.bytes);
        match r.direction {
            Direction::Note => {
                out.push(Segment {
                    connection,
                    until_note: Some(text.into_owned()),
                    bytes: std::mem::take(&mut bytes),
                });
                if r.is_connect_note() && out.len() > 1 {
                    connection += 1;
                }
            }
            Direction::Received
                if !text.starts_with("Asterisk Call Manager/")
                    && !login_answers.iter().any(|l| text.contains(l.as_str())) =>
            {
                bytes.extend_from_slice(&r.bytes);
            }
            Direction::Received | Direction::Sent => {}
        }
    }
    out.push(Segment {
        connection,
        until_note: None,
        bytes,
    });
    out
}
