//! Render revisions: stamps that tell a cache of rendered extension JSON whether an
//! extension may now render differently than when it was cached, without rendering it.
//!
//! An extension's JSON is a function of three inputs (besides the fixed privacy string
//! and trunk list):
//! - its entity (status, contacts, DND, forwards, …), which changes only together with a
//!   [`Change::ExtensionChanged`] for it (every mutation compares before/after, the
//!   snapshot diffs the rendered JSON);
//! - its live channels and the channels around them: partners and their partners, bridge
//!   members, the Local `;1` leg a queue call came through, recording marks. These are not
//!   tracked per extension: a channel event marks the owners of the channel and of its
//!   partner, not e.g. an extension whose partner in a three-party bridge changed. So an
//!   extension with channels is stamped with the switchboard's generation, which every
//!   mutation bumps; one without channels has no conversations and depends on its entity
//!   alone;
//! - `now`, through conversation durations ([`Switchboard::extension_json_until`]).
//!
//! [`Switchboard::extension_json_until`]: super::Switchboard::extension_json_until

use super::fast_hash::FastMap;
use crate::domain::change::Change;

/// The state an extension's JSON was rendered from: two renderings of one switchboard at
/// equal stamps (and within the same duration second, see
/// [`Switchboard::extension_json_until`](super::Switchboard::extension_json_until)) are
/// identical.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenderStamp {
    entity: u64,
    channels: Option<u64>,
}

/// The revision counters (one per switchboard; every revision handed out is new).
#[derive(Debug, Clone, Default)]
pub(super) struct RenderRevs {
    last: u64,
    snapshot: u64,
    entity: FastMap<String, u64>,
}

impl RenderRevs {
    /// Records one mutation and the changes it reported (`snapshot`: the whole state was
    /// rebuilt, so every entity counts as changed).
    pub(super) fn note(&mut self, changes: &[Change], snapshot: bool) {
        self.last += 1;
        let rev = self.last;
        if snapshot {
            self.snapshot = rev;
        }
        for c in changes {
            if let Change::ExtensionChanged(e) = c {
                match self.entity.get_mut(e.as_str()) {
                    Some(r) => *r = rev,
                    None => {
                        self.entity.insert(e.clone(), rev);
                    }
                }
            }
        }
    }

    /// Bumped by every mutation.
    pub(super) fn generation(&self) -> u64 {
        self.last
    }

    /// The stamp of extension `e`, which has live channels or not.
    pub(super) fn stamp(&self, e: &str, has_channels: bool) -> RenderStamp {
        let entity = self.entity.get(e).copied().unwrap_or(0).max(self.snapshot);
        RenderStamp {
            entity,
            channels: has_channels.then_some(self.last),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_stamps_move_only_with_their_extension_changes() {
        let mut r = RenderRevs::default();
        r.note(&[Change::ExtensionChanged("201".into())], true);
        let (a, b) = (r.stamp("201", false), r.stamp("202", false));
        r.note(&[Change::QueueChanged("401".into())], false);
        assert_eq!(r.stamp("201", false), a);
        assert_eq!(r.stamp("202", false), b);
        r.note(&[Change::ExtensionChanged("202".into())], false);
        assert_eq!(r.stamp("201", false), a);
        assert_ne!(r.stamp("202", false), b);
        r.note(&[], true);
        assert_ne!(r.stamp("201", false), a, "a snapshot renews every entity");
    }

    #[test]
    fn channel_stamps_move_with_every_mutation() {
        let mut r = RenderRevs::default();
        r.note(&[], false);
        let with = r.stamp("201", true);
        assert_ne!(with, r.stamp("201", false));
        r.note(&[], false);
        assert_ne!(r.stamp("201", true), with);
        assert_eq!(r.generation(), 2);
    }
}
