//! The parking lot `default`.

use std::collections::BTreeMap;

/// A parked call.
#[derive(Debug, Clone)]
pub struct Parked {
    /// Parkee channel name.
    pub channel: String,
    /// `ParkerDialString` (`PJSIP/202`).
    pub parker: String,
    /// Park time (ms since start).
    pub parked_ms: u64,
}

/// The lot.
#[derive(Debug, Clone)]
pub struct Lot {
    /// First space.
    pub start: u32,
    /// Last space.
    pub stop: u32,
    /// Timeout (s).
    pub timeout: u32,
    /// Parked calls by space.
    pub spaces: BTreeMap<u32, Parked>,
    /// Holding bridge id, while someone is parked.
    pub bridge: Option<String>,
}

impl Lot {
    /// The first free space.
    pub fn free_space(&self) -> Option<u32> {
        (self.start..=self.stop).find(|s| !self.spaces.contains_key(s))
    }

    /// The space a channel is parked in.
    pub fn space_of(&self, channel: &str) -> Option<u32> {
        self.spaces
            .iter()
            .find(|(_, p)| p.channel == channel)
            .map(|(s, _)| *s)
    }
}
