//! Operation outcomes → HTTP replies: `200` empty or JSON on success; errors as JSON
//! `{code, message}` with the status below, plus the original's `error` header
//! (sanitised) on 5xx.
//!
//! | error | status | code |
//! |---|---|---|
//! | BadRequest / invalid body | 400 | `BadRequest` / `InvalidContent` |
//! | Forbidden | 403 | `Forbidden` |
//! | UnknownExtension, ConversationNotFound, UnknownParking, EmptyParking, UnknownQueue, WaitingCallerNotFound, ConferenceNotFound, ConferenceUserNotFound | 404 | the variant name |
//! | NoConversation (nothing to cancel / hang up) | 404 | `ConversationNotFound` |
//! | NotRecording, NotDynamicMember, ExtensionUnavailable | 409 | the variant name |
//! | PBX rejected | 500 | `PbxRejected` |
//! | Unsupported | 501 | `Unsupported` |
//! | PhoneRejected, PhoneUnreachable | 502 | the variant name |
//! | PBX unavailable | 503 | `PbxUnavailable` |
//! | PBX timeout, PhoneTimeout, Timeout | 504 | `PbxTimeout` / the variant name |

use crate::app::operations::Reply;
use crate::domain::operations::OperationError;
use crate::ports::pbx::PbxError;
use http::{HeaderValue, StatusCode};
use serde_json::json;
use warp::reply::Response;
use warp::Reply as _;

/// Status and code of an error.
pub fn status_and_code(e: &OperationError) -> (StatusCode, &'static str) {
    use OperationError as E;
    match e {
        E::BadRequest { .. } => (StatusCode::BAD_REQUEST, "BadRequest"),
        E::Forbidden => (StatusCode::FORBIDDEN, "Forbidden"),
        E::UnknownExtension(_) => (StatusCode::NOT_FOUND, "UnknownExtension"),
        E::ConversationNotFound { .. } | E::NoConversation { .. } => {
            (StatusCode::NOT_FOUND, "ConversationNotFound")
        }
        E::UnknownParking(_) => (StatusCode::NOT_FOUND, "UnknownParking"),
        E::EmptyParking(_) => (StatusCode::NOT_FOUND, "EmptyParking"),
        E::UnknownQueue(_) => (StatusCode::NOT_FOUND, "UnknownQueue"),
        E::WaitingCallerNotFound { .. } => (StatusCode::NOT_FOUND, "WaitingCallerNotFound"),
        E::ConferenceNotFound(_) => (StatusCode::NOT_FOUND, "ConferenceNotFound"),
        E::ConferenceUserNotFound { .. } => (StatusCode::NOT_FOUND, "ConferenceUserNotFound"),
        E::NotRecording(_) => (StatusCode::CONFLICT, "NotRecording"),
        E::NotDynamicMember { .. } => (StatusCode::CONFLICT, "NotDynamicMember"),
        E::ExtensionUnavailable { .. } => (StatusCode::CONFLICT, "ExtensionUnavailable"),
        E::Unsupported(_) => (StatusCode::NOT_IMPLEMENTED, "Unsupported"),
        E::PhoneRejected(_) => (StatusCode::BAD_GATEWAY, "PhoneRejected"),
        E::PhoneUnreachable(_) => (StatusCode::BAD_GATEWAY, "PhoneUnreachable"),
        E::PhoneTimeout => (StatusCode::GATEWAY_TIMEOUT, "PhoneTimeout"),
        E::Timeout => (StatusCode::GATEWAY_TIMEOUT, "Timeout"),
        E::Pbx(PbxError::Rejected(_)) => (StatusCode::INTERNAL_SERVER_ERROR, "PbxRejected"),
        E::Pbx(PbxError::Unavailable) => (StatusCode::SERVICE_UNAVAILABLE, "PbxUnavailable"),
        E::Pbx(PbxError::Timeout(_)) => (StatusCode::GATEWAY_TIMEOUT, "PbxTimeout"),
    }
}

/// A header value from free text: control characters dropped, non-ASCII replaced.
fn header_text(s: &str) -> Option<HeaderValue> {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| if c.is_ascii() { c } else { '?' })
        .take(512)
        .collect();
    HeaderValue::from_str(&clean).ok()
}

/// A JSON error reply.
pub fn error_reply(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "code": code, "message": message });
    let mut resp = warp::reply::with_status(warp::reply::json(&body), status).into_response();
    if status.is_server_error() {
        if let Some(v) = header_text(message) {
            resp.headers_mut().insert("error", v);
        }
    }
    resp
}

/// The reply for an operation error.
pub fn error_response(e: &OperationError) -> Response {
    let (status, code) = status_and_code(e);
    error_reply(status, code, &e.to_string())
}

/// The reply for a success: `200` empty (no content type) or `200` JSON.
pub fn success_response(r: Reply) -> Response {
    match r {
        Reply::Empty => StatusCode::OK.into_response(),
        Reply::Json(v) => warp::reply::json(&v).into_response(),
    }
}

/// The reply for an outcome.
pub fn outcome_response(r: Result<Reply, OperationError>) -> Response {
    match r {
        Ok(r) => success_response(r),
        Err(e) => error_response(&e),
    }
}
