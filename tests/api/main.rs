//! REST API integration tests: the HTTP adapter served on a random port, driven with a
//! real HTTP client.

mod cors;
mod fixture_config;
mod helpers;
mod login;
mod login_limits;
mod presence;
mod reads;
mod tokens;
