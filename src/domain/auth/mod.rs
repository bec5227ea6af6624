//! Authentication policy: nonces and tokens, the token store, identity normalisation,
//! the request gate and login rate limiting. Pure: time and randomness are passed in.

pub mod gate;
pub mod identity;
pub mod ipnet;
pub mod rate_limit;
pub mod store;
pub mod token;

pub use gate::{decide, Gate, GateRequest, UnautheCall};
pub use identity::{authorization_user, resolve_login, LoginIdentity, LoginNameError};
pub use rate_limit::{LoginLimiter, RateLimitPolicy, RetryAfter};
pub use store::{phone_island_key, TokenKind, TokenLifetime, TokenStore};
pub use token::{compute_token, nonce_from, TokenHash};
