//! Parking slots and parked callers (domain.md §7).

use super::privacy::{mask_name, mask_num};
use serde_json::{json, Value};

/// A parked caller.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParkedCaller {
    /// Caller number.
    pub num: String,
    /// Caller name.
    pub name: String,
    /// Parked channel.
    pub channel: String,
    /// Epoch ms of the timeout.
    pub timeout_at: i64,
    /// Extension that parked the call.
    pub parkee_num: String,
    /// Its name.
    pub parkee_name: String,
}

/// A parking slot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parking {
    /// Slot number.
    pub parking: String,
    /// Lot timeout (s).
    pub timeout: u64,
    /// Parked caller, if any.
    pub caller: Option<ParkedCaller>,
}

impl Parking {
    /// Parking JSON (`parkedCaller` `{}` when free).
    pub fn to_json(&self, now_ms: i64, p: Option<&str>) -> Value {
        let caller = match &self.caller {
            None => json!({}),
            Some(c) => json!({
                "num": mask_num(&c.num, p),
                "name": mask_name(&c.name, p),
                "parking": self.parking,
                "channel": c.channel,
                "timeout": ((c.timeout_at - now_ms).max(0)) / 1000,
                "parkeeNum": mask_num(&c.parkee_num, p),
                "parkeeName": mask_name(&c.parkee_name, p),
            }),
        };
        json!({
            "name": self.parking,
            "parking": self.parking,
            "timeout": self.timeout,
            "parkedCaller": caller,
        })
    }
}
