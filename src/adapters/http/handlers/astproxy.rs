//! `/astproxy/*` reads: live JSON from the switchboard view, filtered by permission and
//! masked per viewer.

use super::user::caller;
use super::{empty, json, json_body, respond};
use crate::adapters::http::cors::Backend;
use crate::adapters::http::error::ApiError;
use crate::adapters::http::gzip::accepts_gzip;
use crate::adapters::http::list_privacy::ListPrivacy;
use crate::adapters::http::request::Ctx;
use crate::domain::operations::forward::ForwardType;
use crate::domain::policy::privacy::{extension_level, plain_level, queue_level};
use crate::domain::policy::{owns_extension, Permissions, Privacy};
use crate::domain::switchboard::extension::split_forward;
use crate::ports::pbx::{PbxCommand, PbxReply};
use http::StatusCode;
use serde_json::{json as j, Map, Value};
use std::convert::Infallible;
use warp::reply::Response;

fn privacy(ctx: &Ctx, level: crate::domain::policy::PrivacyLevel) -> Privacy {
    Privacy {
        level,
        mask: ctx.app.config().privacy_mask.clone(),
    }
}

/// `GET /astproxy/extensions`: own extensions in clear; gzip when accepted.
pub async fn extensions(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        let viewer = ListPrivacy::new(
            privacy(&ctx, extension_level(&perms, false, true)),
            user.all_extensions().map(str::to_owned),
        );
        let body = ctx.app.view.extensions_body(&viewer);
        Ok(json_body(&body, accepts_gzip(&ctx.headers)))
    })
    .await
}

/// `GET /astproxy/extension/:id`: `{}` when unknown; own extensions are not exempt.
pub async fn extension(id: String, ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        let p = privacy(
            &ctx,
            extension_level(&perms, owns_extension(user, &id), false),
        );
        Ok(json(
            &ctx.app
                .view
                .extension_json(&id, &p)
                .unwrap_or_else(|| j!({})),
        ))
    })
    .await
}

/// `GET /astproxy/queues`: needs queues ∨ admin_queues; no `ctiopqueue*`.
pub async fn queues(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !(perms.queues() || perms.admin_queues()) {
            return Err(ApiError::Forbidden);
        }
        let mut q = ctx
            .app
            .view
            .queues_json(&privacy(&ctx, queue_level(&perms)));
        q.retain(|k, _| !k.contains("ctiopqueue"));
        Ok(json(&Value::Object(q)))
    })
    .await
}

/// `GET /astproxy/trunks`: needs op_trunks.
pub async fn trunks(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !perms.op_trunks() {
            return Err(ApiError::Forbidden);
        }
        Ok(json(&Value::Object(
            ctx.app
                .view
                .trunks_json(&privacy(&ctx, plain_level(&perms))),
        )))
    })
    .await
}

/// `GET /astproxy/parkings`: needs op_parkings.
pub async fn parkings(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !perms.op_parkings() {
            return Err(ApiError::Forbidden);
        }
        Ok(json(&Value::Object(
            ctx.app
                .view
                .parkings_json(&privacy(&ctx, plain_level(&perms))),
        )))
    })
    .await
}

/// `GET /astproxy/opgroups`.
pub async fn opgroups(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        ctx.identity()?;
        let cfg = ctx.app.config();
        let out: Map<String, Value> = cfg
            .operator_groups
            .iter()
            .map(|(g, users)| (g.clone(), j!({ "users": users })))
            .collect();
        Ok(json(&Value::Object(out)))
    })
    .await
}

/// `GET /astproxy/prefix`.
pub async fn prefix(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        ctx.identity()?;
        Ok(json(&j!({ "prefix": ctx.app.config().prefix })))
    })
    .await
}

/// `GET /astproxy/feature_codes`.
pub async fn feature_codes(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        ctx.identity()?;
        let dir = ctx.app.directory();
        let codes: Map<String, Value> = dir
            .ast_objects
            .feature_codes
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Ok(json(&Value::Object(codes)))
    })
    .await
}

/// `GET /astproxy/opdata`: needs operator_panel.
pub async fn opdata(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !perms.operator_panel() {
            return Err(ApiError::Forbidden);
        }
        let (inq, waitq) = perms.operator_queues();
        let queues = ctx
            .app
            .view
            .queues_json(&privacy(&ctx, queue_level(&perms)));
        let mut out = Map::new();
        if let Some(q) = &inq {
            out.insert("inQueue".into(), q.clone().into());
        }
        if let Some(q) = &waitq {
            out.insert("waitingQueue".into(), q.clone().into());
        }
        for q in inq.iter().chain(waitq.iter()) {
            if let Some(v) = queues.get(q) {
                out.insert(q.clone(), v.clone());
            }
        }
        Ok(json(&Value::Object(out)))
    })
    .await
}

/// `GET /astproxy/sip_webrtc`: the configured object, else an empty 200.
pub async fn sip_webrtc(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        ctx.identity()?;
        Ok(match &ctx.app.config().sip_webrtc {
            Some(v) => json(v),
            None => empty(StatusCode::OK),
        })
    })
    .await
}

/// `GET /astproxy/dnd/:endpoint`: needs dnd ∧ owns; live `DBGet DND/<e>`.
pub async fn dnd(endpoint: String, ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !(perms.dnd() && owns_extension(user, &endpoint)) {
            return Err(ApiError::Forbidden);
        }
        let reply = ctx
            .app
            .pbx
            .execute(PbxCommand::DbGet {
                family: "DND".into(),
                key: endpoint.clone(),
            })
            .await?;
        let on = matches!(reply, PbxReply::Value(Some(_)));
        Ok(json(
            &j!({"exten": endpoint, "dnd": if on { "on" } else { "off" }}),
        ))
    })
    .await
}

/// Which forward a `GET /astproxy/cfcall|cfvm/:type/:endpoint` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardRead {
    /// `cfcall`: forward to a number.
    Call,
    /// `cfvm`: forward to a voicemail box.
    Voicemail,
}

/// `GET /astproxy/cfcall/:type/:endpoint` and `cfvm/...`: needs call_forward ∧ owns; live
/// `DBGet <CF|CFB|CFU>/<e>` read as the model reads it ([`split_forward`]);
/// `{"exten", "status": "on"|"off", "cf_type", "to"?}`. Fixed: the original always
/// answered 403 (`phone_redirect` never granted).
pub async fn forward_status(
    read: ForwardRead,
    kind: String,
    endpoint: String,
    ctx: Ctx,
) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Astproxy, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        if !(perms.cf() && owns_extension(user, &endpoint)) {
            return Err(ApiError::Forbidden);
        }
        let family = ForwardType::parse(&kind)
            .map_err(|_| {
                ApiError::BadRequest(
                    "invalid field `type`: must be unconditional, busy or unavailable".into(),
                )
            })?
            .family();
        let reply = ctx
            .app
            .pbx
            .execute(PbxCommand::DbGet {
                family: family.into(),
                key: endpoint.clone(),
            })
            .await?;
        let value = match reply {
            PbxReply::Value(Some(v)) => v,
            _ => String::new(),
        };
        let (number, vm_box) = split_forward(&value);
        let to = match read {
            ForwardRead::Call => number,
            ForwardRead::Voicemail => vm_box,
        };
        let to = (!to.is_empty()).then_some(to);
        let mut out = j!({"exten": endpoint, "status": if to.is_some() { "on" } else { "off" }, "cf_type": kind});
        if let (Some(to), Some(obj)) = (to, out.as_object_mut()) {
            obj.insert("to".into(), Value::String(to));
        }
        Ok(json(&out))
    })
    .await
}
