//! `GET /metrics`: the daemon's counters in the Prometheus text format (AMI events taken
//! and applied, logged-in sockets, model sizes). Counts only, no names or numbers, so it
//! is served without a token, for scrapers.

use super::live::{LinkStats, LiveModel};
use crate::adapters::push::PushHub;
use std::fmt::Write;
use std::sync::{Arc, OnceLock};
use warp::http::header::CONTENT_TYPE;
use warp::reply::Response;
use warp::Filter;

/// What `/metrics` reads; the hub is set once built (it wraps the routes).
pub struct Metrics {
    /// The PBX link's counters.
    pub link: Arc<LinkStats>,
    /// The live model (sizes).
    pub model: Arc<LiveModel>,
    /// The push hub (logged-in sockets).
    pub hub: OnceLock<PushHub>,
}

impl Metrics {
    /// The exposition text.
    pub fn render(&self) -> String {
        let (extensions, queues, trunks, parkings, channels) = self.model.counts();
        let sockets = self.hub.get().map_or(0, PushHub::session_count);
        let rows: [(&str, &str, &str, u64); 10] = [
            (
                "nethcti_ami_events_received_total",
                "counter",
                "AMI event frames taken off the AMI connection and processed",
                self.link.received(),
            ),
            (
                "nethcti_ami_events_applied_total",
                "counter",
                "AMI events translated to a model event and applied",
                self.link.applied(),
            ),
            (
                "nethcti_ami_events_unknown_total",
                "counter",
                "AMI events of an unknown name, dropped",
                self.link.unknown(),
            ),
            (
                "nethcti_ami_batches_total",
                "counter",
                "Batches of AMI events applied under one model lock",
                self.link.batches(),
            ),
            (
                "nethcti_sockets_logged_in",
                "gauge",
                "Logged-in socket.io sockets",
                sockets as u64,
            ),
            (
                "nethcti_extensions",
                "gauge",
                "Extensions in the model",
                extensions as u64,
            ),
            (
                "nethcti_queues",
                "gauge",
                "Queues in the model",
                queues as u64,
            ),
            (
                "nethcti_trunks",
                "gauge",
                "Trunks in the model",
                trunks as u64,
            ),
            (
                "nethcti_parkings",
                "gauge",
                "Parking slots in the model",
                parkings as u64,
            ),
            (
                "nethcti_channels",
                "gauge",
                "Live channels in the model",
                channels as u64,
            ),
        ];
        let mut out = String::new();
        for (name, kind, help, value) in rows {
            let _ = writeln!(
                out,
                "# HELP {name} {help}.\n# TYPE {name} {kind}\n{name} {value}"
            );
        }
        out
    }
}

/// `GET /metrics`.
pub fn route(
    metrics: Arc<Metrics>,
) -> impl Filter<Extract = (Response,), Error = warp::Rejection> + Clone {
    // Path first: a method filter first would turn every unknown path into a 405.
    warp::path("metrics")
        .and(warp::path::end())
        .and(warp::get())
        .map(move || {
            let mut response = Response::new(metrics.render().into());
            if let Ok(v) = "text/plain; version=0.0.4".parse() {
                response.headers_mut().insert(CONTENT_TYPE, v);
            }
            response
        })
}
