//! The privacy of each extension in the `GET /astproxy/extensions` list: one level for
//! all, except the viewer's own extensions, which are in clear (auth.md §12.6). It is also
//! what a cached list body is keyed by: viewers with equal values get the same bytes.

use crate::domain::policy::{Privacy, PrivacyLevel};

/// A list's privacy: `privacy` for every extension but those in `clear`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPrivacy {
    privacy: Privacy,
    /// Sorted, no duplicates; empty when `privacy` is clear anyway.
    clear: Vec<String>,
}

impl ListPrivacy {
    /// `privacy` for all extensions but `own`, shown in clear.
    pub fn new(privacy: Privacy, own: impl IntoIterator<Item = String>) -> Self {
        let mut clear: Vec<String> = if privacy.level == PrivacyLevel::Clear {
            Vec::new()
        } else {
            own.into_iter().collect()
        };
        clear.sort_unstable();
        clear.dedup();
        Self { privacy, clear }
    }

    /// The level of extension `e`.
    pub fn level_of(&self, e: &str) -> PrivacyLevel {
        if self.clear.binary_search_by(|c| c.as_str().cmp(e)).is_ok() {
            PrivacyLevel::Clear
        } else {
            self.privacy.level
        }
    }

    /// The privacy of extension `e` (its level with the mask).
    pub fn privacy_of(&self, e: &str) -> Privacy {
        Privacy {
            level: self.level_of(e),
            mask: self.privacy.mask.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn privacy(level: PrivacyLevel) -> Privacy {
        Privacy {
            level,
            mask: "xxx".into(),
        }
    }

    #[test]
    fn own_extensions_are_clear_and_equal_viewers_compare_equal() {
        let own = || ["202".to_owned(), "92202".to_owned(), "202".to_owned()];
        let l = ListPrivacy::new(privacy(PrivacyLevel::All), own());
        assert_eq!(l.level_of("202"), PrivacyLevel::Clear);
        assert_eq!(l.level_of("92202"), PrivacyLevel::Clear);
        assert_eq!(l.level_of("201"), PrivacyLevel::All);
        assert_eq!(l.privacy_of("201"), privacy(PrivacyLevel::All));
        let reordered = ListPrivacy::new(
            privacy(PrivacyLevel::All),
            ["92202".to_owned(), "202".to_owned()],
        );
        assert_eq!(l, reordered);
        let clear = ListPrivacy::new(privacy(PrivacyLevel::Clear), own());
        assert_eq!(clear, ListPrivacy::new(privacy(PrivacyLevel::Clear), []));
        assert_eq!(clear.level_of("201"), PrivacyLevel::Clear);
    }
}
