//! `GET /astproxy/extensions` from the whole daemon (`--demo`, cached list, gzip) is
//! byte for byte the uncached rendering of the live model — each extension's
//! `extension_json` at the viewer's privacy level, serialised as the handler did before
//! the cache — for a user without privacy and one with, idle and with a call up while the
//! (manual) clock moves; with `Accept-Encoding: gzip` the answer is that body compressed.

#[path = "support/daemon.rs"]
mod daemon;
#[path = "support/demo.rs"]
mod demo;

use flate2::read::GzDecoder;
use nethcti_server::domain::policy::privacy::extension_level;
use nethcti_server::domain::policy::{owns_extension, Permissions, PrivacyLevel};
use nethcti_server::domain::switchboard::PrivacyView;
use nethcti_server::ports::clock::ManualClock;
use serde_json::{json, Map, Value};
use std::io::Read as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The demo daemon on a manual clock.
struct Demo {
    daemon: demo::Demo,
    clock: Arc<ManualClock>,
}

impl std::ops::Deref for Demo {
    type Target = demo::Demo;

    fn deref(&self) -> &demo::Demo {
        &self.daemon
    }
}

async fn demo() -> Demo {
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .expect("clock");
    let clock = Arc::new(ManualClock::new(wall));
    Demo {
        daemon: demo::demo(Some(clock.clone())).await,
        clock,
    }
}

/// One answer: status, `Content-Encoding`, `Vary`, raw body bytes.
struct Answer {
    encoding: Option<String>,
    vary: Option<String>,
    bytes: Vec<u8>,
}

impl Demo {
    async fn login(&self, user: &str) -> String {
        self.daemon.login(user, user).await
    }

    async fn list(&self, auth: &str, accept_encoding: Option<&str>) -> Answer {
        let mut req = self
            .http
            .get(format!("{}/astproxy/extensions", self.base))
            .header("Authorization", auth);
        if let Some(ae) = accept_encoding {
            req = req.header("Accept-Encoding", ae);
        }
        let resp = req.send().await.expect("get");
        assert_eq!(resp.status().as_u16(), 200);
        let h = |n: &str| {
            resp.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(h("content-type").as_deref(), Some("application/json"));
        let (encoding, vary) = (h("content-encoding"), h("vary"));
        let bytes = resp.bytes().await.expect("body").to_vec();
        Answer {
            encoding,
            vary,
            bytes,
        }
    }

    /// The body as the handler rendered it before the cache, for `user`, at the clock's now.
    fn uncached(&self, user: &str) -> Vec<u8> {
        let dir = self.running.app.directory();
        let u = dir.users.get(user).expect("user");
        let perms = Permissions::of(user, &dir.users, &dir.profiles);
        let now = nethcti_server::ports::clock::Clock::now_ms(self.clock.as_ref());
        self.running.model.read(|sb| {
            let mut out = Map::new();
            for e in sb.extension_ids() {
                let view = match extension_level(&perms, owns_extension(u, e), true) {
                    PrivacyLevel::Clear => PrivacyView::Clear,
                    PrivacyLevel::OutsideQueues => PrivacyView::NonQueue,
                    PrivacyLevel::All => PrivacyView::All,
                };
                if let Some(j) = sb.extension_json(e, now, view) {
                    out.insert(e.to_owned(), j);
                }
            }
            serde_json::to_vec(&Value::Object(out)).expect("json")
        })
    }

    fn generation(&self) -> u64 {
        self.running.model.read(|sb| sb.generation())
    }

    /// Plain and gzip answers for `user` (`auth`), checked against the uncached rendering
    /// of one unchanged model state (retried while simulator events change it meanwhile).
    async fn check_list(&self, user: &str, auth: &str) -> Vec<u8> {
        for _ in 0..50 {
            let before = self.generation();
            let plain = self.list(auth, None).await;
            let gzip = self.list(auth, Some("gzip, deflate, br")).await;
            let refused = self.list(auth, Some("br, gzip;q=0")).await;
            let want = self.uncached(user);
            if self.generation() != before {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
            assert!(plain.bytes == want, "{user}: plain body differs");
            assert_eq!(plain.encoding, None);
            assert_eq!(plain.vary.as_deref(), Some("accept-encoding"));
            assert_eq!(gzip.encoding.as_deref(), Some("gzip"));
            assert_eq!(gzip.vary.as_deref(), Some("accept-encoding"));
            assert!(
                gzip.bytes.len() * 3 < want.len(),
                "{user}: gzip saves little"
            );
            let mut back = Vec::new();
            GzDecoder::new(gzip.bytes.as_slice())
                .read_to_end(&mut back)
                .expect("gunzip");
            assert!(
                back == want,
                "{user}: gzip body decompresses to something else"
            );
            assert_eq!(refused.encoding, None);
            assert!(refused.bytes == want, "{user}: gzip;q=0 body differs");
            return want;
        }
        panic!("{user}: the model never stood still");
    }
}

#[tokio::test]
async fn extension_list_is_the_uncached_rendering_plain_and_gzip_idle_and_in_a_call() {
    let d = demo().await;
    // alice: Admin, no privacy; mallory: Basic, privacy (own 211 in clear)
    let alice = d.login("alice").await;
    let mallory = d.login("mallory").await;
    let idle_alice = d.check_list("alice", &alice).await;
    let idle_mallory = d.check_list("mallory", &mallory).await;
    assert!(
        idle_alice.len() > 2048,
        "the demo list is over the gzip threshold"
    );

    let resp = d
        .http
        .post(format!("{}/astproxy/call", d.base))
        .header("Authorization", &alice)
        .json(&json!({"number": "202", "endpointId": "201", "endpointType": "extension"}))
        .send()
        .await
        .expect("call");
    assert_eq!(resp.status().as_u16(), 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let body = d.check_list("alice", &alice).await;
        let v: Value = serde_json::from_slice(&body).expect("json");
        let up = v["201"]["conversations"]
            .as_object()
            .is_some_and(|c| c.values().any(|x| x["connected"] == json!(true)));
        if up {
            break;
        }
        assert!(Instant::now() < deadline, "the call never connected");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // time moves on: durations tick at their own second, masked and clear alike
    let mut seen = std::collections::BTreeSet::new();
    for step in [1, 998, 1, 1_000, 250, 3_600_000] {
        d.clock.advance_ms(step);
        let a = d.check_list("alice", &alice).await;
        let m = d.check_list("mallory", &mallory).await;
        assert_ne!(a, idle_alice);
        assert_ne!(m, idle_mallory);
        assert_ne!(a, m, "mallory sees 201's call masked");
        seen.insert(a);
    }
    assert!(
        seen.len() >= 3,
        "durations ticked only {} times",
        seen.len()
    );
}
