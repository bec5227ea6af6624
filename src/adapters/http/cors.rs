//! CORS exactly as the original (config.md §8): the pre-flight for any path and method,
//! and on back-end replies the echoed `Origin` with credentials and the per-back-end
//! expose list. Gate refusals and unknown routes get no CORS headers.

use http::HeaderValue;
use warp::reply::Response;

/// Pre-flight `Access-Control-Allow-Headers`.
pub const PREFLIGHT_ALLOW_HEADERS: &str = "X-Requested-With, Access-Control-Allow-Origin, X-HTTP-Method-Override, Content-Type, Authorization, Accept, User, Secretkey, WWW-Authenticate";

/// Pre-flight `Access-Control-Allow-Methods`.
pub const PREFLIGHT_ALLOW_METHODS: &str = "POST, GET, PUT, DELETE, OPTIONS";

const RESTIFY_DEFAULTS: &str =
    "api-version, content-length, content-md5, content-type, date, request-id, response-time";

/// Which original back-end a route belongs to (decides the expose list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `/authentication`, `/astproxy` (also history, custcard, streaming).
    Authentication,
    /// `/astproxy`.
    Astproxy,
    /// `/user` (also phonebook, voicemail, videoconf).
    User,
    /// `/profiling` (also offhour).
    Profiling,
}

impl Backend {
    /// The `Access-Control-Expose-Headers` value.
    pub fn expose_headers(self) -> String {
        let names = match self {
            Self::Authentication | Self::Astproxy => "WWW-Authenticate",
            Self::User => "WWW-Authenticate, Authorization",
            Self::Profiling => "Authorization",
        };
        format!("{names}, {RESTIFY_DEFAULTS}")
    }
}

/// The 200 pre-flight reply with an empty body.
pub fn preflight() -> Response {
    let mut resp = Response::new(Vec::<u8>::new().into());
    let h = resp.headers_mut();
    h.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    h.insert(
        "access-control-allow-methods",
        HeaderValue::from_static(PREFLIGHT_ALLOW_METHODS),
    );
    h.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    h.insert("access-control-max-age", HeaderValue::from_static("86400"));
    h.insert(
        "access-control-allow-headers",
        HeaderValue::from_static(PREFLIGHT_ALLOW_HEADERS),
    );
    resp
}

/// Adds the back-end CORS headers when the request had an `Origin`.
pub fn apply(resp: &mut Response, origin: Option<&str>, backend: Backend) {
    let Some(origin) = origin.and_then(|o| HeaderValue::from_str(o).ok()) else {
        return;
    };
    let h = resp.headers_mut();
    h.insert("access-control-allow-origin", origin);
    h.insert(
        "access-control-allow-credentials",
        HeaderValue::from_static("true"),
    );
    if let Ok(v) = HeaderValue::from_str(&backend.expose_headers()) {
        h.insert("access-control-expose-headers", v);
    }
}
