//! Local channel pairs (`Local/<exten>@<context>-N;1` and `;2`): what `;1` learns of its
//! callee reaches `;2` as its caller id, and `;2` hangs up when `;1` is gone (k2).

use super::SimState;
use std::collections::BTreeMap;

/// `;2` caller ids held back until `;2` hangs up.
#[derive(Debug, Default)]
pub struct LocalCids(BTreeMap<String, (String, String)>);

/// The `;2` half of a Local `;1` channel name.
pub fn two_of(one: &str) -> Option<String> {
    one.starts_with("Local/")
        .then(|| one.strip_suffix(";1"))
        .flatten()
        .map(|base| format!("{base};2"))
}

impl SimState {
    /// `one`'s connected line became `num`/`name` (its callee): `;2` gets it as caller
    /// id (`NewCallerid`), at once when `one` dials, held back until `;2` hangs up when
    /// a queue member answers `one` (both as recorded in k2).
    pub fn local_connected(&mut self, one: &str, num: &str, name: &str, deferred: bool) {
        let Some(two) = two_of(one).filter(|t| self.channels.contains_key(t)) else {
            return;
        };
        if deferred {
            self.local_cids
                .0
                .insert(two, (num.to_owned(), name.to_owned()));
        } else {
            self.set_callerid(&two, num, name);
        }
    }

    /// `one` is gone: its `;2` is hung up (`HangupRequest`, `SoftHangupRequest`, `Hangup`
    /// with cause 16), then a held-back caller id update is published.
    pub(super) fn local_one_gone(&mut self, one: &str) {
        let Some(two) = two_of(one).filter(|t| self.channels.contains_key(t)) else {
            return;
        };
        let cause = [("Cause", "16".to_owned())];
        self.emit_chan_with("HangupRequest", &two, &cause);
        self.emit_chan_with("SoftHangupRequest", &two, &cause);
        let late = self.local_cids.0.remove(&two).map(|(num, name)| {
            let mut c = self.channels.get(&two).cloned();
            if let Some(c) = c.as_mut() {
                c.cid_num = num;
                c.cid_name = name;
            }
            let mut f = self.event("NewCallerid", "call,all");
            if let Some(c) = &c {
                super::channel::push_block(&mut f, "", c);
            }
            f.push("CID-CallingPres", "0 (Presentation Allowed, Not Screened)");
            f
        });
        self.destroy(&two, 16, None);
        if let Some(f) = late {
            self.out.push(f);
        }
    }
}
