//! Per-request context: the auth gate filter (auth.md §4 decision table), the bounded body
//! reader, and the merged parameter bag (JSON or urlencoded body, then the query string,
//! which wins on equal keys).

use super::error::{ApiError, Rejected};
use super::state::HttpApp;
use crate::domain::auth::{authorization_user, decide, Gate, GateRequest};
use bytes::{Bytes, BytesMut};
use futures::StreamExt as _;
use http::{HeaderMap, Method};
use serde_json::{Map, Value};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use warp::Filter;

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Identity {
    /// Normalised username (§4.3).
    pub user: String,
    /// The key of the `Authorization` header as sent.
    pub key: String,
    /// The presented token.
    pub token: String,
}

/// What handlers get besides their parameters.
#[derive(Clone)]
pub struct Ctx {
    /// The application.
    pub app: Arc<HttpApp>,
    /// Request headers.
    pub headers: HeaderMap,
    /// `Origin`, for CORS.
    pub origin: Option<String>,
    /// Client IP (the forwarded one when the peer is a local proxy); `None` when unknown.
    pub client_ip: Option<String>,
    /// The caller; `None` on public paths.
    pub identity: Option<Identity>,
}

impl Ctx {
    /// The caller, or 401.
    ///
    /// # Errors
    /// [`ApiError::Unauthorized`] on a public path.
    pub fn identity(&self) -> Result<&Identity, ApiError> {
        self.identity.as_ref().ok_or(ApiError::Unauthorized)
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Auth-Exp: no-exp` present.
    pub fn wants_persistent(&self) -> bool {
        self.header("auth-exp") == Some("no-exp")
    }
}

/// The client IP: the peer's, except behind a local reverse proxy (loopback peer with
/// `X-Forwarded-For`), where it is the last forwarded address, the one the proxy appended
/// (the earlier ones are whatever the client sent). `None` without peer information.
pub fn client_ip(peer: Option<SocketAddr>, headers: &HeaderMap) -> Option<String> {
    let peer = peer?.ip();
    if !peer.is_loopback() {
        return Some(peer.to_string());
    }
    let appended = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|s| s.trim().parse::<IpAddr>().ok());
    Some(appended.unwrap_or(peer).to_string())
}

/// The peer address: the one [`serve`](crate::adapters::push::serve) puts in the request
/// extensions, else warp's own (when served by `warp::serve`).
pub fn peer(
) -> impl Filter<Extract = (Option<SocketAddr>,), Error = std::convert::Infallible> + Clone {
    warp::ext::optional::<SocketAddr>()
        .and(warp::addr::remote())
        .map(|ext: Option<SocketAddr>, remote: Option<SocketAddr>| ext.or(remote))
}

/// The raw query string (`""` when none).
pub fn raw_query() -> impl Filter<Extract = (String,), Error = std::convert::Infallible> + Clone {
    warp::query::raw().or(warp::any().map(String::new)).unify()
}

/// The gate: applies the decision table and verifies the token; rejects with
/// [`Rejected::Unauthorized`] (401, no CORS).
pub fn gate(app: Arc<HttpApp>) -> impl Filter<Extract = (Ctx,), Error = warp::Rejection> + Clone {
    warp::method()
        .and(warp::path::full())
        .and(raw_query())
        .and(warp::header::headers_cloned())
        .and(peer())
        .and_then(
            move |method: Method,
                  path: warp::path::FullPath,
                  query: String,
                  headers: HeaderMap,
                  remote: Option<SocketAddr>| {
                let app = app.clone();
                async move {
                    let path_q = if query.is_empty() {
                        path.as_str().to_owned()
                    } else {
                        format!("{}?{query}", path.as_str())
                    };
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
                    let ip = client_ip(remote, &headers);
                    let req = GateRequest {
                        is_options: method == Method::OPTIONS,
                        path_and_query: &path_q,
                        authorization: auth,
                        client_ip: ip.as_deref(),
                    };
                    let identity = match decide(&req, &app.auth.settings().unauthe_call) {
                        Gate::Public | Gate::Preflight => None,
                        Gate::Unauthorized => {
                            return Err(warp::reject::custom(Rejected::Unauthorized))
                        }
                        Gate::CheckToken { key, token } => {
                            if app.auth.verify(&key, &token).is_none() {
                                return Err(warp::reject::custom(Rejected::Unauthorized));
                            }
                            let dir = app.directory();
                            let is_logout = path.as_str() == "/authentication/logout";
                            let user = authorization_user(&key, &dir.users, is_logout);
                            Some(Identity { user, key, token })
                        }
                    };
                    let origin = headers
                        .get("origin")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    Ok(Ctx {
                        client_ip: ip,
                        app,
                        headers,
                        origin,
                        identity,
                    })
                }
            },
        )
}

async fn collect<S, B>(declared: Option<u64>, stream: S, max: u64) -> Result<Bytes, warp::Rejection>
where
    S: futures::Stream<Item = Result<B, warp::Error>>,
    B: bytes::Buf,
{
    if declared.is_some_and(|n| n > max) {
        return Err(warp::reject::custom(Rejected::PayloadTooLarge));
    }
    let mut stream = Box::pin(stream);
    let mut buf = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let mut chunk = chunk.map_err(|_| warp::reject::custom(Rejected::BadBody))?;
        if buf.len() as u64 + chunk.remaining() as u64 > max {
            return Err(warp::reject::custom(Rejected::PayloadTooLarge));
        }
        while chunk.has_remaining() {
            let part = chunk.chunk();
            let n = part.len();
            buf.extend_from_slice(part);
            chunk.advance(n);
        }
    }
    Ok(buf.freeze())
}

/// The request body, refused past `max` bytes (declared or actual).
pub fn body(max: u64) -> impl Filter<Extract = (Bytes,), Error = warp::Rejection> + Clone {
    warp::header::optional::<u64>("content-length")
        .and(warp::body::stream())
        .and_then(move |declared: Option<u64>, stream| collect(declared, stream, max))
}

fn form_to_map(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes)
        .map_err(|e| ApiError::InvalidContent(format!("Invalid form: {e}")))?;
    Ok(pairs
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect())
}

/// The merged parameter bag: body (JSON when `Content-Type` is `application/json`, with
/// any parameters; urlencoded otherwise), then the query string on top.
///
/// # Errors
/// [`ApiError::InvalidContent`] for a malformed body; a JSON body that is not an object
/// contributes nothing.
pub fn params(
    headers: &HeaderMap,
    query: &str,
    body: &[u8],
) -> Result<Map<String, Value>, ApiError> {
    let ctype = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let mut bag = Map::new();
    let trimmed = body.iter().any(|b| !b.is_ascii_whitespace());
    if trimmed {
        if ctype.starts_with("application/json") {
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| ApiError::InvalidContent(format!("Invalid JSON: {e}")))?;
            if let Value::Object(m) = v {
                bag = m;
            }
        } else if ctype.starts_with("application/x-www-form-urlencoded") || ctype.is_empty() {
            bag = form_to_map(body)?;
        }
    }
    if !query.is_empty() {
        for (k, v) in form_to_map(query.as_bytes())? {
            bag.insert(k, v);
        }
    }
    Ok(bag)
}

/// A string parameter (`None` when absent or not a string).
pub fn str_param<'a>(bag: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    bag.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = ct.parse() {
            h.insert(http::header::CONTENT_TYPE, v);
        }
        h
    }

    #[test]
    fn merges_json_form_and_query() {
        let b = params(
            &headers("application/json;charset=UTF-8"),
            "a=q",
            br#"{"a":"b","c":1}"#,
        )
        .expect("ok");
        assert_eq!(Value::Object(b), json!({"a": "q", "c": 1}));
        let f = params(
            &headers("application/x-www-form-urlencoded"),
            "",
            b"username=al%40x&password=p",
        )
        .expect("ok");
        assert_eq!(
            Value::Object(f),
            json!({"username": "al@x", "password": "p"})
        );
        assert!(matches!(
            params(&headers("application/json"), "", b"{bad"),
            Err(ApiError::InvalidContent(_))
        ));
    }

    #[test]
    fn picks_the_proxy_appended_ip_only_behind_a_local_proxy() {
        let mut h = HeaderMap::new();
        h.insert(
            "x-forwarded-for",
            http::HeaderValue::from_static("9.9.9.9, 1.1.1.1"),
        );
        let local: SocketAddr = "127.0.0.1:5000".parse().expect("addr");
        let remote: SocketAddr = "8.8.8.8:5000".parse().expect("addr");
        assert_eq!(client_ip(Some(local), &h).as_deref(), Some("1.1.1.1"));
        assert_eq!(client_ip(Some(remote), &h).as_deref(), Some("8.8.8.8"));
        assert_eq!(client_ip(None, &h), None);
        assert_eq!(
            client_ip(Some(local), &HeaderMap::new()).as_deref(),
            Some("127.0.0.1")
        );
        // a second header line: the proxy's is the last one
        h.append("x-forwarded-for", http::HeaderValue::from_static("2.2.2.2"));
        assert_eq!(client_ip(Some(local), &h).as_deref(), Some("2.2.2.2"));
        // garbage appended: the loopback peer itself
        let mut junk = HeaderMap::new();
        junk.insert(
            "x-forwarded-for",
            http::HeaderValue::from_static("1.1.1.1, nope"),
        );
        assert_eq!(client_ip(Some(local), &junk).as_deref(), Some("127.0.0.1"));
    }
}
