//! The socket login check ([`SocketAuthenticator`]) over the HTTP auth service: the same
//! tokens (normal, persistent, phone-island) open a socket, and the user's profile decides
//! its rooms.

use crate::adapters::http::state::HttpApp;
use crate::adapters::push::{PushPermissions, SocketAuthenticator, SocketUser};
use crate::domain::auth::identity::authorization_user;
use crate::domain::policy::Permissions;
use async_trait::async_trait;
use std::sync::Arc;

/// [`SocketAuthenticator`] over the HTTP application's auth service and directory.
pub struct AppSocketAuth {
    app: Arc<HttpApp>,
}

impl AppSocketAuth {
    /// Checks tokens with `app.auth`, permissions from `app.directory`.
    pub fn new(app: Arc<HttpApp>) -> Self {
        Self { app }
    }
}

/// The push permissions of a user's profile.
pub fn push_permissions(p: &Permissions<'_>) -> PushPermissions {
    PushPermissions {
        presence_panel: p.presence_panel(),
        queues: p.queues(),
        admin_queues: p.admin_queues(),
        trunks: p.op_trunks(),
        parkings: p.op_parkings() || p.admin_parkings(),
        qmanager: p.qmanager(),
        screen_sharing: p.screen_sharing(),
        privacy: p.privacy_enabled(),
    }
}

#[async_trait]
impl SocketAuthenticator for AppSocketAuth {
    async fn verify(&self, access_key_id: &str, token: &str) -> Option<SocketUser> {
        if access_key_id.is_empty() || token.is_empty() {
            return None;
        }
        self.app.auth.verify(access_key_id, token)?;
        let dir = self.app.directory();
        let username = authorization_user(access_key_id, &dir.users, false);
        dir.users.get(&username)?;
        let perms = Permissions::of(&username, &dir.users, &dir.profiles);
        Some(SocketUser {
            permissions: push_permissions(&perms),
            username,
        })
    }

    async fn keep_alive(&self, access_key_id: &str, token: &str) {
        let _ = self.app.auth.refresh(access_key_id, token);
    }
}
