//! Simulated Asterisk 22 speaking AMI over TCP: endpoints, channels, bridges, queues,
//! parking, ConfBridge and AstDB, with call flows that emit the same events as the
//! recorded transcripts, a random traffic generator and a flood mode for benchmarks.

pub mod actions;
pub mod config;
pub mod flood;
pub mod flows;
pub mod model;
pub mod server;
pub mod traffic;
pub mod wire;

pub use config::{EndpointConf, FloodConf, QueueSimConf, SimConfig};
pub use server::{SimHandle, SimPbx};
