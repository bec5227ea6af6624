//! Which owners a change to one channel makes render differently, so the event reports an
//! `ExtensionChanged` / `TrunkChanged` for each of them and for no one else.
//!
//! An owner's JSON renders its own channels and, for each, the partner
//! ([`Switchboard::partner`]) with the partner's `bridgedChannel` and source/dest type (the
//! partner's partner). So a channel's facts (caller id, connected line, state, conference,
//! queue) reach its owner and the owners of its *dependents*, the channels whose partner it
//! is: the other members of a bridge it is the last member of, the last member of a bridge
//! it is the second-to-last member of, unbridged channels dial-linked to it. A change of
//! pairing (bridge enter/leave, hang-up, rename, dial) also alters the partner's partner,
//! so it reaches the dependents of the partner too. Each step looks at a bridge's last two
//! members and the channel's dial links: the cost does not grow with the switchboard.

use super::channel::{is_helper, Chan};
use super::{push_owner_ref, Switchboard};
use crate::domain::change::Change;
use crate::domain::pbx_event::ChannelInfo;

impl Switchboard {
    /// After a pairing change of `name`: marks every owner that renders `name` or its
    /// partner.
    pub(super) fn touch(&self, name: &str, out: &mut Vec<Change>) {
        let Some(c) = self.chans.get(name) else {
            return;
        };
        self.touch_chan(c, out);
        if let Some(p) = self.partner(c) {
            self.touch_chan(p, out);
        }
    }

    /// After a change of `name`'s own facts (not its pairing): marks the owners that render
    /// it: its own, its partner's (as before: a two-party call reports both sides), and
    /// those of its dependents.
    pub(super) fn touch_facts(&self, name: &str, out: &mut Vec<Change>) {
        let Some(c) = self.chans.get(name) else {
            return;
        };
        self.touch_chan(c, out);
        if let Some(o) = self.partner(c).and_then(|p| p.owner.as_ref()) {
            push_owner_ref(out, o);
        }
    }

    /// Marks the owner of `c` and the owners of its dependents.
    fn touch_chan(&self, c: &Chan, out: &mut Vec<Change>) {
        if let Some(o) = &c.owner {
            push_owner_ref(out, o);
        }
        let name = c.info.channel.as_str();
        let is_partner = |x: &Chan| self.partner(x).is_some_and(|p| p.info.channel == name);
        if let Some(members) = c.bridge.as_ref().and_then(|b| self.bridges.get(b)) {
            // A member's partner is the last other member (`partner`): `c` is it for every
            // other member when last, else at most for the last one.
            let others: &[String] = match members.last() {
                Some(l) if l == name => members,
                Some(_) => &members[members.len() - 1..],
                None => &[],
            };
            for m in others.iter().filter(|m| *m != name) {
                self.touch_owner_if(m, is_partner, out);
            }
        }
        for x in self.dial_refs.get(name).map(Vec::as_slice).unwrap_or(&[]) {
            self.touch_owner_if(x, is_partner, out);
        }
    }

    /// Marks the owner of channel `x` when it exists and `test` holds for it.
    fn touch_owner_if(&self, x: &str, test: impl Fn(&Chan) -> bool, out: &mut Vec<Change>) {
        if let Some(o) = self
            .chans
            .get(x)
            .filter(|c| test(c))
            .and_then(|c| c.owner.as_ref())
        {
            push_owner_ref(out, o);
        }
    }

    /// After an [`InfoDelta`] of channel `name`: marks the owners that render something
    /// that changed. The dialplan position is rendered only for the `;1` leg of a Local
    /// channel (the queue a `;2` leg came through), and there by the owners rendering the
    /// `;2` leg.
    pub(super) fn touch_delta(&self, name: &str, d: InfoDelta, out: &mut Vec<Change>) {
        if d.rendered {
            self.touch_facts(name, out);
        }
        if d.exten && is_helper(name) {
            if let Some(two) = name.strip_suffix(";1").map(|s| format!("{s};2")) {
                self.touch_facts(&two, out);
            }
        }
    }
}

/// What replacing a channel's facts changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct InfoDelta {
    /// A field the channel's JSON renders (or the channel is new).
    pub(super) rendered: bool,
    /// The dialplan `exten`.
    pub(super) exten: bool,
}

impl InfoDelta {
    /// A channel seen for the first time.
    pub(super) const NEW: InfoDelta = InfoDelta {
        rendered: true,
        exten: true,
    };

    /// The difference between the facts `a` and `b` of one channel.
    pub(super) fn between(a: &ChannelInfo, b: &ChannelInfo) -> Self {
        // Destructured whole: a new field must be sorted into rendered or not here.
        let ChannelInfo {
            channel,
            uniqueid,
            linkedid,
            state,
            caller_num,
            caller_name,
            connected_num,
            connected_name,
            context: _,
            exten,
        } = a;
        InfoDelta {
            rendered: *channel != b.channel
                || *uniqueid != b.uniqueid
                || *linkedid != b.linkedid
                || *state != b.state
                || *caller_num != b.caller_num
                || *caller_name != b.caller_name
                || *connected_num != b.connected_num
                || *connected_name != b.connected_name,
            exten: *exten != b.exten,
        }
    }
}
