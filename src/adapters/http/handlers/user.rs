//! `/user/*` reads and the presence/settings writes.

use super::{empty, json, respond};
use crate::adapters::http::cors::Backend;
use crate::adapters::http::error::ApiError;
use crate::adapters::http::request::{params, str_param, Ctx};
use crate::adapters::http::state::{Directory, HttpApp};
use crate::domain::directory::User;
use crate::domain::policy::presence::{
    main_presence, plan_presence, presence_list, presence_of, presence_on_busy,
    presence_on_unavailable, AstDbWrite,
};
use crate::domain::policy::user_json::{
    endpoints_entry, me_json, PresenceStrings, UserJsonContext,
};
use crate::domain::policy::{owns_extension, Forwarding, Permissions, PresenceKind, PresenceValue};
use crate::ports::pbx::{PbxCommand, PbxError};
use bytes::Bytes;
use http::StatusCode;
use serde_json::{Map, Value};
use std::convert::Infallible;
use std::sync::Arc;
use warp::reply::Response;

/// The caller's user entry.
///
/// # Errors
/// 500 when the authenticated identity is not a configured user.
pub fn caller<'a>(ctx: &Ctx, dir: &'a Directory) -> Result<&'a User, ApiError> {
    let id = ctx.identity()?;
    dir.users
        .get(&id.user)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("user {} is not configured", id.user)))
}

fn main_forwarding(app: &HttpApp, user: &User) -> Forwarding {
    user.main_extension()
        .and_then(|e| app.view.extension_state(e))
        .map(|s| s.forwarding)
        .unwrap_or_default()
}

struct Presences {
    presence: PresenceValue,
    on_busy: PresenceValue,
    on_unavailable: PresenceValue,
    main: PresenceValue,
}

fn presences(app: &HttpApp, user: &User) -> Presences {
    let fwd = main_forwarding(app, user);
    let presence = presence_of(user, &fwd);
    let statuses: Vec<String> = user
        .all_extensions()
        .filter_map(|e| app.view.extension_state(e))
        .map(|s| s.status)
        .collect();
    let main = main_presence(&presence, statuses.iter().map(String::as_str));
    Presences {
        on_busy: presence_on_busy(user, &fwd),
        on_unavailable: presence_on_unavailable(user, &fwd),
        presence,
        main,
    }
}

fn presence_strings(app: &HttpApp, user: &User) -> PresenceStrings {
    let p = presences(app, user);
    let rob = app
        .config()
        .recall_on_busy
        .get(&user.username)
        .copied()
        .unwrap_or(false);
    PresenceStrings {
        main: p.main.status.to_owned(),
        presence: p.presence.status.to_owned(),
        on_busy: p.on_busy.status.to_owned(),
        on_unavailable: p.on_unavailable.status.to_owned(),
        recall_on_busy: if rob { "enabled" } else { "disabled" }.to_owned(),
    }
}

fn with_json_ctx<R>(app: &HttpApp, f: impl FnOnce(&UserJsonContext<'_>) -> R) -> R {
    let cfg = app.config();
    let ua = |e: &str| {
        app.view
            .extension_state(e)
            .map(|s| s.user_agent)
            .filter(|s| !s.is_empty())
    };
    let caps = |ua: &str| cfg.phone_caps(ua);
    let ctx = UserJsonContext {
        chat_url: &cfg.chat_url,
        proxy_port: cfg.proxy_port,
        user_agent: &ua,
        phone_caps: &caps,
    };
    f(&ctx)
}

/// `GET /user/me`.
pub async fn me(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let profile = Permissions::of(&user.username, &dir.users, &dir.profiles)
            .profile()
            .ok_or_else(|| {
                ApiError::Internal(anyhow::anyhow!("user {} has no profile", user.username))
            })?;
        let p = presence_strings(&ctx.app, user);
        let settings = ctx.app.settings.get(&user.username);
        let lk = ctx.app.config().lkhash.clone();
        let v = with_json_ctx(&ctx.app, |jc| {
            me_json(user, profile, &p, jc, &settings, lk.as_deref())
        });
        Ok(json(&v))
    })
    .await
}

/// `GET /user/endpoints/all`.
pub async fn endpoints_all(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let dir = ctx.app.directory();
        let me = ctx.identity()?.user.clone();
        let out: Map<String, Value> = with_json_ctx(&ctx.app, |jc| {
            dir.users
                .iter()
                .map(|u| {
                    let p = presence_strings(&ctx.app, u);
                    (
                        u.username.clone(),
                        endpoints_entry(u, &p, jc, u.username == me),
                    )
                })
                .collect()
        });
        Ok(json(&Value::Object(out)))
    })
    .await
}

/// `GET /user/presencelist`.
pub async fn presencelist(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        Ok(json(&Value::from(presence_list(user, &perms))))
    })
    .await
}

/// `GET /user/presencelist_onbusy` and `_onunavailable`.
pub async fn presencelist_conditional(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        ctx.identity()?;
        Ok(json(&serde_json::json!([
            "online",
            "voicemail",
            "cellphone",
            "callforward"
        ])))
    })
    .await
}

/// `GET /user/presence`, `presence_onbusy`, `presence_onunavailable`.
pub async fn presence_get(ctx: Ctx, kind: PresenceKind) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let p = presences(&ctx.app, user);
        let v = match kind {
            PresenceKind::Main => p.presence,
            PresenceKind::OnBusy => p.on_busy,
            PresenceKind::OnUnavailable => p.on_unavailable,
        };
        Ok(json(&v.to_json()))
    })
    .await
}

async fn apply_writes(
    app: &Arc<HttpApp>,
    writes: &[AstDbWrite],
    commands: &[String],
) -> Result<(), ApiError> {
    for w in writes {
        let (cmd, is_del) = match w {
            AstDbWrite::Put { family, key, value } => (
                PbxCommand::DbPut {
                    family: (*family).into(),
                    key: key.clone(),
                    value: value.clone(),
                },
                false,
            ),
            AstDbWrite::Del { family, key } => (
                PbxCommand::DbDel {
                    family: (*family).into(),
                    key: key.clone(),
                },
                true,
            ),
        };
        match app.pbx.execute(cmd).await {
            Ok(_) => {}
            // deleting an absent key is not a failure
            Err(PbxError::Rejected(_)) if is_del => {}
            Err(e) => return Err(e.into()),
        }
    }
    for c in commands {
        app.pbx
            .execute(PbxCommand::Command { command: c.clone() })
            .await?;
    }
    Ok(())
}

/// `POST /user/presence`, `presence_onbusy`, `presence_onunavailable`.
pub async fn presence_post(
    ctx: Ctx,
    kind: PresenceKind,
    query: String,
    body: Bytes,
) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let bag = params(&ctx.headers, &query, &body)?;
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let perms = Permissions::of(&user.username, &dir.users, &dir.profiles);
        let status = str_param(&bag, "status").unwrap_or_default();
        let current = main_forwarding(&ctx.app, user);
        let plan = plan_presence(kind, status, str_param(&bag, "to"), user, &perms, &current)?;
        apply_writes(&ctx.app, &plan.writes, &plan.commands).await?;
        for e in &plan.extensions {
            let mut f = ctx
                .app
                .view
                .extension_state(e)
                .map(|s| s.forwarding)
                .unwrap_or_default();
            match kind {
                PresenceKind::Main => {
                    f.dnd = plan.forwarding.dnd;
                    f.cf = plan.forwarding.cf.clone();
                    f.cf_vm = plan.forwarding.cf_vm.clone();
                }
                PresenceKind::OnBusy => {
                    f.cfb = plan.forwarding.cfb.clone();
                    f.cfb_vm = plan.forwarding.cfb_vm.clone();
                }
                PresenceKind::OnUnavailable => {
                    f.cfu = plan.forwarding.cfu.clone();
                    f.cfu_vm = plan.forwarding.cfu_vm.clone();
                }
            }
            ctx.app.view.record_forwarding(e, &f);
        }
        Ok(empty(StatusCode::OK))
    })
    .await
}

/// `GET /user/all_avatars`.
pub async fn all_avatars(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        ctx.identity()?;
        Ok(json(&Value::Object(ctx.app.settings.avatars())))
    })
    .await
}

/// `POST /user/settings`.
pub async fn settings(ctx: Ctx, query: String, body: Bytes) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let bag = params(&ctx.headers, &query, &body)?;
        let user = ctx.identity()?.user.clone();
        if bag.is_empty() {
            return Err(ApiError::BadRequest("no settings given".into()));
        }
        if !ctx.app.settings.upsert(&user, bag) {
            return Err(ApiError::BadRequest("too many settings".into()));
        }
        Ok(empty(StatusCode::OK))
    })
    .await
}

/// `POST /user/default_device`. Unlike the original, the id must be one of the caller's
/// extensions (quirk 8 fixed).
pub async fn default_device(ctx: Ctx, query: String, body: Bytes) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let bag = params(&ctx.headers, &query, &body)?;
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let id = str_param(&bag, "id")
            .ok_or_else(|| ApiError::BadRequest("id must be a string".into()))?;
        if !owns_extension(user, id) {
            return Err(ApiError::Forbidden);
        }
        let mut m = Map::new();
        m.insert("default_extension".into(), Value::String(id.to_owned()));
        ctx.app.settings.upsert(&user.username, m);
        // Clients (CTI, phone-island) switch their active device on this push.
        ctx.app
            .push
            .send(&user.username, "updateDefaultDevice", Value::from(id));
        Ok(empty(StatusCode::OK))
    })
    .await
}

/// `GET /user/paramurl`.
pub async fn paramurl(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::User, async {
        let dir = ctx.app.directory();
        let user = caller(&ctx, &dir)?;
        let cfg = ctx.app.config();
        let v = user
            .profile_id
            .as_deref()
            .and_then(|p| cfg.param_urls.get(p).cloned())
            .unwrap_or_else(|| serde_json::json!({}));
        Ok(json(&v))
    })
    .await
}
