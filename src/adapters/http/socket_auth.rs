//! The socket.io login check over the same token store and identity rules as HTTP: a
//! [`SocketAuthenticator`] for the push adapter (normal, persistent and phone-island tokens;
//! extension and `user@domain` keys map to the canonical username).

use super::state::HttpApp;
use crate::adapters::push::{PushPermissions, SocketAuthenticator, SocketUser};
use crate::domain::auth::authorization_user;
use crate::domain::policy::Permissions;
use async_trait::async_trait;
use std::sync::Arc;

/// Socket logins checked by the HTTP adapter's auth service.
#[derive(Clone)]
pub struct AppSocketAuthenticator {
    app: Arc<HttpApp>,
}

impl AppSocketAuthenticator {
    /// Wraps the application.
    pub fn new(app: Arc<HttpApp>) -> Self {
        Self { app }
    }
}

/// The push permission bits of a user.
pub fn push_permissions(perms: &Permissions<'_>) -> PushPermissions {
    PushPermissions {
        presence_panel: perms.presence_panel(),
        queues: perms.queues(),
        admin_queues: perms.admin_queues(),
        trunks: perms.op_trunks(),
        parkings: perms.op_parkings(),
        qmanager: perms.qmanager(),
        screen_sharing: perms.screen_sharing(),
        privacy: perms.privacy_enabled(),
    }
}

#[async_trait]
impl SocketAuthenticator for AppSocketAuthenticator {
    async fn verify(&self, access_key_id: &str, token: &str) -> Option<SocketUser> {
        if access_key_id.is_empty() || token.is_empty() {
            return None;
        }
        self.app.auth.verify(access_key_id, token)?;
        let dir = self.app.directory();
        let username = authorization_user(access_key_id, &dir.users, false);
        let perms = Permissions::of(&username, &dir.users, &dir.profiles);
        Some(SocketUser {
            permissions: push_permissions(&perms),
            username,
        })
    }
}
