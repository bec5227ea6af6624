//! `AmiPbx` (the `Pbx` port over AMI) against the fake server replaying real answers.

mod support;

use nethcti_server::adapters::ami::ami_pbx::AmiPbx;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::transcript;
use nethcti_server::ports::pbx::{Pbx, PbxCommand as C, PbxError, PbxReply};
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

async fn pbx_for(fake: &FakeAmi) -> (AmiPbx, tokio::sync::mpsc::UnboundedReceiver<AmiNotice>) {
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(fake), quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    (AmiPbx::new(client), notices)
}

fn db_get(family: &str, key: &str) -> C {
    C::DbGet {
        family: family.into(),
        key: key.into(),
    }
}

fn click_to_dial(wait_answer: bool) -> C {
    C::Originate {
        channel: "PJSIP/201".into(),
        context: "internal".into(),
        exten: "202".into(),
        priority: "1".into(),
        caller_id: Some("\"Click2Dial\" <202>".into()),
        timeout_ms: Some(20_000),
        variables: vec!["CTI_ORIGIN=clicktodial".into()],
        wait_answer,
    }
}

#[tokio::test]
async fn db_get_returns_the_value_of_a_present_key_and_none_for_a_missing_one() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("a-startup-queries-idle.ami"));
    let (pbx, _n) = pbx_for(&fake).await;
    assert_eq!(
        pbx.execute(db_get("DND", "201")).await,
        Ok(PbxReply::Value(Some("NO".into())))
    );
    assert_eq!(
        pbx.execute(db_get("CF", "201")).await,
        Ok(PbxReply::Value(None))
    );
    assert_eq!(
        pbx.execute(db_get("DND", "202")).await,
        Ok(PbxReply::Value(None))
    );
}

#[tokio::test]
async fn db_del_succeeds_for_a_present_and_for_a_missing_key() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("g-busy-and-unavailable.ami"));
    let (pbx, _n) = pbx_for(&fake).await;
    let del = || C::DbDel {
        family: "DND".into(),
        key: "203".into(),
    };
    assert_eq!(pbx.execute(del()).await, Ok(PbxReply::Done));
    fake.on("DBDel", |_| {
        vec![fake_ami::error("Database entry not found")]
    });
    assert_eq!(pbx.execute(del()).await, Ok(PbxReply::Done));
}

#[tokio::test]
async fn a_refused_queue_add_is_rejected_with_asterisks_message() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("i-queue-member-add-pause-remove.ami"));
    let (pbx, _n) = pbx_for(&fake).await;
    let add = || C::QueueAdd {
        queue: "401".into(),
        interface: "PJSIP/203".into(),
        member_name: Some("Carol Desk".into()),
        paused: false,
        penalty: Some(0),
        state_interface: Some("PJSIP/203".into()),
    };
    assert_eq!(pbx.execute(add()).await, Ok(PbxReply::Done));
    assert_eq!(
        pbx.execute(add()).await,
        Err(PbxError::Rejected(
            "Unable to add interface: Already there".into()
        ))
    );
}

#[tokio::test]
async fn a_waiting_originate_returns_the_uniqueid_from_originate_response() {
    let fake = FakeAmi::start().await;
    fake.answer_from_transcript(&fixture("k-originate-click-to-dial.ami"));
    let (pbx, _n) = pbx_for(&fake).await;
    assert_eq!(
        pbx.execute(click_to_dial(true)).await,
        Ok(PbxReply::Originated {
            uniqueid: "labpbx-1796322822.38".into()
        })
    );
}

#[tokio::test]
async fn a_failed_originate_response_is_rejected_with_the_reason() {
    let fake = FakeAmi::start().await;
    fake.on("Originate", |_| {
        vec![
            fake_ami::success("Originate successfully queued"),
            Answer::Raw(b"Event: OriginateResponse\r\nActionID: {id}\r\nResponse: Failure\r\nReason: 5\r\nUniqueid: <null>\r\n\r\n".to_vec()),
        ]
    });
    let (pbx, _n) = pbx_for(&fake).await;
    assert_eq!(
        pbx.execute(click_to_dial(true)).await,
        Err(PbxError::Rejected("originate busy, reason 5".into()))
    );
}

#[tokio::test]
async fn a_non_waiting_originate_is_done_on_its_response_and_absorbs_the_later_originate_response()
{
    let fake = FakeAmi::start().await;
    fake.on("Originate", |_| {
        vec![fake_ami::success("Originate successfully queued")]
    });
    let (log, captured) = support::log_capture::Captured::logger();
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), log, CancellationToken::new());
    until_connected(&mut notices).await;
    let pbx = AmiPbx::new(client);
    assert_eq!(pbx.execute(click_to_dial(false)).await, Ok(PbxReply::Done));
    let id = fake.received_named("Originate")[0]
        .action_id()
        .expect("id")
        .to_owned();
    fake.push_raw(
        format!("Event: OriginateResponse\r\nActionID: {id}\r\nResponse: Success\r\nReason: 4\r\n\r\nEvent: Marker\r\n\r\n").as_bytes(),
    );
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Event(Frame::new().with("Event", "Marker"))
    );
    assert!(
        captured
            .lines()
            .iter()
            .all(|l| l.level != slog::Level::Warning),
        "{:?}",
        captured.lines()
    );
}

#[tokio::test]
async fn command_output_lines_become_the_reply() {
    let fake = FakeAmi::start().await;
    fake.on("Command", |_| {
        vec![Answer::Raw(b"Response: Success\r\nActionID: {id}\r\nMessage: Command output follows\r\nOutput: a: 1\r\nOutput: \r\n\r\n".to_vec())]
    });
    let (pbx, _n) = pbx_for(&fake).await;
    let reply = pbx
        .execute(C::Command {
            command: "database show".into(),
        })
        .await;
    assert_eq!(reply, Ok(PbxReply::Output(vec!["a: 1".into(), "".into()])));
}

#[tokio::test]
async fn without_a_connection_commands_are_unavailable() {
    let fake = FakeAmi::start().await;
    fake.close_next_connections(usize::MAX);
    let (client, _n, _task) = AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    let pbx = AmiPbx::new(client);
    assert_eq!(pbx.execute(C::Ping).await, Err(PbxError::Unavailable));
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_command_times_out_with_the_action_timeout() {
    let fake = FakeAmi::start().await;
    fake.on("Hangup", |_| Vec::<Answer>::new());
    let (pbx, _n) = pbx_for(&fake).await;
    let hangup = C::Hangup {
        channel: "PJSIP/201-1".into(),
        cause: None,
    };
    assert_eq!(
        pbx.execute(hangup).await,
        Err(PbxError::Timeout(Duration::from_secs(10)))
    );
}
