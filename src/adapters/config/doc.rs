//! One parsed configuration file and typed field readers that turn a wrong value into a
//! [`ConfigError`] naming the file and the field.

use super::error::ConfigError;
use crate::domain::directory::lenient;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// A JSON document read from one file of the configuration directory.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Path of the file (directory joined with the file name).
    pub file: PathBuf,
    /// The parsed document (or, for a [`Doc::child`], the sub-value).
    pub value: Value,
    /// Field path of `value` inside the file (`""` for the whole file), prefixed to the
    /// field names of errors.
    pub prefix: String,
}

/// How a JSON value is named in error messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Doc {
    /// Reads and parses `dir/name`; a missing file is [`ConfigError::Missing`].
    ///
    /// # Errors
    /// [`ConfigError::Missing`], [`ConfigError::Unreadable`] or [`ConfigError::BadJson`].
    pub fn load(dir: &Path, name: &str) -> Result<Self, ConfigError> {
        let file = dir.join(name);
        Self::load_optional(dir, name)?.ok_or(ConfigError::Missing { file })
    }

    /// Reads and parses `dir/name`, `None` when the file does not exist.
    ///
    /// # Errors
    /// [`ConfigError::Unreadable`] or [`ConfigError::BadJson`].
    pub fn load_optional(dir: &Path, name: &str) -> Result<Option<Self>, ConfigError> {
        let file = dir.join(name);
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ConfigError::Unreadable {
                    file,
                    reason: e.to_string(),
                })
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(ConfigError::Unreadable {
                file,
                reason: "not valid UTF-8".into(),
            });
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        match serde_json::from_str(text) {
            Ok(value) => Ok(Some(Self::from_value(file, value))),
            Err(e) => Err(ConfigError::BadJson {
                file,
                reason: e.to_string(),
            }),
        }
    }

    /// A document built in memory (for defaults of optional files).
    pub fn from_value(file: PathBuf, value: Value) -> Self {
        Self {
            file,
            value,
            prefix: String::new(),
        }
    }

    /// The member `key` of the top-level object as a document of its own (keys may contain
    /// dots); errors about it are named `key.field`.
    pub fn child(&self, key: &str) -> Option<Self> {
        self.value.get(key).map(|v| Self {
            file: self.file.clone(),
            value: v.clone(),
            prefix: self.field_name(key),
        })
    }

    fn field_name(&self, field: &str) -> String {
        if self.prefix.is_empty() {
            field.to_owned()
        } else if field == "(top level)" {
            self.prefix.clone()
        } else {
            format!("{}.{field}", self.prefix)
        }
    }

    /// A [`ConfigError::BadValue`] about `field` of this document.
    pub fn bad(&self, field: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError::bad_value(&self.file, self.field_name(field), problem)
    }

    /// The value at a dotted path (`unauthe_call.status`); `None` when absent or null.
    pub fn get(&self, path: &str) -> Option<&Value> {
        path.split('.')
            .try_fold(&self.value, |v, k| v.get(k))
            .filter(|v| !v.is_null())
    }

    /// The top level as an object.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] on `(top level)` when it is not an object.
    pub fn top(&self) -> Result<&Map<String, Value>, ConfigError> {
        self.value.as_object().ok_or_else(|| {
            self.bad(
                "(top level)",
                format!("expected an object, found {}", kind(&self.value)),
            )
        })
    }

    /// An optional object field.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and not an object.
    pub fn object(&self, path: &str) -> Result<Option<&Map<String, Value>>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m)),
            Some(v) => Err(self.bad(path, format!("expected an object, found {}", kind(v)))),
        }
    }

    /// An optional field that must be a JSON string when present (no numbers accepted).
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and not a string.
    pub fn strict_string(&self, path: &str) -> Result<Option<String>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.bad(path, format!("expected a string, found {}", kind(v)))),
        }
    }

    /// An optional scalar read as a string (`"8179"` and `8179` both give `"8179"`).
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and an object or array.
    pub fn string(&self, path: &str) -> Result<Option<String>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => lenient::string(v)
                .map(Some)
                .ok_or_else(|| self.bad(path, format!("expected a string, found {}", kind(v)))),
        }
    }

    /// An optional boolean: `true`/`false`, `"true"`/`"false"`, `"enabled"`/`"disabled"`, 1/0.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and none of those.
    pub fn boolean(&self, path: &str) -> Result<Option<bool>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => lenient::boolean(v).map(Some).ok_or_else(|| {
                self.bad(path, format!("expected true or false, found {}", shown(v)))
            }),
        }
    }

    /// An optional non-negative integer, from a number or a numeric string.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and not a non-negative integer.
    pub fn unsigned(&self, path: &str) -> Result<Option<u64>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => lenient::unsigned(v).map(Some).ok_or_else(|| {
                self.bad(
                    path,
                    format!("expected a non-negative integer, found {}", shown(v)),
                )
            }),
        }
    }

    /// An optional TCP port (1–65535), from a number or a numeric string.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] when present and not a valid port.
    pub fn port(&self, path: &str) -> Result<Option<u16>, ConfigError> {
        match self.get(path) {
            None => Ok(None),
            Some(v) => lenient::unsigned(v)
                .and_then(|n| u16::try_from(n).ok())
                .filter(|p| *p != 0)
                .map(Some)
                .ok_or_else(|| {
                    self.bad(
                        path,
                        format!("expected a port number 1-65535, found {}", shown(v)),
                    )
                }),
        }
    }

    /// Turns an absent optional value into a "missing" error on `path`.
    ///
    /// # Errors
    /// [`ConfigError::BadValue`] `required field is missing` when `value` is `None`.
    pub fn required<T>(&self, path: &str, value: Option<T>) -> Result<T, ConfigError> {
        value.ok_or_else(|| self.bad(path, "required field is missing"))
    }
}

/// A value as shown in messages: scalars verbatim (strings quoted), containers by kind.
pub fn shown(v: &Value) -> String {
    match v {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => v.to_string(),
        other => kind(other).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(v: Value) -> Doc {
        Doc::from_value(PathBuf::from("x.json"), v)
    }

    #[test]
    fn reads_nested_fields_and_names_them_in_errors() {
        let d = doc(json!({"a": {"b": "8179", "c": 70000, "d": [1], "e": null}}));
        assert_eq!(d.port("a.b"), Ok(Some(8179)));
        assert_eq!(
            d.port("a.c").map_err(|e| e.to_string()),
            Err("x.json: field \"a.c\": expected a port number 1-65535, found 70000".into())
        );
        assert_eq!(
            d.string("a.d").map_err(|e| e.to_string()),
            Err("x.json: field \"a.d\": expected a string, found an array".into())
        );
        assert_eq!(d.string("a.e"), Ok(None));
        assert_eq!(d.string("a.zz"), Ok(None));
        assert_eq!(
            d.required("a.zz", None::<u8>).map_err(|e| e.to_string()),
            Err("x.json: field \"a.zz\": required field is missing".into())
        );
    }

    #[test]
    fn strict_strings_reject_numbers() {
        let d = doc(json!({"port": 5038}));
        assert_eq!(
            d.strict_string("port").map_err(|e| e.to_string()),
            Err("x.json: field \"port\": expected a string, found a number".into())
        );
    }
}
