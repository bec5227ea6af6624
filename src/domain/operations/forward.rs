//! DND, call forwards and recall-on-busy: `dnd`, `cfcall`, `cfvm`, `recall_on_busy`.

use super::error::OperationError;
use super::plan::{Effect, Plan};
use super::transfer::destination;
use super::Ctx;
use crate::ports::pbx::PbxCommand;

/// Which forward (`type` field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardType {
    /// `unconditional` → AstDB family `CF`.
    Unconditional,
    /// `busy` → `CFB`.
    Busy,
    /// `unavailable` → `CFU`.
    Unavailable,
}

impl ForwardType {
    /// Parses the `type` field.
    ///
    /// # Errors
    /// `BadRequest` on `type`.
    pub fn parse(s: &str) -> Result<Self, OperationError> {
        match s {
            "unconditional" => Ok(Self::Unconditional),
            "busy" => Ok(Self::Busy),
            "unavailable" => Ok(Self::Unavailable),
            _ => Err(OperationError::bad(
                "type",
                "must be unconditional, busy or unavailable",
            )),
        }
    }

    /// The AstDB family.
    pub fn family(self) -> &'static str {
        match self {
            Self::Unconditional => "CF",
            Self::Busy => "CFB",
            Self::Unavailable => "CFU",
        }
    }
}

fn db_set(family: &str, key: &str, value: Option<String>) -> Plan {
    let command = match &value {
        Some(v) => PbxCommand::DbPut {
            family: family.to_owned(),
            key: key.to_owned(),
            value: v.clone(),
        },
        None => PbxCommand::DbDel {
            family: family.to_owned(),
            key: key.to_owned(),
        },
    };
    Plan::one(command).with_effect(Effect::Db {
        family: family.to_owned(),
        key: key.to_owned(),
        value,
    })
}

/// `dnd`: `DBPut DND/<ext>=YES` (on) or `DBDel DND/<ext>` (off).
///
/// # Errors
/// `Forbidden` unless `dnd` and owner; `UnknownExtension`.
pub fn decide_dnd(ctx: &Ctx<'_>, ext: &str, on: bool) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.dnd && ctx.caller.owns(ext))?;
    if ctx.view.extension(ext).is_none() {
        return Err(OperationError::UnknownExtension(ext.to_owned()));
    }
    Ok(db_set("DND", ext, on.then(|| "YES".to_owned())))
}

/// `cfcall` (`voicemail: false`, `to` = number) and `cfvm` (`voicemail: true`, `to` =
/// voicemail box, stored as `vmu<box>`). `to` is required when on. Fixed: the original
/// always answered 403; the rule is now `call_forward` and owner.
///
/// # Errors
/// `Forbidden`; `BadRequest` on `to`; `UnknownExtension`.
pub fn decide_forward(
    ctx: &Ctx<'_>,
    ext: &str,
    kind: ForwardType,
    to: Option<&str>,
    voicemail: bool,
) -> Result<Plan, OperationError> {
    OperationError::require(ctx.caller.grants.call_forward && ctx.caller.owns(ext))?;
    if ctx.view.extension(ext).is_none() {
        return Err(OperationError::UnknownExtension(ext.to_owned()));
    }
    let value = match to {
        None => None,
        Some(t) => {
            let t = destination("to", t)?;
            Some(if voicemail { format!("vmu{t}") } else { t })
        }
    };
    Ok(db_set(kind.family(), ext, value))
}

/// First step of `recall_on_busy`: `DBGet ROB/<called>`.
///
/// # Errors
/// `Forbidden` unless owns(caller) and the user's `recallOnBusy` setting is enabled;
/// `BadRequest` on `called`.
pub fn decide_rob_lookup(
    ctx: &Ctx<'_>,
    caller: &str,
    called: &str,
) -> Result<PbxCommand, OperationError> {
    OperationError::require(ctx.caller.owns(caller) && ctx.caller.recall_on_busy)?;
    let called = destination("called", called)?;
    Ok(PbxCommand::DbGet {
        family: "ROB".to_owned(),
        key: called,
    })
}

/// Second step of `recall_on_busy`: appends `caller` to the `&`-separated waiting list
/// (once) and returns the `DBPut` plan with the new list length.
pub fn decide_rob_update(caller: &str, called: &str, current: Option<&str>) -> (Plan, usize) {
    let mut list: Vec<String> = current
        .unwrap_or_default()
        .split('&')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if !list.iter().any(|e| e == caller) {
        list.push(caller.to_owned());
    }
    let n = list.len();
    (db_set("ROB", called, Some(list.join("&"))), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rob_list_appends_once() {
        let (plan, n) = decide_rob_update("203", "202", Some("201&203"));
        assert_eq!(n, 2);
        assert_eq!(
            plan.commands,
            vec![PbxCommand::DbPut {
                family: "ROB".into(),
                key: "202".into(),
                value: "201&203".into()
            }]
        );
        let (plan, n) = decide_rob_update("203", "202", None);
        assert_eq!(n, 1);
        assert_eq!(
            plan.commands,
            vec![PbxCommand::DbPut {
                family: "ROB".into(),
                key: "202".into(),
                value: "203".into()
            }]
        );
    }
}
