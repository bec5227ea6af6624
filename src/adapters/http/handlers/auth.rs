//! `/authentication/*`: login (success is a 401 carrying the nonce), logout, persistent
//! and phone-island tokens.

use super::{empty, json, respond};
use crate::adapters::http::auth_service::{LoginRequest, PersistentKind};
use crate::adapters::http::cors::Backend;
use crate::adapters::http::error::ApiError;
use crate::adapters::http::request::{params, str_param, Ctx};
use bytes::Bytes;
use http::{HeaderValue, StatusCode};
use serde_json::json as j;
use std::convert::Infallible;
use warp::reply::Response;

/// `POST /authentication/login`.
pub async fn login(ctx: Ctx, query: String, body: Bytes) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Authentication, async {
        let bag = params(&ctx.headers, &query, &body)?;
        let req = LoginRequest {
            username: str_param(&bag, "username").unwrap_or_default().to_owned(),
            password: str_param(&bag, "password").unwrap_or_default().to_owned(),
            persistent: ctx.wants_persistent(),
            client_ip: ctx.client_ip.clone(),
        };
        let dir = ctx.app.directory();
        let nonce = ctx.app.auth.login(&dir, ctx.app.is_ready(), &req).await?;
        let mut r = empty(StatusCode::UNAUTHORIZED);
        let v = HeaderValue::from_str(&format!("Digest {nonce}"))
            .map_err(|e| ApiError::Internal(e.into()))?;
        r.headers_mut().insert(http::header::WWW_AUTHENTICATE, v);
        Ok(r)
    })
    .await
}

/// `POST /authentication/logout`.
pub async fn logout(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Authentication, async {
        let id = ctx.identity()?;
        ctx.app
            .auth
            .logout(&id.key, &id.token, ctx.wants_persistent())
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(empty(StatusCode::OK))
    })
    .await
}

fn subtype(bag: &serde_json::Map<String, serde_json::Value>) -> Result<Option<String>, ApiError> {
    match str_param(bag, "subtype") {
        None => Ok(None),
        Some(s)
            if !s.is_empty()
                && s.len() <= 32
                && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') =>
        {
            Ok(Some(s.to_owned()))
        }
        Some(_) => Err(ApiError::BadRequest("invalid subtype".into())),
    }
}

/// `POST /authentication/persistent_token_login` and `phone_island_token_login`.
pub async fn mint(
    ctx: Ctx,
    phone_island: bool,
    query: String,
    body: Bytes,
) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Authentication, async {
        let id = ctx.identity()?;
        let bag = params(&ctx.headers, &query, &body)?;
        let sub = subtype(&bag)?;
        let which = phone_island.then_some(sub.as_deref());
        let token = ctx
            .app
            .auth
            .mint_persistent(&id.user, &id.token, which)
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(json(&j!({"token": token, "username": id.user})))
    })
    .await
}

/// `GET /authentication/phone_island_token_check`.
pub async fn phone_island_check(ctx: Ctx, query: String) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Authentication, async {
        let id = ctx.identity()?;
        let bag = params(&ctx.headers, &query, &[])?;
        let sub = subtype(&bag)?;
        let exists = ctx.app.auth.phone_island_exists(&id.user, sub.as_deref());
        Ok(json(&j!({ "exists": exists })))
    })
    .await
}

/// `POST /authentication/persistent_token_remove`.
pub async fn persistent_remove(
    ctx: Ctx,
    query: String,
    body: Bytes,
) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Authentication, async {
        let id = ctx.identity()?;
        let bag = params(&ctx.headers, &query, &body)?;
        let kind = match str_param(&bag, "type") {
            Some("no-exp") => PersistentKind::NoExp,
            Some("phone-island") => PersistentKind::PhoneIsland(subtype(&bag)?),
            _ => {
                return Err(ApiError::BadRequest(
                    "type must be phone-island or no-exp".into(),
                ))
            }
        };
        ctx.app
            .auth
            .remove_persistent(&id.user, &kind)
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(json(&j!({})))
    })
    .await
}
