//! The logged-in sockets: one [`Session`] per socket id, with its user, rooms and outbound queue.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use secrecy::SecretString;
use socketioxide::{extract::SocketRef, socket::Sid};
use tokio::sync::mpsc;

use super::outbox::Delivery;
use super::rooms::RoomSet;
use super::user::{SocketUser, UaType};

/// A logged-in socket.
pub(crate) struct Session {
    pub(crate) socket: SocketRef,
    pub(crate) user: SocketUser,
    pub(crate) ua_type: Option<UaType>,
    /// The login key as sent, and its token (for the keep-alive).
    pub(crate) access_key_id: String,
    pub(crate) token: SecretString,
    pub(crate) rooms: RoomSet,
    pub(crate) tx: mpsc::Sender<Delivery>,
    /// Bytes of the events in `tx` (added on queueing, taken off by the drain task).
    pub(crate) queued_bytes: Arc<AtomicUsize>,
}

/// The map of logged-in sockets; short critical sections only, never held across `.await`.
#[derive(Default)]
pub(crate) struct Registry {
    sessions: Mutex<HashMap<Sid, Session>>,
    /// How many registered sessions have the `privacy` permission (masked payloads).
    privacy: AtomicUsize,
}

fn privacy_count(session: &Session) -> usize {
    usize::from(session.user.permissions.privacy)
}

impl Registry {
    pub(crate) fn lock(&self) -> MutexGuard<'_, HashMap<Sid, Session>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Registers `session`, returning the one it replaces (a re-login on the same socket).
    pub(crate) fn insert(&self, sid: Sid, session: Session) -> Option<Session> {
        let mut sessions = self.lock();
        self.privacy
            .fetch_add(privacy_count(&session), Ordering::Relaxed);
        let replaced = sessions.insert(sid, session);
        if let Some(old) = &replaced {
            self.privacy
                .fetch_sub(privacy_count(old), Ordering::Relaxed);
        }
        replaced
    }

    /// Whether any registered session gets masked payloads (has the `privacy` permission).
    pub(crate) fn has_privacy_sessions(&self) -> bool {
        self.privacy.load(Ordering::Relaxed) > 0
    }

    /// Unregisters a socket; the flag tells whether it was its user's last session.
    pub(crate) fn remove(&self, sid: Sid) -> Option<(Session, bool)> {
        let mut sessions = self.lock();
        let session = sessions.remove(&sid)?;
        self.privacy
            .fetch_sub(privacy_count(&session), Ordering::Relaxed);
        let last = !sessions
            .values()
            .any(|s| s.user.username == session.user.username);
        Some((session, last))
    }

    /// The user logged in on `sid`, if any.
    pub(crate) fn user_of(&self, sid: Sid) -> Option<SocketUser> {
        self.lock().get(&sid).map(|s| s.user.clone())
    }

    /// Socket ids of `username`'s sessions (all of them, or only those with `ua_type`).
    pub(crate) fn sids_of(&self, username: &str, ua_type: Option<UaType>) -> Vec<Sid> {
        self.lock()
            .iter()
            .filter(|(_, s)| s.user.username == username)
            .filter(|(_, s)| ua_type.is_none() || s.ua_type == ua_type)
            .map(|(sid, _)| *sid)
            .collect()
    }

    /// `(accessKeyId, token)` of every session, for the token keep-alive.
    pub(crate) fn credentials(&self) -> Vec<(String, SecretString)> {
        self.lock()
            .values()
            .map(|s| (s.access_key_id.clone(), s.token.clone()))
            .collect()
    }

    /// Socket ids with `(accessKeyId, token)`, for checking which logins still hold.
    pub(crate) fn logins(&self) -> Vec<(Sid, String, SecretString)> {
        self.lock()
            .iter()
            .map(|(sid, s)| (*sid, s.access_key_id.clone(), s.token.clone()))
            .collect()
    }

    /// The sockets of `sids` still registered.
    pub(crate) fn sockets(&self, sids: &[Sid]) -> Vec<SocketRef> {
        let sessions = self.lock();
        sids.iter()
            .filter_map(|sid| sessions.get(sid).map(|s| s.socket.clone()))
            .collect()
    }
}
