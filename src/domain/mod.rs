//! The pure core: no tokio, no I/O, no clock reads.

pub mod auth;
pub mod change;
pub mod directory;
pub mod operations;
pub mod pbx_event;
pub mod policy;
pub mod switchboard;
