//! One logged-in connection: writes actions, routes incoming frames, runs the keepalive and
//! the deadlines, and ends on error, close, keepalive failure or shutdown.

use super::actor::Inbox;
use super::ids::{with_action_id, ActionIds};
use super::pending::{Pending, Routed};
use super::{AmiNotice, Request};
use crate::adapters::ami::action::{Action, Expect};
use crate::adapters::ami::codec::{AmiMessage, CodecError};
use crate::adapters::ami::error::{AmiError, SessionError};
use crate::adapters::ami::frame::Frame;
use crate::adapters::ami::login::AmiStream;
use crate::adapters::ami::settings::AmiSettings;
use futures::{SinkExt, StreamExt};
use slog::{debug, error, warn, Logger};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::{interval_at, sleep_until, Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

/// How a session ended.
pub(super) enum End {
    /// Shutdown requested.
    ShutDown,
    /// Connection lost (reason for logs and the `Disconnected` notice).
    Lost(String),
}

/// Limit for the polite `Logoff` on shutdown.
const LOGOFF_LIMIT: Duration = Duration::from_secs(1);

struct Conn<'a> {
    stream: AmiStream,
    settings: &'a AmiSettings,
    log: &'a Logger,
    ids: &'a mut ActionIds,
    pending: Pending,
}

/// Runs a session until it ends; every pending action is failed before returning.
pub(super) async fn run(
    stream: AmiStream,
    settings: &AmiSettings,
    log: &Logger,
    ids: &mut ActionIds,
    inbox: &mut Inbox,
    shutdown: &CancellationToken,
    notices: &mpsc::UnboundedSender<AmiNotice>,
) -> End {
    let mut conn = Conn {
        stream,
        settings,
        log,
        ids,
        pending: Pending::default(),
    };
    let end = conn.serve(inbox, shutdown, notices).await;
    let error = match &end {
        End::ShutDown => AmiError::ShutDown,
        End::Lost(reason) => AmiError::Disconnected(reason.clone()),
    };
    if conn.pending.len() > 0 {
        warn!(log, "failing pending AMI actions"; "count" => conn.pending.len(), "error" => %error);
    }
    conn.pending.fail_all(&error);
    if let End::ShutDown = end {
        let logoff = with_action_id(&Action::logoff().frame, &conn.ids.allocate());
        let _ = tokio::time::timeout(LOGOFF_LIMIT, conn.stream.send(logoff)).await;
    }
    end
}

impl Conn<'_> {
    async fn serve(
        &mut self,
        inbox: &mut Inbox,
        shutdown: &CancellationToken,
        notices: &mpsc::UnboundedSender<AmiNotice>,
    ) -> End {
        let period = self.settings.ping_interval;
        let mut ping = interval_at(Instant::now() + period, period);
        ping.set_missed_tick_behavior(MissedTickBehavior::Delay);
        loop {
            let deadline = self.pending.next_deadline();
            let far = Instant::now() + Duration::from_secs(86_400);
            tokio::select! {
                biased;
                _ = shutdown.cancelled() => return End::ShutDown,
                msg = self.stream.next() => match msg {
                    Some(Ok(AmiMessage::Frame(frame))) => self.route(frame, notices),
                    Some(Ok(AmiMessage::Banner(b))) => warn!(self.log, "unexpected AMI banner"; "banner" => b),
                    Some(Err(e)) => return self.stream_error(e),
                    None => return End::Lost(SessionError::Closed.to_string()),
                },
                _ = sleep_until(deadline.unwrap_or(far)), if deadline.is_some() => {
                    let expired = self.pending.expire(Instant::now());
                    for id in &expired.timed_out {
                        warn!(self.log, "AMI action timed out"; "action_id" => id);
                    }
                    if expired.keepalive_failed {
                        let e = SessionError::Keepalive(self.settings.action_timeout);
                        error!(self.log, "AMI keepalive failed, closing connection"; "error" => %e);
                        return End::Lost(e.to_string());
                    }
                }
                req = inbox.recv() => {
                    if let Err(reason) = self.write(req).await {
                        return End::Lost(reason);
                    }
                }
                _ = ping.tick() => {
                    let id = self.ids.allocate();
                    let frame = with_action_id(&Action::ping().frame, &id);
                    self.pending.insert(id, "Ping", Expect::Response, self.settings.action_timeout, None, true);
                    if let Err(e) = self.stream.send(frame).await {
                        return self.stream_error(e);
                    }
                }
            }
        }
    }

    fn route(&mut self, frame: Frame, notices: &mpsc::UnboundedSender<AmiNotice>) {
        let ids = &*self.ids;
        match self.pending.route(frame, |id| ids.is_ours(id)) {
            Routed::Consumed => {}
            Routed::Forward(frame) => {
                let _ = notices.send(AmiNotice::Event(frame));
            }
            Routed::Unmatched {
                action_id,
                late: true,
            } => {
                debug!(self.log, "late AMI answer after timeout, dropped"; "action_id" => action_id);
            }
            Routed::Unmatched {
                action_id,
                late: false,
            } => {
                warn!(self.log, "AMI frame with unmatched ActionID, dropped"; "action_id" => action_id);
            }
        }
    }

    /// Writes one action; a refused field fails only that action, a socket error the session.
    async fn write(&mut self, req: Request) -> Result<(), String> {
        let Request { action, reply } = req;
        let id = self.ids.allocate();
        let frame = with_action_id(&action.frame, &id);
        let timeout = action.timeout.unwrap_or(self.settings.action_timeout);
        match self.stream.send(frame).await {
            Ok(()) => {
                self.pending.insert(
                    id,
                    action.name(),
                    action.expect,
                    timeout,
                    Some(reply),
                    false,
                );
                Ok(())
            }
            Err(CodecError::InvalidField(field)) => {
                let _ = reply.send(Err(AmiError::InvalidAction(format!(
                    "field `{field}` contains a line break"
                ))));
                Ok(())
            }
            Err(e) => {
                let reason = e.to_string();
                let _ = reply.send(Err(AmiError::Disconnected(reason.clone())));
                error!(self.log, "AMI write failed, closing connection"; "error" => %e);
                Err(reason)
            }
        }
    }

    fn stream_error(&self, e: CodecError) -> End {
        error!(self.log, "AMI stream error, closing connection"; "error" => %e);
        End::Lost(e.to_string())
    }
}
