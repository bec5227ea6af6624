//! AMI client over real TCP: disconnects fail pending actions at once, reconnect with
//! exponential backoff (paused clock), `Connected` after every reconnect, keepalive failure,
//! and an oversize frame closing only the connection.

mod support;

use nethcti_server::adapters::ami::action::Action;
use nethcti_server::adapters::ami::client::{AmiClient, AmiNotice};
use nethcti_server::adapters::ami::error::AmiError;
use std::time::Duration;
use support::fake_ami::{Answer, FakeAmi, BANNER};
use support::{assert_jittered, next_notice, quiet, settings, until_connected};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn a_dropped_connection_fails_every_pending_action_at_once_not_at_its_timeout() {
    let fake = FakeAmi::start().await;
    fake.on("QueueStatus", |_| Vec::<Answer>::new());
    fake.on("CoreShowChannels", |_| Vec::<Answer>::new());
    let mut s = settings(&fake);
    s.action_timeout = Duration::from_secs(3600);
    let (client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    let pending: Vec<_> = ["QueueStatus", "CoreShowChannels"]
        .into_iter()
        .map(|name| {
            let c = client.clone();
            tokio::spawn(async move { c.send(Action::list(name)).await })
        })
        .collect();
    fake.wait_for(|r| r.len() == 3).await;
    fake.drop_connections();
    for p in pending {
        let result = tokio::time::timeout(Duration::from_secs(30), p)
            .await
            .expect("fails fast");
        assert_eq!(
            result.expect("joined"),
            Err(AmiError::Disconnected("connection closed by peer".into()))
        );
    }
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Disconnected {
            reason: "connection closed by peer".into()
        }
    );
}

#[tokio::test(start_paused = true)]
async fn reconnect_attempts_back_off_from_one_second_doubling_up_to_thirty() {
    let fake = FakeAmi::start().await;
    fake.close_next_connections(8);
    let (_client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    assert_eq!(until_connected(&mut notices).await, BANNER);
    assert_eq!(
        fake.accept_gaps_ms(),
        vec![1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]
    );
}

#[tokio::test(start_paused = true)]
async fn after_a_drop_of_a_stable_connection_the_client_reconnects_in_one_second() {
    let fake = FakeAmi::start().await;
    fake.close_next_connections(3);
    let (client, mut notices, _task) =
        AmiClient::spawn(settings(&fake), quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    // a connection that stayed up for `stable_after` (10 s) earns a fresh 1 s delay
    tokio::time::sleep(Duration::from_secs(10)).await;
    fake.drop_connections();
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Disconnected {
            reason: "connection closed by peer".into()
        }
    );
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Connected {
            banner: BANNER.into()
        }
    );
    assert_eq!(
        fake.accept_gaps_ms(),
        vec![1000, 2000, 4000, 10_000 + 1000],
        "backoff reset after a connection stayed up for 10 s"
    );
    let pong = client
        .send(Action::ping())
        .await
        .expect("works after reconnect");
    assert_eq!(pong.response.get("Ping"), Some("Pong"));
    assert_eq!(fake.received_named("Login").len(), 2);
}

#[tokio::test(start_paused = true)]
async fn jittered_delays_stay_within_half_and_one_and_a_half_times_the_base() {
    let fake = FakeAmi::start().await;
    fake.close_next_connections(6);
    let mut s = settings(&fake);
    s.backoff.jitter = 0.5;
    let (_client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    assert_jittered(
        &fake.accept_gaps_ms(),
        &[1000, 2000, 4000, 8000, 16000, 30000],
    );
}

#[tokio::test(start_paused = true)]
async fn an_unanswered_keepalive_ping_drops_the_connection_and_the_client_reconnects() {
    let fake = FakeAmi::start().await;
    fake.on("Ping", |_| Vec::<Answer>::new());
    let mut s = settings(&fake);
    s.ping_interval = Duration::from_secs(30);
    let (_client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Disconnected {
            reason: "keepalive ping unanswered after 10s".into()
        }
    );
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Connected {
            banner: BANNER.into()
        }
    );
    assert_eq!(
        fake.accept_gaps_ms(),
        vec![41_000],
        "ping at 30 s, deadline 40 s, reconnect 1 s later"
    );
    assert_eq!(fake.received_named("Ping").len(), 1);
}

#[tokio::test(start_paused = true)]
async fn answered_keepalive_pings_keep_one_connection() {
    let fake = FakeAmi::start().await;
    let mut s = settings(&fake);
    s.ping_interval = Duration::from_secs(30);
    let (_client, mut notices, _task) = AmiClient::spawn(s, quiet(), CancellationToken::new());
    until_connected(&mut notices).await;
    fake.wait_for(|r| r.iter().filter(|f| f.get("Action") == Some("Ping")).count() == 3)
        .await;
    assert_eq!(fake.accept_times().len(), 1);
    assert!(notices.try_recv().is_err(), "no Disconnected notice");
}

#[tokio::test(start_paused = true)]
async fn an_oversize_frame_closes_the_connection_with_a_log_line_then_the_client_reconnects() {
    let fake = FakeAmi::start().await;
    let mut s = settings(&fake);
    s.max_frame_bytes = 4096;
    let (log, captured) = support::log_capture::Captured::logger();
    let (client, mut notices, _task) = AmiClient::spawn(s, log, CancellationToken::new());
    until_connected(&mut notices).await;
    let mut big = b"Event: Huge\r\nData: ".to_vec();
    big.extend(std::iter::repeat_n(b'x', 10_000));
    big.extend_from_slice(b"\r\n\r\n");
    fake.push_raw(&big);
    let AmiNotice::Disconnected { reason } = next_notice(&mut notices).await else {
        panic!("expected Disconnected");
    };
    assert!(
        reason.starts_with("AMI message exceeds 4096 bytes"),
        "{reason}"
    );
    assert_eq!(
        next_notice(&mut notices).await,
        AmiNotice::Connected {
            banner: BANNER.into()
        }
    );
    let logged = captured.with_msg("AMI stream error, closing connection");
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].level, slog::Level::Error);
    let pong = client
        .send(Action::ping())
        .await
        .expect("new connection works");
    assert_eq!(pong.response.get("Ping"), Some("Pong"));
}
