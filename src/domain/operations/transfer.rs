//! Transfers: `blindtransfer`, `atxfer`, `blindtransfer_queue`, `blindtransfer_parking`.

use super::channel::own_channel;
use super::error::OperationError;
use super::plan::Plan;
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// Validates a transfer/forward destination: digits, `*`, `#`, `+`, at most 40.
///
/// # Errors
/// `BadRequest` on `field`.
pub fn destination(field: &str, to: &str) -> Result<String, OperationError> {
    let to = to.trim();
    let ok = !to.is_empty()
        && to.len() <= 40
        && to
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | '#' | '+'));
    if ok {
        Ok(to.to_owned())
    } else {
        Err(OperationError::bad(
            field,
            "must be a phone number (digits, * # +)",
        ))
    }
}

fn own_channel_name(ctx: &Ctx<'_>, ext: &str, convid: &str) -> Result<String, OperationError> {
    let conv = ctx.conversation(ext, convid)?;
    own_channel(&conv, ext)
        .map(|c| c.channel.clone())
        .ok_or_else(|| OperationError::ConversationNotFound {
            exten: ext.to_owned(),
            convid: convid.to_owned(),
        })
}

/// `blindtransfer`: `BlindTransfer` of `ext`'s own channel to `to@transfer_context`.
///
/// # Errors
/// `Forbidden` unless `admin_transfer` or owner; `BadRequest` on `to`; `ConversationNotFound`.
pub fn decide_blind_transfer(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    to: &str,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.admin_transfer || ctx.caller.owns(ext))?;
    let to = destination("to", to)?;
    let channel = own_channel_name(ctx, ext, convid)?;
    Ok(Plan::one(PbxCommand::BlindTransfer {
        channel,
        context: ctx.config.transfer_context.clone(),
        exten: to,
    }))
}

/// `atxfer`: `Atxfer` on `ext`'s own channel to `<to>#` in `ext`'s context.
///
/// # Errors
/// As [`decide_blind_transfer`].
pub fn decide_attended_transfer(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    to: &str,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.admin_transfer || ctx.caller.owns(ext))?;
    let to = destination("to", to)?;
    let channel = own_channel_name(ctx, ext, convid)?;
    Ok(Plan::one(PbxCommand::Atxfer {
        channel,
        context: ctx.context_of(ext),
        exten: format!("{to}#"),
    }))
}

/// A `Redirect` to `exten@context`, priority 1.
pub fn redirect(channel: String, context: String, exten: &str) -> PbxCommand {
    PbxCommand::Redirect {
        channel,
        extra_channel: None,
        context,
        exten: exten.to_owned(),
        priority: "1".to_owned(),
    }
}

/// The channel of waiting caller `caller` in `queue`.
///
/// # Errors
/// `UnknownQueue`, `WaitingCallerNotFound`.
pub fn waiting_caller(ctx: &Ctx<'_>, queue: &str, caller: &str) -> Result<String, OperationError> {
    let waiting = ctx
        .view
        .queue_waiting_callers(queue)
        .ok_or_else(|| OperationError::UnknownQueue(queue.to_owned()))?;
    waiting
        .into_iter()
        .find(|c| c == caller)
        .ok_or_else(|| OperationError::WaitingCallerNotFound {
            queue: queue.to_owned(),
            caller: caller.to_owned(),
        })
}

/// `blindtransfer_queue`: redirects a queue's waiting caller to `to`.
///
/// # Errors
/// `Forbidden` unless `admin_transfer` or qmanager of the queue; `BadRequest` on `to`;
/// `UnknownQueue`; `WaitingCallerNotFound`.
pub fn decide_queue_transfer(
    ctx: &Ctx<'_>,
    queue: &str,
    caller: &str,
    to: &str,
) -> Result<Plan, OperationError> {
    let g = &ctx.caller.grants;
    OperationError::require(g.admin_transfer || g.qmanager_allows(queue))?;
    let to = destination("to", to)?;
    let channel = waiting_caller(ctx, queue, caller)?;
    Ok(Plan::one(redirect(channel, ctx.default_context(), &to)))
}

/// The parked channel of a slot.
///
/// # Errors
/// `UnknownParking`, `EmptyParking`.
pub fn parked(ctx: &Ctx<'_>, parking: &str) -> Result<String, OperationError> {
    ctx.view
        .parked_channel(parking)
        .ok_or_else(|| OperationError::UnknownParking(parking.to_owned()))?
        .ok_or_else(|| OperationError::EmptyParking(parking.to_owned()))
}

/// `blindtransfer_parking`: redirects a parked call to `to`.
///
/// # Errors
/// `Forbidden` unless `admin_transfer`; `BadRequest` on `to`; `UnknownParking`; `EmptyParking`.
pub fn decide_parking_transfer(
    ctx: &Ctx<'_>,
    parking: &str,
    to: &str,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.admin_transfer)?;
    let to = destination("to", to)?;
    let channel = parked(ctx, parking)?;
    Ok(Plan::one(redirect(channel, ctx.default_context(), &to)))
}
