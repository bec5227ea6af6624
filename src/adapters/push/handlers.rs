//! socket.io namespace handlers: connect, `login`, `ping`, `message`, `takeOverAck`, disconnect, login timeout.

use std::convert::Infallible;

use serde_json::Value;
use slog::{debug, info};
use socketioxide::extract::{AckSender, SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use socketioxide::socket::DisconnectReason;
use socketioxide::SocketIo;
use std::sync::Arc;
use tokio::sync::watch;

use super::broadcast::Broadcast;
use super::events::MESSAGE;
use super::hub::{disconnect, PushHub};
use super::login::handle_login;

/// Installs the handlers of the default namespace `/`.
///
/// The event handlers are registered in a connect *middleware*: socketioxide awaits it
/// before sending the namespace CONNECT packet, whereas the connect handler runs in a task
/// spawned after that packet went out, and the socket only counts as connected (can be
/// emitted to) from just before that. Clients emit `login` as soon as they see CONNECT:
/// with the handlers registered in the connect handler the login could be dropped, or
/// handled before the socket was connected, and the client waited for the login timeout.
/// Now the connect handler only signals [`Connected`], which the login handler awaits.
pub(crate) fn attach(io: &SocketIo, hub: PushHub) {
    let register = move |socket: SocketRef| {
        let hub = hub.clone();
        async move {
            on_connect(hub, socket);
            Ok::<(), Infallible>(())
        }
    };
    let connected = async |socket: SocketRef| {
        if let Some(Connected(signal)) = socket.extensions.get::<Connected>() {
            signal.send_replace(true);
        }
    };
    io.ns("/", connected.with(register));
}

/// Set once socketioxide has marked the socket connected (its connect handler runs).
#[derive(Clone)]
struct Connected(Arc<watch::Sender<bool>>);

fn on_connect(hub: PushHub, socket: SocketRef) {
    debug!(hub.inner.log, "socket connected"; "sid" => %socket.id);
    let (signal, connected) = watch::channel(false);
    socket.extensions.insert(Connected(Arc::new(signal)));
    let h = hub.clone();
    socket.on(
        "login",
        move |s: SocketRef, TryData(data): TryData<Value>| {
            let hub = h.clone();
            let connected = connected.clone();
            async move { handle_login(hub, s, data.ok(), connected).await }
        },
    );
    // Spec §1: the ack carries no argument (`43<id>[]`); allowed before login.
    socket.on("ping", async |ack: AckSender| {
        let _ = ack.send(&[(); 0]);
    });
    let h = hub.clone();
    socket.on(
        "message",
        move |s: SocketRef, TryData(data): TryData<Value>| {
            let hub = h.clone();
            async move {
                if let Ok(data) = data {
                    relay(&hub, &s, data);
                }
            }
        },
    );
    // Login never waits for this ack (see `login`), so it is only accepted.
    socket.on("takeOverAck", async || {});
    let h = hub.clone();
    socket.on_disconnect(move |s: SocketRef, reason: DisconnectReason| {
        let hub = h.clone();
        async move {
            if let Some(session) = hub.unregister(s.id) {
                info!(hub.inner.log, "socket disconnected";
                    "sid" => %s.id, "user" => session.user.username, "reason" => %reason);
            }
        }
    });
    spawn_login_timeout(hub, socket);
}

/// Closes the socket if it has not logged in within the configured timeout.
fn spawn_login_timeout(hub: PushHub, socket: SocketRef) {
    let timeout = hub.inner.config.login_timeout;
    tokio::spawn(async move {
        tokio::time::sleep(timeout).await;
        if socket.connected() && hub.inner.registry.user_of(socket.id).is_none() {
            info!(hub.inner.log, "socket never logged in, closing"; "sid" => %socket.id);
            disconnect(&socket, &hub.inner.log);
        }
    });
}

/// Spec §7: relays `message` unchanged to `destUser`'s sockets.
///
/// Unlike the original (quirk 7) the sender must be logged in; `screenSharingStart` also
/// needs the `screen_sharing` permission, and payloads over `max_relay_bytes` are dropped
/// (each copy waits in the recipients' queues).
fn relay(hub: &PushHub, socket: &SocketRef, data: Value) {
    let Some(sender) = hub.inner.registry.user_of(socket.id) else {
        debug!(hub.inner.log, "message from socket not logged in dropped"; "sid" => %socket.id);
        return;
    };
    let screen_sharing = data.get("message").and_then(Value::as_str) == Some("screenSharingStart");
    if screen_sharing && !sender.permissions.screen_sharing {
        info!(hub.inner.log, "screen sharing message dropped: no permission";
            "user" => &sender.username);
        return;
    }
    let size = json_size(&data);
    if size > hub.inner.config.max_relay_bytes {
        info!(hub.inner.log, "message dropped: payload too large";
            "user" => &sender.username, "bytes" => size,
            "max_bytes" => hub.inner.config.max_relay_bytes);
        return;
    }
    let Some(dest) = data.get("destUser").and_then(Value::as_str) else {
        debug!(hub.inner.log, "message without destUser dropped"; "user" => &sender.username);
        return;
    };
    let event = Broadcast::to_user(MESSAGE, dest, data.clone());
    if let Err(e) = hub.publish(&event) {
        info!(hub.inner.log, "message relay failed"; "error" => %e);
    }
}

/// Serialised size of `value` in bytes, without building the text.
fn json_size(value: &Value) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        // Writing to a counter cannot fail; count it as too big if it ever does.
        Err(_) => usize::MAX,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_size_is_the_serialised_length() {
        let v = json!({"destUser": "alice", "p": "x".repeat(1000)});
        assert_eq!(json_size(&v), v.to_string().len());
    }
}
