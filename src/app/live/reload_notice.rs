//! When clients are told `serverReloaded`: after a PBX load caused by an Asterisk restart
//! (a `Shutdown` seen before the reconnection) or by a reload request (`Reload`, or a
//! `FullyBooted` in the middle of a session); never after the first load nor after a plain
//! reconnection, where nothing was reconfigured (clients then only get what changed).

/// Why the PBX state was (re)loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadCause {
    /// The AMI session (re)connected.
    Connected,
    /// Asterisk announced a reload or a reboot in the event stream.
    Requested,
}

/// Remembers the loads and shutdowns seen on the PBX link.
#[derive(Debug, Default)]
pub struct ReloadNotice {
    loaded: bool,
    restarting: bool,
}

impl ReloadNotice {
    /// Asterisk said it is shutting down: the next load follows a restart.
    pub fn saw_shutdown(&mut self) {
        self.restarting = true;
    }

    /// A load completed; true when `serverReloaded` must be broadcast.
    pub fn loaded(&mut self, cause: LoadCause) -> bool {
        let announce = self.loaded && (cause == LoadCause::Requested || self.restarting);
        self.loaded = true;
        self.restarting = false;
        announce
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_load_and_plain_reconnects_are_silent() {
        let mut n = ReloadNotice::default();
        assert!(!n.loaded(LoadCause::Connected));
        assert!(!n.loaded(LoadCause::Connected));
    }

    #[test]
    fn restart_and_reload_are_announced_once() {
        let mut n = ReloadNotice::default();
        assert!(!n.loaded(LoadCause::Connected));
        n.saw_shutdown();
        assert!(n.loaded(LoadCause::Connected));
        assert!(!n.loaded(LoadCause::Connected));
        assert!(n.loaded(LoadCause::Requested));
    }

    #[test]
    fn a_reload_before_the_first_load_is_silent() {
        let mut n = ReloadNotice::default();
        n.saw_shutdown();
        assert!(!n.loaded(LoadCause::Requested));
    }
}
