//! The per-socket drain task: moves queued events into the socket's Engine.IO channel.
//!
//! Publishing only `try_send`s into the bounded queue, so a slow client costs the
//! publisher nothing; this task absorbs the wait. One queue item is a [`Delivery`]: every
//! event of one publication batch this socket receives, so a batch costs one queue
//! operation and one task wake per socket, whatever its length. When Engine.IO's own channel is full
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

/// The events of one publication batch for one socket, in order.
#[derive(Debug, Default)]
pub(crate) struct Delivery {
    pub(crate) events: Vec<Arc<Encoded>>,
    /// Sum of the events' sizes.
    pub(crate) size: usize,
}

impl Delivery {
    /// Adds an event.
    pub(crate) fn push(&mut self, event: Arc<Encoded>) {
        self.size += event.size();
        self.events.push(event);
    }
}

/// Spawns the task draining `rx` into `socket`; it ends when the queue is dropped or the
/// socket closes. Each event handed over takes its size off `queued_bytes`.
pub(crate) fn spawn_drain(
    socket: SocketRef,
    mut rx: mpsc::Receiver<Delivery>,
    queued_bytes: Arc<AtomicUsize>,
    log: Logger,
) {
    tokio::spawn(async move {
        while let Some(delivery) = rx.recv().await {
            for message in delivery.events {
                if !emit(&socket, &message, &queued_bytes, &log).await {
                    return;
                }
            }
        }
    });
}

/// Hands `message` to the socket, waiting while its Engine.IO channel is full; false when
/// the socket is gone.
async fn emit(
    socket: &SocketRef,
    message: &Encoded,
    queued_bytes: &AtomicUsize,
    log: &Logger,
) -> bool {
    let mut backoff = Duration::from_millis(1);
    loop {
        match message.emit(socket) {
            Ok(()) => {
                queued_bytes.fetch_sub(message.size(), Ordering::Relaxed);
                return true;
            }
            Err(SendError::Socket(SocketError::InternalChannelFull)) => {
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(e) => {
                debug!(log, "drain stopped"; "sid" => %socket.id,
                    "event" => message.event(), "error" => %e);
                return false;
            }
        }
    }
}
