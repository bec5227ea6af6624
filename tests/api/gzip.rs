//! Content coding of `GET /astproxy/extensions`: gzip only when the request accepts it and
//! the body is large (2 KiB); the compressed body is exactly the plain one; without
//! `Accept-Encoding` the answer is the plain JSON as before.

use crate::helpers::*;
use flate2::read::GzDecoder;
use nethcti_server::adapters::http::ExtenState;
use serde_json::{json, Map, Value};
use std::io::Read as _;

struct Answer {
    encoding: Option<String>,
    vary: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

async fn list(app: &TestApp, auth: &str, accept_encoding: Option<&str>) -> Answer {
    let mut req = app
        .client
        .get(app.url("/astproxy/extensions"))
        .header("Authorization", auth);
    if let Some(ae) = accept_encoding {
        req = req.header("Accept-Encoding", ae);
    }
    let resp = req.send().await.expect("get");
    assert_eq!(resp.status(), 200);
    let h = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    Answer {
        encoding: h("content-encoding"),
        vary: h("vary"),
        content_type: h("content-type"),
        bytes: resp.bytes().await.expect("body").to_vec(),
    }
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    GzDecoder::new(bytes).read_to_end(&mut out).expect("gunzip");
    out
}

#[tokio::test]
async fn small_extension_lists_are_plain_whatever_the_client_accepts() {
    let app = spawn_app().await;
    let alice = app.login("alice", ALICE_PW).await;
    let mut want = Map::new();
    want.insert("201".into(), ext_json("201", "Alice Rossi", "online", ""));
    want.insert(
        "202".into(),
        ext_json("202", "Bob Bianchi", "online", "0721405516"),
    );
    want.insert(
        "91201".into(),
        ext_json("91201", "Alice Rossi", "ringing", ""),
    );
    want.insert(
        "92201".into(),
        ext_json("92201", "Alice Rossi", "offline", ""),
    );
    let want = serde_json::to_vec(&Value::Object(want)).expect("json");
    for ae in [None, Some("gzip"), Some("gzip, deflate, br")] {
        let a = list(&app, &alice, ae).await;
        assert_eq!(a.content_type.as_deref(), Some("application/json"));
        assert_eq!((a.encoding, a.vary), (None, None), "{ae:?}");
        assert_eq!(a.bytes, want, "{ae:?}");
    }
}

#[tokio::test]
async fn large_extension_lists_are_gzipped_when_accepted_and_decompress_to_the_plain_body() {
    let app = spawn_app().await;
    for i in 0..40 {
        let e = format!("3{i:02}");
        app.view.set_extension(
            &e,
            ext_json(&e, &format!("User {i}"), "online", "0721405516"),
            ExtenState::default(),
        );
    }
    let alice = app.login("alice", ALICE_PW).await;
    let bob = app.login("bob", BOB_PW).await;
    for auth in [&alice, &bob] {
        let plain = list(&app, auth, None).await;
        assert_eq!(plain.encoding, None);
        assert_eq!(plain.vary.as_deref(), Some("accept-encoding"));
        assert!(plain.bytes.len() > 2048);
        let v: Value = serde_json::from_slice(&plain.bytes).expect("json");
        assert_eq!(v.as_object().map(Map::len), Some(44));
        for ae in ["gzip", "x-gzip", "deflate, gzip;q=0.5", "*"] {
            let z = list(&app, auth, Some(ae)).await;
            assert_eq!(z.content_type.as_deref(), Some("application/json"));
            assert_eq!(z.encoding.as_deref(), Some("gzip"), "{ae}");
            assert_eq!(z.vary.as_deref(), Some("accept-encoding"));
            assert!(z.bytes.len() * 4 < plain.bytes.len(), "{ae}");
            assert_eq!(gunzip(&z.bytes), plain.bytes, "{ae}");
        }
        for ae in ["identity", "gzip;q=0", "br, deflate", "*;q=0"] {
            let a = list(&app, auth, Some(ae)).await;
            assert_eq!(a.encoding, None, "{ae}");
            assert_eq!(a.bytes, plain.bytes, "{ae}");
        }
    }
    let as_bob: Value = serde_json::from_slice(&list(&app, &bob, None).await.bytes).expect("json");
    assert_eq!(as_bob["300"]["cf"], "0721405xxx", "bob has privacy");
    assert_eq!(as_bob["202"]["cf"], "0721405516", "own extension in clear");
    assert_eq!(json!(as_bob["300"]["name"]), json!("User 0"));
}
