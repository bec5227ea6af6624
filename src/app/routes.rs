//! The daemon's HTTP routes: the REST API plus the operation routes (`/astproxy/<op>`,
//! `unauthe_call`) executed on the PBX over the live model, behind one auth gate.

use super::live::hooks::LiveHooks;
use super::live::publisher::BroadcastSink;
use super::live::LiveModel;
use super::operations::wiring::ops_config;
use super::operations::{Bounds, LiveView, OperationsDeps, OperationsService};
use crate::adapters::config::Config;
use crate::adapters::http::operations::glue::operations_routes;
use crate::adapters::http::{api, finish, HttpApp};
use crate::adapters::phone_http::{HttpPhoneApi, PhoneClientError};
use crate::ports::clock::Clock;
use crate::ports::pbx::Pbx;
use slog::Logger;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use warp::reply::Response;
use warp::Filter;

/// Timeout of one request to a phone's HTTP API (`Bounds::phone` also caps it).
const PHONE_TIMEOUT: Duration = Duration::from_secs(4);

/// What the operation routes run on.
pub struct OpsParts {
    /// The PBX command port.
    pub pbx: Arc<dyn Pbx>,
    /// The live model (read view and effects).
    pub model: Arc<LiveModel>,
    /// Where `callWebrtc`/`answerWebrtc` pushes go.
    pub sink: Arc<dyn BroadcastSink>,
    /// Wall clock.
    pub clock: Arc<dyn Clock>,
}

/// Every HTTP route of the daemon (`/metrics` included), finished with the gate fallback and error handler.
///
/// # Errors
/// [`PhoneClientError`] when the phone HTTP client cannot be built.
pub fn daemon_routes(
    app: Arc<HttpApp>,
    config: &Config,
    parts: OpsParts,
    metrics: Arc<super::metrics::Metrics>,
    log: Logger,
) -> Result<impl Filter<Extract = (Response,), Error = Infallible> + Clone, PhoneClientError> {
    let svc = Arc::new(OperationsService::new(OperationsDeps {
        pbx: parts.pbx,
        phone: Arc::new(HttpPhoneApi::new(PHONE_TIMEOUT)?),
        view: Arc::new(LiveView::new(
            parts.model.shared().clone(),
            parts.clock.clone(),
        )),
        hooks: Arc::new(LiveHooks::new(parts.model, parts.sink)),
        clock: parts.clock,
        config: Arc::new(ops_config(config)),
        bounds: Bounds::default(),
        log,
    }));
    let all = super::metrics::route(metrics)
        .or(api(app.clone()))
        .unify()
        .or(operations_routes(app.clone(), svc))
        .unify()
        .boxed();
    Ok(finish(all, app))
}
