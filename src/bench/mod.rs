//! The load benchmark of issue 8 (`nethcti-bench`): the daemon as a child process against
//! the simulated PBX in flood mode, socket.io clients logged in as generated users, and the
//! figures the issue asks for (ingest, fan-out, REST, start-up, memory).
//!
//! Process layout: the bench process runs the simulator and the clients (they share the
//! wall clock the flood stamps into caller names); the daemon is a child process (the bench
//! binary re-executed as `nethcti-bench daemon ...`, i.e. [`crate::app::main_with_args`]), so
//! its RSS is measured alone. Everything listens on and connects to 127.0.0.1 only.

pub mod confgen;
pub mod daemon;
pub mod error;
pub mod limits;
pub mod recorder;
pub mod rest;
pub mod scenario;
pub mod sim;
pub mod sio;
pub mod stats;
pub mod wrap;

pub use error::BenchError;
