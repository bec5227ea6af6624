//! The presence model (rest-index.md §4.3–4.5, websocket.md §5.1, domain.md §10): user
//! presence derived from the main extension's DND/forward state, the main presence from
//! extension statuses, the list of choosable presences, and the AstDB writes that apply a
//! new presence (as NethVoice stores DND/CF: `DND/<ext>=YES`, `CF/<ext>=<num>|vmu<box>`).

use super::permissions::Permissions;
use crate::domain::directory::User;

/// DND and forward state of one extension (the live model's `dnd`/`cf*` fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Forwarding {
    /// DND on.
    pub dnd: bool,
    /// Unconditional forward target (`""` off).
    pub cf: String,
    /// Unconditional forward-to-voicemail box.
    pub cf_vm: String,
    /// Forward-on-busy target.
    pub cfb: String,
    /// Forward-on-busy voicemail box.
    pub cfb_vm: String,
    /// Forward-on-unavailable target.
    pub cfu: String,
    /// Forward-on-unavailable voicemail box.
    pub cfu_vm: String,
}

/// A user presence value with its forward target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceValue {
    /// `online`, `dnd`, `voicemail`, `cellphone` or `callforward`.
    pub status: &'static str,
    /// Target for `callforward`.
    pub to: Option<String>,
}

impl PresenceValue {
    fn plain(status: &'static str) -> Self {
        Self { status, to: None }
    }

    /// The REST JSON: `{"status"}` or `{"status":"callforward","to"}`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("status".into(), self.status.into());
        if let Some(to) = &self.to {
            m.insert("to".into(), to.clone().into());
        }
        serde_json::Value::Object(m)
    }
}

fn forward_value(user: &User, target: &str, vm: &str) -> PresenceValue {
    if !target.is_empty() {
        if user.cellphones.first().is_some_and(|c| c == target) {
            PresenceValue::plain("cellphone")
        } else {
            PresenceValue {
                status: "callforward",
                to: Some(target.to_owned()),
            }
        }
    } else if !vm.is_empty() {
        PresenceValue::plain("voicemail")
    } else {
        PresenceValue::plain("online")
    }
}

/// The user presence from the main extension's state.
pub fn presence_of(user: &User, main: &Forwarding) -> PresenceValue {
    if main.dnd {
        PresenceValue::plain("dnd")
    } else {
        forward_value(user, &main.cf, &main.cf_vm)
    }
}

/// The on-busy presence.
pub fn presence_on_busy(user: &User, main: &Forwarding) -> PresenceValue {
    forward_value(user, &main.cfb, &main.cfb_vm)
}

/// The on-unavailable presence.
pub fn presence_on_unavailable(user: &User, main: &Forwarding) -> PresenceValue {
    forward_value(user, &main.cfu, &main.cfu_vm)
}

/// The main presence: a dnd/voicemail/cellphone/callforward presence wins; otherwise the
/// aggregate of the extension statuses (busy, busy_ringing, onhold → busy; ringing; online;
/// else offline).
pub fn main_presence<'a>(
    presence: &PresenceValue,
    statuses: impl IntoIterator<Item = &'a str>,
) -> PresenceValue {
    if presence.status != "online" {
        return presence.clone();
    }
    let all: Vec<&str> = statuses.into_iter().collect();
    let any = |s: &str| all.contains(&s);
    let status = if any("busy") || any("busy_ringing") {
        "busy"
    } else if any("ringing") {
        "ringing"
    } else if any("onhold") {
        "busy"
    } else if any("online") {
        "online"
    } else {
        "offline"
    };
    PresenceValue::plain(status)
}

/// Presences the user may choose (`GET /user/presencelist`).
pub fn presence_list(user: &User, perms: &Permissions<'_>) -> Vec<&'static str> {
    let mut l = vec!["online"];
    if perms.dnd() {
        l.push("dnd");
    }
    if perms.cf() {
        l.push("callforward");
        if !user.cellphones.is_empty() {
            l.push("cellphone");
        }
        if !user.voicemails.is_empty() {
            l.push("voicemail");
        }
    }
    l
}

/// Which forward family a presence change writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PresenceKind {
    /// `/user/presence`: DND + `CF`, plus the Asterisk presence of the main extension.
    Main,
    /// `/user/presence_onbusy`: `CFB`.
    OnBusy,
    /// `/user/presence_onunavailable`: `CFU`.
    OnUnavailable,
}

/// Why a presence change is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PresenceError {
    /// Unknown status for this kind.
    #[error("invalid presence status")]
    InvalidStatus,
    /// `callforward` without a usable `to`.
    #[error("callforward requires `to`")]
    MissingTo,
    /// Missing `dnd` / `cf` permission.
    #[error("permission denied")]
    Forbidden,
    /// `cellphone` without a cellphone endpoint.
    #[error("user has no cellphone endpoint")]
    NoCellphone,
    /// `voicemail` without a voicemail endpoint.
    #[error("user has no voicemail endpoint")]
    NoVoicemail,
    /// The user has no extension to apply it to.
    #[error("user has no extension")]
    NoExtension,
}

/// One AstDB write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AstDbWrite {
    /// `DBPut family/key = value`.
    Put {
        /// Family.
        family: &'static str,
        /// Key (extension).
        key: String,
        /// Value.
        value: String,
    },
    /// `DBDel family/key` (absent keys are fine).
    Del {
        /// Family.
        family: &'static str,
        /// Key (extension).
        key: String,
    },
}

/// The plan for a presence change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresencePlan {
    /// AstDB writes, in order.
    pub writes: Vec<AstDbWrite>,
    /// CLI commands for the Asterisk presence of the main extension (Main kind only).
    pub commands: Vec<String>,
    /// The new forwarding of every touched extension.
    pub forwarding: Forwarding,
    /// Extensions touched.
    pub extensions: Vec<String>,
}

fn valid_target(to: &str) -> bool {
    !to.is_empty()
        && to.len() <= 64
        && to.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '*' | '#' | '@' | '.' | '-' | '_')
        })
}

/// Plans a presence change for every extension of the user (devices + main, de-duplicated).
/// Unlike the original, `callforward` also needs the `cf` permission (quirk 1 fixed), and
/// `to` is restricted to dialable characters so it cannot inject into AstDB or the CLI.
///
/// # Errors
/// [`PresenceError`] for a bad status/target, a missing permission or endpoint.
pub fn plan_presence(
    kind: PresenceKind,
    status: &str,
    to: Option<&str>,
    user: &User,
    perms: &Permissions<'_>,
    current: &Forwarding,
) -> Result<PresencePlan, PresenceError> {
    let allowed: &[&str] = match kind {
        PresenceKind::Main => &["online", "dnd", "callforward", "cellphone", "voicemail"],
        _ => &["online", "callforward", "cellphone", "voicemail"],
    };
    if !allowed.contains(&status) {
        return Err(PresenceError::InvalidStatus);
    }
    let target = match status {
        "callforward" => {
            let t = to.map(str::trim).unwrap_or_default();
            if !valid_target(t) {
                return Err(PresenceError::MissingTo);
            }
            Some(t.to_owned())
        }
        "cellphone" => Some(
            user.cellphones
                .first()
                .ok_or(PresenceError::NoCellphone)?
                .clone(),
        ),
        _ => None,
    };
    let vm = match status {
        "voicemail" => Some(
            user.voicemails
                .first()
                .ok_or(PresenceError::NoVoicemail)?
                .clone(),
        ),
        _ => None,
    };
    let permitted = match status {
        "online" => true,
        "dnd" => perms.dnd(),
        _ => perms.cf(),
    };
    if !permitted {
        return Err(PresenceError::Forbidden);
    }
    let mut extensions: Vec<String> = Vec::new();
    for e in user
        .devices
        .iter()
        .map(|d| d.id.as_str())
        .chain(user.main_extensions.iter().map(String::as_str))
    {
        if !extensions.iter().any(|x| x == e) {
            extensions.push(e.to_owned());
        }
    }
    if extensions.is_empty() {
        return Err(PresenceError::NoExtension);
    }
    let family = match kind {
        PresenceKind::Main => "CF",
        PresenceKind::OnBusy => "CFB",
        PresenceKind::OnUnavailable => "CFU",
    };
    let value = target
        .clone()
        .or_else(|| vm.as_ref().map(|b| format!("vmu{b}")));
    let mut writes = Vec::new();
    for e in &extensions {
        if kind == PresenceKind::Main {
            if status == "dnd" {
                writes.push(AstDbWrite::Del {
                    family: "CF",
                    key: e.clone(),
                });
                writes.push(AstDbWrite::Put {
                    family: "DND",
                    key: e.clone(),
                    value: "YES".into(),
                });
                continue;
            }
            writes.push(AstDbWrite::Del {
                family: "DND",
                key: e.clone(),
            });
        }
        match &value {
            Some(v) => writes.push(AstDbWrite::Put {
                family,
                key: e.clone(),
                value: v.clone(),
            }),
            None => writes.push(AstDbWrite::Del {
                family,
                key: e.clone(),
            }),
        }
    }
    let mut fwd = current.clone();
    let tgt = target.unwrap_or_default();
    let box_ = vm.unwrap_or_default();
    match kind {
        PresenceKind::Main => {
            fwd.dnd = status == "dnd";
            fwd.cf = tgt;
            fwd.cf_vm = box_;
        }
        PresenceKind::OnBusy => {
            fwd.cfb = tgt;
            fwd.cfb_vm = box_;
        }
        PresenceKind::OnUnavailable => {
            fwd.cfu = tgt;
            fwd.cfu_vm = box_;
        }
    }
    let mut commands = Vec::new();
    if let (PresenceKind::Main, Some(main)) = (kind, user.main_extension()) {
        let state = match status {
            "online" => "AVAILABLE",
            "dnd" => "DND",
            "callforward" => "AWAY,NUMBER",
            "cellphone" => "AWAY,CELLPHONE",
            _ => "XA,VOICEMAIL",
        };
        commands.push(format!(
            "presencestate change CustomPresence:{main} {state}"
        ));
        match status {
            "dnd" => commands.push(format!("devstate change Custom:DND{main} BUSY")),
            "online" => commands.push(format!("devstate change Custom:DND{main} NOT_INUSE")),
            _ => {}
        }
    }
    Ok(PresencePlan {
        writes,
        commands,
        forwarding: fwd,
        extensions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{Profiles, Users};
    use serde_json::json;

    fn fixture() -> (Users, Profiles) {
        let users = Users::from_json(&json!({"alice": {"name": "A", "profile_id": "1", "endpoints": {
            "mainextension": {"201": {}}, "extension": {"91201": {"type": "physical"}, "201": {"type": "webrtc"}},
            "cellphone": {"333": {}}, "voicemail": {"201": {}}}}}))
        .expect("users");
        let profiles =
            Profiles::from_json(&json!({"1": {"id": "1", "name": "P", "macro_permissions": {
            "settings": {"value": true, "permissions": [
                {"id": "2", "name": "dnd", "value": true},
                {"id": "3", "name": "call_forward", "value": true}]}}}}))
            .expect("profiles");
        (users, profiles)
    }

    #[test]
    fn derives_presence_from_main_extension() {
        let (u, _) = fixture();
        let a = u.get("alice").expect("alice");
        let mut f = Forwarding::default();
        assert_eq!(presence_of(a, &f).status, "online");
        f.cf = "333".into();
        assert_eq!(presence_of(a, &f).status, "cellphone");
        f.cf = "0721".into();
        assert_eq!(
            presence_of(a, &f).to_json(),
            json!({"status": "callforward", "to": "0721"})
        );
        f.dnd = true;
        assert_eq!(presence_of(a, &f).status, "dnd");
        f.cfb_vm = "201".into();
        assert_eq!(presence_on_busy(a, &f).status, "voicemail");
        assert_eq!(presence_on_unavailable(a, &f).status, "online");
    }

    #[test]
    fn main_presence_aggregates_statuses() {
        let online = PresenceValue::plain("online");
        assert_eq!(
            main_presence(&online, ["online", "ringing"]).status,
            "ringing"
        );
        assert_eq!(
            main_presence(&online, ["onhold", "ringing"]).status,
            "ringing"
        );
        assert_eq!(main_presence(&online, ["onhold", "online"]).status, "busy");
        assert_eq!(main_presence(&online, ["busy_ringing"]).status, "busy");
        assert_eq!(main_presence(&online, ["offline"]).status, "offline");
        assert_eq!(main_presence(&online, []).status, "offline");
        assert_eq!(
            main_presence(&PresenceValue::plain("dnd"), ["busy"]).status,
            "dnd"
        );
    }

    #[test]
    fn presence_list_follows_permissions_and_endpoints() {
        let (u, p) = fixture();
        let a = u.get("alice").expect("alice");
        let perms = Permissions::of("alice", &u, &p);
        assert_eq!(
            presence_list(a, &perms),
            ["online", "dnd", "callforward", "cellphone", "voicemail"]
        );
        assert_eq!(
            presence_list(a, &Permissions::from_profile(None)),
            ["online"]
        );
    }

    #[test]
    fn plans_dnd_for_every_extension_once() {
        let (u, p) = fixture();
        let a = u.get("alice").expect("alice");
        let perms = Permissions::of("alice", &u, &p);
        let plan = plan_presence(
            PresenceKind::Main,
            "dnd",
            None,
            a,
            &perms,
            &Forwarding::default(),
        )
        .expect("plan");
        assert_eq!(plan.extensions, ["91201", "201"]);
        assert_eq!(plan.writes.len(), 4);
        assert_eq!(
            plan.writes[1],
            AstDbWrite::Put {
                family: "DND",
                key: "91201".into(),
                value: "YES".into()
            }
        );
        assert_eq!(
            plan.commands,
            [
                "presencestate change CustomPresence:201 DND",
                "devstate change Custom:DND201 BUSY"
            ]
        );
        assert!(plan.forwarding.dnd);
    }

    #[test]
    fn plans_voicemail_on_busy_and_rejects_bad_input() {
        let (u, p) = fixture();
        let a = u.get("alice").expect("alice");
        let perms = Permissions::of("alice", &u, &p);
        let f = Forwarding::default();
        let plan =
            plan_presence(PresenceKind::OnBusy, "voicemail", None, a, &perms, &f).expect("ok");
        assert_eq!(
            plan.writes[0],
            AstDbWrite::Put {
                family: "CFB",
                key: "91201".into(),
                value: "vmu201".into()
            }
        );
        assert!(plan.commands.is_empty());
        assert_eq!(
            plan_presence(PresenceKind::OnBusy, "dnd", None, a, &perms, &f),
            Err(PresenceError::InvalidStatus)
        );
        assert_eq!(
            plan_presence(PresenceKind::Main, "callforward", None, a, &perms, &f),
            Err(PresenceError::MissingTo)
        );
        assert_eq!(
            plan_presence(
                PresenceKind::Main,
                "callforward",
                Some("1\r\nAction: x"),
                a,
                &perms,
                &f
            ),
            Err(PresenceError::MissingTo)
        );
        let none = Permissions::from_profile(None);
        assert_eq!(
            plan_presence(PresenceKind::Main, "dnd", None, a, &none, &f),
            Err(PresenceError::Forbidden)
        );
        assert!(plan_presence(PresenceKind::Main, "online", None, a, &none, &f).is_ok());
    }
}
