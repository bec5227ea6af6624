//! `operator.json`: operator panel groups of users.

use super::doc::{kind, Doc};
use super::error::ConfigError;
use serde_json::Value;

/// Named groups of usernames, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperatorGroups {
    /// `(group name, lower-case usernames)`.
    pub groups: Vec<(String, Vec<String>)>,
}

impl OperatorGroups {
    /// The members of a group.
    pub fn members(&self, group: &str) -> Option<&[String]> {
        self.groups
            .iter()
            .find(|(g, _)| g == group)
            .map(|(_, m)| m.as_slice())
    }

    /// Reads the document; members are an array of names or a comma-separated string.
    /// An empty document (the shipped default `{}`) has no groups.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] naming a group whose members are neither.
    pub fn from_doc(doc: &Doc) -> Result<Self, ConfigError> {
        doc.top()?;
        let mut groups = Vec::new();
        for (name, members) in doc.object("groups")?.into_iter().flatten() {
            let field = format!("groups.{name}");
            let list: Vec<String> = match members {
                Value::String(s) => s.split(',').map(str::to_owned).collect(),
                Value::Array(a) => a
                    .iter()
                    .map(|v| {
                        v.as_str().map(str::to_owned).ok_or_else(|| {
                            doc.bad(&field, format!("expected usernames, found {}", kind(v)))
                        })
                    })
                    .collect::<Result<_, _>>()?,
                other => {
                    return Err(doc.bad(
                        &field,
                        format!("expected an array or a string, found {}", kind(other)),
                    ))
                }
            };
            let list = list
                .into_iter()
                .map(|u| u.trim().to_lowercase())
                .filter(|u| !u.is_empty())
                .collect();
            groups.push((name.clone(), list));
        }
        Ok(Self { groups })
    }
}
