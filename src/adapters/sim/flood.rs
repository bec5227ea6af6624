//! Flood mode for benchmarks: `N` extra extensions and `M` call loops kept up
//! concurrently, throttled to a target number of AMI events per second.

use super::config::{EndpointConf, FloodConf, SimConfig};
use super::flows::{dial, hangup};
use super::server::SimHandle;
use slog::info;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// First extension number of the flood endpoints.
pub const FIRST: u32 = 10_000;

/// Adds `n` registered phones `10000`.. named `Flood <n>`.
pub fn add_endpoints(cfg: &mut SimConfig, n: usize) {
    for i in 0..n as u32 {
        let id = (FIRST + i).to_string();
        if cfg.endpoints.iter().any(|e| e.id == id) {
            continue;
        }
        cfg.endpoints.push(EndpointConf {
            id,
            name: format!("Flood {i}"),
            trunk: false,
            registered: true,
        });
    }
}

/// Prefix of a tagged caller id name: `T` then the decimal wall-clock time in ns.
pub const TAG_PREFIX: char = 'T';

/// The caller id name carrying the time `unix_ns` (ns since the Unix epoch).
pub fn tag_name(unix_ns: u128) -> String {
    format!("{TAG_PREFIX}{unix_ns}")
}

/// Wall-clock time in ns since the Unix epoch (0 if the clock is before it).
pub fn unix_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Runs the flood until the simulator stops.
pub async fn run(h: SimHandle, fl: FloodConf) {
    let n = fl.extensions.max(2);
    let m = fl.concurrent_calls.max(1).min(n / 2);
    info!(h.log(), "flood mode"; "extensions" => n, "calls" => m, "events_per_sec" => fl.events_per_sec);
    let start = Instant::now();
    for k in 0..m {
        let h = h.clone();
        let a = (FIRST + (2 * k) as u32).to_string();
        let b = (FIRST + (2 * k + 1) as u32).to_string();
        let target = fl.events_per_sec;
        let tag = fl.tag_callers;
        tokio::spawn(async move {
            let base = h.events_sent();
            loop {
                if h.cancel_token().is_cancelled() {
                    return;
                }
                if target > 0 {
                    let sent = h.events_sent().saturating_sub(base);
                    let allowed = target.saturating_mul(start.elapsed().as_millis() as u64) / 1000;
                    if sent > allowed {
                        let ahead_ms = (sent - allowed) * 1000 / target;
                        tokio::time::sleep(Duration::from_millis(ahead_ms.clamp(1, 1000))).await;
                        continue;
                    }
                }
                let _ = h.with(|st| -> Result<(), super::flows::FlowError> {
                    if tag {
                        if let Some(e) = st.endpoints.get_mut(&a) {
                            e.name = tag_name(unix_ns());
                        }
                    }
                    let caller = dial::phone_dial(st, &a, &b)?;
                    let callee = st.chan(&caller).and_then(|c| c.peer.clone());
                    if let Some(callee) = callee {
                        dial::answer(st, &callee)?;
                    }
                    hangup::hangup(st, &caller, hangup::By::Phone)
                });
                tokio::task::yield_now().await;
            }
        });
    }
}
