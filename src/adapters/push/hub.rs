//! The push hub: the handle the integrator publishes through and closes users' sockets with.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use secrecy::ExposeSecret;
use slog::{debug, info, warn, Logger};
use socketioxide::{extract::SocketRef, socket::Sid};
use tokio::sync::{broadcast, mpsc::error::TrySendError};

use super::broadcast::Broadcast;
use super::config::PushConfig;
use super::encoded::EncodeCache;
use super::error::PushError;
use super::kill::KillSwitch;
use super::outbox::Delivery;
use super::registry::{Registry, Session};
use super::user::{SocketAuthenticator, UaType};

/// Lifecycle notifications for the integrator (auto queue login, auto presence, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// A socket of `username` logged in (spec §4.5 step 5).
    LoggedIn {
        /// Canonical username.
        username: String,
        /// Declared user agent type.
        ua_type: Option<UaType>,
    },
    /// The last logged-in socket of `username` went away (spec §8, simplified: no User-Agent test).
    AllDisconnected {
        /// Canonical username.
        username: String,
    },
}

/// A logged-in socket as seen from outside (diagnostics and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// socket.io socket id.
    pub sid: String,
    /// Canonical username.
    pub username: String,
    /// The `accessKeyId` sent at login.
    pub access_key_id: String,
    /// Declared user agent type.
    pub ua_type: Option<UaType>,
    /// Original room names joined, e.g. `queues_ast_evt_clear`.
    pub rooms: Vec<&'static str>,
}

/// What one [`PushHub::publish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishOutcome {
    /// Sequence number carried by the event (`{"_seq": n}` trailing argument).
    pub seq: u64,
    /// Sockets the event was queued for.
    pub queued: usize,
    /// Usernames of sockets disconnected because their queue overflowed.
    pub overflowed: Vec<String>,
}

/// Cloneable handle on the push channel.
#[derive(Clone)]
pub struct PushHub {
    pub(crate) inner: Arc<HubInner>,
}

pub(crate) struct HubInner {
    pub(crate) registry: Registry,
    seq: AtomicU64,
    pub(crate) auth: Arc<dyn SocketAuthenticator>,
    pub(crate) config: PushConfig,
    pub(crate) log: Logger,
    events: broadcast::Sender<SessionEvent>,
}

impl PushHub {
    pub(crate) fn new(auth: Arc<dyn SocketAuthenticator>, config: PushConfig, log: Logger) -> Self {
        let (events, _) = broadcast::channel(256);
        Self {
            inner: Arc::new(HubInner {
                registry: Registry::default(),
                seq: AtomicU64::new(0),
                auth,
                config,
                log,
                events,
            }),
        }
    }

    /// Queues `event` for every recipient without waiting; never blocks on a slow client.
    ///
    /// Each payload variant is serialised at most once. Sockets whose queue is full are
    /// disconnected (and logged) and listed in the outcome.
    ///
    /// # Errors
    /// [`PushError::Encode`] if a payload cannot be serialised (JSON values always can).
    pub fn publish(&self, event: &Broadcast) -> Result<PublishOutcome, PushError> {
        self.publish_all(std::slice::from_ref(event))
    }

    /// Queues `events`, in order, for their recipients: one queue item per socket for the
    /// whole batch (one wake of its drain task). The outcome's `seq` is the first event's
    /// (the others follow it), `queued` counts the sockets that got at least one event.
    ///
    /// # Errors
    /// [`PushError::Encode`] if a payload cannot be serialised (JSON values always can).
    pub fn publish_all(&self, events: &[Broadcast]) -> Result<PublishOutcome, PushError> {
        let count = events.len() as u64;
        let seq = self.inner.seq.fetch_add(count, Ordering::Relaxed) + 1;
        let mut caches: Vec<EncodeCache<'_>> = events
            .iter()
            .zip(seq..)
            .map(|(event, seq)| EncodeCache::new(event, seq))
            .collect();
        let mut queued = 0;
        let mut full = Vec::new();
        let mut closed = Vec::new();
        {
            let sessions = self.inner.registry.lock();
            for (sid, session) in sessions.iter() {
                let mut delivery = Delivery::default();
                // The first event this socket gets (named in the overflow log line).
                let mut first: Option<&str> = None;
                for (event, cache) in events.iter().zip(caches.iter_mut()) {
                    if let Some(variant) = event.variant_for(&session.user, &session.rooms) {
                        delivery.push(cache.get(variant)?);
                        first.get_or_insert(event.event());
                    }
                }
                let Some(first) = first else {
                    continue;
                };
                let size = delivery.size;
                let before = session.queued_bytes.fetch_add(size, Ordering::Relaxed);
                if before.saturating_add(size) > self.inner.config.queue_max_bytes {
                    session.queued_bytes.fetch_sub(size, Ordering::Relaxed);
                    full.push((*sid, first, Overflow::Bytes(before)));
                    continue;
                }
                match session.tx.try_send(delivery) {
                    Ok(()) => queued += 1,
                    Err(e) => {
                        session.queued_bytes.fetch_sub(size, Ordering::Relaxed);
                        match e {
                            TrySendError::Full(_) => full.push((*sid, first, Overflow::Count)),
                            TrySendError::Closed(_) => closed.push(*sid),
                        }
                    }
                }
            }
        }
        // A socket that vanished without its disconnect handler seeing a session.
        for sid in closed {
            self.unregister(sid);
        }
        let overflowed = full
            .into_iter()
            .filter_map(|(sid, event, why)| self.drop_slow(sid, event, why))
            .collect();
        Ok(PublishOutcome {
            seq,
            queued,
            overflowed,
        })
    }

    /// Disconnects every socket of `username` (logout, token expiry); returns how many.
    pub fn close_user(&self, username: &str) -> usize {
        let sids = self.inner.registry.sids_of(username, None);
        let mut closed = 0;
        for sid in sids {
            if let Some(session) = self.unregister(sid) {
                info!(self.inner.log, "closing user socket"; "user" => username, "sid" => %sid);
                disconnect(&session.socket, &self.inner.log);
                closed += 1;
            }
        }
        closed
    }

    /// Disconnects every socket whose login no longer holds (`live(accessKeyId, token)`
    /// false: the token was revoked by a logout or expired); returns how many.
    ///
    /// `live` runs without any hub lock held.
    pub fn close_revoked(&self, live: impl Fn(&str, &str) -> bool) -> usize {
        let dead: Vec<Sid> = self
            .inner
            .registry
            .logins()
            .into_iter()
            .filter(|(_, key, token)| !live(key, token.expose_secret()))
            .map(|(sid, _, _)| sid)
            .collect();
        let mut closed = 0;
        for sid in dead {
            if let Some(session) = self.unregister(sid) {
                info!(self.inner.log, "closing socket: its token was revoked or expired";
                    "user" => &session.user.username, "sid" => %sid);
                disconnect(&session.socket, &self.inner.log);
                closed += 1;
            }
        }
        closed
    }

    /// Whether any logged-in socket gets masked payloads (a user with `privacy`): when none
    /// does, publishers may skip rendering the masked variants.
    pub fn has_privacy_sessions(&self) -> bool {
        self.inner.registry.has_privacy_sessions()
    }

    /// How many sockets are logged in.
    pub fn session_count(&self) -> usize {
        self.inner.registry.lock().len()
    }

    /// The logged-in sockets.
    pub fn sessions(&self) -> Vec<SessionInfo> {
        self.inner
            .registry
            .lock()
            .iter()
            .map(|(sid, s)| SessionInfo {
                sid: sid.to_string(),
                username: s.user.username.clone(),
                access_key_id: s.access_key_id.clone(),
                ua_type: s.ua_type,
                rooms: s.rooms.names(),
            })
            .collect()
    }

    /// Subscribes to login / all-disconnected notifications.
    pub fn session_events(&self) -> broadcast::Receiver<SessionEvent> {
        self.inner.events.subscribe()
    }

    /// The sequence number of the last published event (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.inner.seq.load(Ordering::Relaxed)
    }

    /// Runs [`SocketAuthenticator::keep_alive`] once for every logged-in socket.
    pub async fn keep_tokens_alive(&self) {
        for (key, token) in self.inner.registry.credentials() {
            self.inner
                .auth
                .keep_alive(&key, token.expose_secret())
                .await;
        }
    }

    /// Spawns the periodic keep-alive; it ends when every hub handle is dropped.
    pub(crate) fn spawn_keepalive(&self) {
        let Some(period) = self.inner.config.token_keepalive else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            warn!(
                self.inner.log,
                "no tokio runtime at build time: token keep-alive disabled"
            );
            return;
        };
        let weak = Arc::downgrade(&self.inner);
        runtime.spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(inner) = weak.upgrade() else { return };
                PushHub { inner }.keep_tokens_alive().await;
            }
        });
    }

    pub(crate) fn notify(&self, event: SessionEvent) {
        // No subscriber is fine.
        let _ = self.inner.events.send(event);
    }

    /// Removes a session, notifying when it was the user's last one.
    pub(crate) fn unregister(&self, sid: Sid) -> Option<Session> {
        let (session, last) = self.inner.registry.remove(sid)?;
        if last {
            self.notify(SessionEvent::AllDisconnected {
                username: session.user.username.clone(),
            });
        }
        Some(session)
    }

    fn drop_slow(&self, sid: Sid, event: &str, why: Overflow) -> Option<String> {
        let session = self.unregister(sid)?;
        match why {
            Overflow::Count => {
                warn!(self.inner.log, "socket queue overflow, disconnecting slow client";
                "user" => &session.user.username, "sid" => %sid, "event" => event,
                "capacity" => self.inner.config.queue_capacity)
            }
            Overflow::Bytes(queued) => {
                warn!(self.inner.log, "socket queue bytes overflow, disconnecting slow client";
                "user" => &session.user.username, "sid" => %sid, "event" => event,
                "queued_bytes" => queued, "max_bytes" => self.inner.config.queue_max_bytes)
            }
        }
        cut(&session.socket, &self.inner.log);
        Some(session.user.username)
    }
}

/// Which bound of a socket's queue a publication hit.
#[derive(Debug, Clone, Copy)]
enum Overflow {
    /// `queue_capacity` deliveries (publication batches) waiting.
    Count,
    /// This many bytes waiting, plus the event, exceed `queue_max_bytes`.
    Bytes(usize),
}

/// Graceful server-side disconnect (`io server disconnect` on the client); cuts the
/// connection if the DISCONNECT packet cannot be queued.
pub(crate) fn disconnect(socket: &SocketRef, log: &Logger) {
    if let Err(e) = socket.clone().disconnect() {
        debug!(log, "disconnect packet not queued, cutting"; "sid" => %socket.id, "error" => %e);
        cut(socket, log);
    }
}

/// Cuts the socket's connection through its kill switch (a stuck client reads nothing more).
pub(crate) fn cut(socket: &SocketRef, log: &Logger) {
    match socket.req_parts().extensions.get::<KillSwitch>() {
        Some(switch) => switch.fire(),
        None => {
            // Not served by `serve`: fall back to the protocol-level disconnect.
            if let Err(e) = socket.clone().disconnect() {
                warn!(log, "cannot disconnect socket"; "sid" => %socket.id, "error" => %e);
            }
        }
    }
}
