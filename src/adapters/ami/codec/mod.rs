//! tokio-util codec for the Asterisk Manager Interface byte stream.
//!
//! # Framing rules
//! - The first line of a connection, when it starts with `Asterisk Call Manager/`, is the
//!   banner ([`AmiMessage::Banner`], without its line end). Later lines never are.
//! - A message ends at the first empty line. Line ends may be `\r\n` or a bare `\n`, in any
//!   mix (`\r\n\n`, `\n\r\n`, `\n\n` all end a message). Blank lines between messages are
//!   skipped.
//! - A field line is split at its first `:`; one space after the colon is dropped, so values
//!   may contain `: `. A line without a colon becomes a field whose name is the whole line and
//!   whose value is `""`.
//! - Bytes are gathered until the message ends, then decoded as UTF-8; invalid bytes become
//!   U+FFFD, and a character split across two reads decodes correctly.
//! - `Response: Follows` command output: the modern form (only `Name: value` lines, at least
//!   one `Output:`) ends at the empty line like any message. The old form (raw text lines and a
//!   final `--END COMMAND--` line, possibly containing empty lines) ends at the marker line; its
//!   leading `Response`/`Privilege`/`ActionID`/`Message` lines are fields and every raw line
//!   after them becomes one `Output` field (an `Output: ` prefix is stripped).
//! - A message longer than the maximum size (default [`DEFAULT_MAX_FRAME_BYTES`]) is a
//!   [`CodecError::FrameTooLarge`]; the connection must then be closed.

mod follows;
mod parse;

use crate::adapters::ami::frame::Frame;
use bytes::{Buf, BufMut, BytesMut};
use memchr::memchr;
use tokio_util::codec::{Decoder, Encoder};

/// Default maximum size of one AMI message: 1 MiB.
pub const DEFAULT_MAX_FRAME_BYTES: usize = 1024 * 1024;

const BANNER_PREFIX: &[u8] = b"Asterisk Call Manager/";

/// One item read from an AMI connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AmiMessage {
    /// The greeting line, e.g. `Asterisk Call Manager/11.0.0`.
    Banner(String),
    /// A response or event.
    Frame(Frame),
}

/// Why the byte stream could not be framed (the connection should be closed).
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// Socket error.
    #[error("AMI socket error: {0}")]
    Io(#[from] std::io::Error),
    /// A message grew past the configured maximum.
    #[error("AMI message exceeds {limit} bytes (at least {seen} bytes buffered)")]
    FrameTooLarge {
        /// Configured maximum.
        limit: usize,
        /// Bytes seen so far for this message.
        seen: usize,
    },
    /// The peer closed the connection in the middle of a message.
    #[error("AMI connection closed inside a message ({0} bytes pending)")]
    Truncated(usize),
    /// A field to send contains a line break (or a `:` in its name), which would corrupt
    /// the stream or inject headers.
    #[error("AMI field `{0}` contains a line break or an invalid name")]
    InvalidField(String),
}

/// AMI decoder/encoder; one per connection (it remembers whether the banner was read).
#[derive(Debug, Clone)]
pub struct AmiCodec {
    max_frame_bytes: usize,
    banner_pending: bool,
    /// Where the end-of-message search resumes in the buffer (bytes before it were scanned).
    scan_from: usize,
    /// The current message is old-form command output (ends at `--END COMMAND--`).
    old_command: bool,
}

impl Default for AmiCodec {
    fn default() -> Self {
        Self::new()
    }
}

impl AmiCodec {
    /// A codec with the default 1 MiB message limit, expecting a banner first.
    pub fn new() -> Self {
        Self::with_max_frame_bytes(DEFAULT_MAX_FRAME_BYTES)
    }

    /// A codec with a custom message size limit.
    pub fn with_max_frame_bytes(max_frame_bytes: usize) -> Self {
        Self {
            max_frame_bytes,
            banner_pending: true,
            scan_from: 0,
            old_command: false,
        }
    }

    /// The configured message size limit.
    pub fn max_frame_bytes(&self) -> usize {
        self.max_frame_bytes
    }

    fn too_large(&self, seen: usize) -> CodecError {
        CodecError::FrameTooLarge {
            limit: self.max_frame_bytes,
            seen,
        }
    }

    /// Drops blank lines before a message. `false` when a lone `\r` leaves it undecided.
    fn skip_blank_lines(buf: &mut BytesMut) -> bool {
        let mut n = 0;
        loop {
            match buf.get(n) {
                Some(b'\n') => n += 1,
                Some(b'\r') => match buf.get(n + 1) {
                    Some(b'\n') => n += 2,
                    Some(_) => break,
                    None => {
                        buf.advance(n);
                        return false;
                    }
                },
                _ => break,
            }
        }
        buf.advance(n);
        true
    }

    fn decode_banner(&mut self, buf: &mut BytesMut) -> Result<Option<AmiMessage>, CodecError> {
        let Some(nl) = memchr(b'\n', buf) else {
            if buf.len() > self.max_frame_bytes {
                return Err(self.too_large(buf.len()));
            }
            return Ok(None);
        };
        self.banner_pending = false;
        if !buf.starts_with(BANNER_PREFIX) {
            return Ok(None);
        }
        let line = buf.split_to(nl + 1);
        let text = parse::trim_cr(&line[..nl]);
        Ok(Some(AmiMessage::Banner(
            String::from_utf8_lossy(text).into_owned(),
        )))
    }

    /// Finds the end of the message at the front of `buf`: `(body_len, consumed)`.
    fn find_end(&mut self, buf: &[u8]) -> Option<(usize, usize)> {
        let mut pos = self.scan_from;
        while let Some(off) = memchr(b'\n', &buf[pos..]) {
            let nl = pos + off;
            match buf.get(nl + 1) {
                Some(b'\n') => return Some((nl, nl + 2)),
                Some(b'\r') => match buf.get(nl + 2) {
                    Some(b'\n') => return Some((nl, nl + 3)),
                    Some(_) => pos = nl + 1,
                    None => {
                        self.scan_from = nl;
                        return None;
                    }
                },
                Some(_) => pos = nl + 1,
                None => {
                    self.scan_from = nl;
                    return None;
                }
            }
        }
        self.scan_from = buf.len();
        None
    }

    fn decode_old_command(&mut self, buf: &mut BytesMut) -> Result<Option<AmiMessage>, CodecError> {
        match follows::find_old_end(buf, self.scan_from) {
            Ok((body_len, consumed)) => {
                if consumed > self.max_frame_bytes {
                    return Err(self.too_large(consumed));
                }
                let frame = follows::parse_old(&buf[..body_len]);
                buf.advance(consumed);
                self.scan_from = 0;
                self.old_command = false;
                Ok(Some(AmiMessage::Frame(frame)))
            }
            Err(resume) => {
                if buf.len() > self.max_frame_bytes {
                    return Err(self.too_large(buf.len()));
                }
                self.scan_from = resume;
                Ok(None)
            }
        }
    }
}

impl Decoder for AmiCodec {
    type Item = AmiMessage;
    type Error = CodecError;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<AmiMessage>, CodecError> {
        if self.scan_from == 0 && !self.old_command && !Self::skip_blank_lines(buf) {
            return Ok(None);
        }
        if buf.is_empty() {
            return Ok(None);
        }
        if self.banner_pending {
            if let Some(banner) = self.decode_banner(buf)? {
                return Ok(Some(banner));
            }
            if self.banner_pending {
                return Ok(None);
            }
        }
        if self.old_command {
            return self.decode_old_command(buf);
        }
        let Some((body_len, consumed)) = self.find_end(buf) else {
            if buf.len() > self.max_frame_bytes {
                return Err(self.too_large(buf.len()));
            }
            return Ok(None);
        };
        let body = &buf[..body_len];
        if follows::is_follows(body) && !follows::is_modern(body) {
            self.old_command = true;
            self.scan_from = 0;
            return self.decode_old_command(buf);
        }
        if consumed > self.max_frame_bytes {
            return Err(self.too_large(consumed));
        }
        let frame = parse::parse_fields(body);
        buf.advance(consumed);
        self.scan_from = 0;
        Ok(Some(AmiMessage::Frame(frame)))
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<AmiMessage>, CodecError> {
        if let Some(msg) = self.decode(buf)? {
            return Ok(Some(msg));
        }
        if buf.iter().all(|b| matches!(b, b'\r' | b'\n')) {
            buf.clear();
            return Ok(None);
        }
        let pending = buf.len();
        buf.clear();
        self.scan_from = 0;
        self.old_command = false;
        Err(CodecError::Truncated(pending))
    }
}

impl Encoder<&Frame> for AmiCodec {
    type Error = CodecError;

    fn encode(&mut self, frame: &Frame, dst: &mut BytesMut) -> Result<(), CodecError> {
        let fields = frame.fields();
        for (name, value) in fields {
            let bad_name =
                name.is_empty() || name.bytes().any(|b| matches!(b, b'\r' | b'\n' | b':'));
            if bad_name || value.bytes().any(|b| matches!(b, b'\r' | b'\n')) {
                return Err(CodecError::InvalidField(name.clone()));
            }
        }
        let len: usize = fields.iter().map(|(n, v)| n.len() + v.len() + 4).sum();
        dst.reserve(len + 2);
        for (name, value) in fields {
            dst.put_slice(name.as_bytes());
            dst.put_slice(b": ");
            dst.put_slice(value.as_bytes());
            dst.put_slice(b"\r\n");
        }
        dst.put_slice(b"\r\n");
        Ok(())
    }
}

impl Encoder<Frame> for AmiCodec {
    type Error = CodecError;

    fn encode(&mut self, frame: Frame, dst: &mut BytesMut) -> Result<(), CodecError> {
        self.encode(&frame, dst)
    }
}
