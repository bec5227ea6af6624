//! A dying Asterisk (transcript j) accepts connections and resets them, right after the
//! banner or right after a successful login. The client notices every drop, fails what is
//! pending, and keeps backing off: only a connection that stays up resets the delay.

mod support;

use nethcti_server::adapters::ami::action::Action;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::error::AmiError;
use std::time::Duration;
use support::fake_ami::{Answer, FakeAmi, BANNER};
use support::{assert_jittered, next_notice, quiet, settings, until_connected};
use tokio_util::sync::CancellationToken;

const LOST: &str = "connection closed by peer";

fn connected() -> AmiNotice {
    AmiNotice::Connected {
        banner: BANNER.into(),
    }
}

fn lost() -> AmiNotice {
    AmiNotice::Disconnected {
        reason: LOST.into(),
    }
}

#[tokio::test(start_paused = true)]
async fn closed_right_after_the_banner_is_retried_with_doubling_delays() {
    let fake = FakeAmi::start().await;
    fake.close_next_after_banner(4);
    let (_client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    // no notice at all for the failed logins: the first one is the good connection
    assert_eq!(next_notice(&mut notices).await, connected());
    assert_eq!(fake.accept_gaps_ms(), vec![1000, 2000, 4000, 8000]);
    assert_eq!(fake.received_named("Login").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn reset_right_after_each_login_is_retried_with_doubling_delays_not_every_second() {
    let fake = FakeAmi::start().await;
    fake.close_next_after_login(5);
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    let mut seen = Vec::new();
    for _ in 0..11 {
        seen.push(next_notice(&mut notices).await);
    }
    let mut expected: Vec<AmiNotice> = (0..5).flat_map(|_| [connected(), lost()]).collect();
    expected.push(connected());
    assert_eq!(seen, expected);
    assert_eq!(fake.accept_gaps_ms(), vec![1000, 2000, 4000, 8000, 16000]);
    assert_eq!(fake.received_named("Login").len(), 6);
    let pong = client
        .send(Action::ping())
        .await
        .expect("the 6th one stays");
    assert_eq!(pong.response.get("Ping"), Some("Pong"));
}

#[tokio::test(start_paused = true)]
async fn with_jitter_the_delays_after_reset_logins_stay_within_their_growing_bounds() {
    let fake = FakeAmi::start().await;
    fake.close_next_after_login(6);
    let mut s = settings(&fake);
    s.backoff.jitter = 0.5;
    let (_client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    for _ in 0..6 {
        assert_eq!(next_notice(&mut notices).await, connected());
        assert_eq!(next_notice(&mut notices).await, lost());
    }
    assert_eq!(next_notice(&mut notices).await, connected());
    assert_jittered(
        &fake.accept_gaps_ms(),
        &[1000, 2000, 4000, 8000, 16000, 30000],
    );
}

#[tokio::test(start_paused = true)]
async fn an_action_sent_on_a_connection_reset_after_login_fails_at_once() {
    let fake = FakeAmi::start().await;
    fake.on("QueueStatus", |_| Vec::<Answer>::new());
    fake.close_next_after_login(1);
    let mut s = settings(&fake);
    s.action_timeout = Duration::from_secs(3600);
    let (client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    assert_eq!(next_notice(&mut notices).await, connected());
    let started = tokio::time::Instant::now();
    let result = client.send(Action::list("QueueStatus")).await;
    // Either the request met the closing session (pending, failed with the session) or
    // reached the task while it waited to reconnect; never the 1 h action timeout.
    assert!(
        matches!(&result, Err(AmiError::Disconnected(r)) if r == LOST)
            || result == Err(AmiError::Unavailable),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(next_notice(&mut notices).await, lost());
    assert_eq!(until_connected(&mut notices).await, BANNER);
    assert_eq!(fake.accept_gaps_ms(), vec![1000]);
}
