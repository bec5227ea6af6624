//! Splitting a complete message body into `Name: value` fields.

use crate::adapters::ami::frame::Frame;
use memchr::memchr;

/// `line` without one trailing `\r`.
pub(super) fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Splits one line at its first colon; a line without colon is `(line, "")`.
pub(super) fn split_field(line: &str) -> (&str, &str) {
    match line.split_once(':') {
        Some((name, value)) => (name, value.strip_prefix(' ').unwrap_or(value)),
        None => (line, ""),
    }
}

/// Parses a message body (no terminating empty line) into a frame. The bytes are decoded
/// once, lossily, so a multi-byte character is never cut.
pub(super) fn parse_fields(body: &[u8]) -> Frame {
    let text = String::from_utf8_lossy(body);
    let mut frame = Frame::with_capacity(body.len() / 20 + 1);
    let bytes = text.as_bytes();
    let mut start = 0;
    while start < bytes.len() {
        let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        // `start` and `end` sit on ASCII bytes, so they are char boundaries.
        let line = text[start..end]
            .strip_suffix('\r')
            .unwrap_or(&text[start..end]);
        if !line.is_empty() {
            let (name, value) = split_field(line);
            frame.push(name, value);
        }
        start = end + 1;
    }
    frame
}

/// True when `line` looks like a header: a non-empty name without blanks, then `:`.
pub(super) fn is_header_like(line: &[u8]) -> bool {
    match memchr(b':', line) {
        Some(0) | None => false,
        Some(c) => !line[..c].iter().any(|b| b.is_ascii_whitespace()),
    }
}
