//! Channel-name helpers: whose channel is it, which side of a conversation is whose.

use super::view::{ChannelInfo, ConversationInfo};

/// The extension part of a channel name: between the first `/` and the last `-`
/// (`PJSIP/201-0000000a` → `201`; `Local/201@from-queue-00000003;2` → `201@from-queue`).
pub fn exten_of(channel: &str) -> &str {
    let Some((_, rest)) = channel.split_once('/') else {
        return "";
    };
    match rest.rfind('-') {
        Some(i) => &rest[..i],
        None => rest,
    }
}

/// Which side of a conversation belongs to `exten`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `chSource`.
    Source,
    /// `chDest`.
    Dest,
}

/// The side whose channel belongs to `exten` (by channel name, then by caller number).
pub fn own_side(conv: &ConversationInfo, exten: &str) -> Option<Side> {
    let by_name =
        |c: &Option<ChannelInfo>| c.as_ref().is_some_and(|c| exten_of(&c.channel) == exten);
    let by_num = |c: &Option<ChannelInfo>| c.as_ref().is_some_and(|c| c.caller_num == exten);
    if by_name(&conv.source) {
        Some(Side::Source)
    } else if by_name(&conv.dest) {
        Some(Side::Dest)
    } else if by_num(&conv.source) {
        Some(Side::Source)
    } else if by_num(&conv.dest) {
        Some(Side::Dest)
    } else {
        None
    }
}

/// The channel of `exten` in the conversation.
pub fn own_channel<'c>(conv: &'c ConversationInfo, exten: &str) -> Option<&'c ChannelInfo> {
    match own_side(conv, exten)? {
        Side::Source => conv.source.as_ref(),
        Side::Dest => conv.dest.as_ref(),
    }
}

/// The other party's channel name: the other side's channel if present, else the own
/// channel's `bridgedChannel` (when not empty).
pub fn counterpart_channel(conv: &ConversationInfo, exten: &str) -> Option<String> {
    let side = own_side(conv, exten)?;
    let (own, other) = match side {
        Side::Source => (conv.source.as_ref(), conv.dest.as_ref()),
        Side::Dest => (conv.dest.as_ref(), conv.source.as_ref()),
    };
    if let Some(o) = other.filter(|o| !o.channel.is_empty()) {
        return Some(o.channel.clone());
    }
    own.map(|c| c.bridged_channel.clone())
        .filter(|b| !b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(name: &str, num: &str, bridged: &str) -> Option<ChannelInfo> {
        Some(ChannelInfo {
            channel: name.into(),
            caller_num: num.into(),
            bridged_channel: bridged.into(),
            bridged_num: String::new(),
        })
    }

    #[test]
    fn extension_part_of_channel_names() {
        assert_eq!(exten_of("PJSIP/201-0000000a"), "201");
        assert_eq!(exten_of("PJSIP/voip_provider-00000010"), "voip_provider");
        assert_eq!(
            exten_of("Local/201@from-queue-00000003;2"),
            "201@from-queue"
        );
        assert_eq!(exten_of("nonsense"), "");
    }

    #[test]
    fn finds_own_and_counterpart_channels() {
        let conv = ConversationInfo {
            source: ch(
                "PJSIP/voip_provider-00000020",
                "0721405516",
                "PJSIP/201-00000021",
            ),
            dest: ch("PJSIP/201-00000021", "201", "PJSIP/voip_provider-00000020"),
            ..Default::default()
        };
        assert_eq!(own_side(&conv, "201"), Some(Side::Dest));
        assert_eq!(
            counterpart_channel(&conv, "201").as_deref(),
            Some("PJSIP/voip_provider-00000020")
        );
        assert_eq!(own_side(&conv, "202"), None);
        let one_sided = ConversationInfo {
            source: ch("PJSIP/201-00000030", "201", "PJSIP/202-00000031"),
            ..Default::default()
        };
        assert_eq!(
            counterpart_channel(&one_sided, "201").as_deref(),
            Some("PJSIP/202-00000031")
        );
    }
}
