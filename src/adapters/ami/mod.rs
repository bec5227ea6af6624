//! Asterisk Manager Interface: framing, client actor, typed actions and events.

pub mod frame;
pub mod snapshot;
pub mod translate;
