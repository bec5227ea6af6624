//! Batched application: every recorded call flow applied as one batch publishes the same
//! call events, in order, as applying it event by event, and each changed entity exactly
//! once, in its final state: the payload the event-by-event run pushed last for it, except
//! `queueUpdate`, whose embedded members the event-by-event run updates through
//! `queueMemberUpdate` only (there the batch's payload is the final queue itself). With no
//! privacy socket logged in, `extenUpdate` carries the clear payload only and withholds the
//! masked ones. A conference that ends within the batch gets its end event only.

mod model_support;

use model_support::{lab_loaded, lab_users, transcript, world, Rec, CALL_FLOWS, NOW};
use nethcti_server::adapters::ami::translate::translate;
use nethcti_server::adapters::push::Broadcast;
use nethcti_server::app::live::{BroadcastSink, LiveModel};
use nethcti_server::app::operations::SharedModel;
use nethcti_server::domain::pbx_event::PbxEvent;
use nethcti_server::ports::clock::ManualClock;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Records every broadcast; says whether masked variants are wanted.
struct Recording {
    sent: Mutex<Vec<Broadcast>>,
    masked: bool,
}

impl BroadcastSink for Recording {
    fn send(&self, b: &Broadcast) {
        self.sent
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(b.clone());
    }

    fn wants_masked(&self) -> bool {
        self.masked
    }
}

fn model(masked: bool) -> (LiveModel, Arc<Recording>) {
    let (sb, _) = lab_loaded("a-startup-queries-idle.ami", NOW);
    let sink = Arc::new(Recording {
        sent: Mutex::new(Vec::new()),
        masked,
    });
    let model = LiveModel::new(
        SharedModel::new(sb, lab_users()),
        Arc::new(ManualClock::new(NOW)),
        sink.clone(),
    );
    (model, sink)
}

fn events(flow: &str) -> Vec<PbxEvent> {
    transcript(flow)
        .iter()
        .filter_map(|r| match r {
            Rec::In(_, f) => translate(f),
            Rec::Note(..) => None,
        })
        .collect()
}

/// The entity a broadcast renders (`None` for call events, which are never merged).
fn entity_key(b: &Broadcast) -> Option<String> {
    let p = b.clear_payload()?;
    let s = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let key = match b.event() {
        "extenUpdate" | "trunkUpdate" => s(&p["exten"]),
        "userPresenceUpdate" => s(&p["presence"]["username"]),
        "userMainPresenceUpdate" => s(&p["mainPresence"]["username"]),
        "queueUpdate" => s(&p["queue"]),
        "queueMemberUpdate" => format!("{}/{}", s(&p["queue"]), s(&p["member"])),
        "parkingUpdate" => s(&p["parking"]),
        "meetmeConfUpdate" | "confBridgeUpdate" => s(&p["id"]),
        _ => return None,
    };
    Some(format!("{} {key}", b.event()))
}

struct Split {
    calls: Vec<Broadcast>,
    entities: BTreeMap<String, Vec<Broadcast>>,
}

fn split(sent: Vec<Broadcast>) -> Split {
    let mut out = Split {
        calls: Vec::new(),
        entities: BTreeMap::new(),
    };
    for b in sent {
        match entity_key(&b) {
            Some(key) => out.entities.entry(key).or_default().push(b),
            None => out.calls.push(b),
        }
    }
    out
}

fn run(flow: &str, masked: bool) -> (Split, Split, Value) {
    let (one_by_one, sink_a) = model(masked);
    for e in events(flow) {
        one_by_one.apply(e);
    }
    let (batched, sink_b) = model(masked);
    batched.apply_batch(events(flow));
    let world_a = one_by_one.read(world);
    let world_b = batched.read(world);
    assert_eq!(world_a, world_b, "{flow}: final state");
    let take = |s: &Recording| std::mem::take(&mut *s.sent.lock().expect("sent"));
    (split(take(&sink_a)), split(take(&sink_b)), world_b)
}

#[test]
fn a_batch_pushes_each_entity_once_with_its_last_payload() {
    for masked in [true, false] {
        for flow in CALL_FLOWS {
            let (a, b, world) = run(flow, masked);
            assert_eq!(a.calls, b.calls, "{flow}: call events, in order");
            // A conference that ended in the batch gets its end only.
            let ended: Vec<String> = b
                .calls
                .iter()
                .filter(|c| c.event() == "confBridgeEnd")
                .filter_map(|c| c.clear_payload()?["id"].as_str().map(str::to_owned))
                .collect();
            let expected: Vec<&String> = a
                .entities
                .keys()
                .filter(|k| {
                    !ended.iter().any(|id| {
                        *k == &format!("confBridgeUpdate {id}")
                            || *k == &format!("meetmeConfUpdate {id}")
                    })
                })
                .collect();
            assert_eq!(
                expected,
                b.entities.keys().collect::<Vec<_>>(),
                "{flow}: entities pushed"
            );
            for (key, pushed) in &b.entities {
                assert_eq!(pushed.len(), 1, "{flow}: {key} pushed once");
                if let Some(queue) = key.strip_prefix("queueUpdate ") {
                    assert_eq!(
                        pushed[0].clear_payload(),
                        Some(&world["queues"][queue]),
                        "{flow}: {key} final queue"
                    );
                    continue;
                }
                assert_eq!(
                    a.entities[key].last(),
                    pushed.first(),
                    "{flow}: {key} final payload"
                );
            }
        }
    }
}

#[test]
fn the_internal_call_batch_pushes_the_final_idle_extensions() {
    let (a, b, world) = run("b-internal-call-201-to-202.ami", true);
    assert!(a.entities["extenUpdate 201"].len() > 1);
    let pushed: Vec<&Value> = ["201", "202"]
        .iter()
        .map(|e| {
            b.entities[&format!("extenUpdate {e}")][0]
                .clear_payload()
                .expect("payload")
        })
        .collect();
    assert_eq!(pushed[0], &world["extensions"]["201"]);
    assert_eq!(pushed[1], &world["extensions"]["202"]);
    assert_eq!(pushed[0]["conversations"], serde_json::json!({}));
    assert_eq!(pushed[0]["status"], "online");
}

#[test]
fn without_privacy_sockets_exten_updates_withhold_the_masked_variants() {
    let (_, clear_only, _) = run("b-internal-call-201-to-202.ami", false);
    let (_, all_variants, _) = run("b-internal-call-201-to-202.ami", true);
    let key = "extenUpdate 202";
    let withheld = &clear_only.entities[key][0];
    let full = &all_variants.entities[key][0];
    assert!(withheld.masked_withheld());
    assert!(!full.masked_withheld());
    assert_eq!(withheld.clear_payload(), full.clear_payload());
    assert_ne!(withheld, full, "the full one carries masked variants");
}
