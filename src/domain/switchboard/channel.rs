//! A live channel as tracked by the switchboard, and channel-name helpers.

use crate::domain::pbx_event::{uniqueid_seq, uniqueid_start_ms, ChannelInfo};

/// A live channel.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chan {
    /// Caller-id facts (latest seen).
    pub info: ChannelInfo,
    /// Bridge the channel is in.
    pub bridge: Option<String>,
    /// In a ConfBridge.
    pub in_conference: bool,
    /// Channel that dialed this one.
    pub dialer: Option<String>,
    /// Last channel this one dialed.
    pub dialed: Option<String>,
    /// Queue the channel waited in (a queue caller).
    pub queue: Option<String>,
    /// Spying (ChanSpy) on someone.
    pub spy: bool,
    /// Creation order.
    pub seq: u64,
}

impl Chan {
    /// `startTime` in ms.
    pub fn start_ms(&self) -> i64 {
        uniqueid_start_ms(&self.info.uniqueid)
    }

    /// Sequence part of the uniqueid.
    pub fn uid_seq(&self) -> u64 {
        uniqueid_seq(&self.info.uniqueid)
    }

    /// `channelStatus` string.
    pub fn status(&self) -> &'static str {
        state_name(self.info.state)
    }

    /// True for `ring`, `ringing`, `up`.
    pub fn is_live(&self) -> bool {
        matches!(self.info.state, 4..=6)
    }
}

/// ChannelState number → `channelStatus` string.
pub fn state_name(s: u8) -> &'static str {
    match s {
        0 => "down",
        1 => "reserved",
        2 => "offhook",
        3 => "dialing",
        4 => "ring",
        5 => "ringing",
        6 => "up",
        7 => "busy",
        8 => "dialing_offhook",
        9 => "prering",
        _ => "unknown",
    }
}

/// Extension part of a channel name: between the first `/` and the last `-`.
pub fn chan_exten(name: &str) -> &str {
    let start = name.find('/').map(|i| i + 1).unwrap_or(0);
    let rest = &name[start..];
    match rest.rfind('-') {
        Some(i) => &rest[..i],
        None => rest,
    }
}

/// Channels that never own a conversation (Local legs, `@from…` helpers).
pub fn is_helper(name: &str) -> bool {
    name.contains("Local") || name.contains("@from")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_of_channel_names() {
        assert_eq!(chan_exten("PJSIP/201-0000000a"), "201");
        assert_eq!(chan_exten("PJSIP/voip_provider-00000010"), "voip_provider");
        assert_eq!(
            chan_exten("Local/201@from-queue-00000003;2"),
            "201@from-queue"
        );
        assert_eq!(chan_exten("garbage"), "garbage");
        assert!(is_helper("Local/caller@cti-helpers-00000001;2"));
    }
}
