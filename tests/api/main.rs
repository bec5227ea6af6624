//! REST API integration tests: the HTTP adapter served on a random port, driven with a
//! real HTTP client.

mod cors;
mod fixture_config;
mod gzip;
mod helpers;
#[path = "../support/log_capture.rs"]
mod log_capture;
mod login;
mod login_limits;
mod presence;
mod reads;
mod tokens;
