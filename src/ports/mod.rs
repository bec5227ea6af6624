//! Traits through which the core talks to the outside world.

pub mod clock;
pub mod credentials;
pub mod pbx;
pub mod phone_api;
