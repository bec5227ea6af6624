//! Operation actions: Originate, Hangup, Redirect, transfers, Park, MixMonitor,
//! PJSIPNotify, ConfBridge control, PlayDTMF, Setvar/Getvar, MuteAudio, Command.

use super::{err, ok, push_id, Reply};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::flows::{
    conference, hangup, originate as orig, park as parking, transfer,
};
use crate::adapters::sim::model::{OriginateTarget, PendingOriginate, SimState};
use tokio::sync::oneshot;

fn truthy(s: &str) -> bool {
    matches!(s.to_ascii_lowercase().as_str(), "true" | "yes" | "1" | "on")
}

fn channel(st: &SimState, f: &Frame) -> Result<String, Reply> {
    let name = f.get_or_empty("Channel");
    if name.is_empty() {
        return Err(err(f, "No channel specified"));
    }
    st.find_chan(name).ok_or_else(|| err(f, "No such channel"))
}

/// `Originate` (sync or `Async`, to an extension or an application).
pub fn originate(st: &mut SimState, f: &Frame) -> Reply {
    let spec = f.get_or_empty("Channel").to_owned();
    if spec.is_empty() {
        return err(f, "Channel not specified");
    }
    let target = match f.get("Application").filter(|a| !a.is_empty()) {
        Some(app) => OriginateTarget::App {
            app: app.to_owned(),
            data: f.get_or_empty("Data").to_owned(),
        },
        None => {
            let exten = f.get_or_empty("Exten");
            if exten.is_empty() {
                return err(f, "Exten not specified");
            }
            OriginateTarget::Exten {
                context: f.get("Context").unwrap_or("internal").to_owned(),
                exten: exten.to_owned(),
            }
        }
    };
    let is_async = truthy(f.get_or_empty("Async"));
    let callerid = orig::parse_callerid(f.get_or_empty("CallerID"));
    let (tx, rx) = oneshot::channel();
    let pending = PendingOriginate {
        waiter: if is_async { None } else { Some(tx) },
        callerid: callerid.clone(),
        action_id: f.action_id().map(str::to_owned),
        is_async,
        target: target.clone(),
    };
    match orig::originate(st, &spec, pending) {
        Ok(_) if is_async => ok(f, "Originate successfully queued"),
        Ok(_) => Reply::Wait {
            rx,
            action_id: f.action_id().map(str::to_owned),
        },
        Err(_) if is_async => {
            let (ctx, exten) = match &target {
                OriginateTarget::Exten { context, exten } => (context.clone(), exten.clone()),
                OriginateTarget::App { .. } => (String::new(), String::new()),
            };
            let mut ev = st.event("OriginateResponse", "call,all");
            push_id(&mut ev, f);
            let unk = |s: &str| {
                if s.is_empty() {
                    "<unknown>".to_owned()
                } else {
                    s.to_owned()
                }
            };
            for (k, v) in [
                ("Response", "Failure".to_owned()),
                ("Channel", spec.clone()),
                ("Context", ctx),
                ("Exten", exten),
                ("Reason", "0".into()),
                ("Uniqueid", "<null>".into()),
                ("CallerIDNum", unk(&callerid.0)),
                ("CallerIDName", unk(&callerid.1)),
            ] {
                ev.push(k, v);
            }
            st.out.push(ev);
            ok(f, "Originate successfully queued")
        }
        Err(_) => err(f, "Originate failed"),
    }
}

/// `Hangup`.
pub fn hangup(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    match hangup::hangup(st, &ch, hangup::By::Ami) {
        Ok(()) => ok(f, "Channel Hungup"),
        Err(_) => err(f, "No such channel"),
    }
}

/// `Redirect` (with `ExtraChannel`).
pub fn redirect(st: &mut SimState, f: &Frame) -> Reply {
    let name = f.get_or_empty("Channel");
    if name.is_empty() {
        return err(f, "Channel not specified");
    }
    let Some(ch) = st.find_chan(name) else {
        return err(f, &format!("Channel does not exist: {name}"));
    };
    let exten = f.get_or_empty("Exten").to_owned();
    let context = f.get("Context").unwrap_or("internal").to_owned();
    let extra_name = f.get_or_empty("ExtraChannel");
    let extra = if extra_name.is_empty() {
        None
    } else {
        match st.find_chan(extra_name) {
            Some(e) => Some(e),
            None => return err(f, &format!("ExtraChannel does not exist: {extra_name}")),
        }
    };
    let extra_exten = f.get("ExtraExten").unwrap_or(&exten).to_owned();
    let pair = extra.as_deref().map(|e| (e, extra_exten.as_str()));
    match transfer::redirect(st, &ch, pair, &context, &exten) {
        Ok(()) if extra.is_some() => ok(f, "Dual Redirect successful"),
        Ok(()) => ok(f, "Redirect successful"),
        Err(_) => err(f, "Redirect failed"),
    }
}

/// `BlindTransfer`.
pub fn blind_transfer(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let exten = f.get_or_empty("Exten").to_owned();
    if exten.is_empty() {
        return err(f, "No extension specified");
    }
    let context = f.get("Context").unwrap_or("internal").to_owned();
    match transfer::blind(st, &ch, &context, &exten) {
        Ok(()) => ok(f, "Transfer succeeded"),
        Err(_) => err(f, "Transfer failed"),
    }
}

/// `Atxfer`.
pub fn atxfer(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    // the original (and our domain) sends `<to>#`: Asterisk <= 11 fed Exten as DTMF to the
    // atxfer feature, where `#` ends the number; the simulator dials `<to>`
    let exten = f.get_or_empty("Exten").trim_end_matches('#').to_owned();
    if exten.is_empty() {
        return err(f, "No extension specified");
    }
    let context = f.get("Context").unwrap_or("internal").to_owned();
    match transfer::atxfer(st, &ch, &context, &exten) {
        Ok(()) => ok(f, "Atxfer successfully queued"),
        Err(_) => err(f, "Atxfer failed"),
    }
}

/// `Park`.
pub fn park(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let timeout_ch = f.get("TimeoutChannel").map(str::to_owned);
    match parking::park(st, &ch, timeout_ch.as_deref()) {
        Ok(_) => ok(f, "Park successful"),
        Err(e) => err(f, &e.to_string()),
    }
}

/// `MixMonitor`.
pub fn mixmonitor(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if let Some(c) = st.chan_mut(&ch) {
        c.recording = true;
    }
    st.emit_chan("MixMonitorStart", &ch);
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    r.push("MixMonitorID", format!("0x{:012x}", st.random(1 << 40)));
    Reply::Frames(vec![r])
}

/// `StopMixMonitor`.
pub fn stop_mixmonitor(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let was = st.chan(&ch).is_some_and(|c| c.recording);
    if !was {
        return err(f, "Could not stop MixMonitor");
    }
    if let Some(c) = st.chan_mut(&ch) {
        c.recording = false;
    }
    st.emit_chan("MixMonitorStop", &ch);
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    Reply::Frames(vec![r])
}

/// `MixMonitorMute`.
pub fn mixmonitor_mute(st: &mut SimState, f: &Frame) -> Reply {
    let ch = match channel(st, f) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let direction = f.get("Direction").unwrap_or("both").to_owned();
    let state = if truthy(f.get_or_empty("State")) {
        "1"
    } else {
        "0"
    };
    st.emit_chan_with(
        "MixMonitorMute",
        &ch,
        &[("Direction", direction), ("State", state.into())],
    );
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    Reply::Frames(vec![r])
}

/// `PJSIPNotify`.
pub fn pjsip_notify(st: &mut SimState, f: &Frame) -> Reply {
    let ep = f.get_or_empty("Endpoint");
    let uri = f.get_or_empty("URI");
    if ep.is_empty() && uri.is_empty() {
        return err(
            f,
            "PJSIPNotify requires either an endpoint name or a SIP URI.",
        );
    }
    if !ep.is_empty() && !st.endpoints.contains_key(ep) {
        return err(f, &format!("Unable to retrieve endpoint {ep}"));
    }
    if f.get("Variable").is_none() && f.get("Option").is_none() {
        return err(
            f,
            "PJSIPNotify requires either an Option or Variable(s) to send.",
        );
    }
    ok(f, "NOTIFY sent")
}

/// `ConfbridgeKick`.
pub fn conf_kick(st: &mut SimState, f: &Frame) -> Reply {
    let room = f.get_or_empty("Conference").to_owned();
    let ch = f.get_or_empty("Channel").to_owned();
    if room.is_empty() {
        return err(f, "No Conference name provided.");
    }
    match conference::kick(st, &room, &ch) {
        Ok(()) => ok(f, "User kicked"),
        Err(e) => err(f, &e.to_string()),
    }
}

/// `ConfbridgeMute` / `ConfbridgeUnmute`.
pub fn conf_mute(st: &mut SimState, f: &Frame, on: bool) -> Reply {
    let room = f.get_or_empty("Conference").to_owned();
    let ch = f.get_or_empty("Channel").to_owned();
    if room.is_empty() {
        return err(f, "No Conference name provided.");
    }
    if ch.is_empty() {
        return err(f, "No channel name provided.");
    }
    match conference::mute(st, &room, &ch, on) {
        Ok(()) if on => ok(f, "User muted"),
        Ok(()) => ok(f, "User unmuted"),
        Err(e) => err(f, &e.to_string()),
    }
}

/// `PlayDTMF`.
pub fn play_dtmf(st: &mut SimState, f: &Frame) -> Reply {
    if let Err(r) = channel(st, f) {
        return r;
    }
    if f.get_or_empty("Digit").is_empty() {
        return err(f, "No digit specified");
    }
    ok(f, "DTMF successfully queued")
}

/// `Setvar` (channel variable, global, or `DEVICE_STATE(Custom:...)`).
pub fn setvar(st: &mut SimState, f: &Frame) -> Reply {
    let var = f.get_or_empty("Variable").to_owned();
    if var.is_empty() {
        return err(f, "No variable specified");
    }
    let value = f.get_or_empty("Value").to_owned();
    let chan_name = f.get_or_empty("Channel");
    if !chan_name.is_empty() {
        let Some(ch) = st.find_chan(chan_name) else {
            return err(f, "No such channel");
        };
        if let Some(c) = st.chan_mut(&ch) {
            c.vars.push((var, value));
        }
        return ok(f, "Variable Set");
    }
    if let Some(dev) = var
        .strip_prefix("DEVICE_STATE(")
        .and_then(|r| r.strip_suffix(')'))
    {
        let state = value.to_ascii_uppercase();
        st.custom.insert(dev.to_owned(), state.clone());
        if let Some(ext) = dev.strip_prefix("Custom:") {
            let (code, text) = match state.as_str() {
                "BUSY" | "INUSE" => (2, "Busy"),
                "UNAVAILABLE" => (4, "Unavailable"),
                "RINGING" => (8, "Ringing"),
                "ONHOLD" => (16, "Hold"),
                _ => (0, "Idle"),
            };
            let ev = st
                .event("ExtensionStatus", "call,all")
                .with("Exten", ext)
                .with("Context", "internal")
                .with("Hint", dev)
                .with("Status", code.to_string())
                .with("StatusText", text);
            st.out.push(ev);
        }
        st.device_state_event(dev, &state);
    }
    ok(f, "Variable Set")
}

/// `Getvar`.
pub fn getvar(st: &SimState, f: &Frame) -> Reply {
    let var = f.get_or_empty("Variable").to_owned();
    if var.is_empty() {
        return err(f, "No variable specified");
    }
    let chan_name = f.get_or_empty("Channel");
    let value = if chan_name.is_empty() {
        String::new()
    } else {
        let Some(c) = st.find_chan(chan_name).and_then(|n| st.chan(&n)) else {
            return err(f, "No such channel");
        };
        c.vars
            .iter()
            .rev()
            .find(|(k, _)| k == &var)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    r.push("Variable", var);
    r.push("Value", value);
    Reply::Frames(vec![r])
}

/// `MuteAudio`.
pub fn mute_audio(st: &SimState, f: &Frame) -> Reply {
    if let Err(r) = channel(st, f) {
        return r;
    }
    let dir = f.get_or_empty("Direction").to_ascii_lowercase();
    if !matches!(dir.as_str(), "in" | "out" | "all") {
        return err(f, "Invalid direction specified");
    }
    ok(f, "Audiohook has been updated")
}

/// `Command` (a few CLI commands answered).
pub fn command(st: &SimState, f: &Frame) -> Reply {
    let cmd = f.get_or_empty("Command").trim().to_owned();
    let output: Vec<String> = match cmd.as_str() {
        "core show version" => {
            vec!["Asterisk 22.10.1 built by sim @ labpbx on a x86_64 running Linux".into()]
        }
        "core show channels" | "core show channels concise" => {
            let mut v: Vec<String> = st.order.to_vec();
            v.push(format!("{} active channels", st.channels.len()));
            v.push(format!("{} calls processed", st.processed));
            v
        }
        "core show uptime" | "core show uptime seconds" => {
            vec![format!("System uptime: {}", st.now_ms() / 1000)]
        }
        "" => return err(f, "No command provided"),
        _ => vec![format!(
            "No such command '{cmd}' (type 'core show help {cmd}' for other possible commands)"
        )],
    };
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    r.push("Message", "Command output follows");
    for line in output {
        r.push("Output", line);
    }
    Reply::Frames(vec![r])
}
