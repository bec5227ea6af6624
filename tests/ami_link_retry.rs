//! The PBX link over TCP against the fake AMI server: a state load that fails while the
//! session stays up (a list action never answered) is retried, 1 s then doubling, until it
//! succeeds; the server then becomes ready and conversations that ended meanwhile are gone.
//!
//! Real time, not tokio's paused clock: with the fake server in the same runtime, the paused
//! clock jumps to the action timeout while answers are still in flight on loopback. The
//! action timeout is 2 s here, so each test takes a few seconds.

mod support;

use nethcti_server::adapters::ami::client::AmiClient;
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::config;
use nethcti_server::adapters::push::Broadcast;
use nethcti_server::app::live::link_stats::LinkStats;
use nethcti_server::app::live::pbx_link;
use nethcti_server::app::live::{BroadcastSink, LiveModel};
use nethcti_server::app::operations::SharedModel;
use nethcti_server::domain::switchboard::PrivacyView;
use nethcti_server::ports::clock::ManualClock;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::fake_ami::{Answer, FakeAmi};
use support::log_capture::Captured;
use support::{quiet, settings};
use tokio_util::sync::CancellationToken;

const NOW_MS: i64 = 1_800_000_000_000;
const CONV: &str = "PJSIP/201-00000001>PJSIP/202-00000002";
const ACTION_TIMEOUT: Duration = Duration::from_secs(2);
const TIMED_OUT: &str = "list action CoreShowChannels failed: AMI action timed out after 2s";

/// Keeps the names of the events published.
#[derive(Default)]
struct Names(Mutex<Vec<String>>);

impl BroadcastSink for Names {
    fn send(&self, b: &Broadcast) {
        self.0.lock().expect("names").push(b.event().to_owned());
    }
}

struct Link {
    model: Arc<LiveModel>,
    ready: Arc<AtomicBool>,
    names: Arc<Names>,
    log: Captured,
    _stop: Stop,
}

struct Stop(CancellationToken);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

fn start_link(fake: &FakeAmi) -> Link {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
    let config = config::load(&dir).expect("fixture config");
    let shared = SharedModel::from_config(&config);
    let names = Arc::new(Names::default());
    let model = Arc::new(LiveModel::new(
        shared,
        Arc::new(ManualClock::new(NOW_MS)),
        names.clone(),
    ));
    let ready = Arc::new(AtomicBool::new(false));
    let stop = CancellationToken::new();
    let mut ami = settings(fake);
    ami.action_timeout = ACTION_TIMEOUT;
    let (client, notices, _task) = AmiClient::spawn(ami, quiet(), stop.clone());
    let (log, captured) = Captured::logger();
    tokio::spawn(pbx_link::run(
        client,
        notices,
        model.clone(),
        ready.clone(),
        Arc::new(LinkStats::default()),
        log,
        stop.clone(),
    ));
    Link {
        model,
        ready,
        names,
        log: captured,
        _stop: Stop(stop),
    }
}

/// `CoreShowChannels` answers: the n-th call (0-based) gets `script[n]` (None = never
/// answered, Some(channels) = that list), later calls the last entry.
fn script_channels(fake: &FakeAmi, script: Vec<Option<Vec<Frame>>>) -> Arc<AtomicUsize> {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    fake.on("CoreShowChannels", move |_| {
        let n = c.fetch_add(1, Ordering::SeqCst);
        match &script[n.min(script.len() - 1)] {
            None => Vec::new(),
            Some(channels) => list("CoreShowChannelsComplete", channels),
        }
    });
    let endpoints: Vec<Frame> = ["201", "202", "203"]
        .iter()
        .map(|e| {
            Frame::new()
                .with("Event", "EndpointList")
                .with("ObjectName", *e)
                .with("DeviceState", "In use")
        })
        .collect();
    fake.on("PJSIPShowEndpoints", move |_| {
        list("EndpointListComplete", &endpoints)
    });
    calls
}

/// A list answer: start, the items, the `complete` event.
fn list(complete: &str, items: &[Frame]) -> Vec<Answer> {
    let mut out = vec![Answer::Frame(
        Frame::new()
            .with("Response", "Success")
            .with("EventList", "start")
            .with("Message", "A list will follow"),
    )];
    out.extend(items.iter().cloned().map(Answer::Frame));
    out.push(Answer::Frame(
        Frame::new()
            .with("Event", complete)
            .with("EventList", "Complete")
            .with("ListItems", items.len().to_string()),
    ));
    out
}

fn channel(name: &str, num: &str, other: &str, uniqueid: &str) -> Frame {
    Frame::new()
        .with("Event", "CoreShowChannel")
        .with("Channel", name)
        .with("ChannelState", "6")
        .with("ChannelStateDesc", "Up")
        .with("CallerIDNum", num)
        .with("CallerIDName", "")
        .with("ConnectedLineNum", other)
        .with("ConnectedLineName", "")
        .with("Context", "internal")
        .with("Exten", other)
        .with("Priority", "1")
        .with("Uniqueid", uniqueid)
        .with("Linkedid", "pbx-1.1")
        .with("Application", "Dial")
        .with("ApplicationData", "")
        .with("Duration", "00:00:05")
        .with("BridgeId", "b-1")
}

fn call_201_202() -> Vec<Frame> {
    vec![
        channel("PJSIP/201-00000001", "201", "202", "pbx-1.1"),
        channel("PJSIP/202-00000002", "202", "201", "pbx-1.2"),
    ]
}

fn conversation_ids(link: &Link, ext: &str) -> Vec<String> {
    let sb = link.model.shared().switchboard.read().expect("switchboard");
    let json = sb
        .extension_json(ext, NOW_MS, PrivacyView::Clear)
        .unwrap_or(Value::Null);
    json["conversations"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Waits until `pred` holds, checking every 20 ms, for at most a minute.
async fn until(pred: impl Fn() -> bool) {
    tokio::time::timeout(Duration::from_secs(60), async {
        while !pred() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("condition within a minute");
}

fn retry_lines(link: &Link) -> Vec<Value> {
    link.log
        .with_msg("PBX state load failed; retrying while connected")
        .iter()
        .map(|l| {
            json!({
                "error": l.get("error"),
                "retry_in_ms": l.get("retry_in_ms"),
                "attempt": l.get("attempt"),
            })
        })
        .collect()
}

#[tokio::test]
async fn a_first_load_that_timed_out_is_retried_and_the_server_becomes_ready() {
    let fake = FakeAmi::start().await;
    let calls = script_channels(&fake, vec![None, Some(call_201_202())]);
    let link = start_link(&fake);
    until(|| calls.load(Ordering::SeqCst) >= 1).await;
    assert!(
        !link.ready.load(Ordering::SeqCst),
        "not ready while loading"
    );
    until(|| link.ready.load(Ordering::SeqCst)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        retry_lines(&link),
        vec![json!({"error": TIMED_OUT, "retry_in_ms": "1000", "attempt": "1"})]
    );
    assert_eq!(link.log.with_msg("retrying PBX state load").len(), 1);
    assert_eq!(link.log.with_msg("PBX state loaded").len(), 1);
    assert_eq!(conversation_ids(&link, "201"), vec![CONV.to_owned()]);
    assert!(
        !link
            .names
            .0
            .lock()
            .expect("names")
            .contains(&"serverReloaded".to_owned()),
        "a first load is no reload"
    );
}

#[tokio::test]
async fn after_a_reconnect_a_retried_load_drops_the_call_that_ended_meanwhile() {
    let fake = FakeAmi::start().await;
    let calls = script_channels(&fake, vec![Some(call_201_202()), None, Some(Vec::new())]);
    let link = start_link(&fake);
    until(|| link.ready.load(Ordering::SeqCst)).await;
    assert_eq!(conversation_ids(&link, "201"), vec![CONV.to_owned()]);
    assert_eq!(conversation_ids(&link, "202"), vec![CONV.to_owned()]);

    fake.drop_connections();
    until(|| calls.load(Ordering::SeqCst) >= 2).await;
    // The reconnection's load is waiting for the unanswered list: the call is still there.
    assert_eq!(conversation_ids(&link, "201"), vec![CONV.to_owned()]);
    until(|| calls.load(Ordering::SeqCst) >= 3).await;
    until(|| conversation_ids(&link, "201").is_empty()).await;
    assert_eq!(conversation_ids(&link, "202"), Vec::<String>::new());
    assert_eq!(
        retry_lines(&link),
        vec![json!({"error": TIMED_OUT, "retry_in_ms": "1000", "attempt": "1"})]
    );
    assert_eq!(link.log.with_msg("PBX state loaded").len(), 2);
    assert!(link.ready.load(Ordering::SeqCst));
}

#[tokio::test]
async fn events_sent_while_the_retried_load_runs_are_applied_after_its_snapshot() {
    let fake = FakeAmi::start().await;
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    script_channels(&fake, vec![None]); // the endpoints; CoreShowChannels replaced below
                                        // The retry's CoreShowChannels: a new call's Newchannel goes out before the (empty)
                                        // list, so it reaches the link while the load is still collecting.
    fake.on("CoreShowChannels", move |_| {
        if c.fetch_add(1, Ordering::SeqCst) == 0 {
            return Vec::new();
        }
        let event = channel("PJSIP/203-00000003", "203", "204", "pbx-3.3")
            .with("Event", "Newchannel")
            .to_wire()
            .replacen("Event: CoreShowChannel\r\n", "", 1);
        let mut out = vec![Answer::Raw(event.into_bytes())];
        out.extend(list("CoreShowChannelsComplete", &[]));
        out
    });
    let link = start_link(&fake);
    until(|| link.ready.load(Ordering::SeqCst)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    until(|| !conversation_ids(&link, "203").is_empty()).await;
    assert_eq!(
        conversation_ids(&link, "203"),
        vec!["PJSIP/203-00000003>".to_owned()]
    );
}
