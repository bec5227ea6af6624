//! The running daemon: wires the PBX (Asterisk over AMI, or the built-in simulator with
//! `--demo`), the live model, the REST API and the socket.io stream, then waits for
//! SIGINT/SIGTERM. Every subsystem hangs off a child of one shutdown token.

use super::live::hooks::LateSink;
use super::live::http_view::LiveHttpView;
use super::live::socket_auth::AppSocketAuth;
use super::live::{pbx_link, LinkStats, LiveModel};
use super::operations::SharedModel;
use super::settings::{PbxMode, Settings};
use super::wiring;
use crate::adapters::ami::ami_pbx::AmiPbx;
use crate::adapters::ami::client::AmiClient;
use crate::adapters::config::Config;
use crate::adapters::credentials::token_file::{TokenFile, TokenFileError};
use crate::adapters::http::auth_service::AuthService;
use crate::adapters::http::from_config;
use crate::adapters::http::state::{ClientCounters, HttpApp, HttpLimits};
use crate::adapters::push::{self, Broadcast, PushConfig, PushHub, ServeLimits};
use crate::adapters::sim::server::{SimHandle, SimPbx};
use crate::ports::clock::{Clock, SystemClock};
use crate::ports::pbx::Pbx;
use slog::{info, o, warn, Logger};
use std::net::SocketAddr;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// Why the daemon stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Installing the signal handlers failed.
    #[error("cannot install signal handlers: {0}")]
    Signals(#[from] std::io::Error),
    /// A listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The state directory cannot be created.
    #[error("cannot create state directory {path}: {source}")]
    StateDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The persistent token file is unreadable.
    #[error("{0}")]
    Tokens(#[from] TokenFileError),
    /// The credential backend cannot be built.
    #[error("{0}")]
    Credentials(#[from] crate::adapters::credentials::file::PasswordFileError),
    /// The phone HTTP API client cannot be built.
    #[error("cannot build the phone HTTP client: {0}")]
    PhoneClient(#[from] crate::adapters::phone_http::PhoneClientError),
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

/// What a started daemon exposes (tests and the benchmark drive it through this).
pub struct Running {
    /// The REST (and socket.io) address actually bound.
    pub http_addr: SocketAddr,
    /// The separate socket.io address actually bound (same as `http_addr` when shared).
    pub ws_addr: SocketAddr,
    /// The simulated PBX, in demo mode.
    pub sim: Option<SimHandle>,
    /// The push hub.
    pub hub: PushHub,
    /// The live model.
    pub model: Arc<LiveModel>,
    /// Set once the first PBX load completed.
    pub ready: Arc<AtomicBool>,
    /// The HTTP application (auth service, settings, directory).
    pub app: Arc<HttpApp>,
}

/// What tests may replace in [`start_with`]; [`Default`] is production.
#[derive(Clone)]
pub struct StartOptions {
    /// The wall clock of the auth service and the live model.
    pub clock: Arc<dyn Clock>,
}

impl Default for StartOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
        }
    }
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, RunError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| RunError::Bind { addr, source })
}

/// Starts every subsystem and returns at once; everything stops when `shutdown` fires.
///
/// # Errors
/// [`RunError`] when a listener, the state directory or the credential backend fails.
pub async fn start(
    settings: &Settings,
    config: &Config,
    log: &Logger,
    shutdown: &CancellationToken,
) -> Result<Running, RunError> {
    start_with(settings, config, log, shutdown, StartOptions::default()).await
}

/// [`start`] with `options` replacing production parts.
///
/// # Errors
/// As [`start`].
pub async fn start_with(
    settings: &Settings,
    config: &Config,
    log: &Logger,
    shutdown: &CancellationToken,
    options: StartOptions,
) -> Result<Running, RunError> {
    let clock = options.clock;
    std::fs::create_dir_all(&settings.state_dir).map_err(|source| RunError::StateDir {
        path: settings.state_dir.display().to_string(),
        source,
    })?;

    let mut ami = wiring::ami_settings(config);
    let sim = match settings.pbx {
        PbxMode::Demo { traffic_per_minute } => {
            let listener = bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
            let addr = listener.local_addr()?;
            ami.host = addr.ip().to_string();
            ami.port = addr.port();
            let sim_cfg = wiring::sim_config(config, traffic_per_minute);
            let sim_log = log.new(o!("component" => "sim"));
            Some(SimPbx::start(
                sim_cfg,
                listener,
                sim_log,
                shutdown.child_token(),
            ))
        }
        PbxMode::Ami => None,
    };
    let ami_log = log.new(o!("component" => "ami", "addr" => format!("{}:{}", ami.host, ami.port)));
    let (client, notices, _ami_task) = AmiClient::spawn(ami, ami_log, shutdown.child_token());
    let pbx: Arc<dyn Pbx> = Arc::new(AmiPbx::new(client.clone()));

    let auth = AuthService::new(
        from_config::auth_settings(config),
        from_config::credentials(config)?,
        Some(TokenFile::in_dir(&settings.state_dir)),
        clock.clone(),
        log.new(o!("component" => "auth")),
    )?;

    let shared = SharedModel::from_config(config);
    let sink = Arc::new(LateSink::default());
    let model = Arc::new(LiveModel::new(shared, clock.clone(), sink.clone()));
    let ready = Arc::new(AtomicBool::new(false));

    let app = Arc::new(HttpApp {
        auth,
        directory: RwLock::new(Arc::new(from_config::directory(config))),
        config: RwLock::new(Arc::new(from_config::api_config(config, None))),
        view: Arc::new(LiveHttpView::new(model.clone(), clock.clone())),
        pbx: pbx.clone(),
        clock: clock.clone(),
        ready: ready.clone(),
        settings: Default::default(),
        counters: Arc::new(ClientCounters::default()),
        started_ms: clock.now_ms(),
        limits: HttpLimits::default(),
        push: Default::default(),
        log: log.new(o!("component" => "http")),
    });
    let link_stats = Arc::new(LinkStats::default());
    let metrics = Arc::new(super::metrics::Metrics {
        link: link_stats.clone(),
        model: model.clone(),
        hub: std::sync::OnceLock::new(),
    });
    let routes = super::routes::daemon_routes(
        app.clone(),
        config,
        super::routes::OpsParts {
            pbx: pbx.clone(),
            model: model.clone(),
            sink: sink.clone(),
            clock: clock.clone(),
        },
        metrics.clone(),
        log.new(o!("component" => "operations")),
    )?;
    let push_config = PushConfig {
        // Spec §9: every expiration_timeout / 2, so a connected socket's token never lapses.
        token_keepalive: Some(keepalive_period(&app)),
        ..PushConfig::default()
    };
    let limits = ServeLimits::new(&push_config);
    let (svc, hub) = push::build(
        warp::service(routes),
        Arc::new(AppSocketAuth::new(app.clone())),
        push_config,
        log.new(o!("component" => "push")),
    );
    sink.set(hub.clone());
    let _ = metrics.hub.set(hub.clone());
    connect_http_to_push(&app, &hub);

    let http = bind(settings.http_addr).await?;
    let http_addr = http.local_addr()?;
    let http_log = log.new(o!("listener" => "http"));
    tokio::spawn(push::serve(
        http,
        svc.clone(),
        shutdown.child_token(),
        limits.clone(),
        http_log,
    ));
    let ws_addr = if settings.ws_addr == settings.http_addr {
        http_addr
    } else {
        let ws = bind(settings.ws_addr).await?;
        let addr = ws.local_addr()?;
        let ws_log = log.new(o!("listener" => "ws"));
        tokio::spawn(push::serve(ws, svc, shutdown.child_token(), limits, ws_log));
        addr
    };

    tokio::spawn(pbx_link::run(
        client,
        notices,
        model.clone(),
        ready.clone(),
        link_stats,
        log.new(o!("component" => "pbx-link")),
        shutdown.child_token(),
    ));
    tokio::spawn(sweep_tokens(app.clone(), shutdown.child_token()));
    info!(log, "listening"; "http" => %http_addr, "ws" => %ws_addr);
    Ok(Running {
        http_addr,
        ws_addr,
        sim,
        hub,
        model,
        ready,
        app,
    })
}

/// Half the temporary token lifetime (at least one second).
fn keepalive_period(app: &HttpApp) -> Duration {
    let ms = app.auth.settings().lifetime.as_ms() / 2;
    Duration::from_millis(u64::try_from(ms).unwrap_or(0).max(1000))
}

/// Lets the HTTP side reach the sockets: a logout or an expired token closes the sockets
/// logged in with it, and handlers' pushes (`updateDefaultDevice`) go to the user's sockets.
fn connect_http_to_push(app: &Arc<HttpApp>, hub: &PushHub) {
    // Weak: the auth service lives inside `app`, so a strong reference would be a cycle.
    let weak = Arc::downgrade(app);
    let h = hub.clone();
    app.auth.on_revoke(Arc::new(move || {
        if let Some(app) = weak.upgrade() {
            h.close_revoked(|key, token| app.auth.is_live(key, token));
        }
    }));
    let h = hub.clone();
    app.push.set(Arc::new(move |username, event, payload| {
        let _ = h.publish(&Broadcast::to_user(event.to_owned(), username, payload));
    }));
}

/// Drops expired temporary tokens every minute (their sockets are then closed).
async fn sweep_tokens(app: Arc<HttpApp>, shutdown: CancellationToken) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            _ = tick.tick() => { app.auth.sweep(); }
        }
    }
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
    match super::fd_limit::raise_nofile() {
        Ok(limit) => info!(log, "open-files limit";
            "soft" => limit.soft.map_or("unlimited".to_owned(), |n| n.to_string()),
            "hard" => limit.hard.map_or("unlimited".to_owned(), |n| n.to_string())),
        Err(e) => warn!(log, "open-files limit not raised"; "error" => %e),
    }
    let running = start(&settings, &config, &log, &shutdown).await?;
    if let PbxMode::Demo { .. } = settings.pbx {
        print_demo_banner(&running, &config);
    }
    shutdown.cancelled().await;
    // Give the servers their grace period to close connections.
    tokio::time::sleep(Duration::from_millis(200)).await;
    info!(log, "stopped");
    Ok(())
}

fn print_demo_banner(running: &Running, config: &Config) {
    let mut logins: Vec<String> = config
        .users
        .iter()
        .filter(|u| u.username == "alice" || u.username == "bob")
        .map(|u| {
            format!(
                "  {} / {}  (extension {})",
                u.username,
                u.username,
                u.main_extension().unwrap_or("-")
            )
        })
        .collect();
    logins.push("  (every demo user's password is its username; see README)".to_owned());
    println!(
        "nethcti-server demo running\n  REST:      http://{}/\n  socket.io: ws://{}/socket.io/\n  AMI (simulated PBX): {}\nDemo logins:\n{}",
        running.http_addr,
        running.ws_addr,
        running
            .sim
            .as_ref()
            .and_then(SimHandle::local_addr)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        logins.join("\n")
    );
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
