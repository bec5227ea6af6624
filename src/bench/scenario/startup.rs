//! Start-up: the simulator holds `extensions` registered phones and `channels / 2`
//! answered calls before the daemon connects; the figure is the daemon's own
//! `PBX state loaded ... ms` (AMI login → full state applied), plus spawn → first login.

use super::{Rig, Row};
use crate::bench::confgen::extension;
use crate::bench::error::BenchError;

/// Parameters of a start-up run.
#[derive(Debug, Clone, Copy)]
pub struct StartupArgs {
    /// Extensions (generated users).
    pub extensions: usize,
    /// Live channels (two per answered call).
    pub channels: usize,
}

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig.
pub async fn run(a: StartupArgs) -> Result<Vec<Row>, BenchError> {
    let calls = a.channels / 2;
    let extensions = a.extensions.max(2 * calls);
    eprintln!("startup: {extensions} extensions, {calls} answered calls");
    let mut live = 0usize;
    let mut rig = Rig::start("startup", extensions, |sim| {
        for k in 0..calls {
            let (caller, callee) = (extension(2 * k), extension(2 * k + 1));
            if sim.dial(&caller, &callee).is_ok() && sim.answer(&callee).is_ok() {
                live += 2;
            }
        }
    })
    .await?;
    let load = rig.daemon.load_ms();
    let rss = rig.rss_mib()?;
    let ready = rig.spawn_to_ready;
    let cpu = rig.daemon.cpu_secs().unwrap_or(0.0);
    eprintln!(
        "  {live} live channels; AMI login → full state {} ms; spawn → first login {} ms; daemon CPU so far {cpu:.2} s; RSS {rss:.1} MiB",
        load.map_or("?".into(), |m| m.to_string()),
        ready.as_millis()
    );
    Ok(vec![Row::new(
        &format!("Start-up, {extensions} extensions + {live} live channels: AMI login → full state (daemon log `PBX state loaded`)"),
        "≤ 1 s",
        format!(
            "{} ms (process spawn → first accepted login: {} ms; daemon CPU time by then, config load included: {cpu:.2} s; RSS then {rss:.1} MiB)",
            load.map_or("?".into(), |m| m.to_string()),
            ready.as_millis()
        ),
        &format!(
            "cargo run --release --bin nethcti-bench -- startup --extensions {} --channels {}",
            a.extensions, a.channels
        ),
    )])
}
