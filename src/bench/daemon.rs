//! The daemon under test as a child process: the bench binary re-executed as
//! `nethcti-bench daemon <nethcti-server flags>`, on free loopback ports, logging to a
//! file at `info`; killed when dropped. Its RSS is read from `/proc/<pid>/status`.
//! [`wrap::WRAP_ENV`](super::wrap::WRAP_ENV) runs it under a profiler instead.

use super::error::BenchError;
use super::wrap::{self, launcher, WRAP_ENV};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// First argument that makes the bench binary run the daemon.
pub const DAEMON_ARG: &str = "daemon";

/// A running daemon child.
pub struct Daemon {
    child: Child,
    /// The bench binary, which the daemon runs.
    exe: PathBuf,
    /// Started under [`WRAP_ENV`], in its own process group (led by the wrapper).
    wrapped: bool,
    /// REST address.
    pub http: SocketAddr,
    /// socket.io address.
    pub ws: SocketAddr,
    /// Its log file.
    pub log_file: PathBuf,
}

fn free_port() -> Result<SocketAddr, BenchError> {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| BenchError::io("finding a free port", e))?;
    l.local_addr().map_err(|e| BenchError::io("free port", e))
}

impl Daemon {
    /// Spawns the daemon on the configuration in `config_dir` (state and log in it too).
    ///
    /// # Errors
    /// [`BenchError`] when no port is free or the process cannot start.
    pub fn spawn(config_dir: &Path) -> Result<Self, BenchError> {
        let http = free_port()?;
        let ws = free_port()?;
        let log_file = config_dir.join("nethcti.log");
        let exe = std::env::current_exe().map_err(|e| BenchError::io("locating myself", e))?;
        let wrap = std::env::var(WRAP_ENV).ok();
        let (program, lead) = launcher(exe.clone(), wrap.as_deref());
        let wrapped = !lead.is_empty();
        let mut command = Command::new(program);
        if wrapped {
            std::os::unix::process::CommandExt::process_group(&mut command, 0);
        }
        let child = command
            .args(lead)
            .arg(DAEMON_ARG)
            .arg("--config-dir")
            .arg(config_dir)
            .arg("--state-dir")
            .arg(config_dir.join("state"))
            .arg("--log-file")
            .arg(&log_file)
            .args(["--log-level", "info"])
            .args(["--http-addr", &http.to_string()])
            .args(["--ws-addr", &ws.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| BenchError::io("spawning the daemon", e))?;
        Ok(Self {
            child,
            exe,
            wrapped,
            http,
            ws,
            log_file,
        })
    }

    /// The daemon's process id (under a wrapper: the daemon's, else the wrapper's until
    /// the daemon has started).
    pub fn pid(&self) -> u32 {
        let child = self.child.id();
        if self.wrapped {
            wrap::daemon_in_group(child, &self.exe).unwrap_or(child)
        } else {
            child
        }
    }

    /// Resident set size in KiB (`VmRSS`).
    ///
    /// # Errors
    /// [`BenchError::Daemon`] when the process is gone.
    pub fn rss_kib(&mut self) -> Result<u64, BenchError> {
        if let Ok(Some(status)) = self.child.try_wait() {
            return Err(BenchError::Daemon(format!("exited: {status}")));
        }
        rss_kib(self.pid()).ok_or_else(|| BenchError::Daemon("no VmRSS".into()))
    }

    /// CPU time (user + system) the daemon has used so far, in seconds.
    pub fn cpu_secs(&self) -> Option<f64> {
        cpu_secs(&format!("/proc/{}/stat", self.pid()))
    }

    /// Sockets the daemon log says it cut: `(queue overflows, pong timeouts)`.
    pub fn disconnect_reasons(&self) -> (usize, usize) {
        let text = std::fs::read_to_string(&self.log_file).unwrap_or_default();
        (
            text.matches("socket queue overflow").count(),
            text.matches("did not send a PONG").count(),
        )
    }

    /// The `ms` of the last `PBX state loaded` line of the log (AMI login to full state).
    pub fn load_ms(&self) -> Option<u64> {
        let text = std::fs::read_to_string(&self.log_file).ok()?;
        text.lines()
            .rev()
            .find(|l| l.contains("PBX state loaded"))
            .and_then(field_ms)
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.wrapped {
            // The daemon stops cleanly and its profiler writes its data.
            wrap::stop(self.child.id(), &self.exe);
        } else {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// Clock ticks per second of `/proc/*/stat` times (`USER_HZ`, fixed at 100 on Linux).
const USER_HZ: f64 = 100.0;

/// User + system CPU seconds from a `/proc/<pid>/stat` file (`/proc/self/stat`: the bench).
pub fn cpu_secs(path: &str) -> Option<f64> {
    stat_cpu_secs(&std::fs::read_to_string(path).ok()?)
}

/// User + system CPU seconds of a `/proc/<pid>/stat` text (fields 14 and 15).
pub fn stat_cpu_secs(stat: &str) -> Option<f64> {
    let after = &stat[stat.rfind(')')? + 1..];
    let f: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = f.get(11)?.parse().ok()?;
    let stime: u64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) as f64 / USER_HZ)
}

/// `VmRSS` of process `pid` in KiB.
pub fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    vm_rss(&status)
}

/// The `VmRSS:` value (KiB) of a `/proc/<pid>/status` text.
pub fn vm_rss(status: &str) -> Option<u64> {
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// The value of the `ms` field in a slog line (`..., ms: 213, ...`).
pub fn field_ms(line: &str) -> Option<u64> {
    let at = line.find(" ms: ")? + 5;
    let rest = &line[at..];
    let end = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rss_and_log_fields() {
        let status = "Name:\tx\nVmPeak:\t  9 kB\nVmRSS:\t   12345 kB\nThreads:\t3\n";
        assert_eq!(vm_rss(status), Some(12345));
        assert_eq!(vm_rss("Name: x\n"), None);
        let line = "Dec 04 04:22:00.123 INFO PBX state loaded, extensions: 5000, changes: 3, ms: 213, component: pbx-link";
        assert_eq!(field_ms(line), Some(213));
        assert_eq!(field_ms("no field"), None);
        let stat = "4242 (nethcti bench) S 1 2 3 4 5 6 7 8 9 10 250 50 0 0 20 0 9 0 100";
        assert_eq!(stat_cpu_secs(stat), Some(3.0));
        assert_eq!(stat_cpu_secs("garbage"), None);
    }
}
