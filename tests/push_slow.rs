//! A client that stops reading is disconnected when its queue overflows, without delaying others.

#[path = "support/push_client.rs"]
mod push_client;
#[path = "support/push_server.rs"]
mod push_server;

use nethcti_server::adapters::push::{Broadcast, PushConfig};
use push_client::{drain_until_closed, SioClient};
use push_server::{config, perms, spawn_push};
use serde_json::json;

#[tokio::test]
async fn stalled_client_overflows_and_is_cut_while_fast_client_gets_every_event() {
    let config = PushConfig {
        queue_capacity: 4,
        engine_queue_capacity: 4,
        ..config()
    };
    let server = spawn_push(&[("fast", perms()), ("slow", perms())], config).await;
    let mut fast = SioClient::connect(server.addr).await;
    fast.login_ok("fast", None).await;
    let mut slow = SioClient::connect(server.addr).await;
    slow.login_ok("slow", None).await;
    let stalled = slow.into_stalled();

    // 256 KiB per event: the kernel socket buffers of the stalled connection fill after a
    // few dozen events, then Engine.IO's channel, then the hub queue.
    let pad = "x".repeat(256 * 1024);
    let mut overflowed_at = None;
    for i in 0..2000u64 {
        let payload =
            json!({"presence": {"username": "fast", "status": "online"}, "i": i, "pad": pad});
        let out = server
            .hub
            .publish(&Broadcast::user_presence_update(payload.clone()))
            .expect("publish");
        // The fast client gets every event, in order, with its sequence number.
        assert_eq!(
            fast.next_event().await,
            (
                "userPresenceUpdate".to_owned(),
                vec![payload, json!({"_seq": out.seq})]
            )
        );
        if !out.overflowed.is_empty() {
            assert_eq!(out.overflowed, vec!["slow".to_owned()]);
            overflowed_at = Some(i);
            break;
        }
    }
    assert!(
        overflowed_at.is_some(),
        "the stalled client never overflowed"
    );
    let left: Vec<_> = server
        .hub
        .sessions()
        .into_iter()
        .map(|s| s.username)
        .collect();
    assert_eq!(left, vec!["fast".to_owned()]);
    assert!(
        drain_until_closed(stalled).await,
        "the stalled connection was not cut"
    );
    // Later events still flow to the fast client only.
    let out = server
        .hub
        .publish(&Broadcast::server_reloaded())
        .expect("publish");
    assert_eq!(out.queued, 1);
    assert_eq!(
        fast.next_event().await,
        ("serverReloaded".to_owned(), vec![json!({"_seq": out.seq})])
    );
}
