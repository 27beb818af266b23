//! Building the application: database, router, listener.

use crate::api;
use crate::config::Config;
use app::ssr::{AppContext, SessionCookie};
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use tower_http::compression::CompressionLayer;

pub use crate::state::{AppState, Stopping};

pub struct Application {
    listener: tokio::net::TcpListener,
    router: Router,
    stopping: Stopping,
    db: store::DatabaseConnection,
    jobs_every: std::time::Duration,
}

impl Application {
    /// Connects to the database, applies pending migrations and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        crate::config::prepare_sqlite_dir(&config.database_url)?;
        let db = store::db::connect(&config.database_url).await?;
        store::db::migrate(&db).await?;
        let listener = tokio::net::TcpListener::bind(config.site_addr).await?;
        let addr = listener.local_addr()?;
        let leptos_options = LeptosOptions::builder().output_name("parkgrid").site_root(config.site_root.as_str()).site_pkg_dir("pkg").site_addr(addr).build();
        let basemap_origin = config.basemap_url.as_deref().and_then(origin_of);
        let ctx = AppContext {
            db,
            editor: Default::default(),
            cookie: SessionCookie { secure: config.secure_cookie },
            basemap_origin,
            trust_proxy: config.trust_proxy,
        };
        let basemap = crate::tiles::Basemap::open(config.basemap_pmtiles.as_deref(), config.basemap_url.clone(), config.basemap_attribution.clone()).await?;
        let stopping = Stopping::default();
        let db = ctx.db.clone();
        let router = router(AppState { ctx, leptos_options, basemap, stopping: stopping.clone() });
        Ok(Application { listener, router, stopping, db, jobs_every: config.jobs_every })
    }

    pub fn addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until SIGTERM or Ctrl-C, then stops gracefully.
    pub async fn run(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes, then shuts down gracefully: `/ready` answers 503, no new
    /// connection is taken, and the requests under way (a sync mid-batch) finish and are
    /// answered before the process ends.
    pub async fn run_until(self, stop: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let stopping = self.stopping.clone();
        let me = store::deadlines::holder_name();
        let jobs = tokio::spawn(deadline_sweeps(self.db.clone(), me.clone(), self.jobs_every));
        let stop = async move {
            stop.await;
            stopping.set();
            tracing::info!("shutting down: finishing the requests under way");
        };
        // The peer's address reaches the handlers (the sign-in throttle per client address).
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, service).with_graceful_shutdown(stop).await;
        jobs.abort();
        // Another server takes the jobs over at its next try instead of waiting for the lease to lapse.
        if let Err(e) = store::deadlines::release(&self.db, "deadlines", &me).await {
            tracing::warn!(error = %e, "the deadline sweep's lease could not be released: it lapses by itself");
        }
        served
    }
}

/// Every `period` (a minute unless configured): the deadline sweep, on whichever server holds
/// its lease — one server among all those sharing the database. A server that stops renewing
/// the lease (one that died) is replaced once it lapses, five periods later.
async fn deadline_sweeps(db: store::DatabaseConnection, me: String, period: std::time::Duration) {
    let ttl = chrono::Duration::from_std(period * 5).unwrap_or(chrono::Duration::minutes(5));
    let mut every = tokio::time::interval(period);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        let now = chrono::Utc::now();
        match store::deadlines::lease(&db, "deadlines", &me, now, ttl).await {
            Ok(true) => match store::deadlines::sweep(&db, now).await {
                Ok(s) if s != store::deadlines::Swept::default() => {
                    tracing::info!(reminded = s.reminded, urged = s.urged, supervised = s.supervised, "deadline sweep")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "the deadline sweep failed; it runs again in a minute"),
            },
            Ok(false) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "the deadline sweep's lease could not be taken");
                continue;
            }
        }
        // The same holder forgets the request windows of the day before (the public page's
        // and the enterprise link's per-address limits).
        if let Err(e) = store::rate::prune(&db, now - chrono::Duration::days(1)).await {
            tracing::warn!(error = %e, "lapsed request windows could not be pruned");
        }
    }
}

/// `Cache-Control: no-cache` (see `router`).
async fn revalidate(mut res: axum::response::Response) -> axum::response::Response {
    res.headers_mut().insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-cache"));
    res
}

pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let ctx = state.ctx.clone();
    let ctx_for_headers = state.ctx.clone();
    let ctx_for_fallback = state.ctx.clone();
    let options = state.leptos_options.clone();
    // The built assets, with the .br/.gz files `scripts/precompress.mjs` wrote next to them
    // (brotli at quality 11); without them, the compression layer compresses on the fly.
    let site = state.leptos_options.site_root.to_string();
    let assets = |dir: &str| tower_http::services::ServeDir::new(format!("{site}/{dir}")).precompressed_br().precompressed_gzip();
    // The bundles are revalidated on every use (a 304 when unchanged): a page's wasm chunks
    // (`split_*.wasm`, `chunk_*.wasm`) are named without a hash and must never be mixed with a
    // main bundle of another build.
    let bundles = Router::new().fallback_service(assets("pkg")).layer(axum::middleware::map_response(revalidate));
    Router::new()
        .nest("/pkg", bundles)
        .nest_service("/vendor", assets("vendor"))
        .nest_service("/js", assets("js"))
        .merge(api::routes())
        .route(FIELD_PATH, axum::routing::get(field_page))
        .route(crate::public::PUBLIC_PATH, axum::routing::get(crate::public::public_page))
        .leptos_routes_with_context(&state, routes, move || provide_context(ctx.clone()), move || shell(options.clone()))
        // Unknown addresses: a static file, else the not-found page, rendered like any page
        // (the context gives it its Content-Security-Policy with the response's nonce).
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(move || provide_context(ctx_for_fallback.clone()), shell))
        .with_state(state)
        .layer(axum::middleware::from_fn(crate::security::refuse_cross_site))
        .layer(axum::middleware::from_fn_with_state(ctx_for_headers, crate::security::headers))
        .layer(CompressionLayer::new())
}

/// The field app's page: not one of the Leptos app's routes (see `app::field_shell`).
pub const FIELD_PATH: &str = "/field";

/// Every route the router answers, as (method, path template): the JSON API (from its OpenAPI
/// document, which is built from the same registration), the server functions, the app's
/// pages, `/field`, the public page and the OpenAPI document itself. The authorization tests check that their
/// table has a row for each, so a new route without one fails them. (Static files under
/// `/pkg`, `/vendor`, `/js` and the site root are public and not listed.)
pub fn route_inventory() -> Vec<(axum::http::Method, String)> {
    use axum::http::Method;
    let mut out = Vec::new();
    for (path, item) in api::openapi().paths.paths {
        let ops = [
            (Method::GET, &item.get),
            (Method::POST, &item.post),
            (Method::PUT, &item.put),
            (Method::DELETE, &item.delete),
            (Method::HEAD, &item.head),
            (Method::PATCH, &item.patch),
        ];
        out.extend(ops.into_iter().filter(|(_, op)| op.is_some()).map(|(m, _)| (m, path.clone())));
    }
    out.extend(leptos::server_fn::axum::server_fn_paths().map(|(path, method)| (method, path.to_owned())));
    out.extend(generate_route_list(App).into_iter().map(|r| (Method::GET, r.path().to_owned())));
    out.push((Method::GET, FIELD_PATH.to_owned()));
    out.push((Method::GET, crate::public::PUBLIC_PATH.to_owned()));
    out.push((Method::GET, api::OPENAPI_PATH.to_owned()));
    out.sort_by(|a, b| (a.1.as_str(), a.0.as_str()).cmp(&(b.1.as_str(), b.0.as_str())));
    out.dedup();
    out
}

/// `https://host:port` of a URL template (`https://host/{z}/{x}/{y}.png`), for the pages'
/// Content-Security-Policy.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty() && !h.contains(['{', '}', ' ', ';', '\'', '"']))?;
    matches!(scheme, "http" | "https").then(|| format!("{scheme}://{host}"))
}

/// The field app's shell (`app::field_shell`), in the language of the cookie the pages share
/// (Simplified Chinese without it). It holds nothing personal: the service worker replays it
/// offline, and the `fieldapp` bundle fills it in the browser. Online, whoever may not record
/// field work is sent elsewhere first: to sign in without a session, home without the role.
async fn field_page(State(state): State<AppState>, headers: axum::http::HeaderMap) -> axum::response::Response {
    use axum::response::{IntoResponse, Redirect};
    let user = match app::ssr::session_token(&headers) {
        Some(token) => store::auth::user_for_token(&state.ctx.db, &token).await.ok().flatten(),
        None => None,
    };
    let Some(user) = user else { return Redirect::to("/login").into_response() };
    if !store::users::role_of(&user).is_some_and(|r| r.permits(domain::Capability::RecordFieldWork)) {
        return Redirect::to("/").into_response();
    }
    let english = headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().strip_prefix(::api::LANG_COOKIE).and_then(|rest| rest.strip_prefix('=')) == Some("en"));
    let locale = if english { app::i18n::Locale::en } else { app::i18n::Locale::zh };
    ([(axum::http::header::CACHE_CONTROL, "no-cache")], axum::response::Html(app::field_shell(locale))).into_response()
}

/// SIGTERM (systemd, a container runtime, `kill`) or Ctrl-C.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}
