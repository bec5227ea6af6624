//! `ActionID` allocation: `<prefix><n>`, unique for the client's lifetime.

/// Hands out ActionIDs and recognises ours.
#[derive(Debug)]
pub(crate) struct ActionIds {
    prefix: String,
    next: u64,
}

impl ActionIds {
    /// Ids `<prefix>1`, `<prefix>2`, …
    pub fn new(prefix: impl Into<String>) -> Self {
        Self {
            prefix: prefix.into(),
            next: 1,
        }
    }

    /// The next id.
    pub fn allocate(&mut self) -> String {
        let id = format!("{}{}", self.prefix, self.next);
        self.next += 1;
        id
    }

    /// True when `id` was (or could have been) allocated here.
    pub fn is_ours(&self, id: &str) -> bool {
        id.strip_prefix(self.prefix.as_str())
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }
}

/// A copy of `frame` with `ActionID: id` right after its first field (`Action`).
pub(crate) fn with_action_id(
    frame: &crate::adapters::ami::frame::Frame,
    id: &str,
) -> crate::adapters::ami::frame::Frame {
    let fields = frame.fields();
    let mut out = crate::adapters::ami::frame::Frame::with_capacity(fields.len() + 1);
    for (i, (n, v)) in fields.iter().enumerate() {
        out.push(n.as_str(), v.as_str());
        if i == 0 {
            out.push("ActionID", id);
        }
    }
    if fields.is_empty() {
        out.push("ActionID", id);
    }
    out
}
