//! PBX administration as recorded in `j-reload-and-restart`: `core reload` on the CLI,
//! AMI `Reload` of one module, and `core restart now` (a fresh PBX that kept its astdb).

use crate::adapters::ami::frame::Frame;
use crate::adapters::sim::actions::lists::hint_statuses;
use crate::adapters::sim::model::SimState;

/// `core reload`: voicemail publishes every mailbox, the dialplan reload every hint's
/// state, then `Reload` (module `All`).
pub fn core_reload(st: &mut SimState) {
    let phones: Vec<String> = st
        .endpoints
        .values()
        .filter(|e| !e.trunk)
        .map(|e| e.id.clone())
        .collect();
    for id in phones {
        let f = st
            .event("MessageWaiting", "call,all")
            .with("Mailbox", format!("{id}@default"))
            .with("Waiting", "0")
            .with("New", "0")
            .with("Old", "0");
        st.out.push(f);
    }
    let hints = hint_statuses(st, || st.event("ExtensionStatus", "call,all"));
    st.out.extend(hints);
    module_reload(st, "All");
}

/// A module was reloaded (`Reload` event, status 0).
pub fn module_reload(st: &mut SimState, module: &str) {
    let f = st
        .event("Reload", "system,all")
        .with("Module", module)
        .with("Status", "0");
    st.out.push(f);
}

/// The `Shutdown` event of `core restart now`.
pub fn shutdown_event(st: &SimState) -> Frame {
    st.event("Shutdown", "system,all")
        .with("Shutdown", "Cleanly")
        .with("Restart", "True")
}

/// The PBX after a restart: no channels, bridges, parked or queued calls, uptime 0; the
/// astdb (AstDB families, custom device states, persistent queue members) survives, and
/// contacts restored from it are `NonQualified` until qualified again.
pub fn rebooted(old: &SimState) -> SimState {
    let mut cfg = old.cfg.clone();
    cfg.epoch = old.unix();
    let mut st = SimState::new(cfg);
    st.db = old.db.clone();
    st.custom = old.custom.clone();
    for (id, q) in &mut st.queues {
        if let Some(o) = old.queues.get(id) {
            q.members = o.members.clone();
        }
    }
    for e in st.endpoints.values_mut() {
        e.qualified = false;
    }
    st
}
