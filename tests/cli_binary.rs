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
fn a_log_rotate_size_below_4096_bytes_is_refused_with_exit_2() {
    for (value, reason) in [
        ("0", "must be at least 4096 bytes"),
        ("4095", "must be at least 4096 bytes"),
        ("1.5", "expected a number of bytes"),
        ("lots", "expected a number of bytes"),
    ] {
        let out = run(&["--log-rotate-size", value, "--check-config"]);
        assert_eq!(out.status.code(), Some(2), "{value}");
        let first = text(&out.stderr).lines().next().unwrap_or("").to_owned();
        assert_eq!(
            first,
            format!("error: invalid value '{value}' for '--log-rotate-size <BYTES>': {reason}")
        );
    }
}

#[test]
fn log_rotate_keep_zero_and_the_smallest_rotate_size_are_accepted() {
    let dir = fixture_dir();
    let dir = dir.to_str().expect("utf-8 path");
    let out = run(&[
        "--config-dir",
        dir,
        "--log-rotate-size",
        "4096",
        "--log-rotate-keep",
        "0",
        "--check-config",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
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

/// The log lines without their timestamp and trailing `module` field.
fn log_messages(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.splitn(4, ' ').nth(3).unwrap_or_default())
        .map(|l| l.split(", module").next().unwrap_or_default().to_owned())
        .collect()
}

/// A free loopback port (bound, read, released).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Kills the simulator when the test ends, however it ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `ami-sim` serving the fixture directory on `port`, once it accepts connections.
fn start_simulator(port: u16) -> KillOnDrop {
    let child = Command::new(env!("CARGO_BIN_EXE_ami-sim"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--config-dir", "fixtures/config", "--answer-delay-ms", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn ami-sim");
    let guard = KillOnDrop(child);
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "ami-sim did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    guard
}

#[test]
fn the_daemon_loads_the_pbx_logs_the_counts_and_stops_on_sigterm_with_exit_0() {
    let ami_port = free_port();
    let _sim = start_simulator(ami_port);
    let config = copy_of_fixture();
    let asterisk = std::fs::read_to_string(config.path().join("asterisk.json")).expect("read");
    std::fs::write(
        config.path().join("asterisk.json"),
        asterisk.replace("\"5038\"", &format!("\"{ami_port}\"")),
    )
    .expect("write asterisk.json");
    let tmp = tempfile::tempdir().expect("tempdir");
    let log = tmp.path().join("nethcti.log");
    let mut child = Command::new(BIN)
        .args(["--config-dir", &config.path().display().to_string()])
        .args([
            "--log-file",
            &log.display().to_string(),
            "--log-level",
            "info",
        ])
        .args(["--state-dir", &tmp.path().display().to_string()])
        .args(["--http-addr", "127.0.0.1:0", "--ws-addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let loaded = wait_for_log(&log, "INFO PBX state loaded");
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
    let first = loaded.lines().next().unwrap_or_default();
    for field in [
        "http_addr: 127.0.0.1:0",
        "ws_addr: 127.0.0.1:0",
        &format!("pbx: ami 127.0.0.1:{ami_port}"),
        "users: 20",
        "profiles: 3",
        "queues: 2",
    ] {
        assert!(first.contains(field), "{field} in {first}");
    }
    assert!(
        !loaded.contains("ctisecret"),
        "the AMI secret reached the log"
    );
    let messages = log_messages(&std::fs::read_to_string(&log).expect("log"));
    let state = messages
        .iter()
        .find(|m| m.starts_with("INFO PBX state loaded"))
        .expect("state loaded line");
    // 20 phones, 2 queues, 1 trunk, parking lot 701-720, no call yet.
    for count in [
        "extensions: 20",
        "queues: 2",
        "trunks: 1",
        "parkings: 20",
        "channels: 0",
    ] {
        assert!(state.contains(count), "{count} in {state}");
    }
    let stop = messages
        .iter()
        .position(|m| m == "INFO stopping, signal: SIGTERM")
        .expect("stopping line");
    assert_eq!(messages.last().map(String::as_str), Some("INFO stopped"));
    assert!(stop < messages.len() - 1, "{messages:?}");
}
