//! AMI actions of the simulator: one handler per action, answering exactly as
//! Asterisk 22 does (response texts, `EventList` framing, `ActionID` echo).

pub mod db;
pub mod lists;
pub mod login;
pub mod ops;
pub mod queue;

use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::model::SimState;
use tokio::sync::oneshot;

/// Per-connection state.
#[derive(Debug, Default)]
pub struct Session {
    /// Logged in.
    pub authed: bool,
    /// Receives events (`Events: on`, default).
    pub events: bool,
    /// Challenge sent by `Challenge`, for an MD5 login.
    pub challenge: Option<String>,
}

/// What the session must do after an action.
#[derive(Debug)]
pub enum Reply {
    /// Write these frames.
    Frames(Vec<Frame>),
    /// Wait for a synchronous Originate to finish, then answer.
    Wait {
        /// Resolved with `true` when the channel answered.
        rx: oneshot::Receiver<bool>,
        /// ActionID to echo.
        action_id: Option<String>,
    },
    /// Write this frame and close the connection.
    Close(Frame),
}

/// `Response: <kind>`, `ActionID` (when the action had one), `Message`.
pub fn response(action: &Frame, kind: &str, message: &str) -> Frame {
    let mut f = Frame::new().with("Response", kind);
    if let Some(id) = action.action_id() {
        f.push("ActionID", id);
    }
    f.push("Message", message);
    f
}

/// `Response: Success` with a message.
pub fn ok(action: &Frame, message: &str) -> Reply {
    Reply::Frames(vec![response(action, "Success", message)])
}

/// `Response: Error` with a message.
pub fn err(action: &Frame, message: &str) -> Reply {
    Reply::Frames(vec![response(action, "Error", message)])
}

/// Pushes `ActionID` when the action had one.
pub fn push_id(f: &mut Frame, action: &Frame) {
    if let Some(id) = action.action_id() {
        f.push("ActionID", id);
    }
}

/// An `EventList` reply: start response, items, completion event (+ extra headers).
pub fn list(
    action: &Frame,
    message: &str,
    items: Vec<Frame>,
    complete: &str,
    extra: &[(&str, String)],
) -> Reply {
    let mut out = Vec::with_capacity(items.len() + 2);
    let mut start = Frame::new().with("Response", "Success");
    push_id(&mut start, action);
    start.push("EventList", "start");
    start.push("Message", message);
    out.push(start);
    let n = items.len();
    out.extend(items);
    let mut end = Frame::new().with("Event", complete);
    push_id(&mut end, action);
    end.push("EventList", "Complete");
    end.push("ListItems", n.to_string());
    for (k, v) in extra {
        end.push(*k, v.clone());
    }
    out.push(end);
    Reply::Frames(out)
}

/// Runs an action of a logged-in session against the PBX state.
pub fn dispatch(st: &mut SimState, sess: &mut Session, f: &Frame) -> Reply {
    let Some(action) = f.get("Action") else {
        return err(f, "Missing action in request");
    };
    match action.to_ascii_lowercase().as_str() {
        "ping" => {
            let mut r = Frame::new().with("Response", "Success");
            push_id(&mut r, f);
            r.push("Ping", "Pong");
            r.push(
                "Timestamp",
                format!("{}.{:06}", st.unix(), (st.now_ms() % 1000) * 1000),
            );
            Reply::Frames(vec![r])
        }
        "events" => {
            let mask = f.get_or_empty("EventMask").to_ascii_lowercase();
            sess.events = !(mask == "off" || mask == "none" || mask == "0");
            let mut r = Frame::new().with("Response", "Success");
            push_id(&mut r, f);
            r.push("Events", if sess.events { "On" } else { "Off" });
            Reply::Frames(vec![r])
        }
        "logoff" => Reply::Close(response(f, "Goodbye", "Thanks for all the fish.")),
        "login" => ok(f, "Already authenticated"),
        "coresettings" => lists::core_settings(st, f),
        "corestatus" => lists::core_status(st, f),
        "pjsipshowendpoints" => lists::endpoints(st, f),
        "pjsipshowendpoint" => lists::endpoint(st, f),
        "pjsipshowcontacts" => lists::contacts(st, f),
        "pjsipshowregistrationsoutbound" => lists::registrations(f),
        "queuestatus" => lists::queue_status(st, f),
        "queuesummary" => lists::queue_summary(st, f),
        "coreshowchannels" => lists::core_show_channels(st, f),
        "status" => lists::status(st, f),
        "parkedcalls" => lists::parked_calls(st, f),
        "parkinglots" => lists::parking_lots(st, f),
        "confbridgelistrooms" => lists::conf_rooms(st, f),
        "confbridgelist" => lists::conf_list(st, f),
        "extensionstatelist" => lists::extension_states(st, f),
        "devicestatelist" => lists::device_states(st, f),
        "dbget" => db::get(st, f),
        "dbgettree" => db::get_tree(st, f),
        "dbput" => db::put(st, f),
        "dbdel" => db::del(st, f),
        "dbdeltree" => db::del_tree(st, f),
        "queueadd" => queue::add(st, f),
        "queueremove" => queue::remove(st, f),
        "queuepause" => queue::pause(st, f),
        "queuepenalty" => queue::penalty(st, f),
        "originate" => ops::originate(st, f),
        "hangup" => ops::hangup(st, f),
        "redirect" => ops::redirect(st, f),
        "blindtransfer" => ops::blind_transfer(st, f),
        "atxfer" => ops::atxfer(st, f),
        "park" => ops::park(st, f),
        "mixmonitor" => ops::mixmonitor(st, f),
        "stopmixmonitor" => ops::stop_mixmonitor(st, f),
        "mixmonitormute" => ops::mixmonitor_mute(st, f),
        "pjsipnotify" => ops::pjsip_notify(st, f),
        "confbridgekick" => ops::conf_kick(st, f),
        "confbridgemute" => ops::conf_mute(st, f, true),
        "confbridgeunmute" => ops::conf_mute(st, f, false),
        "playdtmf" => ops::play_dtmf(st, f),
        "setvar" => ops::setvar(st, f),
        "getvar" => ops::getvar(st, f),
        "muteaudio" => ops::mute_audio(st, f),
        "command" => ops::command(st, f),
        "reload" => {
            let module = f.get("Module").filter(|m| !m.is_empty()).unwrap_or("All");
            crate::adapters::sim::flows::reload::module_reload(st, module);
            ok(f, "Module Reloaded")
        }
        _ => err(f, "Invalid/unknown command"),
    }
}
