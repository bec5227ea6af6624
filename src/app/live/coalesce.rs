//! Coalescing of a batch of changes before rendering: an entity changed several times in
//! one batch is rendered and pushed once, with its final state, at the position of its last
//! change. Call events (hang-up, dialing, connected, conference end) are kept, in order; a
//! conference that ends later in the batch gets its end only (rendered after the batch it
//! no longer exists).

use crate::domain::change::Change;
use std::collections::HashMap;

/// What a change renders, when renders of the same key are interchangeable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Extension(&'a str),
    Presence(&'a str),
    Queue(&'a str),
    QueueMember(&'a str, &'a str),
    Trunk(&'a str),
    Parking(&'a str),
    Conference(&'a str),
}

fn key_of(change: &Change) -> Option<Key<'_>> {
    Some(match change {
        Change::ExtensionChanged(e) => Key::Extension(e),
        Change::DndChanged { exten, .. } | Change::ForwardChanged { exten, .. } => {
            Key::Presence(exten)
        }
        Change::QueueChanged(q) => Key::Queue(q),
        Change::QueueMemberChanged(q, m) => Key::QueueMember(q, m),
        Change::TrunkChanged(t) => Key::Trunk(t),
        Change::ParkingChanged(p) => Key::Parking(p),
        Change::ConferenceChanged(c) => Key::Conference(c),
        Change::ExtensionHangup(_)
        | Change::Dialing(_)
        | Change::Connected(_)
        | Change::ConferenceEnded(_)
        | Change::ResyncRequested => return None,
    })
}

/// The changes of `batch` worth rendering: every change without a render key, and the last
/// change of each render key, in their original order.
pub fn coalesce(batch: &[Change]) -> Vec<&Change> {
    if batch.len() < 2 {
        return batch.iter().collect();
    }
    let mut last: HashMap<Key<'_>, usize> = HashMap::with_capacity(batch.len());
    let mut ended: HashMap<&str, usize> = HashMap::new();
    for (i, change) in batch.iter().enumerate() {
        if let Some(key) = key_of(change) {
            last.insert(key, i);
        }
        if let Change::ConferenceEnded(id) = change {
            ended.insert(id, i);
        }
    }
    let ends_later = |i: usize, change: &Change| match change {
        Change::ConferenceChanged(id) => ended.get(id.as_str()).is_some_and(|&e| e > i),
        _ => false,
    };
    batch
        .iter()
        .enumerate()
        .filter(|&(i, change)| {
            key_of(change).is_none_or(|key| last.get(&key) == Some(&i)) && !ends_later(i, change)
        })
        .map(|(_, change)| change)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::change::HangupInfo;

    fn ext(e: &str) -> Change {
        Change::ExtensionChanged(e.into())
    }

    fn hangup(e: &str) -> Change {
        Change::ExtensionHangup(HangupInfo {
            cause: Some("normal_clearing"),
            caller_num: e.into(),
            channel_exten: e.into(),
            called_num: "202".into(),
        })
    }

    #[test]
    fn repeated_entity_changes_keep_their_last_position() {
        let batch = vec![
            ext("201"),
            ext("202"),
            hangup("201"),
            ext("201"),
            Change::QueueChanged("401".into()),
            Change::QueueMemberChanged("401".into(), "201".into()),
            Change::QueueChanged("401".into()),
            Change::QueueMemberChanged("401".into(), "202".into()),
        ];
        let kept: Vec<Change> = coalesce(&batch).into_iter().cloned().collect();
        assert_eq!(
            kept,
            vec![
                ext("202"),
                hangup("201"),
                ext("201"),
                Change::QueueMemberChanged("401".into(), "201".into()),
                Change::QueueChanged("401".into()),
                Change::QueueMemberChanged("401".into(), "202".into()),
            ]
        );
    }

    #[test]
    fn a_conference_ending_in_the_batch_gets_its_end_only() {
        let batch = vec![
            Change::ConferenceChanged("801".into()),
            Change::ConferenceChanged("802".into()),
            Change::ConferenceEnded("801".into()),
            Change::ConferenceChanged("801".into()),
        ];
        assert_eq!(coalesce(&batch), vec![&batch[1], &batch[2], &batch[3]]);
        let ended = vec![
            Change::ConferenceChanged("801".into()),
            Change::ConferenceEnded("801".into()),
        ];
        assert_eq!(coalesce(&ended), vec![&ended[1]]);
    }

    #[test]
    fn call_events_are_never_merged() {
        let batch = vec![hangup("201"), hangup("201"), Change::ResyncRequested];
        assert_eq!(coalesce(&batch).len(), 3);
    }

    #[test]
    fn dnd_and_forward_changes_of_one_extension_render_one_presence() {
        let batch = vec![
            Change::DndChanged {
                exten: "201".into(),
                enabled: true,
            },
            Change::ForwardChanged {
                exten: "201".into(),
                kind: crate::domain::pbx_event::ForwardKind::Cf,
                voicemail: false,
                enabled: true,
                to: "333".into(),
            },
            Change::DndChanged {
                exten: "202".into(),
                enabled: false,
            },
        ];
        let kept: Vec<&Change> = coalesce(&batch);
        assert_eq!(kept, vec![&batch[1], &batch[2]]);
    }
}
