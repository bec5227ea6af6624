//! The connection task: connect and log in, run the session, back off, repeat.

use super::ids::ActionIds;
use super::session::{self, End};
use super::{AmiNotice, Request};
use crate::adapters::ami::backoff::Backoff;
use crate::adapters::ami::error::AmiError;
use crate::adapters::ami::login;
use crate::adapters::ami::settings::AmiSettings;
use slog::{info, o, warn, Logger};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// The request side of the task; `open` turns false once every handle is dropped.
pub(super) struct Inbox {
    pub rx: mpsc::Receiver<Request>,
    pub open: bool,
}

impl Inbox {
    /// Next request, or pending forever once closed (for use in `select!`).
    pub async fn recv(&mut self) -> Request {
        if self.open {
            if let Some(r) = self.rx.recv().await {
                return r;
            }
            self.open = false;
        }
        std::future::pending().await
    }
}

/// Runs until `shutdown` is cancelled.
pub(super) async fn run(
    settings: AmiSettings,
    logger: Logger,
    shutdown: CancellationToken,
    rx: mpsc::Receiver<Request>,
    notices: mpsc::UnboundedSender<AmiNotice>,
) {
    let mut inbox = Inbox { rx, open: true };
    let mut backoff = Backoff::new(settings.backoff.clone());
    let mut ids = ActionIds::new("nethcti-");
    let mut conn_no: u64 = 0;
    loop {
        conn_no += 1;
        let log = logger.new(o!("ami_conn" => conn_no, "ami_addr" => settings.addr()));
        let opened = {
            let attempt =
                tokio::time::timeout(settings.connect_timeout, login::open(&settings, &mut ids));
            tokio::pin!(attempt);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    r = &mut attempt => break r,
                    req = inbox.recv() => { let _ = req.reply.send(Err(AmiError::Unavailable)); }
                }
            }
        };
        match opened {
            Ok(Ok(session)) => {
                let logged_in = tokio::time::Instant::now();
                info!(log, "AMI logged in"; "banner" => &session.banner);
                let _ = notices.send(AmiNotice::Connected {
                    banner: session.banner.clone(),
                });
                for ev in session.early_events {
                    let _ = notices.send(AmiNotice::Event(ev));
                }
                let end = session::run(
                    session.stream,
                    &settings,
                    &log,
                    &mut ids,
                    &mut inbox,
                    &shutdown,
                    &notices,
                )
                .await;
                match end {
                    End::ShutDown => return,
                    End::Lost(reason) => {
                        let up = logged_in.elapsed();
                        // Only a connection that stayed up earns a fresh 1 s delay: a dying
                        // PBX that accepts the login and resets at once keeps backing off.
                        if up >= settings.backoff.stable_after {
                            backoff.reset();
                        }
                        warn!(log, "AMI connection lost"; "reason" => &reason, "up_ms" => up.as_millis() as u64);
                        let _ = notices.send(AmiNotice::Disconnected { reason });
                    }
                }
            }
            Ok(Err(e)) => warn!(log, "AMI connect/login failed"; "error" => %e),
            Err(_) => {
                warn!(log, "AMI connect/login timed out"; "limit" => ?settings.connect_timeout)
            }
        }
        let delay = backoff.next_delay(&mut rand::rng());
        info!(log, "AMI reconnecting after delay"; "delay_ms" => delay.as_millis());
        let sleep = tokio::time::sleep(delay);
        tokio::pin!(sleep);
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return,
                _ = &mut sleep => break,
                req = inbox.recv() => { let _ = req.reply.send(Err(AmiError::Unavailable)); }
            }
        }
    }
}
