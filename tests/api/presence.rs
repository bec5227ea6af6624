//! `POST /user/presence*`: AstDB writes through the PBX port, validation, bounded waits.

use crate::helpers::*;
use nethcti_server::ports::pbx::{PbxCommand, PbxError};
use serde_json::{json, Value};
use std::time::Duration;

fn put(f: &str, k: &str, v: &str) -> PbxCommand {
    PbxCommand::DbPut {
        family: f.into(),
        key: k.into(),
        value: v.into(),
    }
}
fn del(f: &str, k: &str) -> PbxCommand {
    PbxCommand::DbDel {
        family: f.into(),
        key: k.into(),
    }
}
fn cli(c: &str) -> PbxCommand {
    PbxCommand::Command { command: c.into() }
}

#[tokio::test]
async fn dnd_is_written_to_every_extension_and_read_back() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let resp = app
        .post_json("/user/presence", &alice, json!({"status": "dnd"}))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.expect("t"), "");
    assert_eq!(
        app.pbx.commands(),
        vec![
            del("CF", "91201"),
            put("DND", "91201", "YES"),
            del("CF", "92201"),
            put("DND", "92201", "YES"),
            del("CF", "201"),
            put("DND", "201", "YES"),
            cli("presencestate change CustomPresence:201 DND"),
            cli("devstate change Custom:DND201 BUSY"),
        ]
    );
    let v: Value = app
        .get("/user/presence", &alice)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(v, json!({"status": "dnd"}));
    let me: Value = app
        .get("/user/me", &alice)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["mainPresence"], "dnd");
    let ext: Value = app
        .get("/astproxy/extension/201", &alice)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ext["dnd"], true);
}

#[tokio::test]
async fn callforward_and_voicemail_on_busy_write_the_right_families() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    assert_eq!(
        app.post_json(
            "/user/presence",
            &alice,
            json!({"status": "callforward", "to": "0721"})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.pbx.commands()[..2],
        [del("DND", "91201"), put("CF", "91201", "0721")]
    );
    assert_eq!(
        app.get("/user/presence", &alice)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"status": "callforward", "to": "0721"})
    );
    app.pbx.clear();
    assert_eq!(
        app.post_json(
            "/user/presence_onbusy",
            &alice,
            json!({"status": "voicemail"})
        )
        .await
        .status(),
        200
    );
    assert_eq!(
        app.pbx.commands(),
        vec![
            put("CFB", "91201", "vmu201"),
            put("CFB", "92201", "vmu201"),
            put("CFB", "201", "vmu201")
        ]
    );
    assert_eq!(
        app.get("/user/presence_onbusy", &alice)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"status": "voicemail"})
    );
}

#[tokio::test]
async fn invalid_presence_requests_are_refused_without_pbx_commands() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;
    assert_eq!(
        app.post_json("/user/presence", &alice, json!({"status": "away"}))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.post_json("/user/presence", &alice, json!({"status": "callforward"}))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.post_json("/user/presence_onbusy", &alice, json!({"status": "dnd"}))
            .await
            .status(),
        400
    );
    assert_eq!(
        app.post_json(
            "/user/presence",
            &bob,
            json!({"status": "callforward", "to": "1"})
        )
        .await
        .status(),
        403
    );
    let no_box = app
        .post_json("/user/presence", &bob, json!({"status": "voicemail"}))
        .await;
    assert_eq!(no_box.status(), 409);
    assert_eq!(
        no_box.json::<Value>().await.expect("json"),
        json!({"code": "Conflict", "message": "user has no voicemail endpoint"})
    );
    assert!(app.pbx.commands().is_empty());
}

#[tokio::test]
async fn pbx_down_is_503_and_a_silent_pbx_is_504() {
    let app = spawn_app_with(TestOptions {
        handler_timeout: Duration::from_millis(300),
        ..TestOptions::default()
    })
    .await;
    let alice = app.login("alice", ALICE_PW).await;
    app.pbx.answer_once(|_| true, Err(PbxError::Unavailable));
    let down = app
        .post_json("/user/presence", &alice, json!({"status": "online"}))
        .await;
    assert_eq!(down.status(), 503);
    assert_eq!(
        down.json::<Value>().await.expect("j"),
        json!({"code": "ServiceUnavailable", "message": "PBX not connected"})
    );
    app.pbx.set_unresponsive(true);
    let silent = app.get("/astproxy/dnd/201", &alice).await;
    assert_eq!(silent.status(), 504);
}

#[tokio::test]
async fn cellphone_presence_forwards_every_extension_to_the_first_cellphone() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let resp = app
        .post_json("/user/presence", &alice, json!({"status": "cellphone"}))
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.text().await.expect("t"), "");
    assert_eq!(
        app.pbx.commands(),
        vec![
            del("DND", "91201"),
            put("CF", "91201", "3331234567"),
            del("DND", "92201"),
            put("CF", "92201", "3331234567"),
            del("DND", "201"),
            put("CF", "201", "3331234567"),
            cli("presencestate change CustomPresence:201 AWAY,CELLPHONE"),
        ]
    );
    assert_eq!(
        app.get("/user/presence", &alice)
            .await
            .json::<Value>()
            .await
            .expect("j"),
        json!({"status": "cellphone"})
    );
    app.pbx.clear();
    let bob = app.login("bob", BOB_PW).await;
    let resp = app
        .post_json("/user/presence", &bob, json!({"status": "cellphone"}))
        .await;
    let status = resp.status().as_u16();
    assert_eq!(
        (status, resp.json::<Value>().await.expect("json")),
        (
            409,
            json!({"code": "Conflict", "message": "user has no cellphone endpoint"})
        )
    );
    assert_eq!(app.pbx.commands(), vec![]);
}
