//! The whole daemon in `--demo` mode (simulated PBX over real AMI, REST, operations) driven
//! over HTTP as a client would: login, reads, a click-to-call, its hang-up, and errors.
//! Unlike `support/daemon.rs` (used by the push tests), the settings come from the command
//! line through `Cli` and `Settings::resolve`, exactly as the binary builds them.

#[path = "support/daemon.rs"]
mod daemon;
#[path = "support/demo.rs"]
mod demo;

use demo::Demo;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

impl Demo {
    async fn get(&self, auth: &str, path: &str) -> (u16, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .header("Authorization", auth)
            .send()
            .await
            .expect("get");
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, auth: Option<&str>, path: &str, body: Value) -> (u16, String) {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(a) = auth {
            req = req.header("Authorization", a);
        }
        let resp = req.send().await.expect("post");
        let status = resp.status().as_u16();
        (status, resp.text().await.unwrap_or_default())
    }

    /// Polls extension `e` until `pred` holds (10 s at most) and returns its JSON.
    async fn wait_exten(&self, auth: &str, e: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let (status, x) = self.get(auth, &format!("/astproxy/extension/{e}")).await;
            assert_eq!(status, 200, "{x}");
            if pred(&x) {
                return x;
            }
            assert!(
                Instant::now() < deadline,
                "extension {e} never matched: {x}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// An idle demo phone (the simulator registers extension 2NN from 127.0.0.1:5NN70).
fn idle_exten(exten: &str, name: &str, username: &str, port: &str) -> Value {
    json!({
        "ip": "127.0.0.1", "cf": "", "mac": "", "cfb": "", "cfu": "", "dnd": false,
        "cfVm": "", "port": port, "name": name, "cfbVm": "",
        "cfuVm": "", "exten": exten, "codecs": [], "status": "online", "context": "",
        "chanType": "pjsip", "username": username,
        "sipuseragent": "baresip v1.0.0 (x86_64/linux)", "conversations": {}
    })
}

#[tokio::test]
async fn demo_daemon_places_and_hangs_up_a_click_to_call_through_rest() {
    let d = demo::demo(None).await;
    let alice = d.login("alice", "alice").await;

    let (status, x) = d.get(&alice, "/astproxy/extension/203").await;
    assert_eq!(status, 200);
    assert_eq!(x, idle_exten("203", "Carol Verdi", "carol", "5370"));

    let (status, body) = d
        .post(
            Some(&alice),
            "/astproxy/call",
            json!({"number": "202", "endpointId": "201", "endpointType": "extension"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let reply: Value = serde_json::from_str(&body).expect("JSON reply");
    let uniqueid = reply["uniqueid"].as_str().expect("uniqueid").to_owned();
    assert_eq!(reply, json!({ "uniqueid": uniqueid }));

    let x = d
        .wait_exten(&alice, "201", |x| {
            x["conversations"]
                .as_object()
                .is_some_and(|c| c.values().any(|v| v["connected"] == json!(true)))
        })
        .await;
    let convs = x["conversations"].as_object().expect("conversations");
    assert_eq!(convs.len(), 1);
    let (id, conv) = convs.iter().next().expect("one conversation");
    assert!(
        id.starts_with("PJSIP/201-") && id.contains(">PJSIP/202-"),
        "{id}"
    );
    assert_eq!(x["status"], "busy");
    assert_eq!(conv["uniqueId"], json!(uniqueid));
    assert_eq!(conv["direction"], "out");
    assert_eq!(conv["counterpartNum"], "202");
    assert_eq!(conv["counterpartName"], "Bob Bianchi");
    assert_eq!(conv["recording"], "false");

    let (status, body) = d
        .post(
            Some(&alice),
            "/astproxy/hangup",
            json!({"convid": id, "endpointId": "201"}),
        )
        .await;
    assert_eq!((status, body.as_str()), (200, ""));
    let x = d
        .wait_exten(&alice, "201", |x| x["conversations"] == json!({}))
        .await;
    assert_eq!(x, idle_exten("201", "Alice Rossi", "alice", "5170"));
    let x = d
        .wait_exten(&alice, "202", |x| x["conversations"] == json!({}))
        .await;
    assert_eq!(x, idle_exten("202", "Bob Bianchi", "bob", "5270"));
    assert!(d.running.sim.is_some());
}

#[tokio::test]
async fn demo_daemon_answers_operation_errors_with_json() {
    let d = demo::demo(None).await;
    let (status, body) = d
        .post(
            None,
            "/astproxy/hangup",
            json!({"convid": "x", "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 401, "{body}");

    let alice = d.login("alice", "alice").await;
    let (status, body) = d
        .post(
            Some(&alice),
            "/astproxy/hangup",
            json!({"convid": "PJSIP/201-000000ff>PJSIP/202-00000100", "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 404);
    let err: Value = serde_json::from_str(&body).expect("JSON error");
    assert_eq!(err["code"], "ConversationNotFound");

    let (status, body) = d
        .post(
            Some(&alice),
            "/astproxy/hangup",
            json!({"endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&body).expect("JSON error"),
        json!({"code": "BadRequest", "message": "invalid or missing field `convid`: required"})
    );

    let bob = d.login("bob", "bob").await;
    let (status, _) = d
        .post(
            Some(&bob),
            "/astproxy/call",
            json!({"number": "203", "endpointId": "201"}),
        )
        .await;
    assert_eq!(status, 403);
}

/// A logged-in, idle, paused-nowhere dynamic member of the demo queues.
fn member(queue: &str, exten: &str, name: &str) -> Value {
    json!({
        "type": "dynamic", "name": name, "queue": queue, "member": exten, "paused": false,
        "loggedIn": true, "callsTakenCount": 0, "lastCallTimestamp": 0,
        "lastPausedInReason": "", "lastPausedInTimestamp": 0, "lastPausedOutTimestamp": 0
    })
}

fn queue_401() -> Value {
    json!({
        "name": "Support", "queue": "401",
        "members": {
            "202": member("401", "202", "Bob Bianchi"),
            "203": member("401", "203", "Carol Verdi"),
            "204": member("401", "204", "Dave Neri")
        },
        "avgHoldTime": "0", "avgTalkTime": "0", "waitingCallers": {},
        "completedCallsCount": "0", "abandonedCallsCount": "0",
        "serviceLevelTimePeriod": "0", "serviceLevelPercentage": "0.0"
    })
}

#[tokio::test]
async fn demo_daemon_reads_match_the_fixture_configuration() {
    let d = demo::demo(None).await;
    let alice = d.login("alice", "alice").await;
    let parkings: serde_json::Map<String, Value> = (701..=720)
        .map(|p| {
            let p = p.to_string();
            let v = json!({"name": p, "parking": p, "timeout": 45, "parkedCaller": {}});
            (p, v)
        })
        .collect();
    let expected = [
        (
            "/astproxy/trunks",
            json!({"trunk": {"ip": "", "port": "", "name": "Carrier", "exten": "trunk",
                "codecs": [], "status": "online", "registration": "unmonitored",
                "chanType": "pjsip", "maxChannels": 4, "conversations": {}}}),
        ),
        ("/astproxy/parkings", Value::Object(parkings)),
        (
            "/astproxy/opdata",
            json!({"inQueue": "401", "waitingQueue": "ctiopqueue1", "401": queue_401()}),
        ),
        (
            "/astproxy/opgroups",
            json!({"Support team": {"users": ["alice", "bob", "carol", "dave"]},
                   "Sales team": {"users": ["erin", "frank", "grace", "heidi"]},
                   "Management": {"users": ["alice", "walter"]}}),
        ),
        ("/astproxy/prefix", json!({"prefix": ""})),
        (
            "/astproxy/feature_codes",
            json!({"confbridge_conf": "*88", "dnd_toggle": "*76", "incall_audio": "*77",
                   "meetme_conf": "*88", "pickup": "*8", "que_toggle": "*45"}),
        ),
        ("/user/presence", json!({"status": "online"})),
        ("/user/presence_onbusy", json!({"status": "online"})),
        ("/user/presence_onunavailable", json!({"status": "online"})),
        (
            "/user/presencelist",
            json!(["online", "dnd", "callforward", "cellphone", "voicemail"]),
        ),
        (
            "/user/presencelist_onbusy",
            json!(["online", "voicemail", "cellphone", "callforward"]),
        ),
        ("/user/all_avatars", json!({})),
        ("/user/paramurl", json!({})),
    ];
    for (path, want) in expected {
        assert_eq!(d.get(&alice, path).await, (200, want), "{path}");
    }
    // Alice's desk phone (her default device) and browser phone are registered; the
    // mobile app is not.
    for (device, want) in [
        ("91201", "online"),
        ("92201", "online"),
        ("93201", "offline"),
    ] {
        let (status, x) = d
            .get(&alice, &format!("/astproxy/extension/{device}"))
            .await;
        assert_eq!(
            (status, &x["exten"], &x["status"]),
            (200, &json!(device), &json!(want))
        );
    }
    let (status, queues) = d.get(&alice, "/astproxy/queues").await;
    assert_eq!(status, 200);
    assert_eq!(queues["401"], queue_401());
    assert_eq!(
        queues["402"]["members"]
            .as_object()
            .map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(["205", "206", "207", "208"].map(String::from).to_vec())
    );
    let sip = d
        .http
        .get(format!("{}/astproxy/sip_webrtc", d.base))
        .header("Authorization", &alice)
        .send()
        .await
        .expect("sip_webrtc");
    assert_eq!(sip.status(), 200);
    assert_eq!(sip.text().await.expect("body"), "");
}
