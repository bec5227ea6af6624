//! Reading client actions off the socket: `Name: value` lines up to a blank line.
//!
//! Kept behind [`ActionDecoder`] so it can be swapped for the shared AMI codec.

use crate::adapters::ami::frame::Frame;
use bytes::BytesMut;
use tokio_util::codec::Decoder;

/// Largest action accepted (bytes up to the blank line).
pub const MAX_ACTION: usize = 64 * 1024;

/// Why the input was rejected (the session is closed).
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// Socket error.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// An action larger than [`MAX_ACTION`].
    #[error("action larger than {MAX_ACTION} bytes")]
    TooLarge,
    /// Not UTF-8.
    #[error("action is not UTF-8")]
    BadUtf8,
    /// A line without `:`.
    #[error("malformed line `{0}`")]
    Malformed(String),
}

/// Decodes client actions.
#[derive(Debug, Default)]
pub struct ActionDecoder;

fn find_end(buf: &[u8]) -> Option<(usize, usize)> {
    // Accept CRLF CRLF and bare LF LF.
    let mut i = 0;
    while i < buf.len() {
        if buf[i] == b'\n' {
            if buf.get(i + 1) == Some(&b'\n') {
                return Some((i, i + 2));
            }
            if buf.get(i + 1) == Some(&b'\r') && buf.get(i + 2) == Some(&b'\n') {
                return Some((i, i + 3));
            }
        }
        i += 1;
    }
    None
}

/// Parses one action body (without the final blank line).
///
/// # Errors
/// [`WireError::BadUtf8`] or [`WireError::Malformed`].
pub fn parse_action(body: &[u8]) -> Result<Frame, WireError> {
    let text = std::str::from_utf8(body).map_err(|_| WireError::BadUtf8)?;
    let mut f = Frame::new();
    for line in text.split('\n') {
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let (n, v) = line
            .split_once(':')
            .ok_or_else(|| WireError::Malformed(line.chars().take(80).collect()))?;
        f.push(n.trim(), v.trim_start());
    }
    Ok(f)
}

impl Decoder for ActionDecoder {
    type Item = Frame;
    type Error = WireError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, WireError> {
        loop {
            // Skip blank lines between actions.
            while src.first() == Some(&b'\r') || src.first() == Some(&b'\n') {
                let _ = src.split_to(1);
            }
            match find_end(src) {
                Some((end, next)) => {
                    if end > MAX_ACTION {
                        return Err(WireError::TooLarge);
                    }
                    let chunk = src.split_to(next);
                    let f = parse_action(&chunk[..end])?;
                    if f.is_empty() {
                        continue;
                    }
                    return Ok(Some(f));
                }
                None if src.len() > MAX_ACTION => return Err(WireError::TooLarge),
                None => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_two_actions_and_rejects_garbage() {
        let mut d = ActionDecoder;
        let mut b = BytesMut::from(&b"Action: Ping\r\nActionID: 1\r\n\r\nAction: Logoff\n\n"[..]);
        let f = d.decode(&mut b).expect("ok").expect("frame");
        assert_eq!(f.get("actionid"), Some("1"));
        let f = d.decode(&mut b).expect("ok").expect("frame");
        assert_eq!(f.get("Action"), Some("Logoff"));
        assert!(d.decode(&mut b).expect("ok").is_none());
        let mut bad = BytesMut::from(&b"garbage line\r\n\r\n"[..]);
        assert!(matches!(d.decode(&mut bad), Err(WireError::Malformed(_))));
        let mut big = BytesMut::from(vec![b'a'; MAX_ACTION + 1].as_slice());
        assert!(matches!(d.decode(&mut big), Err(WireError::TooLarge)));
    }
}
