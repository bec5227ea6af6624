//! Flood mode for benchmarks: `N` extra extensions and `M` call loops kept up
//! concurrently, throttled to a target number of AMI events per second.

use super::config::{EndpointConf, FloodConf, SimConfig};
use super::flows::{dial, hangup, FlowError};
use super::model::SimState;
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

/// About how many AMI events one flood call (dial, answer, hang-up) sends without noise.
const EVENTS_PER_CALL: usize = 25;

/// Events waiting for the AMI writers past which the call loops pause (the channel holds
/// 65,536; beyond it a slow connection loses events).
const MAX_BACKLOG: usize = 16_384;

/// Dialplan variables a real call sets (as in the lab recording), cycled by the noise.
const NOISE_VARIABLES: [&str; 8] = [
    "DIALSTATUS",
    "DIALEDPEERNUMBER",
    "ANSWEREDTIME",
    "RINGTIME",
    "BRIDGEPEER",
    "BRIDGEPVTCALLID",
    "RTPAUDIOQOS",
    "RTPAUDIOQOSJITTER",
];

/// `n` dialplan events on channel `ch`: one `Newexten` in eight, the others `VarSet`.
fn noise(st: &mut SimState, ch: &str, n: usize) {
    for i in 0..n {
        if i % 8 == 7 {
            st.emit_chan_with(
                "Newexten",
                ch,
                &[
                    ("Extension", "s".to_owned()),
                    ("Application", "NoOp".to_owned()),
                    ("AppData", "flood".to_owned()),
                ],
            );
        } else {
            st.emit_chan_with(
                "VarSet",
                ch,
                &[
                    ("Variable", NOISE_VARIABLES[i % 8].to_owned()),
                    ("Value", i.to_string()),
                ],
            );
        }
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

/// `a` dials `b`, its caller id name first set to the current time when `tag`; returns the
/// caller's channel.
fn dial_tagged(st: &mut SimState, a: &str, b: &str, tag: bool) -> Result<String, FlowError> {
    if tag {
        if let Some(e) = st.endpoints.get_mut(a) {
            e.name = tag_name(unix_ns());
        }
    }
    dial::phone_dial(st, a, b)
}

/// The phone called by `caller` answers.
fn answer_callee(st: &mut SimState, caller: &str) -> Result<(), FlowError> {
    match st.chan(caller).and_then(|c| c.peer.clone()) {
        Some(callee) => dial::answer(st, &callee),
        None => Ok(()),
    }
}

/// Sleeps `gap` (nothing when zero: the phases then follow each other at once).
async fn pause(gap: Duration) {
    if !gap.is_zero() {
        tokio::time::sleep(gap).await;
    }
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
        let fl = fl.clone();
        tokio::spawn(async move {
            // Throttled loops start spread over one round of calls instead of all at once.
            if target > 0 {
                let per_call = (EVENTS_PER_CALL + fl.noise_per_call) as f64;
                let round = per_call * k as f64 / target as f64;
                tokio::time::sleep(Duration::from_secs_f64(round.min(10.0))).await;
            }
            let base = h.events_sent();
            loop {
                if h.cancel_token().is_cancelled() {
                    return;
                }
                // Back-pressure: the writers must keep up (the event channel would drop).
                if h.backlog() > MAX_BACKLOG {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    continue;
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
                // Three phases; with a gap each is its own burst. The noise is split over
                // them (before the hang-up: after it the channel is gone).
                let third = fl.noise_per_call / 3;
                let last = fl.noise_per_call - 2 * third;
                if let Ok(caller) = h.with(|st| {
                    let caller = dial_tagged(st, &a, &b, tag)?;
                    noise(st, &caller, third);
                    Ok::<_, FlowError>(caller)
                }) {
                    pause(fl.phase_gap).await;
                    let _ = h.with(|st| {
                        answer_callee(st, &caller)?;
                        noise(st, &caller, third);
                        Ok::<_, FlowError>(())
                    });
                    pause(fl.phase_gap).await;
                    let _ = h.with(|st| {
                        noise(st, &caller, last);
                        hangup::hangup(st, &caller, hangup::By::Phone)
                    });
                }
                tokio::task::yield_now().await;
            }
        });
    }
}
