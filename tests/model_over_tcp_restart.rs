//! Transcript j over TCP: `core reload`, a queue reload, then `core restart now`. The PBX
//! closes the connection, accepts the first reconnect and resets it (a dying Asterisk), and
//! only then answers as the restarted process, whose contacts, restored from the database,
//! report `NonQualified`. The client keeps backing off, the link resyncs after each reload
//! and after the reconnect, and the model ends as the direct path's: every extension
//! registered before is online again, 204 still offline, no conversation.

mod model_support;
#[path = "model_support/over_tcp.rs"]
mod over_tcp;
mod support;

use model_support::{names, raw_transcript};
use nethcti_server::adapters::ami::transcript::Direction;
use over_tcp::{flow_segments, LiveLink};
use serde_json::json;

const IDLE: &str = "a-startup-queries-idle.ami";
const J: &str = "j-reload-and-restart.ami";

#[tokio::test]
async fn restart_with_a_reset_first_reconnect_resyncs_and_ends_with_the_restored_contacts() {
    let (mut link, _) = LiveLink::start(IDLE).await;
    let segments = flow_segments(J);
    let mut changes = Vec::new();
    for seg in segments.iter().filter(|s| s.connection == 0) {
        changes.extend(link.push(&seg.bytes).await);
    }
    // the greeting FullyBooted (covered by the load at login), then `core reload` and the
    // queue reload, each of which loads the lists again
    assert_eq!(names(&changes), ["resync", "resync", "resync"]);
    assert_eq!(link.fake.received_named("PJSIPShowEndpoints").len(), 3);

    // the restarted PBX lists its contacts as restored from the database
    let j_records: Vec<_> = raw_transcript(J)
        .into_iter()
        .skip_while(|r| {
            !(r.direction == Direction::Sent && r.bytes.starts_with(b"Action: PJSIPShowContacts"))
        })
        .collect();
    link.fake.answer_from_transcript_repeating(&j_records);
    link.fake.close_next_after_banner(1);
    link.fake.drop_connections();
    let fake = link.fake.clone();
    fake.wait_for(|r| {
        r.iter()
            .filter(|f| f.get_or_empty("Action") == "Login")
            .count()
            == 2
    })
    .await;
    // the barrier alone (one piece) comes out after the reconnect's load: from then on no
    // action is in flight whose answer the cut pieces could interleave with
    // (and the reconnect's load found nothing visible to change)
    assert_eq!(link.push(b"").await, vec![]);
    for seg in segments.iter().filter(|s| s.connection == 2) {
        changes.extend(link.push(&seg.bytes).await);
    }
    // the reset connection did not reset the backoff: 1 s after the drop, then 2 s
    let gaps = link.fake.accept_gaps_ms();
    assert_eq!(gaps.len(), 2);
    assert!((2000..2500).contains(&gaps[1]), "{gaps:?}");
    assert_eq!(link.fake.received_named("Login").len(), 2);
    assert_eq!(link.fake.received_named("PJSIPShowEndpoints").len(), 4);
    let world = link.world();
    for e in ["201", "202", "203"] {
        assert_eq!(world["extensions"][e]["status"], "online", "{e}");
    }
    assert_eq!(world["extensions"]["204"]["status"], "offline");
    let convs: Vec<_> = ["201", "202", "203", "204"]
        .iter()
        .map(|e| world["extensions"][e]["conversations"].clone())
        .collect();
    assert_eq!(convs, vec![json!({}); 4]);
    // ... plus the restarted PBX's greeting FullyBooted
    assert_eq!(names(&changes), ["resync"; 4]);
}
