//! The persistent-token state file: `<state-dir>/persistent_tokens.json`, holding only
//! SHA-256 hashes (`{"version":1,"tokens":{"<key>":"<base64 sha256>"}}`). Written
//! atomically: temp file, fsync, rename, fsync of the directory, so a crash leaves either
//! the old or the new file, never a torn one.

use crate::domain::auth::TokenHash;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// File name inside the state directory.
pub const FILE_NAME: &str = "persistent_tokens.json";

/// Why the token file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum TokenFileError {
    /// I/O failure.
    #[error("{path}: {source}")]
    Io {
        /// File path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The file is not in the expected format.
    #[error("{0}: not a persistent token file")]
    Format(String),
}

/// The token file of a state directory.
#[derive(Debug, Clone)]
pub struct TokenFile {
    path: PathBuf,
}

impl TokenFile {
    /// The file inside `state_dir`.
    pub fn in_dir(state_dir: &Path) -> Self {
        Self {
            path: state_dir.join(FILE_NAME),
        }
    }

    /// The file path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, source: std::io::Error) -> TokenFileError {
        TokenFileError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Reads the hashes; a missing file is an empty set.
    ///
    /// # Errors
    /// [`TokenFileError`] when the file exists but cannot be read or parsed.
    pub fn load(&self) -> Result<BTreeMap<String, TokenHash>, TokenFileError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
            Err(e) => return Err(self.io(e)),
        };
        let bad = || TokenFileError::Format(self.path.display().to_string());
        let doc: Value = serde_json::from_str(&text).map_err(|_| bad())?;
        let tokens = doc
            .get("tokens")
            .and_then(Value::as_object)
            .ok_or_else(bad)?;
        tokens
            .iter()
            .map(|(k, v)| {
                let h = v
                    .as_str()
                    .and_then(TokenHash::from_base64)
                    .ok_or_else(bad)?;
                Ok((k.clone(), h))
            })
            .collect()
    }

    /// Replaces the file with `hashes`, atomically and durably.
    ///
    /// # Errors
    /// [`TokenFileError::Io`] when any step fails (the old file is then intact).
    pub fn save(&self, hashes: &BTreeMap<String, TokenHash>) -> Result<(), TokenFileError> {
        let tokens: Map<String, Value> = hashes
            .iter()
            .map(|(k, h)| (k.clone(), Value::String(h.to_base64())))
            .collect();
        let body = json!({"version": 1, "tokens": tokens}).to_string();
        let dir = self.path.parent().unwrap_or_else(|| Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| self.io(e))?;
        let tmp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut opts = std::fs::OpenOptions::new();
            opts.write(true).create(true).truncate(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::OpenOptionsExt as _;
                opts.mode(0o600);
            }
            let mut f = opts.open(&tmp)?;
            f.write_all(body.as_bytes())?;
            f.sync_all()?;
            drop(f);
            std::fs::rename(&tmp, &self.path)?;
            if let Ok(d) = std::fs::File::open(dir) {
                d.sync_all()?;
            }
            Ok(())
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(|e| self.io(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_holds_only_hashes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let f = TokenFile::in_dir(dir.path());
        assert!(f.load().expect("missing = empty").is_empty());
        let mut m = BTreeMap::new();
        m.insert("alice".to_owned(), TokenHash::of("secret-token"));
        f.save(&m).expect("save");
        let text = std::fs::read_to_string(f.path()).expect("read");
        assert!(!text.contains("secret-token"));
        let back = f.load().expect("load");
        assert!(back["alice"].ct_eq(&TokenHash::of("secret-token")));
        std::fs::write(f.path(), "{garbage").expect("write");
        assert!(matches!(f.load(), Err(TokenFileError::Format(_))));
    }
}
