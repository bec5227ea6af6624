//! Typed settings resolved once from the command line and the configuration files
//! (flags win over files, files over built-in defaults).

use super::cli::{Cli, DEFAULT_LOG_FILE, DEFAULT_STATE_DIR};
use crate::adapters::config::Config;
use crate::adapters::logging::{LogLevel, LogSettings, LogTarget};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

/// Which PBX the daemon talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PbxMode {
    /// The real Asterisk through AMI (`asterisk.json`).
    Ami,
    /// The built-in simulated PBX (`--demo`).
    Demo {
        /// Simulated calls per minute, 0 = none.
        traffic_per_minute: u32,
    },
}

/// Everything the application needs besides [`Config`], fully resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Where the configuration was read from.
    pub config_dir: PathBuf,
    /// Directory for persistent state.
    pub state_dir: PathBuf,
    /// REST listen address.
    pub http_addr: SocketAddr,
    /// socket.io listen address.
    pub ws_addr: SocketAddr,
    /// Logger settings.
    pub log: LogSettings,
    /// Real or simulated PBX.
    pub pbx: PbxMode,
    /// `--check-config`: validate and exit.
    pub check_only: bool,
}

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

impl Settings {
    /// Resolves the settings. Listen addresses default to 127.0.0.1 on the services.json
    /// ports (as Apache reaches the original). The log goes to `--log-file`, else (not in
    /// demo mode) nethcti.json `logfile`, else the default file; `--demo` without
    /// `--log-file` logs to the terminal at `info` unless a level is given.
    pub fn resolve(cli: &Cli, config: &Config) -> Self {
        let target = match (&cli.log_file, cli.demo) {
            (Some(f), _) => LogTarget::File(f.clone()),
            (None, true) => LogTarget::Terminal,
            (None, false) => LogTarget::File(
                config
                    .nethcti
                    .logfile
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(DEFAULT_LOG_FILE)),
            ),
        };
        let level = cli.log_level.unwrap_or(if cli.demo {
            LogLevel::Info.max(config.nethcti.loglevel)
        } else {
            config.nethcti.loglevel
        });
        let http_addr = cli
            .http_addr
            .unwrap_or(SocketAddr::new(LOOPBACK, config.services.http_port));
        let state_dir = cli.state_dir.clone().unwrap_or_else(|| {
            if cli.demo {
                demo_state_dir(http_addr.port())
            } else {
                PathBuf::from(DEFAULT_STATE_DIR)
            }
        });
        Self {
            config_dir: config.dir.clone(),
            state_dir,
            http_addr,
            ws_addr: cli
                .ws_addr
                .unwrap_or(SocketAddr::new(LOOPBACK, config.services.ws_port)),
            log: LogSettings {
                target,
                level,
                rotate_size: cli.log_rotate_size,
                rotate_keep: cli.log_rotate_keep,
            },
            pbx: if cli.demo {
                PbxMode::Demo {
                    traffic_per_minute: cli.demo_traffic,
                }
            } else {
                PbxMode::Ami
            },
            check_only: cli.check_config,
        }
    }
}

/// The default state directory of a demo serving HTTP on `http_port`: one per port, so
/// demos side by side (`--http-addr`) keep their own token files.
pub fn demo_state_dir(http_port: u16) -> PathBuf {
    std::env::temp_dir().join(format!("nethcti-demo-{http_port}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::cli::DEMO_CONFIG_DIR;
    use clap::Parser;

    fn resolve(args: &[&str]) -> Settings {
        let cli = Cli::parse_from(std::iter::once("nethcti-server").chain(args.iter().copied()));
        let config = crate::adapters::config::load(std::path::Path::new(DEMO_CONFIG_DIR))
            .expect("fixture set");
        Settings::resolve(&cli, &config)
    }

    #[test]
    fn files_give_the_defaults() {
        let s = resolve(&["--config-dir", DEMO_CONFIG_DIR]);
        assert_eq!(s.http_addr.to_string(), "127.0.0.1:8179");
        assert_eq!(s.ws_addr.to_string(), "127.0.0.1:8181");
        assert_eq!(
            s.log.target,
            LogTarget::File(PathBuf::from("/var/log/asterisk/nethcti.log"))
        );
        assert_eq!(s.log.level, LogLevel::Warn);
        assert_eq!(s.state_dir, PathBuf::from("/var/lib/nethcti"));
        assert_eq!(s.pbx, PbxMode::Ami);
        assert!(!s.check_only);
    }

    #[test]
    fn flags_override_files() {
        let s = resolve(&[
            "--http-addr",
            "0.0.0.0:9000",
            "--ws-addr",
            "[::1]:9001",
            "--log-file",
            "/tmp/x.log",
            "--log-level",
            "verbose",
            "--state-dir",
            "/tmp/state",
            "--log-rotate-keep",
            "9",
            "--check-config",
        ]);
        assert_eq!(s.http_addr.to_string(), "0.0.0.0:9000");
        assert_eq!(s.ws_addr.to_string(), "[::1]:9001");
        assert_eq!(s.log.target, LogTarget::File(PathBuf::from("/tmp/x.log")));
        assert_eq!(s.log.level, LogLevel::Verbose);
        assert_eq!(s.log.rotate_keep, 9);
        assert_eq!(s.state_dir, PathBuf::from("/tmp/state"));
        assert!(s.check_only);
    }

    #[test]
    fn demo_logs_to_the_terminal_at_info() {
        let s = resolve(&["--demo", "--demo-traffic", "12"]);
        assert_eq!(s.log.target, LogTarget::Terminal);
        assert_eq!(s.log.level, LogLevel::Info);
        assert_eq!(
            s.pbx,
            PbxMode::Demo {
                traffic_per_minute: 12
            }
        );
        assert_eq!(s.state_dir, std::env::temp_dir().join("nethcti-demo-8179"));
    }

    #[test]
    fn demos_on_other_ports_get_their_own_state_dir() {
        let s = resolve(&["--demo", "--http-addr", "127.0.0.1:9179"]);
        assert_eq!(s.state_dir, std::env::temp_dir().join("nethcti-demo-9179"));
        let s = resolve(&[
            "--demo",
            "--http-addr",
            "127.0.0.1:9179",
            "--state-dir",
            "/tmp/s",
        ]);
        assert_eq!(s.state_dir, PathBuf::from("/tmp/s"));
    }

    #[test]
    fn demo_traffic_is_on_by_default() {
        let s = resolve(&["--demo"]);
        assert_eq!(
            s.pbx,
            PbxMode::Demo {
                traffic_per_minute: 12
            }
        );
    }
}
