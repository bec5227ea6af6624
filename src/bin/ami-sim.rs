//! `ami-sim`: a simulated Asterisk 22 speaking AMI over TCP, for demos, tests and
//! benchmarks.

use anyhow::Context;
use clap::Parser;
use nethcti_server::adapters::config::{directory, doc::Doc};
use nethcti_server::adapters::sim::{FloodConf, SimConfig, SimPbx};
use slog::{info, o, Drain};
use std::path::PathBuf;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Simulated Asterisk PBX speaking AMI (protocol 11.0.0, as Asterisk 22).
#[derive(Debug, Parser)]
#[command(name = "ami-sim", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:5038")]
    listen: String,
    /// Directory with `users.json` and `ast_objects.json`; without it the lab PBX of the
    /// recorded transcripts is simulated (201-204, trunk, queue 401).
    #[arg(long)]
    config_dir: Option<PathBuf>,
    /// Generated calls per minute (0 = no traffic).
    #[arg(long, default_value_t = 0)]
    traffic: u32,
    /// Phones answer after this many milliseconds (0 = they never answer by themselves).
    #[arg(long, default_value_t = 2000)]
    answer_delay_ms: u64,
    /// Flood mode: number of extra extensions (10000..).
    #[arg(long, default_value_t = 0)]
    flood_extensions: usize,
    /// Flood mode: concurrent call loops.
    #[arg(long, default_value_t = 10)]
    flood_calls: usize,
    /// Flood mode: target AMI events per second (0 = unthrottled).
    #[arg(long, default_value_t = 0)]
    flood_events_per_sec: u64,
    /// AMI username accepted.
    #[arg(long, default_value = "cti")]
    username: String,
    /// AMI secret accepted.
    #[arg(long, env = "AMI_SIM_SECRET", default_value = "ctisecret")]
    secret: String,
    /// Seed of the randomness (same seed, same traffic).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn config(args: &Args) -> anyhow::Result<SimConfig> {
    let mut cfg = match &args.config_dir {
        Some(dir) => {
            let users = directory::users(&Doc::load(dir, "users.json")?)?;
            let objects = directory::ast_objects(&Doc::load(dir, "ast_objects.json")?)?;
            SimConfig::from_directory(&users, &objects)
        }
        None => SimConfig::lab(),
    };
    cfg.answer_delay =
        (args.answer_delay_ms > 0).then(|| Duration::from_millis(args.answer_delay_ms));
    cfg.traffic_per_min = args.traffic;
    cfg.username = args.username.clone();
    cfg.secret = args.secret.clone();
    cfg.seed = args.seed;
    cfg.epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(cfg.epoch);
    if args.flood_extensions > 0 {
        cfg.flood = Some(FloodConf {
            extensions: args.flood_extensions,
            concurrent_calls: args.flood_calls,
            events_per_sec: args.flood_events_per_sec,
            tag_callers: false,
            phase_gap: std::time::Duration::ZERO,
            noise_per_call: 0,
        });
    }
    Ok(cfg)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let decorator = slog_term::TermDecorator::new().stderr().build();
    let drain = slog_term::FullFormat::new(decorator).build().fuse();
    let drain = slog::LevelFilter::new(drain, slog::Level::Info).fuse();
    let drain = slog_async::Async::new(drain).build().fuse();
    let log = slog::Logger::root(drain, o!("app" => "ami-sim"));
    let cfg = config(&args)?;
    let listener = TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("binding {}", args.listen))?;
    let cancel = CancellationToken::new();
    let handle = SimPbx::start(cfg, listener, log.clone(), cancel.clone());
    info!(log, "ami-sim ready"; "addr" => ?handle.local_addr(), "traffic_per_min" => args.traffic);
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    cancel.cancel();
    info!(log, "ami-sim stopped"; "events_sent" => handle.events_sent());
    Ok(())
}
