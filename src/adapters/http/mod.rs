//! The REST adapter (warp 0.4).

pub mod operations;
