//! Authorization policy: permission predicates, privacy masking, presence, and the user
//! JSON the REST reads return. Pure functions over the directory types.

pub mod permissions;
pub mod presence;
pub mod privacy;
pub mod user_json;

pub use permissions::{owns_extension, Permissions};
pub use presence::{Forwarding, PresenceKind, PresenceValue};
pub use privacy::{Privacy, PrivacyLevel};
