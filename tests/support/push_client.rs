//! A minimal Engine.IO v4 / socket.io v5 client over tokio-tungstenite, for the push tests.
//!
//! It speaks exactly the websocket-only subset the real clients use: open packet, namespace
//! CONNECT, events (`42`), acks (`43`), ping/pong, server DISCONNECT (`41`).
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// Upper bound for any single wait: a hung test fails instead of blocking CI.
pub const WAIT: Duration = Duration::from_secs(15);

/// What the server sent, as seen by the application.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// `42["name", args…]`
    Event(String, Vec<Value>),
    /// `43<id>[args…]`
    Ack(u64, Vec<Value>),
    /// `41`: server-side namespace disconnect.
    Disconnect,
    /// The websocket closed or failed.
    Closed,
}

/// A connected socket.io client.
pub struct SioClient {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The Engine.IO open packet payload.
    pub open: Value,
    next_ack: u64,
}

impl SioClient {
    /// Opens `ws://addr/socket.io/?EIO=4&transport=websocket` and joins namespace `/`.
    pub async fn connect(addr: SocketAddr) -> Self {
        let url = format!("ws://{addr}/socket.io/?EIO=4&transport=websocket");
        let (ws, _) = tokio::time::timeout(WAIT, tokio_tungstenite::connect_async(url))
            .await
            .expect("connect timeout")
            .expect("websocket connect");
        let mut client = Self {
            ws,
            open: Value::Null,
            next_ack: 1,
        };
        let open = client.next_text().await.expect("open packet");
        assert!(open.starts_with('0'), "open packet: {open}");
        client.open = serde_json::from_str(&open[1..]).expect("open json");
        client.send("40").await;
        let connect = client.next_text().await.expect("connect packet");
        assert!(connect.starts_with("40{"), "connect packet: {connect}");
        client
    }

    async fn send(&mut self, text: &str) {
        self.ws
            .send(Message::Text(text.into()))
            .await
            .expect("websocket send");
    }

    /// Next text frame, answering Engine.IO pings; `None` when the connection ends.
    async fn next_text(&mut self) -> Option<String> {
        loop {
            let frame = tokio::time::timeout(WAIT, self.ws.next())
                .await
                .expect("timed out waiting for the server");
            match frame {
                Some(Ok(Message::Text(t))) if t.as_str() == "2" => self.send("3").await,
                Some(Ok(Message::Text(t))) => return Some(t.as_str().to_owned()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => return None,
                Some(Ok(_)) => {}
            }
        }
    }

    /// The next socket.io packet.
    pub async fn next(&mut self) -> Incoming {
        let Some(text) = self.next_text().await else {
            return Incoming::Closed;
        };
        if text == "41" {
            return Incoming::Disconnect;
        }
        if text == "1" {
            return Incoming::Closed;
        }
        if let Some(rest) = text.strip_prefix("42") {
            let mut arr: Vec<Value> = serde_json::from_str(rest).expect("event json");
            let name = arr.remove(0);
            return Incoming::Event(name.as_str().expect("event name").to_owned(), arr);
        }
        if let Some(rest) = text.strip_prefix("43") {
            let split = rest.find('[').expect("ack args");
            let id = rest[..split].parse().expect("ack id");
            let args = serde_json::from_str(&rest[split..]).expect("ack json");
            return Incoming::Ack(id, args);
        }
        panic!("unexpected packet {text}");
    }

    /// The next event; panics on anything else.
    pub async fn next_event(&mut self) -> (String, Vec<Value>) {
        match self.next().await {
            Incoming::Event(name, args) => (name, args),
            other => panic!("expected an event, got {other:?}"),
        }
    }

    /// Emits `name` with `args` (each a socket.io argument).
    pub async fn emit(&mut self, name: &str, args: &[Value]) {
        let mut arr = vec![json!(name)];
        arr.extend_from_slice(args);
        self.send(&format!("42{}", Value::Array(arr))).await;
    }

    /// Emits `name` with an ack id and returns that id.
    pub async fn emit_with_ack(&mut self, name: &str, args: &[Value]) -> u64 {
        let id = self.next_ack;
        self.next_ack += 1;
        let mut arr = vec![json!(name)];
        arr.extend_from_slice(args);
        self.send(&format!("42{id}{}", Value::Array(arr))).await;
        id
    }

    /// Emits `login` and returns the first reply event.
    pub async fn login(
        &mut self,
        key: &str,
        token: &str,
        ua: Option<&str>,
    ) -> (String, Vec<Value>) {
        let mut payload = json!({"accessKeyId": key, "token": token});
        if let Some(ua) = ua {
            payload["uaType"] = json!(ua);
        }
        self.emit("login", &[payload]).await;
        self.next_event().await
    }

    /// Logs in and asserts `authe_ok`.
    pub async fn login_ok(&mut self, key: &str, ua: Option<&str>) {
        let reply = self.login(key, &format!("tok-{key}"), ua).await;
        assert_eq!(
            reply,
            (
                "authe_ok".to_owned(),
                vec![json!({"message": "authorized successfully"})]
            )
        );
    }

    /// Stops answering; the connection stays open but nothing is read any more.
    pub fn into_stalled(self) -> WebSocketStream<MaybeTlsStream<TcpStream>> {
        self.ws
    }
}

/// Reads a stalled stream to its end; true when the server closed or cut it.
pub async fn drain_until_closed(mut ws: WebSocketStream<MaybeTlsStream<TcpStream>>) -> bool {
    loop {
        match tokio::time::timeout(WAIT, ws.next()).await {
            Err(_) => return false,
            Ok(Some(Ok(Message::Close(_)))) | Ok(Some(Err(_))) | Ok(None) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}
