//! Configuration from the directory files, deterministic randomness, the traffic
//! generator and the flood mode.

#[path = "support/log_capture.rs"]
mod log_capture;
#[path = "sim_support/mod.rs"]
mod support;

use nethcti_server::adapters::config::{directory, doc::Doc};
use nethcti_server::adapters::sim::model::SimState;
use nethcti_server::adapters::sim::{FloodConf, SimConfig};
use std::path::PathBuf;
use std::time::Duration;
use support::{start, Client};

fn demo_config() -> SimConfig {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    let users =
        directory::users(&Doc::load(&dir, "users.json").expect("users.json")).expect("users");
    let objects =
        directory::ast_objects(&Doc::load(&dir, "ast_objects.json").expect("ast_objects.json"))
            .expect("ast objects");
    SimConfig::from_directory(&users, &objects)
}

#[test]
fn endpoints_and_queues_come_from_the_directory() {
    let cfg = demo_config();
    let phones: Vec<&str> = cfg
        .endpoints
        .iter()
        .filter(|e| !e.trunk)
        .map(|e| e.id.as_str())
        .collect();
    let expected: Vec<String> = (201..=220).map(|n| n.to_string()).collect();
    assert_eq!(
        phones,
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let alice = cfg.endpoints.iter().find(|e| e.id == "201").expect("201");
    assert_eq!(alice.name, "Alice Rossi");
    let trunks: Vec<&str> = cfg
        .endpoints
        .iter()
        .filter(|e| e.trunk)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(trunks, vec!["trunk"]);
    let queues: Vec<(&str, Vec<&str>)> = cfg
        .queues
        .iter()
        .map(|q| {
            (
                q.id.as_str(),
                q.dynamic_members.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        queues,
        vec![
            ("401", vec!["202", "203", "204"]),
            ("402", vec!["205", "206", "207", "208"])
        ]
    );
}

#[test]
fn same_seed_same_randomness() {
    let draw = |seed: u64| {
        let mut st = SimState::new(SimConfig {
            seed,
            ..SimConfig::lab()
        });
        let nums: Vec<u64> = (0..8).map(|_| st.random(1000)).collect();
        (nums, st.uuid())
    };
    assert_eq!(draw(7), draw(7));
    assert_ne!(draw(7), draw(8));
}

#[tokio::test]
async fn demo_directory_pbx_answers_the_startup_queries() {
    let sim = start(demo_config()).await;
    let mut c = Client::logged_in(&sim).await;
    let eps = c
        .list(&[("Action", "PJSIPShowEndpoints"), ("ActionID", "e")])
        .await;
    assert_eq!(eps.last().and_then(|f| f.get("ListItems")), Some("21"));
    let qs = c
        .list(&[("Action", "QueueSummary"), ("ActionID", "q")])
        .await;
    let logged: Vec<(&str, &str)> = qs[1..qs.len() - 1]
        .iter()
        .map(|f| (f.get_or_empty("Queue"), f.get_or_empty("LoggedIn")))
        .collect();
    assert_eq!(logged, vec![("401", "3"), ("402", "4")]);
}

/// The demo PBX with 100 generated calls a second and phones answering at once.
fn busy_demo() -> SimConfig {
    SimConfig {
        traffic_per_min: 6000,
        answer_delay: Some(Duration::from_millis(50)),
        ..demo_config()
    }
}

#[tokio::test]
async fn traffic_generator_places_calls() {
    let cfg = busy_demo();
    let sim = start(cfg).await;
    let mut c = Client::logged_in(&sim).await;
    let mut newchannels = 0;
    while newchannels < 5 {
        let f = c.read_frame().await.expect("event");
        if f.event() == Some("Newchannel") {
            newchannels += 1;
        }
    }
    assert_eq!(newchannels, 5);
}

#[tokio::test]
async fn traffic_generator_logs_each_call_at_info_with_kind_from_and_to() {
    let cfg = busy_demo();
    let (log, captured) = log_capture::Captured::logger();
    let sim = support::start_logged(cfg, log).await;
    for _ in 0..400 {
        if captured.with_msg("demo call").len() >= 5 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    drop(sim);
    let calls = captured.with_msg("demo call");
    assert!(calls.len() >= 5, "{:?}", captured.lines());
    let kinds = [
        "internal",
        "internal+hold",
        "inbound",
        "outbound",
        "blind-transfer",
        "park-pickup",
        "conference",
        "busy",
    ];
    for line in &calls {
        assert_eq!(line.level, slog::Level::Info);
        let keys: Vec<&str> = line.kv.iter().map(|(k, _)| k.as_str()).collect();
        // slog hands a record's pairs to the drain last first
        assert_eq!(keys, vec!["to", "from", "kind"], "{line:?}");
        assert!(kinds.contains(&line.get("kind").unwrap_or("")), "{line:?}");
        assert_ne!(line.get("from"), line.get("to"), "{line:?}");
    }
}

#[tokio::test]
async fn flood_mode_runs_calls_on_its_extensions() {
    let cfg = SimConfig {
        flood: Some(FloodConf {
            extensions: 20,
            concurrent_calls: 4,
            events_per_sec: 0,
            tag_callers: false,
            phase_gap: std::time::Duration::ZERO,
            noise_per_call: 0,
        }),
        ..SimConfig::lab()
    };
    let sim = start(cfg).await;
    let mut c = Client::logged_in(&sim).await;
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < 4 {
        let f = c.read_frame().await.expect("event");
        if f.event() == Some("Hangup") {
            let ch = f.get_or_empty("Channel");
            seen.insert(ch.split('-').next().unwrap_or("").to_owned());
        }
    }
    assert!(seen.iter().all(|d| d.starts_with("PJSIP/100")), "{seen:?}");
}
