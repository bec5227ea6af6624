//! Socket login, ping, take-over, login timeout and closing a user's sockets, over a real websocket.

#[path = "support/push_client.rs"]
mod push_client;
#[path = "support/push_server.rs"]
mod push_server;

use std::time::Duration;

use nethcti_server::adapters::push::{Broadcast, PushConfig, SessionEvent, UaType};
use push_client::{Incoming, SioClient};
use push_server::{config, perms, spawn_push};
use serde_json::json;

#[tokio::test]
async fn open_packet_announces_25s_ping_interval_and_websocket_only_upgrades() {
    let server = spawn_push(&[], config()).await;
    let client = SioClient::connect(server.addr).await;
    assert_eq!(client.open["pingInterval"], json!(25000));
    assert_eq!(client.open["upgrades"], json!([]));
}

#[tokio::test]
async fn warp_routes_are_served_on_the_same_listener() {
    let server = spawn_push(&[], config()).await;
    let body = reqwest::get(format!("http://{}/hello", server.addr))
        .await
        .expect("http get")
        .text()
        .await
        .expect("body");
    assert_eq!(body, "hi from warp");
}

#[tokio::test]
async fn good_login_gets_authe_ok_and_registers_rooms() {
    let p = nethcti_server::adapters::push::PushPermissions {
        presence_panel: true,
        queues: true,
        privacy: true,
        ..perms()
    };
    let server = spawn_push(&[("alice", p)], config()).await;
    let mut events = server.hub.session_events();
    let mut client = SioClient::connect(server.addr).await;
    client.login_ok("alice", Some("desktop")).await;
    assert_eq!(
        events.recv().await.expect("session event"),
        SessionEvent::LoggedIn {
            username: "alice".into(),
            ua_type: Some(UaType::Desktop)
        }
    );
    let sessions = server.hub.sessions();
    assert_eq!(sessions.len(), 1);
    assert_eq!(
        sessions[0].rooms,
        vec!["extensions_ast_evt_privacy", "queues_ast_evt_privacy"]
    );
}

#[tokio::test]
async fn bad_token_gets_401_then_server_disconnect() {
    let server = spawn_push(&[("alice", perms())], config()).await;
    let mut client = SioClient::connect(server.addr).await;
    let reply = client.login("alice", "wrong", Some("desktop")).await;
    assert_eq!(
        reply,
        (
            "401".to_owned(),
            vec![json!({"message": "unauthorized access"})]
        )
    );
    assert_eq!(client.next().await, Incoming::Disconnect);
    assert!(server.hub.sessions().is_empty());
}

#[tokio::test]
async fn invalid_ua_type_and_malformed_payload_are_rejected_with_401() {
    let server = spawn_push(&[("alice", perms())], config()).await;
    let mut client = SioClient::connect(server.addr).await;
    let reply = client.login("alice", "tok-alice", Some("tablet")).await;
    assert_eq!(reply.0, "401");
    assert_eq!(client.next().await, Incoming::Disconnect);

    let mut client = SioClient::connect(server.addr).await;
    client.emit("login", &[json!("just a string")]).await;
    assert_eq!(
        client.next_event().await,
        (
            "401".to_owned(),
            vec![json!({"message": "unauthorized access"})]
        )
    );
    assert_eq!(client.next().await, Incoming::Disconnect);
}

#[tokio::test]
async fn ping_is_acked_with_no_arguments_even_before_login() {
    let server = spawn_push(&[], config()).await;
    let mut client = SioClient::connect(server.addr).await;
    let id = client.emit_with_ack("ping", &[]).await;
    assert_eq!(client.next().await, Incoming::Ack(id, vec![]));
}

#[tokio::test]
async fn second_login_same_user_and_ua_type_sends_take_over_to_the_older_socket() {
    let server = spawn_push(&[("alice", perms())], config()).await;
    let mut old = SioClient::connect(server.addr).await;
    old.login_ok("alice", Some("desktop")).await;
    let mut mobile = SioClient::connect(server.addr).await;
    mobile.login_ok("alice", Some("mobile")).await;
    let mut new = SioClient::connect(server.addr).await;
    new.login_ok("alice", Some("desktop")).await;

    assert_eq!(old.next_event().await, ("takeOver".to_owned(), vec![]));
    // The old socket is not disconnected (the client logs itself out), and every socket
    // still receives events; the mobile one never saw a takeOver.
    let seq = server
        .hub
        .publish(&Broadcast::server_reloaded())
        .expect("publish")
        .seq;
    let expected = ("serverReloaded".to_owned(), vec![json!({"_seq": seq})]);
    assert_eq!(old.next_event().await, expected);
    assert_eq!(mobile.next_event().await, expected);
    assert_eq!(new.next_event().await, expected);
    assert_eq!(server.hub.sessions().len(), 3);
}

#[tokio::test]
async fn socket_that_never_logs_in_is_closed_after_the_login_timeout() {
    let config = PushConfig {
        login_timeout: Duration::from_millis(200),
        ..config()
    };
    let server = spawn_push(&[("alice", perms())], config).await;
    let mut idle = SioClient::connect(server.addr).await;
    let mut logged = SioClient::connect(server.addr).await;
    logged.login_ok("alice", None).await;
    assert_eq!(idle.next().await, Incoming::Disconnect);
    // The logged-in socket outlives the timeout.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let id = logged.emit_with_ack("ping", &[]).await;
    assert_eq!(logged.next().await, Incoming::Ack(id, vec![]));
}

#[tokio::test]
async fn close_user_disconnects_every_socket_of_that_user_only() {
    let server = spawn_push(&[("alice", perms()), ("bob", perms())], config()).await;
    let mut events = server.hub.session_events();
    let mut a1 = SioClient::connect(server.addr).await;
    a1.login_ok("alice", Some("desktop")).await;
    let mut a2 = SioClient::connect(server.addr).await;
    a2.login_ok("alice", Some("mobile")).await;
    let mut bob = SioClient::connect(server.addr).await;
    bob.login_ok("bob", None).await;

    assert_eq!(server.hub.close_user("alice"), 2);
    assert_eq!(a1.next().await, Incoming::Disconnect);
    assert_eq!(a2.next().await, Incoming::Disconnect);
    let names: Vec<_> = server
        .hub
        .sessions()
        .into_iter()
        .map(|s| s.username)
        .collect();
    assert_eq!(names, vec!["bob".to_owned()]);
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(events.recv().await.expect("session event"));
    }
    assert_eq!(
        seen[3],
        SessionEvent::AllDisconnected {
            username: "alice".into()
        }
    );
    let id = bob.emit_with_ack("ping", &[]).await;
    assert_eq!(bob.next().await, Incoming::Ack(id, vec![]));
}

#[tokio::test]
async fn cancelling_the_shutdown_token_closes_websockets_and_the_listener() {
    let config = PushConfig {
        shutdown_grace: Duration::from_millis(100),
        ..config()
    };
    let server = spawn_push(&[("alice", perms())], config).await;
    let mut client = SioClient::connect(server.addr).await;
    client.login_ok("alice", None).await;
    server.shutdown.cancel();
    assert_eq!(client.next().await, Incoming::Closed);
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err());
}

#[tokio::test]
async fn tokens_of_logged_in_sockets_are_kept_alive_periodically() {
    let config = PushConfig {
        token_keepalive: Some(Duration::from_millis(50)),
        ..config()
    };
    let server = spawn_push(&[("alice", perms())], config).await;
    let mut client = SioClient::connect(server.addr).await;
    client.login_ok("alice", Some("mobile")).await;
    // Bounded wait for the first periodic call (not a timing assertion).
    for _ in 0..200 {
        if !server.kept_alive.lock().expect("lock").is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    let calls = server.kept_alive.lock().expect("lock").clone();
    assert_eq!(calls.first().map(String::as_str), Some("alice:tok-alice"));
    assert!(calls.iter().all(|c| c == "alice:tok-alice"));
}

#[tokio::test]
async fn polling_handshake_is_allowed_and_engine_io_v3_is_refused() {
    let server = spawn_push(&[], config()).await;
    let polling = reqwest::get(format!(
        "http://{}/socket.io/?EIO=4&transport=polling",
        server.addr
    ))
    .await
    .expect("polling get");
    assert_eq!(polling.status(), 200);
    let body = polling.text().await.expect("body");
    let open: serde_json::Value = serde_json::from_str(&body[1..]).expect("open json");
    assert_eq!(
        (&body[..1], &open["upgrades"], &open["pingInterval"]),
        ("0", &json!(["websocket"]), &json!(25000))
    );
    let v3 = reqwest::get(format!(
        "http://{}/socket.io/?EIO=3&transport=polling",
        server.addr
    ))
    .await
    .expect("v3 get");
    assert_eq!(v3.status(), 400);
}

#[tokio::test]
async fn re_login_on_the_same_socket_replaces_the_session() {
    let server = spawn_push(&[("alice", perms()), ("bob", perms())], config()).await;
    let mut events = server.hub.session_events();
    let mut client = SioClient::connect(server.addr).await;
    client.login_ok("alice", None).await;
    client.login_ok("bob", None).await;
    let names: Vec<_> = server
        .hub
        .sessions()
        .into_iter()
        .map(|s| (s.username, s.access_key_id))
        .collect();
    assert_eq!(names, vec![("bob".to_owned(), "bob".to_owned())]);
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(events.recv().await.expect("session event"));
    }
    assert_eq!(
        seen,
        vec![
            SessionEvent::LoggedIn {
                username: "alice".into(),
                ua_type: None
            },
            SessionEvent::AllDisconnected {
                username: "alice".into()
            },
            SessionEvent::LoggedIn {
                username: "bob".into(),
                ua_type: None
            },
        ]
    );
}

/// socket.io clients emit `login` as soon as the namespace CONNECT packet arrives: the
/// `login` handler must be in place before that packet is sent, or the login is dropped
/// and the client waits for the login timeout (seen once per few hundred bench logins).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_sent_right_after_the_connect_packet_is_answered() {
    let server = spawn_push(&[("alice", perms())], config()).await;
    for _ in 0..300 {
        let mut client = SioClient::connect(server.addr).await;
        client.login_ok("alice", None).await;
    }
}
