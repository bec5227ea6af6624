//! Reverse index of dial links: for a channel name, the channels whose `dialer` or
//! `dialed` names it, so a rename rewrites those links without scanning every channel.
//!
//! The index is a multiset: a channel appears once per link field pointing at a name.
//! Links may name channels that are gone (as the fields themselves may); entries leave
//! the index when the linking channel does.

use super::channel::Chan;
use super::fast_hash::FastMap;
use super::Switchboard;

/// Which link field of a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    /// `Chan::dialer`.
    Dialer,
    /// `Chan::dialed`.
    Dialed,
}

impl Switchboard {
    /// Records that channel `x` links to `target`.
    fn index_link(&mut self, target: &str, x: &str) {
        index_into(&mut self.dial_refs, target, x);
    }

    /// Forgets one link of `x` to `target`.
    fn unindex_link(&mut self, target: &str, x: &str) {
        if let Some(v) = self.dial_refs.get_mut(target) {
            if let Some(i) = v.iter().position(|n| n == x) {
                v.swap_remove(i);
            }
            if v.is_empty() {
                self.dial_refs.remove(target);
            }
        }
    }

    /// Forgets every link of channel `c`, known as `name` (it is leaving the table).
    pub(super) fn unindex_links(&mut self, name: &str, c: &Chan) {
        for t in [&c.dialer, &c.dialed].into_iter().flatten() {
            self.unindex_link(t, name);
        }
    }

    /// Records every link of channel `c`, known as `name` (it is entering the table).
    pub(super) fn index_links(&mut self, name: &str, c: &Chan) {
        for t in [&c.dialer, &c.dialed].into_iter().flatten() {
            self.index_link(t, name);
        }
    }

    /// Sets a link field of channel `x` (if it exists) to `target`, keeping the index.
    pub(super) fn set_link(&mut self, x: &str, field: Link, target: String) {
        let Some(c) = self.chans.get_mut(x) else {
            return;
        };
        let slot = match field {
            Link::Dialer => &mut c.dialer,
            Link::Dialed => &mut c.dialed,
        };
        if slot.as_deref() == Some(target.as_str()) {
            return;
        }
        let prev = slot.replace(target);
        let refs = &mut self.dial_refs;
        if let Some(t) = slot.as_deref() {
            index_into(refs, t, x);
        }
        if let Some(p) = prev {
            self.unindex_link(&p, x);
        }
    }

    /// After channel `old` became `new`: every link naming `old` now names `new`.
    pub(super) fn relink(&mut self, old: &str, new: &str) {
        let Some(linkers) = self.dial_refs.remove(old) else {
            return;
        };
        for x in linkers {
            let Some(c) = self.chans.get_mut(&x) else {
                continue;
            };
            let mut moved = 0;
            for r in [&mut c.dialer, &mut c.dialed] {
                if r.as_deref() == Some(old) {
                    *r = Some(new.to_owned());
                    moved += 1;
                }
            }
            for _ in 0..moved {
                self.index_link(new, &x);
            }
        }
    }

    /// Rebuilds the index from the channel table (after a snapshot).
    pub(super) fn reindex_links(&mut self) {
        self.dial_refs.clear();
        let links: Vec<(String, String)> = self
            .chans
            .iter()
            .flat_map(|(n, c)| {
                [&c.dialer, &c.dialed]
                    .into_iter()
                    .flatten()
                    .map(move |t| (t.clone(), n.clone()))
            })
            .collect();
        for (t, n) in links {
            self.index_link(&t, &n);
        }
    }
}

/// Adds `x` to the linkers of `target` (a free function: the caller may be borrowing
/// the channel table).
fn index_into(refs: &mut FastMap<String, Vec<String>>, target: &str, x: &str) {
    match refs.get_mut(target) {
        Some(v) => v.push(x.to_owned()),
        None => {
            refs.insert(target.to_owned(), vec![x.to_owned()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pbx_event::{ChannelInfo, PbxEvent};
    use std::collections::BTreeMap;

    type Links = BTreeMap<String, (Option<String>, Option<String>)>;

    fn links(sb: &Switchboard) -> Links {
        sb.chans
            .iter()
            .map(|(n, c)| (n.clone(), (c.dialer.clone(), c.dialed.clone())))
            .collect()
    }

    /// The rename rule as a scan over every channel (the former implementation).
    fn renamed(mut l: Links, old: &str, new: &str) -> Links {
        if let Some(v) = l.remove(old) {
            l.insert(new.to_owned(), v);
            for (a, b) in l.values_mut() {
                for r in [a, b] {
                    if r.as_deref() == Some(old) {
                        *r = Some(new.to_owned());
                    }
                }
            }
        }
        l
    }

    fn index_is_exact(sb: &Switchboard) {
        let mut want = sb.clone();
        want.reindex_links();
        let norm = |m: &super::super::fast_hash::FastMap<String, Vec<String>>| {
            let mut v: Vec<(String, Vec<String>)> = m
                .iter()
                .map(|(k, v)| {
                    let mut v = v.clone();
                    v.sort();
                    (k.clone(), v)
                })
                .collect();
            v.sort();
            v
        };
        assert_eq!(norm(&sb.dial_refs), norm(&want.dial_refs));
    }

    fn info(name: &str) -> ChannelInfo {
        ChannelInfo {
            channel: name.into(),
            uniqueid: format!("u-{name}"),
            linkedid: "l".into(),
            state: 4,
            ..ChannelInfo::default()
        }
    }

    #[test]
    fn rename_rewrites_every_link_like_a_full_scan() {
        let mut sb = Switchboard::default();
        let ev = |sb: &mut Switchboard, e: PbxEvent| {
            sb.apply(e, 0);
            index_is_exact(sb);
        };
        for n in ["A", "B", "C", "D"] {
            ev(&mut sb, PbxEvent::ChannelCreated(info(n)));
        }
        let dial = |c: &str, d: &str| PbxEvent::DialBegin {
            caller: Some(info(c)),
            dest: info(d),
        };
        ev(&mut sb, dial("A", "B"));
        ev(&mut sb, dial("A", "C"));
        ev(&mut sb, dial("D", "D"));
        ev(&mut sb, dial("C", "A"));
        let steps = [
            ("B", "B2"),
            ("A", "A2"),
            ("D", "D2"),
            ("nope", "X"),
            ("C", "B2"),
            ("A2", "A"),
        ];
        for (old, new) in steps {
            let want = renamed(links(&sb), old, new);
            ev(
                &mut sb,
                PbxEvent::ChannelRenamed {
                    old: old.into(),
                    new: new.into(),
                },
            );
            assert_eq!(links(&sb), want, "{old} -> {new}");
        }
        for n in ["A", "B2", "D2"] {
            ev(
                &mut sb,
                PbxEvent::Hangup {
                    info: info(n),
                    cause: 16,
                },
            );
        }
        assert!(sb.dial_refs.is_empty());
    }
}
