//! Fan-out: `clients` socket.io clients (one generated user each) while the flood runs at
//! `rate` AMI events/s; latency from the simulator stamping a call's caller name to each
//! client receiving the first event carrying it, plus the daemon's RSS.

use super::{wait, Rig, Row};
use crate::bench::daemon::cpu_secs;
use crate::bench::error::BenchError;
use crate::bench::recorder::Recorder;
use crate::bench::sim::{self, CallShape};
use crate::bench::stats::{ms, summarize};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Parameters of a fan-out run.
#[derive(Debug, Clone, Copy)]
pub struct FanoutArgs {
    /// Connected clients (and generated users).
    pub clients: usize,
    /// Flood rate, AMI events per second.
    pub rate: u64,
    /// Concurrent call loops of the flood.
    pub calls: usize,
    /// Measured seconds (after 3 s of warm-up).
    pub secs: u64,
    /// How each call looks on the AMI.
    pub shape: CallShape,
}

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig or the clients.
pub async fn run(a: FanoutArgs) -> Result<Vec<Row>, BenchError> {
    let users = a.clients.max(2 * a.calls).max(2);
    eprintln!(
        "fanout: {} clients, {} events/s, {} users",
        a.clients, a.rate, users
    );
    let mut rig = Rig::start("fanout", users, |_| {}).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = rig.rss_mib()?;
    let t = Instant::now();
    let creds = rig.tokens(0, a.clients).await?;
    eprintln!(
        "  {} REST logins in {:.1} s",
        creds.len(),
        t.elapsed().as_secs_f64()
    );
    let rec = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let t = Instant::now();
    let clients = rig.clients(creds, &rec, &stop).await;
    eprintln!(
        "  {} sockets logged in in {:.1} s",
        clients.len(),
        t.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    let with_clients = rig.rss_mib()?;
    rig.start_flood(sim::flood(users, a.calls, a.rate, a.shape));
    wait(Duration::from_secs(3)).await;
    let sent0 = rig.sim.events_sent();
    rec.set_recording(true);
    let cpu0 = rig.daemon.cpu_secs().unwrap_or(0.0);
    let own0 = cpu_secs("/proc/self/stat").unwrap_or(0.0);
    let t = Instant::now();
    wait(Duration::from_secs(a.secs)).await;
    rec.set_recording(false);
    let secs = t.elapsed().as_secs_f64();
    let sent = rig.sim.events_sent() - sent0;
    let cpus = (rig.daemon.cpu_secs().unwrap_or(0.0) - cpu0) / secs;
    let bench_cpus = (cpu_secs("/proc/self/stat").unwrap_or(0.0) - own0) / secs;
    let under_load = rig.rss_mib()?;
    stop.cancel();
    let clients_failed = clients.failed;
    clients.finish().await;
    let mut samples = rec.take_samples();
    let s = summarize(&mut samples);
    let closed = rec.closed();
    let (overflow, pong) = rig.daemon.disconnect_reasons();
    let failed = clients_failed;
    let msgs = rec.messages() as f64 / secs;
    eprintln!(
        "  AMI events/s sent {:.0}; socket messages/s received (all clients) {:.0}; latency {s}; clients cut {closed} (daemon log: {overflow} queue overflows, {pong} pong timeouts), {failed} failed to log in; daemon at {cpus:.2} CPUs, bench process (simulator + clients) at {bench_cpus:.2} CPUs",
        sent as f64 / secs,
        msgs
    );
    eprintln!("  daemon RSS: idle {idle:.1} MiB, {} clients {with_clients:.1} MiB, under load {under_load:.1} MiB", a.clients);
    let cmd = format!(
        "cargo run --release --bin nethcti-bench -- fanout --clients {} --rate {} {}",
        a.clients,
        a.rate,
        a.shape.flags()
    );
    let n = a.clients;
    Ok(vec![
        Row::new(
            &format!("Fan-out latency, {n} clients, {} AMI events/s, {} (AMI write → socket event, p50 / p99 / max)", a.rate, a.shape.mix()),
            if n >= 10_000 { "p99 ≤ 20 ms" } else { "–" },
            format!(
                "{} / {} / {} ms ({} samples; {:.0} AMI events/s sent, {:.0} socket msgs/s delivered; {closed} clients cut: {overflow} queue overflows, {pong} pong timeouts; daemon at {cpus:.2} CPUs, bench process at {bench_cpus:.2} CPUs)",
                ms(s.p50), ms(s.p99), ms(s.max), s.count, sent as f64 / secs, msgs
            ),
            &cmd,
        ),
        Row::new(
            &format!("Daemon RSS with {n} logged-in clients (idle / under the flood)"),
            if n >= 10_000 { "≤ 150 MB" } else { "–" },
            format!("{with_clients:.1} MiB / {under_load:.1} MiB (no clients: {idle:.1} MiB)"),
            &cmd,
        ),
    ])
}
