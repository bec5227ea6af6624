//! A simulated bridge and its header block.

use crate::adapters::ami::frame::Frame;

/// Kind of bridge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BridgeKind {
    /// Two-party basic bridge (`simple_bridge`).
    Basic,
    /// Parking lot holding bridge.
    Parking,
    /// ConfBridge softmix bridge.
    Conference,
}

/// One bridge.
#[derive(Debug, Clone)]
pub struct Bridge {
    /// Uuid.
    pub id: String,
    /// Kind.
    pub kind: BridgeKind,
    /// `BridgeName` (lot or room), `<unknown>` for basic bridges.
    pub name: String,
    /// Channel names inside.
    pub channels: Vec<String>,
}

/// Writes the bridge headers with a prefix (`""`, `To`, `From`, `Orig`, `Second`).
pub fn push_block(f: &mut Frame, prefix: &str, b: &Bridge) {
    let (ty, tech, creator) = match b.kind {
        BridgeKind::Basic => ("basic", "simple_bridge", "<unknown>"),
        BridgeKind::Parking => ("parking", "holding_bridge", "Parking"),
        BridgeKind::Conference => ("base", "softmix", "ConfBridge"),
    };
    let p = |n: &str| format!("{prefix}{n}");
    f.push(p("BridgeUniqueid"), b.id.clone());
    f.push(p("BridgeType"), ty);
    f.push(p("BridgeTechnology"), tech);
    f.push(p("BridgeCreator"), creator);
    f.push(p("BridgeName"), b.name.clone());
    f.push(p("BridgeNumChannels"), b.channels.len().to_string());
    f.push(p("BridgeVideoSourceMode"), "none");
}
