//! Memory bounds of the push channel: over-limit websocket messages close the socket,
//! a slow socket is cut when its queued bytes pass the limit, oversized relays are dropped.

#[path = "support/log_capture.rs"]
mod log_capture;
#[path = "support/push_client.rs"]
mod push_client;
#[path = "support/push_server.rs"]
mod push_server;

use futures::{SinkExt, StreamExt};
use log_capture::Captured;
use nethcti_server::adapters::push::{Broadcast, PushConfig};
use push_client::{drain_until_closed, SioClient, WAIT};
use push_server::{config, perms, spawn_push, spawn_push_logging};
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_websocket_message_over_max_payload_closes_the_socket_unprocessed() {
    let server = spawn_push(&[("alice", perms())], config()).await;
    let mut ws = SioClient::connect(server.addr).await.into_stalled();
    // 1.1 MB: over socket.io's 1e6 maxPayload, under the websocket defaults (16/64 MiB).
    let key = "k".repeat(1_100_000);
    let frame = format!("42{}", json!(["login", {"accessKeyId": key, "token": "t"}]));
    // The server may cut the connection while this is still being written.
    let _ = ws.send(Message::text(frame)).await;
    let mut texts = Vec::new();
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await {
            Err(_) => panic!("the socket was not closed"),
            Ok(Some(Ok(Message::Text(t)))) => texts.push(t.to_string()),
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => break,
            Ok(Some(Ok(_))) => {}
        }
    }
    // Never handled: no `401` reply (pings aside, nothing at all).
    assert_eq!(texts.iter().filter(|t| *t != "2").count(), 0, "{texts:?}");
    assert!(server.hub.sessions().is_empty());
}

#[tokio::test]
async fn a_websocket_message_under_max_payload_is_handled_and_logged_short() {
    let (log, captured) = Captured::logger();
    let server = spawn_push_logging(&[("alice", perms())], config(), log).await;
    let mut c = SioClient::connect(server.addr).await;
    let reply = c.login(&"k".repeat(900_000), "t", None).await;
    assert_eq!(
        reply,
        (
            "401".to_owned(),
            vec![json!({"message": "unauthorized access"})]
        )
    );
    let lines = captured.with_msg("socket login rejected: bad credentials");
    assert_eq!(lines.len(), 1);
    let expected = format!("{}…", "k".repeat(64));
    assert_eq!(lines[0].get("key"), Some(expected.as_str()));
    drop(server);
}

#[tokio::test]
async fn a_stalled_socket_is_cut_when_its_queued_bytes_pass_the_limit() {
    let config = PushConfig {
        // far more events than the test publishes: only the byte bound can trip
        queue_capacity: 4096,
        queue_max_bytes: 256 << 10,
        engine_queue_capacity: 4,
        ..config()
    };
    let server = spawn_push(&[("slow", perms())], config).await;
    let mut slow = SioClient::connect(server.addr).await;
    slow.login_ok("slow", None).await;
    let stalled = slow.into_stalled();
    let pad = "x".repeat(32 << 10);
    let mut overflowed = None;
    for i in 0..2000u64 {
        let payload =
            json!({"presence": {"username": "slow", "status": "online"}, "i": i, "pad": pad});
        let out = server
            .hub
            .publish(&Broadcast::user_presence_update(payload))
            .expect("publish");
        if !out.overflowed.is_empty() {
            overflowed = Some(out.overflowed);
            break;
        }
        assert_eq!(out.queued, 1);
    }
    assert_eq!(overflowed, Some(vec!["slow".to_owned()]));
    assert!(server.hub.sessions().is_empty());
    assert!(
        drain_until_closed(stalled).await,
        "the stalled connection was not cut"
    );
}

#[tokio::test]
async fn a_relayed_message_over_the_relay_limit_is_dropped() {
    let config = PushConfig {
        max_relay_bytes: 1000,
        ..config()
    };
    let server = spawn_push(&[("alice", perms()), ("bob", perms())], config).await;
    let mut alice = SioClient::connect(server.addr).await;
    alice.login_ok("alice", None).await;
    let mut bob = SioClient::connect(server.addr).await;
    bob.login_ok("bob", None).await;
    let big = json!({"destUser": "alice", "p": "x".repeat(1000)});
    let small = json!({"destUser": "alice", "p": "hi"});
    bob.emit("message", &[big]).await;
    bob.emit("message", std::slice::from_ref(&small)).await;
    let (name, args) = alice.next_event().await;
    assert_eq!(name, "message");
    assert_eq!(args.first(), Some(&small));
    let out = server
        .hub
        .publish(&Broadcast::server_reloaded())
        .expect("publish");
    assert_eq!(
        alice.next_event().await,
        ("serverReloaded".to_owned(), vec![json!({"_seq": out.seq})])
    );
}
