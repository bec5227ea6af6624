//! The socket.io stream of the real daemon (simulated PBX, fixture users, separate socket.io
//! listener): sockets closed by logout and token expiry, `updateDefaultDevice`,
//! `answerWebrtc`, `extenRinging`/`extenDialing` of a REST call, masking per recipient,
//! every token kind (normal, persistent, phone-island),
//! `serverReloaded` on an Asterisk reload.

#[path = "support/daemon.rs"]
mod daemon;
#[path = "support/push_client.rs"]
mod push_client;

use std::sync::Arc;

use daemon::{start_daemon, Daemon};
use nethcti_server::ports::clock::{Clock, ManualClock};
use push_client::{Incoming, SioClient};
use serde_json::{json, Value};

/// A socket on the separate socket.io listener, logged in with `token`.
async fn socket(d: &Daemon, user: &str, token: &str, ua: &str) -> SioClient {
    let mut c = SioClient::connect(d.ws_addr()).await;
    let reply = c.login(user, token, Some(ua)).await;
    assert_eq!(
        reply,
        (
            "authe_ok".to_owned(),
            vec![json!({"message": "authorized successfully"})]
        )
    );
    c
}

/// Skips other events until `name`; returns its arguments without the trailing `_seq` tag.
async fn until(c: &mut SioClient, name: &str) -> Vec<Value> {
    loop {
        match c.next().await {
            Incoming::Event(n, mut args) if n == name => {
                let seq = args.pop().expect("sequence tag");
                assert!(seq["_seq"].is_u64(), "trailing {{_seq}} on {name}: {seq}");
                return args;
            }
            Incoming::Event(..) => {}
            other => panic!("waiting for {name}, got {other:?}"),
        }
    }
}

/// Skips events until the server disconnects the socket.
async fn until_disconnected(c: &mut SioClient) {
    loop {
        match c.next().await {
            Incoming::Disconnect | Incoming::Closed => return,
            Incoming::Event(..) | Incoming::Ack(..) => {}
        }
    }
}

/// A ping ack proves the socket is still served.
async fn assert_alive(c: &mut SioClient) {
    let id = c.emit_with_ack("ping", &[]).await;
    loop {
        match c.next().await {
            Incoming::Ack(got, args) if got == id => {
                assert_eq!(args, Vec::<Value>::new());
                return;
            }
            Incoming::Event(..) => {}
            other => panic!("waiting for the ping ack, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn logout_closes_the_sockets_opened_with_that_token_only() {
    let d = start_daemon(None).await;
    let mobile_token = d.login("alice").await;
    let desktop_token = d.login("alice").await;
    let mut mobile = socket(&d, "alice", &mobile_token, "mobile").await;
    let mut desktop = socket(&d, "alice", &desktop_token, "desktop").await;
    let (status, _) = d
        .post("alice", &mobile_token, "/authentication/logout", json!({}))
        .await;
    assert_eq!(status, 200);
    until_disconnected(&mut mobile).await;
    assert_alive(&mut desktop).await;
    let users: Vec<String> = d
        .running
        .hub
        .sessions()
        .into_iter()
        .map(|s| s.ua_type.map(|u| u.as_str()).unwrap_or("").to_owned())
        .collect();
    assert_eq!(users, vec!["desktop".to_owned()]);
}

#[tokio::test]
async fn an_expired_token_closes_its_socket_at_the_sweep() {
    let clock = Arc::new(ManualClock::new(1_800_000_000_000));
    let d = start_daemon(Some(clock.clone() as Arc<dyn Clock>)).await;
    let token = d.login("alice").await;
    let mut c = socket(&d, "alice", &token, "desktop").await;
    // A sweep while the token is live closes nothing.
    d.running.app.auth.sweep();
    assert_alive(&mut c).await;
    // authentication.json: tokens expire 3600 s after their last use.
    clock.advance_ms(3_600_001);
    assert_eq!(d.running.app.auth.sweep(), 1);
    until_disconnected(&mut c).await;
    assert!(d.running.hub.sessions().is_empty());
}

#[tokio::test]
async fn default_device_answer_webrtc_and_call_webrtc_push_bare_strings_to_the_user() {
    let d = start_daemon(None).await;
    let token = d.login("alice").await;
    let mut c = socket(&d, "alice", &token, "desktop").await;
    let (status, _) = d
        .post(
            "alice",
            &token,
            "/user/default_device",
            json!({"id": "92201"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        until(&mut c, "updateDefaultDevice").await,
        vec![json!("92201")]
    );
    let (status, _) = d
        .post(
            "alice",
            &token,
            "/astproxy/answer_webrtc",
            json!({"endpointId": "92201"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(until(&mut c, "answerWebrtc").await, vec![json!("92201")]);
    // Click-to-call from the online WebRTC device: the browser dials, told by callWebrtc.
    let (status, _) = d
        .post(
            "alice",
            &token,
            "/astproxy/call",
            json!({"number": "+39 (202)", "endpointType": "extension", "endpointId": "92201"}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(until(&mut c, "callWebrtc").await, vec![json!("0039202")]);
}

#[tokio::test]
async fn a_rest_call_rings_the_callee_and_is_masked_for_privacy_users() {
    let d = start_daemon(None).await;
    let alice = d.login("alice").await;
    let bob = d.login("bob").await;
    let mallory = d.login("mallory").await;
    let mut bob_s = socket(&d, "bob", &bob, "desktop").await;
    let mut mallory_s = socket(&d, "mallory", &mallory, "desktop").await;
    let (status, body) = d
        .post("alice", &alice, "/astproxy/call", json!({"number": "202"}))
        .await;
    assert_eq!(status, 200, "{body}");
    // 201 answered the originate, then dialled 202: bob's phone rings.
    assert_eq!(
        until(&mut bob_s, "extenRinging").await,
        vec![
            json!({"numCalled": "202", "callerNum": "201", "callerName": "<unknown>", "callerHasConf": false})
        ]
    );
    let dialing = until(&mut bob_s, "extenDialing").await;
    assert_eq!(dialing.len(), 1);
    assert_eq!(dialing[0]["dialingExten"], json!("202"));
    assert_eq!(
        dialing[0]["callerIdentity"],
        json!({"numCalled": "202", "callerNum": "201", "callerName": "<unknown>"})
    );
    // mallory (privacy, not the owner) sees 201's conversation with 202 obfuscated.
    let masked = loop {
        let ext = until(&mut mallory_s, "extenUpdate").await.remove(0);
        if ext["exten"] == json!("201") && ext["status"] == json!("busy") {
            break ext;
        }
    };
    let convs = masked["conversations"].as_object().expect("conversations");
    assert_eq!(convs.len(), 1);
    let conv = convs.values().next().expect("one conversation");
    assert_eq!(conv["counterpartNum"], json!("xxx"));
    assert_eq!(conv["counterpartName"], json!("xxx"));
}

#[tokio::test]
async fn an_asterisk_reload_sends_server_reloaded_to_every_logged_in_socket() {
    let d = start_daemon(None).await;
    let alice = d.login("alice").await;
    let bob = d.login("bob").await;
    let mut a = socket(&d, "alice", &alice, "desktop").await;
    let mut b = socket(&d, "bob", &bob, "desktop").await;
    d.sim().with(|st| {
        let f = st
            .event("Reload", "system,all")
            .with("Module", "")
            .with("Status", "0");
        st.out.push(f);
    });
    // Nothing changed on the PBX, so the resync sends no entity: the next event is the
    // announcement itself, with only its sequence tag.
    for c in [&mut a, &mut b] {
        let (name, args) = c.next_event().await;
        assert_eq!(name, "serverReloaded");
        assert_eq!(args.len(), 1, "{args:?}");
        assert!(args[0]["_seq"].is_u64());
    }
}

#[tokio::test]
async fn persistent_and_phone_island_tokens_open_sockets_and_their_removal_closes_them() {
    let d = start_daemon(None).await;
    let token = d.login("alice").await;
    let minted = |path: &'static str, body: Value| {
        let d = &d;
        let token = token.clone();
        async move {
            let (status, text) = d.post("alice", &token, path, body).await;
            assert_eq!(status, 200, "{text}");
            let v: Value = serde_json::from_str(&text).expect("json");
            v["token"].as_str().expect("token").to_owned()
        }
    };
    let persistent = minted("/authentication/persistent_token_login", json!({})).await;
    let island = minted(
        "/authentication/phone_island_token_login",
        json!({"subtype": "user"}),
    )
    .await;
    let mut normal_s = socket(&d, "alice", &token, "desktop").await;
    let mut persistent_s = socket(&d, "alice", &persistent, "mobile").await;
    // phone-island logs in without uaType.
    let mut island_s = SioClient::connect(d.ws_addr()).await;
    assert_eq!(
        island_s.login("alice", &island, None).await,
        (
            "authe_ok".to_owned(),
            vec![json!({"message": "authorized successfully"})]
        )
    );
    let (status, _) = d
        .post(
            "alice",
            &island,
            "/authentication/persistent_token_remove",
            json!({"type": "phone-island"}),
        )
        .await;
    assert_eq!(status, 200);
    until_disconnected(&mut island_s).await;
    assert_alive(&mut normal_s).await;
    assert_alive(&mut persistent_s).await;
    assert_eq!(d.running.hub.sessions().len(), 2);
}
