//! The configuration adapter against the shipped fixture set (exact values) and against
//! broken copies of it (exact one-line errors).

use nethcti_server::adapters::config::{self, AuthBackend, ClickToCall, Config};
use nethcti_server::adapters::logging::LogLevel;
use nethcti_server::domain::directory::DeviceType;
use secrecy::ExposeSecret;
use std::path::{Path, PathBuf};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config")
}

fn fixture() -> Config {
    config::load(&fixture_dir()).expect("fixture set loads")
}

/// A temporary copy of the fixture set.
fn copy_of_fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(fixture_dir()).expect("fixture dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
    }
    tmp
}

/// Loads a copy of the fixture set after `edit`, returning the error line with the
/// temporary directory shown as `<dir>`.
fn error_after(edit: impl FnOnce(&Path)) -> String {
    let tmp = copy_of_fixture();
    edit(tmp.path());
    let Err(err) = config::load(tmp.path()) else {
        panic!("broken set must not load");
    };
    let line = err.to_string();
    assert!(!line.contains('\n'), "one line: {line}");
    line.replace(&tmp.path().display().to_string(), "<dir>")
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

/// Rewrites one JSON file through a closure on its value.
fn patch(dir: &Path, name: &str, f: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join(name);
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    f(&mut v);
    std::fs::write(&path, serde_json::to_string_pretty(&v).expect("ser")).expect("write");
}

#[test]
fn fixture_asterisk_json() {
    let c = fixture();
    let a = &c.asterisk;
    assert_eq!(a.user, "cti");
    assert_eq!(a.pass.expose_secret(), "ctisecret");
    assert_eq!((a.host.as_str(), a.port), ("127.0.0.1", 5038));
    assert_eq!(a.prefix, "");
    assert_eq!(a.auto_c2c, "automatic");
    assert_eq!(a.click_to_call, ClickToCall::Automatic);
    assert!(a.trunks_events);
    assert!(!a.qm_alarms_notifications);
    assert_eq!(a.null_call_period, None);
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let c = fixture();
    let dump = format!("{c:?}");
    assert!(dump.contains("127.0.0.1"), "the dump is real");
    for secret in [
        "ctisecret",
        "sip201phys",
        "sip201webrtc",
        "phone201",
        "camPw",
    ] {
        assert!(!dump.contains(secret), "{secret} leaked in Debug output");
    }
}

#[test]
fn fixture_authentication_json() {
    let c = fixture();
    let a = &c.authentication;
    assert!(a.enabled);
    assert_eq!(
        a.backend,
        AuthBackend::File(fixture_dir().join("passwords.json"))
    );
    assert_eq!(a.expiration_timeout, Some(3600));
    assert!(!a.unauthe_call.enabled);
    assert_eq!(a.unauthe_call.allowed_ip, vec!["127.0.0.1"]);
}

#[test]
fn fixture_passwords_are_argon2id_hashes_of_the_usernames() {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let text = std::fs::read_to_string(fixture_dir().join("passwords.json")).expect("read");
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&text).expect("json");
    let c = fixture();
    let users: Vec<&str> = c.users.iter().map(|u| u.username.as_str()).collect();
    let mut names: Vec<&str> = map.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(names, users, "one hash per user");
    let argon = argon2::Argon2::default();
    for (user, hash) in &map {
        let hash = PasswordHash::new(hash.as_str().expect("string")).expect("PHC string");
        assert_eq!(hash.algorithm.as_str(), "argon2id");
        assert!(
            argon.verify_password(user.as_bytes(), &hash).is_ok(),
            "{user}'s password is {user}"
        );
        assert!(argon.verify_password(b"wrong", &hash).is_err());
    }
}

#[test]
fn fixture_nethcti_and_services_json() {
    let c = fixture();
    let n = &c.nethcti;
    assert_eq!(
        n.logfile,
        Some(PathBuf::from("/var/log/asterisk/nethcti.log"))
    );
    assert_eq!(n.loglevel, LogLevel::Warn);
    assert_eq!(n.hostname, "pbx.example.com");
    assert_eq!(n.domain(), Some("example.com"));
    assert_eq!(n.publichost, "voice.example.com");
    assert_eq!(n.privacy_numbers, "xxx");
    assert_eq!(n.proxy_port, None);
    let s = &c.services;
    assert_eq!(
        (s.http_port, s.ws_port, s.tcp_port),
        (8179, 8181, Some(8182))
    );
    let tls = s.tls.as_ref().expect("tls");
    assert_eq!(tls.port, 8183);
    assert_eq!(tls.cert, "/etc/asterisk/keys/NethServer.crt");
    assert!(!tls.secure_options);
}

#[test]
fn fixture_users_json() {
    let c = fixture();
    assert_eq!(c.users.len(), 20);
    let mains: Vec<String> = c
        .users
        .iter()
        .filter_map(|u| u.main_extension().map(str::to_owned))
        .collect();
    let mut sorted = mains.clone();
    sorted.sort();
    let expected: Vec<String> = (201..=220).map(|n| n.to_string()).collect();
    assert_eq!(sorted, expected);

    let alice = c.users.get("alice").expect("alice");
    assert_eq!(alice.name, "Alice Rossi");
    assert_eq!(alice.profile_id.as_deref(), Some("1"));
    assert_eq!(alice.main_extension(), Some("201"));
    let devices: Vec<(&str, DeviceType)> = alice
        .devices
        .iter()
        .map(|d| (d.id.as_str(), d.kind))
        .collect();
    assert_eq!(
        devices,
        vec![
            ("91201", DeviceType::Physical),
            ("92201", DeviceType::Webrtc),
            ("93201", DeviceType::Mobile)
        ]
    );
    assert_eq!(alice.devices[0].mac, "00-15-65-aa-02-01");
    assert_eq!(alice.devices[0].web_user, "admin");
    assert_eq!(alice.devices[1].sip_password, "sip201webrtc");
    assert_eq!(alice.cellphones, vec!["3331234501"]);
    assert_eq!(alice.voicemails, vec!["201"]);
    assert_eq!(alice.emails, vec!["alice@example.com"]);
    assert_eq!(alice.jabbers, vec!["alice@example.com"]);

    let bob = c.users.get("bob").expect("bob");
    assert_eq!(
        (bob.name.as_str(), bob.profile_id.as_deref()),
        ("Bob Bianchi", Some("2"))
    );
    assert_eq!(c.users.owner_of("92202"), Some("bob"));
    assert_eq!(c.users.name_of_extension("220"), Some("Zoe Rinaldi"));
    let zoe = c.users.get("zoe").expect("zoe");
    assert!(zoe.devices.is_empty());
    assert_eq!(zoe.profile_id.as_deref(), Some("3"));
}

const MACROS: [&str; 11] = [
    "settings",
    "phonebook",
    "cdr",
    "customer_card",
    "presence_panel",
    "queue_agent",
    "streaming",
    "off_hour",
    "qmanager",
    "operator_panel",
    "remote_sites",
];

#[test]
fn fixture_profiles_json() {
    let c = fixture();
    let names: Vec<(&str, &str)> = c
        .profiles
        .iter()
        .map(|p| (p.id.as_str(), p.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![("1", "Admin"), ("2", "Operator"), ("3", "Basic")]
    );
    for p in c.profiles.iter() {
        let macros: Vec<&str> = p.macros.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(macros, MACROS, "profile {}", p.id);
    }
    let admin = c.profiles.get("1").expect("admin");
    for (name, m) in &admin.macros {
        assert!(m.value, "admin macro {name} on");
        for p in &m.permissions {
            assert_eq!(p.value, p.name != "privacy", "admin {name}.{}", p.name);
        }
    }
    let op = c.profiles.get("2").expect("operator");
    assert!(op.allows("presence_panel", "pickup"));
    assert!(op.allows("presence_panel", "transfer"));
    assert!(!op.allows("presence_panel", "spy"));
    assert!(!op.allows("queue_agent", "ad_queue_agent"));
    assert!(op.allows("queue_agent", "lost_queue_call"));
    assert!(!op.macro_on("operator_panel"));
    let basic = c.profiles.get("3").expect("basic");
    assert!(basic.allows("settings", "dnd"));
    assert!(basic.allows("settings", "privacy"));
    assert!(!basic.macro_on("queue_agent"));
    assert!(!basic.allows("presence_panel", "pickup"));
}

#[test]
fn fixture_ast_objects_json() {
    let c = fixture();
    let o = &c.ast_objects;
    let trunk = &o.trunks["trunk"];
    assert_eq!(
        (
            trunk.tech.as_str(),
            trunk.name.as_str(),
            trunk.usercontext.as_str(),
            trunk.max_channels
        ),
        ("pjsip", "Carrier", "from-trunk", 4)
    );
    assert_eq!(o.queues.len(), 2);
    assert_eq!(o.queues["401"].name, "Support");
    assert_eq!(o.queues["401"].dynmembers, vec!["202", "203", "204"]);
    assert_eq!(o.queues["401"].sla, Some(60));
    assert_eq!(o.queues["402"].name, "Sales");
    assert_eq!(o.queues["402"].dynmembers, vec!["205", "206", "207", "208"]);
    assert_eq!(o.confbridge_code(), Some("*88"));
    assert_eq!(o.feature_codes["pickup"], "*8");
    assert_eq!(o.transfer_context, "internal");
}

#[test]
fn fixture_small_files() {
    let c = fixture();
    let patterns: Vec<&str> = c
        .phone_urls
        .rules
        .iter()
        .map(|r| r.pattern.as_str())
        .collect();
    assert_eq!(patterns, vec!["^snom.*", "^yealink.*", "^fanvil.*"]);
    let rule = c
        .phone_urls
        .for_user_agent("Yealink SIP-T46S 66.86.0.15")
        .expect("yealink matches case-insensitively");
    assert_eq!(
        rule.urls["answer"],
        "http://$PHONE_USER:$PHONE_PASS@$PHONE_IP/servlet?key=OK"
    );
    assert!(c.phone_urls.for_user_agent("baresip").is_none());

    assert_eq!(
        c.operator.members("Support team"),
        Some(&["alice", "bob", "carol", "dave"].map(String::from)[..])
    );
    assert_eq!(
        c.operator.members("Management"),
        Some(&["alice", "walter"].map(String::from)[..])
    );
    assert_eq!(c.recallonbusy.status("alice"), "enabled");
    assert_eq!(c.recallonbusy.status("zoe"), "disabled");
    assert_eq!(c.recallonbusy.status("nobody"), "disabled");
    let gate = &c.streaming.sources[0];
    assert_eq!(
        (
            gate.id.as_str(),
            gate.exten.as_str(),
            gate.open.as_str(),
            gate.frame_rate_ms
        ),
        ("vs_gate1", "601", "0*", 1000)
    );
    assert_eq!(c.streaming.sources.len(), 2);
    assert_eq!(c.chat.url, "https://pbx.example.com/http-bind");
    assert_eq!(c.chat.domain, "example.com");
}

#[test]
fn fixture_set_is_consistent() {
    assert_eq!(fixture().warnings(), Vec::<String>::new());
}

#[test]
fn warnings_name_dangling_references() {
    let tmp = copy_of_fixture();
    patch(tmp.path(), "users.json", |v| {
        v["zoe"]["profile_id"] = "9".into()
    });
    patch(tmp.path(), "operator.json", |v| {
        v["groups"]["Sales team"] = serde_json::json!(["erin", "ghost"]);
    });
    let c = config::load(tmp.path()).expect("still loads");
    assert_eq!(
        c.warnings(),
        vec![
            "users.json: user \"zoe\" has unknown profile_id \"9\"",
            "operator.json: group \"Sales team\" member \"ghost\" is not a user",
        ]
    );
}

#[test]
fn optional_files_default_when_missing_and_unknown_keys_are_ignored() {
    let tmp = copy_of_fixture();
    for f in [
        "phone_urls.json",
        "operator.json",
        "recallonbusy.json",
        "streaming.json",
        "chat.json",
    ] {
        std::fs::remove_file(tmp.path().join(f)).expect("rm");
    }
    patch(tmp.path(), "asterisk.json", |v| {
        v["something_new"] = 42.into()
    });
    let c = config::load(tmp.path()).expect("loads without optional files");
    assert!(c.phone_urls.rules.is_empty());
    assert!(c.operator.groups.is_empty());
    assert_eq!(c.recallonbusy.status("alice"), "disabled");
    assert!(c.streaming.sources.is_empty());
    assert_eq!((c.chat.url.as_str(), c.chat.domain.as_str()), ("", ""));
    assert_eq!(c.asterisk.user, "cti");
}

#[test]
fn missing_required_files_are_named() {
    for f in [
        "asterisk.json",
        "authentication.json",
        "nethcti.json",
        "services.json",
        "users.json",
        "profiles.json",
        "ast_objects.json",
    ] {
        let line = error_after(|d| std::fs::remove_file(d.join(f)).expect("rm"));
        assert_eq!(line, format!("<dir>/{f}: required file is missing"));
    }
}

#[test]
fn a_missing_directory_is_named() {
    let err = config::load(Path::new("/nonexistent/nethcti")).expect_err("no dir");
    assert_eq!(
        err.to_string(),
        "/nonexistent/nethcti: configuration directory not found"
    );
}

#[test]
fn bad_json_and_unreadable_files() {
    assert_eq!(
        error_after(|d| write(d, "users.json", "{ \"alice\": ")),
        "<dir>/users.json: invalid JSON: EOF while parsing a value at line 1 column 11"
    );
    assert_eq!(
        error_after(|d| write(d, "profiles.json", "{\"1\": {},}")),
        "<dir>/profiles.json: invalid JSON: trailing comma at line 1 column 10"
    );
    assert_eq!(
        error_after(|d| std::fs::write(d.join("chat.json"), b"{\"url\": \"\xff\"}").expect("w")),
        "<dir>/chat.json: cannot read file: not valid UTF-8"
    );
    assert_eq!(
        error_after(|d| {
            std::fs::remove_file(d.join("nethcti.json")).expect("rm");
            std::fs::create_dir(d.join("nethcti.json")).expect("mkdir");
        }),
        "<dir>/nethcti.json: cannot read file: Is a directory (os error 21)"
    );
}

#[test]
fn asterisk_json_fields_must_be_strings() {
    assert_eq!(
        error_after(|d| patch(d, "asterisk.json", |v| v["port"] = 5038.into())),
        "<dir>/asterisk.json: field \"port\": expected a string, found a number"
    );
    assert_eq!(
        error_after(|d| patch(d, "asterisk.json", |v| v["pass"] = true.into())),
        "<dir>/asterisk.json: field \"pass\": expected a string, found a boolean"
    );
    assert_eq!(
        error_after(|d| patch(d, "asterisk.json", |v| v["prefix"] = 0.into())),
        "<dir>/asterisk.json: field \"prefix\": expected a string, found a number"
    );
    assert_eq!(
        error_after(|d| patch(d, "asterisk.json", |v| {
            v.as_object_mut().expect("obj").remove("user");
        })),
        "<dir>/asterisk.json: field \"user\": required field is missing"
    );
    assert_eq!(
        error_after(|d| patch(d, "asterisk.json", |v| v["port"] = "70000".into())),
        "<dir>/asterisk.json: field \"port\": expected a port number 1-65535, found \"70000\""
    );
    assert_eq!(
        error_after(|d| write(d, "asterisk.json", "[]")),
        "<dir>/asterisk.json: field \"(top level)\": expected an object, found an array"
    );
}

#[test]
fn bad_values_in_other_files_name_the_field() {
    type Edit = Box<dyn Fn(&mut serde_json::Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "authentication.json",
            Box::new(|v| v["enabled"] = "maybe".into()),
            "<dir>/authentication.json: field \"enabled\": expected true or false, found \"maybe\"",
        ),
        (
            "authentication.json",
            Box::new(|v| {
                v.as_object_mut().expect("obj").remove("enabled");
            }),
            "<dir>/authentication.json: field \"enabled\": required field is missing",
        ),
        (
            "authentication.json",
            Box::new(|v| v["type"] = "ldap".into()),
            "<dir>/authentication.json: field \"type\": unknown type \"ldap\" (expected \"pam\" or \"file\")",
        ),
        (
            "authentication.json",
            Box::new(|v| v["expiration_timeout"] = "soon".into()),
            "<dir>/authentication.json: field \"expiration_timeout\": expected a non-negative integer, found \"soon\"",
        ),
        (
            "authentication.json",
            Box::new(|v| v["unauthe_call"]["status"] = "on".into()),
            "<dir>/authentication.json: field \"unauthe_call.status\": expected \"enabled\" or \"disabled\", found \"on\"",
        ),
        (
            "nethcti.json",
            Box::new(|v| v["loglevel"] = "loud".into()),
            "<dir>/nethcti.json: field \"loglevel\": unknown log level \"loud\" (expected one of: error, warn, info, verbose, debug, silly)",
        ),
        (
            "services.json",
            Box::new(|v| v["websocket"]["http_port"] = "99999".into()),
            "<dir>/services.json: field \"websocket.http_port\": expected a port number 1-65535, found \"99999\"",
        ),
        (
            "services.json",
            Box::new(|v| {
                v.as_object_mut().expect("obj").remove("http_proxy");
            }),
            "<dir>/services.json: field \"http_proxy.http_port\": required field is missing",
        ),
        (
            "users.json",
            Box::new(|v| v["bob"] = 3.into()),
            "<dir>/users.json: field \"bob\": expected an object",
        ),
        (
            "profiles.json",
            Box::new(|v| *v = serde_json::json!([])),
            "<dir>/profiles.json: field \"(top level)\": expected an object of profiles",
        ),
        (
            "ast_objects.json",
            Box::new(|v| {
                v.as_object_mut().expect("obj").remove("queues");
            }),
            "<dir>/ast_objects.json: field \"queues\": required field is missing",
        ),
        (
            "ast_objects.json",
            Box::new(|v| v["trunks"] = serde_json::json!([])),
            "<dir>/ast_objects.json: field \"trunks\": expected an object, found an array",
        ),
        (
            "phone_urls.json",
            Box::new(|v| v["^(snom"] = serde_json::json!({"urls": {}})),
            "<dir>/phone_urls.json: field \"^(snom\": invalid regular expression: error: unclosed group",
        ),
        (
            "phone_urls.json",
            Box::new(|v| v["^snom.*"]["urls"]["call"] = 1.into()),
            "<dir>/phone_urls.json: field \"^snom.*.urls.call\": expected a string, found a number",
        ),
        (
            "operator.json",
            Box::new(|v| v["groups"]["Sales team"] = 5.into()),
            "<dir>/operator.json: field \"groups.Sales team\": expected an array or a string, found a number",
        ),
        (
            "recallonbusy.json",
            Box::new(|v| v["alice"]["recallonbusy"] = "sometimes".into()),
            "<dir>/recallonbusy.json: field \"alice.recallonbusy\": expected true or false, found \"sometimes\"",
        ),
        (
            "streaming.json",
            Box::new(|v| v["vs_gate1"]["frame-rate"] = "fast".into()),
            "<dir>/streaming.json: field \"vs_gate1.frame-rate\": expected a non-negative integer, found \"fast\"",
        ),
        (
            "streaming.json",
            Box::new(|v| v["vs_door2"] = "x".into()),
            "<dir>/streaming.json: field \"vs_door2\": expected an object, found a string",
        ),
        (
            "chat.json",
            Box::new(|v| v["domain"] = serde_json::json!({})),
            "<dir>/chat.json: field \"domain\": expected a string, found an object",
        ),
    ];
    for (file, edit, expected) in cases {
        assert_eq!(error_after(|d| patch(d, file, edit)), expected);
    }
}

#[test]
fn file_backend_needs_its_password_file() {
    assert_eq!(
        error_after(|d| std::fs::remove_file(d.join("passwords.json")).expect("rm")),
        "<dir>/authentication.json: field \"file.path\": password file <dir>/passwords.json not found"
    );
    let tmp = copy_of_fixture();
    patch(tmp.path(), "authentication.json", |v| {
        v["type"] = "pam".into()
    });
    std::fs::remove_file(tmp.path().join("passwords.json")).expect("rm");
    let c = config::load(tmp.path()).expect("pam needs no password file");
    assert_eq!(
        c.authentication.backend,
        AuthBackend::Pam {
            service: "system-auth".into()
        }
    );
    patch(tmp.path(), "authentication.json", |v| {
        v["pam"] = serde_json::json!({"service": "nethcti"})
    });
    let c = config::load(tmp.path()).expect("pam.service");
    assert_eq!(
        c.authentication.backend,
        AuthBackend::Pam {
            service: "nethcti".into()
        }
    );
    let line = error_after(|d| {
        patch(d, "authentication.json", |v| {
            v["type"] = "pam".into();
            v["pam"] = serde_json::json!({"service": "../shadow"});
        })
    });
    assert_eq!(
        line,
        "<dir>/authentication.json: field \"pam.service\": bad PAM service name \"../shadow\""
    );
}

#[test]
fn the_first_broken_file_in_load_order_is_reported() {
    let line = error_after(|d| {
        write(d, "users.json", "nope");
        patch(d, "asterisk.json", |v| v["host"] = 1.into());
    });
    assert_eq!(
        line,
        "<dir>/asterisk.json: field \"host\": expected a string, found a number"
    );
}
