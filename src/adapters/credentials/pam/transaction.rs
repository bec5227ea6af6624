//! One blocking PAM transaction for a username/password pair (`pam` feature only).
//!
//! A refusal by the stack (wrong password, unknown user, locked or expired account) is
//! `Ok(false)`; anything else PAM reports (stack misconfigured, module missing, auth
//! information unreachable) is an error carrying PAM's own text, never the password.

use crate::ports::credentials::CredentialsError;
use pam_client::conv_mock::Conversation;
use pam_client::{Context, ErrorCode, Flag};

/// Runs `pam_authenticate` then `pam_acct_mgmt` on `service` for `user`, answering every
/// prompt with the user name (echo on) or the password (echo off).
///
/// # Errors
/// [`CredentialsError::Unavailable`] when PAM fails for another reason than a refusal.
pub(super) fn authenticate(
    service: &str,
    user: &str,
    password: &str,
) -> Result<bool, CredentialsError> {
    let conversation = Conversation::with_credentials(user, password);
    let mut ctx = Context::new(service, Some(user), conversation)
        .map_err(|e| failure(service, "pam_start", e.code(), &e.to_string()))?;
    if let Err(e) = ctx.authenticate(Flag::DISALLOW_NULL_AUTHTOK) {
        return outcome(service, "pam_authenticate", e.code(), &e.to_string());
    }
    if let Err(e) = ctx.acct_mgmt(Flag::DISALLOW_NULL_AUTHTOK) {
        return outcome(service, "pam_acct_mgmt", e.code(), &e.to_string());
    }
    Ok(true)
}

/// `Ok(false)` for the codes that mean "these credentials do not log in".
fn outcome(
    service: &str,
    step: &str,
    code: ErrorCode,
    text: &str,
) -> Result<bool, CredentialsError> {
    if is_refusal(code) {
        Ok(false)
    } else {
        Err(failure(service, step, code, text))
    }
}

fn is_refusal(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::AUTH_ERR
            | ErrorCode::USER_UNKNOWN
            | ErrorCode::MAXTRIES
            | ErrorCode::CRED_INSUFFICIENT
            | ErrorCode::PERM_DENIED
            | ErrorCode::ACCT_EXPIRED
            | ErrorCode::NEW_AUTHTOK_REQD
            | ErrorCode::AUTHTOK_EXPIRED
            | ErrorCode::CRED_EXPIRED
    )
}

fn failure(service: &str, step: &str, code: ErrorCode, text: &str) -> CredentialsError {
    CredentialsError::Unavailable(format!(
        "PAM service `{service}`: {step} failed: {code:?} ({text})"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_not_errors_and_system_failures_are() {
        assert_eq!(outcome("s", "x", ErrorCode::AUTH_ERR, "t"), Ok(false));
        assert_eq!(outcome("s", "x", ErrorCode::USER_UNKNOWN, "t"), Ok(false));
        assert_eq!(outcome("s", "x", ErrorCode::ACCT_EXPIRED, "t"), Ok(false));
        assert_eq!(
            outcome(
                "s",
                "pam_authenticate",
                ErrorCode::SYSTEM_ERR,
                "System error"
            ),
            Err(CredentialsError::Unavailable(
                "PAM service `s`: pam_authenticate failed: SYSTEM_ERR (System error)".into()
            ))
        );
        assert!(outcome("s", "x", ErrorCode::AUTHINFO_UNAVAIL, "t").is_err());
        assert!(outcome("s", "x", ErrorCode::MODULE_UNKNOWN, "t").is_err());
    }
}
