//! Raises the open-file limit (10,000 client sockets in the bench, as many in the daemon
//! child, which inherits it).

use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

/// Raises `RLIMIT_NOFILE` to at least `want` when the hard limit (or privilege) allows;
/// returns the soft limit in force afterwards (`None`: unlimited).
pub fn raise_nofile(want: u64) -> Option<u64> {
    let cur = getrlimit(Resource::Nofile);
    if cur.current.is_none_or(|c| c >= want) {
        return cur.current;
    }
    let wanted = Rlimit {
        current: Some(want),
        maximum: Some(cur.maximum.map_or(want, |m| m.max(want))),
    };
    if setrlimit(Resource::Nofile, wanted).is_err() {
        let capped = Rlimit {
            current: cur.maximum.map(|m| m.min(want)),
            maximum: cur.maximum,
        };
        let _ = setrlimit(Resource::Nofile, capped);
    }
    getrlimit(Resource::Nofile).current
}
