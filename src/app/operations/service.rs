//! [`OperationsService`]: runs domain decisions and executes their plans on the PBX.
//!
//! Every route is bounded: each PBX command by [`Bounds::command`] (the click-to-call
//! originate by [`Bounds::call`]), each phone request by [`Bounds::phone`], and the whole
//! route by [`Bounds::route`]. So no request ever stays unanswered, whatever the PBX or
//! the phone does.

use super::hooks::OperationsHooks;
use super::request::OpRequest;
use crate::adapters::clip::clip;
use crate::domain::operations::calls::{self, CallRequest, CallRoute, Endpoint};
use crate::domain::operations::conference::{self, StartConf};
use crate::domain::operations::phone_urls::PhoneAction;
use crate::domain::operations::record::{self, CivilTime};
use crate::domain::operations::spy::{self, SpyMode};
use crate::domain::operations::{
    forward, hangup, mute, park, queue_member, transfer, Caller, Ctx, Effect, OperationError,
    OperationsView, OpsConfig, Plan,
};
use crate::ports::clock::Clock;
use crate::ports::pbx::{Pbx, PbxCommand, PbxReply};
use crate::ports::phone_api::{PhoneApi, PhoneApiError};
use serde_json::{json, Value};
use slog::{debug, info, warn, Logger};
use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Number dialled by `call_echo`.
pub const ECHO_TEST: &str = "*43";

/// Time limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// One PBX command.
    pub command: Duration,
    /// The click-to-call originate (waits until the calling phone answers, 15 s ring).
    pub call: Duration,
    /// One phone HTTP request.
    pub phone: Duration,
    /// A whole route.
    pub route: Duration,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            command: Duration::from_secs(10),
            call: Duration::from_secs(20),
            phone: Duration::from_secs(4),
            route: Duration::from_secs(40),
        }
    }
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// `200` with an empty body.
    Empty,
    /// `200` with a JSON body.
    Json(Value),
}

/// What the service needs.
pub struct OperationsDeps {
    /// The PBX command port.
    pub pbx: Arc<dyn Pbx>,
    /// The phone HTTP API port.
    pub phone: Arc<dyn PhoneApi>,
    /// Read-only live model.
    pub view: Arc<dyn OperationsView>,
    /// Pushes and model effects.
    pub hooks: Arc<dyn OperationsHooks>,
    /// Wall clock (recording file names).
    pub clock: Arc<dyn Clock>,
    /// Static settings.
    pub config: Arc<OpsConfig>,
    /// Time limits.
    pub bounds: Bounds,
    /// Logger.
    pub log: Logger,
}

/// The switchboard operations service.
pub struct OperationsService {
    deps: OperationsDeps,
    muted: Mutex<HashSet<String>>,
}

async fn bounded<T>(
    limit: Duration,
    f: impl Future<Output = Result<T, OperationError>>,
    on_timeout: OperationError,
) -> Result<T, OperationError> {
    tokio::time::timeout(limit, f)
        .await
        .unwrap_or(Err(on_timeout))
}

impl OperationsService {
    /// A service over its ports.
    pub fn new(deps: OperationsDeps) -> Self {
        Self {
            deps,
            muted: Mutex::new(HashSet::new()),
        }
    }

    fn ctx<'a>(&'a self, caller: &'a Caller) -> Ctx<'a> {
        Ctx::new(caller, &*self.deps.view, &self.deps.config)
    }

    /// Runs one request for `caller`, within [`Bounds::route`].
    ///
    /// # Errors
    /// The decision's [`OperationError`], or the PBX/phone failure, or
    /// [`OperationError::Timeout`].
    pub async fn handle(&self, caller: &Caller, req: OpRequest) -> Result<Reply, OperationError> {
        let name = format!("{req:?}");
        let out = bounded(
            self.deps.bounds.route,
            self.dispatch(caller, req),
            OperationError::Timeout,
        )
        .await;
        match &out {
            Ok(_) => {
                debug!(self.deps.log, "operation done"; "user" => &caller.username, "request" => clip(&name))
            }
            Err(e) => {
                info!(self.deps.log, "operation failed"; "user" => &caller.username,
                    "request" => clip(&name), "error" => clip(&e.to_string()))
            }
        }
        out
    }

    /// `unauthe_call`: originate from `ext` to `number` without a user (the HTTP gate
    /// decided); answers `{uniqueid}` once the phone answers.
    ///
    /// # Errors
    /// As [`OperationsService::handle`].
    pub async fn unauthenticated_call(
        &self,
        ext: &str,
        number: &str,
    ) -> Result<Reply, OperationError> {
        let anonymous = Caller::default();
        let cmd = calls::decide_unauthenticated_call(&self.ctx(&anonymous), ext, number)?;
        bounded(
            self.deps.bounds.route,
            self.originate(cmd),
            OperationError::Timeout,
        )
        .await
    }

    async fn exec(&self, cmd: PbxCommand, limit: Duration) -> Result<PbxReply, OperationError> {
        let t = self.deps.pbx.execute(cmd);
        match tokio::time::timeout(limit, t).await {
            Ok(r) => r.map_err(OperationError::from),
            Err(_) => Err(OperationError::Pbx(crate::ports::pbx::PbxError::Timeout(
                limit,
            ))),
        }
    }

    /// Executes the commands in order (stopping at the first failure), then the effects.
    async fn run(&self, plan: Plan) -> Result<Reply, OperationError> {
        for cmd in plan.commands {
            self.exec(cmd, self.deps.bounds.command).await?;
        }
        for effect in &plan.effects {
            if let Effect::Muted { channel, muted } = effect {
                if let Ok(mut set) = self.muted.lock() {
                    if *muted {
                        set.insert(channel.clone());
                    } else {
                        set.remove(channel);
                    }
                }
            }
            self.deps.hooks.apply(effect);
        }
        Ok(Reply::Empty)
    }

    async fn originate(&self, cmd: PbxCommand) -> Result<Reply, OperationError> {
        match self.exec(cmd, self.deps.bounds.call).await? {
            PbxReply::Originated { uniqueid } => Ok(Reply::Json(json!({ "uniqueid": uniqueid }))),
            _ => Ok(Reply::Empty),
        }
    }

    async fn phone_get(&self, url: &str) -> Result<u16, OperationError> {
        let limit = self.deps.bounds.phone;
        match tokio::time::timeout(limit, self.deps.phone.get(url)).await {
            Err(_) | Ok(Err(PhoneApiError::Timeout)) => Err(OperationError::PhoneTimeout),
            Ok(Err(PhoneApiError::Unreachable(m))) => Err(OperationError::PhoneUnreachable(m)),
            Ok(Ok(status)) => Ok(status),
        }
    }

    async fn phone_action(
        &self,
        caller: &Caller,
        ext: &str,
        action: PhoneAction,
        tone: &str,
    ) -> Result<Reply, OperationError> {
        let url = calls::decide_phone_action(&self.ctx(caller), ext, action, tone)?;
        let status = self.phone_get(&url).await?;
        if (200..300).contains(&status) || status == 302 {
            Ok(Reply::Json(json!({ "phoneRespStatusCode": status })))
        } else {
            Err(OperationError::PhoneRejected(status))
        }
    }

    async fn call_flow(&self, caller: &Caller, req: CallRequest) -> Result<Reply, OperationError> {
        let route = calls::decide_call(&self.ctx(caller), &req)?;
        match route {
            CallRoute::Webrtc { username, number } => {
                self.deps
                    .hooks
                    .push_to_user(&username, "callWebrtc", Value::String(number));
                Ok(Reply::Empty)
            }
            CallRoute::Phone { url, fallback } => match self.phone_get(&url).await {
                Ok(status) if (200..300).contains(&status) || status == 302 => {
                    Ok(Reply::Json(json!({ "phoneRespStatusCode": status })))
                }
                other => {
                    warn!(self.deps.log, "phone click-to-call failed, originating"; "outcome" => ?other);
                    self.originate(fallback).await
                }
            },
            CallRoute::Originate(cmd) => self.originate(cmd).await,
        }
    }

    fn is_muted(&self, channel: &str) -> bool {
        self.muted
            .lock()
            .map(|s| s.contains(channel))
            .unwrap_or(false)
    }

    async fn dispatch(&self, caller: &Caller, req: OpRequest) -> Result<Reply, OperationError> {
        let ctx = self.ctx(caller);
        match req {
            OpRequest::Call { endpoint, number } => {
                self.call_flow(caller, CallRequest { endpoint, number })
                    .await
            }
            OpRequest::CallEcho { endpoint_id } => {
                OperationError::require(caller.owns(&endpoint_id))?;
                let req = CallRequest {
                    endpoint: Some(Endpoint::Extension(endpoint_id)),
                    number: ECHO_TEST.to_owned(),
                };
                self.call_flow(caller, req).await
            }
            OpRequest::Answer { endpoint_id } => {
                self.phone_action(caller, &endpoint_id, PhoneAction::Answer, "")
                    .await
            }
            OpRequest::ToggleHold { endpoint_id } => {
                self.phone_action(caller, &endpoint_id, PhoneAction::HoldUnhold, "")
                    .await
            }
            OpRequest::Dtmf { endpoint_id, tone } => {
                self.phone_action(caller, &endpoint_id, PhoneAction::Dtmf, &tone)
                    .await
            }
            OpRequest::AnswerWebrtc { endpoint_id } => {
                let user = calls::decide_answer_webrtc(&ctx, &endpoint_id)?;
                self.deps
                    .hooks
                    .push_to_user(&user, "answerWebrtc", Value::String(endpoint_id));
                Ok(Reply::Empty)
            }
            OpRequest::Hangup {
                endpoint_id,
                convid,
            } => {
                self.run(hangup::decide_hangup(&ctx, &endpoint_id, &convid)?)
                    .await
            }
            OpRequest::Cancel {
                endpoint_id,
                convid,
            } => {
                self.run(hangup::decide_cancel(
                    &ctx,
                    &endpoint_id,
                    convid.as_deref(),
                )?)
                .await
            }
            OpRequest::ForceHangup {
                endpoint_id,
                convid,
            } => {
                self.run(hangup::decide_force_hangup(&ctx, &endpoint_id, &convid)?)
                    .await
            }
            OpRequest::HangupChannel {
                endpoint_id,
                channel,
            } => {
                self.run(hangup::decide_hangup_channel(&ctx, &endpoint_id, &channel)?)
                    .await
            }
            OpRequest::HangupMainExten { exten } => {
                self.run(hangup::decide_hangup_mainexten(&ctx, &exten)?)
                    .await
            }
            OpRequest::BlindTransfer {
                endpoint_id,
                convid,
                to,
            } => {
                self.run(transfer::decide_blind_transfer(
                    &ctx,
                    &endpoint_id,
                    &convid,
                    &to,
                )?)
                .await
            }
            OpRequest::Atxfer {
                endpoint_id,
                convid,
                to,
            } => {
                self.run(transfer::decide_attended_transfer(
                    &ctx,
                    &endpoint_id,
                    &convid,
                    &to,
                )?)
                .await
            }
            OpRequest::BlindTransferQueue {
                queue,
                waiting_caller_id,
                to,
            } => {
                self.run(transfer::decide_queue_transfer(
                    &ctx,
                    &queue,
                    &waiting_caller_id,
                    &to,
                )?)
                .await
            }
            OpRequest::BlindTransferParking { parking, to } => {
                self.run(transfer::decide_parking_transfer(&ctx, &parking, &to)?)
                    .await
            }
            OpRequest::Park {
                endpoint_id,
                convid,
                applicant_id,
            } => {
                self.run(park::decide_park(
                    &ctx,
                    &endpoint_id,
                    &convid,
                    &applicant_id,
                )?)
                .await
            }
            OpRequest::PickupParking { parking, dest_id } => {
                self.run(park::decide_pickup_parking(&ctx, &parking, &dest_id)?)
                    .await
            }
            OpRequest::PickupConv {
                endpoint_id,
                dest_id,
            } => {
                let cmd = calls::decide_pickup_conv(&ctx, &endpoint_id, &dest_id)?;
                self.originate(cmd).await
            }
            OpRequest::PickupQueueWaitingCaller {
                queue,
                wait_caller_id,
                dest_id,
            } => {
                self.run(park::decide_pickup_waiting(
                    &ctx,
                    &queue,
                    &wait_caller_id,
                    &dest_id,
                )?)
                .await
            }
            OpRequest::Mute {
                endpoint_id,
                convid,
                mute: m,
            } => {
                self.run(mute::decide_mute(&ctx, &endpoint_id, &convid, m)?)
                    .await
            }
            OpRequest::ToggleMute {
                endpoint_id,
                convid,
            } => {
                let channel = mute::muted_channel(&ctx, &endpoint_id, &convid)?;
                let now_muted = self.is_muted(&channel);
                self.run(mute::mute_plan(channel, !now_muted)).await
            }
            OpRequest::StartRecord {
                endpoint_id,
                convid,
            } => {
                let now = CivilTime::from_epoch_ms(self.deps.clock.now_ms());
                self.run(record::decide_start(&ctx, &endpoint_id, &convid, &now)?)
                    .await
            }
            OpRequest::StopRecord {
                endpoint_id,
                convid,
            } => {
                self.run(record::decide_stop(&ctx, &endpoint_id, &convid)?)
                    .await
            }
            OpRequest::MuteRecord {
                endpoint_id,
                convid,
                mute: m,
            } => {
                self.run(record::decide_mute(&ctx, &endpoint_id, &convid, m)?)
                    .await
            }
            OpRequest::Spy {
                endpoint_id,
                convid,
                dest_id,
                whisper,
            } => {
                let mode = if whisper {
                    SpyMode::Whisper
                } else {
                    SpyMode::Listen
                };
                self.run(spy::decide_spy(
                    &ctx,
                    &endpoint_id,
                    &convid,
                    &dest_id,
                    mode,
                )?)
                .await
            }
            OpRequest::Dnd { endpoint, on } => {
                self.run(forward::decide_dnd(&ctx, &endpoint, on)?).await
            }
            OpRequest::Forward {
                endpoint,
                kind,
                to,
                voicemail,
            } => {
                self.run(forward::decide_forward(
                    &ctx,
                    &endpoint,
                    kind,
                    to.as_deref(),
                    voicemail,
                )?)
                .await
            }
            OpRequest::RecallOnBusy {
                caller: from,
                called,
            } => {
                let lookup = forward::decide_rob_lookup(&ctx, &from, &called)?;
                let current = match self.exec(lookup, self.deps.bounds.command).await? {
                    PbxReply::Value(v) => v,
                    _ => None,
                };
                let (plan, n) = forward::decide_rob_update(&from, &called, current.as_deref());
                self.run(plan).await?;
                Ok(Reply::Json(json!({ "waitingExtensions": n })))
            }
            OpRequest::QueueMemberAdd {
                endpoint_id,
                queue_id,
                paused,
            } => {
                let lookup = queue_member::decide_penalty_lookup(&ctx, &endpoint_id, &queue_id)?;
                let penalty = match self.exec(lookup, self.deps.bounds.command).await? {
                    PbxReply::Value(v) => v,
                    _ => None,
                };
                self.run(queue_member::decide_add(
                    &ctx,
                    &endpoint_id,
                    &queue_id,
                    paused,
                    penalty.as_deref(),
                )?)
                .await
            }
            OpRequest::QueueMemberRemove {
                endpoint_id,
                queue_id,
            } => {
                self.run(queue_member::decide_remove(&ctx, &endpoint_id, &queue_id)?)
                    .await
            }
            OpRequest::QueueMemberPause {
                endpoint_id,
                queue_id,
                paused,
                reason,
            } => {
                let plan = queue_member::decide_pause(
                    &ctx,
                    &endpoint_id,
                    queue_id.as_deref(),
                    paused,
                    reason.as_deref(),
                )?;
                self.run(plan).await
            }
            OpRequest::InoutDynQueues { endpoint_id } => {
                self.run(queue_member::decide_inout(&ctx, &endpoint_id)?)
                    .await
            }
            OpRequest::StartConf {
                convid,
                owner_endpoint_id,
                add_endpoint_id,
            } => match conference::decide_start(&ctx, &owner_endpoint_id, &convid)? {
                StartConf::Redirect(plan) => self.run(plan).await,
                StartConf::HangupThenCall(plan) => {
                    self.run(plan).await?;
                    let req = CallRequest {
                        endpoint: Some(Endpoint::Extension(owner_endpoint_id)),
                        number: add_endpoint_id,
                    };
                    self.call_flow(caller, req).await
                }
            },
            OpRequest::JoinMyConf { endpoint_id } => {
                OperationError::require(caller.owns(&endpoint_id))?;
                let code = conference::code(&ctx)?;
                let req = CallRequest {
                    endpoint: Some(Endpoint::Extension(endpoint_id)),
                    number: code,
                };
                self.call_flow(caller, req).await
            }
            OpRequest::EndConf { conf_id } => {
                self.run(conference::decide_end(&ctx, &conf_id)?).await
            }
            OpRequest::HangupUserConf { conf_id, exten_id } => {
                self.run(conference::decide_kick(&ctx, &conf_id, &exten_id)?)
                    .await
            }
            OpRequest::MuteUserConf {
                conf_id,
                user_id,
                direction,
            } => {
                self.run(conference::decide_mute_user(
                    &ctx, &conf_id, &user_id, direction,
                )?)
                .await
            }
            OpRequest::UnmuteUserConf {
                conf_id,
                user_id,
                only_listen,
            } => {
                self.run(conference::decide_unmute_user(
                    &ctx,
                    &conf_id,
                    &user_id,
                    only_listen,
                )?)
                .await
            }
        }
    }
}
