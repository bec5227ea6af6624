//! The PBX port: every command the core sends to the telephone system.
//!
//! The core speaks in [`PbxCommand`]s; the AMI adapter turns each into one AMI action
//! (headers as in `../shared/spec/operations.md`), the in-memory fake records them. Events
//! coming back from the PBX travel separately, as a stream of domain `PbxEvent`s.

use async_trait::async_trait;
use std::time::Duration;

/// Which audio direction a mute/record command applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioDirection {
    /// Audio read from the channel (what the party says).
    In,
    /// Audio written to the channel (what the party hears).
    Out,
    /// Both directions.
    All,
}

impl AudioDirection {
    /// The AMI spelling (`in`, `out`, `all`; `MixMonitorMute` uses `read`/`write`/`both`).
    pub fn as_ami(self) -> &'static str {
        match self {
            Self::In => "in",
            Self::Out => "out",
            Self::All => "all",
        }
    }
}

/// One command for the PBX. Field names follow the AMI headers they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PbxCommand {
    /// `Originate` to a dialplan target. `wait_answer`: `Async: true` and the reply waits
    /// for `OriginateResponse` (gives the uniqueid); otherwise the immediate response decides.
    Originate {
        /// Channel to call first, e.g. `PJSIP/201` or `Local/201@from-internal`.
        channel: String,
        /// Dialplan context.
        context: String,
        /// Dialplan extension.
        exten: String,
        /// Dialplan priority.
        priority: String,
        /// `CallerID` header (`"Name" <num>` or a number).
        caller_id: Option<String>,
        /// `Timeout` in ms for the first leg to answer.
        timeout_ms: Option<u64>,
        /// `Variable` headers, `NAME=value`, in order.
        variables: Vec<String>,
        /// Wait for `OriginateResponse` (Async originate).
        wait_answer: bool,
    },
    /// `Originate` to an application (ChanSpy for spy/intrude).
    OriginateApp {
        /// Channel to call first.
        channel: String,
        /// Application name, e.g. `ChanSpy`.
        application: String,
        /// Application data, e.g. `PJSIP/202-0000001,q`.
        data: String,
        /// `CallerID` header.
        caller_id: Option<String>,
        /// `Timeout` in ms.
        timeout_ms: Option<u64>,
        /// `Variable` headers.
        variables: Vec<String>,
    },
    /// `Hangup` of one channel, with an optional cause code.
    Hangup {
        /// Channel name.
        channel: String,
        /// Hangup cause code.
        cause: Option<u16>,
    },
    /// `Redirect` (blind transfer, pickup, park by redirect).
    Redirect {
        /// Channel to move.
        channel: String,
        /// `ExtraChannel`: a second channel moved at the same time.
        extra_channel: Option<String>,
        /// Dialplan context.
        context: String,
        /// Dialplan extension.
        exten: String,
        /// Dialplan priority.
        priority: String,
    },
    /// `BlindTransfer` of a channel to `exten@context`.
    BlindTransfer {
        /// Channel to transfer.
        channel: String,
        /// Target context.
        context: String,
        /// Target extension.
        exten: String,
    },
    /// `Atxfer` (attended transfer) started on `channel` to `exten@context`.
    Atxfer {
        /// Channel of the transferring party.
        channel: String,
        /// Target context.
        context: String,
        /// Target extension.
        exten: String,
    },
    /// `Park` a channel; `timeout_channel` gets the call back on timeout.
    Park {
        /// Channel to park.
        channel: String,
        /// `TimeoutChannel` header.
        timeout_channel: String,
        /// Parking lot name, `None` for the default lot.
        parkinglot: Option<String>,
    },
    /// `QueueAdd` of an interface to a queue.
    QueueAdd {
        /// Queue name.
        queue: String,
        /// Member interface, e.g. `Local/201@from-queue/n`.
        interface: String,
        /// `MemberName`.
        member_name: Option<String>,
        /// Start paused.
        paused: bool,
        /// `Penalty`.
        penalty: Option<u32>,
        /// `StateInterface`, e.g. `hint:201@ext-local`.
        state_interface: Option<String>,
    },
    /// `QueueRemove` of an interface.
    QueueRemove {
        /// Queue name.
        queue: String,
        /// Member interface.
        interface: String,
    },
    /// `QueuePause`; `queue: None` pauses the interface in every queue.
    QueuePause {
        /// Queue name, or all queues.
        queue: Option<String>,
        /// Member interface.
        interface: String,
        /// Pause (true) or unpause (false).
        paused: bool,
        /// `Reason` header.
        reason: Option<String>,
    },
    /// `MixMonitor` start recording a channel to `file`.
    MixMonitor {
        /// Channel to record.
        channel: String,
        /// Output file path.
        file: String,
        /// MixMonitor options, e.g. `b`.
        options: Option<String>,
    },
    /// `StopMixMonitor` on a channel.
    StopMixMonitor {
        /// Recorded channel.
        channel: String,
    },
    /// `MixMonitorMute` on a channel (`state`: true mutes).
    MixMonitorMute {
        /// Recorded channel.
        channel: String,
        /// Direction to mute.
        direction: AudioDirection,
        /// Mute (true) or unmute (false).
        state: bool,
    },
    /// `MuteAudio` on a channel.
    MuteAudio {
        /// Channel.
        channel: String,
        /// Direction.
        direction: AudioDirection,
        /// Mute (true) or unmute (false).
        state: bool,
    },
    /// `PlayDTMF` of one digit on a channel.
    PlayDtmf {
        /// Channel.
        channel: String,
        /// One DTMF digit.
        digit: String,
    },
    /// `Setvar` of a channel or global variable.
    Setvar {
        /// Channel, `None` for a global variable.
        channel: Option<String>,
        /// Variable name.
        variable: String,
        /// Value.
        value: String,
    },
    /// `DBPut family/key = value`.
    DbPut {
        /// AstDB family.
        family: String,
        /// AstDB key.
        key: String,
        /// Value.
        value: String,
    },
    /// `DBGet family/key`; replies [`PbxReply::Value`] (`None` when the key is absent).
    DbGet {
        /// AstDB family.
        family: String,
        /// AstDB key.
        key: String,
    },
    /// `DBDel family/key`; deleting an absent key is not an error for callers.
    DbDel {
        /// AstDB family.
        family: String,
        /// AstDB key.
        key: String,
    },
    /// `PJSIPNotify` to an endpoint with `Variable` headers (e.g. `Event=check-sync`).
    PjsipNotify {
        /// Endpoint name.
        endpoint: String,
        /// `Variable` headers.
        variables: Vec<String>,
    },
    /// `ConfbridgeKick` a channel from a conference.
    ConfbridgeKick {
        /// Conference name.
        conference: String,
        /// Channel to kick (`all` for everybody).
        channel: String,
    },
    /// `ConfbridgeMute` / `ConfbridgeUnmute` a channel in a conference.
    ConfbridgeMute {
        /// Conference name.
        conference: String,
        /// Channel.
        channel: String,
        /// Mute (true) or unmute (false).
        muted: bool,
    },
    /// `Command` (CLI command); replies [`PbxReply::Output`].
    Command {
        /// CLI command line.
        command: String,
    },
    /// `Ping`.
    Ping,
}

/// What a successful command gives back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PbxReply {
    /// The command succeeded and returns nothing.
    Done,
    /// An async originate was answered; the uniqueid of the first leg.
    Originated {
        /// `Uniqueid` from `OriginateResponse`.
        uniqueid: String,
    },
    /// A `DBGet` result: `None` when the key does not exist.
    Value(Option<String>),
    /// CLI output lines of a `Command`.
    Output(Vec<String>),
}

/// Why a command failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PbxError {
    /// The PBX answered `Response: Error` (or a failed `OriginateResponse`) with this message.
    #[error("PBX refused the command: {0}")]
    Rejected(String),
    /// Not connected to the PBX (down, reconnecting, or the connection dropped mid-command).
    #[error("PBX not connected")]
    Unavailable,
    /// No answer within the command's time limit.
    #[error("PBX did not answer within {0:?}")]
    Timeout(Duration),
}

/// The command side of the PBX.
#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Pbx: Send + Sync {
    /// Sends one command and waits (bounded) for its outcome.
    ///
    /// # Errors
    /// - [`PbxError::Rejected`] when the PBX answers with an error;
    /// - [`PbxError::Unavailable`] when there is no live connection (never queued for later);
    /// - [`PbxError::Timeout`] when no answer arrives within the adapter's bound.
    async fn execute(&self, command: PbxCommand) -> Result<PbxReply, PbxError>;
}
