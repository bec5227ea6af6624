//! The running daemon: starts the subsystems and waits for SIGINT/SIGTERM.
//!
//! Today it only logs start-up and waits; the integrator adds the AMI (or simulated) PBX,
//! the HTTP server and the socket.io server here, each on a child of the shutdown token.

use super::settings::{PbxMode, Settings};
use crate::adapters::config::Config;
use slog::{info, warn, Logger};
use tokio_util::sync::CancellationToken;

/// Why the daemon stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Installing the signal handlers failed.
    #[error("cannot install signal handlers: {0}")]
    Signals(#[from] std::io::Error),
}

/// Runs until SIGINT or SIGTERM.
///
/// # Errors
/// [`RunError`] when start-up fails.
pub async fn run(settings: Settings, config: Config, log: Logger) -> Result<(), RunError> {
    let shutdown = CancellationToken::new();
    let signals = watch_signals(shutdown.clone(), log.clone())?;
    let result = run_until(settings, config, log, shutdown).await;
    signals.abort();
    result
}

/// Runs until `shutdown` is cancelled (tests cancel it themselves).
///
/// # Errors
/// [`RunError`] when start-up fails.
pub async fn run_until(
    settings: Settings,
    config: Config,
    log: Logger,
    shutdown: CancellationToken,
) -> Result<(), RunError> {
    let pbx = match settings.pbx {
        PbxMode::Ami => format!("ami {}", config.asterisk.address()),
        PbxMode::Demo { traffic_per_minute } => format!("demo ({traffic_per_minute} calls/min)"),
    };
    info!(log, "starting";
        "version" => env!("CARGO_PKG_VERSION"),
        "config_dir" => %settings.config_dir.display(),
        "state_dir" => %settings.state_dir.display(),
        "http_addr" => %settings.http_addr,
        "ws_addr" => %settings.ws_addr,
        "pbx" => pbx,
        "users" => config.users.len(),
        "profiles" => config.profiles.len(),
        "queues" => config.ast_objects.queues.len(),
    );
    for problem in config.warnings() {
        warn!(log, "configuration"; "problem" => problem);
    }
    shutdown.cancelled().await;
    info!(log, "stopped");
    Ok(())
}

/// Cancels `shutdown` on the first SIGINT or SIGTERM.
fn watch_signals(
    shutdown: CancellationToken,
    log: Logger,
) -> Result<tokio::task::JoinHandle<()>, RunError> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(tokio::spawn(async move {
        let name = tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        };
        info!(log, "stopping"; "signal" => name);
        shutdown.cancel();
    }))
}
