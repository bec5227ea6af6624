//! Why an operation was refused or failed; the HTTP adapter maps each variant to a status.

use crate::ports::pbx::PbxError;

/// Every way a switchboard operation can end without success.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OperationError {
    /// A body field is missing or invalid (HTTP 400).
    #[error("invalid or missing field `{field}`: {reason}")]
    BadRequest {
        /// The offending field, as named in the request body.
        field: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The caller's profile or ownership does not allow the operation (HTTP 403).
    #[error("permission denied")]
    Forbidden,
    /// The extension is not tracked (HTTP 404).
    #[error("unknown extension {0}")]
    UnknownExtension(String),
    /// The conversation does not exist for that extension, e.g. it ended meanwhile (404).
    #[error("conversation {convid} of extension {exten} not found")]
    ConversationNotFound {
        /// Extension whose conversation was named.
        exten: String,
        /// Conversation id.
        convid: String,
    },
    /// The extension (or, for `hangup_mainexten`, its user) has no conversation to act on,
    /// e.g. nothing to cancel or hang up (404, code `ConversationNotFound`).
    #[error("extension {exten} has no conversation")]
    NoConversation {
        /// The extension named in the request.
        exten: String,
    },
    /// The conversation is not being recorded (HTTP 409).
    #[error("conversation {0} is not recording")]
    NotRecording(String),
    /// The parking slot is unknown (HTTP 404).
    #[error("unknown parking {0}")]
    UnknownParking(String),
    /// Nobody is parked in the slot (HTTP 404).
    #[error("parking {0} is empty")]
    EmptyParking(String),
    /// The queue is not tracked (HTTP 404).
    #[error("unknown queue {0}")]
    UnknownQueue(String),
    /// No such waiting caller in the queue (HTTP 404).
    #[error("no waiting caller {caller} in queue {queue}")]
    WaitingCallerNotFound {
        /// Queue number.
        queue: String,
        /// Waiting caller id (its channel).
        caller: String,
    },
    /// The extension is not a dynamic member of the queue (no `QPENALTY` key, HTTP 409).
    #[error("extension {exten} is not a dynamic member of queue {queue}")]
    NotDynamicMember {
        /// Queue number.
        queue: String,
        /// Extension.
        exten: String,
    },
    /// No conference with that id (HTTP 404).
    #[error("conference {0} not found")]
    ConferenceNotFound(String),
    /// No such user in the conference (HTTP 404).
    #[error("user {user} not found in conference {conf}")]
    ConferenceUserNotFound {
        /// Conference id.
        conf: String,
        /// User id or extension.
        user: String,
    },
    /// The extension cannot take the call now (WebRTC client not online; HTTP 409).
    #[error("exten {exten} is {status}")]
    ExtensionUnavailable {
        /// Extension.
        exten: String,
        /// Its current status.
        status: String,
    },
    /// The phone or the configuration cannot do this (unsupported phone, manual
    /// click-to-call mode, not a WebRTC extension; HTTP 501).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The phone's HTTP API answered with a non-success status (HTTP 502).
    #[error("phone answered HTTP {0}")]
    PhoneRejected(u16),
    /// The phone's HTTP API could not be reached (HTTP 502).
    #[error("phone unreachable: {0}")]
    PhoneUnreachable(String),
    /// The phone's HTTP API did not answer in time (HTTP 504).
    #[error("phone did not answer in time")]
    PhoneTimeout,
    /// The operation did not complete within its bound (HTTP 504).
    #[error("operation timed out")]
    Timeout,
    /// The PBX refused the command, is unreachable or did not answer (500/503/504).
    #[error(transparent)]
    Pbx(#[from] PbxError),
}

impl OperationError {
    /// Shorthand for [`OperationError::BadRequest`].
    pub fn bad(field: &str, reason: &str) -> Self {
        Self::BadRequest {
            field: field.to_owned(),
            reason: reason.to_owned(),
        }
    }

    /// `Ok(())` when `allowed`, else [`OperationError::Forbidden`].
    ///
    /// # Errors
    /// [`OperationError::Forbidden`] when not allowed.
    pub fn require(allowed: bool) -> Result<(), Self> {
        if allowed {
            Ok(())
        } else {
            Err(Self::Forbidden)
        }
    }
}
