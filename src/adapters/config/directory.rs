//! `users.json`, `profiles.json`, `ast_objects.json` through the domain parsers
//! ([`crate::domain::directory`]), with their errors re-worded as [`ConfigError`]s.

use super::doc::Doc;
use super::error::ConfigError;
use crate::domain::directory::ast_objects::AstObjectsError;
use crate::domain::directory::profiles::ProfilesError;
use crate::domain::directory::users::UsersError;
use crate::domain::directory::{AstObjects, Profiles, Users};

const TOP: &str = "(top level)";

/// Parses `users.json`.
///
/// # Errors
/// [`ConfigError::BadValue`] naming the bad user.
pub fn users(doc: &Doc) -> Result<Users, ConfigError> {
    Users::from_json(&doc.value).map_err(|e| match e {
        UsersError::NotAnObject => doc.bad(TOP, "expected an object of users"),
        UsersError::BadUser(u) => doc.bad(&u, "expected an object"),
    })
}

/// Parses `profiles.json`.
///
/// # Errors
/// [`ConfigError::BadValue`] naming the bad profile.
pub fn profiles(doc: &Doc) -> Result<Profiles, ConfigError> {
    Profiles::from_json(&doc.value).map_err(|e| match e {
        ProfilesError::NotAnObject => doc.bad(TOP, "expected an object of profiles"),
        ProfilesError::BadProfile(p) => doc.bad(&p, "expected an object"),
    })
}

/// Parses `ast_objects.json`.
///
/// # Errors
/// [`ConfigError::BadValue`] naming the missing section.
pub fn ast_objects(doc: &Doc) -> Result<AstObjects, ConfigError> {
    doc.top()?;
    AstObjects::from_json(&doc.value).map_err(|e| match e {
        AstObjectsError::MissingSection(s) => match doc.get(s) {
            None => doc.bad(s, "required field is missing"),
            Some(v) => doc.bad(
                s,
                format!("expected an object, found {}", super::doc::kind(v)),
            ),
        },
    })
}
