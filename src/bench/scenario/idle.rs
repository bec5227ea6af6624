//! Idle sockets: the daemon's RSS with `clients` generated users and no socket, then with
//! one logged-in socket.io client per user and no PBX traffic, sampled every 5 s for
//! `secs` seconds (flat samples = no growth while idle). The per-socket cost is the
//! difference divided by the sockets logged in.

use super::{Rig, Row};
use crate::bench::error::BenchError;
use crate::bench::recorder::Recorder;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Parameters of an idle run.
#[derive(Debug, Clone, Copy)]
pub struct IdleArgs {
    /// Connected clients (and generated users).
    pub clients: usize,
    /// Seconds the idle sockets are sampled.
    pub secs: u64,
}

/// Seconds between two RSS samples.
const SAMPLE_EVERY: Duration = Duration::from_secs(5);

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig or the clients.
pub async fn run(a: IdleArgs) -> Result<Vec<Row>, BenchError> {
    let users = a.clients.max(2);
    eprintln!("idle: {} clients, {users} users, {} s", a.clients, a.secs);
    let mut rig = Rig::start("idle", users, |_| {}).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let none = rig.rss_mib()?;
    eprintln!("  RSS, no socket: {none:.1} MiB");
    let creds = rig.tokens(0, a.clients).await?;
    let rec = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let t = Instant::now();
    let clients = rig.clients(creds, &rec, &stop).await;
    let connected = clients.len();
    eprintln!(
        "  {connected} sockets logged in in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let first = rig.rss_mib()?;
    let mut samples = vec![first];
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(a.secs) {
        tokio::time::sleep(SAMPLE_EVERY).await;
        let rss = rig.rss_mib()?;
        eprintln!("  {:>4} s: RSS {rss:.1} MiB", t.elapsed().as_secs());
        samples.push(rss);
    }
    stop.cancel();
    clients.finish().await;
    let min = samples.iter().copied().fold(f64::INFINITY, f64::min);
    let max = samples.iter().copied().fold(0.0, f64::max);
    let per_socket = per_socket_kib(first - none, connected);
    eprintln!(
        "  RSS: no socket {none:.1} MiB; {connected} idle sockets {first:.1} MiB ({per_socket:.1} KiB per socket); over {} s {min:.1}–{max:.1} MiB",
        a.secs
    );
    let cmd = format!(
        "cargo run --release --bin nethcti-bench -- idle --clients {} --secs {}",
        a.clients, a.secs
    );
    Ok(vec![Row::new(
        &format!(
            "Daemon RSS, {} users: no socket / {connected} idle logged-in sockets (min–max over {} s)",
            users, a.secs
        ),
        if a.clients >= 10_000 { "≤ 150 MB" } else { "–" },
        format!(
            "{none:.1} MiB / {first:.1} MiB ({min:.1}–{max:.1} MiB; {per_socket:.1} KiB per socket)"
        ),
        &cmd,
    )])
}

/// KiB per socket of a growth of `mib` MiB over `sockets` sockets (0 without sockets).
pub fn per_socket_kib(mib: f64, sockets: usize) -> f64 {
    if sockets == 0 {
        0.0
    } else {
        mib * 1024.0 / sockets as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_socket_cost_is_the_growth_over_the_sockets() {
        assert_eq!(per_socket_kib(100.0, 10_000), 10.24);
        assert_eq!(per_socket_kib(5.0, 0), 0.0);
    }
}
