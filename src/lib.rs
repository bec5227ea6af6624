//! nethcti-server: a CTI server for the Asterisk PBX.
//!
//! # Layout
//! - [`domain`]: the pure model (switchboard state machine, auth and permission policy).
//! - [`ports`]: the traits the core talks through (PBX, push, clock, credentials).
//! - [`adapters`]: AMI client, simulated PBX, HTTP (warp), socket.io push, config files, logging.
//! - [`app`]: the service that wires everything, the CLI, start-up and shutdown.
//! - [`bench`]: the load benchmark behind `nethcti-bench` (issue 8).

pub mod adapters;
pub mod app;
pub mod bench;
pub mod domain;
pub mod ports;
