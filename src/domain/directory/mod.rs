//! Static inputs read from the config files (users, profiles, PBX objects), as typed,
//! validated domain values. Parsing is pure (`serde_json::Value` in, values out); reading
//! the files is the config adapter's job.

pub mod ast_objects;
pub mod lenient;
pub mod profiles;
pub mod users;

pub use ast_objects::{AstObjects, QueueConf, TrunkConf};
pub use profiles::{MacroPermission, Permission, Profile, Profiles};
pub use users::{Device, DeviceType, User, Users};
