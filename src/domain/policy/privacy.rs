//! Privacy masking (domain.md §0, auth.md §12.6): which variant of live JSON a viewer gets
//! and how numbers and names are obfuscated.

use super::permissions::Permissions;

/// How much of the call data a viewer may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivacyLevel {
    /// Everything in clear.
    Clear,
    /// Numbers of calls not passing through a queue are obfuscated.
    OutsideQueues,
    /// Every number and name is obfuscated.
    All,
}

/// A privacy level with the mask string (`privacy_numbers`, default `xxx`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Privacy {
    /// The level.
    pub level: PrivacyLevel,
    /// The mask.
    pub mask: String,
}

impl Privacy {
    /// Everything in clear.
    pub fn clear(mask: &str) -> Self {
        Self {
            level: PrivacyLevel::Clear,
            mask: mask.to_owned(),
        }
    }
}

/// Replaces the last `len(mask)` characters of `num` with `mask` (`"0721405516"` →
/// `"0721405xxx"`); an empty number stays empty.
pub fn obfuscate_number(num: &str, mask: &str) -> String {
    if num.is_empty() {
        return String::new();
    }
    let keep = num.chars().count().saturating_sub(mask.chars().count());
    num.chars().take(keep).chain(mask.chars()).collect()
}

/// A name is replaced entirely by the mask; an empty name stays empty.
pub fn obfuscate_name(name: &str, mask: &str) -> String {
    if name.is_empty() {
        String::new()
    } else {
        mask.to_owned()
    }
}

/// The level for an extension's data: clear when the viewer owns it (`own_exempt`) or
/// has no privacy; with privacy, `admin_queues` viewers see queue calls in clear.
pub fn extension_level(perms: &Permissions<'_>, owned: bool, own_exempt: bool) -> PrivacyLevel {
    if (owned && own_exempt) || !perms.privacy_enabled() {
        PrivacyLevel::Clear
    } else if perms.admin_queues() {
        PrivacyLevel::OutsideQueues
    } else {
        PrivacyLevel::All
    }
}

/// The level for queue JSON: waiting callers masked under privacy without `admin_queues`.
pub fn queue_level(perms: &Permissions<'_>) -> PrivacyLevel {
    if perms.privacy_enabled() && !perms.admin_queues() {
        PrivacyLevel::All
    } else {
        PrivacyLevel::Clear
    }
}

/// The level for trunk and parking JSON: all masked under privacy.
pub fn plain_level(perms: &Permissions<'_>) -> PrivacyLevel {
    if perms.privacy_enabled() {
        PrivacyLevel::All
    } else {
        PrivacyLevel::Clear
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_numbers_and_names() {
        assert_eq!(obfuscate_number("0721405516", "xxx"), "0721405xxx");
        assert_eq!(obfuscate_number("12", "xxx"), "xxx");
        assert_eq!(obfuscate_number("", "xxx"), "");
        assert_eq!(obfuscate_name("ACME", "xxx"), "xxx");
        assert_eq!(obfuscate_name("", "xxx"), "");
    }

    #[test]
    fn levels_per_viewer() {
        let none = Permissions::from_profile(None);
        assert_eq!(extension_level(&none, false, true), PrivacyLevel::All);
        assert_eq!(extension_level(&none, true, true), PrivacyLevel::Clear);
        assert_eq!(extension_level(&none, true, false), PrivacyLevel::All);
        assert_eq!(queue_level(&none), PrivacyLevel::All);
        assert_eq!(plain_level(&none), PrivacyLevel::All);
    }
}
