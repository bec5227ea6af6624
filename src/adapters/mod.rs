//! Adapters: the outside world's protocols and files, behind the ports.

pub mod ami;
pub mod credentials;
pub mod fake_pbx;
pub mod http;
