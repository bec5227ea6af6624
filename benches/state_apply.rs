//! Switchboard throughput: a synthetic stream on 1,000 extensions with 200 concurrent
//! calls (and 5,000 / 1,000 to show the per-event cost is flat), and the initial load of a
//! 5,000-extension PBX from its list replies.
//!
//! The input batch is cloned outside the timed part; `thread_cpu` variants report CPU time
//! of the benchmarking thread, which other jobs on a shared machine cannot inflate.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::snapshot::build_snapshot;
use nethcti_server::domain::directory::{AstObjects, Users};
use nethcti_server::domain::pbx_event::{ChannelInfo, PbxEvent};
use nethcti_server::domain::switchboard::Switchboard;
use serde_json::{json, Map, Value};
use std::hint::black_box;
use std::time::Duration;

const NOW: i64 = 1_796_322_900_000;

fn users(n: usize) -> Users {
    let mut m = Map::new();
    for i in 0..n {
        let e = (10_000 + i).to_string();
        m.insert(
            format!("user{i}"),
            json!({"name": format!("User {i}"), "endpoints": {"mainextension": {e.clone(): {}},
                "extension": {e: {"type": "physical"}}}}),
        );
    }
    Users::from_json(&Value::Object(m)).expect("users")
}

fn ast() -> AstObjects {
    AstObjects::from_json(&json!({
        "trunks": {"trunk": {"tech": "pjsip", "name": "Carrier", "maxchans": "300"}},
        "queues": {"401": {"name": "Support", "dynmembers": []}}
    }))
    .expect("ast")
}

/// List replies of a PBX with `n` registered extensions and `calls` answered calls.
fn list_replies(n: usize, calls: usize) -> Vec<Frame> {
    let mut v = Vec::new();
    for i in 0..n {
        let e = (10_000 + i).to_string();
        v.push(Frame::from_pairs([
            ("Event", "EndpointList"),
            ("ObjectName", e.as_str()),
            ("DeviceState", "Not in use"),
        ]));
        v.push(Frame::from_pairs([
            ("Event", "ContactList"),
            ("Endpoint", e.as_str()),
            ("Uri", &format!("sip:{e}@10.0.{}.{}:5060", i / 250, i % 250)),
            ("Status", "Reachable"),
            ("ViaAddr", &format!("10.0.{}.{}", i / 250, i % 250)),
            ("ViaPort", "5060"),
            ("CallId", "abc"),
            ("UserAgent", "Yealink SIP-T46U"),
        ]));
        v.push(Frame::from_pairs([
            ("Event", "DeviceStateChange"),
            ("Device", &format!("PJSIP/{e}")),
            ("State", "NOT_INUSE"),
        ]));
    }
    for c in 0..calls {
        let (a, b) = (10_000 + 2 * c, 10_000 + 2 * c + 1);
        for (me, peer, seq) in [(a, b, 2 * c), (b, a, 2 * c + 1)] {
            v.push(Frame::from_pairs([
                ("Event", "CoreShowChannel"),
                ("Channel", &format!("PJSIP/{me}-{seq:08x}")),
                ("ChannelState", "6"),
                ("CallerIDNum", &me.to_string()),
                ("CallerIDName", "X"),
                ("ConnectedLineNum", &peer.to_string()),
                ("ConnectedLineName", "Y"),
                ("Uniqueid", &format!("pbx-1796322000.{seq}")),
                ("Linkedid", &format!("pbx-1796322000.{}", 2 * c)),
                ("BridgeId", &format!("bridge-{c}")),
                ("Application", "Dial"),
            ]));
        }
    }
    v.push(Frame::from_pairs([
        ("Event", "Parkinglot"),
        ("StartSpace", "701"),
        ("StopSpace", "720"),
        ("Timeout", "45"),
    ]));
    v
}

fn info(name: &str, uid: &str, linked: &str, state: u8, num: &str, peer: &str) -> ChannelInfo {
    ChannelInfo {
        channel: name.into(),
        uniqueid: uid.into(),
        linkedid: linked.into(),
        state,
        caller_num: num.into(),
        caller_name: "Caller".into(),
        connected_num: peer.into(),
        connected_name: "Peer".into(),
        context: "from-internal".into(),
        exten: peer.into(),
    }
}

/// `calls` calls set up (all concurrent), then torn down: 11 events per call.
fn call_stream(calls: usize, first_ext: usize) -> Vec<PbxEvent> {
    let mut setup = Vec::new();
    let mut teardown = Vec::new();
    for c in 0..calls {
        let (a, b) = (first_ext + 2 * c, first_ext + 2 * c + 1);
        let (an, bn) = (a.to_string(), b.to_string());
        let (ua, ub) = (
            format!("pbx-1796322100.{}", 2 * c),
            format!("pbx-1796322100.{}", 2 * c + 1),
        );
        let (ca, cb) = (format!("PJSIP/{a}-x{c:07}"), format!("PJSIP/{b}-y{c:07}"));
        let bridge = format!("br-{c}");
        let ia = info(&ca, &ua, &ua, 4, &an, &bn);
        let ib = info(&cb, &ub, &ua, 5, &bn, &an);
        let mut ia_up = ia.clone();
        ia_up.state = 6;
        let mut ib_up = ib.clone();
        ib_up.state = 6;
        setup.push(PbxEvent::ChannelCreated(ia.clone()));
        setup.push(PbxEvent::ChannelCreated(ib.clone()));
        setup.push(PbxEvent::DialBegin {
            caller: Some(ia.clone()),
            dest: ib.clone(),
        });
        setup.push(PbxEvent::ConnectedLine(ib.clone()));
        setup.push(PbxEvent::ChannelState(ib_up.clone()));
        setup.push(PbxEvent::ChannelState(ia_up.clone()));
        setup.push(PbxEvent::BridgeEnter {
            bridge: bridge.clone(),
            info: ib_up.clone(),
        });
        setup.push(PbxEvent::BridgeEnter {
            bridge: bridge.clone(),
            info: ia_up.clone(),
        });
        teardown.push(PbxEvent::BridgeLeave {
            bridge: bridge.clone(),
            info: ia_up.clone(),
        });
        teardown.push(PbxEvent::Hangup {
            info: ia_up,
            cause: 16,
        });
        teardown.push(PbxEvent::Hangup {
            info: ib_up,
            cause: 16,
        });
    }
    setup.extend(teardown);
    setup
}

/// CPU time consumed by the calling thread.
fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

/// A switchboard with `n` registered extensions (and no call), as after the initial load.
fn loaded(n: usize) -> Switchboard {
    let mut sb = Switchboard::new(&users(n), &ast(), "xxx");
    let snap = build_snapshot(&list_replies(n, 0));
    sb.apply(PbxEvent::Snapshot(Box::new(snap)), NOW);
    sb
}

/// Applies a batch; every change list is handed to `black_box` so nothing is skipped.
#[inline(never)]
fn apply_all(sb: &mut Switchboard, evs: Vec<PbxEvent>) -> usize {
    let mut n = 0;
    for e in evs {
        let ch = sb.apply(e, NOW);
        n += ch.len();
        black_box(ch);
    }
    n
}

/// One scale point: `wall` (criterion's clock, the clone of the input batch in the untimed
/// setup) and `thread_cpu` (thread CPU time around the apply loop only).
fn bench_point(c: &mut Criterion, ext: usize, calls: usize) {
    let mut sb = loaded(ext);
    let events = call_stream(calls, 10_000);
    let mut g = c.benchmark_group("state_apply");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function(format!("{ext}_ext_{calls}_concurrent_calls"), |bch| {
        bch.iter_batched(
            || events.clone(),
            |evs| apply_all(&mut sb, evs),
            BatchSize::LargeInput,
        )
    });
    g.bench_function(
        format!("{ext}_ext_{calls}_concurrent_calls/thread_cpu"),
        |bch| {
            bch.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let evs = events.clone();
                    let start = thread_cpu();
                    black_box(apply_all(&mut sb, evs));
                    total += thread_cpu().saturating_sub(start);
                }
                total
            })
        },
    );
    g.finish();
}

fn bench_apply(c: &mut Criterion) {
    bench_point(c, 1_000, 200);
    // Scaling: 5x the extensions and live calls; the per-event cost must stay flat.
    bench_point(c, 5_000, 1_000);
    // What the untimed setup costs: cloning the 2,200-event input batch.
    let events = call_stream(200, 10_000);
    let mut g = c.benchmark_group("state_apply_input");
    g.throughput(Throughput::Elements(events.len() as u64));
    g.bench_function("clone_2200_events", |bch| {
        bch.iter(|| black_box(events.clone()))
    });
    g.finish();
}

fn bench_snapshot(c: &mut Criterion) {
    let n = 5_000;
    let users = users(n);
    let ast = ast();
    let replies = list_replies(n, 500);
    let mut g = c.benchmark_group("snapshot_load");
    g.sample_size(10);
    g.bench_function("5000_ext_1000_channels", |bch| {
        bch.iter_batched(
            || Switchboard::new(&users, &ast, "xxx"),
            |mut sb| {
                let snap = build_snapshot(&replies);
                sb.apply(PbxEvent::Snapshot(Box::new(snap)), NOW).len()
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench_apply, bench_snapshot);
criterion_main!(benches);
