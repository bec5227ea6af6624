//! The `login` event: validation (spec §4.1), token check, take-over (§4.3), success (§4.5) or failure (§4.4).
//!
//! Take-over choice: `takeOver` is emitted to the older sockets of the same user and
//! `uaType`, and the new login completes at once instead of waiting up to 8 s for a
//! `takeOverAck` that no current client sends. The older socket is not disconnected
//! (as in the original): the client logs itself out.

use std::sync::atomic::AtomicUsize;
use std::sync::Arc;

use secrecy::SecretString;
use serde_json::{json, Value};
use slog::{info, o};
use socketioxide::extract::SocketRef;
use tokio::sync::{mpsc, watch};

use super::hub::{disconnect, PushHub, SessionEvent};
use super::outbox::spawn_drain;
use super::registry::Session;
use super::rooms::RoomSet;
use super::user::UaType;
use crate::adapters::clip::clip;

/// A syntactically valid login request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LoginRequest {
    pub(crate) access_key_id: String,
    pub(crate) token: String,
    pub(crate) ua_type: Option<UaType>,
}

/// Spec §4.1: an object with string `accessKeyId` and `token`; `uaType` absent, null,
/// `desktop` or `mobile`.
pub(crate) fn parse_login(data: Option<&Value>) -> Option<LoginRequest> {
    let obj = data?.as_object()?;
    let access_key_id = obj.get("accessKeyId")?.as_str()?.to_owned();
    let token = obj.get("token")?.as_str()?.to_owned();
    let ua_type = match obj.get("uaType") {
        None | Some(Value::Null) => None,
        Some(v) => Some(UaType::parse(v.as_str()?)?),
    };
    Some(LoginRequest {
        access_key_id,
        token,
        ua_type,
    })
}

/// Handles one `login` emitted by `socket`.
///
/// Waits for `connected` first: the handler can run before socketioxide marks the socket
/// connected (it sends the CONNECT packet, the client answers at once), and until then
/// nothing can be emitted to it.
pub(crate) async fn handle_login(
    hub: PushHub,
    socket: SocketRef,
    data: Option<Value>,
    mut connected: watch::Receiver<bool>,
) {
    if connected.wait_for(|c| *c).await.is_err() {
        // The namespace connect failed: the socket never became usable.
        return;
    }
    let log = hub.inner.log.new(o!("sid" => socket.id.to_string()));
    let Some(request) = parse_login(data.as_ref()) else {
        info!(log, "socket login rejected: malformed payload");
        reject(&hub, &socket);
        return;
    };
    let verified = hub
        .inner
        .auth
        .verify(&request.access_key_id, &request.token)
        .await;
    let Some(user) = verified else {
        info!(log, "socket login rejected: bad credentials";
            "key" => clip(&request.access_key_id));
        reject(&hub, &socket);
        return;
    };
    if !socket.connected() {
        return;
    }
    if let Some(ua_type) = request.ua_type {
        let older: Vec<_> = hub
            .inner
            .registry
            .sids_of(&user.username, Some(ua_type))
            .into_iter()
            .filter(|sid| *sid != socket.id)
            .collect();
        for old in hub.inner.registry.sockets(&older) {
            info!(log, "take-over of older socket"; "user" => &user.username, "old_sid" => %old.id);
            // Best effort: an unreachable old socket simply misses the notice.
            let _ = old.emit("takeOver", &[(); 0]);
        }
    }
    // authe_ok goes out before the session exists, so no pushed event can precede it.
    let _ = socket.emit("authe_ok", &json!({"message": "authorized successfully"}));
    let rooms = RoomSet::for_permissions(&user.permissions);
    socket.join(rooms.names());
    let (tx, rx) = mpsc::channel(hub.inner.config.queue_capacity.max(1));
    let queued_bytes = Arc::new(AtomicUsize::new(0));
    let session = Session {
        socket: socket.clone(),
        user: user.clone(),
        ua_type: request.ua_type,
        access_key_id: request.access_key_id.clone(),
        token: SecretString::from(request.token.clone()),
        rooms: rooms.clone(),
        tx,
        queued_bytes: Arc::clone(&queued_bytes),
    };
    if let Some(previous) = hub.inner.registry.insert(socket.id, session) {
        let stale: Vec<_> = previous
            .rooms
            .names()
            .into_iter()
            .filter(|r| !rooms.names().contains(r))
            .collect();
        socket.leave(stale);
        let gone = &previous.user.username;
        if *gone != user.username && hub.inner.registry.sids_of(gone, None).is_empty() {
            hub.notify(SessionEvent::AllDisconnected {
                username: gone.clone(),
            });
        }
    }
    if !socket.connected() {
        // Disconnected while logging in: the disconnect handler found no session to drop.
        hub.unregister(socket.id);
        return;
    }
    spawn_drain(socket.clone(), rx, queued_bytes, log.clone());
    info!(log, "socket logged in"; "user" => &user.username,
        "ua_type" => request.ua_type.map(UaType::as_str), "rooms" => ?rooms.names());
    hub.notify(SessionEvent::LoggedIn {
        username: user.username,
        ua_type: request.ua_type,
    });
}

/// Spec §4.4: `401` then server-side disconnect.
fn reject(hub: &PushHub, socket: &SocketRef) {
    hub.unregister(socket.id);
    let _ = socket.emit("401", &json!({"message": "unauthorized access"}));
    disconnect(socket, &hub.inner.log);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_validation_follows_spec() {
        let ok = json!({"accessKeyId": "alice", "token": "t", "uaType": "mobile"});
        assert_eq!(
            parse_login(Some(&ok)),
            Some(LoginRequest {
                access_key_id: "alice".into(),
                token: "t".into(),
                ua_type: Some(UaType::Mobile)
            })
        );
        let no_ua = json!({"accessKeyId": "alice", "token": "t"});
        assert_eq!(parse_login(Some(&no_ua)).map(|r| r.ua_type), Some(None));
        for bad in [
            json!("alice"),
            json!({"accessKeyId": "alice"}),
            json!({"accessKeyId": 1, "token": "t"}),
            json!({"accessKeyId": "alice", "token": "t", "uaType": "tablet"}),
            json!({"accessKeyId": "alice", "token": "t", "uaType": 3}),
        ] {
            assert_eq!(parse_login(Some(&bad)), None, "{bad}");
        }
        assert_eq!(parse_login(None), None);
    }
}
