//! The PBX link: consumes the AMI client's notices in order. After every (re)login it loads
//! the whole PBX state with a fixed handful of list actions and hands it to the model as a
//! snapshot (the model emits only what differs); every event is translated and applied.
//!
//! Events that arrive while the lists are loading wait in the notice channel and are
//! applied after the snapshot, so nothing is lost and nothing is applied twice out of
//! order. A `FullyBooted`/`Reload` seen in the stream asks for a new load.
//!
//! Clients get only the entities that differ after any load, then `serverReloaded` when
//! [`ReloadNotice`] says the load followed an Asterisk restart or reload.
//!
//! Events of a name the adapter does not know are dropped, counted in [`LinkStats`] and
//! logged at debug level.

use super::link_stats::LinkStats;
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
use std::time::Instant;
use tokio::sync::mpsc::UnboundedReceiver;
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
    let mut notice_of_reload = ReloadNotice::default();
    loop {
        let notice = tokio::select! {
            () = shutdown.cancelled() => return,
            n = notices.recv() => match n { Some(n) => n, None => return },
        };
        match notice {
            AmiNotice::Connected { banner } => {
                info!(log, "AMI connected, loading PBX state"; "banner" => banner);
                greeted = false;
                if resync(&client, &model, &ready, &log).await
                    && notice_of_reload.loaded(LoadCause::Connected)
                {
                    announce_reload(&model, &log);
                }
            }
            AmiNotice::Disconnected { reason } => {
                warn!(log, "AMI disconnected; state frozen until reconnect"; "reason" => reason);
            }
            AmiNotice::Event(frame) => {
                let event = match classify(&frame) {
                    Translation::Event(event) => event,
                    Translation::Ignored => continue,
                    Translation::Unknown { name } => {
                        let total = stats.count_unknown();
                        debug!(log, "unknown AMI event dropped"; "event" => name, "unknown_total" => total);
                        continue;
                    }
                };
                stats.count_applied();
                let greeting = !greeted && matches!(event, PbxEvent::FullyBooted);
                greeted |= greeting;
                if matches!(event, PbxEvent::Shutdown { .. }) {
                    notice_of_reload.saw_shutdown();
                }
                let changes = model.apply(event);
                if changes.contains(&Change::ResyncRequested) && !greeting {
                    info!(log, "PBX rebooted or reloaded, resyncing");
                    if resync(&client, &model, &ready, &log).await
                        && notice_of_reload.loaded(LoadCause::Requested)
                    {
                        announce_reload(&model, &log);
                    }
                }
            }
        }
    }
}

fn announce_reload(model: &LiveModel, log: &Logger) {
    info!(log, "PBX reloaded: telling clients (serverReloaded)");
    model.publish(&Broadcast::server_reloaded());
}

/// Loads the PBX state into the model; true on success.
async fn resync(client: &AmiClient, model: &LiveModel, ready: &AtomicBool, log: &Logger) -> bool {
    let started = Instant::now();
    match load_snapshot(client).await {
        Ok(snapshot) => {
            let changes = model.apply(PbxEvent::Snapshot(Box::new(snapshot)));
            let (extensions, queues, trunks, parkings, channels) = model.counts();
            info!(log, "PBX state loaded";
                "extensions" => extensions, "queues" => queues, "trunks" => trunks,
                "parkings" => parkings, "channels" => channels,
                "changes" => changes.len(), "ms" => started.elapsed().as_millis() as u64);
            ready.store(true, Ordering::SeqCst);
            true
        }
        Err(e) => {
            warn!(log, "PBX state load failed; will retry on next connection"; "error" => %e);
            false
        }
    }
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
