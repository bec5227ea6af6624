//! An in-memory [`SwitchboardView`] for tests and the demo: holds JSON per entity and
//! masks the number/name fields named in domain.md when privacy applies.

use super::switchboard_view::{ExtenState, SwitchboardView};
use crate::domain::policy::privacy::{obfuscate_name, obfuscate_number};
use crate::domain::policy::{Forwarding, Privacy, PrivacyLevel};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

#[derive(Default)]
struct Inner {
    extensions: BTreeMap<String, (Value, ExtenState)>,
    queues: Map<String, Value>,
    trunks: Map<String, Value>,
    parkings: Map<String, Value>,
}

/// The in-memory model.
#[derive(Default)]
pub struct MemorySwitchboard {
    inner: Mutex<Inner>,
}

fn mask_fields(v: &mut Value, numbers: &[&str], names: &[&str], mask: &str) {
    if let Some(m) = v.as_object_mut() {
        for k in numbers {
            if let Some(Value::String(s)) = m.get_mut(*k) {
                *s = obfuscate_number(s, mask);
            }
        }
        for k in names {
            if let Some(Value::String(s)) = m.get_mut(*k) {
                *s = obfuscate_name(s, mask);
            }
        }
    }
}

fn mask_children(v: &mut Value, key: &str, numbers: &[&str], names: &[&str], mask: &str) {
    if let Some(Value::Object(children)) = v.get_mut(key) {
        for c in children.values_mut() {
            mask_fields(c, numbers, names, mask);
        }
    }
}

impl MemorySwitchboard {
    /// An empty model.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Sets an extension's JSON and state.
    pub fn set_extension(&self, exten: &str, json: Value, state: ExtenState) {
        self.lock()
            .extensions
            .insert(exten.to_owned(), (json, state));
    }

    /// Sets a queue's JSON.
    pub fn set_queue(&self, id: &str, json: Value) {
        self.lock().queues.insert(id.to_owned(), json);
    }

    /// Sets a trunk's JSON.
    pub fn set_trunk(&self, id: &str, json: Value) {
        self.lock().trunks.insert(id.to_owned(), json);
    }

    /// Sets a parking's JSON.
    pub fn set_parking(&self, id: &str, json: Value) {
        self.lock().parkings.insert(id.to_owned(), json);
    }
}

impl SwitchboardView for MemorySwitchboard {
    fn extension_ids(&self) -> Vec<String> {
        self.lock().extensions.keys().cloned().collect()
    }

    fn extension_json(&self, exten: &str, privacy: &Privacy) -> Option<Value> {
        let mut v = self.lock().extensions.get(exten)?.0.clone();
        if privacy.level != PrivacyLevel::Clear {
            mask_fields(&mut v, &["cf", "cfb", "cfu"], &[], &privacy.mask);
            if let Some(Value::Object(convs)) = v.get_mut("conversations") {
                for c in convs.values_mut() {
                    let through_queue =
                        c.get("throughQueue").and_then(Value::as_bool) == Some(true);
                    if privacy.level == PrivacyLevel::All || !through_queue {
                        mask_fields(c, &["counterpartNum"], &["counterpartName"], &privacy.mask);
                    }
                }
            }
        }
        Some(v)
    }

    fn extension_state(&self, exten: &str) -> Option<ExtenState> {
        self.lock().extensions.get(exten).map(|(_, s)| s.clone())
    }

    fn queues_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let mut q = self.lock().queues.clone();
        if privacy.level != PrivacyLevel::Clear {
            for v in q.values_mut() {
                mask_children(v, "waitingCallers", &["num"], &["name"], &privacy.mask);
            }
        }
        q
    }

    fn trunks_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let mut t = self.lock().trunks.clone();
        if privacy.level != PrivacyLevel::Clear {
            for v in t.values_mut() {
                mask_children(
                    v,
                    "conversations",
                    &["internalNum", "externalNum"],
                    &["internalName", "externalName"],
                    &privacy.mask,
                );
            }
        }
        t
    }

    fn parkings_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let mut p = self.lock().parkings.clone();
        if privacy.level != PrivacyLevel::Clear {
            for v in p.values_mut() {
                if let Some(pc) = v.get_mut("parkedCaller") {
                    mask_fields(
                        pc,
                        &["num", "parkeeNum"],
                        &["name", "parkeeName"],
                        &privacy.mask,
                    );
                }
            }
        }
        p
    }

    fn record_forwarding(&self, exten: &str, forwarding: &Forwarding) {
        if let Some((json, state)) = self.lock().extensions.get_mut(exten) {
            state.forwarding = forwarding.clone();
            if let Some(m) = json.as_object_mut() {
                m.insert("dnd".into(), forwarding.dnd.into());
                m.insert("cf".into(), forwarding.cf.clone().into());
                m.insert("cfVm".into(), forwarding.cf_vm.clone().into());
                m.insert("cfb".into(), forwarding.cfb.clone().into());
                m.insert("cfbVm".into(), forwarding.cfb_vm.clone().into());
                m.insert("cfu".into(), forwarding.cfu.clone().into());
                m.insert("cfuVm".into(), forwarding.cfu_vm.clone().into());
            }
        }
    }
}
