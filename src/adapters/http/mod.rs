//! The REST adapter (warp 0.4): the auth gate, login and token routes, the user and
//! astproxy reads, CORS and the error mapping. Build the filter with [`routes`] from an
//! [`HttpApp`], serve it with [`serve`].

pub mod auth_service;
pub mod cors;
pub mod error;
pub mod filters;
pub mod from_config;
pub mod handlers;
pub mod memory_switchboard;
pub mod request;
pub mod settings_store;
pub mod state;
pub mod switchboard_view;

pub use auth_service::{AuthService, AuthSettings};
pub use filters::{api, finish, routes, with_app};
pub use memory_switchboard::MemorySwitchboard;
pub use state::{ApiConfig, ClientCounters, Directory, HttpApp, HttpLimits, PhoneUrlRule};
pub use switchboard_view::{ExtenState, SwitchboardView};

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
