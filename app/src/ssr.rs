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

pub const COOKIE_NAME: &str = "parkgrid_session";

/// What the server hands every server function and API handler.
#[derive(Clone)]
pub struct AppContext {
    pub db: DatabaseConnection,
    pub cookie: SessionCookie,
}

/// How the session cookie is written: HttpOnly, SameSite=Lax, Path=/, 30 days.
#[derive(Clone, Copy, Debug, Default)]
pub struct SessionCookie {
    pub secure: bool,
}

impl SessionCookie {
    pub fn set(&self, token: &str) -> String {
        let max_age = store::auth::SESSION_DAYS * 24 * 3600;
        format!("{COOKIE_NAME}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{}", self.secure_attr())
    }

    pub fn clear(&self) -> String {
        format!("{COOKIE_NAME}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0{}", self.secure_attr())
    }

    fn secure_attr(&self) -> &'static str {
        if self.secure { "; Secure" } else { "" }
    }
}

/// The session token from a request's `Cookie` headers.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, v)| *k == COOKIE_NAME && !v.is_empty())
        .map(|(_, v)| v.to_owned())
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

/// A refused input (`store::Refusal`) as the error `refused:<code>:<detail>`
/// ([`crate::errors::refusal`]), answered 409.
pub fn refused(r: &store::Refusal) -> ServerFnError {
    set_status(StatusCode::CONFLICT);
    ServerFnError::new(format!("{}{}:{}", crate::errors::REFUSED, r.code, r.detail))
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

/// The signed-in user holding `capability`: 401 without a session, 403 without the capability.
pub async fn require(capability: Capability) -> Result<app_user::Model, ServerFnError> {
    match current_user().await? {
        None => Err(fail(crate::errors::UNAUTHENTICATED, StatusCode::UNAUTHORIZED)),
        Some((user, Some(role))) if role.permits(capability) => Ok(user),
        Some(_) => Err(fail(crate::errors::FORBIDDEN, StatusCode::FORBIDDEN)),
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
        let c = SessionCookie { secure: false }.set("t");
        assert!(c.starts_with("parkgrid_session=t;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(SessionCookie { secure: true }.set("t").ends_with("; Secure"));
    }
}
