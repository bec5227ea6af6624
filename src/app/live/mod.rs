//! The live side of the application: the model fed by the PBX, the link that feeds it,
//! the publisher that turns its changes into socket.io events, and the views and hooks
//! through which the HTTP, socket and operations adapters see it.

pub mod coalesce;
pub mod link_stats;
pub mod list_cache;
pub mod load_retry;
pub mod model;
pub mod pbx_link;
pub mod publisher;
pub mod reload_notice;
pub mod render_cache;

pub use link_stats::LinkStats;
pub use model::{ChangeObserver, LiveModel};
pub use publisher::BroadcastSink;
pub mod hooks;
pub mod http_view;
pub mod socket_auth;
