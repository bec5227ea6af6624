//! The user JSON of `GET /user/me` and `GET /user/endpoints/all` (rest-index.md §4.2,
//! §4.4): key order as the original, every scalar the mobile clients read is a string.

use crate::domain::directory::{DeviceType, Profile, User};
use serde_json::{json, Map, Value};

/// What a physical phone's HTTP API supports (from phone_urls.json matching its UA).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PhoneCaps {
    /// The UA matches a phone_urls.json pattern.
    pub answer: bool,
    /// The matching entry has a `dtmf` URL.
    pub dtmf: bool,
    /// The matching entry has a `hold_unhold` URL.
    pub hold: bool,
}

/// Live and configured facts the user JSON needs besides users.json.
pub struct UserJsonContext<'a> {
    /// chat.json `url` (jabber `server`), `""` if none.
    pub chat_url: &'a str,
    /// nethcti.json `proxy_port` for mobile extensions.
    pub proxy_port: Option<u64>,
    /// SIP User-Agent of an extension, when known.
    pub user_agent: &'a dyn Fn(&str) -> Option<String>,
    /// Phone capabilities for a User-Agent.
    pub phone_caps: &'a dyn Fn(&str) -> PhoneCaps,
}

/// The presence strings of a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceStrings {
    /// `mainPresence`.
    pub main: String,
    /// `presence`.
    pub presence: String,
    /// `presenceOnBusy`.
    pub on_busy: String,
    /// `presenceOnUnavailable`.
    pub on_unavailable: String,
    /// `recallOnBusy` (`enabled`/`disabled`).
    pub recall_on_busy: String,
}

fn ids(list: &[String]) -> Value {
    Value::Array(list.iter().map(|id| json!({ "id": id })).collect())
}

/// Extension objects; `full` adds `actions`/`proxy_port` (`/user/me`); `blank_secret`
/// replaces secrets with `""` and adds it to every object (other users in `endpoints/all`).
fn extensions(user: &User, ctx: &UserJsonContext<'_>, full: bool, blank_secret: bool) -> Value {
    let mut out = Vec::new();
    for d in &user.devices {
        let ua = (ctx.user_agent)(&d.id).unwrap_or_default();
        let mut m = Map::new();
        m.insert("id".into(), d.id.clone().into());
        m.insert("type".into(), d.kind.as_str().into());
        if d.kind != DeviceType::Physical {
            let secret = if blank_secret {
                String::new()
            } else {
                d.sip_password.clone()
            };
            m.insert("secret".into(), secret.into());
            m.insert("username".into(), d.sip_user.clone().into());
        }
        m.insert("description".into(), ua.clone().into());
        if blank_secret {
            m.insert("secret".into(), "".into());
        }
        if full {
            let caps = if d.kind == DeviceType::Physical {
                (ctx.phone_caps)(&ua)
            } else {
                PhoneCaps {
                    answer: true,
                    dtmf: true,
                    hold: true,
                }
            };
            m.insert(
                "actions".into(),
                json!({"answer": caps.answer, "dtmf": caps.dtmf, "hold": caps.hold}),
            );
            match (d.kind, ctx.proxy_port) {
                (DeviceType::Mobile, Some(p)) => {
                    m.insert("proxy_port".into(), p.into());
                }
                (DeviceType::Mobile, None) => {}
                _ => {
                    m.insert("proxy_port".into(), Value::Null);
                }
            }
        }
        out.push(Value::Object(m));
    }
    Value::Array(out)
}

fn endpoints(user: &User, ctx: &UserJsonContext<'_>, full: bool, blank_secret: bool) -> Value {
    let jabber: Vec<Value> = user
        .jabbers
        .iter()
        .map(|j| json!({"id": j, "server": ctx.chat_url}))
        .collect();
    let main: Vec<Value> = user
        .main_extensions
        .iter()
        .map(|e| json!({"id": e, "description": (ctx.user_agent)(e).unwrap_or_default()}))
        .collect();
    json!({
        "email": ids(&user.emails),
        "jabber": jabber,
        "extension": extensions(user, ctx, full, blank_secret),
        "cellphone": ids(&user.cellphones),
        "voicemail": ids(&user.voicemails),
        "mainextension": main,
    })
}

fn head(user: &User, p: &PresenceStrings) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("name".into(), user.name.clone().into());
    m.insert("username".into(), user.username.clone().into());
    m.insert("mainPresence".into(), p.main.clone().into());
    m.insert("presence".into(), p.presence.clone().into());
    m.insert("presenceOnBusy".into(), p.on_busy.clone().into());
    m.insert(
        "presenceOnUnavailable".into(),
        p.on_unavailable.clone().into(),
    );
    m.insert("recallOnBusy".into(), p.recall_on_busy.clone().into());
    m
}

/// The profile as `/user/me` shows it (auth.md §12.3): permission arrays become objects
/// keyed by name (by id for `customer_card` or unnamed entries); `remote_sites` removed.
pub fn profile_json(profile: &Profile) -> Value {
    let mut raw = profile.raw.clone();
    if let Some(macros) = raw
        .get_mut("macro_permissions")
        .and_then(Value::as_object_mut)
    {
        macros.shift_remove("remote_sites");
        for (name, mac) in macros.iter_mut() {
            let Some(perms) = mac.get("permissions").and_then(Value::as_array) else {
                continue;
            };
            let mut obj = Map::new();
            for p in perms {
                let by_name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .filter(|_| name != "customer_card");
                let key = by_name.map(str::to_owned).or_else(|| {
                    p.get("id")
                        .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                });
                if let Some(k) = key {
                    obj.insert(k, p.clone());
                }
            }
            if let Some(m) = mac.as_object_mut() {
                m.insert("permissions".into(), Value::Object(obj));
            }
        }
    }
    raw
}

/// The `GET /user/me` body. `default_extension` is the user setting (else the main
/// extension); `settings` is the user's settings object; `lkhash` optional.
pub fn me_json(
    user: &User,
    profile: &Profile,
    presence: &PresenceStrings,
    ctx: &UserJsonContext<'_>,
    settings: &Map<String, Value>,
    lkhash: Option<&str>,
) -> Value {
    let mut m = head(user, presence);
    let eps = endpoints(user, ctx, true, false);
    m.insert("endpoints".into(), eps.clone());
    m.insert("profile".into(), profile_json(profile));
    let default_id = settings
        .get("default_extension")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| user.main_extension().map(str::to_owned));
    let list = eps
        .get("extension")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let found = default_id.as_deref().and_then(|id| {
        list.iter()
            .find(|e| e.get("id").and_then(Value::as_str) == Some(id))
            .or_else(|| {
                // the main extension is usually not a device: the original then picks the
                // first device (rest-index.md quirk 3)
                (Some(id) == user.main_extension())
                    .then(|| list.first())
                    .flatten()
            })
    });
    if let Some(dev) = found {
        m.insert("default_device".into(), dev.clone());
    }
    m.insert("settings".into(), Value::Object(settings.clone()));
    if let Some(h) = lkhash {
        m.insert("lkhash".into(), h.into());
    }
    Value::Object(m)
}

/// One entry of `GET /user/endpoints/all`; `is_caller` keeps the SIP secrets.
pub fn endpoints_entry(
    user: &User,
    presence: &PresenceStrings,
    ctx: &UserJsonContext<'_>,
    is_caller: bool,
) -> Value {
    let mut m = head(user, presence);
    m.insert("endpoints".into(), endpoints(user, ctx, false, !is_caller));
    Value::Object(m)
}

/// `hex(sha256(systemid + ":" + secret))`.
pub fn lkhash(system_id: &str, secret: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(
        format!("{system_id}:{secret}").as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::directory::{Profiles, Users};

    fn fixture() -> (Users, Profiles) {
        let users = Users::from_json(
            &json!({"alice": {"name": "Alice", "profile_id": "3", "endpoints": {
            "mainextension": {"201": {}},
            "extension": {
                "91201": {"type": "physical", "user": "91201", "password": "p1"},
                "92201": {"type": "webrtc", "user": "92201", "password": "p2"},
                "93201": {"type": "mobile", "user": "93201", "password": "p3"}},
            "jabber": {"alice@example.com": {}}}}}),
        )
        .expect("users");
        let profiles = Profiles::from_json(&json!({"3": {"id": "3", "name": "Adv", "macro_permissions": {
            "settings": {"value": true, "permissions": [{"id": "2", "name": "dnd", "value": true}]},
            "customer_card": {"value": true, "permissions": [{"id": "17", "name": "identity", "value": true}]},
            "remote_sites": {"value": false, "permissions": []}}}}))
        .expect("profiles");
        (users, profiles)
    }

    fn presence() -> PresenceStrings {
        PresenceStrings {
            main: "online".into(),
            presence: "online".into(),
            on_busy: "online".into(),
            on_unavailable: "online".into(),
            recall_on_busy: "disabled".into(),
        }
    }

    #[test]
    fn me_has_exact_shape() {
        let (u, p) = fixture();
        let ua = |e: &str| (e == "91201").then(|| "Yealink T46".to_owned());
        let caps = |ua: &str| PhoneCaps {
            answer: ua.contains("Yealink"),
            dtmf: false,
            hold: true,
        };
        let ctx = UserJsonContext {
            chat_url: "https://c",
            proxy_port: Some(6061),
            user_agent: &ua,
            phone_caps: &caps,
        };
        let me = me_json(
            u.get("alice").expect("a"),
            p.get("3").expect("p"),
            &presence(),
            &ctx,
            &Map::new(),
            Some(&lkhash("SYSID", "SECRET")),
        );
        let phys = json!({"id": "91201", "type": "physical", "description": "Yealink T46",
            "actions": {"answer": true, "dtmf": false, "hold": true}, "proxy_port": null});
        let expected = json!({
            "name": "Alice", "username": "alice", "mainPresence": "online", "presence": "online",
            "presenceOnBusy": "online", "presenceOnUnavailable": "online", "recallOnBusy": "disabled",
            "endpoints": {
                "email": [], "jabber": [{"id": "alice@example.com", "server": "https://c"}],
                "extension": [
                    phys.clone(),
                    {"id": "92201", "type": "webrtc", "secret": "p2", "username": "92201", "description": "",
                     "actions": {"answer": true, "dtmf": true, "hold": true}, "proxy_port": null},
                    {"id": "93201", "type": "mobile", "secret": "p3", "username": "93201", "description": "",
                     "actions": {"answer": true, "dtmf": true, "hold": true}, "proxy_port": 6061}],
                "cellphone": [], "voicemail": [], "mainextension": [{"id": "201", "description": ""}]},
            "profile": {"id": "3", "name": "Adv", "macro_permissions": {
                "settings": {"value": true, "permissions": {"dnd": {"id": "2", "name": "dnd", "value": true}}},
                "customer_card": {"value": true, "permissions": {"17": {"id": "17", "name": "identity", "value": true}}}}},
            "default_device": phys,
            "settings": {},
            "lkhash": "44ecf0aec78760406f87c0b5ec039dc7c0579962578b5cd8ca86ef6a99ac2427"
        });
        assert_eq!(me, expected);
        assert_eq!(
            serde_json::to_string(&me).ok(),
            serde_json::to_string(&expected).ok()
        );
    }

    #[test]
    fn endpoints_entry_blanks_other_users_secrets() {
        let (u, _) = fixture();
        let none = |_: &str| None;
        let caps = |_: &str| PhoneCaps::default();
        let ctx = UserJsonContext {
            chat_url: "",
            proxy_port: None,
            user_agent: &none,
            phone_caps: &caps,
        };
        let e = endpoints_entry(u.get("alice").expect("a"), &presence(), &ctx, false);
        assert_eq!(
            e["endpoints"]["extension"],
            json!([
                {"id": "91201", "type": "physical", "description": "", "secret": ""},
                {"id": "92201", "type": "webrtc", "secret": "", "username": "92201", "description": ""},
                {"id": "93201", "type": "mobile", "secret": "", "username": "93201", "description": ""}])
        );
        let own = endpoints_entry(u.get("alice").expect("a"), &presence(), &ctx, true);
        assert_eq!(own["endpoints"]["extension"][1]["secret"], "p2");
        assert_eq!(own.get("profile"), None);
    }
}
