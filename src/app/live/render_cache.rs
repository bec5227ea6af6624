//! Each extension's JSON, serialised as the `"<number>":<json>` member of the extension
//! list, per privacy view, reused while the switchboard's [`RenderStamp`] of the extension
//! is unchanged and `now` is inside the second its durations were rendered for.
//!
//! One cache belongs to one switchboard: stamps of different switchboards do not compare.

use crate::domain::switchboard::fast_hash::FastMap;
use crate::domain::switchboard::{PrivacyView, RenderStamp, Switchboard};

/// One rendering, valid for `now` in `[from_ms, until_ms)`.
#[derive(Debug)]
struct Rendered {
    stamp: RenderStamp,
    from_ms: i64,
    until_ms: Option<i64>,
    member: Vec<u8>,
}

impl Rendered {
    fn holds(&self, stamp: RenderStamp, now_ms: i64) -> bool {
        self.stamp == stamp && self.from_ms <= now_ms && self.until_ms.is_none_or(|u| now_ms < u)
    }
}

fn slot(view: PrivacyView) -> usize {
    match view {
        PrivacyView::Clear => 0,
        PrivacyView::NonQueue => 1,
        PrivacyView::All => 2,
    }
}

/// The cached members, by extension and view.
#[derive(Debug, Default)]
pub struct RenderCache {
    by_exten: FastMap<String, [Option<Rendered>; 3]>,
}

/// One extension's list member and how long it holds.
#[derive(Debug, Clone, Copy)]
pub struct Member<'a> {
    /// `"<number>":<json>`, the bytes `serde_json` writes for that map entry.
    pub bytes: &'a [u8],
    /// The first instant it may no longer hold by time alone (`None`: not time-bound).
    pub until_ms: Option<i64>,
}

impl RenderCache {
    /// Extension `e` at `view` as of `now_ms`: the cached member if it still holds, else
    /// a fresh rendering (then cached). `None` for unknown extensions.
    pub fn member(
        &mut self,
        sb: &Switchboard,
        e: &str,
        now_ms: i64,
        view: PrivacyView,
    ) -> Option<Member<'_>> {
        let stamp = sb.render_stamp(e)?;
        if !self.by_exten.contains_key(e) {
            self.by_exten.insert(e.to_owned(), Default::default());
        }
        let entry = &mut self.by_exten.get_mut(e)?[slot(view)];
        if !entry.as_ref().is_some_and(|r| r.holds(stamp, now_ms)) {
            let json = sb.extension_json(e, now_ms, view)?;
            let mut member = serde_json::Value::from(e).to_string().into_bytes();
            member.push(b':');
            member.extend_from_slice(json.to_string().as_bytes());
            *entry = Some(Rendered {
                stamp,
                from_ms: now_ms,
                until_ms: sb.extension_json_until(e, now_ms),
                member,
            });
        }
        entry.as_ref().map(|r| Member {
            bytes: &r.member,
            until_ms: r.until_ms,
        })
    }

    /// Forgets extensions the switchboard no longer has (after a snapshot removed some).
    pub fn retain_known(&mut self, sb: &Switchboard) {
        if self.by_exten.len() > sb.counts().0 {
            self.by_exten.retain(|e, _| sb.is_extension(e));
        }
    }
}
