//! A generated configuration set for `N` users in a temporary directory: the demo fixture
//! files, plus `users.json` (user `u00000`.. with main extension `10000`..; the first is
//! Admin, the others Operator), `passwords.json` and `asterisk.json` pointing at the
//! simulator.
//!
//! Every user has the password [`PASSWORD`]; `passwords.json` holds ONE argon2id hash of it,
//! reused for every user, made with the smallest argon2 parameters (m = 8 KiB, t = 1), so
//! 10,000 REST logins cost milliseconds, not minutes. The daemon verifies a PHC string with
//! the parameters it carries, so this is an ordinary valid password file.

use super::error::BenchError;
use crate::adapters::sim::flood::FIRST;
use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use serde_json::{json, Map, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The password of every generated user.
pub const PASSWORD: &str = "bench";

/// Fixture files copied unchanged.
const COPIED: &[&str] = &[
    "authentication.json",
    "profiles.json",
    "ast_objects.json",
    "nethcti.json",
    "services.json",
    "chat.json",
    "phone_urls.json",
    "streaming.json",
];

/// Username of generated user `i`.
pub fn username(i: usize) -> String {
    format!("u{i:05}")
}

/// Main extension of generated user `i`.
pub fn extension(i: usize) -> String {
    (FIRST as usize + i).to_string()
}

/// `users.json` for `n` users.
pub fn users_json(n: usize) -> Value {
    let mut users = Map::new();
    for i in 0..n {
        users.insert(
            username(i),
            json!({
                "name": format!("Bench User {i}"),
                "profile_id": if i == 0 { "1" } else { "2" },
                "endpoints": {
                    "mainextension": { extension(i): {} },
                    "email": { format!("{}@bench.example", username(i)): {} }
                }
            }),
        );
    }
    Value::Object(users)
}

/// One cheap argon2id PHC hash of [`PASSWORD`].
///
/// # Errors
/// [`BenchError::Config`] if hashing fails.
pub fn cheap_hash() -> Result<String, BenchError> {
    let params = Params::new(8, 1, 1, None).map_err(|e| BenchError::Config(e.to_string()))?;
    let salt = SaltString::encode_b64(b"nethcti-bench-salt")
        .map_err(|e| BenchError::Config(e.to_string()))?;
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(PASSWORD.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| BenchError::Config(e.to_string()))
}

fn write(dir: &Path, name: &str, v: &Value) -> Result<(), BenchError> {
    let path = dir.join(name);
    let text = serde_json::to_string_pretty(v).map_err(|e| BenchError::Config(e.to_string()))?;
    std::fs::write(&path, text)
        .map_err(|e| BenchError::io(format!("writing {}", path.display()), e))
}

/// Writes the set for `n` users into `dir`, AMI at `ami`; returns `dir`.
///
/// # Errors
/// [`BenchError`] when a file cannot be read or written.
pub fn generate(dir: &Path, n: usize, ami: SocketAddr) -> Result<PathBuf, BenchError> {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    std::fs::create_dir_all(dir).map_err(|e| BenchError::io("creating config dir", e))?;
    for f in COPIED {
        std::fs::copy(fixtures.join(f), dir.join(f))
            .map_err(|e| BenchError::io(format!("copying fixture {f}"), e))?;
    }
    write(dir, "users.json", &users_json(n))?;
    let hash = cheap_hash()?;
    let passwords: Map<String, Value> = (0..n).map(|i| (username(i), json!(hash))).collect();
    write(dir, "passwords.json", &Value::Object(passwords))?;
    write(
        dir,
        "asterisk.json",
        &json!({
            "user": "cti", "pass": "ctisecret",
            "host": ami.ip().to_string(), "port": ami.port().to_string(),
            "prefix": "", "auto_c2c": "automatic", "trunks_events": "enabled",
            "qm_alarms_notifications": false
        }),
    )?;
    Ok(dir.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_set_loads_with_every_user() {
        let tmp = tempfile::tempdir().expect("tmp");
        let addr: SocketAddr = "127.0.0.1:5999".parse().expect("addr");
        let dir = generate(tmp.path(), 3, addr).expect("generate");
        let config = crate::adapters::config::load(&dir).expect("loads");
        assert_eq!(config.users.len(), 3);
        assert_eq!(
            config.users.get("u00002").and_then(|u| u.main_extension()),
            Some("10002")
        );
        assert_eq!(config.asterisk.port, 5999);
    }
}
