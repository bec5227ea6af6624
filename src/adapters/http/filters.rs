//! Route table: the CORS pre-flight first, then every route behind the gate, then a
//! fallback that still runs the gate (so unknown paths answer 401 before 404).
//!
//! Every route matches its path before its method, so a `MethodNotAllowed` rejection means
//! "this path exists with another method" (405) and anything else unknown is a 404.

use super::cors;
use super::error::{handle_rejection, NoRoute};
use super::handlers::{astproxy, auth, profiling, user};
use super::request::{body, gate, raw_query, Ctx};
use super::state::HttpApp;
use crate::domain::policy::PresenceKind;
use std::sync::Arc;
use warp::filters::BoxedFilter;
use warp::reply::Response;
use warp::Filter;

/// Injects the application into a filter chain.
pub fn with_app(
    app: Arc<HttpApp>,
) -> impl Filter<Extract = (Arc<HttpApp>,), Error = std::convert::Infallible> + Clone {
    warp::any().map(move || app.clone())
}

type Route = BoxedFilter<(Response,)>;

fn authentication(app: &Arc<HttpApp>) -> Route {
    let g = gate(app.clone());
    let b = body(app.limits.max_body);
    let login = warp::path!("authentication" / "login")
        .and(warp::post())
        .and(g.clone())
        .and(raw_query())
        .and(b.clone())
        .and_then(auth::login);
    let logout = warp::path!("authentication" / "logout")
        .and(warp::post())
        .and(g.clone())
        .and_then(auth::logout);
    let persistent = warp::path!("authentication" / "persistent_token_login")
        .and(warp::post())
        .and(g.clone())
        .and(raw_query())
        .and(b.clone())
        .and_then(|c: Ctx, q, body| auth::mint(c, false, q, body));
    let island = warp::path!("authentication" / "phone_island_token_login")
        .and(warp::post())
        .and(g.clone())
        .and(raw_query())
        .and(b.clone())
        .and_then(|c: Ctx, q, body| auth::mint(c, true, q, body));
    let check = warp::path!("authentication" / "phone_island_token_check")
        .and(warp::get())
        .and(g.clone())
        .and(raw_query())
        .and_then(auth::phone_island_check);
    let remove = warp::path!("authentication" / "persistent_token_remove")
        .and(warp::post())
        .and(g)
        .and(raw_query())
        .and(b)
        .and_then(auth::persistent_remove);
    login
        .or(logout)
        .unify()
        .or(persistent)
        .unify()
        .or(island)
        .unify()
        .or(check)
        .unify()
        .or(remove)
        .unify()
        .boxed()
}

fn user_reads(app: &Arc<HttpApp>) -> Route {
    let g = gate(app.clone());
    let get = |p: BoxedFilter<()>| p.and(warp::get()).and(g.clone());
    let me = get(warp::path!("user" / "me").boxed()).and_then(user::me);
    let all = get(warp::path!("user" / "endpoints" / "all").boxed()).and_then(user::endpoints_all);
    let plist = get(warp::path!("user" / "presencelist").boxed()).and_then(user::presencelist);
    let plist_b = get(warp::path!("user" / "presencelist_onbusy").boxed())
        .and_then(user::presencelist_conditional);
    let plist_u = get(warp::path!("user" / "presencelist_onunavailable").boxed())
        .and_then(user::presencelist_conditional);
    let pres = get(warp::path!("user" / "presence").boxed())
        .and_then(|c| user::presence_get(c, PresenceKind::Main));
    let pres_b = get(warp::path!("user" / "presence_onbusy").boxed())
        .and_then(|c| user::presence_get(c, PresenceKind::OnBusy));
    let pres_u = get(warp::path!("user" / "presence_onunavailable").boxed())
        .and_then(|c| user::presence_get(c, PresenceKind::OnUnavailable));
    let avatars = get(warp::path!("user" / "all_avatars").boxed()).and_then(user::all_avatars);
    let paramurl = get(warp::path!("user" / "paramurl").boxed()).and_then(user::paramurl);
    me.or(all)
        .unify()
        .or(plist)
        .unify()
        .or(plist_b)
        .unify()
        .or(plist_u)
        .unify()
        .or(pres)
        .unify()
        .or(pres_b)
        .unify()
        .or(pres_u)
        .unify()
        .or(avatars)
        .unify()
        .or(paramurl)
        .unify()
        .boxed()
}

fn user_writes(app: &Arc<HttpApp>) -> Route {
    let g = gate(app.clone());
    let b = body(app.limits.max_body);
    let post = |p: BoxedFilter<()>| {
        p.and(warp::post())
            .and(g.clone())
            .and(raw_query())
            .and(b.clone())
    };
    let pres = post(warp::path!("user" / "presence").boxed())
        .and_then(|c, q, body| user::presence_post(c, PresenceKind::Main, q, body));
    let pres_b = post(warp::path!("user" / "presence_onbusy").boxed())
        .and_then(|c, q, body| user::presence_post(c, PresenceKind::OnBusy, q, body));
    let pres_u = post(warp::path!("user" / "presence_onunavailable").boxed())
        .and_then(|c, q, body| user::presence_post(c, PresenceKind::OnUnavailable, q, body));
    let settings = post(warp::path!("user" / "settings").boxed()).and_then(user::settings);
    let device =
        post(warp::path!("user" / "default_device").boxed()).and_then(user::default_device);
    pres.or(pres_b)
        .unify()
        .or(pres_u)
        .unify()
        .or(settings)
        .unify()
        .or(device)
        .unify()
        .boxed()
}

fn astproxy_reads(app: &Arc<HttpApp>) -> Route {
    let g = gate(app.clone());
    let get = |p: BoxedFilter<()>| p.and(warp::get()).and(g.clone());
    let exts = get(warp::path!("astproxy" / "extensions").boxed()).and_then(astproxy::extensions);
    let ext = warp::path!("astproxy" / "extension" / String)
        .and(warp::get())
        .and(g.clone())
        .and_then(astproxy::extension);
    let queues = get(warp::path!("astproxy" / "queues").boxed()).and_then(astproxy::queues);
    let trunks = get(warp::path!("astproxy" / "trunks").boxed()).and_then(astproxy::trunks);
    let parkings = get(warp::path!("astproxy" / "parkings").boxed()).and_then(astproxy::parkings);
    let opgroups = get(warp::path!("astproxy" / "opgroups").boxed()).and_then(astproxy::opgroups);
    let prefix = get(warp::path!("astproxy" / "prefix").boxed()).and_then(astproxy::prefix);
    let codes =
        get(warp::path!("astproxy" / "feature_codes").boxed()).and_then(astproxy::feature_codes);
    let opdata = get(warp::path!("astproxy" / "opdata").boxed()).and_then(astproxy::opdata);
    let sip = get(warp::path!("astproxy" / "sip_webrtc").boxed()).and_then(astproxy::sip_webrtc);
    let dnd = warp::path!("astproxy" / "dnd" / String)
        .and(warp::get())
        .and(g.clone())
        .and_then(astproxy::dnd);
    let cfcall = warp::path!("astproxy" / "cfcall" / String / String)
        .and(warp::get())
        .and(g.clone())
        .and_then(|t, e, ctx| astproxy::forward_status(astproxy::ForwardRead::Call, t, e, ctx));
    let cfvm = warp::path!("astproxy" / "cfvm" / String / String)
        .and(warp::get())
        .and(g)
        .and_then(|t, e, ctx| {
            astproxy::forward_status(astproxy::ForwardRead::Voicemail, t, e, ctx)
        });
    exts.or(ext)
        .unify()
        .or(queues)
        .unify()
        .or(trunks)
        .unify()
        .or(parkings)
        .unify()
        .or(opgroups)
        .unify()
        .or(prefix)
        .unify()
        .or(codes)
        .unify()
        .or(opdata)
        .unify()
        .or(sip)
        .unify()
        .or(dnd)
        .unify()
        .or(cfcall)
        .unify()
        .or(cfvm)
        .unify()
        .boxed()
}

/// Every route of this adapter, without the rejection handler (so other adapters can add
/// their routes with `.or(...)` before [`finish`]).
pub fn api(app: Arc<HttpApp>) -> Route {
    // not `warp::options()`: a method filter would turn every unknown path into a 405
    let preflight = warp::method().and_then(|m: http::Method| async move {
        if m == http::Method::OPTIONS {
            Ok(cors::preflight())
        } else {
            Err(warp::reject::not_found())
        }
    });
    let profiling = warp::path!("profiling" / "all")
        .and(warp::get())
        .and(gate(app.clone()))
        .and_then(profiling::all);
    preflight
        .or(authentication(&app))
        .unify()
        .or(user_reads(&app))
        .unify()
        .or(user_writes(&app))
        .unify()
        .or(astproxy_reads(&app))
        .unify()
        .or(profiling)
        .unify()
        .boxed()
}

/// Adds the gate-checked fallback (401 before 404) and the rejection handler.
pub fn finish(
    api: Route,
    app: Arc<HttpApp>,
) -> impl Filter<Extract = (Response,), Error = std::convert::Infallible> + Clone {
    let fallback = gate(app)
        .and(warp::method())
        .and(warp::path::full())
        .and_then(
            |_ctx: Ctx, method: http::Method, path: warp::path::FullPath| async move {
                Err::<Response, _>(warp::reject::custom(NoRoute {
                    method,
                    path: path.as_str().to_owned(),
                }))
            },
        );
    api.or(fallback).unify().recover(handle_rejection).unify()
}

/// The complete HTTP service of this adapter.
pub fn routes(
    app: Arc<HttpApp>,
) -> impl Filter<Extract = (Response,), Error = std::convert::Infallible> + Clone {
    finish(api(app.clone()), app)
}
