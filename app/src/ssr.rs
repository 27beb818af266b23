//! Server-only glue of the app: the context server functions run in, the session cookie, and
//! the capability check every server function starts with.
//!
//! **Architecture invariant:** this module exists only with the `ssr` feature; nothing in it
//! reaches the wasm bundle.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use domain::{Capability, Role};
use leptos::prelude::*;
use store::DatabaseConnection;
use store::entities::app_user;

/// The session cookie's name over plain HTTP (development, a trusted LAN).
pub const COOKIE_NAME: &str = "parkgrid_session";
/// Its name over HTTPS: the `__Host-` prefix makes the browser refuse it unless it is
/// `Secure`, for this host only and `Path=/` — no subdomain can set or shadow it.
pub const SECURE_COOKIE_NAME: &str = "__Host-parkgrid_session";

/// How the session cookie is written: HttpOnly, SameSite=Lax, Path=/, for the session's
/// whole life; `Secure` with the `__Host-` name over HTTPS.
#[derive(Clone, Copy, Debug, Default)]
pub struct SessionCookie {
    /// Always HTTPS (`PARKGRID_SECURE_COOKIE`), whatever the request says.
    pub secure: bool,
}

impl SessionCookie {
    /// Whether this request came over HTTPS: the configuration says so, or the proxy in front
    /// (`X-Forwarded-Proto: https`).
    pub fn https(&self, headers: &HeaderMap) -> bool {
        self.secure || headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"))
    }

    pub fn set(&self, token: &str, https: bool) -> String {
        let max_age = store::auth::SESSION_DAYS * 24 * 3600;
        if https {
            format!("{SECURE_COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}; Secure")
        } else {
            format!("{COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")
        }
    }

    /// The known-device cookie: HttpOnly, a year.
    pub fn device(&self, token: &str, https: bool) -> String {
        let max_age = store::auth::DEVICE_DAYS * 24 * 3600;
        if https {
            format!("{SECURE_DEVICE_COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}; Secure")
        } else {
            format!("{DEVICE_COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")
        }
    }

    pub fn clear(&self, https: bool) -> String {
        if https {
            format!("{SECURE_COOKIE_NAME}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Secure")
        } else {
            format!("{COOKIE_NAME}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0")
        }
    }
}

/// The value of cookie `name` in a request's `Cookie` headers.
fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == name && !v.is_empty())
        .map(|(_, v)| v.to_owned())
}

/// The session token from a request's `Cookie` headers (the `__Host-` cookie first).
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SECURE_COOKIE_NAME).or_else(|| cookie(headers, COOKIE_NAME))
}

/// The known-device cookie's name over plain HTTP and over HTTPS.
pub const DEVICE_COOKIE_NAME: &str = "parkgrid_device";
pub const SECURE_DEVICE_COOKIE_NAME: &str = "__Host-parkgrid_device";

/// The known-device token from a request's cookies (`store::auth`: the owner of the right
/// password is not held back by the login's throttle on a browser they signed in from).
pub fn device_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, SECURE_DEVICE_COOKIE_NAME).or_else(|| cookie(headers, DEVICE_COOKIE_NAME))
}

/// What the server hands every server function and API handler.
#[derive(Clone)]
pub struct AppContext {
    pub db: DatabaseConnection,
    /// The plan editor's kept park contexts (`store::editor::Contexts`).
    pub editor: store::editor::Contexts,
    pub cookie: SessionCookie,
    /// The origin of an external basemap (`PARKGRID_BASEMAP_URL`), which pages may load
    /// images from.
    pub basemap_origin: Option<String>,
    /// Behind a reverse proxy (`PARKGRID_TRUST_PROXY`): the client's address is the last one
    /// the proxy added to `X-Forwarded-For`, not the connection's.
    pub trust_proxy: bool,
}

/// Where a request came from: the connection's peer, or behind a trusted proxy the address it
/// reports (the last entry of `X-Forwarded-For`, which the proxy itself appended).
pub fn client_address(headers: &HeaderMap, peer: Option<std::net::SocketAddr>, trust_proxy: bool) -> Option<std::net::IpAddr> {
    if trust_proxy {
        let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).last();
        if let Some(ip) = forwarded.and_then(|v| v.trim().parse().ok()) {
            return Some(ip);
        }
    }
    peer.map(|p| p.ip())
}

/// Where the request being served came from (see [`client_address`]).
pub async fn request_address() -> Option<std::net::IpAddr> {
    let headers: HeaderMap = leptos_axum::extract().await.ok()?;
    let peer = leptos_axum::extract::<axum::extract::ConnectInfo<std::net::SocketAddr>>().await.ok().map(|c| c.0);
    client_address(&headers, peer, context().ok()?.trust_proxy)
}

/// The Content-Security-Policy of a page: scripts only from this site (and inline ones only
/// with this response's `nonce`, which Leptos puts on its hydration and data scripts), wasm
/// compiled, nothing framed, forms posted only here; images also from `basemap_origin`.
pub fn content_security_policy(nonce: Option<&str>, basemap_origin: Option<&str>) -> String {
    let nonce = nonce.map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    let basemap = basemap_origin.map(|o| format!(" {o}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{nonce}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:{basemap}; connect-src 'self'{basemap}; worker-src 'self' blob:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Puts the page's Content-Security-Policy, with its nonce, on the response being rendered.
pub fn set_page_policy() {
    let (Some(resp), Some(ctx)) = (use_context::<leptos_axum::ResponseOptions>(), use_context::<AppContext>()) else { return };
    let nonce = leptos::nonce::use_nonce();
    let policy = content_security_policy(nonce.as_ref().map(|n| n.as_inner().as_ref()), ctx.basemap_origin.as_deref());
    if let Ok(v) = HeaderValue::from_str(&policy) {
        resp.insert_header(header::CONTENT_SECURITY_POLICY, v);
    }
}

/// The pages read first: what they show is whole without the app's code (server-rendered text,
/// links, a map `public/js/map.js` draws), so their first load leaves that code out and
/// `public/js/hydrate-later.js` fetches it once the page has loaded, or at the first touch.
/// The park page is the one managers open on a phone to look (issue 16: its first load).
const READ_FIRST: &[&str] = &["/park"];

/// The app's code for `public/js/hydrate-later.js`, if the page being rendered is read first.
/// `None` with hashed file names (not configured here: Leptos's own `HydrationScripts`, which
/// knows them, is then used for every page).
pub fn hydrate_later(options: &LeptosOptions) -> Option<crate::AppCode> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let path = parts.uri.path();
    let path = if path.len() > 1 { path.trim_end_matches('/') } else { path };
    if options.hash_files || !READ_FIRST.contains(&path) {
        return None;
    }
    let (js, wasm) = match APP_CODE.get() {
        Some(known) => known,
        None => {
            let found = app_code(options)?;
            APP_CODE.get_or_init(|| found)
        }
    };
    Some(crate::AppCode { js: js.clone(), wasm: wasm.clone() })
}

/// The app's JS glue and wasm as URLs, named as `HydrationScripts` names them — cargo-leptos
/// builds with `LEPTOS_OUTPUT_NAME` set and then writes the wasm under the output name itself,
/// a plain cargo build writes `_bg` — and only if that wasm is in the site: a name worked out
/// wrong would leave the page read first without its app, so the page then keeps Leptos's own
/// scripts (and the site is looked at again on the next request: it may be being built).
static APP_CODE: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();

fn app_code(options: &LeptosOptions) -> Option<(String, String)> {
    let (pkg, name) = (&options.site_pkg_dir, &options.output_name);
    let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_some() { format!("{name}.wasm") } else { format!("{name}_bg.wasm") };
    let on_disk = std::path::Path::new(&*options.site_root).join(&**pkg).join(&wasm);
    if !on_disk.is_file() {
        tracing::warn!(path = %on_disk.display(), "the app's wasm is not where expected: the pages read first hydrate at once");
        return None;
    }
    Some((format!("/{pkg}/{name}.js"), format!("/{pkg}/{wasm}")))
}

pub fn context() -> Result<AppContext, ServerFnError> {
    use_context::<AppContext>().ok_or_else(|| ServerFnError::new("internal"))
}

/// Sets the HTTP status of the response a server function is answering.
pub fn set_status(status: StatusCode) {
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(status);
    }
}

pub fn set_cookie(value: String) {
    if let (Some(resp), Ok(v)) = (use_context::<leptos_axum::ResponseOptions>(), HeaderValue::from_str(&value)) {
        resp.append_header(header::SET_COOKIE, v);
    }
}

/// An error a server function reports: its stable code goes to the client (which translates
/// it), its status to the response. Internal causes are logged, never sent.
pub fn fail(code: &'static str, status: StatusCode) -> ServerFnError {
    set_status(status);
    ServerFnError::new(code)
}

/// A refused input (`store::Refusal`) as the error `refused:` followed by its `api::Refused`
/// in JSON ([`crate::errors::refusal`] reads it back), answered 409.
pub fn refused(r: &store::Refusal) -> ServerFnError {
    set_status(StatusCode::CONFLICT);
    let wire = api::Refused { code: r.code, detail: r.detail.clone() };
    match serde_json::to_string(&wire) {
        Ok(json) => ServerFnError::new(format!("{}{json}", crate::errors::REFUSED)),
        Err(e) => internal(e),
    }
}

pub fn internal(cause: impl std::fmt::Display) -> ServerFnError {
    tracing::error!(error = %cause, "server function failed");
    fail(crate::errors::INTERNAL, StatusCode::INTERNAL_SERVER_ERROR)
}

/// The signed-in user, or `None`.
pub async fn current_user() -> Result<Option<(app_user::Model, Option<Role>)>, ServerFnError> {
    let ctx = context()?;
    let headers: HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    let Some(token) = session_token(&headers) else {
        return Ok(None);
    };
    let user = store::auth::user_for_token(&ctx.db, &token).await.map_err(internal)?;
    Ok(user.map(|u| {
        let role = store::users::role_of(&u);
        (u, role)
    }))
}

/// The signed-in user holding `capability`, with what they may reach: 401 without a session,
/// 403 without the capability — and 403 `password_change_required` for anything at all while
/// their password must be changed (after a reset).
pub async fn require(capability: Capability) -> Result<store::access::Access, ServerFnError> {
    match current_user().await? {
        None => Err(fail(crate::errors::UNAUTHENTICATED, StatusCode::UNAUTHORIZED)),
        Some((user, _)) if user.must_change_password => Err(fail(crate::errors::PASSWORD_CHANGE_REQUIRED, StatusCode::FORBIDDEN)),
        Some((user, Some(role))) if role.permits(capability) => store::access::Access::of(&context()?.db, user).await.map_err(store_error),
        Some(_) => Err(fail(crate::errors::FORBIDDEN, StatusCode::FORBIDDEN)),
    }
}

/// Any signed-in user, with what they may reach (401 without a session; 403 while their
/// password must be changed).
pub async fn signed_in() -> Result<store::access::Access, ServerFnError> {
    match current_user().await? {
        None => Err(fail(crate::errors::UNAUTHENTICATED, StatusCode::UNAUTHORIZED)),
        Some((user, _)) if user.must_change_password => Err(fail(crate::errors::PASSWORD_CHANGE_REQUIRED, StatusCode::FORBIDDEN)),
        Some((user, _)) => store::access::Access::of(&context()?.db, user).await.map_err(store_error),
    }
}

/// The cookie the park switcher sets: the code of the park the user is working on.
pub const PARK_COOKIE: &str = "parkgrid_park";

/// The park the request is about: the one the user chose with the park switcher if it is
/// theirs, else their first (`store::access::Access::current_park`).
pub async fn park(access: &store::access::Access) -> Result<store::entities::park::Model, ServerFnError> {
    let headers: HeaderMap = leptos_axum::extract().await.map_err(internal)?;
    let chosen = chosen_park(&headers);
    access.current_park(&context()?.db, chosen.as_deref()).await.map_err(store_error)
}

/// The park code in the switcher's cookie, if any.
pub fn chosen_park(headers: &HeaderMap) -> Option<String> {
    cookie(headers, PARK_COOKIE)
}

/// A store error as a server function answers it: not found 404, another park's or
/// department's 403, a refused input 409 with its code, a conflict 409, anything else an
/// opaque 500 (logged).
pub fn store_error(e: store::StoreError) -> ServerFnError {
    match e {
        store::StoreError::NotFound(_) => fail("not_found", StatusCode::NOT_FOUND),
        store::StoreError::Forbidden(_) => fail(crate::errors::FORBIDDEN, StatusCode::FORBIDDEN),
        store::StoreError::Refused(r) => refused(&r),
        store::StoreError::Transition(t) => match t {
            domain::case::TransitionError::NotInStage { .. } => fail(crate::errors::NOT_IN_STAGE, StatusCode::CONFLICT),
            domain::case::TransitionError::NotPermitted { .. } => fail(crate::errors::FORBIDDEN, StatusCode::FORBIDDEN),
            domain::case::TransitionError::Invalid(why) => refused(&store::Refusal { code: why.into(), detail: String::new(), message: why.to_string() }),
        },
        store::StoreError::Conflict(m) => {
            tracing::info!(reason = %m, "refused as a conflict");
            fail("conflict", StatusCode::CONFLICT)
        }
        e => internal(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_token_is_found_among_other_cookies() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("i18n_pref_locale=en; parkgrid_session=abc123; x=y"));
        assert_eq!(session_token(&h).as_deref(), Some("abc123"));
        h.insert(header::COOKIE, HeaderValue::from_static("parkgrid_session="));
        assert_eq!(session_token(&h), None);
    }

    #[test]
    fn the_session_cookie_is_http_only_and_same_site() {
        let c = SessionCookie { secure: false }.set("t", false);
        assert!(c.starts_with("parkgrid_session=t;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
    }

    #[test]
    fn over_https_the_session_cookie_is_secure_and_host_only() {
        let cookie = SessionCookie { secure: false };
        let mut h = HeaderMap::new();
        assert!(!cookie.https(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(cookie.https(&h));
        assert!(SessionCookie { secure: true }.https(&HeaderMap::new()));
        let c = cookie.set("t", true);
        assert!(c.starts_with("__Host-parkgrid_session=t;") && c.ends_with("; Secure") && c.contains("Path=/") && !c.contains("Domain"));
        let mut both = HeaderMap::new();
        both.insert(header::COOKIE, HeaderValue::from_static("parkgrid_session=old; __Host-parkgrid_session=new"));
        assert_eq!(session_token(&both).as_deref(), Some("new"));
    }

    #[test]
    fn a_page_policy_allows_inline_scripts_only_with_its_nonce() {
        let p = content_security_policy(Some("abc"), None);
        assert!(p.contains("script-src 'self' 'wasm-unsafe-eval' 'nonce-abc';"));
        let scripts = p.split(';').find(|d| d.trim().starts_with("script-src")).unwrap_or_default();
        assert!(!scripts.contains("'unsafe-inline'") && p.contains("frame-ancestors 'none'"), "{p}");
        assert!(!content_security_policy(None, None).contains("nonce"));
        assert!(content_security_policy(None, Some("https://tiles.example")).contains("img-src 'self' data: blob: https://tiles.example;"));
    }
}
