//! Calls: click-to-call (`call`, `call_echo`, `join_myconf`, `unauthe_call`), directed
//! pickup (`pickup_conv`), and the phone HTTP API actions (`answer`, `toggle_hold`, `dtmf`)
//! plus the WebRTC pushes (`callWebrtc`, `answerWebrtc`).

use super::config::C2cMode;
use super::error::OperationError;
use super::phone_urls::{build_url, PhoneAction, PhoneParams};
use super::view::ExtensionInfo;
use super::Ctx;
use crate::domain::directory::DeviceType;
use crate::ports::pbx::PbxCommand;

/// How long the first leg of a click-to-call may ring (`Timeout: 15000`).
pub const ORIGINATE_TIMEOUT_MS: u64 = 15_000;

/// The endpoint that places the call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// One of the user's extensions (or any, with `admin_phone`).
    Extension(String),
    /// A cellphone number of the user.
    Cellphone(String),
}

/// A validated `call` request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRequest {
    /// Endpoint; `None` means the caller's default extension.
    pub endpoint: Option<Endpoint>,
    /// Raw number as sent (normalised by the decision).
    pub number: String,
}

/// How a call is placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRoute {
    /// WebRTC extension: push `callWebrtc` (payload: the number) to the user's sockets.
    Webrtc {
        /// Recipient user.
        username: String,
        /// Number to dial (normalised, without prefix).
        number: String,
    },
    /// Supported phone in automatic click-to-call mode: GET `url`; when the phone fails,
    /// send `fallback`.
    Phone {
        /// Phone URL.
        url: String,
        /// Originate used when the phone does not accept the URL.
        fallback: PbxCommand,
    },
    /// Asterisk `Originate` (async: answers with the uniqueid once the phone answers).
    Originate(PbxCommand),
}

/// Normalises a dialled number: leading `+` → `00`, then keeps only `0-9 * #`.
///
/// # Errors
/// [`OperationError::BadRequest`] on `number` when nothing dialable is left.
pub fn normalize_number(raw: &str) -> Result<String, OperationError> {
    let trimmed = raw.trim();
    let with_00 = match trimmed.strip_prefix('+') {
        Some(rest) => format!("00{rest}"),
        None => trimmed.to_owned(),
    };
    let n: String = with_00
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '*' || *c == '#')
        .collect();
    if n.is_empty() {
        return Err(OperationError::bad("number", "no dialable digits"));
    }
    Ok(n)
}

/// Prepends the outgoing prefix to external numbers: not a tracked extension, not
/// starting with `00`, not a feature code (`*`).
pub fn add_prefix(ctx: &Ctx<'_>, number: &str) -> String {
    let skip = ctx.config.prefix.is_empty()
        || number.starts_with("00")
        || number.starts_with('*')
        || ctx.view.extension(number).is_some();
    if skip {
        number.to_owned()
    } else {
        format!("{}{number}", ctx.config.prefix)
    }
}

/// The async `Originate` of a click-to-call from `channel` to `to`.
pub fn originate(channel: String, context: String, caller_id: &str, to: &str) -> PbxCommand {
    PbxCommand::Originate {
        channel,
        context,
        exten: to.to_owned(),
        priority: "1".to_owned(),
        caller_id: Some(caller_id.to_owned()),
        timeout_ms: Some(ORIGINATE_TIMEOUT_MS),
        variables: Vec::new(),
        wait_answer: true,
    }
}

/// The originate for an extension endpoint: `PJSIP/<ext>` when tracked, else
/// `Local/<ext>@<default context>`.
fn originate_from_extension(ctx: &Ctx<'_>, ext: &str, to: &str) -> PbxCommand {
    match ctx.view.extension(ext) {
        Some(info) => originate(format!("PJSIP/{ext}"), context_or_default(&info), ext, to),
        None => {
            let c = ctx.default_context();
            originate(format!("Local/{ext}@{c}"), c, ext, to)
        }
    }
}

fn context_or_default(info: &ExtensionInfo) -> String {
    if info.context.is_empty() {
        super::config::DEFAULT_CONTEXT.to_owned()
    } else {
        info.context.clone()
    }
}

/// Decides how to place a `call` (also `call_echo` with number `*43` and `join_myconf`
/// with the conference code).
///
/// # Errors
/// `BadRequest` (no endpoint and no default extension, empty number), `Forbidden`
/// (neither `admin_phone` nor owner), `ExtensionUnavailable` (WebRTC client not online).
pub fn decide_call(ctx: &Ctx<'_>, req: &CallRequest) -> Result<CallRoute, OperationError> {
    let number = normalize_number(&req.number)?;
    let endpoint = match &req.endpoint {
        Some(e) => e.clone(),
        None => Endpoint::Extension(
            ctx.caller
                .default_extension
                .clone()
                .ok_or_else(|| OperationError::bad("endpointId", "no default extension"))?,
        ),
    };
    let admin = ctx.caller.grants.admin_phone;
    match endpoint {
        Endpoint::Cellphone(cell) => {
            OperationError::require(admin || ctx.caller.owns_cellphone(&cell))?;
            let c = ctx.default_context();
            let to = add_prefix(ctx, &number);
            Ok(CallRoute::Originate(originate(
                format!("Local/{cell}@{c}"),
                c,
                &cell,
                &to,
            )))
        }
        Endpoint::Extension(ext) => {
            OperationError::require(admin || ctx.caller.owns(&ext))?;
            let to = add_prefix(ctx, &number);
            let fallback = originate_from_extension(ctx, &ext, &to);
            let Some(info) = ctx.view.extension(&ext) else {
                return Ok(CallRoute::Originate(fallback));
            };
            if info.kind == Some(DeviceType::Webrtc) {
                if info.status != "online" {
                    return Err(OperationError::ExtensionUnavailable {
                        exten: ext,
                        status: info.status,
                    });
                }
                let username = info.username.unwrap_or_else(|| ctx.caller.username.clone());
                return Ok(CallRoute::Webrtc { username, number });
            }
            if ctx.config.c2c == C2cMode::Automatic {
                if let Some(t) = ctx
                    .config
                    .phone_urls
                    .template(&info.user_agent, PhoneAction::Call)
                {
                    let params = PhoneParams {
                        user: &info.web_user,
                        pass: &info.web_password,
                        ip: &info.ip,
                        number: &to,
                        account: &ext,
                        server: &ctx.config.server,
                        tone: "",
                    };
                    let url = build_url(t, &params, &info.user_agent);
                    return Ok(CallRoute::Phone { url, fallback });
                }
            }
            Ok(CallRoute::Originate(fallback))
        }
    }
}

/// `unauthe_call`: an originate from a tracked extension, no user (the HTTP gate decided).
///
/// # Errors
/// `BadRequest` on `number`, `UnknownExtension` when `ext` is not tracked.
pub fn decide_unauthenticated_call(
    ctx: &Ctx<'_>,
    ext: &str,
    number: &str,
) -> Result<PbxCommand, OperationError> {
    let number = normalize_number(number)?;
    let info = ctx
        .view
        .extension(ext)
        .ok_or_else(|| OperationError::UnknownExtension(ext.to_owned()))?;
    let to = add_prefix(ctx, &number);
    Ok(originate(
        format!("PJSIP/{ext}"),
        context_or_default(&info),
        ext,
        &to,
    ))
}

/// `pickup_conv`: `destId`'s phone is called, then dials `<pickup code><endpointId>`.
///
/// # Errors
/// `Forbidden` unless `admin_pickup` and owns(destId); `UnknownExtension` when the
/// ringing extension is not tracked.
pub fn decide_pickup_conv(
    ctx: &Ctx<'_>,
    endpoint: &str,
    dest: &str,
) -> Result<PbxCommand, OperationError> {
    OperationError::require(ctx.caller.grants.admin_pickup && ctx.caller.owns(dest))?;
    if ctx.view.extension(endpoint).is_none() {
        return Err(OperationError::UnknownExtension(endpoint.to_owned()));
    }
    let exten = format!("{}{endpoint}", ctx.config.pickup_code);
    Ok(originate(
        format!("PJSIP/{dest}"),
        ctx.default_context(),
        dest,
        &exten,
    ))
}

/// The phone URL for `answer` (`admin_phone` or owner), `toggle_hold` and `dtmf` (owner).
///
/// # Errors
/// `Forbidden`; `BadRequest` on `tone`; `UnknownExtension`; `Unsupported` when the
/// click-to-call mode is not automatic, the phone's user agent matches no template, or
/// the template lacks this action.
pub fn decide_phone_action(
    ctx: &Ctx<'_>,
    ext: &str,
    action: PhoneAction,
    tone: &str,
) -> Result<String, OperationError> {
    let admin = action == PhoneAction::Answer && ctx.caller.grants.admin_phone;
    OperationError::require(admin || ctx.caller.owns(ext))?;
    if action == PhoneAction::Dtmf && !is_tone(tone) {
        return Err(OperationError::bad("tone", "must be one of 0-9 * #"));
    }
    let info = ctx
        .view
        .extension(ext)
        .ok_or_else(|| OperationError::UnknownExtension(ext.to_owned()))?;
    if ctx.config.c2c != C2cMode::Automatic {
        return Err(OperationError::Unsupported(
            "phone HTTP API disabled: click-to-call mode is not automatic".to_owned(),
        ));
    }
    let t = ctx
        .config
        .phone_urls
        .template(&info.user_agent, action)
        .ok_or_else(|| {
            OperationError::Unsupported(format!(
                "phone `{}` of extension {ext} has no `{}` URL",
                info.user_agent,
                action.key()
            ))
        })?;
    let params = PhoneParams {
        user: &info.web_user,
        pass: &info.web_password,
        ip: &info.ip,
        account: ext,
        server: &ctx.config.server,
        tone,
        ..Default::default()
    };
    Ok(build_url(t, &params, &info.user_agent))
}

/// True for one of `0-9 * #`.
pub fn is_tone(tone: &str) -> bool {
    let mut c = tone.chars();
    matches!((c.next(), c.next()), (Some(d), None) if d.is_ascii_digit() || d == '*' || d == '#')
}

/// `answer_webrtc`: the user whose sockets get `answerWebrtc` (payload: the extension).
///
/// # Errors
/// `Forbidden` unless owner; `UnknownExtension`; `Unsupported` for a non-WebRTC extension.
pub fn decide_answer_webrtc(ctx: &Ctx<'_>, ext: &str) -> Result<String, OperationError> {
    OperationError::require(ctx.caller.owns(ext))?;
    let info = ctx
        .view
        .extension(ext)
        .ok_or_else(|| OperationError::UnknownExtension(ext.to_owned()))?;
    if info.kind != Some(DeviceType::Webrtc) {
        return Err(OperationError::Unsupported(format!(
            "extension {ext} is not a WebRTC extension"
        )));
    }
    Ok(info.username.unwrap_or_else(|| ctx.caller.username.clone()))
}
