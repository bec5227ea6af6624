//! socket.io push channel (websocket.md): login, rooms by permission, fan-out of switchboard events.
//!
//! # Using it
//! 1. Implement [`SocketAuthenticator`] over the auth domain.
//! 2. [`build`] the service around `warp::service(routes)`; [`serve`] it on each listener
//!    (HTTP port and the separate websocket port) with a [`CancellationToken`](tokio_util::sync::CancellationToken).
//! 3. Map domain changes to [`Broadcast`]s (see the constructors in [`events`]) and
//!    [`PushHub::publish`] them; [`PushHub::close_revoked`] after a logout or a token
//!    expiry closes the sockets logged in with the dead token ([`PushHub::close_user`]
//!    closes all of a user's sockets).
//!
//! ```no_run
//! use std::sync::Arc;
//! use nethcti_server::adapters::push::{self, Broadcast, PushConfig, ServeLimits, SocketAuthenticator};
//! use tokio_util::sync::CancellationToken;
//! use warp::Filter;
//!
//! async fn wire(auth: Arc<dyn SocketAuthenticator>, log: slog::Logger) -> std::io::Result<()> {
//!     let routes = warp::path("version").map(|| "1");
//!     let config = PushConfig::default();
//!     let limits = ServeLimits::new(&config);
//!     let (svc, hub) = push::build(warp::service(routes), auth, config, log.clone());
//!     let shutdown = CancellationToken::new();
//!     let http = tokio::net::TcpListener::bind("127.0.0.1:8179").await?;
//!     let ws = tokio::net::TcpListener::bind("127.0.0.1:8181").await?;
//!     tokio::spawn(push::serve(http, svc.clone(), shutdown.child_token(), limits.clone(), log.clone()));
//!     tokio::spawn(push::serve(ws, svc, shutdown.child_token(), limits, log));
//!     hub.publish(&Broadcast::server_reloaded()).ok();
//!     hub.close_user("alice");
//!     shutdown.cancel();
//!     Ok(())
//! }
//! ```
//!
//! # Wire choices
//! - Every published event carries `{"_seq": n}` as an extra trailing socket.io argument
//!   (`42["extenUpdate",{…},{"_seq":7}]`); `n` grows by one per publication, hub-wide.
//!   `authe_ok`, `401` and `takeOver` are per-socket replies and carry none.
//! - Per-user audiences match the canonical username returned by the authenticator (the
//!   original compared the raw `accessKeyId`, quirk 2).
//! - Each logged-in socket has a bounded queue drained by its own task; overflow disconnects it.

mod broadcast;
mod config;
mod encoded;
mod error;
pub mod events;
mod handlers;
mod hub;
mod kill;
mod limits;
mod login;
mod outbox;
mod owned_head;
mod registry;
mod rooms;
mod serve;
mod user;

pub use broadcast::{Audience, Broadcast};
pub use config::PushConfig;
pub use error::PushError;
pub use hub::{PublishOutcome, PushHub, SessionEvent, SessionInfo};
pub use kill::KillSwitch;
pub use limits::ServeLimits;
pub use rooms::{room_name, RoomSet, Topic, Variant};
pub use serve::{build, serve};
pub use user::{PushPermissions, SocketAuthenticator, SocketUser, UaType};
