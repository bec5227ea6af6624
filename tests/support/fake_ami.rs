//! A fake Asterisk Manager Interface on 127.0.0.1:0 for client tests.
//!
//! Each connection gets the banner, then every action is recorded and answered by the
//! handler registered for its `Action` name (case-insensitive). Answers are frames (the
//! request's `ActionID` is inserted after their first field) or raw bytes in which `{id}`
//! is replaced by the ActionID. Built in: `Login` (plain `cti`/`ctisecret`, or MD5 against
//! the last `Challenge`), `Challenge` (`123456789`), `Ping`, `Logoff`; anything else is
//! `Response: Error` / `Invalid/unknown command`. Tests can push bytes to live connections,
//! drop them, or make new connections close before the banner, right after it, or right
//! after a successful login (a dying Asterisk, transcript j).

use bytes::BytesMut;
use futures::StreamExt;
use md5::{Digest, Md5};
use nethcti_server::adapters::ami::codec::{AmiCodec, AmiMessage};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript::{Direction, Record};
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Notify};
use tokio::time::Instant;
use tokio_util::codec::FramedRead;

pub const BANNER: &str = "Asterisk Call Manager/11.0.0";
pub const USER: &str = "cti";
pub const SECRET: &str = "ctisecret";
pub const CHALLENGE: &str = "123456789";

/// One piece of an answer.
#[derive(Debug, Clone)]
pub enum Answer {
    /// A frame; the request's ActionID is inserted after the first field.
    Frame(Frame),
    /// Raw bytes; `{id}` becomes the request's ActionID.
    Raw(Vec<u8>),
    /// Close the connection.
    Close,
}

pub type Handler = Arc<dyn Fn(&Frame) -> Vec<Answer> + Send + Sync>;

enum Cmd {
    Push(Vec<u8>),
    Close,
}

#[derive(Default)]
struct State {
    handlers: HashMap<String, Handler>,
    received: Vec<Frame>,
    conns: Vec<mpsc::UnboundedSender<Cmd>>,
    accepted: Vec<Instant>,
    close_on_accept: usize,
    close_after_banner: usize,
    close_after_login: usize,
}

/// When a new connection is closed by the fake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    BeforeBanner,
    AfterBanner,
    AfterLogin,
    Served,
}

impl State {
    /// The fate of the next accepted connection (counters are used up in that order).
    fn next_fate(&mut self) -> Fate {
        let take = |n: &mut usize| std::mem::replace(n, n.saturating_sub(1)) > 0;
        if take(&mut self.close_on_accept) {
            Fate::BeforeBanner
        } else if take(&mut self.close_after_banner) {
            Fate::AfterBanner
        } else if take(&mut self.close_after_login) {
            Fate::AfterLogin
        } else {
            Fate::Served
        }
    }
}

/// The fake server handle (cheap to clone).
#[derive(Clone)]
pub struct FakeAmi {
    pub addr: SocketAddr,
    state: Arc<Mutex<State>>,
    changed: Arc<Notify>,
}

pub fn success(message: &str) -> Answer {
    Answer::Frame(
        Frame::new()
            .with("Response", "Success")
            .with("Message", message),
    )
}

pub fn error(message: &str) -> Answer {
    Answer::Frame(
        Frame::new()
            .with("Response", "Error")
            .with("Message", message),
    )
}

impl FakeAmi {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let fake = Self {
            addr: listener.local_addr().expect("addr"),
            state: Arc::default(),
            changed: Arc::default(),
        };
        fake.on("Ping", |_| {
            vec![Answer::Frame(
                Frame::new()
                    .with("Response", "Success")
                    .with("Ping", "Pong"),
            )]
        });
        fake.on("Challenge", |_| {
            vec![Answer::Frame(
                Frame::new()
                    .with("Response", "Success")
                    .with("Challenge", CHALLENGE),
            )]
        });
        fake.on("Login", |f| vec![login_answer(f)]);
        fake.on("Logoff", |_| {
            vec![
                Answer::Frame(
                    Frame::new()
                        .with("Response", "Goodbye")
                        .with("Message", "Thanks for all the fish."),
                ),
                Answer::Close,
            ]
        });
        let f = fake.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                f.accepted(sock);
            }
        });
        fake
    }

    /// Registers (or replaces) the handler of an action.
    pub fn on(
        &self,
        action: &str,
        handler: impl Fn(&Frame) -> Vec<Answer> + Send + Sync + 'static,
    ) {
        self.lock()
            .handlers
            .insert(action.to_ascii_lowercase(), Arc::new(handler));
    }

    /// Answers the k-th call of each action recorded in a transcript with the k-th recorded
    /// answer (every `<<` body carrying that action's recorded ActionID); later calls get
    /// no answer.
    pub fn answer_from_transcript(&self, records: &[Record]) {
        self.answer_from_records(records, false);
    }

    /// Like [`FakeAmi::answer_from_transcript`], but calls after the last recorded one get
    /// the last recorded answer again (a PBX whose state did not change).
    pub fn answer_from_transcript_repeating(&self, records: &[Record]) {
        self.answer_from_records(records, true);
    }

    fn answer_from_records(&self, records: &[Record], repeat: bool) {
        let mut queues: HashMap<String, VecDeque<Vec<Answer>>> = HashMap::new();
        for r in records.iter().filter(|r| r.direction == Direction::Sent) {
            let text = String::from_utf8_lossy(&r.bytes);
            let get = |n: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(n))
                    .map(str::trim)
                    .unwrap_or("")
            };
            let (name, id) = (
                get("Action: ").to_ascii_lowercase(),
                get("ActionID: ").to_owned(),
            );
            if name == "login" || name == "logoff" {
                continue;
            }
            let marker = format!("ActionID: {id}\r\n");
            let answers = records
                .iter()
                .filter(|a| a.direction == Direction::Received)
                .filter(|a| String::from_utf8_lossy(&a.bytes).contains(&marker))
                .map(|a| {
                    Answer::Raw(
                        String::from_utf8_lossy(&a.bytes)
                            .replace(&marker, "ActionID: {id}\r\n")
                            .into_bytes(),
                    )
                })
                .collect();
            queues.entry(name).or_default().push_back(answers);
        }
        for (name, queue) in queues {
            let queue = Mutex::new(queue);
            self.on(&name, move |_| {
                let mut q = queue.lock().expect("queue");
                match q.pop_front() {
                    Some(last) if repeat && q.is_empty() => {
                        q.push_back(last.clone());
                        last
                    }
                    next => next.unwrap_or_default(),
                }
            });
        }
    }

    /// Sends raw bytes on every live connection.
    pub fn push_raw(&self, bytes: &[u8]) {
        for c in &self.lock().conns {
            let _ = c.send(Cmd::Push(bytes.to_vec()));
        }
    }

    /// Closes every live connection.
    pub fn drop_connections(&self) {
        for c in self.lock().conns.drain(..) {
            let _ = c.send(Cmd::Close);
        }
    }

    /// The next `n` accepted connections are closed before the banner.
    pub fn close_next_connections(&self, n: usize) {
        self.lock().close_on_accept = n;
    }

    /// The next `n` accepted connections get the banner and are then closed.
    pub fn close_next_after_banner(&self, n: usize) {
        self.lock().close_after_banner = n;
    }

    /// The next `n` accepted connections are closed right after a successful login answer.
    pub fn close_next_after_login(&self, n: usize) {
        self.lock().close_after_login = n;
    }

    /// Every action received so far, in order (with ActionIDs).
    pub fn received(&self) -> Vec<Frame> {
        self.lock().received.clone()
    }

    /// Actions named `name` received so far.
    pub fn received_named(&self, name: &str) -> Vec<Frame> {
        let all = self.received();
        all.into_iter()
            .filter(|f| f.get_or_empty("Action").eq_ignore_ascii_case(name))
            .collect()
    }

    /// Virtual times at which connections were accepted.
    pub fn accept_times(&self) -> Vec<Instant> {
        self.lock().accepted.clone()
    }

    /// Milliseconds between consecutive accepted connections.
    pub fn accept_gaps_ms(&self) -> Vec<u128> {
        let t = self.accept_times();
        t.windows(2).map(|w| (w[1] - w[0]).as_millis()).collect()
    }

    /// Waits until `pred` holds on the received actions.
    pub async fn wait_for(&self, pred: impl Fn(&[Frame]) -> bool) {
        loop {
            let notified = self.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if pred(&self.lock().received) {
                return;
            }
            notified.await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().expect("fake state lock")
    }

    fn accepted(&self, sock: TcpStream) {
        let (tx, rx) = mpsc::unbounded_channel();
        let fate = {
            let mut st = self.lock();
            st.accepted.push(Instant::now());
            let fate = st.next_fate();
            if fate != Fate::BeforeBanner {
                st.conns.push(tx);
            }
            fate
        };
        self.changed.notify_waiters();
        if fate != Fate::BeforeBanner {
            tokio::spawn(self.clone().serve(sock, rx, fate));
        }
    }

    async fn serve(self, sock: TcpStream, mut rx: mpsc::UnboundedReceiver<Cmd>, fate: Fate) {
        let (read, mut write) = sock.into_split();
        let mut frames = FramedRead::new(read, AmiCodec::new());
        if write
            .write_all(format!("{BANNER}\r\n").as_bytes())
            .await
            .is_err()
            || fate == Fate::AfterBanner
        {
            return;
        }
        loop {
            let out = tokio::select! {
                cmd = rx.recv() => match cmd {
                    Some(Cmd::Push(bytes)) => bytes,
                    Some(Cmd::Close) | None => return,
                },
                msg = frames.next() => match msg {
                    Some(Ok(AmiMessage::Frame(f))) => {
                        let login = f.get_or_empty("Action").eq_ignore_ascii_case("Login");
                        let (bytes, close) = self.answer(f);
                        let accepted = login && String::from_utf8_lossy(&bytes).contains("Response: Success");
                        let close = close || (accepted && fate == Fate::AfterLogin);
                        if close {
                            let _ = write.write_all(&bytes).await;
                            return;
                        }
                        bytes
                    }
                    _ => return,
                },
            };
            if write.write_all(&out).await.is_err() {
                return;
            }
        }
    }

    /// Bytes answering `req`, and whether to close the connection after them.
    fn answer(&self, req: Frame) -> (Vec<u8>, bool) {
        let name = req.get_or_empty("Action").to_ascii_lowercase();
        let handler = {
            let mut st = self.lock();
            st.received.push(req.clone());
            st.handlers.get(&name).cloned()
        };
        self.changed.notify_waiters();
        let answers = match handler {
            Some(h) => h(&req),
            None => vec![error("Invalid/unknown command")],
        };
        let id = req.action_id().unwrap_or("");
        let mut out = BytesMut::new();
        for a in answers {
            match a {
                Answer::Frame(f) => out.extend_from_slice(with_id(&f, id).to_wire().as_bytes()),
                Answer::Raw(r) => out
                    .extend_from_slice(String::from_utf8_lossy(&r).replace("{id}", id).as_bytes()),
                Answer::Close => return (out.to_vec(), true),
            }
        }
        (out.to_vec(), false)
    }
}

fn with_id(f: &Frame, id: &str) -> Frame {
    if id.is_empty() || f.action_id().is_some() {
        return f.clone();
    }
    let mut out = Frame::new();
    for (i, (n, v)) in f.fields().iter().enumerate() {
        out.push(n.as_str(), v.as_str());
        if i == 0 {
            out.push("ActionID", id);
        }
    }
    out
}

fn login_answer(req: &Frame) -> Answer {
    let md5 = req
        .get("AuthType")
        .is_some_and(|a| a.eq_ignore_ascii_case("MD5"));
    let ok = req.get("Username") == Some(USER)
        && if md5 {
            req.get("Key")
                == Some(hex::encode(Md5::digest(format!("{CHALLENGE}{SECRET}"))).as_str())
        } else {
            req.get("Secret") == Some(SECRET)
        };
    if ok {
        success("Authentication accepted")
    } else {
        error("Authentication failed")
    }
}
