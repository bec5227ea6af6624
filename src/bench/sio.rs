//! A minimal Engine.IO 4 / socket.io 5 client over tokio-tungstenite (websocket transport
//! only, as the real clients): open packet, namespace connect, `login`, then a read loop that
//! answers pings and measures how old the flood's caller tags are on arrival.

use super::error::BenchError;
use super::recorder::{Recorder, MAX_SAMPLES_PER_CLIENT};
use crate::adapters::sim::flood::unix_ns;
use futures::{SinkExt, StreamExt};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};
use tokio_util::sync::CancellationToken;

/// Longest wait for any handshake step.
pub const HANDSHAKE_WAIT: Duration = Duration::from_secs(30);

/// What starts a caller tag inside JSON (a string starting with `T`).
const TAG_NEEDLE: &[u8] = b"\"T";

/// Fewest digits of a caller tag (ns since the epoch have 19).
const MIN_TAG_DIGITS: usize = 16;

/// One Engine.IO / socket.io packet as the bench needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packet<'a> {
    /// `0{...}`: Engine.IO open, with its JSON.
    Open(&'a str),
    /// `2`: Engine.IO ping (answer `3`).
    Ping,
    /// `40...`: namespace connected.
    Connect,
    /// `41`: namespace disconnected by the server.
    Disconnect,
    /// `42[...]`: an event, with its JSON array text.
    Event(&'a str),
    /// `1`: Engine.IO close.
    Close,
    /// Anything else.
    Other,
}

/// Classifies one websocket text frame.
pub fn parse(text: &str) -> Packet<'_> {
    match text {
        "2" => Packet::Ping,
        "1" => Packet::Close,
        "41" => Packet::Disconnect,
        _ => {
            if let Some(rest) = text.strip_prefix("42") {
                Packet::Event(rest)
            } else if text.starts_with("40") {
                Packet::Connect
            } else if let Some(rest) = text.strip_prefix('0') {
                Packet::Open(rest)
            } else {
                Packet::Other
            }
        }
    }
}

/// The event name of an event's JSON array text (`["authe_ok",{...}]` → `authe_ok`).
pub fn event_name(array: &str) -> Option<&str> {
    let rest = array.strip_prefix("[\"")?;
    rest.get(..rest.find('"')?)
}

/// Every caller tag in `text`: a JSON string `"T<digits>"` with at least 16 digits, as
/// written by the flood with `tag_callers`; values are ns since the Unix epoch.
pub fn tags(text: &str) -> impl Iterator<Item = u64> + '_ {
    let bytes = text.as_bytes();
    memchr::memmem::find_iter(bytes, TAG_NEEDLE).filter_map(move |at| {
        let digits = &bytes[at + TAG_NEEDLE.len()..];
        let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
        if n < MIN_TAG_DIGITS || digits.get(n) != Some(&b'"') {
            return None;
        }
        std::str::from_utf8(&digits[..n]).ok()?.parse().ok()
    })
}

/// A connected, logged-in socket.io client.
pub struct SioClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

fn sock_err(e: impl std::fmt::Display) -> BenchError {
    BenchError::Socket(e.to_string())
}

impl SioClient {
    /// Connects to `ws://addr/socket.io/?EIO=4&transport=websocket`, joins namespace `/`
    /// and logs in as `user` with `token` (`uaType` desktop).
    ///
    /// # Errors
    /// [`BenchError::Socket`] on a failed handshake or a refused login,
    /// [`BenchError::Timeout`] when a step takes longer than [`HANDSHAKE_WAIT`].
    pub async fn login(addr: SocketAddr, user: &str, token: &str) -> Result<Self, BenchError> {
        let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
        // Small buffers: 10,000 of these live in the bench process.
        let config = WebSocketConfig::default()
            .read_buffer_size(4096)
            .write_buffer_size(0);
        let (ws, _) = tokio::time::timeout(
            HANDSHAKE_WAIT,
            tokio_tungstenite::connect_async_with_config(url, Some(config), true),
        )
        .await
        .map_err(|_| BenchError::Timeout("websocket connect".into()))?
        .map_err(sock_err)?;
        let mut c = Self { ws };
        c.expect(|p| matches!(p, Packet::Open(_)), "open packet")
            .await?;
        c.send("40").await?;
        c.expect(|p| matches!(p, Packet::Connect), "namespace connect")
            .await?;
        let login = serde_json::json!(["login", {"accessKeyId": user, "token": token, "uaType": "desktop"}]);
        c.send(&format!("42{login}")).await?;
        c.expect(
            |p| matches!(p, Packet::Event(a) if event_name(a) == Some("authe_ok")),
            "authe_ok",
        )
        .await?;
        Ok(c)
    }

    async fn send(&mut self, text: &str) -> Result<(), BenchError> {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .map_err(sock_err)
    }

    async fn expect(
        &mut self,
        want: impl Fn(&Packet<'_>) -> bool,
        what: &str,
    ) -> Result<(), BenchError> {
        loop {
            let frame = tokio::time::timeout(HANDSHAKE_WAIT, self.ws.next())
                .await
                .map_err(|_| BenchError::Timeout(what.to_owned()))?;
            let text = match frame {
                Some(Ok(Message::Text(t))) => t,
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(sock_err(e)),
                None => return Err(BenchError::Socket(format!("closed before {what}"))),
            };
            let packet = parse(text.as_str());
            if want(&packet) {
                return Ok(());
            }
            match packet {
                Packet::Ping => self.send("3").await?,
                Packet::Event(a) if event_name(a) == Some("401") => {
                    return Err(BenchError::Socket("login refused (401)".into()))
                }
                Packet::Disconnect | Packet::Close => {
                    return Err(BenchError::Socket(format!("disconnected before {what}")))
                }
                _ => {}
            }
        }
    }

    /// Reads until `stop`: answers pings, and while `rec` is recording counts events and
    /// keeps, per tag newer than any this client saw, the tag's age on arrival (µs).
    pub async fn run(mut self, rec: Arc<Recorder>, stop: CancellationToken) {
        let mut newest = 0u64;
        let mut samples = Vec::new();
        let mut messages = 0u64;
        loop {
            let frame = tokio::select! {
                () = stop.cancelled() => break,
                f = self.ws.next() => f,
            };
            let text = match frame {
                Some(Ok(Message::Text(t))) => t,
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => {
                    rec.client_closed();
                    break;
                }
            };
            match parse(text.as_str()) {
                Packet::Ping if self.send("3").await.is_err() => {
                    rec.client_closed();
                    break;
                }
                Packet::Event(array) => {
                    let now = unix_ns() as u64;
                    let recording = rec.recording();
                    if recording {
                        messages += 1;
                    }
                    let mut top = newest;
                    for tag in tags(array).filter(|t| *t > newest) {
                        top = top.max(tag);
                        if recording && samples.len() < MAX_SAMPLES_PER_CLIENT {
                            samples.push(now.saturating_sub(tag) / 1000);
                        }
                    }
                    if top > newest {
                        newest = top;
                        rec.saw_tag(top);
                    }
                }
                Packet::Disconnect | Packet::Close => {
                    rec.client_closed();
                    break;
                }
                _ => {}
            }
        }
        rec.add_samples(&samples);
        rec.count_messages(messages);
        let _ = self.ws.close(None).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::sim::flood::tag_name;

    #[test]
    fn packets_are_classified() {
        assert_eq!(parse("0{\"sid\":\"x\"}"), Packet::Open("{\"sid\":\"x\"}"));
        assert_eq!(parse("2"), Packet::Ping);
        assert_eq!(parse("40{\"sid\":\"y\"}"), Packet::Connect);
        assert_eq!(parse("41"), Packet::Disconnect);
        assert_eq!(parse("1"), Packet::Close);
        assert_eq!(
            parse("42[\"authe_ok\",{}]"),
            Packet::Event("[\"authe_ok\",{}]")
        );
        assert_eq!(parse("3"), Packet::Other);
        assert_eq!(
            event_name("[\"extenUpdate\",{},{\"_seq\":7}]"),
            Some("extenUpdate")
        );
        assert_eq!(event_name("[1]"), None);
    }

    #[test]
    fn tags_are_found_in_event_payloads() {
        let t = tag_name(1_796_322_700_123_456_789);
        let text = format!(
            r#"["extenUpdate",{{"name":"Bench 1","conversations":{{"a":{{"counterpartName":"{t}"}},"b":{{"counterpartName":"T12"}}}}}},{{"_seq":3}}]"#
        );
        assert_eq!(
            tags(&text).collect::<Vec<_>>(),
            vec![1_796_322_700_123_456_789]
        );
        assert_eq!(tags(r#"{"x":"T1796322700123456789x"}"#).count(), 0);
        assert_eq!(tags(r#"{"x":"Tom"}"#).count(), 0);
    }
}
