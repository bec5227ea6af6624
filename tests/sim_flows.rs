//! Flow comparison: each recorded Asterisk 22 flow is replayed against the simulator
//! (the recorder's notes drive the simulated phones and the admin's CLI — `core reload`,
//! `core restart now`, after which the test logs in again —, the recorded actions are
//! sent over AMI) and the events are compared with the real ones, ignoring ids and times.
//! Every transcript of `fixtures/ami/` with a call flow is compared; the start-up
//! queries (`a-*`) are checked item by item in `sim_startup.rs`.
//!
//! Comparison rules (kept small and explicit so the simulator cannot drift):
//! - [`NOISE`] events are ignored on both sides (the simulator does not model them).
//! - Every other event is reduced to its signature: event name + ordered header names.
//! - Events carrying a channel (`Channel`, else `DestChannel`) are grouped per channel
//!   (names normalised to `PJSIP/201#0`, `Local/203@internal#0;1`) and each group must
//!   match in order: Asterisk orders events per channel, not across channels.
//! - Events without a channel (bridges, transfers, Local optimisation, parking, list
//!   items...) must match in order as one sequence.
//! - [`STATE`] events (device/hint/member state, published asynchronously by Asterisk)
//!   must match as a multiset.

#[path = "sim_support/mod.rs"]
mod support;

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::sim::flows::{dial, park};
use nethcti_server::adapters::sim::SimConfig;
use std::collections::BTreeMap;
use support::{start, transcript, Client, Record};

/// Events the simulator does not model.
const NOISE: &[&str] = &[
    "VarSet",
    "Newexten",
    "RTCPSent",
    "RTCPReceived",
    "Cdr",
    "DTMFBegin",
    "DTMFEnd",
    "SuccessfulAuth",
    "ChallengeSent",
    "FullyBooted",
];

/// Asynchronous state events, compared as a multiset.
const STATE: &[&str] = &["DeviceStateChange", "ExtensionStatus", "QueueMemberStatus"];

/// Normalises channel names by order of first appearance per endpoint.
#[derive(Default)]
struct Namer {
    norm: BTreeMap<String, String>,
    raw: BTreeMap<String, String>,
    count: BTreeMap<String, usize>,
}

impl Namer {
    fn key(&mut self, raw: &str) -> String {
        if let Some(k) = self.norm.get(raw) {
            return k.clone();
        }
        let (ident, leg) = match raw.rsplit_once(';') {
            Some((i, l)) => (i.to_owned(), format!(";{l}")),
            None => (raw.to_owned(), String::new()),
        };
        let base = ident
            .rsplit_once('-')
            .map(|(b, _)| b.to_owned())
            .unwrap_or(ident.clone());
        let idkey = format!("id:{ident}");
        let n = match self.norm.get(&idkey) {
            Some(n) => n.clone(),
            None => {
                let c = self.count.entry(base.clone()).or_insert(0);
                let n = format!("{base}#{c}");
                *c += 1;
                self.norm.insert(idkey, n.clone());
                n
            }
        };
        let k = format!("{n}{leg}");
        self.norm.insert(raw.to_owned(), k.clone());
        self.raw.insert(k.clone(), raw.to_owned());
        k
    }

    fn observe(&mut self, f: &Frame) {
        for (n, v) in f.fields() {
            if n.ends_with("Channel") && v.contains('/') {
                self.key(v);
            }
        }
    }
}

fn signature(f: &Frame) -> String {
    let names: Vec<&str> = f.fields().iter().skip(1).map(|(n, _)| n.as_str()).collect();
    format!("{}[{}]", f.event().unwrap_or("?"), names.join(","))
}

#[derive(Debug, Default, PartialEq)]
struct Profile {
    per_channel: BTreeMap<String, Vec<String>>,
    global: Vec<String>,
    state: BTreeMap<String, usize>,
}

fn profile(events: &[Frame]) -> Profile {
    let mut namer = Namer::default();
    let mut p = Profile::default();
    for f in events {
        let Some(ev) = f.event() else { continue };
        if NOISE.contains(&ev) {
            continue;
        }
        namer.observe(f);
        let sig = signature(f);
        if STATE.contains(&ev) {
            *p.state.entry(sig).or_insert(0) += 1;
            continue;
        }
        match f.get("Channel").or_else(|| f.get("DestChannel")) {
            Some(ch) => {
                let k = namer.key(ch);
                p.per_channel.entry(k).or_default().push(sig);
            }
            None => p.global.push(sig),
        }
    }
    p
}

fn diff(real: &Profile, sim: &Profile) -> String {
    let mut out = String::new();
    let keys: std::collections::BTreeSet<&String> = real
        .per_channel
        .keys()
        .chain(sim.per_channel.keys())
        .collect();
    for k in keys {
        let r = real.per_channel.get(k).cloned().unwrap_or_default();
        let s = sim.per_channel.get(k).cloned().unwrap_or_default();
        if r != s {
            out.push_str(&format!(
                "channel {k}:\n  real: {:?}\n  sim:  {:?}\n",
                short(&r),
                short(&s)
            ));
            if let Some(i) = (0..r.len().max(s.len())).find(|i| r.get(*i) != s.get(*i)) {
                out.push_str(&format!(
                    "  first difference at {i}:\n    real {:?}\n    sim  {:?}\n",
                    r.get(i),
                    s.get(i)
                ));
            }
        }
    }
    if real.global != sim.global {
        out.push_str(&format!(
            "global:\n  real: {:?}\n  sim:  {:?}\n",
            short(&real.global),
            short(&sim.global)
        ));
        if let Some(i) = (0..real.global.len().max(sim.global.len()))
            .find(|i| real.global.get(*i) != sim.global.get(*i))
        {
            out.push_str(&format!(
                "  first difference at {i}:\n    real {:?}\n    sim  {:?}\n",
                real.global.get(i),
                sim.global.get(i)
            ));
        }
    }
    if real.state != sim.state {
        out.push_str(&format!(
            "state:\n  real: {:?}\n  sim:  {:?}\n",
            real.state, sim.state
        ));
    }
    out
}

fn short(v: &[String]) -> Vec<&str> {
    v.iter()
        .map(|s| s.split('[').next().unwrap_or(""))
        .collect()
}

const CHANNEL_FIELDS: &[&str] = &["Channel", "ExtraChannel", "TimeoutChannel"];

/// What a recorded note did to the AMI connection.
#[derive(Debug, PartialEq)]
enum NoteEffect {
    /// Nothing: sync as usual.
    None,
    /// The PBX restarts: read until it closes the connection.
    Restart,
    /// The recorder connected again: log in on a new connection.
    Reconnect,
}

/// Drives one recorded note on the simulated phones (or the PBX admin's CLI).
fn drive_note(sim: &support::Sim, note: &str) -> NoteEffect {
    let h = &sim.handle;
    if note.contains("runs 'core reload'") {
        h.reload();
        return NoteEffect::None;
    }
    if note.contains("runs 'core restart now'") {
        h.restart();
        return NoteEffect::Restart;
    }
    if note.starts_with("connected to") {
        return NoteEffect::Reconnect;
    }
    let words: Vec<&str> = note.split_whitespace().collect();
    if words.first() != Some(&"UA") || words.len() < 3 {
        return NoteEffect::None;
    }
    let who = words[1].trim_start_matches("ua");
    let _ = match words[2] {
        "dials" if who == "trunk" => {
            h.inbound("0301234567", "Carrier Caller", words[3]);
            Ok(())
        }
        "dials" => h.dial(who, words[3]).map(|_| ()),
        "answers" => h.answer(who),
        "hangs" => h.hangup(who),
        // "UA 202 sends REFER to sip:203@127.0.0.1": the phone blind-transfers
        "sends" if words.get(3) == Some(&"REFER") => {
            let target = words
                .get(5)
                .and_then(|u| u.strip_prefix("sip:"))
                .and_then(|u| u.split('@').next())
                .unwrap_or_else(|| panic!("no REFER target in `{note}`"));
            h.refer(who, target)
        }
        "holds" => h.hold(who, true),
        "resumes" => h.hold(who, false),
        other => panic!("unknown note verb `{other}` in `{note}`"),
    };
    NoteEffect::None
}

/// Replays a transcript on a fresh lab simulator; returns (real events, sim events).
async fn replay(name: &str) -> (Vec<Frame>, Vec<Frame>) {
    let sim = start(SimConfig::lab()).await;
    if name.starts_with("f-") {
        // The recorded lot's holding bridge already existed (created by the busy
        // start-up scenario): warm the simulated lot up the same way, unobserved.
        let h = &sim.handle;
        h.dial("201", "202").expect("dial");
        h.answer("202").expect("answer");
        let (a, b) = h.with(|st| (st.chan_of("201"), st.chan_of("202")));
        let (a, b) = (a.expect("201"), b.expect("202"));
        h.with(|st| park::park(st, &a, Some(&b))).expect("park");
        h.dial("203", "701").expect("pickup");
        h.hangup("203").expect("hangup");
        let _ = dial::answer;
    }
    let mut client = Client::logged_in(&sim).await;
    let mut real_names = Namer::default();
    let mut sim_names = Namer::default();
    let mut real = Vec::new();
    let mut got = Vec::new();
    let mut logged_in = false;
    let (mut restarted, mut closed) = (false, false);
    for rec in transcript(name) {
        match rec {
            Record::Received(f) => {
                if !logged_in {
                    logged_in = f.response() == Some("Success");
                    continue;
                }
                if f.event().is_some() {
                    real_names.observe(&f);
                    real.push(f);
                }
            }
            Record::Sent(f) => {
                let action = f.get_or_empty("Action").to_ascii_lowercase();
                if action == "login" || action == "logoff" {
                    continue;
                }
                let mut out = Frame::new();
                for (n, v) in f.fields() {
                    if CHANNEL_FIELDS.iter().any(|c| c.eq_ignore_ascii_case(n)) && v.contains('-') {
                        let k = real_names.key(v);
                        let simname = sim_names.raw.get(&k).cloned().unwrap_or_else(|| v.clone());
                        out.push(n.clone(), simname);
                    } else {
                        out.push(n.clone(), v.clone());
                    }
                }
                let r = client.send_frame(&out).await;
                if r.get("EventList") == Some("start") {
                    loop {
                        let item = client.read_frame().await.expect("list item");
                        let done = item.get("EventList") == Some("Complete")
                            && item.action_id() == out.action_id();
                        client.events.push(item);
                        if done {
                            break;
                        }
                    }
                }
                for e in client.sync().await {
                    sim_names.observe(&e);
                    got.push(e);
                }
            }
            Record::Note(n) => {
                let effect = drive_note(&sim, &n);
                let events = match effect {
                    NoteEffect::None if closed => Vec::new(),
                    NoteEffect::None => client.sync().await,
                    NoteEffect::Restart => {
                        // everything up to the close (the Shutdown event)
                        let mut evs = std::mem::take(&mut client.events);
                        while let Some(f) = client.read_frame().await {
                            evs.push(f);
                        }
                        (restarted, closed) = (true, true);
                        evs
                    }
                    NoteEffect::Reconnect if restarted => {
                        // the first reconnect of the recording hit the dying PBX; the
                        // simulator is back at once: log in again on the last one
                        client = Client::logged_in(&sim).await;
                        closed = false;
                        Vec::new()
                    }
                    NoteEffect::Reconnect => Vec::new(),
                };
                for e in events {
                    sim_names.observe(&e);
                    got.push(e);
                }
            }
        }
    }
    (real, got)
}

async fn check(name: &str) {
    let (real, sim) = replay(name).await;
    let (rp, sp) = (profile(&real), profile(&sim));
    assert!(
        !rp.per_channel.is_empty() || !rp.global.is_empty(),
        "{name}: nothing compared"
    );
    assert!(
        rp == sp,
        "{name} differs from the recording:\n{}",
        diff(&rp, &sp)
    );
}

#[tokio::test]
async fn b_internal_call_matches_the_recording() {
    check("b-internal-call-201-to-202.ami").await;
}

#[tokio::test]
async fn c_queue_call_matches_the_recording() {
    check("c-queue-401-answered-by-member.ami").await;
}

#[tokio::test]
async fn d_blind_transfer_matches_the_recording() {
    check("d-blind-transfer-amiblindtransfer.ami").await;
}

#[tokio::test]
async fn d2_redirect_matches_the_recording() {
    check("d2-blind-transfer-redirect.ami").await;
}

#[tokio::test]
async fn d3_phone_refer_matches_the_recording() {
    check("d3-blind-transfer-phone-refer.ami").await;
}

#[tokio::test]
async fn e_attended_transfer_matches_the_recording() {
    check("e-attended-transfer-atxfer.ami").await;
}

#[tokio::test]
async fn f_park_and_pickup_matches_the_recording() {
    check("f-park-and-pickup.ami").await;
}

#[tokio::test]
async fn g_busy_and_unavailable_matches_the_recording() {
    check("g-busy-and-unavailable.ami").await;
}

#[tokio::test]
async fn h_confbridge_matches_the_recording() {
    check("h-confbridge-801-join-leave.ami").await;
}

#[tokio::test]
async fn i_queue_members_match_the_recording() {
    check("i-queue-member-add-pause-remove.ami").await;
}

#[tokio::test]
async fn j_reload_and_restart_match_the_recording() {
    check("j-reload-and-restart.ami").await;
}

#[tokio::test]
async fn k_originate_matches_the_recording() {
    check("k-originate-click-to-dial.ami").await;
}

#[tokio::test]
async fn l_hold_matches_the_recording() {
    check("l-hold-unhold.ami").await;
}

#[tokio::test]
async fn k2_originate_local_channel_matches_the_recording() {
    check("k2-originate-local-channel.ami").await;
}
