//! Identity normalisation (auth.md §3.2 steps 3–4, §3.3 token key, §4.3): who a login name
//! or an `Authorization` key stands for.

use crate::domain::directory::{Profiles, User, Users};

/// `name` with everything from the last `@` removed.
pub fn strip_domain(name: &str) -> &str {
    name.rfind('@').map_or(name, |i| &name[..i])
}

/// The caller identity for an `Authorization` key (§4.3): an extension maps to its owner,
/// otherwise `@domain` is stripped; always lower case. On the logout path the key is only
/// lower-cased.
pub fn authorization_user(key: &str, users: &Users, is_logout: bool) -> String {
    if is_logout {
        return key.to_lowercase();
    }
    if users.get(key).is_none() {
        if let Some(owner) = users.owner_of(key) {
            return owner.to_lowercase();
        }
    }
    strip_domain(key).to_lowercase()
}

/// Why a login name cannot log in (before credentials are checked).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginNameError {
    /// No such user, or the user has no (known) profile.
    #[error("user {0} is not configured")]
    NotConfigured(String),
}

/// What a login name resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginIdentity {
    /// The key the token is filed under: the extension for an extension login, else the
    /// name exactly as sent (case and `@domain` kept), §3.3.
    pub token_key: String,
    /// The name passed to the credential check: as sent, or the owner's username for an
    /// extension login (§2.1).
    pub check_name: String,
    /// The normalised (lower-case, no domain) username.
    pub username: String,
}

/// Resolves a login name (§3.2 steps 3–4). Unlike the original, the user lookup and the
/// profile check are both case-insensitive (quirk 4 fixed: `Alice` logs in like `alice`).
///
/// # Errors
/// [`LoginNameError::NotConfigured`] when no user matches or it has no existing profile.
pub fn resolve_login(
    name: &str,
    users: &Users,
    profiles: &Profiles,
) -> Result<LoginIdentity, LoginNameError> {
    let (check_name, token_key) = match (users.get(name), users.owner_of(name)) {
        (None, Some(owner)) => (owner.to_owned(), name.to_owned()),
        _ => (name.to_owned(), name.to_owned()),
    };
    let cl_user = strip_domain(&check_name).to_lowercase();
    let user: &User = users
        .get(&cl_user)
        .ok_or_else(|| LoginNameError::NotConfigured(cl_user.clone()))?;
    let has_profile = user
        .profile_id
        .as_deref()
        .is_some_and(|id| profiles.get(id).is_some());
    if !has_profile {
        return Err(LoginNameError::NotConfigured(cl_user));
    }
    Ok(LoginIdentity {
        token_key,
        check_name,
        username: user.username.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn dir() -> (Users, Profiles) {
        let users = Users::from_json(&json!({
            "alice": {"name": "Alice", "profile_id": "3", "endpoints": {
                "mainextension": {"201": {}}, "extension": {"91201": {"type": "physical"}}}},
            "noprof": {"name": "No", "endpoints": {"mainextension": {"209": {}}}},
            "ghost": {"name": "G", "profile_id": "99"}
        }))
        .expect("users");
        let profiles = Profiles::from_json(&json!({"3": {"id": "3", "name": "A"}})).expect("p");
        (users, profiles)
    }

    #[test]
    fn plain_domain_case_and_extension_logins() {
        let (u, p) = dir();
        let plain = resolve_login("alice", &u, &p).expect("ok");
        assert_eq!(plain.token_key, "alice");
        assert_eq!(plain.check_name, "alice");
        let dom = resolve_login("Alice@example.com", &u, &p).expect("ok");
        assert_eq!(dom.token_key, "Alice@example.com");
        assert_eq!(dom.check_name, "Alice@example.com");
        assert_eq!(dom.username, "alice");
        let ext = resolve_login("91201", &u, &p).expect("ok");
        assert_eq!(ext.token_key, "91201");
        assert_eq!(ext.check_name, "alice");
        assert_eq!(ext.username, "alice");
    }

    #[test]
    fn unknown_or_profileless_users_are_not_configured() {
        let (u, p) = dir();
        for (name, cl) in [
            ("bob", "bob"),
            ("noprof", "noprof"),
            ("ghost", "ghost"),
            ("209", "noprof"),
        ] {
            assert_eq!(
                resolve_login(name, &u, &p),
                Err(LoginNameError::NotConfigured(cl.into()))
            );
        }
    }

    #[test]
    fn authorization_user_normalises() {
        let (u, _) = dir();
        assert_eq!(authorization_user("91201", &u, false), "alice");
        assert_eq!(
            authorization_user("ALICE@x.y@example.com", &u, false),
            "alice@x.y"
        );
        assert_eq!(
            authorization_user("Alice@example.com", &u, true),
            "alice@example.com"
        );
        assert_eq!(authorization_user("Zed", &u, false), "zed");
    }

    #[test]
    fn strip_domain_uses_last_at() {
        assert_eq!(strip_domain("a@b@c"), "a@b");
        assert_eq!(strip_domain("abc"), "abc");
    }
}
