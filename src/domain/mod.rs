//! The pure core: no tokio, no I/O, no clock reads.

pub mod directory;
pub mod operations;
