//! Raising the soft open-files limit (`RLIMIT_NOFILE`) to the hard limit at start-up.

use rustix::process::{getrlimit, setrlimit, Resource, Rlimit};

/// The open-files limit after [`raise_nofile`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NofileLimit {
    /// Soft limit in force (`None`: unlimited).
    pub soft: Option<u64>,
    /// Hard limit (`None`: unlimited).
    pub hard: Option<u64>,
}

/// Why the soft limit could not be raised.
#[derive(Debug, thiserror::Error)]
#[error("cannot raise the open-files limit from {from:?} to {to:?}: {source}")]
pub struct NofileError {
    /// Soft limit before (and still in force).
    pub from: Option<u64>,
    /// The hard limit asked for.
    pub to: Option<u64>,
    /// The system error.
    #[source]
    pub source: std::io::Error,
}

/// Sets the soft `RLIMIT_NOFILE` to the hard limit, so every connection the listeners
/// accept (see `PushConfig::max_connections`) can get a descriptor.
///
/// # Errors
/// [`NofileError`] when the system refuses; the old limit stays.
pub fn raise_nofile() -> Result<NofileLimit, NofileError> {
    let now = getrlimit(Resource::Nofile);
    if now.current != now.maximum {
        let wanted = Rlimit {
            current: now.maximum,
            maximum: now.maximum,
        };
        setrlimit(Resource::Nofile, wanted).map_err(|e| NofileError {
            from: now.current,
            to: now.maximum,
            source: e.into(),
        })?;
    }
    let after = getrlimit(Resource::Nofile);
    Ok(NofileLimit {
        soft: after.current,
        hard: after.maximum,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soft_limit_ends_at_the_hard_limit() {
        let limit = raise_nofile().expect("raising to the hard limit is always allowed");
        assert_eq!(limit.soft, limit.hard);
        assert_eq!(getrlimit(Resource::Nofile).current, limit.hard);
    }
}
