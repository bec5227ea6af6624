//! List and status actions of the initial load, framed like Asterisk 22.

use super::{err, list, push_id, Reply};
use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::flows::park::parked_frame;
use crate::adapters::sim::model::channel::{or_unknown, push_block};
use crate::adapters::sim::model::SimState;

fn start_date(st: &SimState) -> (String, String) {
    let secs = st.cfg.epoch;
    let days = (secs / 86_400) as i64;
    let tod = secs % 86_400;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        format!("{y:04}-{m:02}-{d:02}"),
        format!("{:02}:{:02}:{:02}", tod / 3600, tod % 3600 / 60, tod % 60),
    )
}

/// `CoreSettings`.
pub fn core_settings(st: &SimState, f: &Frame) -> Reply {
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    for (k, v) in [
        ("AMIversion", "11.0.0"),
        ("AsteriskVersion", "22.10.1"),
        ("SystemName", st.cfg.system_name.as_str()),
        ("CoreMaxCalls", "0"),
        ("CoreMaxLoadAvg", "0.000000"),
        ("CoreRunUser", ""),
        ("CoreRunGroup", ""),
        ("CoreMaxFilehandles", "0"),
        ("CoreRealTimeEnabled", "No"),
        ("CoreCDRenabled", "Yes"),
        ("CoreHTTPenabled", "No"),
        ("SoundsSearchCustomDir", "No"),
    ] {
        r.push(k, v);
    }
    Reply::Frames(vec![r])
}

/// `CoreStatus`.
pub fn core_status(st: &SimState, f: &Frame) -> Reply {
    let (d, t) = start_date(st);
    let mut r = Frame::new().with("Response", "Success");
    push_id(&mut r, f);
    r.push("CoreStartupDate", d.clone());
    r.push("CoreStartupTime", t.clone());
    r.push("CoreReloadDate", d);
    r.push("CoreReloadTime", t);
    r.push("CoreCurrentCalls", st.channels.len().to_string());
    r.push("CoreProcessedCalls", st.processed.to_string());
    Reply::Frames(vec![r])
}

fn endpoint_item(st: &SimState, f: &Frame, id: &str, event: &str) -> Option<Frame> {
    let e = st.endpoints.get(id)?;
    let mut ev = Frame::new().with("Event", event);
    push_id(&mut ev, f);
    ev.push("ObjectType", "endpoint");
    ev.push("ObjectName", e.id.clone());
    ev.push("Transport", "");
    ev.push("Aor", e.id.clone());
    ev.push("Auths", if e.trunk { String::new() } else { e.id.clone() });
    ev.push("OutboundAuths", "");
    ev.push(
        "Contacts",
        if e.registered {
            format!("{}/{},", e.id, e.uri())
        } else {
            String::new()
        },
    );
    ev.push("DeviceState", e.device_state_text());
    ev.push("ActiveChannels", e.channels.to_string());
    Some(ev)
}

/// `PJSIPShowEndpoints`.
pub fn endpoints(st: &SimState, f: &Frame) -> Reply {
    let items = st
        .endpoints
        .keys()
        .filter_map(|id| endpoint_item(st, f, id, "EndpointList"))
        .collect();
    list(
        f,
        "A listing of Endpoints follows, presented as EndpointList events",
        items,
        "EndpointListComplete",
        &[],
    )
}

/// `PJSIPShowEndpoint` (endpoint detail and its contact).
pub fn endpoint(st: &SimState, f: &Frame) -> Reply {
    let id = f.get_or_empty("Endpoint");
    let Some(detail) = endpoint_item(st, f, id, "EndpointDetail") else {
        return err(f, &format!("Unable to retrieve endpoint {id}"));
    };
    let mut items = vec![detail];
    if let Some(c) = contact_item(st, f, id, "ContactStatusDetail") {
        items.push(c);
    }
    list(
        f,
        "Following are Events for each object associated with the Endpoint",
        items,
        "EndpointDetailComplete",
        &[],
    )
}

fn contact_item(st: &SimState, f: &Frame, id: &str, event: &str) -> Option<Frame> {
    let e = st.endpoints.get(id)?;
    if !e.registered || e.trunk {
        return None;
    }
    let mut ev = Frame::new().with("Event", event);
    push_id(&mut ev, f);
    let hash = e.contact_hash.clone();
    for (k, v) in [
        ("ObjectType", "contact".to_owned()),
        ("ObjectName", format!("{};@{}", e.id, hash)),
        ("ViaAddr", "127.0.0.1".into()),
        ("QualifyTimeout", "3.000000".into()),
        ("Qualify2xxOnly", "false".into()),
        ("CallId", hash[..16].to_owned()),
        ("RegServer", st.cfg.system_name.clone()),
        ("PruneOnBoot", "no".into()),
        ("Path", String::new()),
        ("Endpoint", e.id.clone()),
        ("ViaPort", e.port.to_string()),
        ("AuthenticateQualify", "no".into()),
        ("Uri", e.uri()),
        ("QualifyFrequency", "60".into()),
        ("UserAgent", "baresip v1.0.0 (x86_64/linux)".into()),
        ("ExpirationTime", (st.unix() + 600).to_string()),
        ("OutboundProxy", String::new()),
        ("Status", contact_status(e.qualified).into()),
        ("RoundtripUsec", (250 + e.port % 100).to_string()),
    ] {
        ev.push(k, v);
    }
    Some(ev)
}

/// A contact's `Status`: restored from astdb after a restart, it is `NonQualified` until
/// its next qualify.
fn contact_status(qualified: bool) -> &'static str {
    if qualified {
        "Reachable"
    } else {
        "NonQualified"
    }
}

/// `PJSIPShowContacts`.
pub fn contacts(st: &SimState, f: &Frame) -> Reply {
    let items = st
        .endpoints
        .keys()
        .filter_map(|id| contact_item(st, f, id, "ContactList"))
        .collect();
    list(
        f,
        "A listing of Contacts follows, presented as ContactList events",
        items,
        "ContactListComplete",
        &[],
    )
}

/// `PJSIPShowRegistrationsOutbound` (the lab trunk does not register).
pub fn registrations(f: &Frame) -> Reply {
    list(
        f,
        "Following are Events for each Outbound registration",
        Vec::new(),
        "OutboundRegistrationDetailComplete",
        &[("Registered", "0".into()), ("NotRegistered", "0".into())],
    )
}

/// `QueueStatus` (optionally filtered by `Queue` and `Member`).
pub fn queue_status(st: &SimState, f: &Frame) -> Reply {
    let want_q = f.get_or_empty("Queue");
    let want_m = f.get_or_empty("Member");
    let now = st.now_ms();
    let mut items = Vec::new();
    for q in st.queues.values() {
        if !want_q.is_empty() && q.id != want_q {
            continue;
        }
        let mut p = Frame::new().with("Event", "QueueParams");
        for (k, v) in [
            ("Queue", q.id.clone()),
            ("Max", "0".into()),
            ("Strategy", "ringall".into()),
            ("Calls", q.callers.len().to_string()),
            ("Holdtime", q.holdtime.to_string()),
            ("TalkTime", q.talktime.to_string()),
            ("Completed", q.completed.to_string()),
            ("Abandoned", q.abandoned.to_string()),
            ("ServiceLevel", "0".into()),
            ("ServicelevelPerf", "0.0".into()),
            ("ServicelevelPerf2", "0.0".into()),
            ("Weight", "0".into()),
        ] {
            p.push(k, v);
        }
        push_id(&mut p, f);
        items.push(p);
        for m in &q.members {
            if !want_m.is_empty() && !m.interface.eq_ignore_ascii_case(want_m) {
                continue;
            }
            let mut e = Frame::new().with("Event", "QueueMember");
            for (k, v) in [
                ("Queue", q.id.clone()),
                ("Name", m.name.clone()),
                ("Location", m.interface.clone()),
                ("StateInterface", m.interface.clone()),
                (
                    "Membership",
                    if m.dynamic { "dynamic" } else { "static" }.into(),
                ),
                ("Penalty", m.penalty.to_string()),
                ("CallsTaken", m.calls_taken.to_string()),
                ("LastCall", m.last_call.to_string()),
                ("LastPause", m.last_pause.to_string()),
                ("LoginTime", m.login_time.to_string()),
                ("InCall", "0".into()),
                ("Status", st.member_status(m).to_string()),
                ("Paused", if m.paused { "1" } else { "0" }.into()),
                ("PausedReason", m.paused_reason.clone()),
                ("Wrapuptime", "0".into()),
            ] {
                e.push(k, v);
            }
            push_id(&mut e, f);
            items.push(e);
        }
        for (i, w) in q.callers.iter().enumerate() {
            let Some(c) = st.chan(&w.channel) else {
                continue;
            };
            let mut e = Frame::new().with("Event", "QueueEntry");
            for (k, v) in [
                ("Queue", q.id.clone()),
                ("Position", (i + 1).to_string()),
                ("Channel", c.name.clone()),
                ("Uniqueid", c.uniqueid.clone()),
                ("CallerIDNum", or_unknown(&c.cid_num)),
                ("CallerIDName", or_unknown(&c.cid_name)),
                ("ConnectedLineNum", or_unknown(&c.conn_num)),
                ("ConnectedLineName", or_unknown(&c.conn_name)),
                ("Wait", (now.saturating_sub(w.joined_ms) / 1000).to_string()),
                ("Priority", "0".into()),
            ] {
                e.push(k, v);
            }
            push_id(&mut e, f);
            items.push(e);
        }
    }
    list(
        f,
        "Queue status will follow",
        items,
        "QueueStatusComplete",
        &[],
    )
}

/// `QueueSummary`.
pub fn queue_summary(st: &SimState, f: &Frame) -> Reply {
    let want_q = f.get_or_empty("Queue");
    let now = st.now_ms();
    let items = st
        .queues
        .values()
        .filter(|q| want_q.is_empty() || q.id == want_q)
        .map(|q| {
            let logged = q.members.len();
            let avail = q
                .members
                .iter()
                .filter(|m| !m.paused && st.member_status(m) == 1)
                .count();
            let longest = q
                .callers
                .iter()
                .map(|w| now.saturating_sub(w.joined_ms) / 1000)
                .max()
                .unwrap_or(0);
            let mut e = Frame::new().with("Event", "QueueSummary");
            for (k, v) in [
                ("Queue", q.id.clone()),
                ("LoggedIn", logged.to_string()),
                ("Available", avail.to_string()),
                ("Callers", q.callers.len().to_string()),
                ("HoldTime", q.holdtime.to_string()),
                ("TalkTime", q.talktime.to_string()),
                ("LongestHoldTime", longest.to_string()),
            ] {
                e.push(k, v);
            }
            push_id(&mut e, f);
            e
        })
        .collect();
    list(
        f,
        "Queue summary will follow",
        items,
        "QueueSummaryComplete",
        &[],
    )
}

fn duration(ms: u64) -> String {
    let s = ms / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
}

/// `CoreShowChannels` (newest first, as Asterisk lists them).
pub fn core_show_channels(st: &SimState, f: &Frame) -> Reply {
    let now = st.now_ms();
    let items = st
        .order
        .iter()
        .rev()
        .filter_map(|n| st.chan(n))
        .map(|c| {
            let mut e = Frame::new().with("Event", "CoreShowChannel");
            push_id(&mut e, f);
            push_block(&mut e, "", c);
            e.push("Application", c.app.clone());
            e.push("ApplicationData", c.app_data.clone());
            e.push("Duration", duration(now.saturating_sub(c.created_ms)));
            e.push("BridgeId", c.bridge.clone().unwrap_or_default());
            e
        })
        .collect();
    list(
        f,
        "Channels will follow",
        items,
        "CoreShowChannelsComplete",
        &[],
    )
}

/// `Status` (every channel, or the one named in `Channel`).
pub fn status(st: &SimState, f: &Frame) -> Reply {
    let now = st.now_ms();
    let want = f.get_or_empty("Channel");
    if !want.is_empty() && st.find_chan(want).is_none() {
        return err(f, "No such channel");
    }
    let items: Vec<Frame> = st
        .order
        .iter()
        .rev()
        .filter_map(|n| st.chan(n))
        .filter(|c| want.is_empty() || c.name.eq_ignore_ascii_case(want))
        .map(|c| {
            let local = c.name.starts_with("Local/");
            let mut e = Frame::new()
                .with("Event", "Status")
                .with("Privilege", "Call");
            push_block(&mut e, "", c);
            for (k, v) in [
                ("Type", if local { "Local" } else { "PJSIP" }.to_owned()),
                ("DNID", c.dnid.clone()),
                ("EffectiveConnectedLineNum", or_unknown(&c.conn_num)),
                ("EffectiveConnectedLineName", or_unknown(&c.conn_name)),
                ("TimeToHangup", "0".into()),
                ("BridgeID", c.bridge.clone().unwrap_or_default()),
                ("Application", c.app.clone()),
                ("Data", c.app_data.clone()),
                (
                    "Nativeformats",
                    if local { "(slin)" } else { "(ulaw)" }.into(),
                ),
                ("Readformat", "ulaw".into()),
                ("Readtrans", String::new()),
                ("Writeformat", "ulaw".into()),
                ("Writetrans", String::new()),
                ("Callgroup", "0".into()),
                ("Pickupgroup", "0".into()),
                (
                    "Seconds",
                    (now.saturating_sub(c.created_ms) / 1000).to_string(),
                ),
            ] {
                e.push(k, v);
            }
            push_id(&mut e, f);
            e
        })
        .collect();
    let n = items.len().to_string();
    list(
        f,
        "Channel status will follow",
        items,
        "StatusComplete",
        &[("Items", n)],
    )
}

/// `ParkedCalls`.
pub fn parked_calls(st: &SimState, f: &Frame) -> Reply {
    let items: Vec<Frame> = st
        .lot
        .spaces
        .keys()
        .filter_map(|s| parked_frame(st, "ParkedCall", *s, false))
        .map(|mut e| {
            push_id(&mut e, f);
            e
        })
        .collect();
    let n = items.len().to_string();
    list(
        f,
        "Parked calls will follow",
        items,
        "ParkedCallsComplete",
        &[("Total", n)],
    )
}

/// `Parkinglots`.
pub fn parking_lots(st: &SimState, f: &Frame) -> Reply {
    let mut e = Frame::new().with("Event", "Parkinglot");
    push_id(&mut e, f);
    e.push("Name", "default");
    e.push("StartSpace", st.lot.start.to_string());
    e.push("StopSpace", st.lot.stop.to_string());
    e.push("Timeout", st.lot.timeout.to_string());
    list(
        f,
        "Parking lots will follow",
        vec![e],
        "ParkinglotsComplete",
        &[],
    )
}

/// `ConfbridgeListRooms`.
pub fn conf_rooms(st: &SimState, f: &Frame) -> Reply {
    if st.rooms.is_empty() {
        return err(f, "No active conferences.");
    }
    let items = st
        .rooms
        .values()
        .map(|r| {
            let mut e = Frame::new().with("Event", "ConfbridgeListRooms");
            push_id(&mut e, f);
            e.push("Conference", r.id.clone());
            e.push("Parties", r.users.len().to_string());
            e.push("Marked", "0");
            e.push("Locked", "No");
            e.push("Muted", "No");
            e
        })
        .collect();
    list(
        f,
        "Confbridge conferences will follow",
        items,
        "ConfbridgeListRoomsComplete",
        &[],
    )
}

/// `ConfbridgeList`.
pub fn conf_list(st: &SimState, f: &Frame) -> Reply {
    let id = f.get_or_empty("Conference");
    if id.is_empty() {
        return err(f, "No Conference name provided.");
    }
    let Some(r) = st.rooms.get(id) else {
        return err(f, "No active conferences.");
    };
    let now = st.now_ms();
    let items = r
        .users
        .iter()
        .filter_map(|u| st.chan(&u.channel).map(|c| (u, c)))
        .map(|(u, c)| {
            let mut e = Frame::new().with("Event", "ConfbridgeList");
            push_id(&mut e, f);
            e.push("Conference", r.id.clone());
            for k in [
                "Admin",
                "MarkedUser",
                "WaitMarked",
                "EndMarked",
                "EndMarkedAny",
                "Waiting",
            ] {
                e.push(k, "No");
            }
            e.push("Muted", if u.muted { "Yes" } else { "No" });
            e.push("Talking", "No");
            e.push(
                "AnsweredTime",
                (now.saturating_sub(u.joined_ms) / 1000).to_string(),
            );
            push_block(&mut e, "", c);
            e
        })
        .collect();
    list(
        f,
        "Confbridge user list will follow",
        items,
        "ConfbridgeListComplete",
        &[],
    )
}

fn ext_status(head: Frame, exten: &str, context: &str, hint: &str, code: u8, text: &str) -> Frame {
    let mut e = head;
    e.push("Exten", exten);
    e.push("Context", context);
    e.push("Hint", hint);
    e.push("Status", code.to_string());
    e.push("StatusText", text);
    e
}

/// One `ExtensionStatus` per hint (phones, conferences, DND customs, parking spaces),
/// each starting with `head()`: list items of `ExtensionStateList`, or the burst of
/// events a `core reload` publishes.
pub fn hint_statuses(st: &SimState, head: impl Fn() -> Frame) -> Vec<Frame> {
    let mut items = Vec::new();
    for e in st.endpoints.values().filter(|e| !e.trunk) {
        let (c, t) = e.hint_status();
        let hint = format!("PJSIP/{}", e.id);
        items.push(ext_status(head(), &e.id, "internal", &hint, c, t));
    }
    for r in &st.cfg.conference_rooms {
        let (c, t) = if st.rooms.contains_key(r) {
            (1, "InUse")
        } else {
            (4, "Unavailable")
        };
        let hint = format!("confbridge:{r}");
        items.push(ext_status(head(), r, "internal", &hint, c, t));
    }
    for e in st.endpoints.values().filter(|e| !e.trunk) {
        let dev = format!("Custom:DND{}", e.id);
        let busy = st.custom.get(&dev).is_some_and(|s| s == "BUSY");
        let (c, t) = if busy { (2, "Busy") } else { (0, "Idle") };
        let exten = format!("DND{}", e.id);
        items.push(ext_status(head(), &exten, "internal", &dev, c, t));
    }
    for s in st.lot.start..=st.lot.stop {
        let (c, t) = if st.lot.spaces.contains_key(&s) {
            (1, "InUse")
        } else {
            (0, "Idle")
        };
        let hint = format!("park:{s}@parkedcalls");
        items.push(ext_status(
            head(),
            &s.to_string(),
            "parkedcalls",
            &hint,
            c,
            t,
        ));
    }
    items
}

/// `ExtensionStateList`: phone hints, conference, DND customs, parking spaces.
pub fn extension_states(st: &SimState, f: &Frame) -> Reply {
    let items = hint_statuses(st, || {
        let mut e = Frame::new().with("Event", "ExtensionStatus");
        push_id(&mut e, f);
        e
    });
    list(
        f,
        "Extension Statuses will follow",
        items,
        "ExtensionStateListComplete",
        &[],
    )
}

/// `DeviceStateList`.
pub fn device_states(st: &SimState, f: &Frame) -> Reply {
    let mut items = Vec::new();
    let mut push = |dev: String, state: &str| {
        let mut e = Frame::new().with("Event", "DeviceStateChange");
        push_id(&mut e, f);
        e.push("Device", dev);
        e.push("State", state);
        items.push(e);
    };
    for q in st.queues.values() {
        for m in &q.members {
            let s = if m.paused { "INUSE" } else { "NOT_INUSE" };
            push(format!("Queue:{}_pause_{}", q.id, m.interface), s);
        }
    }
    for e in st.endpoints.values().filter(|e| !e.trunk) {
        push(format!("MWI:{}@default", e.id), "NOT_INUSE");
        let dev = format!("Custom:DND{}", e.id);
        let s = st
            .custom
            .get(&dev)
            .map(String::as_str)
            .unwrap_or("NOT_INUSE");
        push(dev, s);
    }
    for q in st.queues.keys() {
        push(format!("Queue:{q}_avail"), st.queue_avail(q));
    }
    for e in st.endpoints.values() {
        push(format!("PJSIP/{}", e.id), e.device_state());
    }
    list(
        f,
        "Device State Changes will follow",
        items,
        "DeviceStateListComplete",
        &[],
    )
}
