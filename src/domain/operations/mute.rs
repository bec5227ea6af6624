//! Microphone mute of a party: `mute`, `unmute`, `toggle_mute` (`MuteAudio`).

use super::channel::own_channel;
use super::error::OperationError;
use super::plan::{Effect, Plan};
use super::Ctx;
use crate::ports::pbx::{AudioDirection, PbxCommand};

/// The own channel of `ext` in `convid` (owner only, no admin override).
///
/// # Errors
/// `Forbidden`; `ConversationNotFound`.
pub fn muted_channel(ctx: &Ctx<'_>, ext: &str, convid: &str) -> Result<String, OperationError> {
    OperationError::require(ctx.caller.owns(ext))?;
    let conv = ctx.conversation(ext, convid)?;
    own_channel(&conv, ext)
        .map(|c| c.channel.clone())
        .ok_or_else(|| OperationError::ConversationNotFound {
            exten: ext.to_owned(),
            convid: convid.to_owned(),
        })
}

/// The plan muting (`MuteAudio in on`) or unmuting (`MuteAudio all off`) a channel.
pub fn mute_plan(channel: String, mute: bool) -> Plan {
    let direction = if mute {
        AudioDirection::In
    } else {
        AudioDirection::All
    };
    Plan::one(PbxCommand::MuteAudio {
        channel: channel.clone(),
        direction,
        state: mute,
    })
    .with_effect(Effect::Muted {
        channel,
        muted: mute,
    })
}

/// `mute` / `unmute` of `ext`'s microphone in `convid`.
///
/// # Errors
/// As [`muted_channel`].
pub fn decide_mute(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    mute: bool,
) -> Result<Plan, OperationError> {
    Ok(mute_plan(muted_channel(ctx, ext, convid)?, mute))
}
