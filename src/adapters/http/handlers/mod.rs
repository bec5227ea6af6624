//! Route handlers, one file per area. Each public handler runs its body through
//! [`respond`]: bounded in time (504), errors mapped by `error.rs`, back-end CORS added.

pub mod astproxy;
pub mod auth;
pub mod profiling;
pub mod user;

use super::cors::{self, Backend};
use super::error::ApiError;
use super::json_body::JsonBody;
use super::request::Ctx;
use http::header::{HeaderValue, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use serde_json::Value;
use std::convert::Infallible;
use std::future::Future;
use warp::reply::Response;
use warp::Reply as _;

/// Runs a handler body with the time bound, error mapping and CORS.
pub async fn respond<F>(ctx: &Ctx, backend: Backend, fut: F) -> Result<Response, Infallible>
where
    F: Future<Output = Result<Response, ApiError>>,
{
    let mut resp = match tokio::time::timeout(ctx.app.limits.handler_timeout, fut).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => e.into_response(&ctx.app.log),
        Err(_) => ApiError::Timeout.into_response(&ctx.app.log),
    };
    cors::apply(&mut resp, ctx.origin.as_deref(), backend);
    Ok(resp)
}

/// 200 with a JSON body.
pub fn json(v: &Value) -> Response {
    warp::reply::json(v).into_response()
}

/// 200 with a shared JSON body: gzip-compressed when `gzip` (the request accepts it) and
/// the body is large enough, plain otherwise; `Vary: Accept-Encoding` whenever the body
/// is large enough for the answer to depend on it.
pub fn json_body(body: &JsonBody, gzip: bool) -> Response {
    let compressed = if gzip { body.gzip() } else { None };
    let mut r = Response::new(compressed.unwrap_or(body.plain()).clone().into());
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if body.compressible() {
        h.insert(VARY, HeaderValue::from_static("accept-encoding"));
    }
    if compressed.is_some() {
        h.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    r
}

/// A status with an empty body and no `Content-Type`.
pub fn empty(status: http::StatusCode) -> Response {
    let mut r = Response::new(Vec::<u8>::new().into());
    *r.status_mut() = status;
    r
}
