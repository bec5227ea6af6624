//! Asterisk Manager Interface: framing, client actor, typed actions and events.
//!
//! - [`codec`]: bytes <-> [`frame::Frame`] (tokio-util `Decoder`/`Encoder`).
//! - [`action`]: typed actions, [`action::from_command`] for every `PbxCommand`.
//! - [`client`]: the connection task and its clonable handle; [`reply`]: answers.
//! - [`ami_pbx`]: the `Pbx` port over the client.
//! - [`transcript`]: reader for recorded AMI transcripts (tests, benches, simulators).

pub mod action;
pub mod ami_pbx;
pub mod backoff;
pub mod classify;
pub mod client;
pub mod codec;
pub mod error;
pub mod frame;
pub mod login;
pub mod reply;
pub mod settings;
pub mod snapshot;
pub mod transcript;
pub mod translate;
