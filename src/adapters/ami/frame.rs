//! One AMI message: an ordered list of `Name: value` fields, duplicates kept.
//!
//! AMI repeats some header names (`Variable:`, `ChanVariable:`), so a map would lose data;
//! the frame keeps the fields in arrival order. Look-ups compare names ASCII
//! case-insensitively, as Asterisk does for action and header names.
//!
//! Storage is compact for the decoder's hot path: all names and values live in one string
//! and each field is four byte offsets into it, so decoding a message costs two allocations
//! instead of two per field. [`Frame::fields`] builds the `(String, String)` view on first
//! use and caches it.

use std::fmt;
use std::sync::OnceLock;

/// Byte offsets of one field in `Frame::text`: name start/end, value start/end.
type Span = [u32; 4];

/// A decoded AMI message (action, response or event).
#[derive(Clone, Default)]
pub struct Frame {
    text: String,
    spans: Vec<Span>,
    owned: OnceLock<Vec<(String, String)>>,
}

/// A field that a typed message needs is absent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("AMI message has no `{0}` field")]
pub struct MissingField(pub String);

fn offset(n: usize) -> u32 {
    // Frames are bounded far below 4 GiB (the codec caps its limit at u32::MAX).
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Frame {
    /// An empty frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty frame with room for `n` fields.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            text: String::with_capacity(n * 24),
            spans: Vec::with_capacity(n),
            owned: OnceLock::new(),
        }
    }

    /// A frame over `text` whose fields are the given `(name, value)` byte ranges of it
    /// (used by the decoder to avoid copying). Ranges must lie on char boundaries.
    pub(crate) fn from_text_spans(text: String, spans: Vec<Span>) -> Self {
        Self {
            text,
            spans,
            owned: OnceLock::new(),
        }
    }

    /// A frame from `(name, value)` pairs, in order.
    pub fn from_pairs<N: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        let mut f = Self::new();
        for (n, v) in pairs {
            f.push(n, v);
        }
        f
    }

    /// Appends a field (duplicates allowed).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let (name, value) = (name.into(), value.into());
        let ns = self.text.len();
        self.text.push_str(&name);
        let vs = self.text.len();
        self.text.push_str(&value);
        let ve = self.text.len();
        self.spans
            .push([offset(ns), offset(vs), offset(vs), offset(ve)]);
        self.owned = OnceLock::new();
    }

    /// Builder form of [`Frame::push`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(name, value);
        self
    }

    fn name_at(&self, s: &Span) -> &str {
        self.text.get(s[0] as usize..s[1] as usize).unwrap_or("")
    }

    fn value_at(&self, s: &Span) -> &str {
        self.text.get(s[2] as usize..s[3] as usize).unwrap_or("")
    }

    /// Fields as borrowed `(name, value)` pairs, in order, without allocating.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.spans
            .iter()
            .map(|s| (self.name_at(s), self.value_at(s)))
    }

    /// The first value of `name` (case-insensitive), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The first value of `name`, or `""` when absent.
    pub fn get_or_empty(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// The first value of `name`, or a [`MissingField`] error.
    pub fn require(&self, name: &str) -> Result<&str, MissingField> {
        self.get(name).ok_or_else(|| MissingField(name.to_owned()))
    }

    /// Every value of `name`, in order (for repeated headers such as `Variable`).
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// All fields in arrival order (built on first call, then cached; prefer
    /// [`Frame::iter`] on hot paths).
    pub fn fields(&self) -> &[(String, String)] {
        self.owned.get_or_init(|| {
            self.iter()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect()
        })
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when the frame has no field.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The `Event` name, if this is an event.
    pub fn event(&self) -> Option<&str> {
        self.get("Event")
    }

    /// The `Response` value (`Success`, `Error`, `Follows`, `Goodbye`), if this is a response.
    pub fn response(&self) -> Option<&str> {
        self.get("Response")
    }

    /// The `ActionID`, if any.
    pub fn action_id(&self) -> Option<&str> {
        self.get("ActionID")
    }

    /// Serializes as AMI wire text: `Name: value\r\n` per field and a final `\r\n`.
    pub fn to_wire(&self) -> String {
        let mut out = String::with_capacity(self.text.len() + self.spans.len() * 4 + 2);
        for (n, v) in self.iter() {
            out.push_str(n);
            out.push_str(": ");
            out.push_str(v);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out
    }
}

/// Frames are equal when their fields are, in order (storage layout does not matter).
impl PartialEq for Frame {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Frame {}

/// `Debug` hides the values of secret-bearing fields (`Secret`, `Key`) so a logged
/// `Login` action never shows the AMI password.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (n, v) in self.iter() {
            if n.eq_ignore_ascii_case("Secret") || n.eq_ignore_ascii_case("Key") {
                list.entry(&format_args!("{n}: <redacted>"));
            } else {
                list.entry(&format_args!("{n}: {v}"));
            }
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_duplicates_in_order_and_looks_up_case_insensitively() {
        let f = Frame::new()
            .with("Event", "VarSet")
            .with("Variable", "A=1")
            .with("variable", "B=2");
        assert_eq!(f.get("VARIABLE"), Some("A=1"));
        assert_eq!(
            f.get_all("Variable").collect::<Vec<_>>(),
            vec!["A=1", "B=2"]
        );
        assert_eq!(f.event(), Some("VarSet"));
        assert_eq!(f.require("Nope"), Err(MissingField("Nope".into())));
        assert_eq!(
            f.fields(),
            &[
                ("Event".to_owned(), "VarSet".to_owned()),
                ("Variable".to_owned(), "A=1".to_owned()),
                ("variable".to_owned(), "B=2".to_owned()),
            ]
        );
    }

    #[test]
    fn pushing_after_fields_was_called_refreshes_the_cached_view() {
        let mut f = Frame::new().with("A", "1");
        assert_eq!(f.fields().len(), 1);
        f.push("B", "2");
        assert_eq!(f.fields()[1], ("B".to_owned(), "2".to_owned()));
        assert_eq!(f, Frame::from_pairs([("A", "1"), ("B", "2")]));
    }

    #[test]
    fn a_frame_over_shared_text_compares_equal_to_one_built_by_pushing() {
        let text = "Event: X\r\nK: v".to_owned();
        let f = Frame::from_text_spans(text, vec![[0, 5, 7, 8], [10, 11, 13, 14]]);
        assert_eq!(f, Frame::new().with("Event", "X").with("K", "v"));
    }

    #[test]
    fn debug_redacts_the_secret() {
        let f = Frame::new().with("Action", "Login").with("Secret", "pw");
        assert_eq!(format!("{f:?}"), "[Action: Login, Secret: <redacted>]");
    }

    #[test]
    fn wire_form_ends_with_blank_line() {
        let f = Frame::new().with("Action", "Ping").with("ActionID", "1");
        assert_eq!(f.to_wire(), "Action: Ping\r\nActionID: 1\r\n\r\n");
    }
}
