//! Fan-out over real websockets: audiences, rooms by permission, privacy variants, sequence numbers, relay.

#[path = "support/push_client.rs"]
mod push_client;
#[path = "support/push_server.rs"]
mod push_server;

use nethcti_server::adapters::push::{Broadcast, PushPermissions};
use push_client::{Incoming, SioClient};
use push_server::{config, perms, spawn_push, TestServer};
use serde_json::{json, Value};

fn ev(name: &str, payload: Value, seq: u64) -> (String, Vec<Value>) {
    (name.to_owned(), vec![payload, json!({"_seq": seq})])
}

fn users() -> Vec<(&'static str, PushPermissions)> {
    vec![
        (
            "alice",
            PushPermissions {
                presence_panel: true,
                ..perms()
            },
        ),
        (
            "bob",
            PushPermissions {
                presence_panel: true,
                privacy: true,
                ..perms()
            },
        ),
        (
            "carol",
            PushPermissions {
                presence_panel: true,
                admin_queues: true,
                privacy: true,
                ..perms()
            },
        ),
        (
            "dave",
            PushPermissions {
                queues: true,
                privacy: true,
                ..perms()
            },
        ),
        (
            "erin",
            PushPermissions {
                parkings: true,
                screen_sharing: true,
                ..perms()
            },
        ),
    ]
}

struct World {
    server: TestServer,
    alice: SioClient,
    bob: SioClient,
    carol: SioClient,
    dave: SioClient,
    erin: SioClient,
}

async fn world() -> World {
    let server = spawn_push(&users(), config()).await;
    let mut clients = Vec::new();
    for (name, _) in users() {
        let mut c = SioClient::connect(server.addr).await;
        c.login_ok(name, Some("desktop")).await;
        clients.push(c);
    }
    let mut it = clients.into_iter();
    let mut next = || it.next().expect("client");
    World {
        alice: next(),
        bob: next(),
        carol: next(),
        dave: next(),
        erin: next(),
        server,
    }
}

/// Publishes `serverReloaded` to everyone: a socket's next event being this one proves it
/// received nothing in between (queues are FIFO).
fn barrier(server: &TestServer) -> (String, Vec<Value>) {
    let seq = server
        .hub
        .publish(&Broadcast::server_reloaded())
        .expect("publish")
        .seq;
    ("serverReloaded".to_owned(), vec![json!({"_seq": seq})])
}

#[tokio::test]
async fn exten_update_reaches_everyone_with_the_variant_their_privacy_allows() {
    let mut w = world().await;
    let clear = json!({"exten": "202", "username": "bob", "conversations": {"c1": {"counterpartNum": "0612345678"}}});
    let masked = json!({"exten": "202", "username": "bob", "conversations": {"c1": {"counterpartNum": "0612345xxx"}}});
    let outside = json!({"exten": "202", "username": "bob", "conversations": {"c1": {"counterpartNum": "0612345xx0"}}});
    let out = w
        .server
        .hub
        .publish(&Broadcast::exten_update(
            clear.clone(),
            masked.clone(),
            outside.clone(),
            Some("bob"),
        ))
        .expect("publish");
    assert_eq!(out.queued, 5);
    assert_eq!(
        w.alice.next_event().await,
        ev("extenUpdate", clear.clone(), out.seq)
    );
    // bob has privacy but owns the extension.
    assert_eq!(
        w.bob.next_event().await,
        ev("extenUpdate", clear.clone(), out.seq)
    );
    assert_eq!(
        w.carol.next_event().await,
        ev("extenUpdate", outside, out.seq)
    );
    assert_eq!(
        w.dave.next_event().await,
        ev("extenUpdate", masked, out.seq)
    );
    assert_eq!(w.erin.next_event().await, ev("extenUpdate", clear, out.seq));
}

#[tokio::test]
async fn queue_events_reach_only_queue_rooms_with_privacy_room_masked() {
    let mut w = world().await;
    let clear = json!({"queue": "401", "waitingCallers": {"SIP/x": {"num": "0612345678"}}});
    let masked = json!({"queue": "401", "waitingCallers": {"SIP/x": {"num": "0612345xxx"}}});
    let out = w
        .server
        .hub
        .publish(&Broadcast::queue_update(clear.clone(), masked.clone()))
        .expect("publish");
    assert_eq!(out.queued, 2);
    let member = json!({"queue": "401", "member": "201", "paused": false});
    let out2 = w
        .server
        .hub
        .publish(&Broadcast::queue_member_update(
            member.clone(),
            member.clone(),
        ))
        .expect("publish");
    let b = barrier(&w.server);
    // carol: privacy but admin_queues -> clear room.
    assert_eq!(
        w.carol.next_event().await,
        ev("queueUpdate", clear, out.seq)
    );
    assert_eq!(
        w.carol.next_event().await,
        ev("queueMemberUpdate", member.clone(), out2.seq)
    );
    assert_eq!(
        w.dave.next_event().await,
        ev("queueUpdate", masked, out.seq)
    );
    assert_eq!(
        w.dave.next_event().await,
        ev("queueMemberUpdate", member, out2.seq)
    );
    for c in [&mut w.alice, &mut w.bob, &mut w.erin] {
        assert_eq!(c.next_event().await, b);
    }
    assert_eq!(b.1[0]["_seq"], json!(out2.seq + 1));
}

#[tokio::test]
async fn parking_goes_to_parking_room_and_trunk_to_presence_panel_rooms() {
    let mut w = world().await;
    let parking = json!({"parking": "71", "parkedCaller": {"num": "0612345678"}});
    let p = w
        .server
        .hub
        .publish(&Broadcast::parking_update(
            parking.clone(),
            json!({"parking": "71"}),
        ))
        .expect("publish");
    let trunk_clear =
        json!({"exten": "trunk1", "conversations": {"x": {"externalNum": "0612345678"}}});
    let trunk_masked =
        json!({"exten": "trunk1", "conversations": {"x": {"externalNum": "0612345xxx"}}});
    let t = w
        .server
        .hub
        .publish(&Broadcast::trunk_update(
            trunk_clear.clone(),
            trunk_masked.clone(),
        ))
        .expect("publish");
    let b = barrier(&w.server);
    assert_eq!(
        w.erin.next_event().await,
        ev("parkingUpdate", parking, p.seq)
    );
    assert_eq!(w.erin.next_event().await, b);
    assert_eq!(
        w.alice.next_event().await,
        ev("trunkUpdate", trunk_clear, t.seq)
    );
    assert_eq!(
        w.bob.next_event().await,
        ev("trunkUpdate", trunk_masked.clone(), t.seq)
    );
    assert_eq!(
        w.carol.next_event().await,
        ev("trunkUpdate", trunk_masked, t.seq)
    );
    assert_eq!(w.dave.next_event().await, b);
}

#[tokio::test]
async fn per_user_events_reach_only_that_user_and_bare_strings_stay_bare() {
    let mut w = world().await;
    let hangup = json!({"cause": "normal_clearing", "callerNum": "202", "channelExten": "201", "calledNum": "201"});
    let h = w
        .server
        .hub
        .publish(&Broadcast::exten_hangup("alice", hangup.clone()))
        .expect("publish");
    assert_eq!(h.queued, 1);
    let c = w
        .server
        .hub
        .publish(&Broadcast::call_webrtc("alice", "0612345678"))
        .expect("publish");
    let d = w
        .server
        .hub
        .publish(&Broadcast::update_default_device("bob", "91201"))
        .expect("publish");
    let b = barrier(&w.server);
    assert_eq!(w.alice.next_event().await, ev("extenHangup", hangup, h.seq));
    assert_eq!(
        w.alice.next_event().await,
        ev("callWebrtc", json!("0612345678"), c.seq)
    );
    assert_eq!(w.alice.next_event().await, b);
    assert_eq!(
        w.bob.next_event().await,
        ev("updateDefaultDevice", json!("91201"), d.seq)
    );
    assert_eq!(w.carol.next_event().await, b);
}

#[tokio::test]
async fn conference_updates_are_sent_under_both_meetme_and_confbridge_names() {
    let mut w = world().await;
    let payload =
        json!({"id": "300", "users": {"1": {"id": "1", "extenId": "201", "muted": false}}});
    let [meetme, bridge] = Broadcast::conf_update(vec!["alice".into()], payload.clone());
    let m = w.server.hub.publish(&meetme).expect("publish");
    let c = w.server.hub.publish(&bridge).expect("publish");
    assert_eq!(
        w.alice.next_event().await,
        ev("meetmeConfUpdate", payload.clone(), m.seq)
    );
    assert_eq!(
        w.alice.next_event().await,
        ev("confBridgeUpdate", payload, c.seq)
    );
    assert_eq!(c.seq, m.seq + 1);
    for end in Broadcast::conf_end(vec!["alice".into()], "300") {
        w.server.hub.publish(&end).expect("publish");
    }
    assert_eq!(w.alice.next_event().await.0, "meetmeConfEnd");
    let (name, args) = w.alice.next_event().await;
    assert_eq!(
        (name.as_str(), &args[0]),
        ("confBridgeEnd", &json!({"id": "300"}))
    );
}

#[tokio::test]
async fn socket_not_logged_in_receives_no_event() {
    let w = world().await;
    let mut anon = SioClient::connect(w.server.addr).await;
    let out = w
        .server
        .hub
        .publish(&Broadcast::user_main_presence_update(
            json!({"mainPresence": {"username": "alice", "status": "online"}}),
        ))
        .expect("publish");
    assert_eq!(out.queued, 5);
    let id = anon.emit_with_ack("ping", &[]).await;
    assert_eq!(anon.next().await, Incoming::Ack(id, vec![]));
    // Logging in afterwards: the first thing received is authe_ok, nothing from before.
    anon.login_ok("bob", None).await;
    let b = barrier(&w.server);
    assert_eq!(anon.next_event().await, b);
}

#[tokio::test]
async fn message_is_relayed_unchanged_to_dest_user_and_screen_sharing_needs_permission() {
    let mut w = world().await;
    let video = json!({"message": "videoCallStart", "destUser": "bob", "callUser": "alice", "roomId": "r1"});
    w.alice.emit("message", std::slice::from_ref(&video)).await;
    let (name, args) = w.bob.next_event().await;
    assert_eq!((name.as_str(), &args[0]), ("message", &video));
    assert_eq!(args.len(), 2);

    // alice lacks screen_sharing: dropped. erin has it: relayed.
    let share =
        |from: &str| json!({"message": "screenSharingStart", "destUser": "bob", "callUser": from});
    w.alice.emit("message", &[share("alice")]).await;
    w.erin.emit("message", &[share("erin")]).await;
    let (name, args) = w.bob.next_event().await;
    assert_eq!((name.as_str(), &args[0]), ("message", &share("erin")));

    // A socket that never logged in cannot relay.
    let mut anon = SioClient::connect(w.server.addr).await;
    anon.emit("message", &[json!({"message": "x", "destUser": "bob"})])
        .await;
    let id = anon.emit_with_ack("ping", &[]).await;
    assert_eq!(anon.next().await, Incoming::Ack(id, vec![]));
    let b = barrier(&w.server);
    assert_eq!(w.bob.next_event().await, b);
}

#[tokio::test]
async fn a_batch_reaches_each_socket_in_order_with_consecutive_sequence_numbers() {
    let mut w = world().await;
    let clear = json!({"exten": "201", "name": "Alice"});
    let masked = json!({"exten": "201", "name": "xxx"});
    let hangup = json!({"cause": "normal_clearing", "callerNum": "201", "channelExten": "201", "calledNum": "202"});
    let presence = json!({"presence": {"username": "alice", "status": "online"}});
    let batch = [
        Broadcast::exten_update(clear.clone(), masked.clone(), masked.clone(), Some("alice")),
        Broadcast::exten_hangup("alice", hangup.clone()),
        Broadcast::user_presence_update(presence.clone()),
    ];
    let out = w.server.hub.publish_all(&batch).expect("publish");
    // Every socket gets something: one delivery each.
    assert_eq!(out.queued, 5);
    let b = barrier(&w.server);
    assert_eq!(b.1[0]["_seq"], json!(out.seq + 3));
    assert_eq!(
        w.alice.next_event().await,
        ev("extenUpdate", clear.clone(), out.seq)
    );
    assert_eq!(
        w.alice.next_event().await,
        ev("extenHangup", hangup, out.seq + 1)
    );
    assert_eq!(
        w.alice.next_event().await,
        ev("userPresenceUpdate", presence.clone(), out.seq + 2)
    );
    assert_eq!(w.alice.next_event().await, b);
    // bob (privacy): the masked update, not alice's hang-up, then the presence.
    assert_eq!(w.bob.next_event().await, ev("extenUpdate", masked, out.seq));
    assert_eq!(
        w.bob.next_event().await,
        ev("userPresenceUpdate", presence, out.seq + 2)
    );
    assert_eq!(w.bob.next_event().await, b);
}
