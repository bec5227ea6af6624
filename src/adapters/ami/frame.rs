//! One AMI message: an ordered list of `Name: value` fields, duplicates kept.
//!
//! AMI repeats some header names (`Variable:`, `ChanVariable:`), so a map would lose data;
//! the frame keeps the fields in arrival order. Look-ups compare names ASCII
//! case-insensitively, as Asterisk does for action and header names.

use std::fmt;

/// A decoded AMI message (action, response or event).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Frame {
    fields: Vec<(String, String)>,
}

/// A field that a typed message needs is absent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("AMI message has no `{0}` field")]
pub struct MissingField(pub String);

impl Frame {
    /// An empty frame.
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty frame with room for `n` fields.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            fields: Vec::with_capacity(n),
        }
    }

    /// A frame from `(name, value)` pairs, in order.
    pub fn from_pairs<N: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (N, V)>,
    ) -> Self {
        Self {
            fields: pairs
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        }
    }

    /// Appends a field (duplicates allowed).
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.fields.push((name.into(), value.into()));
    }

    /// Builder form of [`Frame::push`].
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(name, value);
        self
    }

    /// The first value of `name` (case-insensitive), if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
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
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// All fields in arrival order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the frame has no field.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
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
        let mut out = String::with_capacity(self.fields.len() * 24 + 2);
        for (n, v) in &self.fields {
            out.push_str(n);
            out.push_str(": ");
            out.push_str(v);
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
        out
    }
}

/// `Debug` hides the values of secret-bearing fields (`Secret`, `Key`) so a logged
/// `Login` action never shows the AMI password.
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (n, v) in &self.fields {
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
