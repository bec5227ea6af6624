//! The built binary: `--check-config`, `--version`, exit codes and start-up errors, and a
//! daemon that starts, logs and stops cleanly on SIGTERM.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_nethcti-server");

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().expect("run binary")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn copy_of_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixture_dir()).expect("fixture dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
    }
    tmp
}

#[test]
fn check_config_accepts_the_fixture_set() {
    let out = run(&["--config-dir", "fixtures/config", "--check-config"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "configuration OK: fixtures/config\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn demo_check_config_uses_the_built_in_set() {
    let out = run(&["--demo", "--check-config"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("configuration OK: {}\n", fixture_dir().display())
    );
}

#[test]
fn check_config_rejects_a_set_with_one_broken_file() {
    let tmp = copy_of_fixture();
    std::fs::write(tmp.path().join("services.json"), "{\"websocket\": ").expect("write");
    let dir = tmp.path().display().to_string();
    let out = run(&["--config-dir", &dir, "--check-config"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "nethcti-server: configuration error: {dir}/services.json: invalid JSON: \
             EOF while parsing a value at line 1 column 14\n"
        )
    );
}

#[test]
fn a_missing_file_fails_start_up_with_exit_2_even_without_check_config() {
    let tmp = copy_of_fixture();
    std::fs::remove_file(tmp.path().join("asterisk.json")).expect("rm");
    let dir = tmp.path().display().to_string();
    let out = run(&["--config-dir", &dir]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "nethcti-server: configuration error: {dir}/asterisk.json: required file is missing\n"
        )
    );
}

#[test]
fn version_prints_name_and_version() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("nethcti-server {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_flags_exit_2() {
    let out = run(&["--log-level", "loud", "--check-config"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with(
            "error: invalid value 'loud' for '--log-level <LEVEL>': unknown log level \"loud\""
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_unwritable_log_path_fails_start_up_clearly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let log = tmp.path().join("missing/nethcti.log");
    let out = run(&[
        "--config-dir",
        "fixtures/config",
        "--log-file",
        &log.display().to_string(),
        "--state-dir",
        &tmp.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!(
            "nethcti-server: cannot open log file {}: No such file or directory (os error 2)\n",
            log.display()
        )
    );
}

/// Waits until `path` contains `needle` (the daemon writes asynchronously); gives up
/// after 20 s so a broken daemon fails the test instead of hanging it.
fn wait_for_log(path: &Path, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.contains(needle) || Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_daemon_logs_start_and_stops_on_sigterm_with_exit_0() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let log = tmp.path().join("nethcti.log");
    let mut child = Command::new(BIN)
        .args([
            "--config-dir",
            "fixtures/config",
            "--log-file",
            &log.display().to_string(),
            "--log-level",
            "info",
            "--state-dir",
            &tmp.path().display().to_string(),
            "--http-addr",
            "127.0.0.1:0",
            "--ws-addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let started = wait_for_log(&log, "INFO starting");
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).expect("stderr");
    }
    assert_eq!(status.code(), Some(0), "stderr: {stderr}");
    assert_eq!(stderr, "");
    let first = started.lines().next().unwrap_or_default();
    for field in [
        "http_addr: 127.0.0.1:0",
        "ws_addr: 127.0.0.1:0",
        "pbx: ami 127.0.0.1:5038",
        "users: 20",
        "profiles: 3",
        "queues: 2",
    ] {
        assert!(first.contains(field), "{field} in {first}");
    }
    assert!(!started.contains("ctisecret"));
    let all = std::fs::read_to_string(&log).expect("log");
    let tail: Vec<&str> = all
        .lines()
        .skip(1)
        .map(|l| l.splitn(4, ' ').nth(3).unwrap_or_default())
        .map(|l| l.split(", module").next().unwrap_or_default())
        .collect();
    // Start-up logs its subsystems (AMI retries: no Asterisk here) before or after the
    // signal; the stop itself is clean and last.
    assert!(tail.contains(&"INFO stopping, signal: SIGTERM"), "{tail:?}");
    assert_eq!(tail.last(), Some(&"INFO stopped"), "{tail:?}");
    assert!(!tail.iter().any(|l| l.starts_with("ERROR")), "{tail:?}");
}
