//! The TCP server: accepts AMI connections, runs sessions, broadcasts events, and
//! exposes a [`SimHandle`] through which tests and the traffic generator act as phones.

use super::actions::login::{before_login, fully_booted, LoginOutcome};
use super::actions::{self, Reply, Session};
use super::config::SimConfig;
use super::flows::{self, dial, hangup, hold, queue, transfer, FlowError};
use super::model::channel::ChanState;
use super::model::SimState;
use super::wire;
use crate::adapters::ami::codec::AmiMessage;
use crate::adapters::ami::frame::Frame;
use bytes::Bytes;
use futures::StreamExt;
use slog::{debug, info, o, warn, Logger};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::io::{AsyncWriteExt, BufWriter};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, watch};
use tokio_util::codec::FramedRead;
use tokio_util::sync::CancellationToken;

/// The AMI banner (no blank line after it).
pub const BANNER: &str = "Asterisk Call Manager/11.0.0\r\n";

/// Entry point of the simulator.
pub struct SimPbx;

struct Shared {
    state: Mutex<SimState>,
    tx: broadcast::Sender<Bytes>,
    log: Logger,
    cancel: CancellationToken,
    answer_delay: Option<Duration>,
    events_sent: AtomicU64,
    sessions: AtomicU64,
    addr: Option<SocketAddr>,
    /// Bumped by [`SimHandle::restart`]: every AMI session closes.
    restarts: watch::Sender<u64>,
}

/// Handle on a running simulator (cheap to clone).
#[derive(Clone)]
pub struct SimHandle {
    shared: Arc<Shared>,
}

impl SimPbx {
    /// Starts the simulator on `listener`: accept loop, plus the traffic generator and
    /// the flood mode when configured. Everything stops when `cancel` fires.
    pub fn start(
        cfg: SimConfig,
        listener: TcpListener,
        log: Logger,
        cancel: CancellationToken,
    ) -> SimHandle {
        let addr = listener.local_addr().ok();
        let handle = Self::detached(cfg, log, cancel, addr);
        let h = handle.clone();
        tokio::spawn(async move { h.accept_loop(listener).await });
        handle.start_generators();
        handle
    }

    /// Starts the simulator on a free loopback port (for `--demo` and tests).
    ///
    /// # Errors
    /// The bind error.
    pub async fn start_loopback(
        cfg: SimConfig,
        log: Logger,
        cancel: CancellationToken,
    ) -> std::io::Result<SimHandle> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Ok(Self::start(cfg, listener, log, cancel))
    }

    /// A simulator without a listener (for in-process use and unit tests).
    pub fn detached(
        mut cfg: SimConfig,
        log: Logger,
        cancel: CancellationToken,
        addr: Option<SocketAddr>,
    ) -> SimHandle {
        if let Some(n) = cfg.flood.as_ref().map(|fl| fl.extensions) {
            super::flood::add_endpoints(&mut cfg, n);
        }
        let answer_delay = cfg.answer_delay;
        let (tx, _) = broadcast::channel(1 << 16);
        SimHandle {
            shared: Arc::new(Shared {
                state: Mutex::new(SimState::new(cfg)),
                tx,
                log,
                cancel,
                answer_delay,
                events_sent: AtomicU64::new(0),
                sessions: AtomicU64::new(0),
                addr,
                restarts: watch::Sender::new(0),
            }),
        }
    }
}

impl SimHandle {
    fn lock(&self) -> MutexGuard<'_, SimState> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The address the simulator listens on.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.shared.addr
    }

    /// The logger.
    pub fn log(&self) -> &Logger {
        &self.shared.log
    }

    /// The cancellation token.
    pub fn cancel_token(&self) -> &CancellationToken {
        &self.shared.cancel
    }

    /// Events broadcast so far.
    pub fn events_sent(&self) -> u64 {
        self.shared.events_sent.load(Ordering::Relaxed)
    }

    /// Events broadcast but not yet taken by the slowest AMI connection's writer.
    pub fn backlog(&self) -> usize {
        self.shared.tx.len()
    }

    /// Receives every event from now on (wire bytes).
    pub fn subscribe(&self) -> broadcast::Receiver<Bytes> {
        self.shared.tx.subscribe()
    }

    /// Runs `f` on the PBX state, then broadcasts the events it produced and schedules
    /// the automatic answer of phones that started ringing.
    pub fn with<R>(&self, f: impl FnOnce(&mut SimState) -> R) -> R {
        let (r, ringing) = {
            let mut st = self.lock();
            let r = f(&mut st);
            let frames = st.drain();
            self.shared
                .events_sent
                .fetch_add(frames.len() as u64, Ordering::Relaxed);
            for fr in frames {
                let _ = self.shared.tx.send(Bytes::from(fr.to_wire()));
            }
            (r, st.take_ringing())
        };
        self.schedule_answers(ringing);
        r
    }

    fn schedule_answers(&self, ringing: Vec<String>) {
        let Some(delay) = self.shared.answer_delay else {
            return;
        };
        for ch in ringing {
            let h = self.clone();
            tokio::spawn(async move {
                tokio::select! {
                    () = h.shared.cancel.cancelled() => {}
                    () = tokio::time::sleep(delay) => h.answer_channel(&ch),
                }
            });
        }
    }

    /// Answers a ringing channel by name (no-op when it no longer rings).
    pub fn answer_channel(&self, ch: &str) {
        let _ = self.with(|st| dial::answer(st, ch));
    }

    /// Phone `ext` dials `exten`; returns its channel.
    ///
    /// # Errors
    /// [`FlowError`] when the phone does not exist or is not registered.
    pub fn dial(&self, ext: &str, exten: &str) -> Result<String, FlowError> {
        self.with(|st| dial::phone_dial(st, ext, exten))
    }

    /// The ringing channel of phone `ext`.
    fn ringing_of(st: &SimState, ext: &str) -> Option<String> {
        st.order
            .iter()
            .find(|n| {
                st.chan(n)
                    .is_some_and(|c| c.endpoint == ext && c.state == ChanState::Ringing)
            })
            .cloned()
    }

    /// Phone `ext` answers its ringing call.
    ///
    /// # Errors
    /// [`FlowError::NoSuchChannel`] when nothing rings there.
    pub fn answer(&self, ext: &str) -> Result<(), FlowError> {
        self.with(|st| {
            let ch = Self::ringing_of(st, ext).ok_or(FlowError::NoSuchChannel)?;
            dial::answer(st, &ch)
        })
    }

    /// Phone `ext` rejects its ringing call (486 Busy Here).
    ///
    /// # Errors
    /// [`FlowError::NoSuchChannel`] when nothing rings there.
    pub fn reject(&self, ext: &str) -> Result<(), FlowError> {
        self.with(|st| {
            let ch = Self::ringing_of(st, ext).ok_or(FlowError::NoSuchChannel)?;
            dial::reject(st, &ch)
        })
    }

    /// Phone `ext` hangs up.
    ///
    /// # Errors
    /// [`FlowError::NoSuchChannel`] when the phone has no channel.
    pub fn hangup(&self, ext: &str) -> Result<(), FlowError> {
        self.with(|st| hangup::phone_hangup(st, ext))
    }

    /// Hangs up a channel by name, as its phone would.
    ///
    /// # Errors
    /// [`FlowError::NoSuchChannel`] when it does not exist.
    pub fn hangup_channel(&self, ch: &str) -> Result<(), FlowError> {
        self.with(|st| hangup::hangup(st, ch, hangup::By::Phone))
    }

    /// Phone `ext` holds (`true`) or resumes its call.
    ///
    /// # Errors
    /// [`FlowError::NoSuchChannel`] when the phone has no channel.
    pub fn hold(&self, ext: &str, on: bool) -> Result<(), FlowError> {
        self.with(|st| hold::phone_hold(st, ext, on))
    }

    /// Phone `ext` blind-transfers its partner to `exten` with a SIP REFER: Asterisk
    /// runs the same blind transfer as AMI `BlindTransfer` (d3 matches d).
    ///
    /// # Errors
    /// [`FlowError`] when the phone has no bridged channel.
    pub fn refer(&self, ext: &str, exten: &str) -> Result<(), FlowError> {
        self.with(|st| {
            let ch = st.chan_of(ext).ok_or(FlowError::NoSuchChannel)?;
            let context = st.chan(&ch).map(|c| c.context.clone()).unwrap_or_default();
            transfer::blind(st, &ch, &context, exten)
        })
    }

    /// The admin runs `core reload` on the Asterisk CLI.
    pub fn reload(&self) {
        self.with(flows::reload::core_reload);
    }

    /// The admin runs `core restart now`: `Shutdown` goes out, every AMI session closes,
    /// and the PBX comes back fresh (see [`flows::reload::rebooted`]); clients reconnect
    /// and get a new banner, login and `FullyBooted`.
    pub fn restart(&self) {
        self.with(|st| {
            let f = flows::reload::shutdown_event(st);
            st.out.push(f);
        });
        {
            let mut st = self.lock();
            let fresh = flows::reload::rebooted(&st);
            *st = fresh;
        }
        self.shared.restarts.send_modify(|n| *n += 1);
    }

    /// An outside caller `cli` (`name`) calls DID `did` through the trunk. The lab
    /// dialplan maps a DID ending in a queue number or `1000` to the first queue, one
    /// ending in an extension to that phone.
    pub fn inbound(&self, cli: &str, name: &str, did: &str) -> Option<String> {
        self.with(|st| {
            let target = did_target(st, did)?;
            queue::trunk_inbound(st, cli, name, did, &target)
        })
    }

    async fn accept_loop(self, listener: TcpListener) {
        let log = self.shared.log.clone();
        info!(log, "AMI simulator listening"; "addr" => ?self.shared.addr);
        loop {
            tokio::select! {
                () = self.shared.cancel.cancelled() => break,
                r = listener.accept() => match r {
                    Ok((sock, peer)) => {
                        let h = self.clone();
                        tokio::spawn(async move { h.session(sock, peer).await });
                    }
                    Err(e) => {
                        warn!(log, "accept failed"; "error" => %e);
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }
        }
    }

    fn start_generators(&self) {
        let (rate, flood) = {
            let st = self.lock();
            (st.cfg.traffic_per_min, st.cfg.flood.clone())
        };
        if rate > 0 {
            let h = self.clone();
            tokio::spawn(async move { super::traffic::run(h, rate).await });
        }
        if let Some(fl) = flood {
            let h = self.clone();
            tokio::spawn(async move { super::flood::run(h, fl).await });
        }
    }

    async fn session(self, sock: TcpStream, peer: SocketAddr) {
        let log = self.shared.log.new(o!("peer" => peer.to_string()));
        debug!(log, "AMI client connected");
        let _ = sock.set_nodelay(true);
        let (rd, wr) = sock.into_split();
        let mut reader = FramedRead::new(rd, wire::codec());
        let mut out = BufWriter::with_capacity(64 * 1024, wr);
        if out.write_all(BANNER.as_bytes()).await.is_err() || out.flush().await.is_err() {
            return;
        }
        let seed = self.shared.sessions.fetch_add(1, Ordering::Relaxed);
        let mut sess = Session::default();
        let mut rx: Option<broadcast::Receiver<Bytes>> = None;
        let mut restarted = self.shared.restarts.subscribe();
        loop {
            if sess.authed && sess.events && rx.is_none() {
                rx = Some(self.subscribe());
            } else if !sess.events {
                rx = None;
            }
            tokio::select! {
                () = self.shared.cancel.cancelled() => break,
                _ = restarted.changed() => {
                    // the Shutdown event was broadcast before the restart
                    let _ = flush_pending(&mut out, rx.as_mut()).await;
                    break;
                }
                item = reader.next() => {
                    let f = match item {
                        None => break,
                        Some(Err(e)) => {
                            warn!(log, "closing AMI session on bad input"; "error" => %e);
                            break;
                        }
                        Some(Ok(AmiMessage::Banner(_))) => continue,
                        Some(Ok(AmiMessage::Frame(f))) => f,
                    };
                    if let Err(e) = wire::check_action(&f) {
                        warn!(log, "closing AMI session on garbage input"; "error" => %e);
                        break;
                    }
                    // Events produced before this action go out before its response.
                    if flush_pending(&mut out, rx.as_mut()).await.is_err() {
                        break;
                    }
                    match self.handle(&mut sess, &f, seed).await {
                        Step::Write(frames) => {
                            if write_frames(&mut out, &frames).await.is_err() {
                                break;
                            }
                        }
                        Step::Close(frames) => {
                            let _ = write_frames(&mut out, &frames).await;
                            break;
                        }
                    }
                }
                ev = recv(&mut rx) => match ev {
                    Ok(b) => {
                        if out.write_all(&b).await.is_err() {
                            break;
                        }
                        if let Some(r) = rx.as_mut() {
                            let mut n = 0;
                            while n < 512 {
                                match r.try_recv() {
                                    Ok(b) => {
                                        if out.write_all(&b).await.is_err() {
                                            break;
                                        }
                                        n += 1;
                                    }
                                    Err(_) => break,
                                }
                            }
                        }
                        if out.flush().await.is_err() {
                            break;
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        warn!(log, "AMI client too slow, events dropped"; "dropped" => n);
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
            }
        }
        let _ = out.shutdown().await;
        debug!(log, "AMI client gone");
    }

    async fn handle(&self, sess: &mut Session, f: &Frame, seed: u64) -> Step {
        if !sess.authed {
            let cfg_user = {
                let st = self.lock();
                before_login(&st.cfg, sess, f, 123_456_789 + seed * 7919)
            };
            return match cfg_user {
                LoginOutcome::Accepted(r) => {
                    let uptime = self.lock().now_ms() / 1000;
                    Step::Write(vec![r, fully_booted(uptime)])
                }
                LoginOutcome::Reply(r) => Step::Write(vec![r]),
                LoginOutcome::Rejected(r) => Step::Close(vec![r]),
            };
        }
        match self.with(|st| actions::dispatch(st, sess, f)) {
            Reply::Frames(v) => Step::Write(v),
            Reply::Close(r) => Step::Close(vec![r]),
            Reply::Wait { rx, action_id } => {
                let res = tokio::time::timeout(Duration::from_secs(60), rx).await;
                let okd = matches!(res, Ok(Ok(true)));
                let mut r = Frame::new().with("Response", if okd { "Success" } else { "Error" });
                if let Some(id) = action_id {
                    r.push("ActionID", id);
                }
                r.push(
                    "Message",
                    if okd {
                        "Originate successfully queued"
                    } else {
                        "Originate failed"
                    },
                );
                Step::Write(vec![r])
            }
        }
    }
}

enum Step {
    Write(Vec<Frame>),
    Close(Vec<Frame>),
}

async fn write_frames<W: tokio::io::AsyncWrite + Unpin>(
    out: &mut BufWriter<W>,
    frames: &[Frame],
) -> std::io::Result<()> {
    for f in frames {
        out.write_all(f.to_wire().as_bytes()).await?;
    }
    out.flush().await
}

async fn flush_pending<W: tokio::io::AsyncWrite + Unpin>(
    out: &mut BufWriter<W>,
    rx: Option<&mut broadcast::Receiver<Bytes>>,
) -> std::io::Result<()> {
    let Some(rx) = rx else {
        return Ok(());
    };
    loop {
        match rx.try_recv() {
            Ok(b) => out.write_all(&b).await?,
            Err(broadcast::error::TryRecvError::Lagged(_)) => continue,
            Err(_) => break,
        }
    }
    Ok(())
}

async fn recv(
    rx: &mut Option<broadcast::Receiver<Bytes>>,
) -> Result<Bytes, broadcast::error::RecvError> {
    match rx {
        Some(r) => r.recv().await,
        None => std::future::pending().await,
    }
}

/// Where a DID of the trunk goes.
fn did_target(st: &SimState, did: &str) -> Option<String> {
    if let Some(q) = st.queues.keys().find(|q| did.ends_with(q.as_str())) {
        return Some(q.clone());
    }
    if did.ends_with("1000") {
        if let Some(q) = st.queues.keys().next() {
            return Some(q.clone());
        }
    }
    if let Some(e) = st
        .endpoints
        .values()
        .find(|e| !e.trunk && did.len() > e.id.len() && did.ends_with(e.id.as_str()))
    {
        return Some(e.id.clone());
    }
    st.queues
        .keys()
        .next()
        .cloned()
        .or_else(|| {
            st.endpoints
                .values()
                .find(|e| !e.trunk)
                .map(|e| e.id.clone())
        })
        .filter(|_| flows::trunk_id(st).is_some())
}
