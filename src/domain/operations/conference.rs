//! ConfBridge conferences (REST names still "meetme"): `start_conf`, `end_conf`,
//! `hangup_userconf`, `mute_userconf`, `unmute_userconf`.

use super::channel::{counterpart_channel, own_channel};
use super::error::OperationError;
use super::plan::Plan;
use super::transfer::redirect;
use super::view::{ConfUserInfo, ConferenceInfo};
use super::Ctx;
use crate::ports::pbx::{AudioDirection, PbxCommand};

/// The configured conference code.
///
/// # Errors
/// `Unsupported` when `ast_objects.json` has no `confbridge_conf`/`meetme_conf` code.
pub fn code(ctx: &Ctx<'_>) -> Result<String, OperationError> {
    ctx.config.conference_code.clone().ok_or_else(|| {
        OperationError::Unsupported("no conference feature code configured".to_owned())
    })
}

/// What `start_conf` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartConf {
    /// Owner not in its room yet: move the counterpart into it.
    Redirect(Plan),
    /// Owner already in its room: hang up the owner's leg of `convid`, then the caller
    /// runs the call flow owner → `add` (this plan is the hangup).
    HangupThenCall(Plan),
}

/// `start_conf`.
///
/// # Errors
/// `Forbidden` unless owns(owner); `Unsupported` (no code); `ConversationNotFound`.
pub fn decide_start(ctx: &Ctx<'_>, owner: &str, convid: &str) -> Result<StartConf, OperationError> {
    OperationError::require(ctx.caller.owns(owner))?;
    let code = code(ctx)?;
    let conv = ctx.conversation(owner, convid)?;
    let not_found = || OperationError::ConversationNotFound {
        exten: owner.to_owned(),
        convid: convid.to_owned(),
    };
    let in_room = ctx
        .view
        .conference(owner)
        .is_some_and(|c| c.users.iter().any(|u| u.exten_id == owner));
    if in_room {
        let own = own_channel(&conv, owner).ok_or_else(not_found)?;
        return Ok(StartConf::HangupThenCall(Plan::one(PbxCommand::Hangup {
            channel: own.channel.clone(),
            cause: None,
        })));
    }
    let other = counterpart_channel(&conv, owner).ok_or_else(not_found)?;
    Ok(StartConf::Redirect(Plan::one(redirect(
        other,
        ctx.context_of(owner),
        &format!("{code}{owner}"),
    ))))
}

fn conference(ctx: &Ctx<'_>, conf_id: &str) -> Result<(String, ConferenceInfo), OperationError> {
    let code = code(ctx)?;
    let conf = ctx
        .view
        .conference(conf_id)
        .ok_or_else(|| OperationError::ConferenceNotFound(conf_id.to_owned()))?;
    Ok((format!("{code}{conf_id}"), conf))
}

/// `end_conf`: `ConfbridgeKick` of everybody.
///
/// # Errors
/// `Forbidden` unless owns(conf); `ConferenceNotFound`.
pub fn decide_end(ctx: &Ctx<'_>, conf_id: &str) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.owns(conf_id))?;
    let (name, _) = conference(ctx, conf_id)?;
    Ok(Plan::one(PbxCommand::ConfbridgeKick {
        conference: name,
        channel: "all".to_owned(),
    }))
}

fn find_user<'c>(conf: &'c ConferenceInfo, user: &str) -> Option<&'c ConfUserInfo> {
    conf.users
        .iter()
        .find(|u| u.id == user || u.exten_id == user)
}

/// `hangup_userconf`: kicks the user (by extension) out of the room.
///
/// # Errors
/// `Forbidden` unless owns(conf); `ConferenceNotFound`; `ConferenceUserNotFound`.
pub fn decide_kick(ctx: &Ctx<'_>, conf_id: &str, exten: &str) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.owns(conf_id))?;
    let (name, conf) = conference(ctx, conf_id)?;
    let user = find_user(&conf, exten).ok_or_else(|| OperationError::ConferenceUserNotFound {
        conf: conf_id.to_owned(),
        user: exten.to_owned(),
    })?;
    Ok(Plan::one(PbxCommand::ConfbridgeKick {
        conference: name,
        channel: user.channel.clone(),
    }))
}

fn user_for_mute(
    ctx: &Ctx<'_>,
    conf_id: &str,
    user: &str,
) -> Result<(String, ConfUserInfo), OperationError> {
    let (name, conf) = conference(ctx, conf_id).map_err(|e| match e {
        OperationError::ConferenceNotFound(_) if !ctx.caller.owns(conf_id) => {
            OperationError::Forbidden
        }
        other => other,
    })?;
    let u = find_user(&conf, user).cloned();
    let allowed =
        ctx.caller.owns(conf_id) || u.as_ref().is_some_and(|u| ctx.caller.owns(&u.exten_id));
    OperationError::require(allowed)?;
    let u = u.ok_or_else(|| OperationError::ConferenceUserNotFound {
        conf: conf_id.to_owned(),
        user: user.to_owned(),
    })?;
    Ok((name, u))
}

/// `mute_userconf`: `direction` `in` (default: cannot speak) → `ConfbridgeMute`;
/// `out` (cannot hear) → `MuteAudio out`; `all` → both.
///
/// # Errors
/// `Forbidden` unless owns(conf) or owns(the user's extension); `ConferenceNotFound`;
/// `ConferenceUserNotFound`.
pub fn decide_mute_user(
    ctx: &Ctx<'_>,
    conf_id: &str,
    user: &str,
    direction: AudioDirection,
) -> Result<Plan, OperationError> {
    let (name, u) = user_for_mute(ctx, conf_id, user)?;
    let talk = PbxCommand::ConfbridgeMute {
        conference: name,
        channel: u.channel.clone(),
        muted: true,
    };
    let hear = PbxCommand::MuteAudio {
        channel: u.channel,
        direction: AudioDirection::Out,
        state: true,
    };
    Ok(Plan::commands(match direction {
        AudioDirection::In => vec![talk],
        AudioDirection::Out => vec![hear],
        AudioDirection::All => vec![talk, hear],
    }))
}

/// `unmute_userconf`: `onlyListen` → restore hearing only (`MuteAudio out off`); else
/// restore talking and hearing.
///
/// # Errors
/// As [`decide_mute_user`].
pub fn decide_unmute_user(
    ctx: &Ctx<'_>,
    conf_id: &str,
    user: &str,
    only_listen: bool,
) -> Result<Plan, OperationError> {
    let (name, u) = user_for_mute(ctx, conf_id, user)?;
    let hear = PbxCommand::MuteAudio {
        channel: u.channel.clone(),
        direction: AudioDirection::Out,
        state: false,
    };
    if only_listen {
        return Ok(Plan::one(hear));
    }
    Ok(Plan::commands(vec![
        PbxCommand::ConfbridgeMute {
            conference: name,
            channel: u.channel,
            muted: false,
        },
        hear,
    ]))
}
