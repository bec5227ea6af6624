//! The switchboard operation routes: `POST /astproxy/<name>` for every name in
//! [`dto::ROUTES`], plus `POST /astproxy/unauthe_call`.
//!
//! Mount [`operations_filter`] with a filter that authenticates the request and yields
//! the [`Caller`]; mount [`unauthe_call_filter`] with the filter that implements the
//! original's IP gate for token-less click-to-call. Or call [`handle_operation`] from
//! another dispatcher with an already merged parameter bag.

pub mod dto;
pub mod error;
pub mod glue;

use crate::app::operations::OperationsService;
use crate::domain::operations::Caller;
use bytes::Bytes;
use error::{error_reply, error_response, outcome_response};
use http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};
use std::sync::Arc;
use warp::reply::Response;
use warp::{Filter, Rejection};

/// Largest accepted body.
pub const MAX_BODY: u64 = 64 * 1024;

/// Runs operation `name` for `caller` with the merged parameters and builds the reply.
pub async fn handle_operation(
    svc: &OperationsService,
    name: &str,
    caller: &Caller,
    bag: &Map<String, Value>,
) -> Response {
    match dto::parse_request(name, bag) {
        Ok(req) => outcome_response(svc.handle(caller, req).await),
        Err(e) => error_response(&e),
    }
}

/// The merged parameter bag: the body (JSON when the content type says so or the body
/// starts with `{`, urlencoded otherwise), then the query string on top.
///
/// # Errors
/// A 400 `InvalidContent` reply for a malformed body.
pub fn merge_params(
    headers: &HeaderMap,
    query: &str,
    body: &[u8],
) -> Result<Map<String, Value>, Box<Response>> {
    let invalid = |m: String| Box::new(error_reply(StatusCode::BAD_REQUEST, "InvalidContent", &m));
    let ctype = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let text = String::from_utf8_lossy(body);
    let trimmed = text.trim();
    let mut bag = Map::new();
    if !trimmed.is_empty() {
        if ctype.starts_with("application/json") || trimmed.starts_with('{') {
            match serde_json::from_str::<Value>(trimmed) {
                Ok(Value::Object(m)) => bag = m,
                Ok(_) => return Err(invalid("Invalid JSON: body must be an object".to_owned())),
                Err(e) => return Err(invalid(format!("Invalid JSON: {e}"))),
            }
        } else {
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
                .map_err(|e| invalid(format!("Invalid form: {e}")))?;
            bag = pairs
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
        }
    }
    if !query.is_empty() {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|e| invalid(format!("Invalid query: {e}")))?;
        for (k, v) in pairs {
            bag.insert(k, Value::String(v));
        }
    }
    Ok(bag)
}

fn raw_query() -> impl Filter<Extract = (String,), Error = std::convert::Infallible> + Clone {
    warp::query::raw().or(warp::any().map(String::new)).unify()
}

fn body() -> impl Filter<Extract = (HeaderMap, String, Bytes), Error = Rejection> + Clone {
    warp::header::headers_cloned()
        .and(raw_query())
        .and(warp::body::content_length_limit(MAX_BODY))
        .and(warp::body::bytes())
}

/// `POST /astproxy/<name>` for the names in [`dto::ROUTES`]; other names are rejected
/// with `not_found` (so other routes may match), before `identity` runs.
pub fn operations_filter<I>(
    svc: Arc<OperationsService>,
    identity: I,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone
where
    I: Filter<Extract = (Caller,), Error = Rejection> + Clone + Send + Sync + 'static,
{
    // The path (and the name) before the method: a GET of an unknown name is a 404, of a
    // known one a 405.
    warp::path("astproxy")
        .and(warp::path::param::<String>())
        .and(warp::path::end())
        .and_then(|name: String| async move {
            if dto::ROUTES.contains(&name.as_str()) {
                Ok(name)
            } else {
                Err(warp::reject::not_found())
            }
        })
        .and(warp::post())
        .and(identity)
        .and(body())
        .then(
            move |name: String, caller: Caller, headers: HeaderMap, query: String, body: Bytes| {
                let svc = svc.clone();
                async move {
                    match merge_params(&headers, &query, &body) {
                        Ok(bag) => handle_operation(&svc, &name, &caller, &bag).await,
                        Err(resp) => *resp,
                    }
                }
            },
        )
}

/// `POST /astproxy/unauthe_call` `{endpointId, number}`, behind `gate` (the caller IP
/// check of the original); answers `{uniqueid}` once the phone answers.
pub fn unauthe_call_filter<G>(
    svc: Arc<OperationsService>,
    gate: G,
) -> impl Filter<Extract = (Response,), Error = Rejection> + Clone
where
    G: Filter<Extract = (), Error = Rejection> + Clone + Send + Sync + 'static,
{
    warp::path("astproxy")
        .and(warp::path(dto::UNAUTHE_CALL))
        .and(warp::path::end())
        .and(warp::post())
        .and(gate)
        .and(body())
        .then(move |headers: HeaderMap, query: String, body: Bytes| {
            let svc = svc.clone();
            async move {
                let bag = match merge_params(&headers, &query, &body) {
                    Ok(b) => b,
                    Err(resp) => return *resp,
                };
                let p = dto::Params(&bag);
                let fields = p.req("endpointId").and_then(|e| Ok((e, p.req("number")?)));
                match fields {
                    Ok((ext, number)) => {
                        outcome_response(svc.unauthenticated_call(&ext, &number).await)
                    }
                    Err(e) => error_response(&e),
                }
            }
        })
}

#[cfg(test)]
mod tests;
