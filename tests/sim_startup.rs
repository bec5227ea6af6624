//! Login and the initial-load list actions over real TCP, compared with the recorded
//! Asterisk 22 start-up session (`a-startup-queries-idle.ami`): same responses, same
//! item events with the same header names in the same order, same `EventList` framing
//! and `ListItems` counts.

#[path = "sim_support/mod.rs"]
mod support;

use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::sim::SimConfig;
use support::{start, transcript, Client, Record};

fn names(f: &Frame) -> Vec<String> {
    f.fields().iter().map(|(n, _)| n.clone()).collect()
}

/// The fields whose values must be equal too (framing and texts).
const EXACT: &[&str] = &[
    "Response",
    "Event",
    "EventList",
    "Message",
    "ListItems",
    "ActionID",
    "Items",
    "Total",
];

fn shape(f: &Frame) -> (Vec<String>, Vec<(String, String)>) {
    let exact = f
        .fields()
        .iter()
        .filter(|(n, _)| EXACT.contains(&n.as_str()))
        .cloned()
        .collect();
    (names(f), exact)
}

#[tokio::test]
async fn startup_queries_match_the_recorded_idle_session() {
    let sim = start(SimConfig::lab()).await;
    sim.handle.with(|st| {
        st.db.insert(("DND".into(), "201".into()), "NO".into());
    });
    let mut client = Client::logged_in(&sim).await;
    let recs = transcript("a-startup-queries-idle.ami");
    // Group the recorded replies by the action that caused them.
    let mut compared = 0;
    let mut i = 0;
    while i < recs.len() {
        let Record::Sent(action) = &recs[i] else {
            i += 1;
            continue;
        };
        i += 1;
        let mut real: Vec<Frame> = Vec::new();
        while i < recs.len() && !matches!(recs[i], Record::Sent(_)) {
            if let Record::Received(f) = &recs[i] {
                if f.action_id() == action.action_id() && f.action_id().is_some() {
                    real.push(f.clone());
                }
            }
            i += 1;
        }
        let name = action.get_or_empty("Action");
        if name == "Login" {
            continue;
        }
        let pairs: Vec<(&str, &str)> = action
            .fields()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let got = if name == "Logoff" {
            let r = client.send(&pairs).await;
            assert!(
                client.read_frame().await.is_none(),
                "Logoff closes the connection"
            );
            vec![r]
        } else {
            client.list(&pairs).await
        };
        let mut real_shapes: Vec<_> = real.iter().map(shape).collect();
        let mut got_shapes: Vec<_> = got.iter().map(shape).collect();
        if name == "ExtensionStateList" || name == "DeviceStateList" {
            // Asterisk lists hints and devices in hash order: compare as multisets.
            real_shapes[1..].sort();
            got_shapes[1..].sort();
        }
        assert_eq!(got_shapes, real_shapes, "reply to {name} differs");
        compared += 1;
    }
    assert_eq!(compared, 17, "every recorded start-up action was compared");
}

#[tokio::test]
async fn banner_and_login_then_fully_booted() {
    let sim = start(SimConfig::lab()).await;
    let (mut c, banner) = Client::connect(&sim).await;
    assert_eq!(banner, "Asterisk Call Manager/11.0.0");
    let r = c.send(&[("Action", "Ping"), ("ActionID", "p0")]).await;
    assert_eq!(
        r.fields(),
        Frame::new()
            .with("Response", "Error")
            .with("ActionID", "p0")
            .with("Message", "Authentication Required")
            .fields()
    );
    let r = c
        .send(&[
            ("Action", "Login"),
            ("ActionID", "x-1"),
            ("Username", "cti"),
            ("Secret", "ctisecret"),
            ("Events", "on"),
        ])
        .await;
    assert_eq!(
        r.fields(),
        Frame::new()
            .with("Response", "Success")
            .with("ActionID", "x-1")
            .with("Message", "Authentication accepted")
            .fields()
    );
    let fb = c.read_frame().await.expect("FullyBooted");
    assert_eq!(
        names(&fb),
        vec!["Event", "Privilege", "Uptime", "LastReload", "Status"]
    );
    assert_eq!(fb.get("Status"), Some("Fully Booted"));
    let r = c.send(&[("Action", "Ping"), ("ActionID", "p1")]).await;
    assert_eq!(r.get("Ping"), Some("Pong"));
    assert_eq!(names(&r), vec!["Response", "ActionID", "Ping", "Timestamp"]);
}

#[tokio::test]
async fn wrong_secret_is_refused_and_the_connection_closed() {
    let sim = start(SimConfig::lab()).await;
    let (mut c, _) = Client::connect(&sim).await;
    let r = c
        .send(&[
            ("Action", "Login"),
            ("ActionID", "1"),
            ("Username", "cti"),
            ("Secret", "nope"),
        ])
        .await;
    assert_eq!(r.get("Response"), Some("Error"));
    assert_eq!(r.get("Message"), Some("Authentication failed"));
    assert!(c.read_frame().await.is_none());
}

#[tokio::test]
async fn md5_challenge_login() {
    use md5::{Digest, Md5};
    let sim = start(SimConfig::lab()).await;
    let (mut c, _) = Client::connect(&sim).await;
    let r = c
        .send(&[
            ("Action", "Challenge"),
            ("ActionID", "c"),
            ("AuthType", "MD5"),
        ])
        .await;
    let challenge = r.get("Challenge").expect("challenge").to_owned();
    let mut h = Md5::new();
    h.update(challenge.as_bytes());
    h.update(b"ctisecret");
    let key = hex::encode(h.finalize());
    let r = c
        .send(&[
            ("Action", "Login"),
            ("ActionID", "l"),
            ("AuthType", "MD5"),
            ("Username", "cti"),
            ("Key", &key),
        ])
        .await;
    assert_eq!(r.get("Message"), Some("Authentication accepted"));
}

#[tokio::test]
async fn garbage_closes_only_that_session() {
    let sim = start(SimConfig::lab()).await;
    let mut bad = Client::logged_in(&sim).await;
    bad.write_raw(b"this is not AMI at all\r\n\r\n").await;
    assert!(
        bad.read_frame().await.is_none(),
        "garbage closes the session"
    );
    let mut good = Client::logged_in(&sim).await;
    let r = good.send(&[("Action", "Ping"), ("ActionID", "1")]).await;
    assert_eq!(r.get("Ping"), Some("Pong"));
    let r = good.send(&[("Action", "FooBar"), ("ActionID", "2")]).await;
    assert_eq!(
        r.fields(),
        Frame::new()
            .with("Response", "Error")
            .with("ActionID", "2")
            .with("Message", "Invalid/unknown command")
            .fields()
    );
    let r = good.send(&[("ActionID", "3")]).await;
    assert_eq!(r.get("Message"), Some("Missing action in request"));
}
