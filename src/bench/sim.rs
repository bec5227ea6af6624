//! The simulated PBX of a bench run, in the bench process: endpoints from the generated
//! users, optional flood with its call shape.

use super::error::BenchError;
use crate::adapters::config::Config;
use crate::adapters::sim::{FloodConf, SimConfig, SimHandle, SimPbx};
use slog::{o, Drain, Logger};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// A bound, not yet started simulator (its port goes into `asterisk.json` first).
pub struct Bound {
    listener: TcpListener,
    /// Its address.
    pub addr: SocketAddr,
}

/// Binds the AMI port on 127.0.0.1.
///
/// # Errors
/// [`BenchError::Io`] when binding fails.
pub async fn bind() -> Result<Bound, BenchError> {
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .await
        .map_err(|e| BenchError::io("binding the AMI port", e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| BenchError::io("AMI port address", e))?;
    Ok(Bound { listener, addr })
}

/// Logger of the simulator: warnings (a too slow AMI reader) to stderr.
pub fn logger() -> Logger {
    let decorator = slog_term::TermDecorator::new().stderr().build();
    let drain = slog_term::CompactFormat::new(decorator).build().fuse();
    let drain = slog::LevelFilter::new(drain, slog::Level::Warning).fuse();
    let drain = slog_async::Async::new(drain).build().fuse();
    Logger::root(drain, o!("component" => "bench-sim"))
}

/// Starts the simulator for `config`'s users with `flood` (tagged callers), phones
/// answering only when the flood answers them.
pub fn start(
    bound: Bound,
    config: &Config,
    flood: Option<FloodConf>,
    cancel: CancellationToken,
) -> SimHandle {
    let mut cfg = SimConfig::from_directory(&config.users, &config.ast_objects);
    cfg.answer_delay = None;
    cfg.flood = flood;
    SimPbx::start(cfg, bound.listener, logger(), cancel)
}

/// A flood over `extensions` phones with `calls` call loops at `rate` events/s
/// (0 = unthrottled), callers tagged with the send time, `shape` of each call.
pub fn flood(extensions: usize, calls: usize, rate: u64, shape: CallShape) -> FloodConf {
    FloodConf {
        extensions,
        concurrent_calls: calls,
        events_per_sec: rate,
        tag_callers: true,
        phase_gap: shape.gap,
        noise_per_call: shape.noise,
    }
}

/// How each flood call looks on the AMI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallShape {
    /// Pause between dial, answer and hang-up.
    pub gap: Duration,
    /// Dialplan events (`VarSet`, `Newexten`) per call besides its ≈ 25 call events.
    pub noise: usize,
}

impl CallShape {
    /// The `nethcti-bench` flags giving this shape.
    pub fn flags(&self) -> String {
        format!("--gap-ms {} --noise {}", self.gap.as_millis(), self.noise)
    }

    /// How the figure names the mix.
    pub fn mix(&self) -> String {
        if self.noise == 0 {
            "call events only, ≈ 25 AMI events per call".to_owned()
        } else {
            format!("real call mix, ≈ {} AMI events per call", 25 + self.noise)
        }
    }

    /// Dialplan noise of a real Asterisk call (≈ 88 AMI events per call in all, as in
    /// `fixtures/ami/b-internal-call-201-to-202.ami`).
    pub const REAL_NOISE: usize = 60;
}
