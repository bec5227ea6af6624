//! Hang-ups: `hangup`, `cancel`, `force_hangup`, `hangup_channel`, `hangup_mainexten`.

use super::channel::{counterpart_channel, exten_of, own_channel};
use super::error::OperationError;
use super::plan::Plan;
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// Non-existent dialplan extension a channel is redirected to by `force_hangup`.
pub const DROP_EXTEN: &str = "xyzw";

fn hangup(channel: String) -> PbxCommand {
    PbxCommand::Hangup {
        channel,
        cause: None,
    }
}

fn may_hangup(ctx: &Ctx<'_>, ext: &str) -> Result<(), OperationError> {
    OperationError::require(ctx.caller.grants.admin_hangup || ctx.caller.owns(ext))
}

/// `hangup`: hangs up `ext`'s own channel in `convid`.
///
/// # Errors
/// `Forbidden` unless `admin_hangup` or owner; `ConversationNotFound`.
pub fn decide_hangup(ctx: &Ctx<'_>, ext: &str, convid: &str) -> Result<Plan, OperationError> {
    may_hangup(ctx, ext)?;
    let conv = ctx.conversation(ext, convid)?;
    let own = own_channel(&conv, ext).ok_or_else(|| OperationError::ConversationNotFound {
        exten: ext.to_owned(),
        convid: convid.to_owned(),
    })?;
    Ok(Plan::one(hangup(own.channel.clone())))
}

/// `cancel`: like `hangup` with a `convid`; without one, hangs up `ext`'s channel in
/// every conversation that is not connected yet (ringing, dialling).
///
/// # Errors
/// `Forbidden`; `ConversationNotFound` when there is nothing to cancel.
pub fn decide_cancel(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: Option<&str>,
) -> Result<Plan, OperationError> {
    if let Some(c) = convid {
        return decide_hangup(ctx, ext, c);
    }
    may_hangup(ctx, ext)?;
    let commands: Vec<PbxCommand> = ctx
        .view
        .conversations(ext)
        .iter()
        .filter(|c| !c.connected)
        .filter_map(|c| own_channel(c, ext).map(|ch| hangup(ch.channel.clone())))
        .collect();
    if commands.is_empty() {
        return Err(OperationError::NoConversation {
            exten: ext.to_owned(),
        });
    }
    Ok(Plan::commands(commands))
}

/// `force_hangup`: redirects the other party of `ext` to a non-existent extension, which
/// drops the whole call. Fixed: checks `admin_hangup` or ownership.
///
/// # Errors
/// `Forbidden`; `ConversationNotFound`.
pub fn decide_force_hangup(ctx: &Ctx<'_>, ext: &str, convid: &str) -> Result<Plan, OperationError> {
    may_hangup(ctx, ext)?;
    let conv = ctx.conversation(ext, convid)?;
    let target = counterpart_channel(&conv, ext)
        .or_else(|| own_channel(&conv, ext).map(|c| c.channel.clone()))
        .ok_or_else(|| OperationError::ConversationNotFound {
            exten: ext.to_owned(),
            convid: convid.to_owned(),
        })?;
    Ok(Plan::one(PbxCommand::Redirect {
        channel: target,
        extra_channel: None,
        context: ctx.default_context(),
        exten: DROP_EXTEN.to_owned(),
        priority: "1".to_owned(),
    }))
}

/// `hangup_channel`: hangs up a channel. Fixed: without `admin_hangup` the channel must
/// belong to `ext` (by name) or be part of one of `ext`'s conversations.
///
/// # Errors
/// `Forbidden`.
pub fn decide_hangup_channel(
    ctx: &Ctx<'_>,
    ext: &str,
    channel: &str,
) -> Result<Plan, OperationError> {
    may_hangup(ctx, ext)?;
    if !ctx.caller.grants.admin_hangup {
        let in_conv = || {
            ctx.view.conversations(ext).iter().any(|c| {
                [&c.source, &c.dest]
                    .into_iter()
                    .flatten()
                    .any(|ch| ch.channel == channel)
            })
        };
        OperationError::require(exten_of(channel) == ext || in_conv())?;
    }
    Ok(Plan::one(hangup(channel.to_owned())))
}

/// `hangup_mainexten`: hangs up every PJSIP channel of every device of the user owning
/// `ext` (one regex `Hangup`). Fixed: the original's regex `^PJSIP/[0-9]*<ext>-` also hit
/// unrelated extensions ending with the same digits.
///
/// Decided on the model before anything is sent: when none of those extensions has a
/// channel, the PBX would only answer "No such channel".
///
/// # Errors
/// `Forbidden`; `UnknownExtension` when nobody owns `ext`; `NoConversation` when none of
/// the user's extensions has a channel.
pub fn decide_hangup_mainexten(ctx: &Ctx<'_>, ext: &str) -> Result<Plan, OperationError> {
    may_hangup(ctx, ext)?;
    let mut extens = ctx.view.user_extensions(ext);
    if extens.is_empty() {
        if ctx.view.extension(ext).is_none() {
            return Err(OperationError::UnknownExtension(ext.to_owned()));
        }
        extens.push(ext.to_owned());
    }
    let has_channel = extens.iter().any(|e| {
        ctx.view
            .conversations(e)
            .iter()
            .any(|c| own_channel(c, e).is_some())
    });
    if !has_channel {
        return Err(OperationError::NoConversation {
            exten: ext.to_owned(),
        });
    }
    let alternatives: Vec<String> = extens.iter().map(|e| regex::escape(e)).collect();
    Ok(Plan::one(hangup(format!(
        "/^PJSIP/({})-/",
        alternatives.join("|")
    ))))
}
