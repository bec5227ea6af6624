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
    /// Extension or trunk owning the channel (computed once at creation).
    pub owner: Option<super::Owner>,
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
    // Both separators are ASCII, so byte positions are char boundaries.
    let start = name.bytes().position(|b| b == b'/').map_or(0, |i| i + 1);
    let rest = &name[start..];
    match rest.bytes().rposition(|b| b == b'-') {
        Some(i) => &rest[..i],
        None => rest,
    }
}

/// Channels that never own a conversation (Local legs, `@from…` helpers).
pub fn is_helper(name: &str) -> bool {
    contains(name.as_bytes(), b"Local") || contains(name.as_bytes(), b"@from")
}

/// Substring test for short haystacks: `memchr` on the first byte, then a prefix compare.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return true;
    };
    memchr::memchr_iter(first, hay).any(|i| hay[i..].starts_with(needle))
}

/// A channel name copied onto the stack (the heap only past 64 bytes), so a handler can
/// keep using the name after moving the event's [`ChannelInfo`] into the table.
pub(super) struct NameBuf {
    buf: [u8; 64],
    len: usize,
    heap: Option<String>,
}

impl NameBuf {
    /// Copies `s`.
    pub(super) fn new(s: &str) -> Self {
        let mut buf = [0u8; 64];
        if s.len() <= buf.len() {
            buf[..s.len()].copy_from_slice(s.as_bytes());
            NameBuf {
                buf,
                len: s.len(),
                heap: None,
            }
        } else {
            NameBuf {
                buf,
                len: 0,
                heap: Some(s.to_owned()),
            }
        }
    }

    /// The name.
    pub(super) fn as_str(&self) -> &str {
        match &self.heap {
            Some(h) => h,
            // Copied whole from a `str`: always valid UTF-8.
            None => std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default(),
        }
    }
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
        assert!(is_helper("PJSIP/201@from-internal-1"));
        assert!(!is_helper("PJSIP/Loca-1"));
        assert!(!is_helper("PJSIP/201-00000001"));
        assert_eq!(chan_exten("PJSIP/ünï-1"), "ünï");
        let long = format!("PJSIP/{}-1", "9".repeat(100));
        assert_eq!(NameBuf::new(&long).as_str(), long);
        assert_eq!(NameBuf::new("PJSIP/201-1").as_str(), "PJSIP/201-1");
    }
}
