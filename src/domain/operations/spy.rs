//! Listening and whispering: `start_spy` (ChanSpy `qS`) and `intrude` (ChanSpy `wqS`).

use super::channel::own_channel;
use super::error::OperationError;
use super::plan::Plan;
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// Listen only, or whisper to the spied party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpyMode {
    /// `start_spy`: `ChanSpy(<ch>,qS)`.
    Listen,
    /// `intrude`: `ChanSpy(<ch>,wqS)`.
    Whisper,
}

/// Calls `dest` (the spier) and connects it to `ext`'s channel of `convid` with ChanSpy.
///
/// # Errors
/// `Forbidden` unless (qmanager of a queue `ext` belongs to, or `spy`/`intrude`) and
/// owns(dest); `UnknownExtension` for an untracked spier (the original answered 200 for
/// `intrude`); `ConversationNotFound`.
pub fn decide_spy(
    ctx: &Ctx<'_>,
    ext: &str,
    convid: &str,
    dest: &str,
    mode: SpyMode,
) -> Result<Plan, OperationError> {
    let g = &ctx.caller.grants;
    let by_profile = match mode {
        SpyMode::Listen => g.spy,
        SpyMode::Whisper => g.intrude,
    };
    let by_qmanager = ctx
        .view
        .queues_of_member(ext)
        .iter()
        .any(|q| g.qmanager_allows(q));
    OperationError::require((by_profile || by_qmanager) && ctx.caller.owns(dest))?;
    if ctx.view.extension(dest).is_none() {
        return Err(OperationError::UnknownExtension(dest.to_owned()));
    }
    let conv = ctx.conversation(ext, convid)?;
    let spied = own_channel(&conv, ext).ok_or_else(|| OperationError::ConversationNotFound {
        exten: ext.to_owned(),
        convid: convid.to_owned(),
    })?;
    let options = match mode {
        SpyMode::Listen => "qS",
        SpyMode::Whisper => "wqS",
    };
    Ok(Plan::one(PbxCommand::OriginateApp {
        channel: format!("PJSIP/{dest}"),
        application: "ChanSpy".to_owned(),
        data: format!("{},{options}", spied.channel),
        caller_id: Some("<unknown>".to_owned()),
        timeout_ms: None,
        variables: Vec::new(),
    }))
}
