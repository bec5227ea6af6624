//! REST: `GET /astproxy/extensions` with `extensions` configured extensions, as the Admin
//! user, with the bench's own keep-alive loop and with `wrk` (when installed), each plain
//! and with `Accept-Encoding: gzip`.

use super::{Rig, Row};
use crate::bench::error::BenchError;
use crate::bench::rest::{load, parse_wrk, run_wrk, wrk_args, Encoding, EXTENSIONS_PATH};
use crate::bench::stats::ms;
use std::time::Duration;

/// Parameters of a REST run.
#[derive(Debug, Clone, Copy)]
pub struct RestArgs {
    /// Extensions (generated users).
    pub extensions: usize,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Seconds per tool.
    pub secs: u64,
}

const ENCODINGS: [Encoding; 2] = [Encoding::Plain, Encoding::Gzip];

/// What the figure names of the gzip rows add.
fn variant(e: Encoding) -> &'static str {
    match e {
        Encoding::Plain => "",
        Encoding::Gzip => ", `Accept-Encoding: gzip`",
    }
}

/// Runs the scenario and returns its rows.
///
/// # Errors
/// [`BenchError`] from the rig or when no request succeeds.
pub async fn run(a: RestArgs) -> Result<Vec<Row>, BenchError> {
    eprintln!(
        "rest: {} extensions, {} connections",
        a.extensions, a.connections
    );
    let rig = Rig::start("rest", a.extensions, |_| {}).await?;
    let cmd = format!(
        "cargo run --release --bin nethcti-bench -- rest --extensions {} --connections {}",
        a.extensions, a.connections
    );
    let mut rows = Vec::new();
    for e in ENCODINGS {
        rows.push(own_loop(&rig, a, e, &cmd).await?);
    }
    for e in ENCODINGS {
        match with_wrk(&rig, a, e, &cmd).await {
            Some(row) => rows.push(row),
            None => {
                eprintln!("  wrk not installed (apt-get install -y wrk): skipped");
                break;
            }
        }
    }
    Ok(rows)
}

async fn own_loop(rig: &Rig, a: RestArgs, e: Encoding, cmd: &str) -> Result<Row, BenchError> {
    let cpu0 = rig.daemon.cpu_secs().unwrap_or(0.0);
    let own = load(
        rig.daemon.http,
        &rig.admin_auth(),
        EXTENSIONS_PATH,
        e,
        a.connections,
        Duration::from_secs(a.secs),
    )
    .await?;
    let own_cpu = rig.daemon.cpu_secs().unwrap_or(0.0) - cpu0;
    let own_per_cpu = own.rps * a.secs as f64 / own_cpu.max(0.001);
    eprintln!(
        "  own loop{}: {:.0} req/s, {}, {} errors, body {} bytes; daemon CPU {own_cpu:.1} s = {own_per_cpu:.0} req per daemon CPU-second",
        variant(e), own.rps, own.latency, own.errors, own.body_bytes
    );
    Ok(Row::new(
        &format!("REST `GET /astproxy/extensions`, {} extensions{}, bench's own loop ({} keep-alive connections, client in the bench process)", a.extensions, variant(e), a.connections),
        "≥ 20 k req/s",
        format!(
            "{:.2} k req/s, p99 {} ms (p50 {} ms, {} errors, {} KB per answer); {:.0} req per daemon CPU-second",
            own.rps / 1000.0,
            ms(own.latency.p99),
            ms(own.latency.p50),
            own.errors,
            own.body_bytes / 1000,
            own_per_cpu
        ),
        cmd,
    ))
}

/// The `wrk` row, `None` when wrk is not installed.
async fn with_wrk(rig: &Rig, a: RestArgs, e: Encoding, cmd: &str) -> Option<Row> {
    let args = wrk_args(
        rig.daemon.http,
        &rig.admin_auth(),
        EXTENSIONS_PATH,
        e,
        a.connections,
        a.secs,
    );
    eprintln!(
        "  wrk {}",
        args.iter()
            .map(|s| if s.contains(' ') {
                format!("\"{s}\"")
            } else {
                s.clone()
            })
            .collect::<Vec<_>>()
            .join(" ")
    );
    let cpu1 = rig.daemon.cpu_secs().unwrap_or(0.0);
    let out = run_wrk(&args).await?;
    let wrk_cpu = rig.daemon.cpu_secs().unwrap_or(0.0) - cpu1;
    let (rps, p99) = parse_wrk(&out);
    let per_cpu = rps.map_or(0.0, |r| r * a.secs as f64 / wrk_cpu.max(0.001));
    eprintln!("{out}");
    let header = e
        .accept()
        .map(|ae| format!(" -H \"Accept-Encoding: {ae}\""))
        .unwrap_or_default();
    Some(Row::new(
        &format!("REST `GET /astproxy/extensions`, {} extensions{}, `wrk` ({} connections, 2 threads)", a.extensions, variant(e), a.connections),
        "≥ 20 k req/s",
        format!(
            "{} k req/s, p99 {}; {per_cpu:.0} req per daemon CPU-second",
            rps.map_or("?".into(), |r| format!("{:.2}", r / 1000.0)),
            p99.unwrap_or_else(|| "?".into())
        ),
        &format!("{cmd} (runs `wrk -t2 -c{} -d{}s --latency -H \"Authorization: u00000:<token>\"{header} http://127.0.0.1:<port>/astproxy/extensions`)", a.connections, a.secs),
    ))
}
