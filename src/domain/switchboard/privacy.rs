//! Privacy masking of numbers and names (domain.md §0, §10).

/// Which privacy variant a recipient gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivacyView {
    /// Nothing masked.
    Clear,
    /// Only calls not through a queue masked (`toJSON(P)`).
    NonQueue,
    /// Every call masked (`toJSON(P, P)`).
    All,
}

impl PrivacyView {
    /// Privacy string to use for a call (`through_queue` tells which), `None` = clear.
    pub fn for_call(self, p: &str, through_queue: bool) -> Option<&str> {
        match self {
            PrivacyView::Clear => None,
            PrivacyView::NonQueue if through_queue => None,
            _ => Some(p),
        }
    }

    /// Privacy string for non-call data (forward targets), `None` = clear.
    pub fn for_other(self, p: &str) -> Option<&str> {
        match self {
            PrivacyView::Clear => None,
            _ => Some(p),
        }
    }
}

/// A number keeps all but its last `len(p)` characters, then `p` is appended.
pub fn mask_num(num: &str, p: Option<&str>) -> String {
    match p {
        None => num.to_owned(),
        Some(p) => {
            let n = num.chars().count();
            let keep = n.saturating_sub(p.chars().count());
            let mut s: String = num.chars().take(keep).collect();
            s.push_str(p);
            s
        }
    }
}

/// A name is replaced entirely by `p`.
pub fn mask_name(name: &str, p: Option<&str>) -> String {
    match p {
        None => name.to_owned(),
        Some(p) => p.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_original() {
        assert_eq!(mask_num("0721405516", Some("xxx")), "0721405xxx");
        assert_eq!(mask_num("20", Some("xxx")), "xxx");
        assert_eq!(mask_num("201", None), "201");
        assert_eq!(mask_name("Alice", Some("xxx")), "xxx");
        assert_eq!(PrivacyView::NonQueue.for_call("xxx", true), None);
        assert_eq!(PrivacyView::NonQueue.for_call("xxx", false), Some("xxx"));
        assert_eq!(PrivacyView::All.for_call("xxx", true), Some("xxx"));
    }
}
