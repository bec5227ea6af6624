//! Listener limits: a half-open request is closed after the header-read timeout, and past
//! the connection cap new connections are closed at once.

#[path = "support/push_server.rs"]
mod push_server;

use std::net::SocketAddr;
use std::time::Duration;

use nethcti_server::adapters::push::PushConfig;
use push_server::{config, spawn_push};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Generous bound on anything the server must do (never reached when it works).
const DEADLINE: Duration = Duration::from_secs(30);

/// Everything the server sends until it closes the connection.
async fn read_until_closed(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    tokio::time::timeout(DEADLINE, stream.read_to_end(&mut out))
        .await
        .expect("the server closes the connection")
        .expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

async fn get_hello(addr: SocketAddr) -> Option<String> {
    let mut s = TcpStream::connect(addr).await.ok()?;
    s.write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .ok()?;
    let reply = read_until_closed(&mut s).await;
    (!reply.is_empty()).then_some(reply)
}

/// A push server whose connections get 200 ms to send a complete request head.
async fn with_200ms_header_timeout() -> push_server::TestServer {
    spawn_push(
        &[],
        PushConfig {
            header_read_timeout: Duration::from_millis(200),
            ..config()
        },
    )
    .await
}

#[tokio::test]
async fn partial_request_line_is_closed_after_the_header_timeout() {
    let server = with_200ms_header_timeout().await;
    let mut idle = TcpStream::connect(server.addr).await.expect("connect");
    idle.write_all(b"GET / HTTP/1.1\r\n").await.expect("write");
    // hyper closes it without an answer (the default 30 s would outlast DEADLINE).
    assert_eq!(read_until_closed(&mut idle).await, "");
    // A complete request is still served.
    let ok = get_hello(server.addr).await.expect("served");
    assert_eq!(ok.lines().next(), Some("HTTP/1.1 200 OK"));
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let server = with_200ms_header_timeout().await;
    let mut silent = TcpStream::connect(server.addr).await.expect("connect");
    assert_eq!(read_until_closed(&mut silent).await, "");
}

#[tokio::test]
async fn connections_past_the_cap_are_closed_until_one_ends() {
    let server = spawn_push(
        &[],
        PushConfig {
            max_connections: 2,
            ..config()
        },
    )
    .await;
    let first = TcpStream::connect(server.addr).await.expect("connect");
    let mut second = TcpStream::connect(server.addr).await.expect("connect");
    // The second connection is served, so both have been accepted.
    second
        .write_all(b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 17];
    tokio::time::timeout(DEADLINE, second.read_exact(&mut buf))
        .await
        .expect("reply")
        .expect("read");
    assert_eq!(&buf, b"HTTP/1.1 200 OK\r\n");

    let mut third = TcpStream::connect(server.addr).await.expect("connect");
    assert_eq!(read_until_closed(&mut third).await, "");

    drop(first);
    // Once the server has seen the first one go, a new connection is served again.
    let served = tokio::time::timeout(DEADLINE, async {
        loop {
            if let Some(reply) = get_hello(server.addr).await {
                return reply;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("a slot frees up");
    assert_eq!(served.lines().next(), Some("HTTP/1.1 200 OK"));
}
