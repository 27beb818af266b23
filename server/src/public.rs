//! The park's public page, `/public/{code}` (issue 15): HTML rendered on the server
//! (`app::public_page`), outside the Leptos router like `/field` — the public's phone loads
//! no wasm, only Leaflet and `public/js/public.js`. No session; requests are counted per
//! address like the JSON (`store::public::views`).

use crate::api::Peer;
use crate::state::AppState;
use app::i18n::Locale;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// The route of the public page.
pub const PUBLIC_PATH: &str = "/public/{code}";

use ::api::LANG_COOKIE;

#[derive(serde::Deserialize)]
pub struct LangQuery {
    /// `en` or `zh`: the page in that language, kept in the language cookie.
    lang: Option<String>,
}

/// The language of a request: `?lang=` when given, else the cookie the pages share, else
/// Simplified Chinese (the browser's language is not consulted, as on the other pages).
fn locale(headers: &HeaderMap, asked: Option<&str>) -> Locale {
    let cookie_en =
        headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).any(|c| c.trim() == format!("{LANG_COOKIE}=en"));
    match asked {
        Some("en") => Locale::en,
        Some("zh") => Locale::zh,
        _ if cookie_en => Locale::en,
        _ => Locale::zh,
    }
}

/// The public page of park `code` (404 with a page of its own for a code that names none).
pub async fn public_page(
    State(state): State<AppState>,
    Peer(peer): Peer,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let asked = q.lang.as_deref().filter(|l| matches!(*l, "en" | "zh"));
    let locale = locale(&headers, asked);
    if let Err(e) = crate::api::public::count(&state, &headers, peer).await {
        return e.into_response();
    }
    let mut res = match store::public::page(&state.ctx.db, &code).await {
        Ok(Some(page)) => Html(app::public_page::public_page(locale, &page)).into_response(),
        Ok(None) => (StatusCode::NOT_FOUND, Html(app::public_page::public_not_found(locale))).into_response(),
        Err(e) => return crate::api::ApiError::from(e).into_response(),
    };
    if let Some(lang) = asked {
        if let Ok(v) = HeaderValue::from_str(&format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax")) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}
