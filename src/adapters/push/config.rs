//! Tunables of the socket.io push channel (timeouts, queue sizes, Engine.IO heartbeat).

use std::time::Duration;

/// Settings of the push channel; [`Default`] gives the production values.
#[derive(Debug, Clone)]
pub struct PushConfig {
    /// Engine.IO server ping period (the original server uses 25 s).
    pub ping_interval: Duration,
    /// How long the server waits for the client's pong before dropping it.
    pub ping_timeout: Duration,
    /// A socket that has not logged in successfully after this long is disconnected.
    pub login_timeout: Duration,
    /// Capacity of each logged-in socket's outbound queue, in publication batches (one
    /// event each, or one live-model batch); overflowing it disconnects the socket.
    pub queue_capacity: usize,
    /// Most bytes of encoded events waiting in one socket's outbound queue; past it the
    /// socket is disconnected like on a count overflow.
    pub queue_max_bytes: usize,
    /// Largest relayed `message` payload (serialised JSON, bytes); bigger ones are dropped.
    pub max_relay_bytes: usize,
    /// Capacity of each socket's Engine.IO packet channel (socketioxide's `max_buffer_size`).
    pub engine_queue_capacity: usize,
    /// Initial capacity of each websocket's read buffer (tungstenite's, allocated per
    /// socket at connect; it grows for a bigger frame, up to `max_payload`). Clients send
    /// little (login, pongs, relayed messages), so 1 KiB instead of Engine.IO's 4 KiB.
    pub ws_read_buffer_size: usize,
    /// Largest accepted incoming socket.io message, in bytes (socket.io's 1e6 default), on
    /// polling bodies and websocket messages and frames alike.
    pub max_payload: u64,
    /// Period of [`SocketAuthenticator::keep_alive`](super::SocketAuthenticator::keep_alive)
    /// over the logged-in sockets (`None`: never; the original uses 30 min).
    pub token_keepalive: Option<Duration>,
    /// Time given to plain HTTP connections to finish on shutdown before they are cut.
    pub shutdown_grace: Duration,
    /// A connection that has not sent a complete request head within this time is closed.
    pub header_read_timeout: Duration,
    /// Most connections open at once over all listeners; further ones are closed at accept.
    pub max_connections: usize,
}

impl Default for PushConfig {
    fn default() -> Self {
        Self {
            ping_interval: Duration::from_secs(25),
            ping_timeout: Duration::from_secs(20),
            login_timeout: Duration::from_secs(60),
            // A reload of a large PBX pushes every extension at once (≈ 3 events each with
            // the presences): 1,024 cut every client of a 1,000-extension PBX. The encoded
            // events are shared by all sockets, so this bounds a stuck client's backlog,
            // not a copy per socket; the channel allocates its slots as they fill.
            queue_capacity: 16_384,
            queue_max_bytes: 16 << 20,
            max_relay_bytes: 64 << 10,
            engine_queue_capacity: 128,
            ws_read_buffer_size: 1024,
            max_payload: 1_000_000,
            token_keepalive: Some(Duration::from_secs(30 * 60)),
            shutdown_grace: Duration::from_secs(5),
            header_read_timeout: Duration::from_secs(10),
            // 10 000 socket.io clients with room to spare for REST calls.
            max_connections: 20_000,
        }
    }
}
