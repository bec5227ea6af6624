//! AMI client over real TCP: banner, plain and MD5 login, failed login retried, actions
//! refused while not connected, shutdown.

mod support;

use nethcti_server::adapters::ami::action::Action;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::error::AmiError;
use nethcti_server::adapters::ami::frame::Frame;
use nethcti_server::adapters::ami::settings::AuthMethod;
use support::fake_ami::{self, Answer, FakeAmi};
use support::{next_notice, quiet, settings, until_connected};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn plain_login_sends_username_secret_and_events_on_then_reports_the_banner() {
    let fake = FakeAmi::start().await;
    let (_client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Connected {
            banner: "Asterisk Call Manager/11.0.0".into()
        }
    );
    assert_eq!(
        fake.received(),
        vec![Frame::from_pairs([
            ("Action", "Login"),
            ("ActionID", "nethcti-1"),
            ("Username", "cti"),
            ("Secret", "ctisecret"),
            ("Events", "on"),
        ])]
    );
}

#[tokio::test]
async fn md5_login_answers_the_challenge_with_md5_of_challenge_and_secret() {
    let fake = FakeAmi::start().await;
    let mut s = settings(&fake);
    s.auth = AuthMethod::Md5;
    let (_client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    assert_eq!(
        until_connected(&mut notices).await,
        "Asterisk Call Manager/11.0.0"
    );
    assert_eq!(
        fake.received(),
        vec![
            Frame::from_pairs([
                ("Action", "Challenge"),
                ("ActionID", "nethcti-1"),
                ("AuthType", "MD5")
            ]),
            Frame::from_pairs([
                ("Action", "Login"),
                ("ActionID", "nethcti-2"),
                ("AuthType", "MD5"),
                ("Username", "cti"),
                // md5("123456789ctisecret")
                ("Key", "194f5c642aa1cb070b28716dd6573c99"),
                ("Events", "on"),
            ]),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_refused_login_is_logged_and_retried_after_the_backoff_delay() {
    let fake = FakeAmi::start().await;
    let tries = std::sync::atomic::AtomicUsize::new(0);
    fake.on("Login", move |_| {
        if tries.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
            vec![fake_ami::error("Authentication failed")]
        } else {
            vec![fake_ami::success("Authentication accepted")]
        }
    });
    let (log, captured) = support::log_capture::Captured::logger();
    let (_client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), log, CancellationToken::new());
    until_connected(&mut notices).await;
    let times = fake.accept_times();
    assert_eq!(times.len(), 3);
    assert_eq!(
        (times[1] - times[0]).as_millis(),
        1000,
        "first retry after 1 s"
    );
    assert_eq!(
        (times[2] - times[1]).as_millis(),
        2000,
        "second retry after 2 s"
    );
    let failures = captured.with_msg("AMI connect/login failed");
    assert_eq!(failures.len(), 2);
    assert_eq!(
        failures[0].get("error"),
        Some("login failed: Login answered Authentication failed")
    );
    assert_eq!(failures[0].level, slog::Level::Warning);
}

#[tokio::test]
async fn an_action_while_disconnected_fails_at_once_with_unavailable() {
    let fake = FakeAmi::start().await;
    fake.close_next_connections(usize::MAX);
    let (client, _notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    fake.wait_for(|_| true).await;
    assert_eq!(
        client.send(Action::ping()).await,
        Err(AmiError::Unavailable)
    );
    assert!(fake.received().is_empty(), "nothing was queued or sent");
}

#[tokio::test]
async fn shutdown_fails_pending_actions_sends_logoff_and_ends_the_task() {
    let fake = FakeAmi::start().await;
    fake.on("QueueStatus", |_| Vec::<Answer>::new());
    let token = CancellationToken::new();
    let (client, mut notices, task) = AmiClient::spawn(settings(&fake), quiet(), token.clone());
    until_connected(&mut notices).await;
    let pending = tokio::spawn({
        let client = client.clone();
        async move { client.send(Action::list("QueueStatus")).await }
    });
    fake.wait_for(|r| r.len() == 2).await;
    token.cancel();
    assert_eq!(pending.await.expect("joined"), Err(AmiError::ShutDown));
    task.await.expect("task ends");
    fake.wait_for(|r| r.len() == 3).await;
    assert_eq!(fake.received()[2].get("Action"), Some("Logoff"));
    assert_eq!(client.send(Action::ping()).await, Err(AmiError::ShutDown));
}
