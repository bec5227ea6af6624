//! `Login` (plain and MD5 challenge) and `Challenge`.

use super::{push_id, response, Session};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::config::SimConfig;
use md5::{Digest, Md5};

/// Outcome of a pre-login action.
#[derive(Debug)]
pub enum LoginOutcome {
    /// Logged in: write the response, then `FullyBooted`.
    Accepted(Frame),
    /// Write the frame, keep waiting for a login.
    Reply(Frame),
    /// Write the frame and close (bad credentials).
    Rejected(Frame),
}

/// Handles an action received before authentication.
pub fn before_login(
    cfg: &SimConfig,
    sess: &mut Session,
    f: &Frame,
    challenge_seed: u64,
) -> LoginOutcome {
    let action = f.get_or_empty("Action").to_ascii_lowercase();
    match action.as_str() {
        "login" => {
            let user_ok = f.get_or_empty("Username") == cfg.username;
            let pass_ok = if f.get_or_empty("AuthType").eq_ignore_ascii_case("md5") {
                match &sess.challenge {
                    Some(c) => {
                        let mut h = Md5::new();
                        h.update(c.as_bytes());
                        h.update(cfg.secret.as_bytes());
                        hex::encode(h.finalize()).eq_ignore_ascii_case(f.get_or_empty("Key"))
                    }
                    None => false,
                }
            } else {
                f.get_or_empty("Secret") == cfg.secret
            };
            if user_ok && pass_ok {
                sess.authed = true;
                let ev = f.get_or_empty("Events").to_ascii_lowercase();
                sess.events = !(ev == "off" || ev == "none" || ev == "0");
                LoginOutcome::Accepted(response(f, "Success", "Authentication accepted"))
            } else {
                LoginOutcome::Rejected(response(f, "Error", "Authentication failed"))
            }
        }
        "challenge" => {
            if !f.get_or_empty("AuthType").eq_ignore_ascii_case("md5") {
                return LoginOutcome::Reply(response(f, "Error", "Must specify AuthType"));
            }
            let c = format!("{:09}", challenge_seed % 1_000_000_000);
            sess.challenge = Some(c.clone());
            let mut r = Frame::new().with("Response", "Success");
            push_id(&mut r, f);
            r.push("Challenge", c);
            LoginOutcome::Reply(r)
        }
        "logoff" => LoginOutcome::Rejected(response(f, "Goodbye", "Thanks for all the fish.")),
        "" => LoginOutcome::Reply(response(f, "Error", "Missing action in request")),
        _ => LoginOutcome::Reply(response(f, "Error", "Authentication Required")),
    }
}

/// The `FullyBooted` event sent right after a successful login.
pub fn fully_booted(uptime: u64) -> Frame {
    Frame::new()
        .with("Event", "FullyBooted")
        .with("Privilege", "system,all")
        .with("Uptime", uptime.to_string())
        .with("LastReload", uptime.to_string())
        .with("Status", "Fully Booted")
}
