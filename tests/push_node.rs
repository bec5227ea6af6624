//! Real-client compatibility: socket.io-client 4.7.5 with phone-island's options (tests/node/).
//!
//! Needs `node` and `npm ci --prefix tests/node`; skipped (loudly) only when `node` is absent.

#[path = "support/push_server.rs"]
mod push_server;

use std::path::PathBuf;
use std::process::Stdio;

use nethcti_server::adapters::push::Broadcast;
use push_server::{config, perms, spawn_push};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

fn node_available() -> bool {
    std::process::Command::new("node")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn exten_201() -> Value {
    json!({
        "ip": "192.168.1.10", "cf": "", "mac": "", "cfb": "", "cfu": "", "dnd": false,
        "cfVm": "", "port": "5062", "name": "Alice", "cfbVm": "", "cfuVm": "",
        "exten": "201", "codecs": [], "status": "busy", "context": "from-internal",
        "chanType": "pjsip", "username": "alice", "useWebsocket": false,
        "sipuseragent": "Yealink", "conversations": {
            "PJSIP/201-00000001>PJSIP/202-00000002": {
                "id": "PJSIP/201-00000001>PJSIP/202-00000002", "owner": "201",
                "queueId": "", "linkedId": "1700000000.1", "uniqueId": "1700000000.1",
                "duration": 3, "startTime": 1700000000000u64, "connected": true,
                "recording": "false", "direction": "out", "inConference": false,
                "throughQueue": false, "throughTrunk": false,
                "counterpartNum": "202", "counterpartName": "Bob"
            }
        }
    })
}

#[tokio::test]
async fn socket_io_client_4_7_with_phone_island_options_works_end_to_end() {
    if !node_available() {
        eprintln!("\n!!!!!! SKIPPED push_node: `node` not found on PATH; the real-client test did not run !!!!!!\n");
        return;
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node");
    assert!(
        dir.join("node_modules/socket.io-client").is_dir(),
        "socket.io-client not installed: run `npm ci --prefix tests/node`"
    );
    let server = spawn_push(&[("alice", perms())], config()).await;
    let mut child = Command::new("node")
        .arg(dir.join("phone_island.js"))
        .arg(server.addr.port().to_string())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("spawn node");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut transcript = Vec::new();
    let mut seqs = Vec::new();
    while let Some(line) =
        tokio::time::timeout(std::time::Duration::from_secs(40), lines.next_line())
            .await
            .expect("node script stalled")
            .expect("read node output")
    {
        match line.as_str() {
            "READY exten" => {
                let b = Broadcast::exten_update(exten_201(), json!({}), json!({}), Some("alice"));
                seqs.push(server.hub.publish(&b).expect("publish").seq);
            }
            "READY hangup" => {
                let b = Broadcast::exten_hangup(
                    "alice",
                    json!({"cause": "normal_clearing", "callerNum": "201", "channelExten": "201", "calledNum": "202"}),
                );
                seqs.push(server.hub.publish(&b).expect("publish").seq);
            }
            _ => transcript.push(line),
        }
    }
    let status = child.wait().await.expect("node exit");
    let expected = vec![
        r#"AUTHE_OK [{"message":"authorized successfully"}]"#.to_owned(),
        "PING_ACK []".to_owned(),
        format!(
            "EVENT extenUpdate {}",
            json!([exten_201(), {"_seq": seqs.first().copied().unwrap_or(0)}])
        ),
        format!(
            "EVENT extenHangup {}",
            json!([{"cause": "normal_clearing", "callerNum": "201", "channelExten": "201", "calledNum": "202"}, {"_seq": seqs.get(1).copied().unwrap_or(0)}])
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
