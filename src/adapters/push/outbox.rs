//! The per-socket drain task: moves queued events into the socket's Engine.IO channel.
//!
//! Publishing only `try_send`s into the bounded queue, so a slow client costs the
//! publisher nothing; this task absorbs the wait. When Engine.IO's own channel is full
//! (the client stopped reading) the task retries with a short back-off while the queue
//! fills up, until the publisher sees it overflow (by count or by bytes) and cuts the socket.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use slog::{debug, Logger};
use socketioxide::{extract::SocketRef, SendError, SocketError};
use tokio::sync::mpsc;

use super::encoded::Encoded;

const MAX_BACKOFF: Duration = Duration::from_millis(50);

/// Spawns the task draining `rx` into `socket`; it ends when the queue is dropped or the
/// socket closes. Each event handed over takes its size off `queued_bytes`.
pub(crate) fn spawn_drain(
    socket: SocketRef,
    mut rx: mpsc::Receiver<Arc<Encoded>>,
    queued_bytes: Arc<AtomicUsize>,
    log: Logger,
) {
    tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            let mut backoff = Duration::from_millis(1);
            loop {
                match message.emit(&socket) {
                    Ok(()) => {
                        queued_bytes.fetch_sub(message.size(), Ordering::Relaxed);
                        break;
                    }
                    Err(SendError::Socket(SocketError::InternalChannelFull)) => {
                        tokio::time::sleep(backoff).await;
                        backoff = (backoff * 2).min(MAX_BACKOFF);
                    }
                    Err(e) => {
                        debug!(log, "drain stopped"; "sid" => %socket.id,
                            "event" => message.event(), "error" => %e);
                        return;
                    }
                }
            }
        }
    });
}
