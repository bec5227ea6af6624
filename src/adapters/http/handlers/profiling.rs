//! `GET /profiling/all` (unauthenticated, as the original).

use super::{json, respond};
use crate::adapters::http::cors::Backend;
use crate::adapters::http::request::Ctx;
use serde_json::json as j;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use warp::reply::Response;

fn uptime(secs: i64) -> String {
    let s = secs.max(0);
    format!(
        "{} Days - {:02}:{:02}:{:02}",
        s / 86_400,
        (s % 86_400) / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

/// `GET /profiling/all`.
pub async fn all(ctx: Ctx) -> Result<Response, Infallible> {
    respond(&ctx, Backend::Profiling, async {
        let app = &ctx.app;
        let cfg = app.config();
        let now = app.clock.now_ms();
        let ws = app.counters.ws.load(Ordering::Relaxed);
        let tcp = app.counters.tcp.load(Ordering::Relaxed);
        Ok(json(&j!({
            "pid": std::process::id(),
            "uptime": uptime((now - app.started_ms) / 1000),
            "pkg_ver": cfg.pkg_ver,
            "node_ver": "",
            "proc_mem": {},
            "db_stats": {"numExecQueries": 0},
            "tot_users": app.directory().users.len(),
            "conn_clients": {"ws_conn_clients": ws, "tcp_conn_clients": {"tot": tcp}},
            "hostname": cfg.hostname,
            "publichost": cfg.publichost,
            "server_time": now,
        })))
    })
    .await
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_uptime() {
        assert_eq!(super::uptime(90_061), "1 Days - 01:01:01");
        assert_eq!(super::uptime(-5), "0 Days - 00:00:00");
    }
}
