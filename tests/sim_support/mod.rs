//! Shared helpers of the simulator tests: start a lab simulator on a loopback port, an
//! AMI test client over real TCP, and a reader of the recorded transcripts.
#![allow(dead_code)]

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::sim::wire::parse_action;
use nethcti_server::adapters::sim::{SimConfig, SimHandle, SimPbx};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
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
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let cancel = CancellationToken::new();
    let log = slog::Logger::root(slog::Discard, slog::o!());
    let handle = SimPbx::start(cfg, listener, log, cancel.clone());
    Sim { handle, cancel }
}

/// An AMI client over TCP.
pub struct Client {
    sock: TcpStream,
    buf: Vec<u8>,
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
            sock,
            buf: Vec::new(),
            seq: 0,
            events: Vec::new(),
        };
        let banner = c.read_line().await;
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

    async fn fill(&mut self) -> bool {
        let mut tmp = [0u8; 8192];
        match tokio::time::timeout(GUARD, self.sock.read(&mut tmp)).await {
            Ok(Ok(0)) | Ok(Err(_)) => false,
            Ok(Ok(n)) => {
                self.buf.extend_from_slice(&tmp[..n]);
                true
            }
            Err(_) => panic!("no data from the simulator within the guard time"),
        }
    }

    async fn read_line(&mut self) -> String {
        loop {
            if let Some(p) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..p + 2).collect();
                return String::from_utf8_lossy(&line[..p]).into_owned();
            }
            assert!(self.fill().await, "closed before a line");
        }
    }

    /// Reads the next message, `None` when the server closed the connection.
    pub async fn read_frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(p) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let raw: Vec<u8> = self.buf.drain(..p + 4).collect();
                return Some(parse_action(&raw[..p]).expect("well-formed frame"));
            }
            if !self.fill().await {
                return None;
            }
        }
    }

    /// Writes raw bytes.
    pub async fn write_raw(&mut self, b: &[u8]) {
        self.sock.write_all(b).await.expect("write");
    }

    /// Sends an action given as pairs.
    pub async fn send_only(&mut self, pairs: &[(&str, &str)]) {
        let f = Frame::from_pairs(pairs.iter().map(|(a, b)| (*a, *b)));
        self.write_raw(f.to_wire().as_bytes()).await;
    }

    /// Sends an action and returns its response; events and list items received
    /// meanwhile go to [`Client::events`].
    pub async fn send(&mut self, pairs: &[(&str, &str)]) -> Frame {
        let f = Frame::from_pairs(pairs.iter().map(|(a, b)| (*a, *b)));
        self.send_frame(&f).await
    }

    /// Sends a frame and returns its response.
    pub async fn send_frame(&mut self, f: &Frame) -> Frame {
        self.write_raw(f.to_wire().as_bytes()).await;
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

/// Reads a transcript (`#<DIR> +<SECONDS> len=<N>` headers and raw bodies).
pub fn transcript(name: &str) -> Vec<Record> {
    let d = std::fs::read(fixture(name)).expect("fixture");
    let mut i = 0;
    let mut out = Vec::new();
    while i < d.len() {
        let nl = d[i..].iter().position(|b| *b == b'\n').expect("header") + i;
        let header = std::str::from_utf8(&d[i..nl]).expect("utf8 header");
        let dir = &header[1..3];
        let len: usize = header
            .rsplit("len=")
            .next()
            .and_then(|n| n.parse().ok())
            .expect("len");
        let body = &d[nl + 1..nl + 1 + len];
        i = nl + 1 + len + 1;
        let text = String::from_utf8_lossy(body);
        match dir {
            "==" => out.push(Record::Note(text.into_owned())),
            "<<" | ">>" if text.starts_with("Asterisk Call Manager") => {}
            "<<" | ">>" => {
                let trimmed = body.strip_suffix(b"\r\n\r\n").unwrap_or(body);
                let f = parse_action(trimmed).expect("transcript frame");
                out.push(if dir == "<<" {
                    Record::Received(f)
                } else {
                    Record::Sent(f)
                });
            }
            _ => panic!("bad direction {dir}"),
        }
    }
    out
}
