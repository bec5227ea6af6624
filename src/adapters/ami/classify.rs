//! What an incoming AMI frame means to the model: a domain event, something deliberately
//! ignored, or an event this adapter does not know.
//!
//! The adapter maps AMI frames straight to domain [`PbxEvent`]s (there is no typed AMI
//! event layer in between), so a new Asterisk event can never break the reader: it becomes
//! [`Translation::Unknown`], which the PBX link counts and logs at debug level and the model
//! never sees.

use super::frame::Frame;
use super::translate::event_of;
use crate::domain::pbx_event::PbxEvent;

/// Events Asterisk 18–22 sends that the model deliberately does not use (they are known,
/// so not reported as unknown).
pub const IGNORED_EVENTS: &[&str] = &[
    "AgentCalled",
    "AgentComplete",
    "AgentConnect",
    "AgentDump",
    "AgentRingNoAnswer",
    "AttendedTransfer",
    "BlindTransfer",
    "BridgeCreate",
    "BridgeDestroy",
    "BridgeMerge",
    "Cdr",
    "ChallengeResponseFailed",
    "ChallengeSent",
    "DTMFBegin",
    "DTMFEnd",
    "DialState",
    "FailedACL",
    "HangupHandlerPop",
    "HangupHandlerPush",
    "HangupHandlerRun",
    "HangupRequest",
    "InvalidAccountID",
    "InvalidPassword",
    "LocalBridge",
    "LocalOptimizationBegin",
    "MessageWaiting",
    "MusicOnHoldStart",
    "MusicOnHoldStop",
    "NewAccountCode",
    "OriginateResponse",
    "QueueMemberPenalty",
    "QueueMemberRinginuse",
    "RTCPReceived",
    "RTCPSent",
    "SoftHangupRequest",
    "SuccessfulAuth",
    "VarSet",
];

/// The meaning of one AMI frame for the model.
// `Event` is the hot path and as large as the `Option<PbxEvent>` it replaces; boxing it
// would cost an allocation per event.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Translation {
    /// A domain event to apply.
    Event(PbxEvent),
    /// Not an unsolicited event (a response or a list item with an `ActionID`), a known
    /// event the model does not use, or a known event missing a required header.
    Ignored,
    /// An event name this adapter does not know (e.g. from a newer Asterisk).
    Unknown {
        /// The `Event:` value.
        name: String,
    },
}

impl Translation {
    /// The domain event, if any.
    pub fn into_event(self) -> Option<PbxEvent> {
        match self {
            Translation::Event(e) => Some(e),
            Translation::Ignored | Translation::Unknown { .. } => None,
        }
    }
}

/// Classifies one incoming frame.
pub fn classify(f: &Frame) -> Translation {
    if f.action_id().is_some() {
        return Translation::Ignored;
    }
    let Some(name) = f.event() else {
        return Translation::Ignored;
    };
    let mut unknown = false;
    match event_of(f, name, &mut unknown) {
        Some(e) => Translation::Event(e),
        None if unknown && !IGNORED_EVENTS.contains(&name) => Translation::Unknown {
            name: name.to_owned(),
        },
        None => Translation::Ignored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(pairs: &[(&str, &str)]) -> Frame {
        Frame::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn an_event_of_unknown_name_is_unknown_with_its_name() {
        let f = ev(&[
            ("Event", "FutureThing"),
            ("Privilege", "call,all"),
            ("Channel", "PJSIP/201-00000001"),
        ]);
        assert_eq!(
            classify(&f),
            Translation::Unknown {
                name: "FutureThing".into()
            }
        );
        assert_eq!(classify(&f).into_event(), None);
    }

    #[test]
    fn known_unused_events_responses_and_list_items_are_ignored_not_unknown() {
        for f in [
            ev(&[("Event", "VarSet"), ("Channel", "x"), ("Variable", "A")]),
            ev(&[("Event", "Cdr")]),
            ev(&[("Event", "UserEvent"), ("UserEvent", "Other")]),
            // known and used, but missing its required Channel header
            ev(&[("Event", "Hangup")]),
            ev(&[("Response", "Success")]),
            ev(&[("Event", "FutureThing"), ("ActionID", "nethcti-1")]),
        ] {
            assert_eq!(classify(&f), Translation::Ignored, "{f:?}");
        }
    }

    #[test]
    fn a_used_event_is_translated() {
        let f = ev(&[("Event", "Reload"), ("Module", "app_queue.so")]);
        assert_eq!(
            classify(&f),
            Translation::Event(PbxEvent::Reload {
                module: "app_queue.so".into()
            })
        );
    }
}
