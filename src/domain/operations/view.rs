//! The read-only view of the live model that operations need.
//!
//! Deliberately small and owned (no borrows into the model), so the implementor can take
//! its lock for the duration of one call. The integrator implements it over the live
//! `Switchboard` plus the `users.json` directory; tests use
//! [`MemoryView`](super::memory_view::MemoryView).

use crate::domain::directory::DeviceType;

/// Recording state of a conversation (`recording` field: `"false"`, `"true"`, `"mute"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recording {
    /// Not recording.
    #[default]
    Off,
    /// Recording.
    On,
    /// Recording, muted.
    Muted,
}

impl Recording {
    /// The JSON spelling (`"false"`, `"true"`, `"mute"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "false",
            Self::On => "true",
            Self::Muted => "mute",
        }
    }
}

/// What operations read of a tracked extension.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ExtensionInfo {
    /// Extension number.
    pub exten: String,
    /// Dialplan context (e.g. `from-internal`).
    pub context: String,
    /// Status string (`online`, `busy`, ...).
    pub status: String,
    /// SIP user agent of the registered contact.
    pub user_agent: String,
    /// Contact IP.
    pub ip: String,
    /// Device kind from `users.json` (`None` for a main extension).
    pub kind: Option<DeviceType>,
    /// Display name of the owner.
    pub name: String,
    /// Owner username, if the extension belongs to a user.
    pub username: Option<String>,
    /// Phone web UI user (`$PHONE_USER`).
    pub web_user: String,
    /// Phone web UI password (`$PHONE_PASS`).
    pub web_password: String,
}

impl std::fmt::Debug for ExtensionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExtensionInfo")
            .field("exten", &self.exten)
            .field("context", &self.context)
            .field("status", &self.status)
            .field("user_agent", &self.user_agent)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// One side of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChannelInfo {
    /// Channel name, e.g. `PJSIP/201-00000012`.
    pub channel: String,
    /// `callerNum`.
    pub caller_num: String,
    /// `bridgedChannel` (`""` if none).
    pub bridged_channel: String,
    /// `bridgedNum`.
    pub bridged_num: String,
}

/// A conversation of an extension.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConversationInfo {
    /// Conversation id (`<src>><dst>`).
    pub id: String,
    /// Owner extension.
    pub owner: String,
    /// `chSource`.
    pub source: Option<ChannelInfo>,
    /// `chDest`.
    pub dest: Option<ChannelInfo>,
    /// `direction == "in"`.
    pub incoming: bool,
    /// `connected`.
    pub connected: bool,
    /// `counterpartNum`.
    pub counterpart_num: String,
    /// `recording`.
    pub recording: Recording,
}

/// A conference user (from `ConfbridgeList`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfUserInfo {
    /// `<ownerExten>-<extenId>`.
    pub id: String,
    /// Extension / number of the user.
    pub exten_id: String,
    /// The user's channel.
    pub channel: String,
}

/// A ConfBridge conference, keyed by owner extension.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConferenceInfo {
    /// Conference id (= owner extension).
    pub id: String,
    /// Users in the room.
    pub users: Vec<ConfUserInfo>,
}

/// Read-only access to the live model.
pub trait OperationsView: Send + Sync {
    /// A tracked extension.
    fn extension(&self, exten: &str) -> Option<ExtensionInfo>;
    /// Every extension number of the user owning `exten` (main and devices), for
    /// `hangup_mainexten`; empty when nobody owns it.
    fn user_extensions(&self, exten: &str) -> Vec<String>;
    /// Conversation `convid` as held by extension `exten`.
    fn conversation(&self, exten: &str, convid: &str) -> Option<ConversationInfo>;
    /// Every conversation of an extension.
    fn conversations(&self, exten: &str) -> Vec<ConversationInfo>;
    /// `None`: unknown slot; `Some(None)`: free; `Some(Some(ch))`: the parked channel.
    fn parked_channel(&self, parking: &str) -> Option<Option<String>>;
    /// `None`: unknown queue; `Some(channels)`: the waiting callers' channels (= their ids).
    fn queue_waiting_callers(&self, queue: &str) -> Option<Vec<String>>;
    /// Queues (tracked) in which `exten` is a member.
    fn queues_of_member(&self, exten: &str) -> Vec<String>;
    /// The conference owned by `conf_id`.
    fn conference(&self, conf_id: &str) -> Option<ConferenceInfo>;
}
