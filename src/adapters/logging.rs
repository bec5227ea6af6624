//! Logging: slog loggers built once at start-up and passed down (`slog::Logger`).
//!
//! - [`file_logger`]: sloggers file logger (async, size-based rotation with a kept count,
//!   key-value fields), the daemon's normal sink.
//! - [`terminal_logger`]: stderr, for `--demo` without `--log-file`.
//! - [`discard`]: for tests.
//!
//! Levels keep the original's names (winston npm levels): `error`, `warn`, `info`,
//! `verbose` (= slog debug), `debug`, `silly` (= slog trace).

use sloggers::file::FileLoggerBuilder;
use sloggers::terminal::{Destination, TerminalLoggerBuilder};
use sloggers::types::{Format, Severity, TimeZone};
use sloggers::Build;
use std::path::{Path, PathBuf};

/// A log level by the original's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Errors only.
    Error,
    /// Warnings and errors (the original's default).
    Warn,
    /// Informational.
    Info,
    /// winston `verbose`: mapped to slog `Debug`.
    Verbose,
    /// Debug.
    Debug,
    /// winston `silly`: mapped to slog `Trace`.
    Silly,
}

impl LogLevel {
    /// All accepted names, in order.
    pub const NAMES: [&'static str; 6] = ["error", "warn", "info", "verbose", "debug", "silly"];

    /// Parses a level name (case-insensitive); `warning` and `trace` are accepted as aliases.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Some(Self::Error),
            "warn" | "warning" => Some(Self::Warn),
            "info" => Some(Self::Info),
            "verbose" => Some(Self::Verbose),
            "debug" => Some(Self::Debug),
            "silly" | "trace" => Some(Self::Silly),
            _ => None,
        }
    }

    /// The original's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warn => "warn",
            Self::Info => "info",
            Self::Verbose => "verbose",
            Self::Debug => "debug",
            Self::Silly => "silly",
        }
    }

    /// The slog severity it maps to.
    pub fn severity(self) -> Severity {
        match self {
            Self::Error => Severity::Error,
            Self::Warn => Severity::Warning,
            Self::Info => Severity::Info,
            Self::Verbose | Self::Debug => Severity::Debug,
            Self::Silly => Severity::Trace,
        }
    }
}

impl std::fmt::Display for LogLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for LogLevel {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s).ok_or_else(|| {
            format!(
                "unknown log level {s:?} (expected one of: {})",
                Self::NAMES.join(", ")
            )
        })
    }
}

/// Default size at which the log file is rotated (bytes).
pub const DEFAULT_ROTATE_SIZE: u64 = 50 * 1024 * 1024;
/// Default number of rotated files kept.
pub const DEFAULT_ROTATE_KEEP: usize = 5;

/// Where log records go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogTarget {
    /// A file, rotated by size.
    File(PathBuf),
    /// The terminal (stderr).
    Terminal,
}

/// Everything needed to build the process logger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogSettings {
    /// Sink.
    pub target: LogTarget,
    /// Minimum level written.
    pub level: LogLevel,
    /// Rotate the file when it reaches this many bytes.
    pub rotate_size: u64,
    /// Keep this many rotated files (`nethcti.log.1` ... `.N`).
    pub rotate_keep: usize,
}

/// Why the logger could not be built.
#[derive(Debug, thiserror::Error)]
pub enum LoggingError {
    /// The log file cannot be opened for appending.
    #[error("cannot open log file {path}: {reason}")]
    Unwritable {
        /// The log file path.
        path: PathBuf,
        /// The I/O error text.
        reason: String,
    },
    /// sloggers refused the configuration.
    #[error("cannot build logger: {0}")]
    Build(String),
}

/// Builds the logger described by `settings`.
///
/// # Errors
/// [`LoggingError::Unwritable`] when the file cannot be opened for appending.
pub fn build(settings: &LogSettings) -> Result<slog::Logger, LoggingError> {
    match &settings.target {
        LogTarget::File(path) => file_logger(
            path,
            settings.level,
            settings.rotate_size,
            settings.rotate_keep,
        ),
        LogTarget::Terminal => terminal_logger(settings.level),
    }
}

/// A file logger: async, one line per record with key-value fields, rotated at
/// `rotate_size` bytes keeping `rotate_keep` old files. The file is opened once here so an
/// unwritable path fails now, not at the first record.
///
/// # Errors
/// [`LoggingError::Unwritable`] when the file (or its directory) cannot be opened.
pub fn file_logger(
    path: &Path,
    level: LogLevel,
    rotate_size: u64,
    rotate_keep: usize,
) -> Result<slog::Logger, LoggingError> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(|e| LoggingError::Unwritable {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    FileLoggerBuilder::new(path)
        .level(level.severity())
        .format(Format::Full)
        .timezone(TimeZone::Local)
        .rotate_size(rotate_size.max(1))
        .rotate_keep(rotate_keep)
        .build()
        .map_err(|e| LoggingError::Build(e.to_string()))
}

/// A logger writing to stderr (for `--demo` without `--log-file`).
///
/// # Errors
/// [`LoggingError::Build`] if the terminal drain cannot be set up.
pub fn terminal_logger(level: LogLevel) -> Result<slog::Logger, LoggingError> {
    TerminalLoggerBuilder::new()
        .level(level.severity())
        .destination(Destination::Stderr)
        .format(Format::Full)
        .timezone(TimeZone::Local)
        .build()
        .map_err(|e| LoggingError::Build(e.to_string()))
}

/// A logger that drops everything (tests).
pub fn discard() -> slog::Logger {
    slog::Logger::root(slog::Discard, slog::o!())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_original_level_names() {
        assert_eq!(
            LogLevel::parse("verbose").map(LogLevel::severity),
            Some(Severity::Debug)
        );
        assert_eq!(
            LogLevel::parse("SILLY").map(LogLevel::severity),
            Some(Severity::Trace)
        );
        assert_eq!(
            LogLevel::parse("warn").map(LogLevel::severity),
            Some(Severity::Warning)
        );
        assert_eq!(LogLevel::parse("loud"), None);
        assert_eq!(
            "loud".parse::<LogLevel>(),
            Err("unknown log level \"loud\" (expected one of: error, warn, info, verbose, debug, silly)".into())
        );
        for name in LogLevel::NAMES {
            assert_eq!(LogLevel::parse(name).map(LogLevel::as_str), Some(name));
        }
    }
}
