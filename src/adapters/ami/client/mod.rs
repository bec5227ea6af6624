//! The AMI client: a clonable [`AmiClient`] handle talking over a channel to one task that
//! owns the TCP connection.
//!
//! The task connects, reads the banner, logs in, then sends actions with fresh ActionIDs
//! and completes them from the matching responses (event lists gathered, async originates
//! finished by `OriginateResponse`). Frames that answer nothing of ours are forwarded to the
//! application, in arrival order, as [`AmiNotice::Event`]. A keepalive `Ping` runs every
//! `ping_interval`. When the connection drops every pending action fails at once, the
//! application gets [`AmiNotice::Disconnected`], and the task reconnects with exponential
//! backoff until the [`CancellationToken`] is cancelled; after each login it sends
//! [`AmiNotice::Connected`] so the application can resync. Actions sent while disconnected
//! fail at once with [`AmiError::Unavailable`].
//!
//! ```no_run
//! # async fn demo(settings: nethcti_server::adapters::ami::settings::AmiSettings, log: slog::Logger) {
//! use nethcti_server::adapters::ami::{action::Action, client::{AmiClient, AmiNotice}};
//! let shutdown = tokio_util::sync::CancellationToken::new();
//! let (client, mut notices, _task) = AmiClient::spawn(settings, log, shutdown.clone());
//! while let Some(notice) = notices.recv().await {
//!     if let AmiNotice::Connected { .. } = notice {
//!         let channels = client.send(Action::list("CoreShowChannels")).await;
//!     }
//! }
//! # }
//! ```

mod actor;
pub(crate) mod ids;
mod pending;
mod session;

use super::action::Action;
use super::error::AmiError;
use super::frame::Frame;
use super::reply::AmiReply;
use super::settings::AmiSettings;
use slog::Logger;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What the client tells the application, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmiNotice {
    /// Logged in (first time or after a reconnect): resync state now.
    Connected {
        /// The greeting line, e.g. `Asterisk Call Manager/11.0.0`.
        banner: String,
    },
    /// The connection was lost; pending actions have failed.
    Disconnected {
        /// Why.
        reason: String,
    },
    /// An event (or any frame that answers none of our actions).
    Event(Frame),
}

/// One action handed to the connection task.
pub(crate) struct Request {
    action: Action,
    reply: oneshot::Sender<Result<AmiReply, AmiError>>,
}

/// Clonable handle to the AMI connection task.
#[derive(Clone, Debug)]
pub struct AmiClient {
    tx: mpsc::Sender<Request>,
    action_timeout: Duration,
}

/// Extra wait on the caller's side beyond the task's own deadline (the task answers first).
const CALLER_GRACE: Duration = Duration::from_secs(1);

impl AmiClient {
    /// Starts the connection task. Returns the handle, the notice stream and the task.
    pub fn spawn(
        settings: AmiSettings,
        logger: Logger,
        shutdown: CancellationToken,
    ) -> (Self, mpsc::UnboundedReceiver<AmiNotice>, JoinHandle<()>) {
        let (tx, rx) = mpsc::channel(1024);
        let (notice_tx, notice_rx) = mpsc::unbounded_channel();
        let action_timeout = settings.action_timeout;
        let task = tokio::spawn(actor::run(settings, logger, shutdown, rx, notice_tx));
        (Self { tx, action_timeout }, notice_rx, task)
    }

    /// The default per-action time limit.
    pub fn action_timeout(&self) -> Duration {
        self.action_timeout
    }

    /// Sends `action` and waits (bounded) for its complete answer.
    ///
    /// # Errors
    /// [`AmiError::Unavailable`] when not connected, [`AmiError::Rejected`] on
    /// `Response: Error`, [`AmiError::Timeout`], [`AmiError::Disconnected`] when the
    /// connection drops meanwhile, [`AmiError::ShutDown`] after shutdown.
    pub async fn send(&self, action: Action) -> Result<AmiReply, AmiError> {
        let limit = action.timeout.unwrap_or(self.action_timeout);
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Request { action, reply })
            .await
            .map_err(|_| AmiError::ShutDown)?;
        match tokio::time::timeout(limit + CALLER_GRACE, rx).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(AmiError::ShutDown),
            Err(_) => Err(AmiError::Timeout(limit)),
        }
    }
}
