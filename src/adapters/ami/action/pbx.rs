//! One AMI action per [`PbxCommand`] (headers as in `operations.md` and the Asterisk docs).

use super::{Action, Expect};
use crate::ports::pbx::{AudioDirection, PbxCommand};
use std::time::Duration;

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn true_false(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

/// `MixMonitorMute` spells directions `read`/`write`/`both`.
fn mixmonitor_direction(d: AudioDirection) -> &'static str {
    match d {
        AudioDirection::In => "read",
        AudioDirection::Out => "write",
        AudioDirection::All => "both",
    }
}

/// The AMI action for a PBX command. `base_timeout` is the client's action timeout; an
/// originate that waits for `OriginateResponse` gets its ring timeout on top of it.
pub fn from_command(cmd: &PbxCommand, base_timeout: Duration) -> Action {
    use PbxCommand as C;
    match cmd {
        C::Originate {
            channel,
            context,
            exten,
            priority,
            caller_id,
            timeout_ms,
            variables,
            wait_answer,
        } => {
            let action = Action::new("Originate")
                .with("Channel", channel)
                .with("Context", context)
                .with("Exten", exten)
                .with("Priority", priority)
                .with_opt("CallerID", caller_id.as_deref())
                .with_opt("Timeout", timeout_ms.map(|t| t.to_string()))
                .with("Async", "true")
                .with_each("Variable", variables);
            if *wait_answer {
                let ring = Duration::from_millis(timeout_ms.unwrap_or(30_000));
                action
                    .expecting(Expect::OriginateResponse)
                    .with_timeout(base_timeout + ring)
            } else {
                action.expecting(Expect::ResponseThenOriginate)
            }
        }
        C::OriginateApp {
            channel,
            application,
            data,
            caller_id,
            timeout_ms,
            variables,
        } => Action::new("Originate")
            .with("Channel", channel)
            .with("Application", application)
            .with("Data", data)
            .with_opt("CallerID", caller_id.as_deref())
            .with_opt("Timeout", timeout_ms.map(|t| t.to_string()))
            .with("Async", "true")
            .with_each("Variable", variables)
            .expecting(Expect::ResponseThenOriginate),
        C::Hangup { channel, cause } => Action::new("Hangup")
            .with("Channel", channel)
            .with_opt("Cause", cause.map(|c| c.to_string())),
        C::Redirect {
            channel,
            extra_channel,
            context,
            exten,
            priority,
        } => Action::new("Redirect")
            .with("Channel", channel)
            .with_opt("ExtraChannel", extra_channel.as_deref())
            .with("Context", context)
            .with("Exten", exten)
            .with("Priority", priority),
        C::BlindTransfer {
            channel,
            context,
            exten,
        } => Action::new("BlindTransfer")
            .with("Channel", channel)
            .with("Context", context)
            .with("Exten", exten),
        C::Atxfer {
            channel,
            context,
            exten,
        } => Action::new("Atxfer")
            .with("Channel", channel)
            .with("Context", context)
            .with("Exten", exten),
        C::Park {
            channel,
            timeout_channel,
            parkinglot,
        } => Action::new("Park")
            .with("Channel", channel)
            .with("TimeoutChannel", timeout_channel)
            .with_opt("Parkinglot", parkinglot.as_deref()),
        C::QueueAdd {
            queue,
            interface,
            member_name,
            paused,
            penalty,
            state_interface,
        } => Action::new("QueueAdd")
            .with("Queue", queue)
            .with("Interface", interface)
            .with_opt("Penalty", penalty.map(|p| p.to_string()))
            .with("Paused", true_false(*paused))
            .with_opt("MemberName", member_name.as_deref())
            .with_opt("StateInterface", state_interface.as_deref()),
        C::QueueRemove { queue, interface } => Action::new("QueueRemove")
            .with("Queue", queue)
            .with("Interface", interface),
        C::QueuePause {
            queue,
            interface,
            paused,
            reason,
        } => Action::new("QueuePause")
            .with_opt("Queue", queue.as_deref())
            .with("Interface", interface)
            .with("Paused", true_false(*paused))
            .with_opt("Reason", reason.as_deref()),
        C::MixMonitor {
            channel,
            file,
            options,
        } => Action::new("MixMonitor")
            .with("Channel", channel)
            .with("File", file)
            .with_opt("Options", options.as_deref()),
        C::StopMixMonitor { channel } => Action::new("StopMixMonitor").with("Channel", channel),
        C::MixMonitorMute {
            channel,
            direction,
            state,
        } => Action::new("MixMonitorMute")
            .with("Channel", channel)
            .with("Direction", mixmonitor_direction(*direction))
            .with("State", if *state { "1" } else { "0" }),
        C::MuteAudio {
            channel,
            direction,
            state,
        } => Action::new("MuteAudio")
            .with("Channel", channel)
            .with("Direction", direction.as_ami())
            .with("State", on_off(*state)),
        C::PlayDtmf { channel, digit } => Action::new("PlayDTMF")
            .with("Channel", channel)
            .with("Digit", digit),
        C::Setvar {
            channel,
            variable,
            value,
        } => Action::new("Setvar")
            .with_opt("Channel", channel.as_deref())
            .with("Variable", variable)
            .with("Value", value),
        C::DbPut { family, key, value } => Action::new("DBPut")
            .with("Family", family)
            .with("Key", key)
            .with("Val", value),
        C::DbGet { family, key } => Action::new("DBGet").with("Family", family).with("Key", key),
        C::DbDel { family, key } => Action::new("DBDel").with("Family", family).with("Key", key),
        C::PjsipNotify {
            endpoint,
            variables,
        } => Action::new("PJSIPNotify")
            .with("Endpoint", endpoint)
            .with_each("Variable", variables),
        C::ConfbridgeKick {
            conference,
            channel,
        } => Action::new("ConfbridgeKick")
            .with("Conference", conference)
            .with("Channel", channel),
        C::ConfbridgeMute {
            conference,
            channel,
            muted,
        } => Action::new(if *muted {
            "ConfbridgeMute"
        } else {
            "ConfbridgeUnmute"
        })
        .with("Conference", conference)
        .with("Channel", channel),
        C::Command { command } => Action::new("Command").with("Command", command),
        C::Ping => Action::ping(),
    }
}
