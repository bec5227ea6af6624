//! A publication serialised once: event name, raw JSON payload and the trailing sequence tag.
//!
//! Wire form: `42["<event>",<payload>,{"_seq":<n>}]`, or `42["<event>",{"_seq":<n>}]` without
//! payload. The sequence tag is an extra trailing socket.io argument, which listeners reading
//! their fixed leading arguments never see; payload objects are left untouched.

use serde_json::value::RawValue;
use socketioxide::{extract::SocketRef, SendError};

/// One variant of one publication, shared by all its recipients.
#[derive(Debug)]
pub(crate) struct Encoded {
    event: String,
    payload: Option<Box<RawValue>>,
    seq: Box<RawValue>,
}

impl Encoded {
    /// Serialises the payload and the sequence tag.
    pub(crate) fn new(
        event: &str,
        payload: Option<&serde_json::Value>,
        seq: u64,
    ) -> Result<Self, serde_json::Error> {
        let payload = payload.map(serde_json::value::to_raw_value).transpose()?;
        let seq = serde_json::value::to_raw_value(&serde_json::json!({ "_seq": seq }))?;
        Ok(Self {
            event: event.to_owned(),
            payload,
            seq,
        })
    }

    /// The event name.
    pub(crate) fn event(&self) -> &str {
        &self.event
    }

    /// Hands the packet to the socket's Engine.IO queue (never waits).
    pub(crate) fn emit(&self, socket: &SocketRef) -> Result<(), SendError> {
        match &self.payload {
            Some(payload) => socket.emit(&self.event, &(payload, &self.seq)),
            None => socket.emit(&self.event, &(&self.seq,)),
        }
    }
}
