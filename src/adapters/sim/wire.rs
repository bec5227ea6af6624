//! Client input of a simulated AMI session: frames come from the shared [`AmiCodec`];
//! this module only decides what is garbage (the session is then closed).
//!
//! [`AmiCodec`]: crate::adapters::ami::codec::AmiCodec

use crate::adapters::ami::codec::{AmiCodec, AmiMessage};
use crate::adapters::ami::frame::Frame;
use bytes::BytesMut;
use tokio_util::codec::Decoder;

/// Largest action accepted (bytes up to the blank line).
pub const MAX_ACTION: usize = 64 * 1024;

/// Why the input was rejected (the session is closed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// Not UTF-8.
    #[error("action is not UTF-8")]
    BadUtf8,
    /// A line that is not `Name: value`.
    #[error("malformed line `{0}`")]
    Malformed(String),
}

/// The codec used to read client actions.
pub fn codec() -> AmiCodec {
    AmiCodec::with_max_frame_bytes(MAX_ACTION)
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'(' | b')' | b'.'))
}

/// Checks that a decoded action is made of `Name: value` lines only.
///
/// # Errors
/// [`WireError::BadUtf8`] when a value or name holds U+FFFD (invalid bytes),
/// [`WireError::Malformed`] for a line without `:` or a name with spaces.
pub fn check_action(f: &Frame) -> Result<(), WireError> {
    for (n, v) in f.fields() {
        if n.contains('\u{FFFD}') || v.contains('\u{FFFD}') {
            return Err(WireError::BadUtf8);
        }
        if !valid_name(n) {
            return Err(WireError::Malformed(n.chars().take(80).collect()));
        }
    }
    Ok(())
}

/// Decodes one complete message from raw bytes (tests and tools).
pub fn decode_one(raw: &[u8]) -> Option<Frame> {
    let mut buf = BytesMut::from(raw);
    if !raw.ends_with(b"\r\n\r\n") && !raw.ends_with(b"\n\n") {
        buf.extend_from_slice(b"\r\n\r\n");
    }
    let mut c = codec();
    loop {
        match c.decode(&mut buf) {
            Ok(Some(AmiMessage::Frame(f))) => return Some(f),
            Ok(Some(AmiMessage::Banner(_))) => continue,
            _ => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_actions_and_flags_garbage() {
        let f = decode_one(b"Action: Ping\r\nActionID: 1\r\n\r\n").expect("frame");
        assert_eq!(f.get("actionid"), Some("1"));
        assert_eq!(check_action(&f), Ok(()));
        let g = decode_one(b"this is not ami\r\n\r\n").expect("frame");
        assert_eq!(
            check_action(&g),
            Err(WireError::Malformed("this is not ami".into()))
        );
        let u = decode_one(b"Action: P\xffng\r\n\r\n").expect("frame");
        assert_eq!(check_action(&u), Err(WireError::BadUtf8));
    }
}
