//! Adapters: the outside world's protocols and files, behind the ports.

pub mod ami;
pub mod clip;
pub mod config;
pub mod credentials;
pub mod fake_pbx;
pub mod http;
pub mod logging;
pub mod phone_http;
pub mod push;
pub mod sim;
