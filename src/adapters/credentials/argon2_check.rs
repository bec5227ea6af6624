//! One argon2 PHC verification into caller-owned memory blocks, so a long-lived verifier
//! thread reuses one buffer (grown to the largest memory cost seen) instead of asking the
//! allocator for 19 MiB per check: with glibc that memory otherwise lands in whichever
//! malloc arena the thread happens to use and stays there.

use argon2::password_hash::{Output, PasswordHash};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// True when `password` matches the PHC string `hash`; false for a wrong password and for
/// a hash that is not a valid argon2 PHC string. `memory` is grown as needed and reused.
pub fn verify_with(memory: &mut Vec<Block>, hash: &str, password: &str) -> bool {
    let Ok(phc) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (phc.salt, phc.hash) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(phc.algorithm) else {
        return false;
    };
    let version = match phc.version.map(Version::try_from).transpose() {
        Ok(v) => v.unwrap_or_default(),
        Err(_) => return false,
    };
    let Ok(params) = Params::try_from(&phc) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let argon = Argon2::new(algorithm, version, params);
    let mut out = [0u8; Output::MAX_LENGTH];
    let Some(out) = out.get_mut(..expected.len()) else {
        return false;
    };
    let Some(mem) = memory.get_mut(..blocks) else {
        return false;
    };
    if argon
        .hash_password_into_with_memory(password.as_bytes(), salt, out, mem)
        .is_err()
    {
        return false;
    }
    // `Output`'s equality is constant-time.
    Output::new(out).is_ok_and(|computed| computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString};

    fn hash_with(params: Params, password: &str) -> String {
        let salt = SaltString::encode_b64(b"fixed-test-salt!").expect("salt");
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .expect("hash")
            .to_string()
    }

    #[test]
    fn agrees_with_the_crate_verifier_and_reuses_the_buffer() {
        let mut memory = Vec::new();
        let small = hash_with(Params::new(64, 1, 1, None).expect("params"), "pw");
        let bigger = hash_with(Params::new(256, 2, 1, Some(16)).expect("params"), "pw");
        for h in [&small, &bigger, &small] {
            let phc = PasswordHash::new(h).expect("phc");
            assert!(Argon2::default().verify_password(b"pw", &phc).is_ok());
            assert!(verify_with(&mut memory, h, "pw"));
            assert!(!verify_with(&mut memory, h, "pW"));
        }
        assert_eq!(memory.len(), 256, "grown to the largest cost, then reused");
    }

    #[test]
    fn malformed_hashes_are_a_mismatch() {
        let mut memory = Vec::new();
        for h in [
            "",
            "plain",
            "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ",
            "$md5$x$y",
        ] {
            assert!(!verify_with(&mut memory, h, "pw"), "{h}");
        }
    }
}
