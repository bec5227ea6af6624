//! The decision table every request goes through before routing (auth.md §4): pre-flight,
//! public prefixes, the IP-gated unauthenticated call, then the token check. An empty or
//! malformed `Authorization` header is always refused, never passed through.

use super::ipnet::AllowedNetworks;

/// Longest accepted `Authorization` header value.
pub const MAX_AUTHORIZATION_LEN: usize = 1024;

/// Prefixes served without any token (plain string prefixes on the raw URL, §4 row 2).
pub const PUBLIC_PREFIXES: [&str; 4] =
    ["/authentication/login", "/static", "/profiling", "/metrics"];

/// Path prefix of the unauthenticated call.
pub const UNAUTHE_CALL_PREFIX: &str = "/astproxy/unauthe_call";

/// The `unauthe_call` configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnautheCall {
    /// `status == "enabled"`.
    pub enabled: bool,
    /// `allowed_ip`.
    pub allowed: AllowedNetworks,
}

/// What the gate sees of a request.
#[derive(Debug, Clone, Copy)]
pub struct GateRequest<'a> {
    /// The method is OPTIONS.
    pub is_options: bool,
    /// Path with query string, as received.
    pub path_and_query: &'a str,
    /// The `Authorization` header (None when absent or not valid text).
    pub authorization: Option<&'a str>,
    /// The client IP (the peer, or the address a local proxy appended); `None` when unknown.
    pub client_ip: Option<&'a str>,
}

/// The gate's verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Answer the CORS pre-flight.
    Preflight,
    /// Let it through without identity.
    Public,
    /// 401.
    Unauthorized,
    /// Verify this key/token pair.
    CheckToken {
        /// The identity key (username, `user@domain` or extension).
        key: String,
        /// The presented token.
        token: String,
    },
}

/// Splits `key:token` (anything after a second `:` ignored). Empty parts, over-long values
/// and control characters are malformed.
pub fn parse_authorization(value: &str) -> Option<(String, String)> {
    if value.len() > MAX_AUTHORIZATION_LEN || value.chars().any(char::is_control) {
        return None;
    }
    let mut parts = value.split(':');
    let key = parts.next()?.trim();
    let token = parts.next()?.trim();
    (!key.is_empty() && !token.is_empty()).then(|| (key.to_owned(), token.to_owned()))
}

/// Applies the decision table.
pub fn decide(req: &GateRequest<'_>, unauthe: &UnautheCall) -> Gate {
    if req.is_options {
        return Gate::Preflight;
    }
    let path = req.path_and_query;
    if PUBLIC_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return Gate::Public;
    }
    if path.starts_with(UNAUTHE_CALL_PREFIX) {
        // The client IP, not the client-controlled forwarded list (quirk 10).
        let ip_ok = req.client_ip.is_some_and(|x| unauthe.allowed.allows(x));
        return if unauthe.enabled && ip_ok {
            Gate::Public
        } else {
            Gate::Unauthorized
        };
    }
    match req.authorization.and_then(parse_authorization) {
        Some((key, token)) => Gate::CheckToken { key, token },
        None => Gate::Unauthorized,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(path: &'a str, auth: Option<&'a str>) -> GateRequest<'a> {
        GateRequest {
            is_options: false,
            path_and_query: path,
            authorization: auth,
            client_ip: None,
        }
    }

    #[test]
    fn decision_table_rows() {
        let u = UnautheCall::default();
        let opt = GateRequest {
            is_options: true,
            ..req("/user/me", None)
        };
        assert_eq!(decide(&opt, &u), Gate::Preflight);
        assert_eq!(
            decide(&req("/authentication/loginXYZ", None), &u),
            Gate::Public
        );
        assert_eq!(decide(&req("/profiling/all", None), &u), Gate::Public);
        assert_eq!(decide(&req("/user/me", None), &u), Gate::Unauthorized);
        assert_eq!(decide(&req("/user/me", Some("")), &u), Gate::Unauthorized);
        assert_eq!(
            decide(&req("/user/me", Some("alice")), &u),
            Gate::Unauthorized
        );
        assert_eq!(
            decide(&req("/user/me", Some(":abc")), &u),
            Gate::Unauthorized
        );
        assert_eq!(
            decide(&req("/user/me", Some("alice:")), &u),
            Gate::Unauthorized
        );
        assert_eq!(
            decide(&req("/user/me", Some("alice:abc:extra")), &u),
            Gate::CheckToken {
                key: "alice".into(),
                token: "abc".into()
            }
        );
        let long = format!("alice:{}", "a".repeat(2000));
        assert_eq!(
            decide(&req("/user/me", Some(&long)), &u),
            Gate::Unauthorized
        );
    }

    #[test]
    fn unauthe_call_needs_enabled_and_an_allowed_client_ip() {
        let mut u = UnautheCall {
            enabled: true,
            allowed: AllowedNetworks::parse("10.0.0.0/8"),
        };
        let mut r = req("/astproxy/unauthe_call", Some("alice:abc"));
        assert_eq!(decide(&r, &u), Gate::Unauthorized);
        r.client_ip = Some("10.1.2.3");
        assert_eq!(decide(&r, &u), Gate::Public);
        r.client_ip = Some("192.168.1.1");
        assert_eq!(decide(&r, &u), Gate::Unauthorized);
        r.client_ip = Some("10.1.2.3");
        u.enabled = false;
        assert_eq!(decide(&r, &u), Gate::Unauthorized);
    }
}
