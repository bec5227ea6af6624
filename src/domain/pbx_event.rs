//! PBX events as the switchboard sees them: no AMI types, only the facts the model needs.
//!
//! The AMI adapter (`adapters::ami::translate`) turns frames into these values; the
//! simulator or any other PBX adapter can produce them directly. `Snapshot` carries the
//! whole PBX state for the initial load and for every resync.

/// Channel states, numbered as Asterisk's `ChannelState` header.
pub type ChannelStateCode = u8;

/// The caller-id facts every channel event carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelInfo {
    /// Channel name, e.g. `PJSIP/201-00000004`.
    pub channel: String,
    /// `Uniqueid`, possibly with a system-name prefix (`labpbx-1796322712.8`).
    pub uniqueid: String,
    /// `Linkedid`.
    pub linkedid: String,
    /// `ChannelState` number (0 down … 6 up … 9 prering).
    pub state: ChannelStateCode,
    /// `CallerIDNum`.
    pub caller_num: String,
    /// `CallerIDName`.
    pub caller_name: String,
    /// `ConnectedLineNum`.
    pub connected_num: String,
    /// `ConnectedLineName`.
    pub connected_name: String,
    /// Dialplan `Context`.
    pub context: String,
    /// Dialplan `Exten`.
    pub exten: String,
}

/// A channel as listed by a snapshot (`CoreShowChannel`), with its bridge and application.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelSnapshot {
    /// Caller-id facts.
    pub info: ChannelInfo,
    /// Bridge id, `None` when not bridged.
    pub bridge_id: Option<String>,
    /// Dialplan application (`ConfBridge`, `Queue`, `Dial`, `AppDial`, …).
    pub application: String,
}

/// Which forward an AstDB change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForwardKind {
    /// Unconditional (`CF/<ext>`).
    Cf,
    /// On busy (`CFB/<ext>`).
    Cfb,
    /// On unavailable (`CFU/<ext>`).
    Cfu,
}

/// A queue member as reported by `QueueMember`/`QueueMemberAdded`/`QueueMemberStatus`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueMemberInfo {
    /// Queue number.
    pub queue: String,
    /// Interface / location (`PJSIP/201`, `Local/201@from-queue/n`).
    pub interface: String,
    /// AMI `MemberName`/`Name`.
    pub member_name: String,
    /// `static`, `dynamic`, `realtime`.
    pub membership: String,
    /// AMI member status code.
    pub status: u8,
    /// Paused flag.
    pub paused: bool,
    /// Pause reason (`PausedReason`, else `Reason`), `""` when none.
    pub paused_reason: String,
    /// `CallsTaken`.
    pub calls_taken: u64,
    /// `LastCall` (epoch seconds).
    pub last_call: u64,
}

/// Statistics of a queue (`QueueParams`), kept as raw strings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueParamsInfo {
    /// Queue number.
    pub queue: String,
    /// `Holdtime`.
    pub hold_time: String,
    /// `TalkTime`.
    pub talk_time: String,
    /// `Completed`.
    pub completed: String,
    /// `Abandoned`.
    pub abandoned: String,
    /// `ServiceLevel`.
    pub service_level: String,
    /// `ServicelevelPerf`.
    pub service_level_perf: String,
}

/// A caller waiting in a queue (`QueueCallerJoin` or a `QueueEntry` list item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueCallerInfo {
    /// Queue number.
    pub queue: String,
    /// Caller channel.
    pub channel: String,
    /// Caller number.
    pub caller_num: String,
    /// Caller name.
    pub caller_name: String,
    /// Position (raw string).
    pub position: String,
    /// Seconds already waited (`Wait`; 0 for a join).
    pub wait: u64,
}

/// A parked call (`ParkedCall` event or list item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParkedCallInfo {
    /// Parking space (`ParkingSpace`).
    pub space: String,
    /// Parked channel (`ParkeeChannel`).
    pub channel: String,
    /// Parked caller number.
    pub caller_num: String,
    /// Parked caller name.
    pub caller_name: String,
    /// `ParkerDialString` (e.g. `PJSIP/201`).
    pub parker_dial_string: String,
    /// Seconds left before timeout (`ParkingTimeout`).
    pub timeout: u64,
}

/// A parking lot (`Parkinglot` list item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParkingLotInfo {
    /// Lot name.
    pub name: String,
    /// First space.
    pub start: u32,
    /// Last space.
    pub stop: u32,
    /// Timeout seconds.
    pub timeout: u64,
}

/// A conference participant (`ConfbridgeJoin` or a `ConfbridgeList` item).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfUserInfo {
    /// Asterisk conference name (`801`).
    pub conference: String,
    /// Participant channel.
    pub channel: String,
    /// Caller number.
    pub caller_num: String,
    /// Caller name.
    pub caller_name: String,
    /// Muted.
    pub muted: bool,
}

/// A PJSIP contact (`ContactList` item or `ContactStatus` event).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInfo {
    /// Endpoint (AOR) the contact belongs to.
    pub endpoint: String,
    /// Contact URI.
    pub uri: String,
    /// `Reachable`, `Unreachable`, `NonQualified`, `Unknown`, `Created`, `Removed`, `Updated`.
    pub status: String,
    /// Via address (host) if known.
    pub via_address: String,
    /// Via port if known.
    pub via_port: String,
    /// SIP Call-ID.
    pub call_id: String,
    /// User agent.
    pub user_agent: String,
}

/// A PJSIP endpoint as listed at start-up.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointInfo {
    /// Endpoint id (`201`, `trunk`).
    pub id: String,
    /// Endpoint device state text (`Not in use`, `In use`, `Unavailable`, …).
    pub device_state: String,
    /// Dialplan context, `""` when unknown.
    pub context: String,
    /// Allowed codecs.
    pub codecs: Vec<String>,
}

/// The whole PBX state, from the start-up list actions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// PJSIP endpoints.
    pub endpoints: Vec<EndpointInfo>,
    /// PJSIP contacts.
    pub contacts: Vec<ContactInfo>,
    /// Device states (`Device`, `State`), e.g. (`PJSIP/201`, `NOT_INUSE`).
    pub device_states: Vec<(String, String)>,
    /// Extension hint states (`Exten`, `Status`).
    pub extension_states: Vec<(String, i32)>,
    /// Live channels in list order.
    pub channels: Vec<ChannelSnapshot>,
    /// Queue statistics.
    pub queue_params: Vec<QueueParamsInfo>,
    /// Logged-in queue members.
    pub queue_members: Vec<QueueMemberInfo>,
    /// Waiting callers.
    pub queue_callers: Vec<QueueCallerInfo>,
    /// Parking lots.
    pub parking_lots: Vec<ParkingLotInfo>,
    /// Parked calls.
    pub parked_calls: Vec<ParkedCallInfo>,
    /// Conference participants.
    pub conference_users: Vec<ConfUserInfo>,
    /// AstDB entries of the families DND, CF, CFB, CFU: (family, key, value).
    pub astdb: Vec<(String, String, String)>,
    /// Outbound registrations: (endpoint, status text).
    pub registrations: Vec<(String, String)>,
}

/// One PBX event, already decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PbxEvent {
    /// A channel appeared (`Newchannel`).
    ChannelCreated(ChannelInfo),
    /// A channel changed state (`Newstate`).
    ChannelState(ChannelInfo),
    /// A channel's caller id changed (`NewCallerid`).
    CallerId(ChannelInfo),
    /// A channel's connected line changed (`NewConnectedLine`).
    ConnectedLine(ChannelInfo),
    /// A channel entered a dialplan application (`Newexten`): only the application matters.
    ChannelApp {
        /// Channel facts.
        info: ChannelInfo,
        /// Application name (`ConfBridge`, `Queue`, …).
        application: String,
    },
    /// A channel was renamed (`Rename`).
    ChannelRenamed {
        /// Old name.
        old: String,
        /// New name.
        new: String,
    },
    /// A dial started (`DialBegin`); `caller` is `None` for an Originate leg.
    DialBegin {
        /// Calling channel.
        caller: Option<ChannelInfo>,
        /// Dialed channel.
        dest: ChannelInfo,
    },
    /// A dial ended (`DialEnd`).
    DialEnd {
        /// Calling channel name, if any.
        caller: Option<String>,
        /// Dialed channel name.
        dest: String,
        /// `DialStatus` (`ANSWER`, `BUSY`, `NOANSWER`, `CANCEL`, …).
        status: String,
    },
    /// A channel entered a bridge.
    BridgeEnter {
        /// Bridge id.
        bridge: String,
        /// Channel facts.
        info: ChannelInfo,
    },
    /// A channel left a bridge.
    BridgeLeave {
        /// Bridge id.
        bridge: String,
        /// Channel facts.
        info: ChannelInfo,
    },
    /// A channel hung up with a Q.850 cause code.
    Hangup {
        /// Channel facts.
        info: ChannelInfo,
        /// Cause code.
        cause: u32,
    },
    /// A channel put its peer on hold.
    Hold(ChannelInfo),
    /// A channel resumed.
    Unhold(ChannelInfo),
    /// Local channel pair optimised away (`LocalOptimizationEnd`).
    LocalOptimized {
        /// The `;1` half.
        local_one: String,
        /// The `;2` half.
        local_two: String,
    },
    /// A caller joined a queue.
    QueueCallerJoin(QueueCallerInfo),
    /// A caller left a queue.
    QueueCallerLeave {
        /// Queue number.
        queue: String,
        /// Caller channel.
        channel: String,
    },
    /// A member was added (logged in).
    QueueMemberAdded(QueueMemberInfo),
    /// A member's status changed.
    QueueMemberStatus(QueueMemberInfo),
    /// A member was paused or unpaused.
    QueueMemberPause {
        /// Queue number.
        queue: String,
        /// Member interface.
        interface: String,
        /// New paused flag.
        paused: bool,
        /// Reason (`PausedReason`, falling back to `Reason`).
        reason: String,
    },
    /// A member was removed (logged out).
    QueueMemberRemoved {
        /// Queue number.
        queue: String,
        /// Member interface.
        interface: String,
    },
    /// Queue statistics (periodic refresh).
    QueueParams(QueueParamsInfo),
    /// A call was parked.
    Parked(ParkedCallInfo),
    /// A parked call was picked up.
    Unparked {
        /// Parking space.
        space: String,
        /// Parked channel.
        channel: String,
    },
    /// A parked call timed out.
    ParkedTimeout {
        /// Parking space.
        space: String,
        /// Parked channel.
        channel: String,
    },
    /// A parked caller hung up.
    ParkedGiveUp {
        /// Parking space.
        space: String,
        /// Parked channel.
        channel: String,
    },
    /// A conference started.
    ConfStart {
        /// Asterisk conference name.
        conference: String,
    },
    /// Someone joined a conference.
    ConfJoin(ConfUserInfo),
    /// Someone left a conference.
    ConfLeave(ConfUserInfo),
    /// A conference ended.
    ConfEnd {
        /// Asterisk conference name.
        conference: String,
    },
    /// A participant was muted or unmuted.
    ConfMute {
        /// Participant.
        user: ConfUserInfo,
        /// New mute flag.
        muted: bool,
    },
    /// A participant started/stopped talking.
    ConfTalking {
        /// Participant.
        user: ConfUserInfo,
        /// Talking flag.
        talking: bool,
    },
    /// A device state changed (`DeviceStateChange`: `PJSIP/201`, `NOT_INUSE`).
    DeviceState {
        /// Device.
        device: String,
        /// State text.
        state: String,
    },
    /// A hint changed (`ExtensionStatus`).
    ExtensionState {
        /// Hint extension.
        exten: String,
        /// Status code.
        status: i32,
    },
    /// A contact changed (`ContactStatus`).
    ContactStatus(ContactInfo),
    /// DND changed (from the dialplan or AstDB).
    Dnd {
        /// Extension.
        exten: String,
        /// On/off.
        enabled: bool,
    },
    /// A call forward changed; `value` is the raw AstDB value (`vmu201`, `*201`, a number),
    /// `None` when deleted.
    Forward {
        /// Which forward.
        kind: ForwardKind,
        /// Extension.
        exten: String,
        /// New value.
        value: Option<String>,
    },
    /// ChanSpy started.
    SpyStart {
        /// Spying channel.
        spyer: String,
        /// Spied channel.
        spyee: String,
    },
    /// ChanSpy stopped.
    SpyStop {
        /// Spying channel.
        spyer: String,
    },
    /// An outbound registration changed.
    Registry {
        /// Username.
        username: String,
        /// Domain.
        domain: String,
        /// Status text.
        status: String,
    },
    /// Asterisk is fully booted (also after each login): the caller should resync.
    FullyBooted,
    /// Asterisk is shutting down.
    Shutdown {
        /// True for a restart.
        restart: bool,
    },
    /// A module was reloaded.
    Reload {
        /// Module name (`""` for a full reload).
        module: String,
    },
    /// Full state for the initial load / resync.
    Snapshot(Box<Snapshot>),
}

/// True when an AstDB `DND/<ext>` value means "on": present, non-empty and not `NO`
/// (the dialplan only honours `YES`; a leftover `NO` must not show DND).
pub fn dnd_value_on(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty() && !v.eq_ignore_ascii_case("no")
}

/// Numeric part of a uniqueid (`labpbx-1796322712.8` → `1796322712.8`).
pub fn uniqueid_numeric(uid: &str) -> &str {
    match uid.rfind('-') {
        Some(i) => &uid[i + 1..],
        None => uid,
    }
}

/// Epoch milliseconds of a uniqueid (integer seconds × 1000), 0 when unparsable.
pub fn uniqueid_start_ms(uid: &str) -> i64 {
    let n = uniqueid_numeric(uid);
    let secs = n.split('.').next().unwrap_or("");
    secs.parse::<i64>().map(|s| s * 1000).unwrap_or(0)
}

/// Sequence part of a uniqueid (after the last `.`), 0 when unparsable.
pub fn uniqueid_seq(uid: &str) -> u64 {
    uid.rsplit('.')
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_uniqueids_use_the_numeric_part() {
        assert_eq!(uniqueid_numeric("labpbx-1796322494.17"), "1796322494.17");
        assert_eq!(uniqueid_start_ms("labpbx-1796322494.17"), 1_796_322_494_000);
        assert_eq!(uniqueid_start_ms("1712051000.40"), 1_712_051_000_000);
        assert_eq!(uniqueid_start_ms("my-sys-1712051000.40"), 1_712_051_000_000);
        assert_eq!(uniqueid_seq("labpbx-1796322494.17"), 17);
        assert_eq!(uniqueid_start_ms("garbage"), 0);
    }
}
