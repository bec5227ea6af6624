//! The bench scenarios and the rig they share: a generated configuration in a temporary
//! directory, the simulator, the daemon child, REST tokens and socket.io clients.

pub mod fanout;
pub mod idle;
pub mod ingest;
pub mod memory;
pub mod rest;
pub mod startup;

use super::confgen::{self, PASSWORD};
use super::daemon::Daemon;
use super::error::BenchError;
use super::recorder::Recorder;
use super::rest::{client, login, login_when_ready, Login};
use super::sim;
use super::sio::SioClient;
use crate::adapters::config::Config;
use crate::adapters::sim::{FloodConf, SimHandle};
use futures::StreamExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Longest wait for the daemon's first full load.
pub const READY_LIMIT: Duration = Duration::from_secs(120);

/// One measured figure, as a `BENCHMARKS.md` table row.
#[derive(Debug, Clone)]
pub struct Row {
    /// What is measured.
    pub figure: String,
    /// The target.
    pub target: String,
    /// The measured value.
    pub measured: String,
    /// The command that measures it.
    pub command: String,
}

impl Row {
    /// A row.
    pub fn new(figure: &str, target: &str, measured: String, command: &str) -> Self {
        Self {
            figure: figure.to_owned(),
            target: target.to_owned(),
            measured,
            command: command.to_owned(),
        }
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates `$TMPDIR/nethcti-bench-<pid>-<tag>`.
    ///
    /// # Errors
    /// [`BenchError::Io`] when it cannot be created.
    pub fn new(tag: &str) -> Result<Self, BenchError> {
        let p = std::env::temp_dir().join(format!("nethcti-bench-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).map_err(|e| BenchError::io("creating temp dir", e))?;
        Ok(Self(p))
    }

    /// Its path.
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

/// Set (to anything) to keep the temporary directories (daemon log, generated config).
pub const KEEP_ENV: &str = "NETHCTI_BENCH_KEEP";

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::env::var_os(KEEP_ENV).is_some() {
            eprintln!("  kept {}", self.0.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Simulator + daemon on a generated configuration of `users` users.
pub struct Rig {
    /// The simulated PBX.
    pub sim: SimHandle,
    /// The daemon child (dropped before the directory).
    pub daemon: Daemon,
    /// The loaded configuration.
    pub config: Config,
    /// Stops the simulator and the clients.
    pub cancel: CancellationToken,
    /// Time from spawning the daemon to its first accepted login.
    pub spawn_to_ready: Duration,
    /// Token of `u00000` (Admin).
    pub admin_token: String,
    /// Keep-alive REST client.
    pub http: reqwest::Client,
    _dir: TempDir,
}

impl Rig {
    /// Generates the configuration, starts the simulator (`prepare` runs on it before the
    /// daemon connects, e.g. to set up live calls), spawns the daemon and waits until it is
    /// ready.
    ///
    /// # Errors
    /// [`BenchError`] from any step.
    pub async fn start(
        tag: &str,
        users: usize,
        prepare: impl FnOnce(&SimHandle),
    ) -> Result<Self, BenchError> {
        let dir = TempDir::new(tag)?;
        let bound = sim::bind().await?;
        let conf_dir = confgen::generate(&dir.path().join("config"), users, bound.addr)?;
        let config = crate::adapters::config::load(&conf_dir)
            .map_err(|e| BenchError::Config(e.to_string()))?;
        let cancel = CancellationToken::new();
        let sim = sim::start(bound, &config, None, cancel.child_token());
        prepare(&sim);
        let daemon = Daemon::spawn(&conf_dir)?;
        let http = client()?;
        let started = std::time::Instant::now();
        let (admin_token, _) = login_when_ready(
            &http,
            daemon.http,
            &confgen::username(0),
            PASSWORD,
            READY_LIMIT,
        )
        .await?;
        Ok(Self {
            sim,
            daemon,
            config,
            cancel,
            spawn_to_ready: started.elapsed(),
            admin_token,
            http,
            _dir: dir,
        })
    }

    /// `Authorization` value of the Admin user.
    pub fn admin_auth(&self) -> String {
        format!("{}:{}", confgen::username(0), self.admin_token)
    }

    /// The daemon's `nethcti_ami_events_received_total` (`GET /metrics`).
    ///
    /// # Errors
    /// [`BenchError::Http`] when the request fails or the counter is missing.
    pub async fn ami_events_received(&self) -> Result<u64, BenchError> {
        let url = format!("http://{}/metrics", self.daemon.http);
        let text = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| BenchError::Http(format!("GET /metrics: {e}")))?
            .text()
            .await
            .map_err(|e| BenchError::Http(format!("GET /metrics body: {e}")))?;
        text.lines()
            .find_map(|l| l.strip_prefix("nethcti_ami_events_received_total "))
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| BenchError::Http("no nethcti_ami_events_received_total".into()))
    }

    /// Starts the flood (it runs until the rig stops).
    pub fn start_flood(&self, fl: FloodConf) {
        tokio::spawn(crate::adapters::sim::flood::run(self.sim.clone(), fl));
    }

    /// RSS of the daemon in MiB.
    ///
    /// # Errors
    /// [`BenchError::Daemon`] when it is gone.
    pub fn rss_mib(&mut self) -> Result<f64, BenchError> {
        Ok(self.daemon.rss_kib()? as f64 / 1024.0)
    }

    /// Logs users `first..first + n` in over REST (one login each); returns `(user, token)`.
    ///
    /// # Errors
    /// [`BenchError::Http`] when a login fails.
    pub async fn tokens(
        &self,
        first: usize,
        n: usize,
    ) -> Result<Vec<(String, String)>, BenchError> {
        let http = self.daemon.http;
        let results: Vec<Result<(String, String), BenchError>> =
            futures::stream::iter(first..first + n)
                .map(|i| {
                    let c = self.http.clone();
                    async move {
                        let user = confgen::username(i);
                        match login(&c, http, &user, PASSWORD).await? {
                            Login::Token(t) => Ok((user, t)),
                            Login::NotReady => Err(BenchError::Http("not ready".into())),
                        }
                    }
                })
                .buffer_unordered(16)
                .collect()
                .await;
        results.into_iter().collect()
    }

    /// Opens and logs in one socket.io client per `(user, token)` (128 handshakes at a
    /// time); each runs as soon as it is logged in, until `stop` fires, recording into
    /// `rec`. Clients whose handshake fails are counted in [`Clients::failed`].
    pub async fn clients(
        &self,
        creds: Vec<(String, String)>,
        rec: &Arc<Recorder>,
        stop: &CancellationToken,
    ) -> Clients {
        let ws = self.daemon.ws;
        let done = Arc::new(AtomicUsize::new(0));
        let results: Vec<Result<tokio::task::JoinHandle<()>, BenchError>> =
            futures::stream::iter(creds)
                .map(|(user, token)| {
                    let (done, rec, stop) = (done.clone(), rec.clone(), stop.clone());
                    async move {
                        let c = SioClient::login(ws, &user, &token).await;
                        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if n % 2000 == 0 {
                            eprintln!("  {n} clients logged in");
                        }
                        c.map(|c| tokio::spawn(c.run(rec, stop)))
                    }
                })
                .buffer_unordered(128)
                .collect()
                .await;
        let mut clients = Clients {
            tasks: Vec::new(),
            failed: 0,
            first_error: None,
        };
        for r in results {
            match r {
                Ok(t) => clients.tasks.push(t),
                Err(e) => {
                    clients.failed += 1;
                    clients.first_error.get_or_insert_with(|| e.to_string());
                }
            }
        }
        if let Some(e) = &clients.first_error {
            eprintln!(
                "  {} clients failed to log in; first error: {e}",
                clients.failed
            );
        }
        clients
    }
}

/// Running client tasks.
pub struct Clients {
    tasks: Vec<tokio::task::JoinHandle<()>>,
    /// Clients whose handshake or login failed.
    pub failed: usize,
    /// The first such failure.
    pub first_error: Option<String>,
}

impl Clients {
    /// Number of clients.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// True without clients.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Waits (at most 30 s) for the tasks to end after their stop token fired, so their
    /// samples are in the recorder.
    pub async fn finish(self) {
        let all = futures::future::join_all(self.tasks);
        let _ = tokio::time::timeout(Duration::from_secs(30), all).await;
    }
}

/// Waits `d`, printing a dot every 5 s (long runs show progress).
pub async fn wait(d: Duration) {
    let start = std::time::Instant::now();
    while start.elapsed() < d {
        let left = d.saturating_sub(start.elapsed());
        tokio::time::sleep(left.min(Duration::from_secs(5))).await;
    }
}

impl Drop for Rig {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
