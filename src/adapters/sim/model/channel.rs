//! A simulated channel and the standard channel header block Asterisk puts in events.

use crate::adapters::ami::frame::Frame;

/// Channel states used by the simulator (`ChannelState` numbers of Asterisk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChanState {
    /// 0 Down.
    Down,
    /// 4 Ring (caller side, dialplan running).
    Ring,
    /// 5 Ringing (callee alerting).
    Ringing,
    /// 6 Up.
    Up,
    /// 7 Busy.
    Busy,
}

impl ChanState {
    /// The `ChannelState` number.
    pub fn code(self) -> u8 {
        match self {
            Self::Down => 0,
            Self::Ring => 4,
            Self::Ringing => 5,
            Self::Up => 6,
            Self::Busy => 7,
        }
    }

    /// The `ChannelStateDesc` text.
    pub fn desc(self) -> &'static str {
        match self {
            Self::Down => "Down",
            Self::Ring => "Ring",
            Self::Ringing => "Ringing",
            Self::Up => "Up",
            Self::Busy => "Busy",
        }
    }
}

/// One channel.
#[derive(Debug, Clone)]
pub struct Channel {
    /// `PJSIP/201-0000000c`, `Local/203@internal-00000002;1`.
    pub name: String,
    /// Endpoint id (`201`, `trunk`), empty for Local channels.
    pub endpoint: String,
    /// `labpbx-1796322712.8`.
    pub uniqueid: String,
    /// Linkedid (uniqueid of the call's first channel).
    pub linkedid: String,
    /// State.
    pub state: ChanState,
    /// Caller id number.
    pub cid_num: String,
    /// Caller id name.
    pub cid_name: String,
    /// Connected line number.
    pub conn_num: String,
    /// Connected line name.
    pub conn_name: String,
    /// Dialplan context.
    pub context: String,
    /// Dialplan extension.
    pub exten: String,
    /// Dialplan priority.
    pub priority: u32,
    /// Application running (`Dial`, `AppDial`, `Queue`, `ConfBridge`, ...).
    pub app: String,
    /// Application data.
    pub app_data: String,
    /// Dialed number (DNID).
    pub dnid: String,
    /// Bridge the channel is in.
    pub bridge: Option<String>,
    /// True when the channel runs dialplan (gets `SoftHangupRequest` when its bridge ends).
    pub pbx: bool,
    /// Creation time (ms since start).
    pub created_ms: u64,
    /// Dial partner: the callee for a caller, the caller for a callee.
    pub peer: Option<String>,
    /// Channel variables set by `Setvar`.
    pub vars: Vec<(String, String)>,
    /// Recording (MixMonitor) active.
    pub recording: bool,
}

/// Writes the 14 channel headers (`Channel` ... `Linkedid`) with an optional prefix
/// (`Dest`, `Parkee`, `Transferer`, ...).
pub fn push_block(f: &mut Frame, prefix: &str, c: &Channel) {
    let p = |n: &str| format!("{prefix}{n}");
    f.push(p("Channel"), c.name.clone());
    f.push(p("ChannelState"), c.state.code().to_string());
    f.push(p("ChannelStateDesc"), c.state.desc());
    f.push(p("CallerIDNum"), or_unknown(&c.cid_num));
    f.push(p("CallerIDName"), or_unknown(&c.cid_name));
    f.push(p("ConnectedLineNum"), or_unknown(&c.conn_num));
    f.push(p("ConnectedLineName"), or_unknown(&c.conn_name));
    f.push(p("Language"), "en");
    f.push(p("AccountCode"), "");
    f.push(p("Context"), c.context.clone());
    f.push(p("Exten"), c.exten.clone());
    f.push(p("Priority"), c.priority.to_string());
    f.push(p("Uniqueid"), c.uniqueid.clone());
    f.push(p("Linkedid"), c.linkedid.clone());
}

/// `<unknown>` for an empty caller id field, as Asterisk prints it.
pub fn or_unknown(s: &str) -> String {
    if s.is_empty() {
        "<unknown>".into()
    } else {
        s.to_owned()
    }
}
