//! The PBX link: consumes the AMI client's notices in order. After every (re)login it loads
//! the whole PBX state with a fixed handful of list actions and hands it to the model as a
//! snapshot (the model emits only what differs); every event is translated and applied.
//!
//! Events that arrive while the lists are loading wait in the notice channel and are
//! applied after the snapshot, so nothing is lost and nothing is applied twice out of
//! order. A `FullyBooted`/`Reload` seen in the stream asks for a new load. A load that
//! fails (a list action timed out or failed) is retried while the session stays up, 1 s
//! doubling to 30 s ([`LoadRetry`]); between attempts events are applied live, and each
//! attempt is again a snapshot followed by the events that arrived during it.
//!
//! Clients get only the entities that differ after any load, then `serverReloaded` when
//! [`ReloadNotice`] says the load followed an Asterisk restart or reload.
//!
//! Events of a name the adapter does not know are dropped, counted in [`LinkStats`] and
//! logged at debug level.
//!
//! Events already waiting in the channel are applied as one batch (up to [`MAX_BATCH`]):
//! under load the model takes one lock and renders each changed entity once per batch
//! instead of once per event; an idle link still applies each event as it arrives.

use super::link_stats::LinkStats;
use super::load_retry::LoadRetry;
use super::model::LiveModel;
use super::reload_notice::{LoadCause, ReloadNotice};
use crate::adapters::ami::action::{Action, Expect};
use crate::adapters::ami::classify::{classify, Translation};
use crate::adapters::ami::client::{AmiClient, AmiNotice};
use crate::adapters::ami::frame::Frame;
use crate::adapters::ami::snapshot::{build_snapshot, conference_actions, list_actions};
use crate::adapters::push::Broadcast;
use crate::domain::change::Change;
use crate::domain::pbx_event::{PbxEvent, Snapshot};
use futures::future::join_all;
use slog::{debug, info, warn, Logger};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// Why an initial load failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A list action failed.
    #[error("list action {action} failed: {error}")]
    List {
        /// The action name.
        action: String,
        /// The AMI error.
        error: crate::adapters::ami::error::AmiError,
    },
}

/// An AMI action from a snapshot list frame (`Action: X` plus its other fields).
fn action_of(frame: &Frame) -> Action {
    Action {
        frame: frame.clone(),
        expect: Expect::Response,
        timeout: None,
    }
}

async fn run_lists(client: &AmiClient, frames: Vec<Frame>) -> Result<Vec<Frame>, LoadError> {
    let replies = join_all(frames.iter().map(|f| client.send(action_of(f)))).await;
    let mut items = Vec::new();
    for (frame, reply) in frames.iter().zip(replies) {
        match reply {
            Ok(r) => items.extend(r.events),
            // Lists that Asterisk answers with an error when empty (no conference, no
            // parked call on old versions, DBGetTree of an empty family) mean "none".
            Err(crate::adapters::ami::error::AmiError::Rejected { .. }) => {}
            Err(error) => {
                return Err(LoadError::List {
                    action: frame.get_or_empty("Action").to_owned(),
                    error,
                })
            }
        }
    }
    Ok(items)
}

/// Loads the whole PBX state with the fixed list actions (plus one `ConfbridgeList` per
/// active room).
///
/// # Errors
/// [`LoadError`] when a list fails for another reason than "nothing to list".
pub async fn load_snapshot(client: &AmiClient) -> Result<Snapshot, LoadError> {
    let mut items = run_lists(client, list_actions()).await?;
    let rooms = conference_actions(&items);
    if !rooms.is_empty() {
        items.extend(run_lists(client, rooms).await?);
    }
    Ok(build_snapshot(&items))
}

/// Runs the link until `shutdown` or until the notice stream ends, counting in `stats`.
pub async fn run(
    client: AmiClient,
    mut notices: UnboundedReceiver<AmiNotice>,
    model: Arc<LiveModel>,
    ready: Arc<AtomicBool>,
    stats: Arc<LinkStats>,
    log: Logger,
    shutdown: CancellationToken,
) {
    // Asterisk greets every new session with `FullyBooted`: that one is covered by the load
    // done on `Connected`; a later one (or a `Reload`) asks for a new load.
    let mut greeted = false;
    let mut link = Loads {
        client: &client,
        model: &model,
        ready: &ready,
        log: &log,
        notice: ReloadNotice::default(),
        retry: LoadRetry::default(),
    };
    // A notice taken off the channel while collecting a batch, handled next.
    let mut pending: Option<AmiNotice> = None;
    loop {
        // While a retry waits, events keep being applied live (the model stays as current
        // as it can be); during every load attempt they wait in the channel, as always.
        let notice = match pending.take() {
            Some(notice) => notice,
            None => tokio::select! {
                () = shutdown.cancelled() => return,
                cause = link.retry.due() => {
                    info!(log, "retrying PBX state load");
                    link.load(cause).await;
                    continue;
                }
                n = notices.recv() => match n { Some(n) => n, None => return },
            },
        };
        match notice {
            AmiNotice::Connected { banner } => {
                info!(log, "AMI connected, loading PBX state"; "banner" => banner);
                greeted = false;
                link.retry.clear();
                link.load(LoadCause::Connected).await;
            }
            AmiNotice::Disconnected { reason } => {
                warn!(log, "AMI disconnected; state frozen until reconnect"; "reason" => reason);
                // The next `Connected` loads anyway.
                link.retry.clear();
            }
            AmiNotice::Event(frame) => {
                let mut batch = Batch::default();
                let mut next = Some(frame);
                while let Some(frame) = next.take() {
                    if let Some(event) = translate(&frame, &stats, &log) {
                        if batch.push(event, &mut greeted, &mut link.notice) {
                            break;
                        }
                    }
                    if batch.events.len() >= MAX_BATCH {
                        break;
                    }
                    match notices.try_recv() {
                        Ok(AmiNotice::Event(frame)) => next = Some(frame),
                        Ok(other) => pending = Some(other),
                        Err(_) => {}
                    }
                }
                if batch.events.is_empty() {
                    continue;
                }
                stats.count_batch();
                let changes = model.apply_batch(batch.events);
                if changes.contains(&Change::ResyncRequested) && !batch.greeting {
                    info!(log, "PBX rebooted or reloaded, resyncing");
                    link.load(LoadCause::Requested).await;
                }
            }
        }
    }
}

/// Most events applied under one lock and coalesced together.
const MAX_BATCH: usize = 1024;

/// The events already received, applied together.
#[derive(Default)]
struct Batch {
    events: Vec<PbxEvent>,
    /// The batch ends with this session's first `FullyBooted` (covered by the load done on
    /// `Connected`, so its resync request is not followed).
    greeting: bool,
}

impl Batch {
    /// Adds `event`; true when the batch must end with it (an event that may ask for a
    /// resync: what follows is applied after the new load, as it arrived after it).
    fn push(&mut self, event: PbxEvent, greeted: &mut bool, notice: &mut ReloadNotice) -> bool {
        let ends = matches!(
            event,
            PbxEvent::FullyBooted | PbxEvent::Reload { .. } | PbxEvent::Shutdown { .. }
        );
        self.greeting = !*greeted && matches!(event, PbxEvent::FullyBooted);
        *greeted |= self.greeting;
        if matches!(event, PbxEvent::Shutdown { .. }) {
            notice.saw_shutdown();
        }
        self.events.push(event);
        ends
    }
}

/// The domain event of an AMI event frame (`None`: ignored, or unknown and counted).
fn translate(frame: &Frame, stats: &LinkStats, log: &Logger) -> Option<PbxEvent> {
    stats.count_received();
    match classify(frame) {
        Translation::Event(event) => {
            stats.count_applied();
            Some(event)
        }
        Translation::Ignored => None,
        Translation::Unknown { name } => {
            let total = stats.count_unknown();
            debug!(log, "unknown AMI event dropped"; "event" => name, "unknown_total" => total);
            None
        }
    }
}

/// The loading side of the link: one attempt, then the reload notice or the next retry.
struct Loads<'a> {
    client: &'a AmiClient,
    model: &'a LiveModel,
    ready: &'a AtomicBool,
    log: &'a Logger,
    notice: ReloadNotice,
    retry: LoadRetry,
}

impl Loads<'_> {
    async fn load(&mut self, cause: LoadCause) {
        match resync(self.client, self.model, self.ready, self.log).await {
            Ok(()) => {
                self.retry.clear();
                if self.notice.loaded(cause) {
                    announce_reload(self.model, self.log);
                }
            }
            Err(e) => {
                let (delay, attempt) = self.retry.failed(Instant::now(), cause);
                warn!(self.log, "PBX state load failed; retrying while connected";
                    "error" => %e, "retry_in_ms" => delay.as_millis() as u64,
                    "attempt" => attempt);
            }
        }
    }
}

fn announce_reload(model: &LiveModel, log: &Logger) {
    info!(log, "PBX reloaded: telling clients (serverReloaded)");
    model.publish(&Broadcast::server_reloaded());
}

/// Loads the PBX state into the model and marks the server ready.
async fn resync(
    client: &AmiClient,
    model: &LiveModel,
    ready: &AtomicBool,
    log: &Logger,
) -> Result<(), LoadError> {
    let started = Instant::now();
    let snapshot = load_snapshot(client).await?;
    let changes = model.apply(PbxEvent::Snapshot(Box::new(snapshot)));
    let (extensions, queues, trunks, parkings, channels) = model.counts();
    info!(log, "PBX state loaded";
        "extensions" => extensions, "queues" => queues, "trunks" => trunks,
        "parkings" => parkings, "channels" => channels,
        "changes" => changes.len(), "ms" => started.elapsed().as_millis() as u64);
    ready.store(true, Ordering::SeqCst);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_frames_become_actions_with_their_headers() {
        let f = Frame::new()
            .with("Action", "DBGetTree")
            .with("Family", "DND");
        let a = action_of(&f);
        assert_eq!(a.name(), "DBGetTree");
        assert_eq!(
            a.frame.to_wire(),
            "Action: DBGetTree\r\nFamily: DND\r\n\r\n"
        );
        assert_eq!(a.expect, Expect::Response);
    }
}
