//! ConfBridge rooms.

/// A participant.
#[derive(Debug, Clone)]
pub struct Participant {
    /// Channel name.
    pub channel: String,
    /// Muted.
    pub muted: bool,
    /// Join time (ms since start).
    pub joined_ms: u64,
}

/// An active room.
#[derive(Debug, Clone)]
pub struct Room {
    /// Room number.
    pub id: String,
    /// Softmix bridge id.
    pub bridge: String,
    /// Participants in join order.
    pub users: Vec<Participant>,
}
