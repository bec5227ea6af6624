//! Event names of websocket.md §5 and constructors mapping each to its audience.
//!
//! The integrator turns domain changes into these; payloads are the JSON the original sends.

use serde_json::{json, Value};
use std::borrow::Cow;

use super::broadcast::{Audience, Broadcast};
use super::rooms::Topic;

/// `extenUpdate`: an extension changed (all logged-in sockets, privacy per recipient).
pub const EXTEN_UPDATE: &str = "extenUpdate";
/// `extenHangup`: a channel of one of the user's extensions hung up.
pub const EXTEN_HANGUP: &str = "extenHangup";
/// `extenRinging`: one of the user's extensions rings.
pub const EXTEN_RINGING: &str = "extenRinging";
/// `extenDialing`: one of the user's extensions starts ringing, with astproxy's internal
/// payload (the original only sends `extenRinging`; sent right after it).
pub const EXTEN_DIALING: &str = "extenDialing";
/// `extenConnected`: `{extenConnected: num1}` when bridged.
pub const EXTEN_CONNECTED: &str = "extenConnected";
/// `extenConvConnected`: sent right after `extenConnected`.
pub const EXTEN_CONV_CONNECTED: &str = "extenConvConnected";
/// `queueUpdate`: queue rooms.
pub const QUEUE_UPDATE: &str = "queueUpdate";
/// `queueMemberUpdate`: queue rooms.
pub const QUEUE_MEMBER_UPDATE: &str = "queueMemberUpdate";
/// `parkingUpdate`: parking rooms.
pub const PARKING_UPDATE: &str = "parkingUpdate";
/// `trunkUpdate`: presence-panel rooms (quirk 1 of the spec).
pub const TRUNK_UPDATE: &str = "trunkUpdate";
/// `meetmeConfUpdate`: the original's conference event name.
pub const MEETME_CONF_UPDATE: &str = "meetmeConfUpdate";
/// `meetmeConfEnd`.
pub const MEETME_CONF_END: &str = "meetmeConfEnd";
/// `confBridgeUpdate`: the name current clients listen to.
pub const CONF_BRIDGE_UPDATE: &str = "confBridgeUpdate";
/// `confBridgeEnd`.
pub const CONF_BRIDGE_END: &str = "confBridgeEnd";
/// `userPresenceUpdate`: all logged-in sockets.
pub const USER_PRESENCE_UPDATE: &str = "userPresenceUpdate";
/// `userMainPresenceUpdate`: all logged-in sockets.
pub const USER_MAIN_PRESENCE_UPDATE: &str = "userMainPresenceUpdate";
/// `updateDefaultDevice`: bare extension string to the user.
pub const UPDATE_DEFAULT_DEVICE: &str = "updateDefaultDevice";
/// `callWebrtc`: bare number string to the REST caller.
pub const CALL_WEBRTC: &str = "callWebrtc";
/// `answerWebrtc`: bare extension string to the REST caller.
pub const ANSWER_WEBRTC: &str = "answerWebrtc";
/// `serverReloaded`: no payload, all logged-in sockets.
pub const SERVER_RELOADED: &str = "serverReloaded";
/// `newVoiceMessageCounter`: all logged-in sockets.
pub const NEW_VOICE_MESSAGE_COUNTER: &str = "newVoiceMessageCounter";
/// `message`: the client relay.
pub const MESSAGE: &str = "message";

fn user(username: &str) -> Audience {
    Audience::Users(vec![username.to_owned()])
}

impl Broadcast {
    /// `event` with `payload` to the sockets of `username` only (operation pushes, HTTP
    /// handler pushes, the `message` relay).
    pub fn to_user(event: impl Into<Cow<'static, str>>, username: &str, payload: Value) -> Self {
        Self::new(event, user(username), payload)
    }

    /// `extenUpdate` to everyone: `clear` for the owner and non-privacy users, `masked` for
    /// privacy users, `masked_outside_queues` for privacy ∧ admin_queues users.
    pub fn exten_update(
        clear: Value,
        masked: Value,
        masked_outside_queues: Value,
        owner: Option<&str>,
    ) -> Self {
        Self::new(EXTEN_UPDATE, Audience::LoggedIn, clear)
            .with_masked(masked)
            .with_masked_outside_queues(masked_outside_queues)
            .with_owners(owner)
    }

    /// `extenUpdate` with the clear payload only, built when no privacy socket is logged
    /// in: privacy recipients (but the owner) get nothing instead of a clear payload.
    pub fn exten_update_clear_only(clear: Value, owner: Option<&str>) -> Self {
        Self::new(EXTEN_UPDATE, Audience::LoggedIn, clear)
            .withhold_masked()
            .with_owners(owner)
    }

    /// `extenHangup` `{cause, callerNum, channelExten, calledNum}` to the owner's sockets.
    pub fn exten_hangup(owner: &str, payload: Value) -> Self {
        Self::new(EXTEN_HANGUP, user(owner), payload)
    }

    /// `extenRinging` to the owner's sockets.
    pub fn exten_ringing(owner: &str, payload: Value) -> Self {
        Self::new(EXTEN_RINGING, user(owner), payload)
    }

    /// `extenDialing` `{dialingExten, callerIdentity, channel, callerHasConf, destUniqueId}`
    /// to the owner of the ringing extension (no original emitter; for clients that listen).
    pub fn exten_dialing(owner: &str, payload: Value) -> Self {
        Self::new(EXTEN_DIALING, user(owner), payload)
    }

    /// `extenConnected` `{extenConnected: num1}` to the owner of `num1`.
    pub fn exten_connected(owner: &str, num1: &str) -> Self {
        Self::new(
            EXTEN_CONNECTED,
            user(owner),
            json!({ "extenConnected": num1 }),
        )
    }

    /// `extenConvConnected` to the owner of `num1`.
    pub fn exten_conv_connected(owner: &str, payload: Value) -> Self {
        Self::new(EXTEN_CONV_CONNECTED, user(owner), payload)
    }

    /// `queueUpdate` to the queue rooms.
    pub fn queue_update(clear: Value, masked: Value) -> Self {
        Self::new(QUEUE_UPDATE, Audience::Topic(Topic::Queues), clear).with_masked(masked)
    }

    /// `queueMemberUpdate` to the queue rooms.
    pub fn queue_member_update(clear: Value, masked: Value) -> Self {
        Self::new(QUEUE_MEMBER_UPDATE, Audience::Topic(Topic::Queues), clear).with_masked(masked)
    }

    /// `parkingUpdate` to the parking rooms.
    pub fn parking_update(clear: Value, masked: Value) -> Self {
        Self::new(PARKING_UPDATE, Audience::Topic(Topic::Parkings), clear).with_masked(masked)
    }

    /// `trunkUpdate` to the presence-panel rooms, as the original does.
    pub fn trunk_update(clear: Value, masked: Value) -> Self {
        Self::new(TRUNK_UPDATE, Audience::Topic(Topic::Extensions), clear).with_masked(masked)
    }

    /// `meetmeConfUpdate` and `confBridgeUpdate` `{id, users}` to the users concerned.
    pub fn conf_update(users: Vec<String>, payload: Value) -> [Self; 2] {
        [
            Self::new(
                MEETME_CONF_UPDATE,
                Audience::Users(users.clone()),
                payload.clone(),
            ),
            Self::new(CONF_BRIDGE_UPDATE, Audience::Users(users), payload),
        ]
    }

    /// `meetmeConfEnd` and `confBridgeEnd` `{id}` to the users concerned.
    pub fn conf_end(users: Vec<String>, conf_id: &str) -> [Self; 2] {
        let payload = json!({ "id": conf_id });
        [
            Self::new(
                MEETME_CONF_END,
                Audience::Users(users.clone()),
                payload.clone(),
            ),
            Self::new(CONF_BRIDGE_END, Audience::Users(users), payload),
        ]
    }

    /// `userPresenceUpdate` to everyone.
    pub fn user_presence_update(payload: Value) -> Self {
        Self::new(USER_PRESENCE_UPDATE, Audience::LoggedIn, payload)
    }

    /// `userMainPresenceUpdate` `{mainPresence: {username, status, to?}}` to everyone.
    pub fn user_main_presence_update(payload: Value) -> Self {
        Self::new(USER_MAIN_PRESENCE_UPDATE, Audience::LoggedIn, payload)
    }

    /// `updateDefaultDevice` with the bare extension string, to the user.
    pub fn update_default_device(username: &str, exten: &str) -> Self {
        Self::new(UPDATE_DEFAULT_DEVICE, user(username), Value::from(exten))
    }

    /// `callWebrtc` with the bare number string, to the REST caller.
    pub fn call_webrtc(username: &str, number: &str) -> Self {
        Self::new(CALL_WEBRTC, user(username), Value::from(number))
    }

    /// `answerWebrtc` with the bare extension string, to the REST caller.
    pub fn answer_webrtc(username: &str, exten: &str) -> Self {
        Self::new(ANSWER_WEBRTC, user(username), Value::from(exten))
    }

    /// `serverReloaded` (no payload) to everyone.
    pub fn server_reloaded() -> Self {
        Self::without_payload(SERVER_RELOADED, Audience::LoggedIn)
    }

    /// `newVoiceMessageCounter` `{voicemail, counter}` to everyone.
    pub fn new_voice_message_counter(payload: Value) -> Self {
        Self::new(NEW_VOICE_MESSAGE_COUNTER, Audience::LoggedIn, payload)
    }
}
