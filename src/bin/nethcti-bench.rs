//! `nethcti-bench`: the load benchmark of issue 8 (see `BENCHMARKS.md`). Run it from a
//! release build: `cargo run --release --bin nethcti-bench -- all`.

use clap::{Parser, Subcommand};
use nethcti_server::bench::daemon::DAEMON_ARG;
use nethcti_server::bench::scenario::{
    fanout::{self, FanoutArgs},
    idle::{self, IdleArgs},
    ingest::{self, IngestArgs},
    memory::{self, MemoryArgs},
    rest::{self, RestArgs},
    startup::{self, StartupArgs},
    Row,
};
use nethcti_server::bench::sim::CallShape;
use nethcti_server::bench::{limits, BenchError};
use std::time::Duration;

/// Load benchmark: the daemon (child process) against the simulated PBX in flood mode,
/// with socket.io clients logged in as generated users.
#[derive(Debug, Parser)]
#[command(name = "nethcti-bench")]
struct Args {
    #[command(subcommand)]
    scenario: Scenario,
}

#[derive(Debug, Subcommand)]
enum Scenario {
    /// AMI ingest end to end, sustained events/s.
    Ingest {
        /// Flood rate in AMI events/s (0 = unthrottled).
        #[arg(long, default_value_t = 0)]
        rate: u64,
        /// Concurrent call loops.
        #[arg(long, default_value_t = 1000)]
        calls: usize,
        /// Measured seconds.
        #[arg(long, default_value_t = 15)]
        secs: u64,
        /// Pause between a call's dial, answer and hang-up, ms (0 = one burst per call).
        #[arg(long, default_value_t = 10)]
        gap_ms: u64,
        /// Dialplan events (VarSet, Newexten) per call; 60 = a real Asterisk call's mix
        /// (≈ 88 AMI events per call), 0 = call events only (≈ 25 per call).
        #[arg(long, default_value_t = CallShape::REAL_NOISE)]
        noise: usize,
    },
    /// Fan-out latency AMI → every socket.io client.
    Fanout {
        /// Connected clients.
        #[arg(long, default_value_t = 1000)]
        clients: usize,
        /// Flood rate in AMI events/s.
        #[arg(long, default_value_t = 1000)]
        rate: u64,
        /// Concurrent call loops.
        #[arg(long, default_value_t = 10)]
        calls: usize,
        /// Measured seconds.
        #[arg(long, default_value_t = 20)]
        secs: u64,
        /// Pause between a call's dial, answer and hang-up, ms (0 = one burst per call).
        #[arg(long, default_value_t = 20)]
        gap_ms: u64,
        /// Dialplan events (VarSet, Newexten) per call; 60 = a real Asterisk call's mix
        /// (≈ 88 AMI events per call), 0 = call events only (≈ 25 per call).
        #[arg(long, default_value_t = CallShape::REAL_NOISE)]
        noise: usize,
    },
    /// RSS with no socket, then with idle logged-in sockets (no PBX traffic).
    Idle {
        /// Connected clients (and generated users).
        #[arg(long, default_value_t = 10_000)]
        clients: usize,
        /// Seconds the idle sockets are sampled (every 5 s).
        #[arg(long, default_value_t = 30)]
        secs: u64,
    },
    /// REST `GET /astproxy/extensions`, own loop and wrk.
    Rest {
        /// Configured extensions.
        #[arg(long, default_value_t = 1000)]
        extensions: usize,
        /// Keep-alive connections.
        #[arg(long, default_value_t = 64)]
        connections: usize,
        /// Seconds per tool.
        #[arg(long, default_value_t = 10)]
        secs: u64,
    },
    /// Start-up time to a full state.
    Startup {
        /// Extensions.
        #[arg(long, default_value_t = 5000)]
        extensions: usize,
        /// Live channels.
        #[arg(long, default_value_t = 500)]
        channels: usize,
    },
    /// RSS idle and over an hour-equivalent of flood.
    Memory {
        /// Extensions.
        #[arg(long, default_value_t = 1000)]
        extensions: usize,
        /// AMI events in total (3.6 M = one hour at 1,000 events/s).
        #[arg(long, default_value_t = 3_600_000)]
        events: u64,
        /// Flood rate in AMI events/s.
        #[arg(long, default_value_t = 10_000)]
        rate: u64,
        /// Concurrent call loops.
        #[arg(long, default_value_t = 100)]
        calls: usize,
        /// Pause between a call's dial, answer and hang-up, ms (0 = one burst per call).
        #[arg(long, default_value_t = 10)]
        gap_ms: u64,
        /// Dialplan events (VarSet, Newexten) per call; 60 = a real Asterisk call's mix
        /// (≈ 88 AMI events per call), 0 = call events only (≈ 25 per call).
        #[arg(long, default_value_t = CallShape::REAL_NOISE)]
        noise: usize,
    },
    /// Every scenario with its defaults (fan-out at 1,000 and 10,000 clients).
    All,
}

async fn run(s: Scenario) -> Result<Vec<Row>, BenchError> {
    Ok(match s {
        Scenario::Ingest {
            rate,
            calls,
            secs,
            gap_ms,
            noise,
        } => {
            ingest::run(IngestArgs {
                rate,
                calls,
                secs,
                shape: shape(gap_ms, noise),
            })
            .await?
        }
        Scenario::Fanout {
            clients,
            rate,
            calls,
            secs,
            gap_ms,
            noise,
        } => {
            fanout::run(FanoutArgs {
                clients,
                rate,
                calls,
                secs,
                shape: shape(gap_ms, noise),
            })
            .await?
        }
        Scenario::Idle { clients, secs } => idle::run(IdleArgs { clients, secs }).await?,
        Scenario::Rest {
            extensions,
            connections,
            secs,
        } => {
            rest::run(RestArgs {
                extensions,
                connections,
                secs,
            })
            .await?
        }
        Scenario::Startup {
            extensions,
            channels,
        } => {
            startup::run(StartupArgs {
                extensions,
                channels,
            })
            .await?
        }
        Scenario::Memory {
            extensions,
            events,
            rate,
            calls,
            gap_ms,
            noise,
        } => {
            memory::run(MemoryArgs {
                extensions,
                events,
                rate,
                calls,
                shape: shape(gap_ms, noise),
            })
            .await?
        }
        Scenario::All => {
            let mut rows = startup::run(StartupArgs {
                extensions: 5000,
                channels: 500,
            })
            .await?;
            rows.extend(
                rest::run(RestArgs {
                    extensions: 1000,
                    connections: 64,
                    secs: 10,
                })
                .await?,
            );
            // Both AMI mixes: a real Asterisk call (≈ 85 events) and call events only.
            for noise in [CallShape::REAL_NOISE, 0] {
                rows.extend(
                    ingest::run(IngestArgs {
                        rate: 0,
                        calls: 1000,
                        secs: 15,
                        shape: shape(10, noise),
                    })
                    .await?,
                );
            }
            for (clients, noise) in [
                (1000, CallShape::REAL_NOISE),
                (10_000, CallShape::REAL_NOISE),
                (1000, 0),
                (10_000, 0),
            ] {
                rows.extend(
                    fanout::run(FanoutArgs {
                        clients,
                        rate: 1000,
                        calls: 10,
                        secs: 20,
                        shape: shape(20, noise),
                    })
                    .await?,
                );
            }
            rows.extend(
                memory::run(MemoryArgs {
                    extensions: 1000,
                    events: 3_600_000,
                    rate: 10_000,
                    calls: 100,
                    shape: shape(10, CallShape::REAL_NOISE),
                })
                .await?,
            );
            rows
        }
    })
}

fn shape(gap_ms: u64, noise: usize) -> CallShape {
    CallShape {
        gap: Duration::from_millis(gap_ms),
        noise,
    }
}

/// The same allocator as `nethcti-server` (src/main.rs): the daemon child runs this binary.
/// Not with the `system-alloc` feature (heap profiling: heaptrack sees malloc only).
#[cfg(not(feature = "system-alloc"))]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == DAEMON_ARG) {
        // The daemon child: the same code as `nethcti-server`, from this build.
        let args = std::iter::once("nethcti-server".into()).chain(argv.into_iter().skip(2));
        std::process::exit(nethcti_server::app::main_with_args(args));
    }
    let args = Args::parse();
    let nofile = limits::raise_nofile(65_536);
    eprintln!(
        "open-file limit: {}",
        nofile.map_or("unlimited".into(), |n| n.to_string())
    );
    let rt = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("nethcti-bench: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    match rt.block_on(run(args.scenario)) {
        Ok(rows) => {
            println!("| figure | target | measured | command |");
            println!("|---|---|---|---|");
            for r in rows {
                println!(
                    "| {} | {} | {} | `{}` |",
                    r.figure, r.target, r.measured, r.command
                );
            }
        }
        Err(e) => {
            eprintln!("nethcti-bench: {e}");
            std::process::exit(1);
        }
    }
}
