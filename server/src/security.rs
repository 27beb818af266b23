//! What every response and every request goes through, whatever handler answers it.
//!
//! - **Cross-site writes are refused.** A request that changes state (any method but `GET`,
//!   `HEAD`, `OPTIONS`) from a browser must come from this site: `Sec-Fetch-Site` (sent by
//!   every current browser) must be `same-origin` (or `none`: typed by the user), and where
//!   only `Origin` is sent it must be this host. A request with neither header is not from a
//!   browser (curl, the test client, another server) and carries no cookie of a victim, so it
//!   passes. This covers server functions (form posts), sign-in and the JSON API alike, so a
//!   page elsewhere can neither sign a user in nor act in their session.
//! - **Headers on every response**: `nosniff`, no framing (`X-Frame-Options` and the CSP's
//!   `frame-ancestors`), `Referrer-Policy: same-origin`, and pages and JSON not stored by
//!   caches (they hold personal data; a shared phone's next user must not find them). Pages the
//!   Leptos app renders carry their own Content-Security-Policy with the response's nonce
//!   (`app::ssr::content_security_policy`); any other HTML gets the same policy without one.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Whether a request that may change state comes from this site (see the module doc).
pub fn same_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let Some(origin) = headers.get(header::ORIGIN) else { return true };
    let Ok(origin) = origin.to_str() else { return false };
    let authority = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
    let host = headers.get("x-forwarded-host").or_else(|| headers.get(header::HOST)).and_then(|h| h.to_str().ok()).unwrap_or("");
    !authority.is_empty() && authority.eq_ignore_ascii_case(host)
}

/// Refuses cross-site writes (403).
pub async fn refuse_cross_site(req: Request, next: Next) -> Response {
    if same_site(req.method(), req.headers()) {
        return next.run(req).await;
    }
    let body = api::ApiError { error: "cross_site".into(), message: "requests that change something must come from this site".into(), refused: None };
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

/// Adds the headers every response carries (see the module doc).
pub async fn headers(axum::extract::State(ctx): axum::extract::State<app::ssr::AppContext>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    let content_type = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let html = content_type.starts_with("text/html");
    if (html || content_type.starts_with("application/json")) && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if html && !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        if let Ok(v) = HeaderValue::from_str(&app::ssr::content_security_policy(None, ctx.basemap_origin.as_deref())) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_post_from_another_site_is_refused_and_one_from_this_site_passes() {
        let post = Method::POST;
        assert!(!same_site(&post, &with(&[("sec-fetch-site", "cross-site"), ("host", "park.example")])));
        assert!(!same_site(&post, &with(&[("sec-fetch-site", "same-site")])));
        assert!(same_site(&post, &with(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_site(&post, &with(&[("origin", "https://evil.example"), ("host", "park.example")])));
        assert!(same_site(&post, &with(&[("origin", "https://park.example"), ("host", "park.example")])));
        assert!(!same_site(&post, &with(&[("origin", "null"), ("host", "park.example")])));
    }

    #[test]
    fn reads_and_requests_not_from_a_browser_pass() {
        assert!(same_site(&Method::GET, &with(&[("sec-fetch-site", "cross-site")])));
        assert!(same_site(&Method::POST, &HeaderMap::new()));
    }

    #[test]
    fn behind_a_proxy_the_forwarded_host_is_this_site() {
        let h = with(&[("origin", "https://park.example"), ("host", "127.0.0.1:3000"), ("x-forwarded-host", "park.example")]);
        assert!(same_site(&Method::DELETE, &h));
    }
}
