//! Read routes: exact JSON for the fixture config, permission denials, privacy per viewer.

use crate::helpers::*;
use nethcti_server::adapters::http::ExtenState;
use nethcti_server::ports::pbx::{PbxCommand, PbxReply};
use serde_json::{json, Value};

async fn body(resp: reqwest::Response) -> Value {
    assert_eq!(resp.status(), 200);
    resp.json().await.expect("json")
}

#[tokio::test]
async fn user_me_returns_the_exact_json() {
    let app = spawn_app().await;
    let auth = app.login("alice", ALICE_PW).await;
    let text = app.get("/user/me", &auth).await.text().await.expect("text");
    let phys = json!({"id": "91201", "type": "physical", "description": "Yealink SIP-T46S 66.86.0.15",
        "actions": {"answer": true, "dtmf": true, "hold": true}, "proxy_port": null});
    let expected = json!({
        "name": "Alice Rossi", "username": "alice", "mainPresence": "ringing", "presence": "online",
        "presenceOnBusy": "online", "presenceOnUnavailable": "online", "recallOnBusy": "disabled",
        "endpoints": {
            "email": [{"id": "alice@example.com"}],
            "jabber": [{"id": "alice@example.com", "server": "https://pbx.example.com/http-bind"}],
            "extension": [phys.clone(),
                {"id": "92201", "type": "webrtc", "secret": "sipSecret2", "username": "92201", "description": "",
                 "actions": {"answer": true, "dtmf": true, "hold": true}, "proxy_port": null}],
            "cellphone": [{"id": "3331234567"}],
            "voicemail": [{"id": "201"}],
            "mainextension": [{"id": "201", "description": ""}]},
        "profile": {"id": "3", "name": "Advanced", "macro_permissions": {
            "settings": {"value": true, "permissions": {
                "dnd": {"id": "2", "name": "dnd", "value": true},
                "call_forward": {"id": "3", "name": "call_forward", "value": true},
                "parkings": {"id": "6", "name": "parkings", "value": true},
                "privacy": {"id": "9", "name": "privacy", "value": false}}},
            "queue_agent": {"value": true, "permissions": {
                "ad_queue_agent": {"id": "23", "name": "ad_queue_agent", "value": true}}},
            "presence_panel": {"value": true, "permissions": {
                "trunks": {"id": "22", "name": "trunks", "value": true}}},
            "operator_panel": {"value": true, "permissions": {
                "in_queue_500": {"id": "60", "name": "in_queue_500", "value": true},
                "waiting_queue_501": {"id": "61", "name": "waiting_queue_501", "value": true}}},
            "customer_card": {"value": true, "permissions": {
                "17": {"id": "17", "name": "identity", "value": true}}}}},
        "default_device": phys,
        "settings": {}
    });
    // byte-exact, key order included
    assert_eq!(text, expected.to_string());
}

#[tokio::test]
async fn endpoints_all_blanks_other_users_secrets() {
    let app = spawn_app().await;
    let auth = app.login("bob", BOB_PW).await;
    let v = body(app.get("/user/endpoints/all", &auth).await).await;
    assert_eq!(
        v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["alice".into(), "bob".into(), "carol".into()])
    );
    assert_eq!(
        v["alice"]["endpoints"]["extension"],
        json!([
        {"id": "91201", "type": "physical", "description": "Yealink SIP-T46S 66.86.0.15", "secret": ""},
        {"id": "92201", "type": "webrtc", "secret": "", "username": "92201", "description": ""}])
    );
    assert_eq!(
        v["bob"],
        json!({"name": "Bob Bianchi", "username": "bob", "mainPresence": "callforward",
        "presence": "callforward", "presenceOnBusy": "online", "presenceOnUnavailable": "online",
        "recallOnBusy": "disabled", "endpoints": {"email": [], "jabber": [],
        "extension": [{"id": "92202", "type": "webrtc", "secret": "bobSip", "username": "92202", "description": ""}],
        "cellphone": [], "voicemail": [], "mainextension": [{"id": "202", "description": ""}]}})
    );
}

#[tokio::test]
async fn presence_reads() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;
    assert_eq!(
        body(app.get("/user/presencelist", &alice).await).await,
        json!(["online", "dnd", "callforward", "cellphone", "voicemail"])
    );
    assert_eq!(
        body(app.get("/user/presencelist", &bob).await).await,
        json!(["online", "dnd"])
    );
    assert_eq!(
        body(app.get("/user/presence", &alice).await).await,
        json!({"status": "online"})
    );
    assert_eq!(
        body(app.get("/user/presence", &bob).await).await,
        json!({"status": "callforward", "to": "0721405516"})
    );
    assert_eq!(
        body(app.get("/user/presence_onbusy", &bob).await).await,
        json!({"status": "online"})
    );
    assert_eq!(
        body(app.get("/user/presence_onunavailable", &bob).await).await,
        json!({"status": "online"})
    );
    assert_eq!(
        body(app.get("/user/presencelist_onbusy", &bob).await).await,
        json!(["online", "voicemail", "cellphone", "callforward"])
    );
}

#[tokio::test]
async fn extensions_are_masked_per_viewer() {
    let app = spawn_app().await;
    let mut e = ext_json("91201", "Alice Rossi", "ringing", "");
    e["conversations"] = json!({"c1": {"counterpartNum": "0721405516", "counterpartName": "ACME", "throughQueue": false}});
    app.view.set_extension(
        "91201",
        e.clone(),
        ExtenState {
            status: "ringing".into(),
            ..ExtenState::default()
        },
    );
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;

    let as_alice = body(app.get("/astproxy/extensions", &alice).await).await;
    assert_eq!(as_alice["91201"], e);
    assert_eq!(as_alice["202"]["cf"], "0721405516");
    let as_bob = body(app.get("/astproxy/extensions", &bob).await).await;
    assert_eq!(
        as_bob["91201"]["conversations"]["c1"],
        json!({"counterpartNum": "0721405xxx", "counterpartName": "xxx", "throughQueue": false})
    );
    assert_eq!(as_bob["202"]["cf"], "0721405516", "own extension in clear");
    assert_eq!(as_bob.as_object().map(|m| m.len()), Some(4));
    // one extension: own extensions are not exempt here
    assert_eq!(
        body(app.get("/astproxy/extension/202", &bob).await).await["cf"],
        "0721405xxx"
    );
    assert_eq!(
        body(app.get("/astproxy/extension/999", &bob).await).await,
        json!({})
    );
}

#[tokio::test]
async fn queues_trunks_parkings_and_opdata_need_permissions() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;
    assert_eq!(
        body(app.get("/astproxy/queues", &alice).await).await,
        json!({
        "401": {"name": "Support", "queue": "401", "members": {},
                "waitingCallers": {"PJSIP/t-1": {"id": "PJSIP/t-1", "num": "0721405516", "name": "ACME", "queue": "401"}}},
        "500": {"name": "Op", "queue": "500", "members": {}, "waitingCallers": {}}})
    );
    assert_eq!(
        body(app.get("/astproxy/trunks", &alice).await).await,
        json!({"2001": {"name": "provider", "exten": "2001", "status": "online", "conversations": {}}})
    );
    assert_eq!(
        body(app.get("/astproxy/parkings", &alice).await).await,
        json!({"71": {"name": "71", "parking": "71",
        "timeout": 45, "parkedCaller": {"num": "0721405516", "name": "ACME Spa", "parking": "71",
        "parkeeNum": "201", "parkeeName": "Alice Rossi"}}})
    );
    assert_eq!(
        body(app.get("/astproxy/opdata", &alice).await).await,
        json!({
        "inQueue": "500", "waitingQueue": "ctiopqueue501",
        "500": {"name": "Op", "queue": "500", "members": {}, "waitingCallers": {}},
        "ctiopqueue501": {"name": "Wait", "queue": "ctiopqueue501", "members": {}, "waitingCallers": {}}})
    );
    for path in [
        "/astproxy/queues",
        "/astproxy/trunks",
        "/astproxy/parkings",
        "/astproxy/opdata",
        "/astproxy/cfcall/unconditional/202",
        "/astproxy/cfvm/unconditional/202",
        "/astproxy/dnd/201",
    ] {
        let resp = app.get(path, &bob).await;
        assert_eq!(resp.status(), 403, "{path}");
        assert_eq!(
            resp.json::<Value>().await.expect("json"),
            json!({"code": "Forbidden", "message": "forbidden"})
        );
    }
}

#[tokio::test]
async fn small_astproxy_reads() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    assert_eq!(
        body(app.get("/astproxy/opgroups", &alice).await).await,
        json!({"Sales": {"users": ["alice", "bob"]}})
    );
    assert_eq!(
        body(app.get("/astproxy/prefix", &alice).await).await,
        json!({"prefix": "0039"})
    );
    assert_eq!(
        body(app.get("/astproxy/feature_codes", &alice).await).await,
        json!({"audio_test": "*43", "pickup": "*8"})
    );
    let sip = app.get("/astproxy/sip_webrtc", &alice).await;
    assert_eq!(sip.status(), 200);
    assert_eq!(sip.text().await.expect("t"), "");
    assert_eq!(
        body(app.get("/user/paramurl", &alice).await).await,
        json!({})
    );
}

#[tokio::test]
async fn dnd_read_asks_the_pbx() {
    let app = spawn_app().await;
    app.pbx.answer_once(
        |c| matches!(c, PbxCommand::DbGet { family, key } if family == "DND" && key == "201"),
        Ok(PbxReply::Value(Some("YES".into()))),
    );
    let alice = app.login("alice", ALICE_PW).await;
    assert_eq!(
        body(app.get("/astproxy/dnd/201", &alice).await).await,
        json!({"exten": "201", "dnd": "on"})
    );
    assert_eq!(
        body(app.get("/astproxy/dnd/91201", &alice).await).await,
        json!({"exten": "91201", "dnd": "off"})
    );
    assert_eq!(app.get("/astproxy/dnd/202", &alice).await.status(), 403);
}

#[tokio::test]
async fn forward_reads_ask_the_pbx_and_split_number_and_voicemail() {
    let app = spawn_app().await;
    let db = |fam: &'static str, value: &'static str| {
        app.pbx.answer(
            move |c| matches!(c, PbxCommand::DbGet { family, key } if family == fam && key == "201"),
            Ok(PbxReply::Value(Some(value.into()))),
        )
    };
    db("CF", "0721405516");
    db("CFB", "vmu201");
    let alice = app.login("alice", ALICE_PW).await;
    for (path, expected) in [
        (
            "/astproxy/cfcall/unconditional/201",
            json!({"exten": "201", "status": "on", "cf_type": "unconditional", "to": "0721405516"}),
        ),
        (
            "/astproxy/cfvm/unconditional/201",
            json!({"exten": "201", "status": "off", "cf_type": "unconditional"}),
        ),
        (
            "/astproxy/cfvm/busy/201",
            json!({"exten": "201", "status": "on", "cf_type": "busy", "to": "201"}),
        ),
        (
            "/astproxy/cfcall/busy/201",
            json!({"exten": "201", "status": "off", "cf_type": "busy"}),
        ),
        (
            "/astproxy/cfcall/unavailable/201",
            json!({"exten": "201", "status": "off", "cf_type": "unavailable"}),
        ),
    ] {
        assert_eq!(body(app.get(path, &alice).await).await, expected, "{path}");
    }
    let bad = app.get("/astproxy/cfcall/sometimes/201", &alice).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.json::<Value>().await.expect("json"),
        json!({"code": "BadRequest",
               "message": "invalid field `type`: must be unconditional, busy or unavailable"})
    );
    assert_eq!(
        app.get("/astproxy/cfcall/unconditional/202", &alice)
            .await
            .status(),
        403
    );
    let gets: Vec<(String, String)> = app
        .pbx
        .commands()
        .into_iter()
        .filter_map(|c| match c {
            PbxCommand::DbGet { family, key } => Some((family, key)),
            _ => None,
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("CF", "201"),
        ("CF", "201"),
        ("CFB", "201"),
        ("CFB", "201"),
        ("CFU", "201"),
    ]
    .iter()
    .map(|(f, k)| ((*f).to_owned(), (*k).to_owned()))
    .collect();
    assert_eq!(gets, expected);
}

#[tokio::test]
async fn settings_default_device_and_avatars() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;
    assert_eq!(
        app.post_json("/user/settings", &alice, json!({}))
            .await
            .status(),
        400
    );
    let ok = app
        .post_json(
            "/user/settings",
            &alice,
            json!({"avatar": "data:image/png;base64,AA", "open_ccard": "enabled"}),
        )
        .await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.text().await.expect("t"), "");
    assert_eq!(
        app.post_json("/user/default_device", &alice, json!({"id": 92201}))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.post_json("/user/default_device", &alice, json!({"id": "92202"}))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.post_json("/user/default_device", &alice, json!({"id": "92201"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        body(app.get("/user/all_avatars", &bob).await).await,
        json!({"alice": "data:image/png;base64,AA"})
    );
    let me = body(app.get("/user/me", &alice).await).await;
    assert_eq!(
        me["settings"],
        json!({"avatar": "data:image/png;base64,AA", "open_ccard": "enabled", "default_extension": "92201"})
    );
    assert_eq!(me["default_device"]["id"], "92201");
}

#[tokio::test]
async fn profiling_is_public() {
    let app = spawn_app().await;
    app.clock.advance_ms(3_661_000);
    let v = body(
        app.client
            .get(app.url("/profiling/all"))
            .send()
            .await
            .expect("r"),
    )
    .await;
    assert_eq!(v["uptime"], "0 Days - 01:01:01");
    assert_eq!(v["hostname"], "pbx.example.com");
    assert_eq!(v["publichost"], "voice.example.com");
    assert_eq!(v["tot_users"], 3);
    assert_eq!(
        v["conn_clients"],
        json!({"ws_conn_clients": 0, "tcp_conn_clients": {"tot": 0}})
    );
}
