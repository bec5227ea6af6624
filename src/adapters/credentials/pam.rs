//! PAM credential checks (what the original does, service `system-auth`).
//!
//! Not implemented yet: binding libpam needs the `libpam0g-dev` headers and a PAM
//! conversation in a blocking thread; shelling out to a helper is not acceptable. Until
//! then this adapter compiles (with or without the `pam` feature) and every check fails
//! with a clear [`CredentialsError::Unavailable`], so a misconfigured deployment refuses
//! logins instead of accepting them.

use crate::ports::credentials::{Credentials, CredentialsError};
use async_trait::async_trait;

/// PAM checker for one service name.
#[derive(Debug, Clone)]
pub struct PamCredentials {
    service: String,
}

impl PamCredentials {
    /// A checker for PAM service `service` (e.g. `system-auth`).
    pub fn new(service: &str) -> Self {
        Self {
            service: service.to_owned(),
        }
    }
}

#[async_trait]
impl Credentials for PamCredentials {
    async fn check(&self, _username: &str, _password: &str) -> Result<bool, CredentialsError> {
        Err(CredentialsError::Unavailable(format!(
            "PAM service `{}`: PAM support is not implemented in this build; use the passwords.json file backend",
            self.service
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_with_a_clear_error() {
        let err = PamCredentials::new("system-auth").check("a", "b").await;
        assert!(matches!(err, Err(CredentialsError::Unavailable(m)) if m.contains("system-auth")));
    }
}
