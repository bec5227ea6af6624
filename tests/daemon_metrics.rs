//! `GET /metrics` of the real daemon (simulated PBX, fixture configuration): served
//! without a token in the Prometheus text format, model sizes exact, every AMI event the
//! simulator sends counted as received, logged-in sockets counted.

#[path = "support/daemon.rs"]
mod daemon;
#[path = "support/push_client.rs"]
mod push_client;

use daemon::{start_daemon, Daemon};
use nethcti_server::adapters::sim::flows::dial;
use push_client::SioClient;
use std::collections::BTreeMap;
use std::time::Duration;

/// `name → value` of every sample line; asserts each metric has its HELP and TYPE lines.
async fn metrics(d: &Daemon) -> BTreeMap<String, u64> {
    let resp = reqwest::get(format!("{}/metrics", d.rest))
        .await
        .expect("metrics request");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/plain; version=0.0.4")
    );
    let text = resp.text().await.expect("body");
    let mut out = BTreeMap::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = line.split_once(' ').expect("name value");
        assert!(text.contains(&format!("# HELP {name} ")), "{name} help");
        assert!(text.contains(&format!("# TYPE {name} ")), "{name} type");
        out.insert(name.to_owned(), value.parse().expect("integer value"));
    }
    out
}

fn gauges(m: &BTreeMap<String, u64>) -> Vec<(&str, u64)> {
    [
        "nethcti_extensions",
        "nethcti_queues",
        "nethcti_trunks",
        "nethcti_parkings",
        "nethcti_channels",
        "nethcti_sockets_logged_in",
    ]
    .iter()
    .map(|n| (*n, m[*n]))
    .collect()
}

#[tokio::test]
async fn metrics_is_public_and_get_only() {
    let d = start_daemon(None).await;
    let http = reqwest::Client::new();
    let status = |r: reqwest::Response| r.status().as_u16();
    // Public like /profiling/all: another method is a 405, not a 401.
    let post = http.post(format!("{}/metrics", d.rest)).send().await;
    let profiling = http.post(format!("{}/profiling/all", d.rest)).send().await;
    assert_eq!(post.map(status).ok(), Some(405));
    assert_eq!(profiling.map(status).ok(), Some(405));
    // Unknown paths outside the public prefixes still answer 401 before 404.
    let other = http.put(format!("{}/foo/bar", d.rest)).send().await;
    assert_eq!(other.map(status).ok(), Some(401));
    let near = http.get(format!("{}/metrics/x", d.rest)).send().await;
    assert_eq!(near.map(status).ok(), Some(404));
}

#[tokio::test]
async fn metrics_count_the_model_the_ami_events_and_the_sockets() {
    let d = start_daemon(None).await;
    let before = metrics(&d).await;
    assert_eq!(
        before.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![
            "nethcti_ami_batches_total",
            "nethcti_ami_events_applied_total",
            "nethcti_ami_events_received_total",
            "nethcti_ami_events_unknown_total",
            "nethcti_channels",
            "nethcti_extensions",
            "nethcti_parkings",
            "nethcti_queues",
            "nethcti_sockets_logged_in",
            "nethcti_trunks",
        ]
    );
    let (extensions, queues, trunks, parkings, _) = d.running.model.counts();
    // The gauges with these channel and socket counts (model sizes fixed by the config).
    let with = |channels: u64, sockets: u64| {
        vec![
            ("nethcti_extensions", extensions as u64),
            ("nethcti_queues", queues as u64),
            ("nethcti_trunks", trunks as u64),
            ("nethcti_parkings", parkings as u64),
            ("nethcti_channels", channels),
            ("nethcti_sockets_logged_in", sockets),
        ]
    };
    assert_eq!(gauges(&before), with(0, 0));
    assert!(extensions > 0);

    let token = d.login("alice").await;
    let mut socket = SioClient::connect(d.ws_addr()).await;
    let (reply, _) = socket.login("alice", &token, Some("desktop")).await;
    assert_eq!(reply, "authe_ok");

    let sent_before = d.sim().events_sent();
    d.sim()
        .with(|st| dial::phone_dial(st, "201", "202"))
        .expect("201 dials 202");
    let sent = d.sim().events_sent() - sent_before;
    assert!(sent > 0);
    let expected = with(2, 1);
    // The counters move when the link takes an event, the gauges once its batch is applied.
    let mut after = metrics(&d).await;
    for _ in 0..100 {
        let taken = after["nethcti_ami_events_received_total"]
            == before["nethcti_ami_events_received_total"] + sent;
        if taken && gauges(&after) == expected {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        after = metrics(&d).await;
    }
    assert_eq!(
        after["nethcti_ami_events_received_total"] - before["nethcti_ami_events_received_total"],
        sent,
        "every event the simulator sent was taken"
    );
    assert!(after["nethcti_ami_batches_total"] > before["nethcti_ami_batches_total"]);
    assert!(
        after["nethcti_ami_batches_total"] - before["nethcti_ami_batches_total"] <= sent,
        "at most one batch per event"
    );
    assert_eq!(gauges(&after), expected);
}
