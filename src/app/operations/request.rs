//! Validated operation requests: one variant per REST route (`/astproxy/<name>`).

use crate::domain::operations::calls::Endpoint;
use crate::domain::operations::forward::ForwardType;
use crate::ports::pbx::AudioDirection;

/// A validated request; field names follow the REST bodies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpRequest {
    /// `call`: `endpoint: None` = the caller's default extension.
    Call {
        /// Endpoint placing the call.
        endpoint: Option<Endpoint>,
        /// Number to dial.
        number: String,
    },
    /// `call_echo`: calls `*43` from `endpoint_id`.
    CallEcho {
        /// Extension.
        endpoint_id: String,
    },
    /// `answer` through the phone HTTP API.
    Answer {
        /// Extension.
        endpoint_id: String,
    },
    /// `answer_webrtc`: `answerWebrtc` push.
    AnswerWebrtc {
        /// Extension.
        endpoint_id: String,
    },
    /// `hangup`.
    Hangup {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
    },
    /// `cancel` (optional `convid`).
    Cancel {
        /// Extension.
        endpoint_id: String,
        /// Conversation, or every not-yet-connected one.
        convid: Option<String>,
    },
    /// `force_hangup`.
    ForceHangup {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
    },
    /// `hangup_channel`.
    HangupChannel {
        /// Extension.
        endpoint_id: String,
        /// Channel name.
        channel: String,
    },
    /// `hangup_mainexten`.
    HangupMainExten {
        /// Main extension.
        exten: String,
    },
    /// `blindtransfer`.
    BlindTransfer {
        /// Transferring extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Destination.
        to: String,
    },
    /// `atxfer`.
    Atxfer {
        /// Transferring extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Destination.
        to: String,
    },
    /// `blindtransfer_queue`.
    BlindTransferQueue {
        /// Queue.
        queue: String,
        /// Waiting caller id (channel).
        waiting_caller_id: String,
        /// Destination.
        to: String,
    },
    /// `blindtransfer_parking`.
    BlindTransferParking {
        /// Parking slot.
        parking: String,
        /// Destination.
        to: String,
    },
    /// `park`.
    Park {
        /// Extension holding the conversation.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Party asking (gets the call back on timeout).
        applicant_id: String,
    },
    /// `pickup_parking`.
    PickupParking {
        /// Slot.
        parking: String,
        /// Extension that takes the call.
        dest_id: String,
    },
    /// `pickup_conv` (directed pickup of a ringing extension).
    PickupConv {
        /// Ringing extension.
        endpoint_id: String,
        /// Extension that takes the call.
        dest_id: String,
    },
    /// `pickup_qwaitcaller`.
    PickupQueueWaitingCaller {
        /// Queue.
        queue: String,
        /// Waiting caller id.
        wait_caller_id: String,
        /// Extension that takes the call.
        dest_id: String,
    },
    /// `toggle_hold` through the phone HTTP API.
    ToggleHold {
        /// Extension.
        endpoint_id: String,
    },
    /// `mute` / `unmute` (`mute` true/false).
    Mute {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Mute or unmute.
        mute: bool,
    },
    /// `toggle_mute`.
    ToggleMute {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
    },
    /// `dtmf` through the phone HTTP API.
    Dtmf {
        /// Extension.
        endpoint_id: String,
        /// Tone `0-9 * #`.
        tone: String,
    },
    /// `start_record`.
    StartRecord {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
    },
    /// `stop_record`.
    StopRecord {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
    },
    /// `mute_record` / `unmute_record`.
    MuteRecord {
        /// Extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Mute or unmute.
        mute: bool,
    },
    /// `start_spy` (`whisper: false`) / `intrude` (`whisper: true`).
    Spy {
        /// Spied extension.
        endpoint_id: String,
        /// Conversation.
        convid: String,
        /// Spier's extension.
        dest_id: String,
        /// Intrude.
        whisper: bool,
    },
    /// `dnd`.
    Dnd {
        /// Extension.
        endpoint: String,
        /// On or off.
        on: bool,
    },
    /// `cfcall` (`voicemail: false`) / `cfvm` (`voicemail: true`).
    Forward {
        /// Extension.
        endpoint: String,
        /// Forward type.
        kind: ForwardType,
        /// Target when on, `None` when off.
        to: Option<String>,
        /// To voicemail.
        voicemail: bool,
    },
    /// `recall_on_busy`.
    RecallOnBusy {
        /// Caller's extension.
        caller: String,
        /// Busy extension.
        called: String,
    },
    /// `queuemember_add`.
    QueueMemberAdd {
        /// Extension.
        endpoint_id: String,
        /// Queue.
        queue_id: String,
        /// Start paused.
        paused: bool,
    },
    /// `queuemember_remove`.
    QueueMemberRemove {
        /// Extension.
        endpoint_id: String,
        /// Queue.
        queue_id: String,
    },
    /// `queuemember_pause` / `queuemember_unpause`.
    QueueMemberPause {
        /// Extension.
        endpoint_id: String,
        /// Queue, or all.
        queue_id: Option<String>,
        /// Pause or unpause.
        paused: bool,
        /// Pause reason.
        reason: Option<String>,
    },
    /// `inout_dyn_queues`.
    InoutDynQueues {
        /// Extension.
        endpoint_id: String,
    },
    /// `start_conf`.
    StartConf {
        /// Conversation of the owner.
        convid: String,
        /// Conference owner.
        owner_endpoint_id: String,
        /// Party to add.
        add_endpoint_id: String,
    },
    /// `join_myconf`.
    JoinMyConf {
        /// Owner extension.
        endpoint_id: String,
    },
    /// `end_conf`.
    EndConf {
        /// Conference id.
        conf_id: String,
    },
    /// `hangup_userconf`.
    HangupUserConf {
        /// Conference id.
        conf_id: String,
        /// User's extension.
        exten_id: String,
    },
    /// `mute_userconf`.
    MuteUserConf {
        /// Conference id.
        conf_id: String,
        /// User id (`<conf>-<ext>`) or extension.
        user_id: String,
        /// Direction (default `in`).
        direction: AudioDirection,
    },
    /// `unmute_userconf`.
    UnmuteUserConf {
        /// Conference id.
        conf_id: String,
        /// User id.
        user_id: String,
        /// Restore hearing only.
        only_listen: bool,
    },
}
