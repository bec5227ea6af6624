//! The read port the REST reads use to see the live switchboard model. The live model is
//! built elsewhere; the integrator implements this trait over it. JSON is produced by the
//! model (it owns the entity shapes of domain.md); this side only picks the privacy level
//! per viewer and filters by permission.

use super::json_body::JsonBody;
use super::list_privacy::ListPrivacy;
use crate::domain::policy::{Forwarding, Privacy};
use serde_json::{Map, Value};
use std::sync::Arc;

/// What the reads need to know about one extension besides its JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtenState {
    /// Status string (`online`, `busy`, ... see domain.md §2.2).
    pub status: String,
    /// SIP User-Agent (`""` when unknown).
    pub user_agent: String,
    /// DND and forward state.
    pub forwarding: Forwarding,
}

/// Read access to the live model.
pub trait SwitchboardView: Send + Sync {
    /// Every tracked extension number.
    fn extension_ids(&self) -> Vec<String>;
    /// One extension's JSON with `privacy` applied; `None` if unknown.
    fn extension_json(&self, exten: &str, privacy: &Privacy) -> Option<Value>;
    /// The `GET /astproxy/extensions` body: every extension's JSON keyed by number, in
    /// [`extension_ids`](Self::extension_ids) order, each with the privacy `viewer` gives
    /// it. The default renders it through [`extension_json`](Self::extension_json); a
    /// view may answer from a cache, with the same bytes.
    fn extensions_body(&self, viewer: &ListPrivacy) -> Arc<JsonBody> {
        let mut out = Map::new();
        for e in self.extension_ids() {
            if let Some(v) = self.extension_json(&e, &viewer.privacy_of(&e)) {
                out.insert(e, v);
            }
        }
        Arc::new(JsonBody::from_value(&Value::Object(out)))
    }
    /// One extension's state; `None` if unknown.
    fn extension_state(&self, exten: &str) -> Option<ExtenState>;
    /// Every queue's JSON (all ids, `ctiopqueue*` included) with `privacy` applied.
    fn queues_json(&self, privacy: &Privacy) -> Map<String, Value>;
    /// Every trunk's JSON with `privacy` applied.
    fn trunks_json(&self, privacy: &Privacy) -> Map<String, Value>;
    /// Every parking's JSON with `privacy` applied.
    fn parkings_json(&self, privacy: &Privacy) -> Map<String, Value>;
    /// Told after a presence change was written to AstDB (which raises no AMI event), so
    /// the model can show the new DND/forward state at once.
    fn record_forwarding(&self, exten: &str, forwarding: &Forwarding);
}
