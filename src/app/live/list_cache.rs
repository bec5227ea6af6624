//! The `GET /astproxy/extensions` body, built from the per-extension [`RenderCache`] and
//! kept whole per [`ListPrivacy`] while the switchboard's generation is unchanged and no
//! conversation duration ticks: such a request then costs a lookup, and its gzip form
//! (made once per body) is shared too.

use super::http_view::view_of;
use super::render_cache::RenderCache;
use crate::adapters::http::{JsonBody, ListPrivacy};
use crate::domain::switchboard::Switchboard;
use std::sync::Arc;

/// Whole bodies kept at once (distinct viewers within one generation: one for everyone
/// without privacy, one per privacy level and set of own extensions).
const MAX_BODIES: usize = 16;

/// One whole body, valid for `now` in `[from_ms, until_ms)` at `generation`.
#[derive(Debug)]
struct Built {
    viewer: ListPrivacy,
    generation: u64,
    from_ms: i64,
    until_ms: Option<i64>,
    body: Arc<JsonBody>,
}

impl Built {
    fn holds(&self, generation: u64, now_ms: i64) -> bool {
        self.generation == generation
            && self.from_ms <= now_ms
            && self.until_ms.is_none_or(|u| now_ms < u)
    }
}

/// The extension list cache of one switchboard.
#[derive(Debug, Default)]
pub struct ExtensionListCache {
    members: RenderCache,
    bodies: Vec<Built>,
    /// Size of the last body built (the next one's starting capacity).
    last_len: usize,
}

impl ExtensionListCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// The list as `viewer` sees it at `now_ms`: `{"<number>":<json>,...}` in extension
    /// order, byte for byte what serialising `extension_json` of each would give.
    pub fn body(&mut self, sb: &Switchboard, now_ms: i64, viewer: &ListPrivacy) -> Arc<JsonBody> {
        let generation = sb.generation();
        if let Some(b) = self
            .bodies
            .iter()
            .find(|b| b.viewer == *viewer && b.holds(generation, now_ms))
        {
            return b.body.clone();
        }
        let mut buf = Vec::with_capacity(self.last_len);
        buf.push(b'{');
        let mut until_ms: Option<i64> = None;
        for e in sb.extension_ids() {
            let view = view_of(viewer.level_of(e));
            let Some(m) = self.members.member(sb, e, now_ms, view) else {
                continue;
            };
            if buf.len() > 1 {
                buf.push(b',');
            }
            buf.extend_from_slice(m.bytes);
            until_ms = match (until_ms, m.until_ms) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        buf.push(b'}');
        self.last_len = buf.len();
        self.members.retain_known(sb);
        let body = Arc::new(JsonBody::new(buf));
        self.bodies.retain(|b| b.holds(generation, now_ms));
        if self.bodies.len() >= MAX_BODIES {
            self.bodies.remove(0);
        }
        self.bodies.push(Built {
            viewer: viewer.clone(),
            generation,
            from_ms: now_ms,
            until_ms,
            body: body.clone(),
        });
        body
    }
}
