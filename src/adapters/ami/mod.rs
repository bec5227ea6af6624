//! Asterisk Manager Interface: framing, client actor, typed actions and events.

pub mod codec;
pub mod frame;
pub mod transcript;
