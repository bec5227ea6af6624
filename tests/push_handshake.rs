//! The Engine.IO handshake of the real daemon advertises the `pingTimeout` the README's
//! compatibility notes document (20 s instead of the original's 10,000,000 ms).

#[path = "support/daemon.rs"]
mod daemon;

use daemon::start_daemon;
use serde_json::Value;

#[tokio::test]
async fn the_handshake_advertises_a_20_s_ping_timeout_as_the_readme_says() {
    let d = start_daemon(None).await;
    let url = format!("http://{}/socket.io/?EIO=4&transport=polling", d.ws_addr());
    let text = reqwest::get(url)
        .await
        .expect("handshake")
        .text()
        .await
        .expect("body");
    let open: Value =
        serde_json::from_str(text.strip_prefix('0').expect("open packet")).expect("handshake JSON");
    assert_eq!(open["pingTimeout"], 20_000, "{text}");
    let readme = include_str!("../README.md").replace("\n    ", " ");
    assert!(
        readme.contains(
            "`pingTimeout` is 20 s instead of the original's 10,000,000 ms (~2.8 h; quirk 9"
        ),
        "README compatibility note"
    );
}
