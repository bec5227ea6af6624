//! A publication serialised once: event name, raw JSON payload and the trailing sequence tag.
//!
//! Wire form: `42["<event>",<payload>,{"_seq":<n>}]`, or `42["<event>",{"_seq":<n>}]` without
//! payload. The sequence tag is an extra trailing socket.io argument, which listeners reading
//! their fixed leading arguments never see; payload objects are left untouched.

use std::sync::Arc;

use serde_json::value::RawValue;
use socketioxide::{extract::SocketRef, SendError};

use super::broadcast::Broadcast;
use super::rooms::Variant;

/// One variant of one publication, shared by all its recipients.
#[derive(Debug)]
pub(crate) struct Encoded {
    event: String,
    payload: Option<Box<RawValue>>,
    seq: Box<RawValue>,
    size: usize,
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
        // `42["<event>",<payload>,<seq>]`
        let size =
            8 + event.len() + payload.as_deref().map_or(0, |p| p.get().len()) + seq.get().len();
        Ok(Self {
            event: event.to_owned(),
            payload,
            seq,
            size,
        })
    }

    /// Approximate wire size in bytes (what it costs in a socket's queue).
    pub(crate) fn size(&self) -> usize {
        self.size
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

/// Per-publication cache: each variant of a [`Broadcast`] is serialised at most once.
pub(crate) struct EncodeCache<'a> {
    event: &'a Broadcast,
    seq: u64,
    slots: [Option<Arc<Encoded>>; 3],
}

impl<'a> EncodeCache<'a> {
    pub(crate) fn new(event: &'a Broadcast, seq: u64) -> Self {
        Self {
            event,
            seq,
            slots: [None, None, None],
        }
    }

    /// The encoded form of `variant`, serialising it on first use.
    pub(crate) fn get(&mut self, variant: Variant) -> Result<Arc<Encoded>, serde_json::Error> {
        let slot = &mut self.slots[slot_of(variant)];
        if let Some(encoded) = slot {
            return Ok(Arc::clone(encoded));
        }
        let encoded = Arc::new(Encoded::new(
            self.event.event(),
            self.event.payload(variant),
            self.seq,
        )?);
        *slot = Some(Arc::clone(&encoded));
        Ok(encoded)
    }
}

fn slot_of(variant: Variant) -> usize {
    match variant {
        Variant::Clear => 0,
        Variant::Masked => 1,
        Variant::MaskedOutsideQueues => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::push::broadcast::Audience;
    use serde_json::json;

    #[test]
    fn each_variant_is_serialised_once_and_shared() {
        let b = Broadcast::new("extenUpdate", Audience::LoggedIn, json!({"n": "201"}))
            .with_masked(json!({"n": "2xx"}));
        let mut cache = EncodeCache::new(&b, 9);
        let first = cache.get(Variant::Clear).expect("encode");
        let again = cache.get(Variant::Clear).expect("encode");
        let masked = cache.get(Variant::Masked).expect("encode");
        assert!(Arc::ptr_eq(&first, &again));
        assert!(!Arc::ptr_eq(&first, &masked));
        assert_eq!(
            first.payload.as_deref().map(RawValue::get),
            Some(r#"{"n":"201"}"#)
        );
        assert_eq!(
            masked.payload.as_deref().map(RawValue::get),
            Some(r#"{"n":"2xx"}"#)
        );
        assert_eq!(first.seq.get(), r#"{"_seq":9}"#);
        // 42["extenUpdate",{"n":"201"},{"_seq":9}]
        assert_eq!(
            first.size(),
            r#"42["extenUpdate",{"n":"201"},{"_seq":9}]"#.len()
        );
    }

    #[test]
    fn event_without_payload_has_only_the_sequence_tag() {
        let b = Broadcast::server_reloaded();
        let encoded = EncodeCache::new(&b, 1).get(Variant::Clear).expect("encode");
        assert!(encoded.payload.is_none());
        assert_eq!(encoded.event(), "serverReloaded");
    }
}
