//! The REST adapter (warp 0.4): the auth gate, login and token routes, the user and
//! astproxy reads, CORS and the error mapping. Build the filter with [`routes`] from an
//! [`HttpApp`], serve it with [`serve`].

pub mod auth_service;
pub mod cors;
pub mod error;
pub mod filters;
pub mod from_config;
pub mod gzip;
pub mod handlers;
pub mod json_body;
pub mod list_privacy;
pub mod memory_switchboard;
pub mod operations;
pub mod request;
pub mod settings_store;
pub mod socket_auth;
pub mod state;
pub mod switchboard_view;
pub mod user_push;

pub use auth_service::{AuthService, AuthSettings};
pub use filters::{api, finish, routes, with_app};
pub use json_body::JsonBody;
pub use list_privacy::ListPrivacy;
pub use memory_switchboard::MemorySwitchboard;
pub use state::{ApiConfig, ClientCounters, Directory, HttpApp, HttpLimits, PhoneUrlRule};
pub use switchboard_view::{ExtenState, SwitchboardView};
pub use user_push::UserPush;

use std::future::Future;
use std::sync::Arc;

/// Serves the routes on an already bound listener until `shutdown` completes.
pub async fn serve(
    app: Arc<HttpApp>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) {
    warp::serve(routes(app))
        .incoming(listener)
        .graceful(shutdown)
        .run()
        .await;
}

/// Deletes expired temporary tokens every `every` (the original sweeps every
/// `expiration_timeout`) until `shutdown` completes.
pub async fn run_sweeper(
    app: Arc<HttpApp>,
    every: std::time::Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut tick = tokio::time::interval(every.max(std::time::Duration::from_secs(1)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tick.tick() => {
                let n = app.auth.sweep();
                if n > 0 {
                    slog::debug!(app.log, "expired tokens swept"; "count" => n);
                }
            }
        }
    }
}
