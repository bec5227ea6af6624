//! Why a configuration set could not be loaded: one variant per failure, each rendered as
//! ONE line that names the file (and the field when there is one).

use std::path::{Path, PathBuf};

/// A configuration file is missing, unreadable or holds a bad value.
///
/// `Display` is a single line meant for stderr at start-up, e.g.
/// `fixtures/config/asterisk.json: field "port": expected a string, found a number`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The configuration directory itself does not exist or is not a directory.
    #[error("{dir}: configuration directory not found")]
    NoDirectory {
        /// The directory given.
        dir: PathBuf,
    },
    /// A required file does not exist.
    #[error("{file}: required file is missing")]
    Missing {
        /// The file's path.
        file: PathBuf,
    },
    /// The file exists but cannot be read (permissions, not UTF-8, a directory...).
    #[error("{file}: cannot read file: {reason}")]
    Unreadable {
        /// The file's path.
        file: PathBuf,
        /// The I/O error text.
        reason: String,
    },
    /// The file is not valid JSON.
    #[error("{file}: invalid JSON: {reason}")]
    BadJson {
        /// The file's path.
        file: PathBuf,
        /// The parser's message (with line and column).
        reason: String,
    },
    /// A field is missing, has the wrong type or an unusable value.
    #[error("{file}: field \"{field}\": {problem}")]
    BadValue {
        /// The file's path.
        file: PathBuf,
        /// Dotted path of the field inside the file (`unauthe_call.status`); `(top level)`
        /// for the document itself.
        field: String,
        /// What is wrong, e.g. `expected a string, found a number`.
        problem: String,
    },
}

impl ConfigError {
    /// A [`ConfigError::BadValue`] for `field` of `file`.
    pub fn bad_value(file: &Path, field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self::BadValue {
            file: file.to_path_buf(),
            field: field.into(),
            problem: problem.into(),
        }
    }

    /// The file the error is about.
    pub fn file(&self) -> &Path {
        match self {
            Self::NoDirectory { dir } => dir,
            Self::Missing { file }
            | Self::Unreadable { file, .. }
            | Self::BadJson { file, .. }
            | Self::BadValue { file, .. } => file,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_line_with_file_and_field() {
        let e = ConfigError::bad_value(Path::new("/etc/nethcti/asterisk.json"), "port", "bad");
        assert_eq!(
            e.to_string(),
            "/etc/nethcti/asterisk.json: field \"port\": bad"
        );
        assert_eq!(e.file(), Path::new("/etc/nethcti/asterisk.json"));
    }
}
