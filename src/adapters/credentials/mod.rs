//! Credential checkers (file of argon2 hashes, PAM) and the persistent-token state file.

pub mod argon2_check;
pub mod file;
pub mod pam;
pub mod token_file;
pub mod verify_pool;

pub use file::FileCredentials;
pub use pam::PamCredentials;
pub use token_file::TokenFile;
