//! Applies operation [`Effect`]s to the live [`Switchboard`] (for the integrator's
//! [`OperationsHooks`](crate::app::operations::OperationsHooks) implementation): recording
//! marks, DND and forwards written to AstDB (the PBX sends no event for these).

use super::plan::Effect;
use super::view::Recording;
use crate::domain::change::Change;
use crate::domain::pbx_event::{ForwardKind, PbxEvent};
use crate::domain::switchboard::Switchboard;

/// Applies one effect and returns the model changes to broadcast.
pub fn apply_effect(sb: &mut Switchboard, effect: &Effect, now_ms: i64) -> Vec<Change> {
    match effect {
        Effect::Recording { convid, state } => {
            let s = match state {
                Recording::Off => None,
                Recording::On => Some("true"),
                Recording::Muted => Some("mute"),
            };
            sb.set_recording(convid, s)
        }
        Effect::Db { family, key, value } => {
            let kind = match family.as_str() {
                "DND" => {
                    let ev = PbxEvent::Dnd {
                        exten: key.clone(),
                        enabled: value.is_some(),
                    };
                    return sb.apply(ev, now_ms);
                }
                "CF" => ForwardKind::Cf,
                "CFB" => ForwardKind::Cfb,
                "CFU" => ForwardKind::Cfu,
                _ => return Vec::new(),
            };
            let ev = PbxEvent::Forward {
                kind,
                exten: key.clone(),
                value: value.clone(),
            };
            sb.apply(ev, now_ms)
        }
        Effect::Muted { .. } => Vec::new(),
    }
}
