//! `Response: Follows` command output, old (`--END COMMAND--`) and modern (`Output:`) forms.

use super::parse::{is_header_like, split_field, trim_cr};
use crate::adapters::ami::frame::Frame;
use memchr::{memchr, memmem};

const FOLLOWS: &[u8] = b"response: follows";
const END_MARKER: &[u8] = b"--END COMMAND--";
const OLD_HEADERS: [&str; 4] = ["Response", "Privilege", "ActionID", "Message"];

/// True when the body's first line is `Response: Follows` (case-insensitive).
pub(super) fn is_follows(body: &[u8]) -> bool {
    let first = trim_cr(&body[..memchr(b'\n', body).unwrap_or(body.len())]);
    first.len() == FOLLOWS.len() && first.eq_ignore_ascii_case(FOLLOWS)
}

/// True when a `Follows` body up to its first empty line is the modern form: every line a
/// header and at least one `Output` line.
pub(super) fn is_modern(body: &[u8]) -> bool {
    let mut has_output = false;
    for line in body.split(|&b| b == b'\n').map(trim_cr) {
        if !is_header_like(line) {
            return false;
        }
        has_output |= line.len() >= 7 && line[..7].eq_ignore_ascii_case(b"output:");
    }
    has_output
}

/// Finds the end of an old-form output: `Ok((body_len, consumed))`, where the body stops
/// before the marker and `consumed` includes the marker line. `Err(resume)` when the marker
/// line is not complete yet (`resume`: where the next search may start).
pub(super) fn find_old_end(buf: &[u8], from: usize) -> Result<(usize, usize), usize> {
    let Some(off) = memmem::find(&buf[from..], END_MARKER) else {
        return Err(buf.len().saturating_sub(END_MARKER.len() - 1).max(from));
    };
    let at = from + off;
    match memchr(b'\n', &buf[at..]) {
        Some(nl) => Ok((at, at + nl + 1)),
        None => Err(at),
    }
}

/// Parses an old-form body (text before the marker) into fields and `Output` lines.
pub(super) fn parse_old(body: &[u8]) -> Frame {
    let text = String::from_utf8_lossy(body);
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    let mut frame = Frame::with_capacity(lines.len());
    let mut rest = lines.as_slice();
    while let Some((line, tail)) = rest.split_first() {
        let (name, value) = split_field(line);
        if !OLD_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name)) {
            break;
        }
        frame.push(name, value);
        rest = tail;
    }
    for line in rest {
        frame.push("Output", line.strip_prefix("Output: ").unwrap_or(line));
    }
    frame
}
