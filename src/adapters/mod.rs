//! Adapters: the outside world's protocols and files, behind the ports.

pub mod ami;
pub mod http;
pub mod phone_http;
