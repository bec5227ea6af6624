//! Shared helpers of the simulator tests: start a lab simulator on a loopback port, an
//! AMI test client over real TCP, and a reader of the recorded transcripts.
#![allow(dead_code)]

use futures::{SinkExt, StreamExt};
use nethcti_server::adapters::ami::codec::{AmiCodec, AmiMessage};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript::{self as ami_transcript, Direction};
use nethcti_server::adapters::sim::wire::decode_one;
use nethcti_server::adapters::sim::{SimConfig, SimHandle, SimPbx};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::Framed;
use tokio_util::sync::CancellationToken;

/// Guard against a hung test (not a timing assertion).
const GUARD: Duration = Duration::from_secs(10);

/// A running simulator.
pub struct Sim {
    pub handle: SimHandle,
    pub cancel: CancellationToken,
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

/// Starts the lab PBX of the transcripts (phones answer only when told to).
pub async fn start(cfg: SimConfig) -> Sim {
    start_logged(cfg, slog::Logger::root(slog::Discard, slog::o!())).await
}

/// [`start`] with the simulator logging to `log`.
pub async fn start_logged(cfg: SimConfig, log: slog::Logger) -> Sim {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let cancel = CancellationToken::new();
    let handle = SimPbx::start(cfg, listener, log, cancel.clone());
    Sim { handle, cancel }
}

/// An AMI client over TCP, framed with the shared AMI codec.
pub struct Client {
    io: Framed<TcpStream, AmiCodec>,
    seq: u64,
    /// Events received while waiting for responses, in order.
    pub events: Vec<Frame>,
}

impl Client {
    /// Connects and reads the banner.
    pub async fn connect(sim: &Sim) -> (Self, String) {
        let addr = sim.handle.local_addr().expect("addr");
        let sock = TcpStream::connect(addr).await.expect("connect");
        let mut c = Self {
            io: Framed::new(sock, AmiCodec::new()),
            seq: 0,
            events: Vec::new(),
        };
        let banner = match c.next().await {
            Some(AmiMessage::Banner(b)) => b,
            other => panic!("expected the banner, got {other:?}"),
        };
        (c, banner)
    }

    /// Connects and logs in as `cti`/`ctisecret`; returns the client.
    pub async fn logged_in(sim: &Sim) -> Self {
        let (mut c, _) = Self::connect(sim).await;
        let r = c
            .send(&[
                ("Action", "Login"),
                ("ActionID", "l1"),
                ("Username", "cti"),
                ("Secret", "ctisecret"),
            ])
            .await;
        assert_eq!(r.get("Response"), Some("Success"));
        let fb = c.read_frame().await.expect("FullyBooted");
        assert_eq!(fb.event(), Some("FullyBooted"));
        c
    }

    async fn next(&mut self) -> Option<AmiMessage> {
        match tokio::time::timeout(GUARD, self.io.next()).await {
            Ok(Some(Ok(m))) => Some(m),
            Ok(Some(Err(_))) | Ok(None) => None,
            Err(_) => panic!("no data from the simulator within the guard time"),
        }
    }

    /// Reads the next message, `None` when the server closed the connection.
    pub async fn read_frame(&mut self) -> Option<Frame> {
        loop {
            match self.next().await? {
                AmiMessage::Frame(f) => return Some(f),
                AmiMessage::Banner(_) => continue,
            }
        }
    }

    /// Writes raw bytes.
    pub async fn write_raw(&mut self, b: &[u8]) {
        self.io.get_mut().write_all(b).await.expect("write");
    }

    /// Sends an action given as pairs.
    pub async fn send_only(&mut self, pairs: &[(&str, &str)]) {
        let f = Frame::from_pairs(pairs.iter().map(|(a, b)| (*a, *b)));
        self.io.send(f).await.expect("send");
    }

    /// Sends an action and returns its response; events and list items received
    /// meanwhile go to [`Client::events`].
    pub async fn send(&mut self, pairs: &[(&str, &str)]) -> Frame {
        let f = Frame::from_pairs(pairs.iter().map(|(a, b)| (*a, *b)));
        self.send_frame(&f).await
    }

    /// Sends a frame and returns its response.
    pub async fn send_frame(&mut self, f: &Frame) -> Frame {
        self.io.send(f.clone()).await.expect("send");
        loop {
            let r = self.read_frame().await.expect("response");
            if r.response().is_some() && r.event().is_none() {
                return r;
            }
            self.events.push(r);
        }
    }

    /// Sends an action and returns every message up to the `EventList: Complete` event
    /// (or just the response when it is not a list).
    pub async fn list(&mut self, pairs: &[(&str, &str)]) -> Vec<Frame> {
        let r = self.send(pairs).await;
        let is_list = r.get("EventList") == Some("start");
        let mut out = vec![r];
        if !is_list {
            return out;
        }
        let id = pairs
            .iter()
            .find(|(k, _)| *k == "ActionID")
            .map(|(_, v)| *v);
        loop {
            let f = self.read_frame().await.expect("list item");
            let done = f.get("EventList") == Some("Complete") && f.action_id() == id;
            if f.action_id() == id {
                out.push(f);
            } else {
                self.events.push(f);
            }
            if done {
                return out;
            }
        }
    }

    /// Pings and returns every event received before the Pong (all events of the steps
    /// already done have been delivered by then).
    pub async fn sync(&mut self) -> Vec<Frame> {
        self.seq += 1;
        let id = format!("sync-{}", self.seq);
        let r = self.send(&[("Action", "Ping"), ("ActionID", &id)]).await;
        assert_eq!(r.get("Ping"), Some("Pong"));
        std::mem::take(&mut self.events)
    }
}

/// Path of a recorded transcript in `fixtures/ami/`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/ami")
        .join(name)
}

/// One transcript record.
#[derive(Debug, Clone)]
pub enum Record {
    /// Sent by the client.
    Sent(Frame),
    /// Received from Asterisk (banner excluded).
    Received(Frame),
    /// A recorder note.
    Note(String),
}

/// Reads a transcript with the shared reader; bodies are decoded with the AMI codec.
pub fn transcript(name: &str) -> Vec<Record> {
    let records = ami_transcript::read(fixture(name)).expect("fixture");
    let mut out = Vec::new();
    for r in records {
        let text = String::from_utf8_lossy(&r.bytes).into_owned();
        match r.direction {
            Direction::Note => out.push(Record::Note(text)),
            _ if text.starts_with("Asterisk Call Manager") => {}
            Direction::Received => out.push(Record::Received(decode_one(&r.bytes).expect("frame"))),
            Direction::Sent => out.push(Record::Sent(decode_one(&r.bytes).expect("frame"))),
        }
    }
    out
}
