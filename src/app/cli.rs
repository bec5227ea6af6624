//! The command line (clap derive). Parsed once in [`super::main_entry`] and converted into
//! [`super::settings::Settings`]; nothing else reads argv.

use crate::adapters::logging::{LogLevel, DEFAULT_ROTATE_KEEP, DEFAULT_ROTATE_SIZE};
use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Default `--log-file`.
pub const DEFAULT_LOG_FILE: &str = "/var/log/asterisk/nethcti.log";
/// Default `--state-dir`.
pub const DEFAULT_STATE_DIR: &str = "/var/lib/nethcti";
/// The demo configuration set shipped in the source tree (`--demo` without `--config-dir`).
pub const DEMO_CONFIG_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/config");

/// `nethcti-server`: CTI server for Asterisk (drop-in for the Node.js nethcti-server).
///
/// Flags override the configuration files.
#[derive(Debug, Clone, Parser)]
#[command(name = "nethcti-server", version, about, long_about = None)]
pub struct Cli {
    /// Configuration directory [default: /etc/nethcti; with --demo: the source tree's
    /// fixtures/config]
    #[arg(long, value_name = "DIR")]
    pub config_dir: Option<PathBuf>,

    /// Log file [default: nethcti.json `logfile`, else /var/log/asterisk/nethcti.log; with
    /// --demo: the terminal]
    #[arg(long, value_name = "FILE")]
    pub log_file: Option<PathBuf>,

    /// Log level: error, warn, info, verbose, debug, silly [default: nethcti.json
    /// `loglevel`, else warn; with --demo: info]
    #[arg(long, value_name = "LEVEL")]
    pub log_level: Option<LogLevel>,

    /// Rotate the log file when it reaches this many bytes (at least 4096)
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_ROTATE_SIZE,
        value_parser = rotate_size)]
    pub log_rotate_size: u64,

    /// Number of rotated log files kept (0: none, the log starts over at the size limit)
    #[arg(long, value_name = "N", default_value_t = DEFAULT_ROTATE_KEEP)]
    pub log_rotate_keep: usize,

    /// REST listen address [default: 127.0.0.1:<services.json http_proxy.http_port>]
    #[arg(long, value_name = "ADDR")]
    pub http_addr: Option<SocketAddr>,

    /// WebSocket (socket.io) listen address [default: 127.0.0.1:<services.json
    /// websocket.http_port>]
    #[arg(long, value_name = "ADDR")]
    pub ws_addr: Option<SocketAddr>,

    /// Directory for persistent state [default: /var/lib/nethcti; with --demo: a directory
    /// under the system temp dir]
    #[arg(long, value_name = "DIR")]
    pub state_dir: Option<PathBuf>,

    /// Validate the configuration and exit: 0 when valid, 2 (with the error) when not
    #[arg(long)]
    pub check_config: bool,

    /// Run on the built-in simulated PBX instead of connecting to Asterisk
    #[arg(long)]
    pub demo: bool,

    /// With --demo: simulated calls per minute (0 = no automatic traffic)
    #[arg(long, value_name = "RATE", default_value_t = DEFAULT_DEMO_TRAFFIC)]
    pub demo_traffic: u32,
}

/// Smallest `--log-rotate-size`: below a few lines per file, rotation is churn (0 rotated on
/// every line).
pub const MIN_ROTATE_SIZE: u64 = 4096;

/// `--log-rotate-size`: a byte count of at least [`MIN_ROTATE_SIZE`].
fn rotate_size(text: &str) -> Result<u64, String> {
    let n: u64 = text
        .trim()
        .parse()
        .map_err(|_| "expected a number of bytes".to_owned())?;
    if n < MIN_ROTATE_SIZE {
        return Err(format!("must be at least {MIN_ROTATE_SIZE} bytes"));
    }
    Ok(n)
}

/// Calls per minute the demo generates unless `--demo-traffic` says otherwise.
pub const DEFAULT_DEMO_TRAFFIC: u32 = 12;

impl Cli {
    /// The configuration directory to read.
    pub fn config_dir(&self) -> PathBuf {
        match (&self.config_dir, self.demo) {
            (Some(d), _) => d.clone(),
            (None, true) => PathBuf::from(DEMO_CONFIG_DIR),
            (None, false) => PathBuf::from(crate::adapters::config::DEFAULT_CONFIG_DIR),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn demo_defaults_to_the_fixture_set() {
        let cli = Cli::parse_from(["nethcti-server", "--demo", "--demo-traffic", "6"]);
        assert_eq!(cli.config_dir(), PathBuf::from(DEMO_CONFIG_DIR));
        assert_eq!(cli.demo_traffic, 6);
        let cli = Cli::parse_from(["nethcti-server", "--log-level", "silly"]);
        assert_eq!(cli.config_dir(), PathBuf::from("/etc/nethcti"));
        assert_eq!(cli.log_level, Some(LogLevel::Silly));
    }
}
