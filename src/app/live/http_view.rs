//! The REST reads' view of the live model ([`SwitchboardView`] over the shared switchboard):
//! JSON rendered by the model with the viewer's privacy level.

use super::list_cache::ExtensionListCache;
use super::model::LiveModel;
use super::publisher::forwarding_of;
use crate::adapters::http::switchboard_view::{ExtenState, SwitchboardView};
use crate::adapters::http::{JsonBody, ListPrivacy};
use crate::domain::operations::Effect;
use crate::domain::policy::{Forwarding, Privacy, PrivacyLevel};
use crate::domain::switchboard::{PrivacyView, Switchboard};
use crate::ports::clock::Clock;
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex, PoisonError};

/// [`SwitchboardView`] over the [`LiveModel`].
pub struct LiveHttpView {
    model: Arc<LiveModel>,
    clock: Arc<dyn Clock>,
    lists: Mutex<ExtensionListCache>,
}

impl LiveHttpView {
    /// A view of `model`, timing durations with `clock`.
    pub fn new(model: Arc<LiveModel>, clock: Arc<dyn Clock>) -> Self {
        Self {
            model,
            clock,
            lists: Mutex::new(ExtensionListCache::new()),
        }
    }

    fn read<T>(&self, f: impl FnOnce(&Switchboard, i64) -> T) -> T {
        let now = self.clock.now_ms();
        self.model.read(|sb| f(sb, now))
    }
}

/// The switchboard's rendering variant for a privacy level.
pub(super) fn view_of(level: PrivacyLevel) -> PrivacyView {
    match level {
        PrivacyLevel::Clear => PrivacyView::Clear,
        PrivacyLevel::OutsideQueues => PrivacyView::NonQueue,
        PrivacyLevel::All => PrivacyView::All,
    }
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// The AstDB writes that turn a forwarding state into the model's DND/CF fields.
fn forwarding_effects(exten: &str, f: &Forwarding) -> Vec<Effect> {
    let value = |target: &str, vm: &str| {
        if !target.is_empty() {
            Some(target.to_owned())
        } else if !vm.is_empty() {
            Some(format!("vmu{vm}"))
        } else {
            None
        }
    };
    let db = |family: &str, value: Option<String>| Effect::Db {
        family: family.to_owned(),
        key: exten.to_owned(),
        value,
    };
    vec![
        db("DND", f.dnd.then(|| "YES".to_owned())),
        db("CF", value(&f.cf, &f.cf_vm)),
        db("CFB", value(&f.cfb, &f.cfb_vm)),
        db("CFU", value(&f.cfu, &f.cfu_vm)),
    ]
}

impl SwitchboardView for LiveHttpView {
    fn extension_ids(&self) -> Vec<String> {
        self.read(|sb, _| sb.extension_ids().map(str::to_owned).collect())
    }

    fn extension_json(&self, exten: &str, privacy: &Privacy) -> Option<Value> {
        self.read(|sb, now| sb.extension_json(exten, now, view_of(privacy.level)))
    }

    fn extensions_body(&self, viewer: &ListPrivacy) -> Arc<JsonBody> {
        self.read(|sb, now| {
            self.lists
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .body(sb, now, viewer)
        })
    }

    fn extension_state(&self, exten: &str) -> Option<ExtenState> {
        self.read(|sb, _| {
            let e = sb.extension(exten)?;
            let user_agent = e
                .contacts
                .values()
                .map(|c| c.user_agent.clone())
                .find(|ua| !ua.is_empty())
                .unwrap_or_default();
            Some(ExtenState {
                status: e.status.to_owned(),
                user_agent,
                forwarding: forwarding_of(sb, exten),
            })
        })
    }

    fn queues_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let masked = privacy.level != PrivacyLevel::Clear;
        self.read(|sb, now| object(sb.queues_json(now, masked)))
    }

    fn trunks_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let masked = privacy.level != PrivacyLevel::Clear;
        self.read(|sb, now| object(sb.trunks_json(now, masked)))
    }

    fn parkings_json(&self, privacy: &Privacy) -> Map<String, Value> {
        let masked = privacy.level != PrivacyLevel::Clear;
        self.read(|sb, now| object(sb.parkings_json(now, masked)))
    }

    fn record_forwarding(&self, exten: &str, forwarding: &Forwarding) {
        let current = self.read(|sb, _| forwarding_of(sb, exten));
        if &current == forwarding {
            return;
        }
        for effect in forwarding_effects(exten, forwarding) {
            self.model.apply_effect(&effect);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarding_to_voicemail_is_written_with_the_vmu_prefix() {
        let f = Forwarding {
            dnd: true,
            cf_vm: "201".into(),
            cfb: "333".into(),
            ..Forwarding::default()
        };
        let values: Vec<Option<String>> = forwarding_effects("201", &f)
            .into_iter()
            .map(|e| match e {
                Effect::Db { value, .. } => value,
                other => panic!("unexpected effect {other:?}"),
            })
            .collect();
        assert_eq!(
            values,
            vec![
                Some("YES".to_owned()),
                Some("vmu201".to_owned()),
                Some("333".to_owned()),
                None
            ]
        );
    }
}
