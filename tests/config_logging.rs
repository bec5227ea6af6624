//! The file logger: records with key-value fields, level filtering with the original's
//! level names, size-based rotation with a kept count, clear errors for unwritable paths.

use nethcti_server::adapters::logging::{self, LogLevel, LogSettings, LogTarget, LoggingError};
use slog::{debug, error, info, trace, warn};
use std::path::Path;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("log file")
}

#[test]
fn writes_records_with_key_values_at_and_above_the_level() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nethcti.log");
    let log = logging::file_logger(&path, LogLevel::Info, 1 << 20, 3).expect("logger");
    let child = log.new(slog::o!("conn" => 7));
    info!(child, "ami connected"; "host" => "127.0.0.1", "port" => 5038);
    warn!(log, "slow reply"; "ms" => 1200);
    debug!(log, "not written at info");
    drop(child);
    drop(log); // flushes the async drain
    let text = read(&path);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains(" INFO ami connected"), "{}", lines[0]);
    assert!(lines[0].contains("port: 5038"), "{}", lines[0]);
    assert!(lines[0].contains("host: 127.0.0.1"), "{}", lines[0]);
    assert!(lines[0].contains("conn: 7"), "{}", lines[0]);
    assert!(lines[1].contains(" WARN slow reply"), "{}", lines[1]);
    assert!(lines[1].contains("ms: 1200"), "{}", lines[1]);
}

#[test]
fn original_level_names_select_slog_levels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        (LogLevel::Error, vec!["ERRO e"]),
        (LogLevel::Warn, vec!["ERRO e", "WARN w"]),
        (LogLevel::Info, vec!["ERRO e", "WARN w", "INFO i"]),
        (
            LogLevel::Verbose,
            vec!["ERRO e", "WARN w", "INFO i", "DEBG d"],
        ),
        (
            LogLevel::Debug,
            vec!["ERRO e", "WARN w", "INFO i", "DEBG d"],
        ),
        (
            LogLevel::Silly,
            vec!["ERRO e", "WARN w", "INFO i", "DEBG d", "TRCE t"],
        ),
    ];
    for (level, expected) in cases {
        let path = dir.path().join(format!("{level}.log"));
        let log = logging::file_logger(&path, level, 1 << 20, 1).expect("logger");
        error!(log, "e");
        warn!(log, "w");
        info!(log, "i");
        debug!(log, "d");
        trace!(log, "t");
        drop(log);
        let text = read(&path);
        let got: Vec<String> = text
            .lines()
            .map(|l| {
                // "<timestamp> LEVL msg, module: ..." -> "LEVL msg"
                let after_ts = l.splitn(4, ' ').nth(3).expect("level").to_owned();
                after_ts.split(',').next().expect("msg").to_owned()
            })
            .collect();
        assert_eq!(got, expected, "level {level}");
    }
}

#[test]
fn rotates_by_size_and_keeps_the_configured_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nethcti.log");
    let log = logging::file_logger(&path, LogLevel::Info, 200, 2).expect("logger");
    for i in 0..60 {
        info!(log, "a record long enough to fill the file quickly"; "i" => i);
    }
    drop(log);
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["nethcti.log", "nethcti.log.1", "nethcti.log.2"]);
    assert!(read(&dir.path().join("nethcti.log.1")).contains("a record long enough"));
}

#[test]
fn rotate_keep_zero_keeps_no_old_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("nethcti.log");
    let log = logging::file_logger(&path, LogLevel::Info, 200, 0).expect("logger");
    for i in 0..60 {
        info!(log, "a record long enough to fill the file quickly"; "i" => i);
    }
    drop(log);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["nethcti.log"]);
}

#[test]
fn an_unwritable_path_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-dir/nethcti.log");
    let err = logging::file_logger(&missing, LogLevel::Warn, 1024, 1).expect_err("no dir");
    assert!(matches!(err, LoggingError::Unwritable { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "cannot open log file {}: No such file or directory (os error 2)",
            missing.display()
        )
    );
    // A directory cannot be opened for appending, even by root.
    let settings = LogSettings {
        target: LogTarget::File(dir.path().to_path_buf()),
        level: LogLevel::Warn,
        rotate_size: 1024,
        rotate_keep: 1,
    };
    let err = logging::build(&settings).expect_err("a directory");
    assert_eq!(
        err.to_string(),
        format!(
            "cannot open log file {}: Is a directory (os error 21)",
            dir.path().display()
        )
    );
}

#[test]
fn terminal_logger_builds() {
    let term = logging::build(&LogSettings {
        target: LogTarget::Terminal,
        level: LogLevel::Error,
        rotate_size: 1,
        rotate_keep: 1,
    });
    assert!(term.is_ok());
}
