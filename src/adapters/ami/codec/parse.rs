//! Splitting a complete message body into `Name: value` fields.

use crate::adapters::ami::frame::Frame;
use memchr::{memchr, memchr_iter};

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
/// once, lossily, so a multi-byte character is never cut; the frame keeps that one string and
/// the offsets of each name and value in it.
pub(super) fn parse_fields(body: &[u8]) -> Frame {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_owned(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let bytes = text.as_bytes();
    let mut spans = Vec::with_capacity(bytes.len() / 24 + 1);
    let mut start = 0;
    let ends = memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for end in ends {
        let line_end = if end > start && bytes[end - 1] == b'\r' {
            end - 1
        } else {
            end
        };
        if line_end > start {
            // All offsets sit next to ASCII bytes (`\n`, `\r`, `:`, ` `): char boundaries.
            let line = &bytes[start..line_end];
            let span = match line.iter().position(|&b| b == b':') {
                Some(c) => {
                    let colon = start + c;
                    let vs = if bytes.get(colon + 1) == Some(&b' ') && colon + 1 < line_end {
                        colon + 2
                    } else {
                        colon + 1
                    };
                    [start, colon, vs, line_end]
                }
                None => [start, line_end, line_end, line_end],
            };
            spans.push(span.map(|o| u32::try_from(o).unwrap_or(u32::MAX)));
        }
        start = end + 1;
    }
    Frame::from_text_spans(text, spans)
}

/// True when `line` looks like a header: a non-empty name without blanks, then `:`.
pub(super) fn is_header_like(line: &[u8]) -> bool {
    match memchr(b':', line) {
        Some(0) | None => false,
        Some(c) => !line[..c].iter().any(|b| b.is_ascii_whitespace()),
    }
}
