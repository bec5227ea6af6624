//! End to end: the operations service drives the simulated Asterisk over real AMI (the AMI
//! client and `AmiPbx`), the PBX events flow back into a live `Switchboard`, and after
//! each step the whole JSON of extensions 201-203 and their conversations (normalised:
//! channel sequence numbers, uniqueids and times only) is asserted.

#[path = "ops_sim_support/mod.rs"]
mod lab;

use lab::expect::{alone, convs, empty_parkings, ext, idle, leg, talk, Leg};
use lab::*;
use nethcti_server::app::operations::{OpRequest, Reply};
use nethcti_server::ports::pbx::{Pbx, PbxCommand};
use serde_json::{json, Value};

/// 201's channel of a `call` (an originate: no caller name).
const A: Leg = leg("PJSIP/201-*", "201", "<unknown>", "up");
/// 202 answering.
const B: Leg = leg("PJSIP/202-*", "202", "Bob", "up");
/// 203 ringing, then answering.
const C_RINGING: Leg = leg("PJSIP/203-*", "203", "Carol", "ringing");
const C: Leg = leg("PJSIP/203-*", "203", "Carol", "up");

fn is_idle(l: &Lab, e: &str) -> bool {
    l.ext(e)["conversations"] == json!({})
}

/// 201 and 202 talking after `call_201_to_202`, with `recording`.
fn a_talks_with_b(recording: &str) -> Value {
    json!({
        "201": ext("201", "busy", convs(vec![talk("201", A, B, recording)])),
        "202": ext("202", "busy", convs(vec![talk("202", A, B, recording)])),
        "203": idle("203"),
    })
}

/// 201 (leg `a`) calling or talking with 203 (leg `c`), 202 idle.
fn a_talks_with(a: Leg, c: Leg) -> Value {
    json!({
        "201": ext("201", "busy", convs(vec![talk("201", a, c, "false")])),
        "202": idle("202"),
        "203": ext("203", "busy", convs(vec![talk("203", a, c, "false")])),
    })
}

#[tokio::test]
async fn call_then_blind_transfer_to_203() {
    let l = lab().await;
    assert_eq!(
        l.exts(),
        json!({"201": idle("201"), "202": idle("202"), "203": idle("203")})
    );
    let id = call_201_to_202(&l).await;
    assert_eq!(l.exts(), a_talks_with_b("false"));
    l.op(
        "202",
        OpRequest::BlindTransfer {
            endpoint_id: "202".into(),
            convid: id,
            to: "203".into(),
        },
    )
    .await;
    l.until("202 idle, 203 rings", |l| {
        is_idle(l, "202") && field(&l.conv("203"), "chDest")["channelStatus"] == json!("ringing")
    })
    .await;
    // a ringing lab phone shows busy: its hint reports Busy while ringing, as recorded
    assert_eq!(l.exts(), a_talks_with(A, C_RINGING));
    l.answer("203").await;
    l.until("201 talks with 203", |l| connected_with(l, "203", "201"))
        .await;
    assert_eq!(l.exts(), a_talks_with(A, C));
    l.cancel.cancel();
}

#[tokio::test]
async fn attended_transfer_to_203() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    l.op(
        "202",
        OpRequest::Atxfer {
            endpoint_id: "202".into(),
            convid: id,
            to: "203".into(),
        },
    )
    .await;
    l.until("203 rings", |l| !is_idle(l, "203")).await;
    // 202 consults 203 through a Local channel; 201 waits alone on hold music
    let one = |status| leg("Local/203@from-internal-*;1", "203", "Carol", status);
    let two = |status| leg("Local/203@from-internal-*;2", "202", "<unknown>", status);
    let waiting = alone("201", A, ("202", "Bob"), false);
    let consulting = |c: Leg, local: &'static str| {
        json!({
            "201": ext("201", "busy", convs(vec![waiting.clone()])),
            "202": ext("202", "onhold", convs(vec![talk("202", B, one(local), "false")])),
            "203": ext("203", "busy", convs(vec![talk("203", two(local_two(local)), c, "false")])),
        })
    };
    assert_eq!(l.exts(), consulting(C_RINGING, "ringing"));
    l.answer("203").await;
    l.until("202 consults 203", |l| {
        field(&l.conv("203"), "connected") == json!(true)
    })
    .await;
    assert_eq!(l.exts(), consulting(C, "up"));
    l.sim.hangup("202").expect("202 hangs up");
    l.until("201 talks with 203", |l| {
        is_idle(l, "202") && connected_with(l, "201", "203")
    })
    .await;
    assert_eq!(l.exts(), a_talks_with(A, C));
    l.cancel.cancel();
}

/// The `;2` Local leg rings (`ring`) while `;1` is `ringing`.
fn local_two(one: &str) -> &'static str {
    if one == "ringing" {
        "ring"
    } else {
        "up"
    }
}

/// The parkings JSON with the countdown of a parked call checked and replaced.
fn parkings(l: &Lab) -> Value {
    let mut p = l.parkings();
    if let Some(t) = p["701"]["parkedCaller"].get_mut("timeout") {
        let left = t.as_u64().unwrap_or(0);
        assert!((40..=45).contains(&left), "parking countdown {left}");
        *t = json!("<countdown>");
    }
    p
}

#[tokio::test]
async fn park_then_pickup_from_another_extension() {
    let l = lab().await;
    assert_eq!(parkings(&l), empty_parkings());
    let id = call_201_to_202(&l).await;
    l.op(
        "202",
        OpRequest::Park {
            endpoint_id: "202".into(),
            convid: id,
            applicant_id: "202".into(),
        },
    )
    .await;
    l.until("201 parked, 202 idle", |l| {
        is_idle(l, "202") && l.parkings()["701"]["parkedCaller"] != json!({})
    })
    .await;
    let mut parked = empty_parkings();
    parked["701"]["parkedCaller"] = json!({
        "num": "201", "name": "<unknown>", "parking": "701", "channel": "PJSIP/201-*",
        "timeout": "<countdown>", "parkeeNum": "202", "parkeeName": "Bob",
    });
    assert_eq!(parkings(&l), parked);
    assert_eq!(
        l.exts(),
        json!({
            "201": ext("201", "busy", convs(vec![alone("201", A, ("202", "Bob"), false)])),
            "202": idle("202"),
            "203": idle("203"),
        })
    );
    l.op(
        "203",
        OpRequest::PickupParking {
            parking: "701".into(),
            dest_id: "203".into(),
        },
    )
    .await;
    l.answer("203").await;
    l.until("201 talks with 203, slot free", |l| {
        connected_with(l, "203", "201") && l.parkings()["701"]["parkedCaller"] == json!({})
    })
    .await;
    // the Redirect out of the lot gives ParkedCallGiveUp: the slot is empty again
    assert_eq!(parkings(&l), empty_parkings());
    assert_eq!(l.exts(), a_talks_with(A, C));
    l.cancel.cancel();
}

#[tokio::test]
async fn pickup_of_a_ringing_call() {
    let l = lab().await;
    // phone 201 dials 202 (its own channel: caller name Alice)
    let a = leg("PJSIP/201-*", "201", "Alice", "ring");
    l.sim.dial("201", "202").expect("201 dials 202");
    l.until("202 rings", |l| !is_idle(l, "202")).await;
    let b = leg("PJSIP/202-*", "202", "Bob", "ringing");
    assert_eq!(
        l.exts(),
        json!({
            "201": ext("201", "busy", convs(vec![talk("201", a, b, "false")])),
            "202": ext("202", "busy", convs(vec![talk("202", a, b, "false")])),
            "203": idle("203"),
        })
    );
    let pick = l.op_in_background(
        "203",
        OpRequest::PickupConv {
            endpoint_id: "202".into(),
            dest_id: "203".into(),
        },
    );
    l.answer("203").await;
    let Ok(Reply::Json(reply)) = pick.await.expect("joined") else {
        panic!("pickup_conv answers the originate's uniqueid")
    };
    assert_eq!(
        lab::json_norm::normalise(&reply),
        json!({"uniqueid": "<uid>"})
    );
    l.until("201 talks with 203", |l| {
        is_idle(l, "202") && connected_with(l, "201", "203")
    })
    .await;
    // 203's channel is an originate (no caller name); 202's ringing leg is gone
    let a = leg("PJSIP/201-*", "201", "Alice", "up");
    let c = leg("PJSIP/203-*", "203", "<unknown>", "up");
    assert_eq!(l.exts(), a_talks_with(a, c));
    l.cancel.cancel();
}

#[tokio::test]
async fn recording_start_and_stop_mark_the_conversation() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    // the PBX sends no event for it: the live model learns it through the hooks
    let steps = [
        (
            OpRequest::StartRecord {
                endpoint_id: "202".into(),
                convid: id.clone(),
            },
            "true",
        ),
        (
            OpRequest::MuteRecord {
                endpoint_id: "202".into(),
                convid: id.clone(),
                mute: true,
            },
            "mute",
        ),
        (
            OpRequest::StopRecord {
                endpoint_id: "202".into(),
                convid: id,
            },
            "false",
        ),
    ];
    for (req, recording) in steps {
        l.op("202", req).await;
        assert_eq!(l.exts(), a_talks_with_b(recording), "recording {recording}");
    }
    l.cancel.cancel();
}

/// Member 202 of queue 401 as its JSON shows it.
fn member(
    logged_in: bool,
    paused: bool,
    reason: &str,
    paused_in: Value,
    paused_out: Value,
) -> Value {
    json!({
        "type": "dynamic", "name": "Bob", "queue": "401", "member": "202",
        "paused": paused, "loggedIn": logged_in, "callsTakenCount": 0, "lastCallTimestamp": 0,
        "lastPausedInReason": reason, "lastPausedInTimestamp": paused_in,
        "lastPausedOutTimestamp": paused_out,
    })
}

#[tokio::test]
async fn queue_member_pause_with_a_reason_and_unpause() {
    let l = lab().await;
    let m = |l: &Lab| l.member("401", "202");
    assert_eq!(m(&l), member(false, false, "", json!(0), json!(0)));
    // FreePBX writes the penalty of every dynamic member
    l.pbx
        .execute(PbxCommand::DbPut {
            family: "QPENALTY".into(),
            key: "401/agents/202".into(),
            value: "0".into(),
        })
        .await
        .expect("db put");
    l.op(
        "202",
        OpRequest::QueueMemberAdd {
            endpoint_id: "202".into(),
            queue_id: "401".into(),
            paused: false,
        },
    )
    .await;
    l.until("202 logged in", |l| m(l)["loggedIn"] == json!(true))
        .await;
    assert_eq!(m(&l), member(true, false, "", json!(0), json!(0)));
    l.op(
        "202",
        OpRequest::QueueMemberPause {
            endpoint_id: "202".into(),
            queue_id: Some("401".into()),
            paused: true,
            reason: Some("lunch".into()),
        },
    )
    .await;
    l.until("202 paused", |l| m(l)["paused"] == json!(true))
        .await;
    assert_eq!(
        m(&l),
        member(true, true, "lunch", json!("<time>"), json!(0))
    );
    l.op(
        "202",
        OpRequest::QueueMemberPause {
            endpoint_id: "202".into(),
            queue_id: Some("401".into()),
            paused: false,
            reason: None,
        },
    )
    .await;
    l.until("202 unpaused", |l| m(l)["paused"] == json!(false))
        .await;
    assert_eq!(
        m(&l),
        member(true, false, "", json!("<time>"), json!("<time>"))
    );
    l.cancel.cancel();
}

#[tokio::test]
async fn spy_calls_the_spier_and_connects_it_to_the_spied_channel() {
    let l = lab().await;
    let id = call_201_to_202(&l).await;
    let spy = l.op_in_background(
        "203",
        OpRequest::Spy {
            endpoint_id: "201".into(),
            convid: id,
            dest_id: "203".into(),
            whisper: false,
        },
    );
    l.answer("203").await;
    assert_eq!(spy.await.expect("joined"), Ok(Reply::Empty));
    l.until("203 spies", |l| {
        field(&l.conv("203"), "connected") == json!(true)
    })
    .await;
    // the spy originate's caller id is `<unknown>`: number `unknown`, no name
    let spier = leg("PJSIP/203-*", "unknown", "<unknown>", "up");
    let mut want = a_talks_with_b("false");
    want["203"] = ext(
        "203",
        "busy",
        convs(vec![alone("203", spier, ("unknown", "<unknown>"), true)]),
    );
    assert_eq!(l.exts(), want, "the spied call goes on");
    l.cancel.cancel();
}
