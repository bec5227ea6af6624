//! Operation actions over real TCP: every action's response (texts as Asterisk 22
//! sends them) and the state it leaves behind.

#[path = "sim_support/mod.rs"]
mod support;

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::sim::SimConfig;
use support::{start, Client, Sim};

fn reply(kind: &str, id: &str, msg: &str) -> Frame {
    Frame::new()
        .with("Response", kind)
        .with("ActionID", id)
        .with("Message", msg)
}

/// 201 calls 202 and 202 answers; returns (201's channel, 202's channel).
fn talking(sim: &Sim) -> (String, String) {
    let h = &sim.handle;
    let a = h.dial("201", "202").expect("dial");
    h.answer("202").expect("answer");
    let b = h.with(|st| st.chan_of("202")).expect("202 channel");
    (a, b)
}

fn events<'a>(frames: &'a [Frame], name: &str) -> Vec<&'a Frame> {
    frames.iter().filter(|f| f.event() == Some(name)).collect()
}

#[tokio::test]
async fn originate_async_to_an_extension() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    let r = c
        .send(&[
            ("Action", "Originate"),
            ("ActionID", "o1"),
            ("Channel", "PJSIP/201"),
            ("Context", "internal"),
            ("Exten", "202"),
            ("Priority", "1"),
            ("CallerID", "\"Click2Dial\" <202>"),
            ("Async", "true"),
        ])
        .await;
    assert_eq!(r, reply("Success", "o1", "Originate successfully queued"));
    sim.handle.answer("201").expect("201 answers");
    let evs = c.sync().await;
    let resp = events(&evs, "OriginateResponse");
    assert_eq!(resp.len(), 1);
    assert_eq!(resp[0].get("ActionID"), Some("o1"));
    assert_eq!(resp[0].get("Response"), Some("Success"));
    assert_eq!(resp[0].get("Reason"), Some("4"));
    assert_eq!(resp[0].get("CallerIDName"), Some("Click2Dial"));
    // 201 then dials 202.
    let begins = events(&evs, "DialBegin");
    assert_eq!(begins.last().and_then(|f| f.get("DialString")), Some("202"));
}

#[tokio::test]
async fn originate_sync_waits_for_the_answer_and_fails_on_reject() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    c.send_only(&[
        ("Action", "Originate"),
        ("ActionID", "s1"),
        ("Channel", "PJSIP/203"),
        ("Exten", "202"),
        ("Context", "internal"),
    ])
    .await;
    // Answer once the channel rings (the response only comes after the answer).
    loop {
        if sim.handle.answer("203").is_ok() {
            break;
        }
        tokio::task::yield_now().await;
    }
    let mut got = None;
    while got.is_none() {
        let f = c.read_frame().await.expect("frame");
        if f.response().is_some() && f.event().is_none() {
            got = Some(f);
        }
    }
    assert_eq!(
        got,
        Some(reply("Success", "s1", "Originate successfully queued"))
    );
    c.send_only(&[
        ("Action", "Originate"),
        ("ActionID", "s2"),
        ("Channel", "PJSIP/201"),
        ("Exten", "203"),
        ("Context", "internal"),
    ])
    .await;
    loop {
        if sim.handle.reject("201").is_ok() {
            break;
        }
        tokio::task::yield_now().await;
    }
    let mut got = None;
    while got.is_none() {
        let f = c.read_frame().await.expect("frame");
        if f.response().is_some() && f.event().is_none() {
            got = Some(f);
        }
    }
    assert_eq!(got, Some(reply("Error", "s2", "Originate failed")));
}

#[tokio::test]
async fn originate_chanspy_application() {
    let sim = start(SimConfig::lab()).await;
    let (a, _) = talking(&sim);
    let mut c = Client::logged_in(&sim).await;
    let r = c
        .send(&[
            ("Action", "Originate"),
            ("ActionID", "spy"),
            ("Channel", "PJSIP/203"),
            ("Application", "ChanSpy"),
            ("Data", "PJSIP/201,bq"),
            ("Async", "true"),
        ])
        .await;
    assert_eq!(r, reply("Success", "spy", "Originate successfully queued"));
    sim.handle.answer("203").expect("answer");
    let evs = c.sync().await;
    let spy = events(&evs, "ChanSpyStart");
    assert_eq!(spy.len(), 1);
    assert_eq!(spy[0].get("SpyeeChannel"), Some(a.as_str()));
}

#[tokio::test]
async fn hangup_redirect_and_unknown_channels() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    let r = c
        .send(&[
            ("Action", "Hangup"),
            ("ActionID", "h0"),
            ("Channel", "PJSIP/999-00000000"),
        ])
        .await;
    assert_eq!(r, reply("Error", "h0", "No such channel"));
    let (a, b) = talking(&sim);
    let r = c
        .send(&[("Action", "Hangup"), ("ActionID", "h1"), ("Channel", &b)])
        .await;
    assert_eq!(r, reply("Success", "h1", "Channel Hungup"));
    assert_eq!(sim.handle.with(|st| st.channels.len()), 0);
    let (a2, b2) = talking(&sim);
    let _ = a;
    let r = c
        .send(&[
            ("Action", "Redirect"),
            ("ActionID", "r1"),
            ("Channel", &a2),
            ("ExtraChannel", &b2),
            ("Context", "internal"),
            ("Exten", "801"),
            ("Priority", "1"),
        ])
        .await;
    assert_eq!(r, reply("Success", "r1", "Dual Redirect successful"));
    let rooms = c
        .list(&[
            ("Action", "ConfbridgeList"),
            ("ActionID", "cl"),
            ("Conference", "801"),
        ])
        .await;
    assert_eq!(rooms.last().and_then(|f| f.get("ListItems")), Some("2"));
}

#[tokio::test]
async fn transfers_and_park() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    let (_, b) = talking(&sim);
    let r = c
        .send(&[
            ("Action", "BlindTransfer"),
            ("ActionID", "b1"),
            ("Channel", &b),
            ("Context", "internal"),
            ("Exten", "203"),
        ])
        .await;
    assert_eq!(r, reply("Success", "b1", "Transfer succeeded"));
    sim.handle.answer("203").expect("203 answers");
    sim.handle.hangup("203").expect("hangup");
    let (_, b) = talking(&sim);
    let r = c
        .send(&[
            ("Action", "Atxfer"),
            ("ActionID", "a1"),
            ("Channel", &b),
            ("Context", "internal"),
            ("Exten", "203"),
        ])
        .await;
    assert_eq!(r, reply("Success", "a1", "Atxfer successfully queued"));
    sim.handle.answer("203").expect("203 answers");
    sim.handle
        .hangup("202")
        .expect("202 completes the transfer");
    let evs = c.sync().await;
    assert_eq!(events(&evs, "AttendedTransfer").len(), 1);
    // 201 and 203 now talk in one bridge.
    let peers = sim.handle.with(|st| {
        let a = st.chan_of("201").expect("201");
        st.bridge_peers(&a)
    });
    assert_eq!(peers.len(), 1);
    assert!(peers[0].starts_with("PJSIP/203-"));
    sim.handle.hangup("203").expect("hangup");
    let (a, b) = talking(&sim);
    let r = c
        .send(&[
            ("Action", "Park"),
            ("ActionID", "p1"),
            ("Channel", &a),
            ("TimeoutChannel", &b),
        ])
        .await;
    assert_eq!(r, reply("Success", "p1", "Park successful"));
    let parked = c
        .list(&[("Action", "ParkedCalls"), ("ActionID", "pc")])
        .await;
    assert_eq!(parked[1].get("ParkingSpace"), Some("701"));
    assert_eq!(parked[1].get("ParkeeChannel"), Some(a.as_str()));
    assert_eq!(parked.last().and_then(|f| f.get("Total")), Some("1"));
}

#[tokio::test]
async fn queue_member_actions_and_errors() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    let add = [
        ("Action", "QueueAdd"),
        ("ActionID", "q1"),
        ("Queue", "401"),
        ("Interface", "PJSIP/203"),
        ("MemberName", "Carol Desk"),
    ];
    assert_eq!(
        c.send(&add).await,
        reply("Success", "q1", "Added interface to queue")
    );
    assert_eq!(
        c.send(&add).await,
        reply("Error", "q1", "Unable to add interface: Already there")
    );
    let r = c
        .send(&[
            ("Action", "QueuePause"),
            ("ActionID", "q2"),
            ("Queue", "401"),
            ("Interface", "PJSIP/203"),
            ("Paused", "true"),
            ("Reason", "lunch"),
        ])
        .await;
    assert_eq!(r, reply("Success", "q2", "Interface paused successfully"));
    let st = c
        .list(&[
            ("Action", "QueueStatus"),
            ("ActionID", "q3"),
            ("Queue", "401"),
            ("Member", "PJSIP/203"),
        ])
        .await;
    let member = st
        .iter()
        .find(|f| f.event() == Some("QueueMember"))
        .expect("member");
    assert_eq!(member.get("Paused"), Some("1"));
    assert_eq!(member.get("PausedReason"), Some("lunch"));
    let r = c
        .send(&[
            ("Action", "QueuePenalty"),
            ("ActionID", "q4"),
            ("Queue", "401"),
            ("Interface", "PJSIP/203"),
            ("Penalty", "2"),
        ])
        .await;
    assert_eq!(
        r,
        reply("Success", "q4", "Interface penalty set successfully")
    );
    let rm = [
        ("Action", "QueueRemove"),
        ("ActionID", "q5"),
        ("Queue", "401"),
        ("Interface", "PJSIP/203"),
    ];
    assert_eq!(
        c.send(&rm).await,
        reply("Success", "q5", "Removed interface from queue")
    );
    assert_eq!(
        c.send(&rm).await,
        reply("Error", "q5", "Unable to remove interface: Not there")
    );
    let evs = c.sync().await;
    let names: Vec<&str> = evs
        .iter()
        .filter_map(|f| f.event())
        .filter(|e| e.starts_with("QueueMember"))
        .collect();
    assert_eq!(
        names,
        vec![
            "QueueMemberAdded",
            "QueueMemberPause",
            "QueueMemberPenalty",
            "QueueMemberRemoved"
        ]
    );
}

#[tokio::test]
async fn recording_db_notify_conference_and_misc() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    let (a, _) = talking(&sim);
    let r = c
        .send(&[
            ("Action", "MixMonitor"),
            ("ActionID", "m1"),
            ("Channel", &a),
            ("File", "x.wav"),
        ])
        .await;
    assert_eq!(r.get("Response"), Some("Success"));
    assert!(r.get("MixMonitorID").is_some());
    let r = c
        .send(&[
            ("Action", "MixMonitorMute"),
            ("ActionID", "m2"),
            ("Channel", &a),
            ("State", "1"),
        ])
        .await;
    assert_eq!(
        r,
        Frame::new()
            .with("Response", "Success")
            .with("ActionID", "m2")
    );
    let r = c
        .send(&[
            ("Action", "StopMixMonitor"),
            ("ActionID", "m3"),
            ("Channel", &a),
        ])
        .await;
    assert_eq!(
        r,
        Frame::new()
            .with("Response", "Success")
            .with("ActionID", "m3")
    );
    let r = c
        .send(&[
            ("Action", "DBPut"),
            ("ActionID", "d1"),
            ("Family", "CF"),
            ("Key", "201"),
            ("Val", "0612345678"),
        ])
        .await;
    assert_eq!(r, reply("Success", "d1", "Updated database successfully"));
    let g = c
        .list(&[
            ("Action", "DBGet"),
            ("ActionID", "d2"),
            ("Family", "CF"),
            ("Key", "201"),
        ])
        .await;
    assert_eq!(g[1].get("Val"), Some("0612345678"));
    let t = c
        .list(&[
            ("Action", "DBGetTree"),
            ("ActionID", "d3"),
            ("Family", "CF"),
        ])
        .await;
    assert_eq!(t[1].get("Key"), Some("/CF/201"));
    let r = c
        .send(&[
            ("Action", "DBDel"),
            ("ActionID", "d4"),
            ("Family", "CF"),
            ("Key", "201"),
        ])
        .await;
    assert_eq!(r, reply("Success", "d4", "Key deleted successfully"));
    let r = c
        .send(&[
            ("Action", "DBDel"),
            ("ActionID", "d5"),
            ("Family", "CF"),
            ("Key", "201"),
        ])
        .await;
    assert_eq!(r, reply("Error", "d5", "Database entry not found"));
    let r = c
        .send(&[
            ("Action", "PJSIPNotify"),
            ("ActionID", "n1"),
            ("Endpoint", "201"),
            ("Variable", "Event=check-sync"),
        ])
        .await;
    assert_eq!(r, reply("Success", "n1", "NOTIFY sent"));
    let r = c
        .send(&[
            ("Action", "PlayDTMF"),
            ("ActionID", "t1"),
            ("Channel", &a),
            ("Digit", "5"),
        ])
        .await;
    assert_eq!(r, reply("Success", "t1", "DTMF successfully queued"));
    let r = c
        .send(&[
            ("Action", "MuteAudio"),
            ("ActionID", "u1"),
            ("Channel", &a),
            ("Direction", "in"),
            ("State", "on"),
        ])
        .await;
    assert_eq!(r, reply("Success", "u1", "Audiohook has been updated"));
    let r = c
        .send(&[
            ("Action", "Setvar"),
            ("ActionID", "v1"),
            ("Channel", &a),
            ("Variable", "X"),
            ("Value", "1"),
        ])
        .await;
    assert_eq!(r, reply("Success", "v1", "Variable Set"));
    let r = c
        .send(&[
            ("Action", "Command"),
            ("ActionID", "c1"),
            ("Command", "core show version"),
        ])
        .await;
    assert_eq!(r.get("Message"), Some("Command output follows"));
    assert_eq!(
        r.get("Output"),
        Some("Asterisk 22.10.1 built by sim @ labpbx on a x86_64 running Linux")
    );
    sim.handle.hangup("201").expect("hangup");
    sim.handle.dial("201", "801").expect("join");
    sim.handle.dial("202", "801").expect("join");
    let b = sim.handle.with(|st| st.chan_of("202")).expect("202");
    let r = c
        .send(&[
            ("Action", "ConfbridgeMute"),
            ("ActionID", "k1"),
            ("Conference", "801"),
            ("Channel", &b),
        ])
        .await;
    assert_eq!(r, reply("Success", "k1", "User muted"));
    let r = c
        .send(&[
            ("Action", "ConfbridgeUnmute"),
            ("ActionID", "k2"),
            ("Conference", "801"),
            ("Channel", &b),
        ])
        .await;
    assert_eq!(r, reply("Success", "k2", "User unmuted"));
    let r = c
        .send(&[
            ("Action", "ConfbridgeKick"),
            ("ActionID", "k3"),
            ("Conference", "801"),
            ("Channel", &b),
        ])
        .await;
    assert_eq!(r, reply("Success", "k3", "User kicked"));
    let r = c
        .send(&[
            ("Action", "ConfbridgeKick"),
            ("ActionID", "k4"),
            ("Conference", "999"),
            ("Channel", &b),
        ])
        .await;
    assert_eq!(r, reply("Error", "k4", "No Conference by that name found."));
    let rooms = c
        .list(&[("Action", "ConfbridgeListRooms"), ("ActionID", "k5")])
        .await;
    assert_eq!(rooms[1].get("Parties"), Some("1"));
}

#[tokio::test]
async fn redirect_out_of_the_parking_lot_gives_up_the_space_and_keeps_the_others() {
    let sim = start(SimConfig::lab()).await;
    let h = &sim.handle;
    // 202 talks with 203 and is parked in 701 (203 released); then 201 calls 203 and
    // is parked in 702; a Redirect takes 201 out of the lot (as `pickup_parking` does)
    h.dial("202", "203").expect("dial");
    h.answer("203").expect("answer");
    let (b, c3) = h.with(|st| (st.chan_of("202"), st.chan_of("203")));
    let (b, c3) = (b.expect("202"), c3.expect("203"));
    let mut c = Client::logged_in(&sim).await;
    let park = |id: &'static str, ch: String, parker: String| {
        [
            ("Action", "Park".to_owned()),
            ("ActionID", id.to_owned()),
            ("Channel", ch),
            ("TimeoutChannel", parker),
        ]
    };
    let p = park("p1", b.clone(), c3);
    let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        c.send(&pairs).await,
        reply("Success", "p1", "Park successful")
    );
    h.dial("201", "203").expect("dial");
    h.answer("203").expect("answer");
    let (a, c3) = h.with(|st| (st.chan_of("201"), st.chan_of("203")));
    let (a, c3) = (a.expect("201"), c3.expect("203"));
    let p = park("p2", a.clone(), c3);
    let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        c.send(&pairs).await,
        reply("Success", "p2", "Park successful")
    );
    c.sync().await;
    let r = c
        .send(&[
            ("Action", "Redirect"),
            ("ActionID", "r1"),
            ("Channel", &a),
            ("Context", "internal"),
            ("Exten", "203"),
            ("Priority", "1"),
        ])
        .await;
    assert_eq!(r, reply("Success", "r1", "Redirect successful"));
    let evs = c.sync().await;
    let gave_up = events(&evs, "ParkedCallGiveUp");
    assert_eq!(gave_up.len(), 1);
    assert_eq!(gave_up[0].get("ParkingSpace"), Some("702"));
    assert_eq!(gave_up[0].get("ParkeeChannel"), Some(a.as_str()));
    let left: Vec<&str> = events(&evs, "BridgeLeave")
        .iter()
        .map(|f| f.get_or_empty("Channel"))
        .collect();
    assert_eq!(
        left,
        vec![a.as_str()],
        "only the redirected call leaves the lot"
    );
    assert!(events(&evs, "Hangup").is_empty(), "nobody hangs up");
    assert_eq!(
        events(&evs, "DialBegin")
            .iter()
            .map(|f| (f.get_or_empty("Channel"), f.get_or_empty("DestCallerIDNum")))
            .collect::<Vec<_>>(),
        vec![(a.as_str(), "203")]
    );
    let parked = c
        .list(&[("Action", "ParkedCalls"), ("ActionID", "pc")])
        .await;
    assert_eq!(parked.len(), 3, "{parked:?}");
    assert_eq!(parked[1].get("ParkingSpace"), Some("701"));
    assert_eq!(parked[1].get("ParkeeChannel"), Some(b.as_str()));
    assert_eq!(parked[2].get("Total"), Some("1"));
}

#[tokio::test]
async fn directed_pickup_takes_the_ringing_call_and_drops_the_ringing_leg() {
    let sim = start(SimConfig::lab()).await;
    let h = &sim.handle;
    let a = h.dial("201", "202").expect("dial");
    let b = h.with(|st| st.chan_of("202")).expect("202 rings");
    let mut c = Client::logged_in(&sim).await;
    let r = c
        .send(&[
            ("Action", "Originate"),
            ("ActionID", "o1"),
            ("Channel", "PJSIP/203"),
            ("Context", "internal"),
            ("Exten", "**202"),
            ("Priority", "1"),
            ("Async", "true"),
        ])
        .await;
    assert_eq!(r, reply("Success", "o1", "Originate successfully queued"));
    h.answer("203").expect("203 answers");
    let evs = c.sync().await;
    let picker = h.with(|st| st.chan_of("203")).expect("203 channel");
    let pickup = events(&evs, "Pickup");
    assert_eq!(pickup.len(), 1);
    assert_eq!(pickup[0].get("Channel"), Some(picker.as_str()));
    assert_eq!(pickup[0].get("TargetChannel"), Some(b.as_str()));
    let hangups: Vec<(&str, &str)> = events(&evs, "Hangup")
        .iter()
        .map(|f| (f.get_or_empty("Channel"), f.get_or_empty("Cause")))
        .collect();
    assert_eq!(hangups, vec![(b.as_str(), "26")]);
    let answered: Vec<(&str, &str)> = events(&evs, "DialEnd")
        .iter()
        .filter(|f| f.get("Channel") == Some(a.as_str()))
        .map(|f| (f.get_or_empty("DestChannel"), f.get_or_empty("DialStatus")))
        .collect();
    assert_eq!(answered, vec![(picker.as_str(), "ANSWER")]);
    let entered: Vec<&str> = events(&evs, "BridgeEnter")
        .iter()
        .map(|f| f.get_or_empty("Channel"))
        .collect();
    assert_eq!(entered, vec![picker.as_str(), a.as_str()]);
    assert_eq!(h.with(|st| st.bridge_peers(&a)), vec![picker]);
}

#[tokio::test]
async fn restart_sends_shutdown_closes_and_comes_back_with_non_qualified_contacts() {
    let sim = start(SimConfig::lab()).await;
    let mut c = Client::logged_in(&sim).await;
    sim.handle.with(|st| {
        st.db
            .insert(("DND".to_owned(), "201".to_owned()), "YES".to_owned())
    });
    sim.handle.restart();
    let mut seen = Vec::new();
    while let Some(f) = c.read_frame().await {
        seen.push(f);
    }
    assert_eq!(
        seen,
        vec![Frame::new()
            .with("Event", "Shutdown")
            .with("Privilege", "system,all")
            .with("SystemName", "labpbx")
            .with("Shutdown", "Cleanly")
            .with("Restart", "True")]
    );
    let mut c = Client::logged_in(&sim).await;
    let contacts = c
        .list(&[("Action", "PJSIPShowContacts"), ("ActionID", "pc")])
        .await;
    let status: Vec<(&str, &str)> = contacts[1..contacts.len() - 1]
        .iter()
        .map(|f| (f.get_or_empty("Endpoint"), f.get_or_empty("Status")))
        .collect();
    assert_eq!(
        status,
        vec![
            ("201", "NonQualified"),
            ("202", "NonQualified"),
            ("203", "NonQualified")
        ]
    );
    let r = c
        .send(&[
            ("Action", "DBGet"),
            ("ActionID", "g"),
            ("Family", "DND"),
            ("Key", "201"),
        ])
        .await;
    assert_eq!(r.get("Response"), Some("Success"), "astdb survives: {r:?}");
}
