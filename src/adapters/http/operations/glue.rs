//! Mounting the operation routes behind this adapter's auth gate: the [`Caller`] comes
//! from the gate's identity, `users.json`, `profiles.json`, the user's
//! `default_extension` setting and `recallonbusy.json`.

use super::{operations_filter, unauthe_call_filter};
use crate::adapters::http::error::Rejected;
use crate::adapters::http::request::gate;
use crate::adapters::http::state::HttpApp;
use crate::app::operations::OperationsService;
use crate::domain::operations::Caller;
use serde_json::Value;
use std::sync::Arc;
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::{Filter, Rejection};

/// The caller of an authenticated request (401 when the gate refuses or the user is
/// unknown; the FreePBX `admin` gets an empty caller, which owns nothing).
pub fn caller(app: Arc<HttpApp>) -> impl Filter<Extract = (Caller,), Error = Rejection> + Clone {
    gate(app).and_then(|ctx: crate::adapters::http::request::Ctx| async move {
        let Some(id) = ctx.identity.as_ref() else {
            return Err(warp::reject::custom(Rejected::Unauthorized));
        };
        let dir = ctx.app.directory();
        let Some(user) = dir.users.get(&id.user) else {
            if id.user == "admin" {
                return Ok(Caller {
                    username: "admin".into(),
                    ..Caller::default()
                });
            }
            return Err(warp::reject::custom(Rejected::Unauthorized));
        };
        let profile = user.profile_id.as_deref().and_then(|p| dir.profiles.get(p));
        let settings = ctx.app.settings.get(&user.username);
        let default_ext = settings
            .get("default_extension")
            .and_then(Value::as_str)
            .filter(|e| user.all_extensions().any(|x| x == *e));
        let mut caller = Caller::from_user(user, profile, default_ext);
        caller.recall_on_busy = ctx
            .app
            .config()
            .recall_on_busy
            .get(&user.username)
            .copied()
            .unwrap_or(false);
        Ok(caller)
    })
}

/// Every operation route (`POST /astproxy/<name>` and `unauthe_call`), behind the gate.
/// Mount before [`finish`](crate::adapters::http::finish):
/// `finish(api(app.clone()).or(operations_routes(app.clone(), svc)).unify().boxed(), app)`.
pub fn operations_routes(
    app: Arc<HttpApp>,
    svc: Arc<OperationsService>,
) -> BoxedFilter<(Response,)> {
    let open = gate(app.clone()).map(|_| ()).untuple_one();
    operations_filter(svc.clone(), caller(app))
        .or(unauthe_call_filter(svc, open))
        .unify()
        .boxed()
}
