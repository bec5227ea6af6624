//! Request bodies of the operation routes → validated [`OpRequest`]s.
//!
//! Parameters come as one bag (JSON or urlencoded body, query string on top). Ids may be
//! JSON strings or numbers. A missing or invalid field gives
//! [`OperationError::BadRequest`] naming it.

use crate::app::operations::OpRequest;
use crate::domain::operations::calls::Endpoint;
use crate::domain::operations::forward::ForwardType;
use crate::domain::operations::OperationError;
use crate::ports::pbx::AudioDirection;
use serde_json::{Map, Value};

/// Every authenticated operation route name (`POST /astproxy/<name>`).
pub const ROUTES: &[&str] = &[
    "call",
    "call_echo",
    "answer",
    "answer_webrtc",
    "hangup",
    "force_hangup",
    "hangup_channel",
    "hangup_mainexten",
    "cancel",
    "blindtransfer",
    "atxfer",
    "blindtransfer_queue",
    "blindtransfer_parking",
    "park",
    "pickup_parking",
    "pickup_conv",
    "pickup_qwaitcaller",
    "toggle_hold",
    "toggle_mute",
    "mute",
    "unmute",
    "dtmf",
    "start_record",
    "stop_record",
    "mute_record",
    "unmute_record",
    "start_spy",
    "intrude",
    "dnd",
    "cfcall",
    "cfvm",
    "queuemember_add",
    "queuemember_remove",
    "queuemember_pause",
    "queuemember_unpause",
    "inout_dyn_queues",
    "start_conf",
    "join_myconf",
    "end_conf",
    "hangup_userconf",
    "mute_userconf",
    "unmute_userconf",
    "recall_on_busy",
];

/// The unauthenticated click-to-call route.
pub const UNAUTHE_CALL: &str = "unauthe_call";

/// Longest accepted parameter value.
const MAX_LEN: usize = 256;

/// A read-only parameter bag.
pub struct Params<'a>(pub &'a Map<String, Value>);

impl Params<'_> {
    /// An optional text parameter (string or number); empty counts as absent.
    ///
    /// # Errors
    /// `BadRequest` when present but not a scalar, too long or with control characters.
    pub fn opt(&self, field: &str) -> Result<Option<String>, OperationError> {
        let v = match self.0.get(field) {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(s)) => s.trim().to_owned(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => return Err(OperationError::bad(field, "must be a string")),
        };
        if v.len() > MAX_LEN || v.chars().any(char::is_control) {
            return Err(OperationError::bad(
                field,
                "too long or contains control characters",
            ));
        }
        Ok(Some(v).filter(|s| !s.is_empty()))
    }

    /// A required text parameter.
    ///
    /// # Errors
    /// `BadRequest` when missing or invalid.
    pub fn req(&self, field: &str) -> Result<String, OperationError> {
        self.opt(field)?
            .ok_or_else(|| OperationError::bad(field, "required"))
    }

    /// An optional boolean (`true`/`false` or their strings).
    ///
    /// # Errors
    /// `BadRequest` for anything else.
    pub fn opt_bool(&self, field: &str) -> Result<Option<bool>, OperationError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s == "true" => Ok(Some(true)),
            Some(Value::String(s)) if s == "false" => Ok(Some(false)),
            Some(_) => Err(OperationError::bad(field, "must be a boolean")),
        }
    }

    /// `status`: `on` / `off`.
    ///
    /// # Errors
    /// `BadRequest` on `status`.
    pub fn on_off(&self) -> Result<bool, OperationError> {
        match self.req("status")?.as_str() {
            "on" => Ok(true),
            "off" => Ok(false),
            _ => Err(OperationError::bad("status", "must be on or off")),
        }
    }

    /// `endpointType`, when present, must be `extension`.
    ///
    /// # Errors
    /// `BadRequest` on `endpointType`.
    pub fn extension_type(&self) -> Result<(), OperationError> {
        match self.opt("endpointType")?.as_deref() {
            None | Some("extension") => Ok(()),
            Some(_) => Err(OperationError::bad("endpointType", "must be extension")),
        }
    }
}

fn call(p: &Params<'_>) -> Result<OpRequest, OperationError> {
    let number = p.req("number")?;
    // phone-island sends the misspelt `endpointTpe`
    let kind = match p.opt("endpointType")? {
        Some(k) => Some(k),
        None => p.opt("endpointTpe")?,
    };
    let endpoint = match (p.opt("endpointId")?, kind.as_deref()) {
        (None, None) => None,
        (None, Some(_)) => {
            return Err(OperationError::bad(
                "endpointId",
                "required with endpointType",
            ))
        }
        (Some(id), None | Some("extension")) => Some(Endpoint::Extension(id)),
        (Some(id), Some("cellphone")) => Some(Endpoint::Cellphone(id)),
        (Some(_), Some(_)) => {
            return Err(OperationError::bad(
                "endpointType",
                "must be extension or cellphone",
            ))
        }
    };
    Ok(OpRequest::Call { endpoint, number })
}

fn direction(p: &Params<'_>) -> Result<AudioDirection, OperationError> {
    match p.opt("direction")?.as_deref() {
        None | Some("in") => Ok(AudioDirection::In),
        Some("out") => Ok(AudioDirection::Out),
        Some("all") => Ok(AudioDirection::All),
        Some(_) => Err(OperationError::bad("direction", "must be in, out or all")),
    }
}

fn forward(p: &Params<'_>, voicemail: bool) -> Result<OpRequest, OperationError> {
    let endpoint = p.req("endpoint")?;
    let kind = ForwardType::parse(&p.req("type")?)?;
    let on = p.on_off()?;
    let to = if on { Some(p.req("to")?) } else { None };
    Ok(OpRequest::Forward {
        endpoint,
        kind,
        to,
        voicemail,
    })
}

/// Parses the body of route `name`.
///
/// # Errors
/// `BadRequest` naming the first missing/invalid field; `Unsupported` for an unknown name.
pub fn parse_request(name: &str, bag: &Map<String, Value>) -> Result<OpRequest, OperationError> {
    let p = Params(bag);
    let ep = || p.req("endpointId");
    let conv = || p.req("convid");
    Ok(match name {
        "call" => call(&p)?,
        "call_echo" => OpRequest::CallEcho { endpoint_id: ep()? },
        "answer" => OpRequest::Answer { endpoint_id: ep()? },
        "answer_webrtc" => OpRequest::AnswerWebrtc { endpoint_id: ep()? },
        "hangup" => OpRequest::Hangup {
            convid: conv()?,
            endpoint_id: ep()?,
        },
        "force_hangup" => {
            p.extension_type()?;
            OpRequest::ForceHangup {
                convid: conv()?,
                endpoint_id: ep()?,
            }
        }
        "hangup_channel" => {
            p.extension_type()?;
            OpRequest::HangupChannel {
                channel: p.req("channel")?,
                endpoint_id: ep()?,
            }
        }
        "hangup_mainexten" => OpRequest::HangupMainExten {
            exten: p.req("exten")?,
        },
        "cancel" => OpRequest::Cancel {
            endpoint_id: ep()?,
            convid: p.opt("convid")?,
        },
        "blindtransfer" | "atxfer" => {
            let (convid, endpoint_id, to) = (conv()?, ep()?, p.req("to")?);
            if name == "atxfer" {
                OpRequest::Atxfer {
                    endpoint_id,
                    convid,
                    to,
                }
            } else {
                OpRequest::BlindTransfer {
                    endpoint_id,
                    convid,
                    to,
                }
            }
        }
        "blindtransfer_queue" => OpRequest::BlindTransferQueue {
            queue: p.req("queue")?,
            waiting_caller_id: p.req("waitingCallerId")?,
            to: p.req("to")?,
        },
        "blindtransfer_parking" => OpRequest::BlindTransferParking {
            parking: p.req("parking")?,
            to: p.req("to")?,
        },
        "park" => OpRequest::Park {
            convid: conv()?,
            endpoint_id: ep()?,
            applicant_id: p.req("applicantId")?,
        },
        "pickup_parking" => OpRequest::PickupParking {
            parking: p.req("parking")?,
            dest_id: p.req("destId")?,
        },
        "pickup_conv" => OpRequest::PickupConv {
            endpoint_id: ep()?,
            dest_id: p.req("destId")?,
        },
        "pickup_qwaitcaller" => OpRequest::PickupQueueWaitingCaller {
            queue: p.req("queue")?,
            wait_caller_id: p.req("waitCallerId")?,
            dest_id: p.req("destId")?,
        },
        "toggle_hold" => OpRequest::ToggleHold { endpoint_id: ep()? },
        "toggle_mute" => OpRequest::ToggleMute {
            convid: conv()?,
            endpoint_id: ep()?,
        },
        "mute" | "unmute" => OpRequest::Mute {
            convid: conv()?,
            endpoint_id: ep()?,
            mute: name == "mute",
        },
        "dtmf" => {
            let tone = p.req("tone")?;
            if !crate::domain::operations::calls::is_tone(&tone) {
                return Err(OperationError::bad("tone", "must be one of 0-9 * #"));
            }
            OpRequest::Dtmf {
                tone,
                endpoint_id: ep()?,
            }
        }
        "start_record" => OpRequest::StartRecord {
            convid: conv()?,
            endpoint_id: ep()?,
        },
        "stop_record" => OpRequest::StopRecord {
            convid: conv()?,
            endpoint_id: ep()?,
        },
        "mute_record" | "unmute_record" => OpRequest::MuteRecord {
            convid: conv()?,
            endpoint_id: ep()?,
            mute: name == "mute_record",
        },
        "start_spy" | "intrude" => OpRequest::Spy {
            convid: conv()?,
            endpoint_id: ep()?,
            dest_id: p.req("destId")?,
            whisper: name == "intrude",
        },
        "dnd" => OpRequest::Dnd {
            endpoint: p.req("endpoint")?,
            on: p.on_off()?,
        },
        "cfcall" => forward(&p, false)?,
        "cfvm" => forward(&p, true)?,
        "queuemember_add" => OpRequest::QueueMemberAdd {
            endpoint_id: ep()?,
            queue_id: p.req("queueId")?,
            paused: p.opt_bool("paused")?.unwrap_or(false),
        },
        "queuemember_remove" => OpRequest::QueueMemberRemove {
            endpoint_id: ep()?,
            queue_id: p.req("queueId")?,
        },
        "queuemember_pause" | "queuemember_unpause" => {
            let paused = name == "queuemember_pause";
            OpRequest::QueueMemberPause {
                endpoint_id: ep()?,
                queue_id: p.opt("queueId")?,
                paused,
                reason: if paused { p.opt("reason")? } else { None },
            }
        }
        "inout_dyn_queues" => OpRequest::InoutDynQueues { endpoint_id: ep()? },
        "start_conf" => OpRequest::StartConf {
            convid: conv()?,
            owner_endpoint_id: p.req("ownerEndpointId")?,
            add_endpoint_id: p.req("addEndpointId")?,
        },
        "join_myconf" => OpRequest::JoinMyConf { endpoint_id: ep()? },
        "end_conf" => OpRequest::EndConf {
            conf_id: p.req("confId")?,
        },
        "hangup_userconf" => OpRequest::HangupUserConf {
            conf_id: p.req("confId")?,
            exten_id: p.req("extenId")?,
        },
        "mute_userconf" => OpRequest::MuteUserConf {
            conf_id: p.req("confId")?,
            user_id: p.req("userId")?,
            direction: direction(&p)?,
        },
        "unmute_userconf" => OpRequest::UnmuteUserConf {
            conf_id: p.req("confId")?,
            user_id: p.req("userId")?,
            only_listen: p.opt_bool("onlyListen")?.unwrap_or(false),
        },
        "recall_on_busy" => OpRequest::RecallOnBusy {
            caller: p.req("caller")?,
            called: p.req("called")?,
        },
        other => {
            return Err(OperationError::Unsupported(format!(
                "unknown operation {other}"
            )))
        }
    })
}
