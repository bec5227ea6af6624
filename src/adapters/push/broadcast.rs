//! The outbound event type: name, audience and payload variants, as the integrator builds them.

use std::borrow::Cow;

use serde_json::Value;

use super::rooms::{personal_variant, RoomSet, Topic, Variant};
use super::user::SocketUser;

/// Who receives a [`Broadcast`]. Only logged-in sockets ever receive one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every logged-in socket; privacy applied per recipient with the `extenUpdate` rule.
    LoggedIn,
    /// The sockets in the topic's clear room (clear payload) and privacy room (masked payload).
    Topic(Topic),
    /// The sockets of these canonical usernames (string-equal); privacy applied per recipient.
    Users(Vec<String>),
}

/// One server → client event for the fan-out.
///
/// The payload is given once per variant as JSON; each variant is serialised once per
/// publication, whatever the number of recipients. A missing masked variant means "same as
/// clear" (events that carry nothing to mask), unless the masked variants were withheld
/// ([`Broadcast::withhold_masked`]): then recipients that would get a masked payload get
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Broadcast {
    event: Cow<'static, str>,
    audience: Audience,
    clear: Option<Value>,
    masked: Option<Value>,
    masked_outside_queues: Option<Value>,
    withheld: bool,
    owners: Vec<String>,
}

impl Broadcast {
    /// An event with one payload argument (an object, or a bare string such as `callWebrtc`'s).
    pub fn new(event: impl Into<Cow<'static, str>>, audience: Audience, payload: Value) -> Self {
        Self {
            event: event.into(),
            audience,
            clear: Some(payload),
            masked: None,
            masked_outside_queues: None,
            withheld: false,
            owners: Vec::new(),
        }
    }

    /// An event without payload argument (`serverReloaded`).
    pub fn without_payload(event: impl Into<Cow<'static, str>>, audience: Audience) -> Self {
        Self {
            event: event.into(),
            audience,
            clear: None,
            masked: None,
            masked_outside_queues: None,
            withheld: false,
            owners: Vec::new(),
        }
    }

    /// Sets the obfuscated payload for privacy recipients (and privacy rooms).
    pub fn with_masked(mut self, payload: Value) -> Self {
        self.masked = Some(payload);
        self
    }

    /// Sets the payload for privacy ∧ admin_queues recipients of personal/all events
    /// (obfuscated only outside queues); falls back to the masked one.
    pub fn with_masked_outside_queues(mut self, payload: Value) -> Self {
        self.masked_outside_queues = Some(payload);
        self
    }

    /// Marks the masked variants as not rendered (no privacy socket was logged in when the
    /// event was built): privacy recipients get nothing rather than the clear payload.
    pub fn withhold_masked(mut self) -> Self {
        self.masked = None;
        self.masked_outside_queues = None;
        self.withheld = true;
        self
    }

    /// Adds a username that always gets the clear payload (the extension's owner).
    pub fn with_owner(mut self, username: impl Into<String>) -> Self {
        self.owners.push(username.into());
        self
    }

    /// Adds each username of `owners` (none, or an extension's one owner) like
    /// [`Broadcast::with_owner`].
    pub fn with_owners<S: Into<String>>(mut self, owners: impl IntoIterator<Item = S>) -> Self {
        self.owners.extend(owners.into_iter().map(Into::into));
        self
    }

    /// The socket.io event name.
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The audience.
    pub fn audience(&self) -> &Audience {
        &self.audience
    }

    /// The clear payload (`None`: event without payload).
    pub fn clear_payload(&self) -> Option<&Value> {
        self.clear.as_ref()
    }

    /// Whether the masked variants were withheld ([`Broadcast::withhold_masked`]).
    pub fn masked_withheld(&self) -> bool {
        self.withheld
    }

    /// The variant `user` (in `rooms`) gets, `None` when not a recipient.
    pub(crate) fn variant_for(&self, user: &SocketUser, rooms: &RoomSet) -> Option<Variant> {
        let wanted = match &self.audience {
            Audience::LoggedIn => Some(self.personal(user)),
            Audience::Users(names) => names.contains(&user.username).then(|| self.personal(user)),
            Audience::Topic(topic) => rooms.variant_for(*topic),
        }?;
        if self.withheld && wanted != Variant::Clear {
            return None;
        }
        Some(self.effective(wanted))
    }

    fn personal(&self, user: &SocketUser) -> Variant {
        let owner = self.owners.contains(&user.username);
        personal_variant(&user.permissions, owner)
    }

    /// Maps a wanted variant to one that has a payload, so equal payloads are encoded once.
    fn effective(&self, wanted: Variant) -> Variant {
        match wanted {
            Variant::MaskedOutsideQueues if self.masked_outside_queues.is_some() => wanted,
            Variant::MaskedOutsideQueues | Variant::Masked if self.masked.is_some() => {
                Variant::Masked
            }
            _ => Variant::Clear,
        }
    }

    /// The payload of an effective variant (`None`: event without payload).
    pub(crate) fn payload(&self, variant: Variant) -> Option<&Value> {
        match variant {
            Variant::Clear => self.clear.as_ref(),
            Variant::Masked => self.masked.as_ref().or(self.clear.as_ref()),
            Variant::MaskedOutsideQueues => self
                .masked_outside_queues
                .as_ref()
                .or(self.masked.as_ref())
                .or(self.clear.as_ref()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::push::user::PushPermissions;
    use serde_json::json;

    fn user(name: &str, permissions: PushPermissions) -> (SocketUser, RoomSet) {
        let rooms = RoomSet::for_permissions(&permissions);
        let user = SocketUser {
            username: name.into(),
            permissions,
        };
        (user, rooms)
    }

    #[test]
    fn owner_with_privacy_gets_clear_others_masked() {
        let b = Broadcast::new("extenUpdate", Audience::LoggedIn, json!({"n": "201"}))
            .with_masked(json!({"n": "2xx"}))
            .with_owner("alice");
        let p = PushPermissions {
            privacy: true,
            ..Default::default()
        };
        let (alice, ar) = user("alice", p);
        let (bob, br) = user("bob", p);
        assert_eq!(b.variant_for(&alice, &ar), Some(Variant::Clear));
        assert_eq!(b.variant_for(&bob, &br), Some(Variant::Masked));
        assert_eq!(b.payload(Variant::Masked), Some(&json!({"n": "2xx"})));
    }

    #[test]
    fn missing_masked_payload_collapses_to_clear() {
        let b = Broadcast::new("userPresenceUpdate", Audience::LoggedIn, json!({"a": 1}));
        let p = PushPermissions {
            privacy: true,
            admin_queues: true,
            ..Default::default()
        };
        let (carol, cr) = user("carol", p);
        assert_eq!(b.variant_for(&carol, &cr), Some(Variant::Clear));
    }

    #[test]
    fn withheld_masked_payload_reaches_clear_recipients_only() {
        let b = Broadcast::new("extenUpdate", Audience::LoggedIn, json!({"n": "201"}))
            .with_masked(json!({"n": "2xx"}))
            .withhold_masked()
            .with_owner("alice");
        let privacy = PushPermissions {
            privacy: true,
            ..Default::default()
        };
        let admin = PushPermissions {
            admin_queues: true,
            ..privacy
        };
        let (alice, ar) = user("alice", privacy);
        let (bob, br) = user("bob", privacy);
        let (carol, cr) = user("carol", admin);
        let (dave, dr) = user("dave", PushPermissions::default());
        assert_eq!(b.variant_for(&alice, &ar), Some(Variant::Clear));
        assert_eq!(b.variant_for(&bob, &br), None);
        assert_eq!(b.variant_for(&carol, &cr), None);
        assert_eq!(b.variant_for(&dave, &dr), Some(Variant::Clear));
        assert_eq!(b.payload(Variant::Clear), Some(&json!({"n": "201"})));
    }

    #[test]
    fn users_audience_excludes_everyone_else() {
        let b = Broadcast::new(
            "callWebrtc",
            Audience::Users(vec!["bob".into()]),
            json!("123"),
        );
        let (alice, ar) = user("alice", PushPermissions::default());
        let (bob, br) = user("bob", PushPermissions::default());
        assert_eq!(b.variant_for(&alice, &ar), None);
        assert_eq!(b.variant_for(&bob, &br), Some(Variant::Clear));
    }
}
