//! AMI client over real TCP: ActionID correlation, event lists, command output, timeouts,
//! unmatched ActionIDs and event forwarding, driven by a fake server and real transcripts.

mod support;

use nethcti_server::adapters::ami::action::Action;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::error::AmiError;
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript;
use std::time::Duration;
use support::fake_ami::{self, Answer, FakeAmi};
use support::{next_notice, quiet, settings, until_connected};
use tokio_util::sync::CancellationToken;

fn fixture(name: &str) -> Vec<transcript::Record> {
    transcript::read(format!(
        "{}/fixtures/ami/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("transcript")
}

async fn connected(fake: &FakeAmi) -> (AmiClient, tokio::sync::mpsc::UnboundedReceiver<AmiNotice>) {
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(fake), quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    (client, notices)
}

#[tokio::test]
async fn answers_arriving_in_reverse_order_reach_the_right_callers() {
    let fake = FakeAmi::start().await;
    fake.on("Hangup", |_| Vec::<Answer>::new());
    fake.on("Redirect", |_| {
        vec![fake_ami::success("Redirect successful")]
    });
    let (client, _n) = connected(&fake).await;
    let first = tokio::spawn({
        let c = client.clone();
        async move {
            c.send(Action::new("Hangup").with("Channel", "PJSIP/201-1"))
                .await
        }
    });
    fake.wait_for(|r| r.len() == 2).await;
    let second = client
        .send(Action::new("Redirect").with("Channel", "PJSIP/202-2"))
        .await;
    // Now answer the first (nethcti-2) after the second (nethcti-3) was answered.
    fake.push_raw(b"Response: Success\r\nActionID: nethcti-2\r\nMessage: Channel Hungup\r\n\r\n");
    let first = first.await.expect("joined");
    assert_eq!(
        first.expect("hangup ok").response.get("Message"),
        Some("Channel Hungup")
    );
    let second = second.expect("redirect ok");
    assert_eq!(
        second.response,
        Frame::from_pairs([
            ("Response", "Success"),
            ("ActionID", "nethcti-3"),
            ("Message", "Redirect successful")
        ])
    );
}

#[tokio::test]
async fn an_event_list_from_the_real_transcript_is_gathered_into_one_reply() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("a-startup-queries-idle.ami"));
    let (client, _n) = connected(&fake).await;
    let reply = client
        .send(Action::list("PJSIPShowEndpoints"))
        .await
        .expect("list");
    assert_eq!(reply.response.get("EventList"), Some("start"));
    let names: Vec<&str> = reply
        .events
        .iter()
        .map(|e| e.get_or_empty("ObjectName"))
        .collect();
    assert_eq!(names, vec!["201", "202", "203", "204", "trunk"]);
    assert!(reply
        .events
        .iter()
        .all(|e| e.event() == Some("EndpointList")));
    let complete = reply.complete.expect("terminator");
    assert_eq!(complete.event(), Some("EndpointListComplete"));
    assert_eq!(complete.get("ListItems"), Some("5"));
    assert_eq!(complete.action_id(), Some("nethcti-2"));
}

#[tokio::test]
async fn an_empty_list_completes_with_no_events() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("a-startup-queries-idle.ami"));
    let (client, _n) = connected(&fake).await;
    let reply = client.send(Action::list("Status")).await.expect("list");
    assert!(reply.events.is_empty());
    assert_eq!(
        reply
            .complete
            .and_then(|c| c.event().map(str::to_owned))
            .as_deref(),
        Some("StatusComplete")
    );
}

#[tokio::test]
async fn a_list_answered_with_response_error_fails_with_the_message() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("a-startup-queries-idle.ami"));
    let (client, _n) = connected(&fake).await;
    let err = client
        .send(Action::list("ConfbridgeListRooms"))
        .await
        .expect_err("no rooms");
    assert_eq!(
        err,
        AmiError::Rejected {
            action: "ConfbridgeListRooms".into(),
            message: "No active conferences.".into()
        }
    );
}

#[tokio::test]
async fn old_and_modern_command_output_both_come_back_as_output_lines() {
    let fake = FakeAmi::start().await;
    fake.on("Command", |req| {
        if req.get("Command") == Some("core show uptime") {
            vec![Answer::Raw(
                b"Response: Follows\r\nPrivilege: Command\r\nActionID: {id}\r\nSystem uptime: 1 hour\n\nLast reload: 5 min\n--END COMMAND--\r\n\r\n".to_vec(),
            )]
        } else {
            vec![Answer::Raw(
                b"Response: Success\r\nActionID: {id}\r\nMessage: Command output follows\r\nOutput: Name/username\r\nOutput: 201/201\r\n\r\n".to_vec(),
            )]
        }
    });
    let (client, _n) = connected(&fake).await;
    let old = client
        .send(Action::new("Command").with("Command", "core show uptime"))
        .await
        .expect("old");
    assert_eq!(
        old.output(),
        vec!["System uptime: 1 hour", "", "Last reload: 5 min"]
    );
    let modern = client
        .send(Action::new("Command").with("Command", "pjsip show aors"))
        .await
        .expect("new");
    assert_eq!(modern.output(), vec!["Name/username", "201/201"]);
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_action_times_out_after_the_action_timeout_and_the_late_answer_is_dropped() {
    let fake = FakeAmi::start().await;
    fake.on("QueueSummary", |_| Vec::<Answer>::new());
    let (log, captured) = support::log_capture::Captured::logger();
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), log, CancellationToken::new());
    until_connected(&mut notices).await;
    let err = client
        .send(Action::list("QueueSummary"))
        .await
        .expect_err("times out");
    assert_eq!(err, AmiError::Timeout(Duration::from_secs(10)));
    let sent = fake.received_named("QueueSummary");
    let id = sent[0].action_id().expect("ActionID").to_owned();
    fake.push_raw(
        format!("Response: Success\r\nActionID: {id}\r\n\r\nEvent: Marker\r\n\r\n").as_bytes(),
    );
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Event(Frame::new().with("Event", "Marker"))
    );
    let timed_out = captured.with_msg("AMI action timed out");
    assert_eq!(timed_out.len(), 1);
    assert_eq!(timed_out[0].get("action_id"), Some(id.as_str()));
    assert_eq!(
        captured
            .with_msg("late AMI answer after timeout, dropped")
            .len(),
        1
    );
}

#[tokio::test]
async fn a_frame_with_an_unknown_action_id_of_ours_is_logged_as_a_warning_and_not_forwarded() {
    let fake = FakeAmi::start().await;
    let (log, captured) = support::log_capture::Captured::logger();
    let (_client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), log, CancellationToken::new());
    until_connected(&mut notices).await;
    fake.push_raw(b"Response: Success\r\nActionID: nethcti-999\r\n\r\nEvent: Marker\r\n\r\n");
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Event(Frame::new().with("Event", "Marker"))
    );
    let lines = captured.with_msg("AMI frame with unmatched ActionID, dropped");
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].level, slog::Level::Warning);
    assert_eq!(lines[0].get("action_id"), Some("nethcti-999"));
    assert_eq!(
        lines[0].get("ami_conn"),
        Some("1"),
        "child logger per connection"
    );
}

#[tokio::test]
async fn transcript_events_are_forwarded_in_arrival_order() {
    let records = fixture("b-internal-call-201-to-202.ami");
    let events: Vec<Vec<u8>> = records
        .iter()
        .filter(|r| {
            r.direction == transcript::Direction::Received && r.bytes.starts_with(b"Event: ")
        })
        .filter(|r| !String::from_utf8_lossy(&r.bytes).contains("ActionID: "))
        .map(|r| r.bytes.clone())
        .collect();
    assert_eq!(events.len(), 91);
    let fake = FakeAmi::start().await;
    let (_client, mut notices) = connected(&fake).await;
    fake.push_raw(&events.concat());
    for (i, raw) in events.iter().enumerate() {
        let text = String::from_utf8_lossy(raw);
        let want = Frame::from_pairs(text.trim_end().split("\r\n").map(|l| {
            let (n, v) = l.split_once(':').expect("colon");
            (n.to_owned(), v.strip_prefix(' ').unwrap_or(v).to_owned())
        }));
        assert_eq!(
            next_notice(&mut notices).await,
            AmiNotice::Event(want),
            "event {i}"
        );
    }
}

#[tokio::test]
async fn an_action_with_a_line_break_in_a_value_is_refused_without_touching_the_connection() {
    let fake = FakeAmi::start().await;
    let (client, _n) = connected(&fake).await;
    let err = client
        .send(Action::new("Setvar").with("Value", "x\r\nAction: Logoff"))
        .await;
    assert_eq!(
        err,
        Err(AmiError::InvalidAction(
            "field `Value` contains a line break".into()
        ))
    );
    let pong = client.send(Action::ping()).await.expect("still connected");
    assert_eq!(pong.response.get("Ping"), Some("Pong"));
    assert_eq!(fake.received().len(), 2, "login and ping only");
}
