//! Expected switchboard JSON of the lab, in the normalised form of `json_norm` (channel
//! names `PJSIP/201-*`, ids `<uid>`, times `<time>`), built from small parts so every
//! step of the end-to-end flows can assert whole extensions and conversations.
#![allow(dead_code)]

use serde_json::{json, Map, Value};

/// One channel of a conversation: name, caller id and `channelStatus`.
#[derive(Debug, Clone, Copy)]
pub struct Leg {
    /// Normalised channel name.
    pub ch: &'static str,
    /// Caller number.
    pub num: &'static str,
    /// Caller name.
    pub name: &'static str,
    /// `channelStatus`.
    pub status: &'static str,
}

/// A leg.
pub const fn leg(
    ch: &'static str,
    num: &'static str,
    name: &'static str,
    status: &'static str,
) -> Leg {
    Leg {
        ch,
        num,
        name,
        status,
    }
}

/// The lab's extension `e` with its `status` and conversations.
pub fn ext(e: &str, status: &str, conversations: Value) -> Value {
    let (name, username, port) = match e {
        "201" => ("Alice", "alice", "5170"),
        "202" => ("Bob", "bob", "5270"),
        "203" => ("Carol", "carol", "5370"),
        other => panic!("no lab extension {other}"),
    };
    json!({
        "ip": "127.0.0.1", "cf": "", "mac": "", "cfb": "", "cfu": "", "dnd": false,
        "cfVm": "", "port": port, "name": name, "cfbVm": "", "cfuVm": "", "exten": e,
        "codecs": [], "status": status, "context": "", "chanType": "pjsip",
        "username": username, "sipuseragent": "baresip v1.0.0 (x86_64/linux)",
        "conversations": conversations,
    })
}

/// An idle lab extension.
pub fn idle(e: &str) -> Value {
    ext(e, "online", json!({}))
}

/// Conversations keyed by their id.
pub fn convs(list: Vec<Value>) -> Value {
    let mut m = Map::new();
    for c in list {
        let id = c["id"].as_str().unwrap_or("").to_owned();
        m.insert(id, c);
    }
    Value::Object(m)
}

fn channel(kind: &str, me: Leg, bridged: (&str, &str), bridged_ch: &str) -> Value {
    json!({
        "type": kind, "channel": me.ch, "callerNum": me.num, "startTime": "<time>",
        "callerName": me.name, "bridgedNum": bridged.0, "bridgedName": bridged.1,
        "inConference": false, "channelStatus": me.status, "bridgedChannel": bridged_ch,
    })
}

/// `<unknown>` names show as empty counterpart names.
fn shown(name: &str) -> &str {
    if name == "<unknown>" {
        ""
    } else {
        name
    }
}

#[allow(clippy::too_many_arguments)]
fn conversation(
    owner: &str,
    id: String,
    src: Value,
    dest: Value,
    connected: bool,
    direction: &str,
    counterpart: (&str, &str),
    recording: &str,
) -> Value {
    json!({
        "id": id, "owner": owner, "chDest": dest, "linkedId": "<uid>", "uniqueId": "<uid>",
        "chSource": src, "duration": "<time>", "startTime": "<time>", "connected": connected,
        "recording": recording, "direction": direction, "inConference": false,
        "throughQueue": false, "throughTrunk": false, "counterpartNum": counterpart.0,
        "counterpartName": shown(counterpart.1),
    })
}

/// `src` calls `dest`, as `owner` (one of the two) sees it; connected when both are up.
pub fn talk(owner: &str, src: Leg, dest: Leg, recording: &str) -> Value {
    let out = src.ch.starts_with(&format!("PJSIP/{owner}-"));
    let other = if out { dest } else { src };
    conversation(
        owner,
        format!("{}>{}", src.ch, dest.ch),
        channel("source", src, (dest.num, dest.name), dest.ch),
        channel("dest", dest, (src.num, src.name), src.ch),
        src.status == "up" && dest.status == "up",
        if out { "out" } else { "in" },
        (other.num, other.name),
        recording,
    )
}

/// `me` alone in its conversation (its partner left: hold music, parking, spying),
/// still showing `connected_to` as its connected line.
pub fn alone(owner: &str, me: Leg, connected_to: (&str, &str), connected: bool) -> Value {
    conversation(
        owner,
        format!("{}>", me.ch),
        channel("source", me, connected_to, ""),
        Value::Null,
        connected,
        "out",
        connected_to,
        "false",
    )
}

/// The 20 empty spaces 701-720 of the lab's parking lot.
pub fn empty_parkings() -> Value {
    let mut m = Map::new();
    for n in 701..=720 {
        let n = n.to_string();
        m.insert(
            n.clone(),
            json!({"name": n, "parking": n, "timeout": 45, "parkedCaller": {}}),
        );
    }
    Value::Object(m)
}
