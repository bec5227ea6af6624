//! Client-supplied values shortened before they are logged, so one request cannot write a huge log line.

use std::borrow::Cow;

/// Most characters of a client-supplied value that are logged.
pub const MAX_LOGGED_CHARS: usize = 64;

/// Marker appended to a shortened value.
pub const CLIPPED: char = '…';

/// `value` when it has at most [`MAX_LOGGED_CHARS`] characters, else its first
/// [`MAX_LOGGED_CHARS`] characters followed by [`CLIPPED`].
pub fn clip(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(MAX_LOGGED_CHARS) {
        None => Cow::Borrowed(value),
        Some((cut, _)) => {
            let mut short = String::with_capacity(cut + CLIPPED.len_utf8());
            short.push_str(&value[..cut]);
            short.push(CLIPPED);
            Cow::Owned(short)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_values_are_kept_long_ones_cut_at_64_chars() {
        assert_eq!(clip("alice"), "alice");
        let exact = "a".repeat(64);
        assert_eq!(clip(&exact), exact);
        assert_eq!(clip(&"b".repeat(8_000_000)), format!("{}…", "b".repeat(64)));
        // counted in characters, never cutting one in half
        let wide = "é".repeat(70);
        assert_eq!(clip(&wide), format!("{}…", "é".repeat(64)));
        assert_eq!(clip(""), "");
    }
}
