//! The one place where errors become HTTP replies: status, JSON body `{code, message}`,
//! and the original's detail headers (`message`/`code` on 401, `error` on 500/503,
//! sanitised). A 500 logs its cause and answers a generic message.

use super::auth_service::LoginError;
use crate::domain::policy::presence::PresenceError;
use crate::ports::pbx::PbxError;
use http::{HeaderValue, StatusCode};
use serde_json::json;
use slog::{error, Logger};
use std::convert::Infallible;
use warp::reply::Response;
use warp::Reply as _;

/// The error text of the original's 503 before the first PBX load.
pub const NOT_READY_TEXT: &str =
    "service not ready: user component not configured - possible asterisk delay";

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed JSON / form body.
    #[error("{0}")]
    InvalidContent(String),
    /// Missing or invalid parameter.
    #[error("{0}")]
    BadRequest(String),
    /// Not authenticated (gate or login failure without details).
    #[error("unauthorized")]
    Unauthorized,
    /// Login of a user that is not configured (401 + `message`/`code: 1` headers).
    #[error("user {0} is not configured")]
    NotConfigured(String),
    /// Authenticated but not permitted.
    #[error("forbidden")]
    Forbidden,
    /// Unknown resource.
    #[error("{0}")]
    NotFound(String),
    /// The request cannot apply to this user's configuration (e.g. no cellphone endpoint).
    #[error("{0}")]
    Conflict(String),
    /// Body over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// Login rate limit hit: retry after this many seconds.
    #[error("too many requests")]
    TooManyRequests(u64),
    /// First PBX load not complete.
    #[error("{}", NOT_READY_TEXT)]
    NotReady,
    /// The PBX or a backend is not reachable.
    #[error("{0}")]
    Unavailable(String),
    /// No answer in time.
    #[error("timeout")]
    Timeout,
    /// Anything else: logged, answered with a generic message.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The status code.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidContent(_) | Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized | Self::NotConfigured(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::NotReady | Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Timeout => StatusCode::GATEWAY_TIMEOUT,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Self::InvalidContent(_) => "InvalidContent",
            Self::BadRequest(_) => "BadRequest",
            Self::Unauthorized => "Unauthorized",
            Self::NotConfigured(_) => "1",
            Self::Forbidden => "Forbidden",
            Self::NotFound(_) => "ResourceNotFound",
            Self::Conflict(_) => "Conflict",
            Self::PayloadTooLarge => "PayloadTooLarge",
            Self::TooManyRequests(_) => "TooManyRequests",
            Self::NotReady | Self::Unavailable(_) => "ServiceUnavailable",
            Self::Timeout => "GatewayTimeout",
            Self::Internal(_) => "InternalError",
        }
    }

    /// The reply; 500s log their cause on `log`.
    pub fn into_response(self, log: &Logger) -> Response {
        let message = match &self {
            Self::Internal(e) => {
                error!(log, "internal error"; "cause" => format!("{e:#}"));
                "internal error".to_owned()
            }
            other => other.to_string(),
        };
        let status = self.status();
        let body = json!({"code": self.code(), "message": message});
        let mut resp = warp::reply::with_status(warp::reply::json(&body), status).into_response();
        let h = resp.headers_mut();
        match &self {
            Self::NotConfigured(_) => {
                set_header(h, "message", &message);
                h.insert("code", HeaderValue::from_static("1"));
            }
            Self::TooManyRequests(secs) => {
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    h.insert(http::header::RETRY_AFTER, v);
                }
            }
            Self::NotReady | Self::Unavailable(_) | Self::Timeout | Self::Internal(_) => {
                set_header(h, "error", &message);
            }
            _ => {}
        }
        resp
    }
}

/// Sets a detail header, dropping characters that are not legal in a header value.
fn set_header(h: &mut http::HeaderMap, name: &'static str, value: &str) {
    let clean: String = value
        .chars()
        .filter(|c| (' '..='~').contains(c))
        .take(200)
        .collect();
    if let Ok(v) = HeaderValue::from_str(&clean) {
        h.insert(name, v);
    }
}

impl From<PbxError> for ApiError {
    fn from(e: PbxError) -> Self {
        match e {
            PbxError::Unavailable => Self::Unavailable("PBX not connected".into()),
            PbxError::Timeout(_) => Self::Timeout,
            PbxError::Rejected(m) => Self::Internal(anyhow::anyhow!("PBX refused: {m}")),
        }
    }
}

impl From<LoginError> for ApiError {
    fn from(e: LoginError) -> Self {
        match e {
            LoginError::MissingFields | LoginError::BadCredentials => Self::Unauthorized,
            LoginError::NotReady => Self::NotReady,
            LoginError::RateLimited(r) => Self::TooManyRequests(r.0),
            LoginError::NotConfigured(n) => {
                let crate::domain::auth::LoginNameError::NotConfigured(u) = n;
                Self::NotConfigured(u)
            }
            LoginError::Backend(m) => Self::Unavailable(format!("credentials backend: {m}")),
            LoginError::Store(e) => Self::Internal(e.into()),
        }
    }
}

impl From<PresenceError> for ApiError {
    fn from(e: PresenceError) -> Self {
        match e {
            PresenceError::InvalidStatus | PresenceError::MissingTo => {
                Self::BadRequest(e.to_string())
            }
            PresenceError::Forbidden => Self::Forbidden,
            PresenceError::NoCellphone
            | PresenceError::NoVoicemail
            | PresenceError::NoExtension => Self::Conflict(e.to_string()),
        }
    }
}

/// Rejections raised by filters (before a handler runs).
#[derive(Debug)]
pub enum Rejected {
    /// The gate refused the request (no CORS headers, as the original's proxy).
    Unauthorized,
    /// Body over the limit.
    PayloadTooLarge,
    /// The body could not be read.
    BadBody,
}

impl warp::reject::Reject for Rejected {}

/// Raised by the fallback (after the gate) for every request no route answered: 404,
/// unless a route has the path with another method (405) or refused the request.
/// A type of its own, so finding it never hides a [`Rejected`] of a matched route.
#[derive(Debug)]
pub struct NoRoute {
    /// The request method.
    pub method: http::Method,
    /// The request path (no query).
    pub path: String,
}

impl warp::reject::Reject for NoRoute {}

/// Turns every rejection into a JSON error reply (no CORS: these are "proxy" replies).
///
/// Order: the gate and body rejections; then a wrong method on a path that exists (405
/// `"<METHOD> is not allowed"`: method filters come after the path in every route, so
/// `MethodNotAllowed` only arises for a known path); then an unknown path (404
/// `"<path> does not exist"`), as restify answers (auth.md §11).
pub async fn handle_rejection(err: warp::Rejection) -> Result<Response, Infallible> {
    use warp::reject as r;
    let log = Logger::root(slog::Discard, slog::o!());
    let no_route = err.find::<NoRoute>();
    let api = match err.find::<Rejected>() {
        Some(Rejected::Unauthorized) => ApiError::Unauthorized,
        Some(Rejected::PayloadTooLarge) => ApiError::PayloadTooLarge,
        Some(Rejected::BadBody) => ApiError::BadRequest("unreadable body".into()),
        _ if err.find::<r::MethodNotAllowed>().is_some() => {
            let method = no_route.map_or("method", |n| n.method.as_str());
            return Ok(method_not_allowed(method));
        }
        _ if err.find::<r::PayloadTooLarge>().is_some() => ApiError::PayloadTooLarge,
        // A matched route refused the request before its handler.
        _ if err.find::<r::LengthRequired>().is_some()
            || err.find::<r::MissingHeader>().is_some()
            || err.find::<r::InvalidHeader>().is_some()
            || err.find::<r::InvalidQuery>().is_some()
            || err.find::<r::UnsupportedMediaType>().is_some() =>
        {
            ApiError::BadRequest("bad request".into())
        }
        None => match no_route {
            Some(n) => ApiError::NotFound(format!("{} does not exist", n.path)),
            None if err.is_not_found() => ApiError::NotFound("resource does not exist".into()),
            None => ApiError::BadRequest("bad request".into()),
        },
    };
    Ok(api.into_response(&log))
}

/// 405 `{"code":"MethodNotAllowed","message":"<METHOD> is not allowed"}`.
fn method_not_allowed(method: &str) -> Response {
    warp::reply::with_status(
        warp::reply::json(&json!({
            "code": "MethodNotAllowed",
            "message": format!("{method} is not allowed"),
        })),
        StatusCode::METHOD_NOT_ALLOWED,
    )
    .into_response()
}
