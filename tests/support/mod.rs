//! Shared helpers of the AMI integration tests.
#![allow(dead_code)]

pub mod fake_ami;
pub mod log_capture;

use nethcti_server::adapters::ami::client::AmiNotice;
use nethcti_server::adapters::ami::settings::{AmiSettings, BackoffSettings};
use secrecy::SecretString;
use std::time::Duration;
use tokio::sync::mpsc::UnboundedReceiver;

/// Client settings for a fake server: user `cti`, 10 s action timeout, backoff 1 s doubling
/// to 30 s without jitter (so the schedule is exact). Ping and connect limits are one hour:
/// with tokio's paused clock, time jumps to the next timer whenever every task is idle (even
/// while loopback bytes are in flight), so timers a test does not exercise are kept far away.
pub fn settings(fake: &fake_ami::FakeAmi) -> AmiSettings {
    let mut s = AmiSettings::new(
        fake.addr.ip().to_string(),
        fake.addr.port(),
        fake_ami::USER,
        SecretString::from(fake_ami::SECRET),
    );
    s.backoff = BackoffSettings {
        jitter: 0.0,
        ..BackoffSettings::default()
    };
    s.ping_interval = Duration::from_secs(3600);
    s.connect_timeout = Duration::from_secs(3600);
    s
}

/// The next notice (fails the test instead of hanging when none comes within a day of
/// virtual time).
pub async fn next_notice(rx: &mut UnboundedReceiver<AmiNotice>) -> AmiNotice {
    tokio::time::timeout(Duration::from_secs(86_400), rx.recv())
        .await
        .expect("a notice within a day")
        .expect("notice channel open")
}

/// Skips notices until `Connected`, returning its banner.
pub async fn until_connected(rx: &mut UnboundedReceiver<AmiNotice>) -> String {
    loop {
        if let AmiNotice::Connected { banner } = next_notice(rx).await {
            return banner;
        }
    }
}

/// Discard logger.
pub fn quiet() -> slog::Logger {
    slog::Logger::root(slog::Discard, slog::o!())
}

/// Each gap (ms) is within ±50 % of its un-jittered base, and there is one gap per base.
pub fn assert_jittered(gaps: &[u128], bases: &[u128]) {
    assert_eq!(gaps.len(), bases.len(), "{gaps:?}");
    for (gap, base) in gaps.iter().zip(bases) {
        assert!(
            *gap >= base / 2 && *gap <= base * 3 / 2,
            "{gap} ms for base {base} ms"
        );
    }
}
