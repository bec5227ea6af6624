//! Building the socket.io service around the warp routes, and serving it on a listener.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use http::{Request, Response};
use hyper::body::{Body, Incoming};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use slog::{debug, info, warn, Logger};
use socketioxide::service::SocketIoService;
use socketioxide::SocketIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tower::ServiceExt;

use super::config::PushConfig;
use super::handlers::attach;
use super::hub::PushHub;
use super::kill::{KillSwitch, KillableIo};
use super::limits::ServeLimits;
use super::owned_head;
use super::user::SocketAuthenticator;

type BoxError = Box<dyn StdError + Send + Sync>;

/// Wraps `inner` (e.g. `warp::service(routes)`) so `/socket.io/` is answered by socket.io
/// (Engine.IO 4, websocket and polling) and every other path by `inner`.
///
/// Returns the service to [`serve`] (clone it to serve several listeners; they share one
/// hub) and the [`PushHub`] to publish through.
pub fn build<S: Clone>(
    inner: S,
    auth: Arc<dyn SocketAuthenticator>,
    config: PushConfig,
    log: Logger,
) -> (SocketIoService<S>, PushHub) {
    let (svc, io) = SocketIo::builder()
        .ping_interval(config.ping_interval)
        .ping_timeout(config.ping_timeout)
        .max_payload(config.max_payload)
        // Engine.IO's max_payload only bounds polling bodies; websocket messages have
        // their own limits (64 MiB / 16 MiB frames by default).
        .ws_max_message_size(ws_limit(config.max_payload))
        .ws_max_frame_size(ws_limit(config.max_payload))
        .max_buffer_size(config.engine_queue_capacity.max(1))
        .ws_read_buffer_size(config.ws_read_buffer_size.max(1))
        .build_with_inner_svc(inner);
    let hub = PushHub::new(auth, config, log);
    attach(&io, hub.clone());
    hub.spawn_keepalive();
    (svc, hub)
}

fn ws_limit(max_payload: u64) -> usize {
    usize::try_from(max_payload).unwrap_or(usize::MAX)
}

/// Serves `svc` on `listener` (HTTP/1 with upgrades) until `shutdown` is cancelled.
///
/// Each request carries the peer's [`SocketAddr`](std::net::SocketAddr) in its extensions (for the client IP)
/// and the connection's [`KillSwitch`]; a socket.io request's head is copied out of the
/// connection's read buffer first (`owned_head`), since Engine.IO keeps it for the
/// socket's life. A connection that does not send a complete request head within `limits.header_read_timeout` is closed; past `limits.max_connections` open
/// connections (shared by the listeners given clones of `limits`) new ones are closed at
/// once. On shutdown it stops accepting, lets plain HTTP connections finish for
/// `limits.grace`, then cuts whatever is left, websockets included.
pub async fn serve<S, B>(
    listener: TcpListener,
    svc: S,
    shutdown: CancellationToken,
    limits: ServeLimits,
    log: Logger,
) where
    S: tower::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    // HTTP/1 only (the auto builder's version sniffing waits for bytes without a timeout).
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut saturated = false;
    // Shutdown: `drain` asks every connection to finish its request and close, `tracker`
    // waits for them, then `hard` cuts whatever is left (websockets included).
    let drain = CancellationToken::new();
    let tracker = TaskTracker::new();
    let hard = CancellationToken::new();
    info!(log, "push listener started"; "addr" => ?listener.local_addr().ok());
    loop {
        let accepted = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(ok) => ok,
            Err(e) => {
                // EMFILE and friends: back off instead of spinning.
                warn!(log, "accept failed"; "error" => %e);
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let Some(slot) = limits.try_slot() else {
            if !saturated {
                warn!(log, "connection limit reached, refusing new connections";
                    "max_connections" => limits.max_connections());
            }
            saturated = true;
            drop(stream);
            continue;
        };
        if saturated {
            info!(log, "below the connection limit again, accepting");
            saturated = false;
        }
        let switch = KillSwitch::new(hard.child_token());
        let io = TokioIo::new(KillableIo::new(stream, &switch));
        let tagged = svc.clone().map_request(move |mut req: Request<Incoming>| {
            owned_head::detach(&mut req);
            req.extensions_mut().insert(switch.clone());
            req.extensions_mut().insert(peer);
            req
        });
        let conn = builder
            .serve_connection(io, TowerToHyperService::new(tagged))
            .with_upgrades();
        let log = log.clone();
        let drain = drain.clone();
        tracker.spawn(async move {
            let mut conn = std::pin::pin!(conn);
            let ended = tokio::select! {
                ended = conn.as_mut() => ended,
                _ = drain.cancelled() => {
                    conn.as_mut().graceful_shutdown();
                    conn.as_mut().await
                }
            };
            if let Err(e) = ended {
                debug!(log, "connection ended with error"; "peer" => %peer, "error" => %e);
            }
            drop(slot);
        });
    }
    drop(listener);
    drain.cancel();
    tracker.close();
    tokio::select! {
        _ = tracker.wait() => {}
        _ = tokio::time::sleep(limits.grace) => {
            debug!(log, "grace period over, cutting remaining connections");
        }
    }
    hard.cancel();
    info!(log, "push listener stopped");
}
