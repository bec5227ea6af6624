//! AMI ingest: the flood unthrottled (or at `rate`) with one socket.io client logged in.
//! Throughput is what the daemon's PBX link took off the AMI socket (applied, rendered,
//! published) per second, from its `/metrics` counter; it keeps up while the backlog
//! (events the simulator sent minus events the daemon took) stays flat. The client's
//! caller-tag lag is reported too, while the daemon does not cut it.

use super::{wait, Rig, Row};
use crate::adapters::sim::flood::unix_ns;
use crate::bench::error::BenchError;
use crate::bench::recorder::Recorder;
use crate::bench::sim::{self, CallShape};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Parameters of an ingest run.
#[derive(Debug, Clone, Copy)]
pub struct IngestArgs {
    /// Flood rate (0 = as fast as the simulator goes).
    pub rate: u64,
    /// Concurrent call loops.
    pub calls: usize,
    /// Measured seconds (after 3 s of warm-up).
    pub secs: u64,
    /// How each call looks on the AMI.
    pub shape: CallShape,
}

/// Maps wall-clock tags to the bench's monotonic clock.
struct Anchor {
    at: Instant,
    ns: u64,
}

impl Anchor {
    fn now() -> Self {
        Self {
            at: Instant::now(),
            ns: unix_ns() as u64,
        }
    }

    fn instant(&self, tag_ns: u64) -> Instant {
        if tag_ns >= self.ns {
            self.at + Duration::from_nanos(tag_ns - self.ns)
        } else {
            self.at
                .checked_sub(Duration::from_nanos(self.ns - tag_ns))
                .unwrap_or(self.at)
        }
    }
}

/// The age now of the newest caller tag the client got.
fn client_lag(rec: &Recorder, anchor: &Anchor) -> Duration {
    anchor.instant(rec.newest_tag_ns()).elapsed()
}

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig or the client.
pub async fn run(a: IngestArgs) -> Result<Vec<Row>, BenchError> {
    let users = 1000.max(2 * a.calls);
    eprintln!(
        "ingest: {users} extensions, {} call loops, rate {}",
        a.calls, a.rate
    );
    let rig = Rig::start("ingest", users, |_| {}).await?;
    let creds = rig.tokens(1, 1).await?;
    let rec = Arc::new(Recorder::default());
    let stop = CancellationToken::new();
    let clients = rig.clients(creds, &rec, &stop).await;
    let anchor = Anchor::now();
    rig.start_flood(sim::flood(users, a.calls, a.rate, a.shape));
    wait(Duration::from_secs(3)).await;
    let cpu0 = rig.daemon.cpu_secs().unwrap_or(0.0);
    let t0 = Instant::now();
    let sent0 = rig.sim.events_sent();
    let taken0 = rig.ami_events_received().await?;
    let backlog0 = sent0.saturating_sub(taken0);
    let lag0 = client_lag(&rec, &anchor);
    let mut backlogs = Vec::new();
    for _ in 0..a.secs {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let sent = rig.sim.events_sent();
        let taken = rig.ami_events_received().await?;
        backlogs.push(sent.saturating_sub(taken));
    }
    let secs = t0.elapsed().as_secs_f64();
    let sent = rig.sim.events_sent() - sent0;
    let taken = rig.ami_events_received().await?.saturating_sub(taken0);
    let backlog1 = backlogs.last().copied().unwrap_or(backlog0);
    let lag1 = client_lag(&rec, &anchor);
    let cpu = rig.daemon.cpu_secs().unwrap_or(0.0) - cpu0;
    let client_cut = rec.closed() > 0;
    stop.cancel();
    clients.finish().await;
    let sent_rate = sent as f64 / secs;
    let rate = taken as f64 / secs;
    let per_cpu = taken as f64 / cpu.max(0.001);
    let cpus = cpu / secs;
    // Keeping up: what is in flight (socket buffers, the link's channel) stays under a
    // quarter second of traffic and does not grow.
    let bound = (sent_rate / 4.0) as u64;
    let keeps_up = backlog1 <= bound.max(backlog0 + bound / 2);
    let backlog_text: Vec<String> = backlogs.iter().map(u64::to_string).collect();
    let client = if client_cut {
        "the socket client was cut (queue overflow)".to_owned()
    } else {
        format!(
            "socket client lag {} → {} ms",
            lag0.as_millis(),
            lag1.as_millis()
        )
    };
    eprintln!("  simulator sent {sent_rate:.0} events/s; daemon took {rate:.0} events/s at {cpus:.2} CPUs = {per_cpu:.0} events per daemon CPU-second; backlog (sent − taken) {backlog0} → {backlog1}, per second: [{}]; {client}",
        backlog_text.join(", "));
    let verdict = if keeps_up {
        "keeps up (backlog flat)"
    } else {
        "falls behind (backlog grows)"
    };
    Ok(vec![Row::new(
        &format!("AMI ingest end to end (simulator socket → daemon state applied and published, one socket client), sustained ({})", a.shape.mix()),
        "≥ 200 k events/s",
        format!(
            "{:.1} k events/s taken ({:.1} k per daemon CPU-second, daemon at {cpus:.2} CPUs), simulator offered {:.1} k/s, {verdict}: backlog {backlog0} → {backlog1} events over {:.0} s; {client}",
            rate / 1000.0,
            per_cpu / 1000.0,
            sent_rate / 1000.0,
            secs
        ),
        &format!(
            "cargo run --release --bin nethcti-bench -- ingest --rate {} --calls {} {}",
            a.rate,
            a.calls,
            a.shape.flags()
        ),
    )])
}
