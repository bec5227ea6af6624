//! Parking and pickups: `park`, `pickup_parking`, `pickup_qwaitcaller`.

use super::channel::{counterpart_channel, own_channel};
use super::error::OperationError;
use super::plan::Plan;
use super::transfer::{parked, redirect, waiting_caller};
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// `park`: parks the other party of `applicant` in conversation `convid` of `ext`; the
/// applicant's channel gets the call back on timeout.
///
/// # Errors
/// `Forbidden` unless `admin_parkings` or owns(applicant); `ConversationNotFound`
/// (also when the applicant is not a party of the conversation).
pub fn decide_park(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    applicant: &str,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.admin_parkings || ctx.caller.owns(applicant))?;
    let conv = ctx.conversation(ext, convid)?;
    let not_found = || OperationError::ConversationNotFound {
        exten: applicant.to_owned(),
        convid: convid.to_owned(),
    };
    let own = own_channel(&conv, applicant).ok_or_else(not_found)?;
    let other = counterpart_channel(&conv, applicant).ok_or_else(not_found)?;
    Ok(Plan::one(PbxCommand::Park {
        channel: other,
        timeout_channel: own.channel.clone(),
        parkinglot: None,
    }))
}

/// `pickup_parking`: redirects the parked call to `dest`.
///
/// # Errors
/// `Forbidden` unless (`op_parkings` or `admin_parkings`) and (`admin_parkings` or
/// owns(dest)); `UnknownParking`; `EmptyParking`.
pub fn decide_pickup_parking(
    ctx: &Ctx<'_>,
    parking: &str,
    dest: &str,
) -> Result<Plan, OperationError> {
    let g = &ctx.caller.grants;
    OperationError::require(g.admin_parkings || (g.op_parkings && ctx.caller.owns(dest)))?;
    let channel = parked(ctx, parking)?;
    Ok(Plan::one(redirect(channel, ctx.default_context(), dest)))
}

/// `pickup_qwaitcaller`: redirects a queue's waiting caller to `dest`.
///
/// # Errors
/// `Forbidden` unless `admin_pickup` and owns(dest); `UnknownQueue`; `WaitingCallerNotFound`.
pub fn decide_pickup_waiting(
    ctx: &Ctx<'_>,
    queue: &str,
    caller: &str,
    dest: &str,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.admin_pickup && ctx.caller.owns(dest))?;
    let channel = waiting_caller(ctx, queue, caller)?;
    Ok(Plan::one(redirect(channel, ctx.default_context(), dest)))
}
