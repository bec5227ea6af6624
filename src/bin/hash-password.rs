//! `hash-password`: prints the argon2id PHC hash of a password, for `passwords.json`
//! (authentication.json `type: "file"`).
//!
//! Usage: `hash-password PASSWORD` or `echo PASSWORD | hash-password` (one password a line,
//! one hash a line). The salt is random, so two runs give different hashes of the same
//! password; both verify.

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::Argon2;
use rand::RngCore;
use std::io::BufRead;

/// Hashes one password with argon2id (default parameters) and a fresh 16-byte salt.
fn hash(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let passwords: Vec<String> = if args.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect()
    } else {
        args
    };
    for p in passwords {
        match hash(&p) {
            Ok(h) => println!("{h}"),
            Err(e) => {
                eprintln!("hash-password: {e}");
                std::process::exit(1);
            }
        }
    }
}
