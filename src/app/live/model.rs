//! The live model as the application holds it: the switchboard and the users directory
//! behind locks, fed by PBX events and operation effects, publishing every change it
//! causes to the push layer.
//!
//! Events are applied in batches (whatever the AMI link has already received): the batch is
//! applied under one write lock, its changes are coalesced ([`coalesce`]) and each changed
//! entity is rendered once, in its state after the batch.

use super::coalesce::coalesce;
use super::publisher::{broadcasts_for, BroadcastSink, PresenceMemory, Render};
use crate::app::operations::SharedModel;
use crate::domain::change::Change;
use crate::domain::operations::effects::apply_effect;
use crate::domain::operations::Effect;
use crate::domain::pbx_event::PbxEvent;
use crate::domain::switchboard::Switchboard;
use crate::ports::clock::Clock;
use std::sync::{Arc, Mutex, PoisonError, RwLockWriteGuard};

/// Most broadcasts rendered before they are handed to the sink.
const SEND_CHUNK: usize = 256;

/// Sees every batch of changes the model applied, after it was published (tests, metrics).
pub trait ChangeObserver: Send + Sync {
    /// Called once per applied event or effect, with the changes it caused (maybe none).
    fn observe(&self, changes: &[Change]);
}

/// The switchboard and its publisher.
pub struct LiveModel {
    shared: SharedModel,
    clock: Arc<dyn Clock>,
    sink: Arc<dyn BroadcastSink>,
    presence: Mutex<PresenceMemory>,
    observer: Option<Arc<dyn ChangeObserver>>,
}

impl LiveModel {
    /// A model over `shared`, timing with `clock`, publishing to `sink`.
    pub fn new(shared: SharedModel, clock: Arc<dyn Clock>, sink: Arc<dyn BroadcastSink>) -> Self {
        Self {
            shared,
            clock,
            sink,
            presence: Mutex::new(PresenceMemory::default()),
            observer: None,
        }
    }

    /// The same model, also telling `observer` every batch of changes.
    pub fn with_observer(mut self, observer: Arc<dyn ChangeObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The shared switchboard and users (for read views).
    pub fn shared(&self) -> &SharedModel {
        &self.shared
    }

    fn write(&self) -> RwLockWriteGuard<'_, Switchboard> {
        self.shared
            .switchboard
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies a PBX event, publishes what changed, returns the changes.
    pub fn apply(&self, event: PbxEvent) -> Vec<Change> {
        self.apply_batch(vec![event])
    }

    /// Applies PBX events in order under one lock, then publishes what the batch changed
    /// (each changed entity once, in its final state); returns every change, in order.
    pub fn apply_batch(&self, events: Vec<PbxEvent>) -> Vec<Change> {
        self.mutate(|sb, now| events.into_iter().map(|e| sb.apply(e, now)).collect())
    }

    /// Applies an operation effect (recording marks, AstDB writes), publishes, returns.
    pub fn apply_effect(&self, effect: &Effect) -> Vec<Change> {
        self.mutate(|sb, now| vec![apply_effect(sb, effect, now)])
    }

    /// Runs `f` at one clock reading (one change list per applied event or effect) and
    /// publishes the result, rendered at that same time.
    fn mutate(&self, f: impl FnOnce(&mut Switchboard, i64) -> Vec<Vec<Change>>) -> Vec<Change> {
        let now = self.clock.now_ms();
        let render = Render::for_sink(self.sink.as_ref());
        let (all, ends, out) = {
            let mut sb = self.write();
            let per_event = f(&mut sb, now);
            // One flat list, and where each event's changes end (for the observer).
            let mut ends = Vec::with_capacity(per_event.len());
            let mut all = Vec::with_capacity(per_event.iter().map(Vec::len).sum());
            for changes in per_event {
                all.extend(changes);
                ends.push(all.len());
            }
            let users = self
                .shared
                .users
                .read()
                .unwrap_or_else(PoisonError::into_inner);
            let mut presence = self.presence.lock().unwrap_or_else(PoisonError::into_inner);
            let mut out = Vec::new();
            for change in coalesce(&all) {
                out.extend(broadcasts_for(
                    change,
                    &sb,
                    &users,
                    &mut presence,
                    now,
                    render,
                ));
                // A huge batch (a PBX load: every extension) goes out in chunks instead of
                // holding every rendered payload at once (the sink never blocks).
                if out.len() >= SEND_CHUNK {
                    self.sink.send_all(&out);
                    out.clear();
                }
            }
            (all, ends, out)
        };
        if !out.is_empty() {
            self.sink.send_all(&out);
        }
        if let Some(o) = &self.observer {
            let mut start = 0;
            for end in ends {
                o.observe(&all[start..end]);
                start = end;
            }
        }
        all
    }

    /// Publishes a broadcast not caused by a model change (`serverReloaded`).
    pub fn publish(&self, broadcast: &crate::adapters::push::Broadcast) {
        self.sink.send(broadcast);
    }

    /// Runs `f` on the switchboard under its read lock.
    pub fn read<T>(&self, f: impl FnOnce(&Switchboard) -> T) -> T {
        let sb = self
            .shared
            .switchboard
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        f(&sb)
    }

    /// Counts: (extensions, queues, trunks, parkings, channels).
    pub fn counts(&self) -> (usize, usize, usize, usize, usize) {
        self.read(Switchboard::counts)
    }
}
