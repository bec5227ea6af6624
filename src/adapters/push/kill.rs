//! Per-connection kill switch: lets the push hub cut a TCP connection whose socket.io queue is stuck.
//!
//! socketioxide can only disconnect a socket by queueing a DISCONNECT packet, which is
//! impossible when a client stopped reading and its queue is full. [`serve`](super::serve)
//! wraps every accepted stream in [`KillableIo`] and puts the matching [`KillSwitch`] in the
//! request extensions, where the handshake's `req_parts()` keeps it; firing the switch makes
//! every pending and future read/write fail, so the websocket task ends and the socket closes.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio_util::sync::{CancellationToken, WaitForCancellationFutureOwned};

/// Cuts one connection; cheap to clone.
#[derive(Debug, Clone)]
pub struct KillSwitch {
    token: CancellationToken,
}

impl KillSwitch {
    /// A switch fired when `token` is cancelled (or by [`KillSwitch::fire`]).
    pub(crate) fn new(token: CancellationToken) -> Self {
        Self { token }
    }

    /// Cuts the connection.
    pub fn fire(&self) {
        self.token.cancel();
    }
}

/// A stream that fails all I/O once its kill switch fires.
pub(crate) struct KillableIo<T> {
    inner: T,
    read_cancel: Pin<Box<WaitForCancellationFutureOwned>>,
    write_cancel: Pin<Box<WaitForCancellationFutureOwned>>,
}

impl<T> KillableIo<T> {
    pub(crate) fn new(inner: T, switch: &KillSwitch) -> Self {
        Self {
            inner,
            read_cancel: Box::pin(switch.token.clone().cancelled_owned()),
            write_cancel: Box::pin(switch.token.clone().cancelled_owned()),
        }
    }
}

fn killed() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection cut by the push hub",
    )
}

impl<T: AsyncRead + Unpin> AsyncRead for KillableIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.read_cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for KillableIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.write_cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    // Vectored writes passed through: without them hyper copies every response body into
    // its write buffer (17 % of the daemon's CPU serving the 308 KB extension list).
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if self.write_cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if self.write_cancel.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Err(killed()));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
