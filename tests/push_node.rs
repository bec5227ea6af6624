//! Real-client compatibility against the real daemon: socket.io-client 4.7.5 with
//! phone-island's options (tests/node/phone_island.js) logs in over REST, connects to the
//! separate socket.io listener, pings, places and hangs up a call through REST on the
//! simulated PBX, then checks a bad token and a take-over.
//!
//! Needs `node` and `npm ci --prefix tests/node` (`.ci/run` does it). Without `node` the
//! test is skipped loudly, except under `CI=true`, where it fails.

#[path = "support/daemon.rs"]
mod daemon;

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use daemon::start_daemon;
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[tokio::test]
async fn socket_io_client_4_7_with_phone_island_options_against_the_daemon() {
    if !node_available() {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "`node` not found on PATH: the real-client test must run in CI"
        );
        eprintln!("\n!!!!!! SKIPPED push_node: `node` not found on PATH; the real-client test did not run !!!!!!\n");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/socket.io-client").is_dir(),
        "socket.io-client not installed: run `npm ci --prefix tests/node`"
    );
    let d = start_daemon(None).await;
    assert_ne!(d.running.http_addr, d.running.ws_addr);
    let mut child = Command::new("node")
        .arg(dir.join("phone_island.js"))
        .arg(d.running.http_addr.port().to_string())
        .arg(d.ws_addr().port().to_string())
        // phone-island pings every 5 s; 1 s keeps the test short.
        .arg("1000")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn node");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut transcript = Vec::new();
    while let Some(line) = tokio::time::timeout(Duration::from_secs(45), lines.next_line())
        .await
        .expect("node script stalled")
        .expect("read node output")
    {
        transcript.push(line);
    }
    let status = child.wait().await.expect("node exit");
    let conversation = json!({
        "id": "PJSIP/201-00000000>PJSIP/202-00000001",
        "owner": "201",
        "counterpartNum": "202",
        "counterpartName": "Bob Bianchi",
        "direction": "out",
        "connected": true,
        "recording": "false",
        "inConference": false,
        "throughQueue": false,
        "throughTrunk": false
    });
    let expected = vec![
        r#"AUTHE_OK [{"message":"authorized successfully"}]"#.to_owned(),
        "PING_ACK 1 []".to_owned(),
        "PING_ACK 2 []".to_owned(),
        r#"CALL ["uniqueid"]"#.to_owned(),
        format!(
            "EXTEN_UPDATE {}",
            json!({"exten": "201", "username": "alice", "status": "busy", "conversation": conversation})
        ),
        format!(
            "EXTEN_HANGUP {}",
            json!({"cause": "normal_clearing", "callerNum": "201", "channelExten": "201", "calledNum": "202"})
        ),
        r#"BAD_401 [{"message":"unauthorized access"}]"#.to_owned(),
        r#"BAD_DISCONNECT "io server disconnect""#.to_owned(),
        r#"SECOND_AUTHE_OK [{"message":"authorized successfully"}]"#.to_owned(),
        "TAKEOVER []".to_owned(),
        "DONE".to_owned(),
    ];
    assert_eq!(transcript, expected);
    assert!(status.success(), "node exited with {status}");
}
