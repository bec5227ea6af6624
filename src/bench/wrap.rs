//! The daemon under a profiler: `NETHCTI_BENCH_DAEMON_WRAP="heaptrack -o /tmp/ht"` starts
//! `heaptrack -o /tmp/ht <bench binary> daemon ...` instead of the daemon itself.
//!
//! The wrapper runs in its own process group. The daemon is found in that group as the
//! process running the bench binary (`/proc/<pid>/exe`), so RSS and CPU figures stay the
//! daemon's, and on stop only the daemon gets SIGTERM: it shuts down cleanly and the
//! profiler (heaptrack's interpreter, in the same group) finishes writing its data.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Set to a command (words split at whitespace) to run the daemon under it.
pub const WRAP_ENV: &str = "NETHCTI_BENCH_DAEMON_WRAP";

/// The program and leading arguments that start the daemon binary `exe`: `exe` itself, or
/// the words of `wrap` followed by `exe`.
pub fn launcher(exe: PathBuf, wrap: Option<&str>) -> (PathBuf, Vec<OsString>) {
    let mut words = wrap.unwrap_or_default().split_whitespace();
    match words.next() {
        Some(program) => {
            let mut args: Vec<OsString> = words.map(Into::into).collect();
            args.push(exe.into_os_string());
            (PathBuf::from(program), args)
        }
        None => (exe, Vec::new()),
    }
}

/// The process group id of a `/proc/<pid>/stat` text (field 5).
pub fn stat_pgrp(stat: &str) -> Option<u32> {
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(2)?.parse().ok()
}

/// The process of group `group` running `exe` (the daemon under its wrapper).
pub fn daemon_in_group(group: u32, exe: &Path) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            stat_pgrp(&stat) == Some(group)
                && std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|p| p == exe)
        })
}

/// Sends SIGTERM to the daemon of group `group` (running `exe`), or to the whole group
/// when it is not found (already gone, or never started).
pub fn stop(group: u32, exe: &Path) {
    use rustix::process::{kill_process, kill_process_group, Pid, Signal};
    let pid = |n: u32| i32::try_from(n).ok().and_then(Pid::from_raw);
    match daemon_in_group(group, exe).and_then(pid) {
        Some(daemon) => {
            let _ = kill_process(daemon, Signal::TERM);
        }
        None => {
            if let Some(group) = pid(group) {
                let _ = kill_process_group(group, Signal::TERM);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launcher_puts_the_wrapper_words_before_the_binary() {
        let exe = PathBuf::from("/b/nethcti-bench");
        assert_eq!(launcher(exe.clone(), None), (exe.clone(), vec![]));
        assert_eq!(launcher(exe.clone(), Some("  ")), (exe.clone(), vec![]));
        assert_eq!(
            launcher(exe, Some("heaptrack -o /tmp/ht")),
            (
                PathBuf::from("heaptrack"),
                vec!["-o".into(), "/tmp/ht".into(), "/b/nethcti-bench".into()]
            )
        );
    }

    #[test]
    fn reads_the_process_group_and_finds_this_process() {
        let stat = "4242 (nethcti bench) S 1 4240 4239 0 -1";
        assert_eq!(stat_pgrp(stat), Some(4240));
        assert_eq!(stat_pgrp("garbage"), None);
        let me = std::process::id();
        let own = std::fs::read_to_string(format!("/proc/{me}/stat")).expect("stat");
        let group = stat_pgrp(&own).expect("group");
        let exe = std::env::current_exe().expect("exe");
        let found = daemon_in_group(group, &exe).expect("a process of this group runs exe");
        let stat = std::fs::read_to_string(format!("/proc/{found}/stat")).expect("stat");
        assert_eq!(stat_pgrp(&stat), Some(group));
    }
}
