//! Conversations derived from the channel table (domain.md §3-5, ami.md §6).
//!
//! Pairing: a bridged channel's partner is the last other channel of its bridge; an
//! unbridged channel's partner is the channel that dialed it, else the one it dialed.

use super::channel::{chan_exten, Chan};
use super::privacy::{mask_name, mask_num, PrivacyView};
use super::Switchboard;
use serde_json::{Map, Value};

fn known(n: &str) -> bool {
    !n.is_empty() && n != "<unknown>"
}

/// A conversation's `duration`: whole seconds from `start_ms` to `now_ms`, never negative.
/// A uniqueid without a timestamp gives start 0: no epoch-long durations.
pub fn duration_secs(start_ms: i64, now_ms: i64) -> i64 {
    if start_ms > 0 {
        (now_ms - start_ms).max(0) / 1000
    } else {
        0
    }
}

/// The first instant after `now_ms` at which [`duration_secs`] of `start_ms` changes
/// (`None` without a start: it stays 0).
pub fn next_duration_tick(start_ms: i64, now_ms: i64) -> Option<i64> {
    (start_ms > 0).then(|| {
        let next = (duration_secs(start_ms, now_ms) + 1).saturating_mul(1000);
        start_ms.saturating_add(next)
    })
}

impl Switchboard {
    /// The channel paired with `c` (None if none).
    pub fn partner(&self, c: &Chan) -> Option<&Chan> {
        let name = &c.info.channel;
        if let Some(b) = &c.bridge {
            let members = self.bridges.get(b)?;
            return members
                .iter()
                .rev()
                .find(|m| *m != name)
                .and_then(|m| self.chans.get(m));
        }
        let unbridged = |n: &Option<String>| {
            n.as_ref()
                .and_then(|n| self.chans.get(n))
                .filter(|p| p.bridge.is_none())
        };
        unbridged(&c.dialer).or_else(|| unbridged(&c.dialed))
    }

    fn is_source(&self, c: &Chan, partner: Option<&Chan>) -> bool {
        match partner {
            None => true,
            Some(_) if c.info.state == 4 => true,
            Some(_) if c.info.state == 5 => false,
            Some(p) => (c.uid_seq(), c.seq) < (p.uid_seq(), p.seq),
        }
    }

    fn in_queue_path(&self, c: &Chan, partner: Option<&Chan>) -> Option<String> {
        let from_q = |ch: &Chan| {
            ch.info.channel.contains("from-queue")
                || self
                    .partner(ch)
                    .is_some_and(|p| p.info.channel.contains("from-queue"))
        };
        if let Some(p) = partner {
            if let Some(q) = &p.queue {
                return Some(q.clone());
            }
            if p.info.channel.contains("from-queue") && p.info.channel.contains("Local/") {
                let one = p.info.channel.trim_end_matches(";2").trim_end_matches(";1");
                let one = format!("{one};1");
                if let Some(l1) = self.chans.get(&one) {
                    return Some(l1.info.exten.clone());
                }
            }
        }
        if let Some(q) = &c.queue {
            return Some(q.clone());
        }
        if from_q(c) || partner.is_some_and(from_q) {
            return Some(String::new());
        }
        None
    }

    /// Channel JSON (§3.1) with masking `p`.
    pub fn channel_json(&self, c: &Chan, p: Option<&str>) -> Value {
        let partner = self.partner(c);
        let source = self.is_source(c, partner);
        let mut bnum = c.info.connected_num.clone();
        if bnum == "<unknown>" && c.info.connected_name.chars().all(|x| x.is_ascii_digit()) {
            bnum = c.info.connected_name.clone();
        }
        let mut m = Map::new();
        m.insert("type".into(), if source { "source" } else { "dest" }.into());
        m.insert("channel".into(), c.info.channel.clone().into());
        m.insert("callerNum".into(), mask_num(&c.info.caller_num, p).into());
        m.insert("startTime".into(), c.start_ms().into());
        m.insert(
            "callerName".into(),
            mask_name(&c.info.caller_name, p).into(),
        );
        m.insert("bridgedNum".into(), mask_num(&bnum, p).into());
        m.insert(
            "bridgedName".into(),
            mask_name(&c.info.connected_name, p).into(),
        );
        m.insert("inConference".into(), c.in_conference.into());
        m.insert("channelStatus".into(), c.status().into());
        m.insert(
            "bridgedChannel".into(),
            partner
                .map(|p| p.info.channel.clone())
                .unwrap_or_default()
                .into(),
        );
        Value::Object(m)
    }

    /// Conversation id and (source, dest) channels for an owned channel.
    fn sides<'a>(&'a self, c: &'a Chan) -> (Option<&'a Chan>, Option<&'a Chan>, String) {
        let partner = self.partner(c);
        let (src, dst) = if self.is_source(c, partner) {
            (Some(c), partner)
        } else {
            (partner, Some(c))
        };
        let id = format!(
            "{}>{}",
            src.map(|s| s.info.channel.as_str()).unwrap_or(""),
            dst.map(|s| s.info.channel.as_str()).unwrap_or("")
        );
        (src, dst, id)
    }

    fn is_trunk_chan(&self, name: &str) -> bool {
        let e = chan_exten(name);
        self.ast.trunks.contains_key(e) || self.trunk_by_ctx.contains_key(e)
    }

    /// The earliest instant after `now_ms` at which extension `e`'s JSON may change with
    /// time alone (a conversation's `duration` gains a second); `None` when nothing in it
    /// depends on time. A conversation starts with its own channel or its partner
    /// ([`conversations_json`](Self::conversations_json)): both starts count, so the answer
    /// may come early, never late.
    pub fn extension_json_until(&self, e: &str, now_ms: i64) -> Option<i64> {
        self.channels_of(e)
            .iter()
            .filter_map(|name| self.chans.get(name))
            .flat_map(|c| [Some(c), self.partner(c)])
            .flatten()
            .filter_map(|c| next_duration_tick(c.start_ms(), now_ms))
            .min()
    }

    /// Conversations of an extension, keyed by id (§4).
    pub fn conversations_json(
        &self,
        e: &str,
        now_ms: i64,
        view: PrivacyView,
    ) -> Map<String, Value> {
        let mut out = Map::new();
        for name in self.channels_of(e) {
            let Some(c) = self.chans.get(name) else {
                continue;
            };
            let partner = self.partner(c);
            let (src, dst, id) = self.sides(c);
            let queue = self.in_queue_path(c, partner);
            let through_queue = queue.is_some();
            let p = view.for_call(&self.privacy, through_queue);
            let up = |x: Option<&Chan>| x.is_some_and(|x| x.info.state == 6);
            let in_conf =
                src.is_some_and(|x| x.in_conference) || dst.is_some_and(|x| x.in_conference);
            let connected = (up(src) && up(dst)) || in_conf || c.spy;
            let through_trunk = src.is_some_and(|x| self.is_trunk_chan(&x.info.channel))
                || dst.is_some_and(|x| self.is_trunk_chan(&x.info.channel));
            let (mut cnum, mut cname) =
                (c.info.connected_num.clone(), c.info.connected_name.clone());
            if !known(&cnum) {
                if let Some(pc) = partner {
                    if known(&pc.info.caller_num) {
                        cnum = pc.info.caller_num.clone();
                        cname = pc.info.caller_name.clone();
                    }
                }
            }
            if cnum == "<unknown>" {
                cnum.clear();
            }
            if cname.starts_with("CID:") || cname == "<unknown>" {
                cname.clear();
            }
            let start = if through_queue {
                c.start_ms()
            } else {
                src.or(dst).map(Chan::start_ms).unwrap_or(0)
            };
            let chj = |x: Option<&Chan>| x.map(|x| self.channel_json(x, p)).unwrap_or(Value::Null);
            let mut m = Map::new();
            m.insert("id".into(), id.clone().into());
            m.insert("owner".into(), e.into());
            m.insert("chDest".into(), chj(dst));
            if let Some(q) = queue.filter(|q| !q.is_empty()) {
                m.insert("queueId".into(), q.into());
            }
            m.insert("linkedId".into(), c.info.linkedid.clone().into());
            m.insert("uniqueId".into(), c.info.uniqueid.clone().into());
            m.insert("chSource".into(), chj(src));
            m.insert("duration".into(), duration_secs(start, now_ms).into());
            m.insert("startTime".into(), start.into());
            m.insert("connected".into(), connected.into());
            m.insert(
                "recording".into(),
                self.recording
                    .get(&id)
                    .map(String::as_str)
                    .unwrap_or("false")
                    .into(),
            );
            let out_dir = src.is_some_and(|s| std::ptr::eq(s, c));
            m.insert(
                "direction".into(),
                if out_dir { "out" } else { "in" }.into(),
            );
            m.insert("inConference".into(), in_conf.into());
            m.insert("throughQueue".into(), through_queue.into());
            m.insert("throughTrunk".into(), through_trunk.into());
            m.insert("counterpartNum".into(), mask_num(&cnum, p).into());
            m.insert("counterpartName".into(), mask_name(&cname, p).into());
            out.insert(id, Value::Object(m));
        }
        out
    }

    /// Trunk JSON (§5) with its conversations.
    pub fn trunk_json(&self, t: &str, now_ms: i64, masked: bool) -> Option<Value> {
        let tr = self.trunks.get(t)?;
        let p = masked.then_some(self.privacy.as_str());
        let mut convs = Map::new();
        for name in self.channels_of(t) {
            let Some(c) = self.chans.get(name) else {
                continue;
            };
            let (src, dst, id) = self.sides(c);
            let in_name = |x: &Chan| self.is_trunk_chan(&x.info.channel);
            let dir_out = dst.is_none_or(in_name);
            let mut inum = c.info.connected_num.clone();
            let mut iname = c.info.connected_name.clone();
            if inum == "<unknown>" {
                inum = "...".into();
                iname = "...".into();
            }
            if iname.is_empty() {
                if let Some(n) = self.extens.get(&inum) {
                    iname = n.name.clone();
                }
            }
            let mut ename = c.info.caller_name.clone();
            if ename.starts_with("CID:") {
                ename.clear();
            }
            let through_queue = self.in_queue_path(c, self.partner(c)).is_some();
            let chj = |x: Option<&Chan>| x.map(|x| self.channel_json(x, p)).unwrap_or(Value::Null);
            let start = src.or(dst).map(Chan::start_ms).unwrap_or(0);
            let mut m = Map::new();
            m.insert("id".into(), id.clone().into());
            m.insert("owner".into(), t.into());
            m.insert("chDest".into(), chj(dst));
            m.insert("chSource".into(), chj(src));
            m.insert("duration".into(), duration_secs(start, now_ms).into());
            m.insert(
                "recording".into(),
                self.recording
                    .get(&id)
                    .map(String::as_str)
                    .unwrap_or("false")
                    .into(),
            );
            m.insert(
                "direction".into(),
                if dir_out { "out" } else { "in" }.into(),
            );
            m.insert("internalNum".into(), mask_num(&inum, p).into());
            m.insert("internalName".into(), mask_name(&iname, p).into());
            m.insert("externalNum".into(), mask_num(&c.info.caller_num, p).into());
            m.insert("externalName".into(), mask_name(&ename, p).into());
            m.insert("throughQueue".into(), through_queue.into());
            convs.insert(id, Value::Object(m));
        }
        let mut m = Map::new();
        m.insert("ip".into(), tr.ip.clone().into());
        m.insert("port".into(), tr.port.clone().into());
        m.insert("name".into(), tr.name.clone().into());
        m.insert("exten".into(), tr.exten.clone().into());
        m.insert(
            "codecs".into(),
            Value::Array(tr.codecs.iter().map(|c| c.clone().into()).collect()),
        );
        m.insert("status".into(), tr.status.into());
        m.insert("registration".into(), tr.registration.clone().into());
        m.insert("chanType".into(), tr.chan_type.clone().into());
        m.insert("maxChannels".into(), tr.max_channels.into());
        m.insert("conversations".into(), Value::Object(convs));
        Some(Value::Object(m))
    }

    /// All trunks.
    pub fn trunks_json(&self, now_ms: i64, masked: bool) -> Value {
        Value::Object(
            self.trunks
                .keys()
                .filter_map(|t| Some((t.clone(), self.trunk_json(t, now_ms, masked)?)))
                .collect(),
        )
    }

    /// Conversation of an extension by id, with its source and dest channels.
    pub fn conversation_channels(
        &self,
        e: &str,
        conv_id: &str,
    ) -> Option<(Option<&Chan>, Option<&Chan>)> {
        self.channels_of(e).iter().find_map(|n| {
            let c = self.chans.get(n)?;
            let (s, d, id) = self.sides(c);
            (id == conv_id).then_some((s, d))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_tick_on_the_start_instant_of_each_second() {
        let start = 1_700_000_000_500;
        assert_eq!(duration_secs(start, start - 5_000), 0);
        assert_eq!(
            next_duration_tick(start, start - 5_000),
            Some(start + 1_000)
        );
        assert_eq!(duration_secs(start, start + 999), 0);
        assert_eq!(next_duration_tick(start, start + 999), Some(start + 1_000));
        assert_eq!(duration_secs(start, start + 1_000), 1);
        assert_eq!(
            next_duration_tick(start, start + 1_000),
            Some(start + 2_000)
        );
        assert_eq!(duration_secs(0, start), 0);
        assert_eq!(next_duration_tick(0, start), None);
    }
}
