//! Memory: daemon RSS idle, then during an hour-equivalent of flood traffic (the events
//! one hour at 1,000 events/s would bring, compressed to `rate`), sampled every 5 s, with
//! one socket.io client logged in. Flat samples = no leak. (RSS with 10,000 clients is
//! measured by `fanout --clients 10000`.)

use super::{Rig, Row};
use crate::bench::error::BenchError;
use crate::bench::recorder::Recorder;
use crate::bench::sim::{self, CallShape};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Parameters of a memory run.
#[derive(Debug, Clone, Copy)]
pub struct MemoryArgs {
    /// Extensions (generated users).
    pub extensions: usize,
    /// AMI events to send in total.
    pub events: u64,
    /// Flood rate (events/s).
    pub rate: u64,
    /// Concurrent call loops.
    pub calls: usize,
    /// How each call looks on the AMI.
    pub shape: CallShape,
}

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig.
pub async fn run(a: MemoryArgs) -> Result<Vec<Row>, BenchError> {
    eprintln!(
        "memory: {} extensions, {} events at {} events/s",
        a.extensions, a.events, a.rate
    );
    let mut rig = Rig::start("memory", a.extensions, |_| {}).await?;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = rig.rss_mib()?;
    let creds = rig.tokens(1, 1).await?;
    let rec = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let clients = rig.clients(creds, &rec, &stop).await;
    let base = rig.sim.events_sent();
    rig.start_flood(sim::flood(a.extensions, a.calls, a.rate, a.shape));
    let t = Instant::now();
    let limit = Duration::from_secs(a.events / a.rate.max(1) * 3 + 60);
    let mut samples = Vec::new();
    while rig.sim.events_sent() - base < a.events && t.elapsed() < limit {
        tokio::time::sleep(Duration::from_secs(5)).await;
        let rss = rig.rss_mib()?;
        let sent = rig.sim.events_sent() - base;
        eprintln!(
            "  {:>4} s: {sent} events, RSS {rss:.1} MiB",
            t.elapsed().as_secs()
        );
        samples.push((sent, rss));
    }
    let sent = rig.sim.events_sent() - base;
    stop.cancel();
    clients.finish().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = rig.rss_mib()?;
    let first = samples.first().map_or(idle, |s| s.1);
    let min = samples.iter().map(|s| s.1).fold(f64::INFINITY, f64::min);
    let max = samples.iter().map(|s| s.1).fold(0.0, f64::max);
    let quarter: Vec<String> = samples
        .iter()
        .step_by((samples.len() / 4).max(1))
        .map(|(n, r)| format!("{:.1} M ev: {r:.1}", *n as f64 / 1e6))
        .collect();
    let cmd = format!(
        "cargo run --release --bin nethcti-bench -- memory --events {} --rate {} {}",
        a.events,
        a.rate,
        a.shape.flags()
    );
    Ok(vec![
        Row::new(
            &format!("Daemon RSS idle ({} extensions, no client)", a.extensions),
            "–",
            format!("{idle:.1} MiB"),
            &cmd,
        ),
        Row::new(
            &format!("Daemon RSS over one hour-equivalent of flood ({:.1} M AMI events at {} k/s, {}, 1 client)", sent as f64 / 1e6, a.rate / 1000, a.shape.mix()),
            "flat (no leak)",
            format!("{} samples 5 s apart: first {first:.1} MiB, min {min:.1}, max {max:.1}; after the run {after:.1} MiB; (events: MiB) [{}]", samples.len(), quarter.join("; ")),
            &cmd,
        ),
    ])
}
