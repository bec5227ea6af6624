//! Queue membership: `queuemember_add`, `_remove`, `_pause`, `_unpause`, `inout_dyn_queues`.

use super::error::OperationError;
use super::plan::Plan;
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// The member interface of an extension: `Local/<ext>@from-queue/n`.
pub fn interface(ext: &str) -> String {
    format!("Local/{ext}@from-queue/n")
}

fn may_manage(ctx: &Ctx<'_>, ext: &str) -> Result<(), OperationError> {
    let g = &ctx.caller.grants;
    OperationError::require(g.admin_queues || (g.queues && ctx.caller.owns(ext)))
}

fn tracked_queue(ctx: &Ctx<'_>, queue: &str) -> Result<(), OperationError> {
    ctx.view
        .queue_waiting_callers(queue)
        .map(|_| ())
        .ok_or_else(|| OperationError::UnknownQueue(queue.to_owned()))
}

/// First step of `queuemember_add`: the `DBGet QPENALTY/<queue>/agents/<ext>` whose value
/// is the member's penalty (an absent key means: not a dynamic member of that queue).
///
/// # Errors
/// `Forbidden` unless `admin_queues` or (`queues` and owner); `UnknownQueue`.
pub fn decide_penalty_lookup(
    ctx: &Ctx<'_>,
    ext: &str,
    queue: &str,
) -> Result<PbxCommand, OperationError> {
    may_manage(ctx, ext)?;
    tracked_queue(ctx, queue)?;
    Ok(PbxCommand::DbGet {
        family: "QPENALTY".to_owned(),
        key: format!("{queue}/agents/{ext}"),
    })
}

/// Second step of `queuemember_add`, given the `QPENALTY` value.
///
/// # Errors
/// `NotDynamicMember` when the key is absent.
pub fn decide_add(
    ctx: &Ctx<'_>,
    ext: &str,
    queue: &str,
    paused: bool,
    penalty: Option<&str>,
) -> Result<Plan, OperationError> {
    let Some(penalty) = penalty else {
        return Err(OperationError::NotDynamicMember {
            queue: queue.to_owned(),
            exten: ext.to_owned(),
        });
    };
    let name = ctx
        .view
        .extension(ext)
        .map(|e| e.name)
        .filter(|n| !n.is_empty());
    Ok(Plan::one(PbxCommand::QueueAdd {
        queue: queue.to_owned(),
        interface: interface(ext),
        member_name: Some(name.unwrap_or_else(|| ext.to_owned())),
        paused,
        penalty: penalty.trim().parse().ok(),
        state_interface: Some(format!("hint:{ext}@ext-local")),
    }))
}

/// `queuemember_remove`.
///
/// # Errors
/// `Forbidden`; `UnknownQueue`.
pub fn decide_remove(ctx: &Ctx<'_>, ext: &str, queue: &str) -> Result<Plan, OperationError> {
    may_manage(ctx, ext)?;
    tracked_queue(ctx, queue)?;
    Ok(Plan::one(PbxCommand::QueueRemove {
        queue: queue.to_owned(),
        interface: interface(ext),
    }))
}

/// `queuemember_pause` / `_unpause`; `queue: None` applies to every queue.
///
/// # Errors
/// `Forbidden`; `UnknownQueue` for a named untracked queue.
pub fn decide_pause(
    ctx: &Ctx<'_>,
    ext: &str,
    queue: Option<&str>,
    paused: bool,
    reason: Option<&str>,
) -> Result<Plan, OperationError> {
    may_manage(ctx, ext)?;
    if let Some(q) = queue {
        tracked_queue(ctx, q)?;
    }
    Ok(Plan::one(PbxCommand::QueuePause {
        queue: queue.map(str::to_owned),
        interface: interface(ext),
        paused,
        reason: reason
            .filter(|r| paused && !r.is_empty())
            .map(str::to_owned),
    }))
}

/// `inout_dyn_queues`: dials the queue-toggle feature code on behalf of `ext`.
///
/// # Errors
/// `Forbidden`; `UnknownExtension`.
pub fn decide_inout(ctx: &Ctx<'_>, ext: &str) -> Result<Plan, OperationError> {
    may_manage(ctx, ext)?;
    if ctx.view.extension(ext).is_none() {
        return Err(OperationError::UnknownExtension(ext.to_owned()));
    }
    Ok(Plan::one(PbxCommand::Originate {
        channel: format!(
            "Local/{}@{}",
            ctx.config.queue_toggle_code,
            ctx.context_of(ext)
        ),
        context: "app-blackhole".to_owned(),
        exten: "ring".to_owned(),
        priority: "1".to_owned(),
        caller_id: Some(format!("\"CTI\" <{ext}>")),
        timeout_ms: None,
        variables: Vec::new(),
        wait_answer: false,
    }))
}
